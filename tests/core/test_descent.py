"""Gradient descent: one step is p − rate·∂out/∂p to the last digit, a regression's loss
falls with its data held fixed, and every bad request gets a clear refusal."""
from __future__ import annotations

import json
import math

import pytest

from gradviz.core.descent import (
    DescentError,
    check_rate,
    descend,
    parameters,
    parameters_named,
    step,
)
from gradviz.core.document import GraphDocument
from gradviz.core.errors import DocumentError
from gradviz.core.evaluation import evaluate
from gradviz.core.examples import load_example
from gradviz.core.fileformat import dumps, loads
from gradviz.core.language import parse

LINE = ("w = 0.3\nb = -0.2\nx1 = 0\ny1 = 1\nx2 = 1\ny2 = 3\nx3 = 2\ny3 = 5\n"
        "e1 = w * x1 + b - y1\ne2 = w * x2 + b - y2\ne3 = w * x3 + b - y3\n"
        "loss = e1 ** 2 + e2 ** 2 + e3 ** 2\n")
DATA = ("x1", "y1", "x2", "y2", "x3", "y3")


def test_one_step_is_p_minus_rate_times_the_engines_gradient_exactly():
    graph = parse("x = 0.7; w = -1.3; c = 0.4; y = tanh(w * x + c) * exp(x)")
    run = evaluate(graph)
    rate = 0.037
    after = step(graph, parameters(graph), rate, run)
    for node in graph.inputs():
        assert after.graph.node(node.id).value == node.value - rate * run.grads[node.id]
    # The run after the step is the engine's run at the new values.
    assert after.run.value == evaluate(after.graph).value


def test_one_step_agrees_with_pytorch_to_the_last_digit():
    torch = pytest.importorskip("torch")
    graph = parse(LINE)
    params = parameters_named(graph, ["w", "b"])
    rate = 0.05
    after = step(graph, params, rate).graph
    w, b = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (0.3, -0.2))
    xs, ys = (0.0, 1.0, 2.0), (1.0, 3.0, 5.0)
    loss = sum((w * x + b - y) ** 2 for x, y in zip(xs, ys, strict=True))
    loss.backward()
    with torch.no_grad():
        w -= rate * w.grad
        b -= rate * b.grad
    assert after.node("w").value == w.item()
    assert after.node("b").value == b.item()


def test_a_regression_loss_falls_over_20_steps_and_only_the_parameters_move():
    graph = parse(LINE)
    params = parameters(graph, fixed=DATA)
    assert [graph.node(p).label for p in params] == ["w", "b"]
    run = descend(graph, params, 0.05, 20)
    losses = (run.start, *run.history)
    assert len(run.history) == 20
    assert all(later < earlier for earlier, later in zip(losses, losses[1:], strict=False))
    assert run.history[-1] < run.start / 100
    for label in DATA:
        assert run.graph.node(label).value == graph.node(label).value
    # Towards the line through the points, y = 2x + 1.
    assert abs(run.graph.node("w").value - 2) < abs(0.3 - 2)
    assert abs(run.graph.node("b").value - 1) < abs(-0.2 - 1)
    assert run.history[-1] == evaluate(run.graph).value


def test_the_shipped_regression_example_comes_with_its_data_held_fixed():
    doc = load_example("linear_regression")
    params = parameters(doc.graph, doc.view["fixed"])
    assert [doc.graph.node(p).label for p in params] == ["w", "b"]
    run = descend(doc.graph, params, doc.view["rate"], 20)
    assert run.history[-1] < run.start / 1000


@pytest.mark.parametrize("name, params", [
    ("logistic_regression", ["w", "b"]),
    ("neuron", ["w1", "w2", "b"]),
    ("mlp_2_2_1", ["w11", "w12", "b1", "w21", "w22", "b2", "v1", "v2", "c"]),
    ("notebook", ["a", "b"]),
])
def test_examples_mark_their_data_and_targets(name, params):
    doc = load_example(name)
    chosen = parameters(doc.graph, doc.view.get("fixed", ()))
    assert [doc.graph.node(p).label for p in chosen] == params


def test_unknown_or_computed_parameter_names_are_refused_with_the_inputs_listed():
    graph = parse("a = 2; b = 3; e = (a + b) * (b + 1)")
    with pytest.raises(DescentError, match=r"no input named 'z'.*inputs: a, b"):
        parameters_named(graph, ["a", "z"])
    with pytest.raises(DescentError, match="e is computed, not an input"):
        parameters_named(graph, ["e"])
    with pytest.raises(DescentError, match="at least one parameter"):
        parameters_named(graph, [])


@pytest.mark.parametrize("rate", [math.nan, math.inf, -math.inf, "0.1", None, True])
def test_a_rate_that_is_not_a_finite_number_is_refused(rate):
    with pytest.raises(DescentError, match="learning rate must be a"):
        check_rate(rate)
    with pytest.raises(DescentError, match="learning rate"):
        descend(parse("a = 2; y = a * a"), ["a"], rate, 1)


@pytest.mark.parametrize("steps", [0, -1, 1.5, 10**9])
def test_a_step_count_out_of_range_is_refused(steps):
    with pytest.raises(DescentError, match="number of steps"):
        descend(parse("a = 2; y = a * a"), ["a"], 0.1, steps)


def test_a_step_that_overflows_says_which_step_and_where():
    with pytest.raises(DescentError, match=r"step 1: at the new values y = exp\(.*smaller"):
        descend(parse("w = 1; y = exp(w * 10)"), ["w"], -1.0, 5)
    with pytest.raises(DescentError, match=r"step 1: w − rate·∂y/∂w = .* not a finite"):
        descend(parse("w = 1; y = w * 10"), ["w"], -1e308, 1)


def test_fixed_inputs_are_saved_in_the_view_and_old_files_hold_none_fixed():
    graph = parse(LINE)
    doc = GraphDocument(graph, view={"fixed": list(DATA), "rate": 0.05})
    again = loads(dumps(doc))
    assert again.view["fixed"] == list(DATA) and again.view["rate"] == 0.05
    old = loads(dumps(GraphDocument(graph)))
    assert "fixed" not in old.view
    assert len(parameters(old.graph, old.view.get("fixed", ()))) == 8


def test_a_saved_view_forgets_inputs_that_are_gone():
    # b was held fixed, then taken out of the program: the file keeps a alone.
    doc = GraphDocument(parse("a = 1; y = a * 2"), view={"fixed": ["a", "b"]})
    assert loads(dumps(doc)).view["fixed"] == ["a"]


@pytest.mark.parametrize("fixed, where, words", [
    (["nope"], "view.fixed[0]", "no input 'nope'"),
    (["a", "y"], "view.fixed[1]", "no input 'y'"),
    ("a", "view.fixed", "a list of input ids"),
    ([3], "view.fixed[0]", "its id"),
])
def test_a_bad_list_of_fixed_inputs_is_refused_at_its_place(fixed, where, words):
    text = dumps(GraphDocument(parse("a = 1; y = a * 2"))).replace(
        '"view": {}', '"view": {"fixed": ' + json.dumps(fixed) + "}")
    with pytest.raises(DocumentError) as info:
        loads(text)
    assert info.value.where == where and words in info.value.message


def test_a_rate_in_the_view_must_be_a_number():
    text = dumps(GraphDocument(parse("a = 1; y = a * 2"))).replace(
        '"view": {}', '"view": {"rate": "fast"}')
    with pytest.raises(DocumentError, match="learning rate is a number") as info:
        loads(text)
    assert info.value.where == "view.rate"
