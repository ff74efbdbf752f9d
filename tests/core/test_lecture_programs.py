"""Lecture code pasted in verbatim: its graph, its gradients against finite differences and
PyTorch (`check_gradients`) and against the lecture's own engine (micrograd), its notes."""
from __future__ import annotations

import math

import pytest

from gradviz.core.check import check_gradients
from gradviz.core.evaluation import evaluate
from gradviz.core.language import parse, parse_program, to_text
from gradviz.core.program_edit import with_new_number
from tests.core import lecture_programs as lp


def checked(program: str):
    """The program's run, after every gradient agreed with finite differences (and
    PyTorch, where it is installed)."""
    p = parse_program(program)
    checks = check_gradients(p.graph)
    assert checks and all(c.ok for c in checks), checks
    try:
        import torch  # noqa: F401
    except ImportError:
        pass
    else:
        assert all(c.torch is not None for c in checks), checks
    return p, evaluate(p.graph)


def test_seed_usage_cell():
    p, ev = checked(lp.SEED_USAGE_CELL)
    assert ev.output == "e" and ev.value == 20
    assert ev.input_grads() == {"a": 4, "b": 9}  # the cell prints 4 and 9
    assert [(n.line, "print" in n.message) for n in p.notes] == [(12, True), (13, True)]


def test_seed_first_cell_with_its_class():
    p, ev = checked(lp.SEED_FIRST_CELL)
    assert ev.value == 20 and ev.input_grads() == {"a": 4, "b": 9}
    assert "class DiffScalar is not run" in p.notes[0].message and p.notes[0].line == 1


def test_seed_torch_cell():
    torch = pytest.importorskip("torch")
    p, ev = checked(lp.SEED_TORCH_CELL)
    a = torch.tensor(2.0, requires_grad=True, dtype=torch.double)
    b = torch.tensor(3.0, requires_grad=True, dtype=torch.double)
    e = (a + b) * (b + 1)
    e.backward()
    assert ev.value == e.item()
    assert ev.input_grads() == {"a": a.grad.item(), "b": b.grad.item()}


def test_karpathy_neuron_shows_his_labels_and_his_numbers():
    p, ev = checked(lp.KARPATHY_NEURON)
    labels = {n.label for n in p.graph.nodes()}
    assert {"x1", "x2", "w1", "w2", "b", "x1*w1", "x2*w2", "x1*w1 + x2*w2", "n",
            "o"} == labels
    assert ev.value == pytest.approx(0.7071067811865476, rel=1e-12)  # as in the lecture
    grads = ev.input_grads()
    assert grads["x1"] == pytest.approx(-1.5) and grads["w1"] == pytest.approx(1.0)
    assert grads["x2"] == pytest.approx(0.5) and grads["w2"] == pytest.approx(0.0)
    assert "draw_dot" in p.notes[-1].message
    assert parse(to_text(p.graph)).signature() == p.graph.signature()


def test_karpathy_manual_backprop_is_noted_not_run():
    p, ev = checked(lp.KARPATHY_MANUAL_BACKPROP)
    assert ev.input_grads()["x1"] == pytest.approx(-1.5)
    notes = [n.message for n in p.notes]
    assert sum("gradviz runs the backward pass itself" in m for m in notes) == 1
    assert sum("_backward() is not run" in m for m in notes) == 6


def test_karpathy_first_example():
    p, ev = checked(lp.KARPATHY_FIRST)
    assert ev.output == "L" and ev.value == -8.0
    assert ev.input_grads() == {"a": 6.0, "b": -4.0, "c": -2.0, "f": 4.0}
    assert {n.label for n in p.graph.nodes()} == {"a", "b", "c", "e", "d", "f", "L"}


def _micrograd():
    return pytest.importorskip("micrograd.engine")


def test_micrograd_sanity_check_as_written():
    p, ev = checked(lp.MICROGRAD_SANITY_CHECK)
    labels = {n.id: n.label for n in p.graph.nodes()}
    assert labels["x"] == "x (xmg)" and labels[ev.output] == "y (ymg)"
    Value = _micrograd().Value
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    assert ev.value == y.data and ev.input_grads() == {"x (xmg)": x.grad}


def test_micrograd_more_ops_as_written():
    p, ev = checked(lp.MICROGRAD_MORE_OPS)
    Value = _micrograd().Value
    a = Value(-4.0)
    b = Value(2.0)
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
    assert ev.value == pytest.approx(g.data, rel=1e-12)
    grads = ev.input_grads()
    assert grads["a (amg)"] == pytest.approx(a.grad, rel=1e-12)
    assert grads["b (bmg)"] == pytest.approx(b.grad, rel=1e-12)
    assert p.graph.node(ev.output).label == "g₁ (gmg)"


