"""Recorded passes: the steps, their order and numbers, and the state at any index."""
import math
import random
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradviz.core import steps
from gradviz.core.engine import Value
from gradviz.core.errors import EvaluationError, GraphError
from gradviz.core.evaluation import evaluate
from gradviz.core.examples import load_example
from gradviz.core.graph import Graph
from gradviz.core.language import parse
from gradviz.core.steps import BackwardStep, ForwardStep, SeedStep, Timeline
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


# --- states from checkpoints equal the plain replay ---------------------------------------
def replayed(timeline: Timeline, index: int) -> tuple:
    """The state at ``index`` replayed from the start, step by step: what ``state`` must give."""
    values, grads = dict(timeline.leaf_values), {}
    terms: dict[str, tuple[float, ...]] = {}
    done = set()
    for s in timeline.steps[:index]:
        if isinstance(s, ForwardStep):
            values[s.node] = s.value
        elif isinstance(s, SeedStep):
            grads[s.node] = s.grad
        else:
            grads[s.parent] = s.after
            terms[s.parent] = terms.get(s.parent, ()) + (s.contribution,)
            done.add(s.edge)
    current = timeline.steps[index - 1] if index else None
    return index, values, grads, current, done, terms


def seen(state: steps.State) -> tuple:
    return (state.index, dict(state.values), dict(state.grads), state.current,
            set(state.done_edges), dict(state.grad_terms))


def neurons(count: int, seed: int = 0) -> str:
    """A chain of tanh neurons, eight nodes each, every weight and bias an input."""
    rng = random.Random(seed)
    lines, earlier = ["x0 = 0.5", "x1 = -1.5", "x2 = 2.0"], ["x0", "x1", "x2"]
    for i in range(count):
        lines += [f"w{i} = {rng.uniform(-1, 1):.2f}", f"u{i} = {rng.uniform(-1, 1):.2f}",
                  f"b{i} = {rng.uniform(-0.5, 0.5):.2f}"]
        skip = earlier[-rng.randint(2, min(4, len(earlier)))]
        lines.append(f"h{i} = tanh(w{i} * {earlier[-1]} + u{i} * {skip} + b{i})")
        earlier.append(f"h{i}")
    lines.append(f"loss = ({earlier[-1]} - 1) ** 2")
    return "\n".join(lines) + "\n"


RUNS = {"notebook": lambda: load_example("notebook").graph,
        "micrograd_more_ops": lambda: load_example("micrograd_more_ops").graph,
        "mlp_2_2_1": lambda: load_example("mlp_2_2_1").graph,
        "neurons_1000": lambda: parse(neurons(125))}


@cache
def recorded(name: str) -> Timeline:
    return evaluate(RUNS[name]()).timeline


def fresh(name: str) -> Timeline:
    """A new timeline of the run's steps: nothing asked for yet, nothing kept."""
    t = recorded(name)
    return Timeline(t.steps, t.leaf_values, t.output)


def test_the_generated_run_is_big_enough_to_use_many_checkpoints():
    t = recorded("neurons_1000")
    assert len(parse(neurons(125))) >= 1000
    assert len(t) > 6 * steps.CHECKPOINT_SPACING


@pytest.mark.parametrize(("name", "order"), [
    *((name, order) for name in ("notebook", "micrograd_more_ops", "mlp_2_2_1")
      for order in ("forward", "backward", "shuffled")),
    ("neurons_1000", "shuffled")])
def test_every_state_equals_the_plain_replay(name, order):
    t = fresh(name)
    indices = list(range(-1, len(t) + 2))
    if order == "backward":
        indices.reverse()
    elif order == "shuffled":
        random.Random(len(t)).shuffle(indices)
    for k in indices:
        assert seen(t.state(k)) == replayed(t, max(0, min(k, len(t)))), k


@pytest.mark.parametrize("spacing", [1, 2, 5])
@pytest.mark.parametrize("name", ["notebook", "micrograd_more_ops", "mlp_2_2_1"])
def test_small_runs_with_checkpoints_a_few_steps_apart(monkeypatch, name, spacing):
    monkeypatch.setattr(steps, "CHECKPOINT_SPACING", spacing)
    t = fresh(name)
    for k in [*range(len(t), -1, -1), *range(len(t) + 1)]:
        assert seen(t.state(k)) == replayed(t, k), k


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(RUNS)), st.data())
def test_states_in_any_order_equal_the_plain_replay(name, data):
    t = fresh(name)
    indices = data.draw(st.lists(st.integers(-2, len(t) + 2), min_size=1, max_size=40))
    for k in indices:
        assert seen(t.state(k)) == replayed(t, max(0, min(k, len(t)))), k


@pytest.mark.parametrize("name", RUNS)
def test_a_caller_cannot_change_a_state_nor_so_a_later_one(name):
    t = fresh(name)
    middle = t.state(len(t) // 2)
    for mapping in (middle.values, middle.grads, middle.grad_terms):
        with pytest.raises(TypeError):
            mapping["a"] = 99.0
        with pytest.raises((TypeError, AttributeError)):
            mapping.clear()
    with pytest.raises(AttributeError):
        middle.done_edges.add(("a", "b", 0))
    # what a caller may do with the numbers it was given: copy them and change the copy
    dict(middle.values).clear()
    middle.grads.copy().clear()
    for k in (len(t) // 2, len(t) // 2 + 1, len(t)):
        assert seen(t.state(k)) == replayed(t, k)



def test_a_value_feeding_many_nodes_collects_its_terms_in_order_however_it_is_reached():
    # 600 terms for x, across several checkpoints; each once, in the order they came.
    lines = ["x = 0.5", "s0 = tanh(x)"] + [f"s{i} = s{i - 1} + tanh(x * {i})"
                                          for i in range(1, 600)]
    run = evaluate(parse("\n".join(lines)))
    timeline, x = run.timeline, run.graph.by_label("x")
    end = len(timeline)
    expected = replayed(timeline, end)
    assert len(expected[5][x]) == 600
    assert seen(timeline.state(end)) == expected  # a jump from the start
    middle = end - 700
    assert seen(Timeline(timeline.steps, timeline.leaf_values, timeline.output).state(middle)) \
        == replayed(timeline, middle)
    fresh = Timeline(timeline.steps, timeline.leaf_values, timeline.output)
    for i in range(middle, end + 1):  # step by step from the middle
        state = fresh.state(i)
    assert seen(state) == expected
