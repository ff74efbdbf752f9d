"""micrograd's own Value objects read as graphs: drawn as micrograd built them, with the
values and gradients micrograd computed (gradviz's engine must agree).

The lecture's code is written as in the lecture, semicolons included."""
# ruff: noqa: E702
import math
import sys

import pytest

from gradviz.core.evaluation import evaluate
from gradviz.core.foreign import graph_from_foreign, read_foreign, recorded_groups
from gradviz.core.trace import graph_of
from tests.core import lecture_value as lecture

micrograd = pytest.importorskip("micrograd.engine")
nn = pytest.importorskip("micrograd.nn")
MG = micrograd.Value


def _run(root):
    """The graph of ``root``, its run, and micrograd's leaf of each input node."""
    graph, leaves = read_foreign(root)
    return graph, evaluate(graph), leaves


def _assert_same_numbers(root, tol=1e-9):
    """gradviz's forward value and every leaf's gradient are micrograd's."""
    graph, run, leaves = _run(root)
    assert math.isclose(run.value, root.data, rel_tol=tol, abs_tol=tol)
    assert leaves, "the graph has inputs"
    for node_id, leaf in leaves.items():
        assert math.isclose(run.grads[node_id], leaf.grad, rel_tol=tol, abs_tol=tol), \
            graph.node(node_id).label
    return graph, run


def karpathy_neuron():
    x1 = lecture.Value(2.0, label='x1')
    x2 = lecture.Value(0.0, label='x2')
    w1 = lecture.Value(-3.0, label='w1')
    w2 = lecture.Value(1.0, label='w2')
    b = lecture.Value(6.8813735870195432, label='b')
    x1w1 = x1*w1; x1w1.label = 'x1*w1'
    x2w2 = x2*w2; x2w2.label = 'x2*w2'
    x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = 'x1*w1 + x2*w2'
    n = x1w1x2w2 + b; n.label = 'n'
    o = n.tanh(); o.label = 'o'
    o.backward()
    return o