def test_def_neuron_called_twice_is_two_groups():
    p, ev = checked(lp.DEF_NEURON)
    groups = p.graph.groups()
    assert [g.name for g in groups] == ["neuron 1", "neuron 2"]
    labels = {n.label for n in p.graph.nodes()}
    assert {"h1", "h2", "n", "n₁", "loss"} <= labels  # each call's n is a version
    h1 = math.tanh(2.0 * -0.5 + -1.0 * 0.25 + 0.1)
    h2 = math.tanh(h1 * 0.25 + 2.0 * -0.5)
    assert ev.value == pytest.approx((h2 - 0.5) ** 2, rel=1e-12)
    by_group = {g.name: {p.graph.node(n).label for n in g.nodes} for g in groups}
    assert "h1" in by_group["neuron 1"] and "h2" in by_group["neuron 2"]


def test_nested_calls_make_nested_groups():
    g = parse("def lin(x, w):\n    return x * w\n"
              "def layer(x):\n    return lin(x, 2.0) + lin(x, 3.0)\n"
              "a = 1.0\nout = layer(a).tanh()\n")
    groups = {gr.name: gr for gr in g.groups()}
    assert set(groups) == {"layer 1", "lin 1", "lin 2"}
    assert groups["lin 1"].parent == groups["layer 1"].id
    assert evaluate(g).value == pytest.approx(math.tanh(5.0))


def test_for_loop_unrolled():
    p, ev = checked(lp.FOR_LOOP)
    y = 0.5
    for i in range(4):
        y = math.tanh(y * 1.5 + i)
    assert ev.value == pytest.approx(y, rel=1e-12)
    assert [n.label for n in p.graph.nodes() if n.label.startswith("y") and not n.auto] \
        == ["y₁", "y₂", "y₃", "y₄"]
    # Their parts are lettered, never numbered as the versions are: y_a, not y_1.
    assert [n.label for n in p.graph.nodes() if n.auto][:3] == ["y_a", "y_b", "y_c"]


def test_neuron_written_with_lists_zip_and_sum():
    p, ev = checked(lp.LIST_NEURON)
    assert ev.value == pytest.approx(0.7071067811865476, rel=1e-12)
    grads = ev.input_grads()
    assert grads["ws[0]"] == pytest.approx(1.0) and grads["ws[1]"] == pytest.approx(0.0)
    assert grads["b"] == pytest.approx(0.5)


def test_list_comprehension_indexing_and_len():
    ev = evaluate(parse("xs = [Value(1.0), Value(2.0), Value(3.0)]\n"
                        "sq = [x * x for x in xs]\n"
                        "total = sq[0]\nfor i in range(1, len(sq)):\n"
                        "    total = total + sq[i] * xs[-1]\n"))
    assert ev.value == 1 + (4 + 9) * 3
    assert ev.input_grads() == {"xs[0]": 2.0, "xs[1]": 12.0, "xs[2]": 2 ** 2 + 3 * 3 ** 2}


def test_constructors_make_inputs_or_constants():
    g = parse("import torch\na = DiffScalar(2.0)\nb = torch.tensor(3.0)\n"
              "c = DiffScalar(4.0, requires_grad=True)\nd = torch.tensor(5.0, requires_grad=True)\n"
              "v = Value(6.0)\nn = 7\nout = a * b * c * d * v * n")
    assert {x.label: x.value for x in g.inputs()} == {"c": 4, "d": 5, "v": 6, "n": 7}
    assert sorted(x.value for x in g.nodes() if x.kind == "const") == [2, 3]


def test_aliases_and_tuple_assignment():
    g = parse("a = 2\nb = 3\nx, y = a, b\nc = x * y\nc2 = c\nc = c + 1\n")
    labels = {n.label for n in g.nodes()}
    assert {"a (x)", "b (y)", "c (c2)", "c₁"} <= labels
    assert g.output == "c₁" and evaluate(g).value == 7
    g = parse("a = 2\nb = 3\na, b = b, a\ne = a - b")  # a swap, as Python does it
    assert evaluate(g).value == 1


def test_set_gives_missing_names_a_value():
    g = parse("e = (a + b) * (b + 1)", {"a": 2, "b": 3})
    ev = evaluate(g)
    assert ev.value == 20 and ev.input_grads() == {"a": 4, "b": 9}


