"""Tracing Python-built values into graphs, and checking gradients three ways."""
import pytest

from gradviz.core.check import check_gradients
from gradviz.core.engine import Value
from gradviz.core.evaluation import evaluate
from gradviz.core.trace import graph_from_value

from .notebook_graph import notebook_graph


def test_trace_names_nodes_like_the_notebook():
    a, b = Value(2.0), Value(3.0)
    g = graph_from_value((a + b) * (b + 1))
    named = {n.label: n.kind for n in g.nodes() if n.kind != "const"}
    assert named == {"a": "input", "b": "input", "c": "op", "d": "op", "e": "op"}
    assert g.node(g.output).label == "e"
    assert evaluate(g).input_grads() == {"a": 4.0, "b": 9.0}


def test_trace_keeps_labels_and_evaluates_like_the_engine():
    x = Value(0.5, label="x")
    w = Value(-1.5, label="w")
    y = (x * w + 1).tanh()
    y.label = "y"
    y.backward()
    run = evaluate(graph_from_value(y))
    assert run.value == pytest.approx(y.data)
    assert run.input_grads() == pytest.approx({"x": x.grad, "w": w.grad})


def test_check_passes_on_the_notebook_and_reports_each_input():
    checks = check_gradients(notebook_graph())
    assert [c.input for c in checks] == ["a", "b"]
    assert all(c.ok for c in checks)
    assert checks[1].finite_difference == pytest.approx(9, rel=1e-6)


def test_check_uses_torch_when_installed():
    pytest.importorskip("torch")
    checks = check_gradients(notebook_graph())
    assert [c.torch for c in checks] == [4.0, 9.0]


def _one_op_graph(op_id: str):
    """``y = op(x)`` or ``y = op(x, w)`` at inputs where every op is defined and smooth."""
    from gradviz.core.graph import Graph
    from gradviz.core.ops import OPS

    g = Graph()
    for label, value in (("x", 1.5), ("w", 0.75))[:OPS[op_id].arity]:
        g.add_input(label, value, id=label)
    g.add_op(op_id, "y", id="y")
    for port, source in enumerate(("x", "w")[:OPS[op_id].arity]):
        g.connect(source, "y", port)
    g.output = "y"
    return g


def test_every_op_in_the_table_is_checked_against_pytorch():
    pytest.importorskip("torch")
    from gradviz.core.ops import OPS

    for op_id in OPS:
        checks = check_gradients(_one_op_graph(op_id))
        assert checks and all(c.ok and c.torch is not None for c in checks), op_id
        assert all(c.torch == pytest.approx(c.engine, rel=1e-12) for c in checks), op_id


def test_an_op_without_a_torch_counterpart_is_said_not_raised(monkeypatch):
    pytest.importorskip("torch")
    from gradviz.core import ops

    monkeypatch.setitem(ops.OPS, "sigmoid", ops.OPS["sigmoid"]._replace(torch=None))
    (check,) = check_gradients(_one_op_graph("sigmoid"))
    assert check.ok and check.torch is None  # finite differences still check it
    assert check.no_torch == "PyTorch has no counterpart for Sigmoid (sigmoid)"


def _checks(program: str):
    from gradviz.core.language import parse

    return check_gradients(parse(program), use_torch=False)


def test_relu_and_abs_at_zero_pass_with_the_corner_explained():
    (relu,) = _checks("a = 0\ne = relu(a)")
    assert relu.ok and relu.engine == 0
    assert "not differentiable here" in relu.note and "from the right" in relu.note
    (absolute,) = _checks("a = 0\ne = abs(a) * 3")
    assert absolute.ok and absolute.engine == 0


def test_tiny_inputs_get_a_step_smaller_than_themselves():
    (root,) = _checks("a = 1e-7\ne = sqrt(a)")
    assert root.ok and root.note == ""
    assert root.finite_difference == pytest.approx(root.engine, rel=1e-4)


def test_a_wrong_gradient_is_caught():
    from gradviz.core.check import Slopes, _compare

    _, ok, _ = _compare(3.0, Slopes(left=2.0, right=2.0, central=2.0))
    assert not ok
    _, ok, _ = _compare(5.0, Slopes(left=0.0, right=1.0, central=0.5))
    assert not ok  # outside the corner's left and right slopes


def test_a_small_wrong_gradient_is_caught_down_to_what_differences_resolve():
    """An output near 1 resolves slopes of about 1e-8: a gradient of 5e-6 where the
    slope is 1e-7 is a mismatch (a fixed tolerance of 1e-5 had called it ok), the right
    one agrees, and a gradient of 1e-52 still agrees with a difference of 0."""
    from gradviz.core.check import _compare, slopes
    from gradviz.core.evaluation import evaluate
    from gradviz.core.language import parse

    run = evaluate(parse("a = 1\ne = 0.0000001 * a + 1"))
    s = slopes(run, run.graph.by_label("a"))
    assert s.resolution < 1e-7
    assert _compare(1e-7, s)[1]
    assert not _compare(5e-6, s)[1]
    flat = slopes(evaluate(parse("a = 1\ne = 1e-52 * a + 1")), "a")
    assert flat.central == 0 and _compare(1e-52, flat)[1]


def test_log_near_zero_is_not_stepped_out_of_its_domain():
    (c,) = _checks("a = 0.0000001\ne = log(a) * 1")
    assert c.ok and c.finite_difference == pytest.approx(1e7, rel=1e-3)


def test_progress_is_told_before_each_input_and_can_stop_the_check():
    from gradviz.core.language import parse

    graph = parse("a = 1\nb = 2\nc = 3\ne = a * b + c")
    calls = []
    checks = check_gradients(graph, use_torch=False,
                             progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 3), (1, 3), (2, 3)]
    assert [c.input for c in checks] == ["a", "b", "c"]

    class Stop(Exception):
        pass

    def stop_at_second(done, total):
        if done == 1:
            raise Stop

    with pytest.raises(Stop):  # a cancelled caller's way out
        check_gradients(graph, use_torch=False, progress=stop_at_second)
