"""Recorded passes: the steps, their order and numbers, and the state at any index."""
import math

import pytest

from gradviz.core.engine import Value
from gradviz.core.errors import EvaluationError, GraphError
from gradviz.core.evaluation import evaluate
from gradviz.core.graph import Graph
from gradviz.core.steps import BackwardStep, ForwardStep, SeedStep
from gradviz.core.trace import graph_from_value

from .notebook_graph import notebook_graph


def test_notebook_run_values_and_gradients():
    run = evaluate(notebook_graph())
    assert run.value == 20
    assert run.values["c"] == 5 and run.values["d"] == 4
    assert run.input_grads() == {"a": 4, "b": 9}


def test_steps_follow_the_engine_order_with_fan_out_accumulation():
    steps = evaluate(notebook_graph()).timeline.steps
    assert [type(s) for s in steps[:4]] == [ForwardStep] * 3 + [SeedStep]
    assert [s.node for s in steps[:3]] == ["c", "d", "e"]
    edges = [(s.child, s.parent) for s in steps[4:]]
    assert edges == [("e", "c"), ("e", "d"), ("c", "a"), ("c", "b"), ("d", "b")]
    last = steps[-1]
    assert isinstance(last, BackwardStep)
    assert (last.upstream, last.local, last.contribution, last.before, last.after) == (5, 1, 5, 4, 9)
    assert steps[4].formula == "d" and steps[5].formula == "c"


def test_state_at_each_index():
    tl = evaluate(notebook_graph()).timeline
    start = tl.state(0)
    assert start.values == {"a": 2, "b": 3, "d:1": 1} and start.grads == {}
    assert tl.state(3).values["e"] == 20 and tl.state(3).grads == {}
    assert tl.state(4).grads == {"e": 1}
    mid = tl.state(8)
    assert mid.grads["b"] == 4 and mid.grad_terms["b"] == (4,)
    end = tl.state(tl.last)
    assert end.grads["b"] == 9 and end.grad_terms["b"] == (4, 5)
    assert ("b", "d", 0) in end.done_edges
    assert tl.state(-5).index == 0 and tl.state(999).index == tl.last


def test_node_granularity_groups_edges_by_child():
    tl = evaluate(notebook_graph()).timeline
    assert tl.stops("edge") == list(range(10))
    # forward ops one by one, the seed, then e's two edges, c's two edges, d's edge
    assert tl.stops("node") == [0, 1, 2, 3, 4, 6, 8, 9]


def test_a_times_a_records_two_edges_and_gives_2a():
    x = Value(3.0, label="x")
    run = evaluate(graph_from_value(x * x))
    back = [s for s in run.timeline.steps if isinstance(s, BackwardStep)]
    assert [(s.parent, s.port) for s in back] == [("x", 0), ("x", 1)]
    assert run.input_grads() == {"x": 6.0}


def test_overrides_and_unknown_override():
    run = evaluate(notebook_graph(), {"b": 5})
    assert run.value == 42 and run.input_grads() == {"a": 6, "b": 13}
    with pytest.raises(GraphError, match="no input named z"):
        evaluate(notebook_graph(), {"z": 1})


def test_evaluation_error_names_the_node():
    g = Graph()
    g.add_input("x", 0.0, id="x")
    g.add_op("log", "y", id="y")
    g.connect("x", "y", 0)
    with pytest.raises(EvaluationError) as info:
        evaluate(g)
    assert info.value.node == "y" and "positive" in str(info.value)


def test_unfinished_graph_is_refused_with_the_reason():
    g = Graph()
    g.add_input("x", 1.0, id="x")
    g.add_op("mul", "y", id="y")
    g.connect("x", "y", 0)
    with pytest.raises(GraphError, match="nothing connected to input 2"):
        evaluate(g)
    assert g.connection_problem("y", "x", 0).startswith("x is an input")
    assert "cycle" in (_cycle_problem() or "")


def _cycle_problem():
    g = Graph()
    g.add_input("x", 1.0, id="x")
    g.add_op("add", "p", id="p")
    g.add_op("add", "q", id="q")
    g.connect("p", "q", 0)
    return g.connection_problem("q", "p", 0)


def test_output_independent_of_an_input_gets_zero():
    g = notebook_graph()
    g.add_input("z", 7.0, id="z")
    run = evaluate(g)
    assert run.input_grads()["z"] == 0
    assert math.isclose(run.value, 20)