def test_a_million_step_loop_is_refused_before_building():
    with pytest.raises(Exception) as info:
        parse("x = Value(0.5)\nfor i in range(10**6):\n    x = x * 1.0001\n")
    err = info.value
    assert (err.line, err.col) == (2, 1) and "nothing was built" in err.message


def test_exponential_calls_are_refused_before_building():
    src = "def f0(x):\n    return x * 2\n" + "".join(
        f"def f{k}(x):\n    return f{k - 1}(x) + f{k - 1}(x)\n" for k in range(1, 30))
    with pytest.raises(Exception) as info:
        parse(src + "a = 1\ny = f29(a)\n")
    assert "this call would make about" in info.value.message


def test_deeply_nested_calls_are_refused():
    src = "def f0(x):\n    return x * 2\n" + "".join(
        f"def f{k}(x):\n    return f{k - 1}(x)\n" for k in range(1, 100))
    with pytest.raises(Exception) as info:
        parse(src + "a = 1\ny = f99(a)\n")
    assert "calls nest more than" in info.value.message


def test_numbers_a_loop_computes_are_numbers():
    g = parse("xs = [Value(0.5 * k + 1) for k in range(3)]\nout = xs[0] + xs[1] * xs[2]\n")
    assert [n.value for n in g.inputs()] == [1.0, 1.5, 2.0]
    assert evaluate(g).value == 4.0
    g = parse("a = 2 * 3\nb = Value(1.0)\nout = a * b")  # numbers written out stay nodes
    assert g.node("a").kind == "op"


def test_a_loop_under_the_budget_is_built():
    g = parse("x = Value(0.5)\nfor i in range(16000):\n    x = (x * 0.5 + i).tanh()\n")
    assert len(g) == 1 + 16000 * 5  # two operations with a constant each, and tanh


def test_a_print_in_a_loop_is_noted_once():
    p = parse_program("x = Value(1.0)\nfor i in range(3):\n    x = x * 2\n    print(x.data)\n")
    assert [(n.line, n.col) for n in p.notes] == [(4, 5)]


def test_a_default_value_is_one_input_shared_by_every_call():
    text = "def f(x, b=Value(0.5)):\n    return x * b\na = Value(2.0)\nout = f(a) + f(a * 3)\n"
    g = parse(text)
    assert [n.label for n in g.inputs()] == ["b", "a"]
    ev = evaluate(g)
    assert ev.value == 4.0 and ev.input_grads() == {"b": 8.0, "a": 2.0}
    assert with_new_number(text, "b", 1.5) == text.replace("0.5", "1.5")  # one literal, one input


def test_karpathy_torch_neuron():
    torch = pytest.importorskip("torch")
    p, ev = checked(lp.KARPATHY_TORCH)
    xs = {k: torch.tensor([v], dtype=torch.double, requires_grad=True)
          for k, v in dict(x1=2.0, x2=0.0, w1=-3.0, w2=1.0, b=6.8813735870195432).items()}
    o = torch.tanh(xs["x1"] * xs["w1"] + xs["x2"] * xs["w2"] + xs["b"])
    o.backward()
    assert ev.value == pytest.approx(o.item(), rel=1e-15)
    for k, t in xs.items():
        assert ev.input_grads()[k] == pytest.approx(t.grad.item(), rel=1e-12, abs=1e-15)
    assert len(p.notes) == 6  # the prints


def test_micrograd_sanity_check_with_its_torch_half():
    torch = pytest.importorskip("torch")
    p, ev = checked(lp.MICROGRAD_SANITY_CHECK_BOTH_HALVES)
    x = torch.tensor([-4.0], dtype=torch.double, requires_grad=True)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    labels = {n.id: n.label for n in p.graph.nodes()}
    assert labels[ev.output] == "y₁ (ypt)" and ev.value == y.item()
    # the last backward() is the output's: the micrograd half's x does not reach it
    assert ev.input_grads() == {"x (xmg)": 0, "x₁ (xpt)": x.grad.item()}


def test_micrograd_more_ops_whole_test_with_its_asserts():
    p, ev = checked(lp.MICROGRAD_MORE_OPS_WHOLE)
    grads = ev.input_grads()  # the output is the PyTorch half's g
    assert grads["a₁ (apt)"] == pytest.approx(138.83381924198252, rel=1e-12)
    assert grads["b₁ (bpt)"] == pytest.approx(645.5772594752186, rel=1e-12)
    assert [n.line for n in p.notes if "assert" in n.message] == [38, 40, 41]


def test_the_readme_programs_section_examples_read_and_check():
    import re
    import textwrap
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Programs"):readme.index("## The Python API")]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 2
    for block in blocks:
        checked(textwrap.dedent(block))
