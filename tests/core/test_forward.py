"""Forward mode: dual-number passes give the gradients reverse mode gives, one pass per
input, with every step's arithmetic written in the real numbers."""
from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gradviz.core.errors import EvaluationError, GraphError
from gradviz.core.evaluation import evaluate
from gradviz.core.examples import list_examples, load_example
from gradviz.core.forward import compare, forward_mode, forward_mode_of
from gradviz.core.forward_explain import caption
from gradviz.core.forward_text import operand
from gradviz.core.language import parse

NOTEBOOK = "a = 2\nb = 3\ne = (a + b) * (b + 1)\n"
COMPANION = "x1 = 2\nx2 = 3\nx3 = 4\nx4 = 5\nf = x1 * x2 + x3 * x4\n"


def test_notebook_passes_write_the_dual_arithmetic():
    run = forward_mode(parse(NOTEBOOK))
    first, second = run.passes()
    assert first.counter() == "pass 1 of 2: seeding a"
    assert [s.text for s in first.steps] == [
        "c = a + b = (2 + 1ε) + (3 + 0ε) = 5 + 1ε",
        "d = b + 1 = (3 + 0ε) + (1 + 0ε) = 4 + 0ε",
        "e = c · d = (5 + 1ε)(4 + 0ε) = 20 + (5·0 + 1·4)ε + 1·0ε² = 20 + 4ε",
    ]
    assert second.counter() == "pass 2 of 2: seeding b"
    assert second.steps[-1].text == \
        "e = c · d = (5 + 1ε)(4 + 1ε) = 20 + (5·1 + 1·4)ε + 1·1ε² = 20 + 9ε"
    assert (first.derivative, second.derivative) == (4, 9)
    assert run.derivatives() == {"a": 4, "b": 9}


def test_a_pass_state_holds_values_and_tangents_so_far():
    p = forward_mode(parse(NOTEBOOK)).pass_at(1)
    labels = {n: p for n, p in zip(("c", "d", "e"), [s.node for s in p.steps], strict=True)}
    start = p.state(0)
    assert labels["c"] not in start.values and start.current is None
    mid = p.state(2)
    assert (mid.values[labels["d"]], mid.tangents[labels["d"]]) == (4, 1)
    assert labels["e"] not in mid.values
    end = p.state(99)  # clamped
    assert (end.values[labels["e"]], end.tangents[labels["e"]]) == (20, 9)


def test_companion_example_needs_four_passes_and_counts_both_engines():
    graph = load_example("forward_vs_reverse").graph
    run = forward_mode(graph)
    assert len(run) == 4
    assert run.derivatives() == {"x1": 3, "x2": 2, "x3": 5, "x4": 4}
    assert [p.counter() for p in run.passes()][1] == "pass 2 of 4: seeding x2"
    counts = compare(run, evaluate(graph))
    assert counts.text() == ("forward: 4 passes × 3 operations = 12 dual operations; "
                             "reverse: 3 forward + 6 backward steps")


def test_passes_run_when_first_asked_for():
    graph = parse("\n".join(f"x{i} = {i}" for i in range(1, 11)) + "\ny = "
                  + " * ".join(f"x{i}" for i in range(1, 11)))
    run = forward_mode(graph)
    assert len(run) == 10
    run.pass_at(0)
    assert run.computed() == [0]
    assert run.derivatives()["x1"] == math.factorial(10)
    assert run.computed() == list(range(10))
    with pytest.raises(IndexError, match="passes 1 to 10"):
        run.pass_at(10)


@pytest.mark.parametrize("name", [e.name for e in list_examples()])
def test_every_example_forward_equals_reverse(name):
    graph = load_example(name).graph
    reverse = evaluate(graph)
    run = forward_mode_of(reverse)
    assert len(run) == len(graph.inputs())
    got = run.derivatives()
    for label, g in reverse.input_grads().items():
        assert got[label] == pytest.approx(g, rel=1e-12, abs=1e-12), label
    # Every pass computes the value reverse mode's forward pass computed.
    for p in run.passes():
        assert p.state(p.last).values[reverse.output] == pytest.approx(reverse.value)
        assert len(p.steps) == reverse.timeline.forward_count


@pytest.mark.parametrize("name", [e.name for e in list_examples()])
def test_every_example_forward_equals_pytorch(name):
    torch_bridge = pytest.importorskip("gradviz.core.torch_bridge")
    graph = load_example(name).graph
    run = forward_mode(graph)
    expected = torch_bridge.gradients(graph, {})
    for label, g in run.derivatives().items():
        assert g == pytest.approx(expected[label], rel=1e-9, abs=1e-12), label


