"""evaluate_new_values: a graph with new leaf values runs as `evaluate` would run it."""
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradviz.core.engine import Value
from gradviz.core.errors import EvaluationError, GraphError
from gradviz.core.evaluation import evaluate, evaluate_new_values
from gradviz.core.examples import list_examples, load_example
from gradviz.core.language import parse

PROGRAMS = [p for p in (load_example(e.name).program for e in list_examples()) if p]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(PROGRAMS), st.data())
def test_new_values_run_as_a_fresh_evaluation_does(program, data):
    graph = parse(program)
    first = evaluate(graph)
    changed = graph.copy()
    for node in graph.nodes():
        if node.is_leaf and data.draw(st.booleans()):
            changed.set_attrs(node.id, value=data.draw(st.floats(-3, 3).filter(bool)))
    try:
        expected = evaluate(changed)
    except EvaluationError as exc:  # log of a negative number, say: refused alike
        with pytest.raises(EvaluationError) as again:
            evaluate_new_values(first, changed)
        assert (again.value.node, str(again.value)) == (exc.node, str(exc))
        return
    got = evaluate_new_values(first, changed)
    assert got.graph is changed
    assert (got.output, got.order) == (expected.output, expected.order)
    assert got.values == expected.values and got.grads == expected.grads
    assert got.timeline.steps == expected.timeline.steps
    assert got.timeline.state(len(got.timeline)).values == \
        expected.timeline.state(len(expected.timeline)).values


def test_new_values_match_the_engine():
    graph = parse("a = 2\nb = 3\ne = (a + b) * (b + 1)\n")
    changed = graph.copy()
    changed.set_attrs("b", value=5.0)
    run = evaluate_new_values(evaluate(graph), changed)
    a, b = Value(2.0), Value(5.0)
    e = (a + b) * (b + 1)
    e.backward()
    assert run.value == e.data == 42
    assert (run.grads["a"], run.grads["b"]) == (a.grad, b.grad) == (6, 13)


@pytest.mark.parametrize("bad", [math.inf, math.nan, True, None])
def test_a_value_that_is_no_finite_number_is_refused_as_evaluate_refuses_it(bad):
    graph = parse("a = 2\nb = 3\ne = a * b\n")
    changed = graph.copy()
    changed.nx.nodes["b"]["value"] = bad  # what no command would write
    with pytest.raises(GraphError) as expected:
        evaluate(changed)
    with pytest.raises(GraphError) as got:
        evaluate_new_values(evaluate(graph), changed)
    assert (str(got.value), got.value.node) == (str(expected.value), expected.value.node)
