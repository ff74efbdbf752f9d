"""The engine as a user drives it: gradients, the backward pass's order and recorder,
constants, labels, repeated and very deep passes."""
import math
import random

import pytest

from gradviz import Value
from gradviz.core.errors import EvaluationError


def test_the_notebook_expression():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    e = (a + b) * (b + 1)
    e.backward()
    assert (e.data, e.grad, a.grad, b.grad) == (20, 1, 4, 9)


def test_a_times_a_gives_2a():
    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6


def test_a_value_used_many_times_accumulates():
    a = Value(1.5)
    y = a * a * a + a.tanh() * a - a / a
    y.backward()
    t = math.tanh(1.5)
    assert a.grad == pytest.approx(3 * 1.5**2 + (1 - t * t) * 1.5 + t)


def test_backward_twice_gives_the_same_gradients():
    a, b = Value(2.0), Value(-0.5)
    y = (a * b + b.exp()).tanh() * a
    y.backward()
    first = (a.grad, b.grad)
    y.backward()
    assert (a.grad, b.grad) == first


def test_backward_from_an_inner_value_resets_what_it_reaches():
    a = Value(2.0)
    c = a * 3
    e = c * c
    e.backward()
    assert a.grad == 36
    c.backward()
    assert a.grad == 3


def test_constants_get_no_gradient():
    a = Value(2.0)
    y = a * 5 + 1
    y.backward()
    five, one = y._prev[0]._prev[1], y._prev[1]
    assert (five.data, one.data) == (5, 1)
    assert not five.requires_grad and five.grad == 0 and one.grad == 0
    assert Value.constant(4.0).requires_grad is False


def test_a_value_that_does_not_require_grad_is_left_alone():
    a = Value(2.0)
    frozen = Value(3.0, requires_grad=False)
    y = a * frozen + frozen
    y.backward()
    assert a.grad == 3 and frozen.grad == 0


def test_labels_are_kept_and_shown():
    a = Value(2.0, label="a")
    c = a + 1
    c.label = "c"
    assert (a.label, c.label) == ("a", "c")
    assert repr(c) == "Value(c: data=3.0, grad=0)"
    assert repr(Value(1.0)) == "Value(data=1.0, grad=0)"


def test_inputs_are_kept_in_order_with_their_op():
    a, b = Value(2.0), Value(3.0)
    d = a - b
    assert d._prev == (a, b) and d._op.id == "sub"
    assert (2 - a)._prev[1] is a  # a number on the left stays on the left


def test_a_million_node_chain_needs_no_recursion():
    a = Value(1.0)
    v = a
    for _ in range(999_999):
        v = v + a  # a million values, each one deeper than the last
    v.backward()
    assert v.data == 1_000_000 and a.grad == 1_000_000


def test_topological_order_puts_every_value_after_its_inputs():
    a, b = Value(2.0), Value(3.0)
    c = a + b
    d = b + 1
    e = c * d
    order = e.topological_order()
    assert order[-1] is e
    place = {v: i for i, v in enumerate(order)}
    for v in order:
        assert all(place[p] < place[v] for p in v._prev)
    assert len(order) == 6  # a, b, c, 1, d, e: b once although used twice


def _record(root: Value) -> list[tuple]:
    edges = []
    root.backward(recorder=lambda *edge: edges.append(edge))
    return edges


def test_recorder_sees_each_edge_in_the_engine_order():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    c = a + b
    c.label = "c"
    d = b + 1
    d.label = "d"
    e = c * d
    e.label = "e"
    edges = _record(e)
    assert [(ch.label, port, p.label) for ch, port, p, *_ in edges] == [
        ("e", 0, "c"), ("e", 1, "d"), ("c", 0, "a"), ("c", 1, "b"), ("d", 0, "b")]
    # (local, upstream, before, after) of each edge; b's two contributions add up to 9
    assert [tuple(edge[3:]) for edge in edges] == [
        (4, 1, 0, 4), (5, 1, 0, 5), (1, 4, 0, 4), (1, 4, 0, 4), (1, 5, 4, 9)]


def test_recorder_skips_edges_into_constants():
    a = Value(2.0, label="a")
    edges = _record(a * 3)
    assert [(port, p.label) for _, port, p, *_ in edges] == [(0, "a")]


MAKERS = (lambda x, y: x + y, lambda x, y: x * y, lambda x, y: x - y,
          lambda x, y: x / (y * y + 1), lambda x, y: (x * x + 1) ** 0.5,
          lambda x, y: x.tanh(), lambda x, y: x.sigmoid(), lambda x, y: x.relu() + 0.5 * y,
          lambda x, y: abs(x) * 2, lambda x, y: (x * 0.1).exp())


def _random_expression(rng: random.Random, leaves: list[Value], size: int) -> Value:
    pool = list(leaves)
    for _ in range(size):
        pool.append(rng.choice(MAKERS)(rng.choice(pool), rng.choice(pool)))
    return pool[-1]


@pytest.mark.parametrize("seed", range(5))
def test_recorded_and_unrecorded_passes_give_the_same_gradients(seed):
    """The recorder path is what the screen shows; it must be the engine's real result."""
    rng = random.Random(seed)
    leaves = [Value(rng.uniform(-2, 2)) for _ in range(4)]
    root = _random_expression(rng, leaves, 40)
    root.backward()
    plain = [v.grad for v in leaves]
    edges = _record(root)
    assert [v.grad for v in leaves] == plain
    assert all(after == before + local * up for _, _, _, local, up, before, after in edges)


def test_an_error_in_the_backward_pass_names_the_op():
    x = Value(0.0)
    y = (x ** 0.5) * 2
    with pytest.raises(EvaluationError) as caught:
        y.backward()
    assert caught.value.op == "pow" and caught.value.inputs == (0.0, 0.5)