def test_caption_counts_passes_and_ends_with_the_comparison():
    graph = parse(COMPANION)
    reverse = evaluate(graph)
    run = forward_mode_of(reverse)
    assert caption(run, 0, 0, reverse).startswith(
        "Pass 1 of 4: seeding x1. Each input is a dual number v + tε: x1 = 2 + 1ε, "
        "x2 = 3 + 0ε, x3 = 4 + 0ε, x4 = 5 + 0ε")
    assert caption(run, 1, 1, reverse) == (
        "Pass 2 of 4: seeding x2, step 1 of 3: f_a = x1 · x2 = (2 + 0ε)(3 + 1ε) = "
        "6 + (2·1 + 0·3)ε + 0·1ε² = 6 + 2ε")
    end_of_first = caption(run, 0, 3, reverse)
    assert end_of_first.endswith("Pass done: ∂f/∂x1 = 3 (the ε part of f).")
    last = caption(run, 3, 3, reverse)
    assert "All 4 passes: ∂f/∂x1 = 3, ∂f/∂x2 = 2, ∂f/∂x3 = 5, ∂f/∂x4 = 4." in last
    assert last.endswith("Operations: forward: 4 passes × 3 operations = 12 dual "
                         "operations; reverse: 3 forward + 6 backward steps.")


def test_unary_and_quotient_steps_use_the_chain_rule_in_numbers():
    run = forward_mode(parse("x = 0.5\ny = 2\nh = tanh(x) / y"))
    texts = [s.text for s in run.pass_at(0).steps]
    assert texts[0] == ("z = tanh(x) = tanh(0.5 + 1ε) = tanh(0.5) + tanh′(0.5)·1ε = "
                        "0.46212 + (0.78645·1)ε = 0.46212 + 0.78645ε")
    assert texts[1].startswith("h = z / y = (0.46212 + 0.78645ε) / (2 + 0ε) = 0.23106 + "
                               "(0.5·0.78645 + ")
    assert texts[1].endswith("·0)ε = 0.23106 + 0.39322ε")


def test_a_constant_exponent_gets_no_derivative_as_in_reverse_mode():
    run = forward_mode(parse("x = -7\ny = x ** 2"))
    assert run.derivatives() == {"x": -14}
    # (-14 in the notation of numbers, whichever minus sign it writes)
    assert run.pass_at(0).steps[0].text.endswith(f"= 49 + ({operand(-14)}·1)ε = 49 − 14ε")


def test_a_negative_tangent_is_subtracted():
    run = forward_mode(parse("x = 1\ny = 3 - 2 * x"))
    assert run.pass_at(0).steps[-1].text.endswith("= 1 − 2ε")


def test_a_graph_without_inputs_has_no_pass_and_says_so():
    run = forward_mode(parse("y = 2 * 3"))
    assert len(run) == 0 and run.derivatives() == {}
    assert "no input" in caption(run, 0, 0)


def test_bad_input_is_refused_with_the_node_named():
    with pytest.raises(GraphError, match="no input named z"):
        forward_mode(parse(NOTEBOOK), {"z": 1})
    run = forward_mode(parse("x = -1\ny = log(x)"))
    with pytest.raises(EvaluationError) as exc:
        run.pass_at(0)
    assert exc.value.node == "y"


# --- generated programs: forward mode against reverse mode ---------------------------
INPUTS = ("p", "q", "r")
UNARY = ("neg", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs")
BINARY = ("+", "-", "*", "/", "**")


def _render(tree) -> str:
    if isinstance(tree, str):
        return tree
    if isinstance(tree, float):
        return repr(tree)
    if len(tree) == 2:
        op, x = tree
        return f"-({_render(x)})" if op == "neg" else f"{op}({_render(x)})"
    op, x, y = tree
    return f"({_render(x)} {op} {_render(y)})"


leaves = st.one_of(st.sampled_from(INPUTS),
                   st.floats(min_value=0.25, max_value=3.0).map(lambda v: round(v, 2)))
trees = st.recursive(
    leaves,
    lambda sub: st.one_of(st.tuples(st.sampled_from(UNARY), sub),
                          st.tuples(st.sampled_from(BINARY), sub, sub)),
    max_leaves=8)
values = st.floats(min_value=0.3, max_value=2.0).map(lambda v: round(v, 3))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(trees, st.fixed_dictionaries({n: values for n in INPUTS}))
def test_generated_programs_forward_equals_reverse(tree, start):
    lines = [f"{name} = {start[name]!r}" for name in INPUTS]
    lines.append(f"out = {_render(tree)} + p * 0")
    graph = parse("\n".join(lines))
    try:
        reverse = evaluate(graph)
    except EvaluationError:
        assume(False)
    got = forward_mode_of(reverse).derivatives()
    for label, g in reverse.input_grads().items():
        assert got[label] == pytest.approx(g, rel=1e-9, abs=1e-12), ("\n".join(lines), label)