def test_karpathys_neuron_has_his_labels_and_his_gradients():
    o = karpathy_neuron()
    graph, run = _assert_same_numbers(o)
    grads = run.input_grads()
    assert grads == pytest.approx({"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5})
    labels = {n.label for n in graph.nodes()}
    assert {"x1*w1", "x2*w2", "x1*w1 + x2*w2", "n", "o"} <= labels
    assert graph.node(graph.output).label == "o"
    assert graph.node(graph.output).op == "tanh"
    assert run.value == pytest.approx(0.7071067811865476)


def test_micrograd_sanity_check_drawn_with_micrograds_gradients():
    # micrograd test/test_engine.py test_sanity_check, its micrograd half as written
    x = MG(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    xmg, ymg = x, y

    graph, run = _assert_same_numbers(ymg, tol=0)
    x_node = next(n for n, leaf in read_foreign(ymg)[1].items() if leaf is xmg)
    assert run.grads[x_node] == xmg.grad == 46.0


def test_micrograd_more_ops_drawn_with_micrograds_gradients():
    # micrograd test/test_engine.py test_more_ops, its micrograd half as written
    a = MG(-4.0)
    b = MG(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    amg, bmg, gmg = a, b, g

    graph, run = _assert_same_numbers(gmg, tol=1e-6)
    assert {n.op for n in graph.nodes() if n.kind == "op"} == {"add", "mul", "pow", "relu"}
    assert abs(amg.grad - 138.83381924198252) < 1e-6  # micrograd's and PyTorch's numbers
    assert abs(bmg.grad - 645.5772594752186) < 1e-6


def test_a_minus_b_is_drawn_as_micrograd_builds_it():
    a, b = MG(5.0), MG(3.0)
    graph = graph_from_foreign(a - b)
    ops = sorted(n.op for n in graph.nodes() if n.kind == "op")
    assert ops == ["add", "mul"]  # a + b * (-1), no subtraction
    minus_one = [n for n in graph.inputs() if n.value == -1]
    assert len(minus_one) == 1  # micrograd's -1 is a leaf Value, so it has a gradient
    assert evaluate(graph).value == 2.0


def test_a_times_a_feeds_both_ports_and_a_power_takes_its_exponent_from_op():
    a = MG(3.0)
    graph = graph_from_foreign(a * a + a**2)
    run = evaluate(graph)
    (a_node,) = graph.inputs()
    assert run.value == 18.0 and run.grads[a_node.id] == 12.0
    pow_node = next(n for n in graph.nodes() if n.op == "pow")
    exponent = graph.node(graph.operands(pow_node.id)[1])
    assert (exponent.kind, exponent.value) == ("const", 2)
    mul_node = next(n for n in graph.nodes() if n.op == "mul")
    assert graph.operands(mul_node.id) == [a_node.id, a_node.id]


def test_an_mlp_output_is_drawn_with_every_parameter_and_its_gradient():
    model = nn.MLP(2, [2, 1])
    out = model([1.5, -0.5])
    out.backward()
    graph, run = _assert_same_numbers(out)
    leaves = read_foreign(out)[1]
    params = {id(p) for p in model.parameters()}
    assert params <= {id(v) for v in leaves.values()}  # every weight and bias is drawn
    assert len(graph.groups()) == 0


def test_an_unknown_operation_is_recorded_with_micrograds_value_and_derivative():
    x = lecture.Value(0.3, label='x')
    w = lecture.Value(-2.0, label='w')
    s = (x * w).softplus(); s.label = 's'
    out = s * x; out.label = 'out'
    out.backward()
    before = {v.label: v.grad for v in (x, w, s)}
    graph, run = _assert_same_numbers(out, tol=1e-12)
    assert {v.label: v.grad for v in (x, w, s)} == before  # reading left micrograd's alone
    (group_id,) = recorded_groups(graph)
    assert graph.group(group_id).name == "softplus (recorded)"
    s_node = graph.by_label("s")
    assert graph.group_path(s_node) == (group_id,)
    assert run.values[s_node] == s.data  # exactly micrograd's value
    assert run.grads[s_node] == pytest.approx(s.grad)


def test_a_known_op_name_with_another_meaning_is_recorded_not_trusted():
    x = lecture.Value(0.5, label='x')
    y = x.tanh()
    y.data = 0.9  # another library's "tanh" that is not tanh
    y.label = 'y'
    graph = graph_from_foreign(y)
    assert recorded_groups(graph)
    assert evaluate(graph).value == 0.9


def test_a_deep_micrograd_graph_is_read_without_recursion():
    x = MG(1.0)
    y = x
    for _ in range(2_500):
        y = y * 1.0 + 0.0  # two ops and two constant leaves a step: 10,001 values
    assert sys.getrecursionlimit() < 10_000
    graph, leaves = read_foreign(y)
    x_node = next(n for n, leaf in leaves.items() if leaf is x)
    assert len(graph) == 10_001
    run = evaluate(graph)
    assert run.value == 1.0 and run.grads[x_node] == 1.0


def test_other_things_are_refused_naming_both_kinds_of_value():
    with pytest.raises(TypeError, match=r"^draw\(\) takes a gradviz or micrograd Value or "
                                        r"a Graph, not int$"):
        graph_of(3, "draw")
    bad = MG(1.0)
    bad.data = "one"
    with pytest.raises(TypeError, match="data should be a number, not str"):
        graph_from_foreign(bad * 2)


class _Ordered:
    """A look-alike that keeps its operands in order, in a tuple, and names `-` itself."""

    def __init__(self, data, prev=(), op=''):
        self.data, self.grad, self._prev, self._op = data, 0, prev, op

    def __sub__(self, other):
        return _Ordered(self.data - other.data, (self, other), '-')


def test_a_look_alike_with_ordered_operands_keeps_their_order():
    a, b = _Ordered(5.0), _Ordered(5.0)  # equal: the value alone could not tell the order
    a.label, b.label = "a", "b"
    graph = graph_from_foreign(b - a)
    assert not recorded_groups(graph)
    sub = next(n for n in graph.nodes() if n.op == "sub")
    assert [graph.node(p).label for p in graph.operands(sub.id)] == ["b", "a"]
    assert evaluate(graph).input_grads() == {"b": 1.0, "a": -1.0}
