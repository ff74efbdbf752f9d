"""The program language: what it builds, what it computes, and what it refuses (and where)."""
from __future__ import annotations

import math
import os

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gradviz.core.errors import EvaluationError, ProgramError
from gradviz.core.evaluation import evaluate
from gradviz.core.examples import load_example
from gradviz.core.language import parse

NOTEBOOK = "a = 2\nb = 3\ne = (a + b) * (b + 1)\n"


def refused(text: str, overrides=None) -> ProgramError:
    with pytest.raises(ProgramError) as info:
        parse(text, overrides)
    return info.value


# --- what a program builds -------------------------------------------------------------
def test_notebook_expression_names_intermediates_and_computes_the_notebook_numbers():
    g = parse(NOTEBOOK)
    labels = {n.id: (n.kind, n.label, n.auto) for n in g.nodes()}
    assert labels["c"] == ("op", "c", True) and labels["d"] == ("op", "d", True)
    assert labels["e"] == ("op", "e", False) and labels["d:1"] == ("const", "1", False)
    assert g.operands("c") == ["a", "b"] and g.operands("d") == ["b", "d:1"]
    ev = evaluate(g)
    assert ev.value == 20 and ev.input_grads() == {"a": 4, "b": 9}


def test_square_is_two_parallel_edges_from_one_node():
    g = parse("a = 3; e = a * a")
    assert sorted(g.edges()) == [("a", "e", 0), ("a", "e", 1)]
    assert evaluate(g).input_grads() == {"a": 6}


def test_inputs_from_literals_value_and_diffscalar():
    g = parse("a = -2\nb = Value(2.5)\nc = Value(-4.0, label='c')\n"
              "d = DiffScalar(2, requires_grad=True)\ne = +3\nf = a + b + c + d + e")
    assert {n.label: n.value for n in g.inputs()} == {"a": -2, "b": 2.5, "c": -4, "d": 2, "e": 3}
    assert evaluate(g).value == 1.5


def test_reassignment_makes_versions_and_reads_the_previous_one():
    g = parse("a = 1\nc = a + 1\nc = c * 3\nc += 1\nc **= 2")
    assert [n.label for n in g.nodes() if n.kind == "op"] == ["c", "c₁", "c₂", "c₃"]
    assert g.operands("c₁")[0] == "c" and g.output == "c₃"
    assert evaluate(g).value == 49  # ((1 + 1) * 3 + 1) ** 2


def test_functions_methods_unary_plus_and_negation():
    g = parse("x = 0.5\ny = tanh(x) + x.exp() + abs(-x) + (+x).relu() + sigmoid(x) ** 2")
    expected = (math.tanh(0.5) + math.exp(0.5) + 0.5 + 0.5 + (1 / (1 + math.exp(-0.5))) ** 2)
    assert evaluate(g).value == pytest.approx(expected)
    ops = sorted(n.op for n in g.nodes() if n.kind == "op")
    assert ops == sorted(["tanh", "exp", "abs", "neg", "relu", "sigmoid", "pow",
                          "add", "add", "add", "add"])


def test_negative_literal_in_an_expression_is_one_constant():
    g = parse("a = 2; e = a * -3")
    assert [(n.kind, n.value) for n in g.nodes() if n.kind == "const"] == [("const", -3)]


def test_constant_ids_follow_their_consumer():
    g = parse("a = 2; e = 1 + a * 2")
    assert {n.id for n in g.nodes() if n.kind == "const"} == {"b:1", "e:0"}  # b = a * 2 is auto-named


def test_auto_names_skip_every_name_the_program_uses():
    g = parse("c = 1\nd = 2\nx = (c + d) * (d + 1)\nf = x * 1")
    assert g.operands("x") == ["e", "g"]  # after the inputs' letters; f is taken


def test_output_is_the_last_assignment_or_backward_or_final_expression():
    assert parse("a = 1; b = a + 1; c = a * 2").output == "c"
    assert parse("a = 1; b = a + 1; b.backward()").output == "b"
    g = parse("a = 1; b = a + 1\na * b")
    assert g.output == "c" and g.node("c").auto


def test_comments_semicolons_and_blank_lines():
    g = parse("# the notebook\n\na = 2 ; b = 3  # inputs\n\ne = (a + b) * (b + 1)  # out\n")
    assert evaluate(g).value == 20


def test_overrides_set_inputs_by_name():
    g = parse("a = 0; b = 0; e = (a + b) * (b + 1)", {"a": 2, "b": 3})
    assert evaluate(g).value == 20


def test_override_naming_no_input_is_refused():
    err = refused(NOTEBOOK, {"z": 1})
    assert "no input named z" in err.message and "a, b" in err.message
    assert "no input named e" in refused(NOTEBOOK, {"e": 1}).message
    assert "not a finite number" in refused(NOTEBOOK, {"a": math.nan}).message


def test_five_thousand_statements():
    lines = ["x = 0.5"] + ["x *= 1.0001" if i % 2 else "x += 0.001" for i in range(5000)]
    g = parse("\n".join(lines))
    assert g.output == "x₅₀₀₀" and len(g) == 1 + 5000 * 2
    ev = evaluate(g)
    expected = 0.5
    for i in range(5000):
        expected = expected * 1.0001 if i % 2 else expected + 0.001
    assert ev.value == pytest.approx(expected, rel=1e-12)
    assert ev.input_grads()["x"] == pytest.approx(1.0001 ** 2500, rel=1e-12)


def test_long_expression_on_one_line():
    g = parse("a = 1\ne = " + " + ".join(["a"] * 2000))
    assert evaluate(g).input_grads() == {"a": 2000}


@pytest.mark.parametrize("text", [
    "e = " + "(" * 10000 + "1" + ")" * 10000,
    "a = 1\ne = " + "-" * 100000 + "a",
    "a = 1\ne = " + "tanh(" * 300 + "a" + ")" * 300,
])
def test_nesting_beyond_pythons_parser_is_a_clear_error(text):
    err = refused(text)
    assert "nested" in err.message and err.line >= 1 and err.col >= 1


def test_import_trick_is_refused_and_nothing_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    err = refused("e = __import__('os').system('touch x')")
    assert (err.line, err.col) == (1, 5) and "__" in err.message
    assert not os.path.exists(tmp_path / "x")


def test_error_column_counts_characters_not_bytes():
    err = refused("é = 1; ü = é + zz")
    assert (err.line, err.col) == (1, 16) and "zz is not defined" in err.message


# --- every refused construct, with its message and place -------------------------------
REFUSALS = [
    ("", "the program is empty", 1, 1),
    ("# only a comment\n\n", "the program is empty", 1, 1),
    ("a = 2\ne = a +", "invalid syntax", 2, 8),
    ("a = 1\ne = tnah(a)", "unknown function tnah; did you mean tanh?", 2, 5),
    ("a = 1\ne = a.rleu()", "unknown method rleu; did you mean relu?", 2, 5),
    ("a = 1\ne = frob(a)", "unknown function frob (known: exp,", 2, 5),
    ("a = 1\ne = a + bb", "bb is not defined", 2, 9),
    ("a = 1\ne = a.data", "reading attributes is not allowed", 2, 5),
    ("a = 1\ne = a.tanh(2)", ".tanh() takes no arguments", 2, 5),
    ("a = 1\ne = tanh(a, a)", "tanh takes exactly one argument", 2, 5),
    ("a = 1\ne = a.grad.tanh()", "reading attributes is not allowed", 2, 5),
    ("a = 1\ne = a[0]", "only a list can be indexed", 2, 5),
    ("xs = [1, 2]\ne = xs[2]", "index 2 is out of range", 2, 8),
    ("xs = [1, 2]\ne = xs[0:1]", "slices", 2, 8),
    ("e = 'abc'", "strings are not allowed", 1, 5),
    ("a = 1\ne = a + 'abc'", "strings are not allowed", 2, 9),
    ("e = lambda: 1", "lambdas are not allowed", 1, 5),
    ("import os", "imports are not allowed", 1, 1),
    ("from math import tanh", "imports are not allowed", 1, 1),
    ("import torch as t", "imports are not allowed", 1, 1),
    ("from micrograd.nn import MLP", "imports are not allowed", 1, 1),
    ("a = 1\ne = open('f')", "unknown function open", 2, 5),
    ("a = 1\nprint(open('f'))", "print(...) here shows names", 2, 7),
    ("a = 1\nprint(a.__class__)", "names starting with __", 2, 7),
    ("a = 1\nprint(a.foo)", "print(...) here shows values", 2, 7),
    ("a = 1\ne = a < 2", "comparisons are not allowed", 2, 5),
    ("a = 1\ne = a and a", "boolean operators", 2, 5),
    ("a = 1\ne = not a", "boolean operators", 2, 5),
    ("a = 1\ne = f'{a}'", "f-strings are not allowed", 2, 5),
    ("__x = 1", "names starting with __", 1, 1),
    ("a = 1\ne = a.__class__", "names starting with __", 2, 5),
    ("a = 1\ne = a.__neg__()", "names starting with __", 2, 5),
    ("a = 1\ne = (a + a)(2)", "only operations can be called", 2, 5),
    ("a = 1\ne = max(a, 2)", "unknown function max", 2, 5),
    ("a = 1\ne = math.tanh(a)", "no modules here: write tanh(x)", 2, 5),
    ("a = b = 1", "assign one name at a time", 1, 5),
    ("a, b = 1, 2, 3", "2 names cannot take a tuple of 3", 1, 8),
    ("a = 1\na.data = 2", "only a plain name can be assigned", 2, 1),
    ("a = 1\na.label = 3", "a label is a string written out", 2, 11),
    ("a = 1\nxs = [a]\nxs.label = 'x'", "only a value has a label", 3, 1),
    ("a = 1\ndel a", "del is not allowed", 2, 1),
    ("for i in range(2):\n    pass", "pass is not allowed", 2, 5),
    ("a = 1\nfor i in a:\n    b = a", "only a list, a tuple, zip(...) or range(...)", 2, 10),
    ("for i in range(2):\n    break", "break is not allowed", 2, 5),
    ("for i in range(2.5):\n    b = 1", "range(...) takes a whole number", 1, 16),
    ("while 1:\n    pass", "loops are not allowed", 1, 1),
    ("a = 1\nfor x in [a]:\n    def f(y):\n        return y", "a loop holds", 3, 5),
    ("def f(*xs):\n    return 1", "plain parameters", 1, 1),
    ("def f(x):\n    return f(x)\na = 1\nb = f(a)", "recursion is not allowed", 2, 12),
    ("def f(x):\n    return x\n    y = 1\na = f(1)", "nothing can follow return", 3, 5),
    ("def f(x):\n    y = x * 2\na = 1\nb = f(a)", "the function returns no value", 4, 1),
    ("def f(x):\n    return x\na = 1\nb = f(a, a)", "f takes 1 argument, not 2", 4, 5),
    ("def tanh(x):\n    return x", "tanh is an operation", 1, 1),
    ("def f(x):\n    while x:\n        x = x\n    return x", "while loops are not", 2, 5),
    ("def f(x):\n    for i in range(2):\n        if x:\n            x = x\n    return x",
     "if statements", 3, 9),
    ("def f(x):\n    g = lambda: x\n    return x", "lambdas are not allowed", 2, 9),
    ("def f(x):\n    import os\n    return x", "import at the top", 2, 5),
    ("def f(x):\n    def g(y):\n        return y\n    return x", "not inside a function", 2, 5),
    ("@deco\ndef f(x):\n    return x", "decorators are not allowed", 1, 2),
    ("e = lambda x: x", "lambdas are not allowed", 1, 5),
    ("return 1", "return is only allowed at the end of a def", 1, 1),
    ("class A:\n    pass", "defining classes is not allowed", 1, 1),
    ("a = 1\nif a:\n    b = 2", "if statements", 2, 1),
    ("a = 1\nx: float = 2", "annotated assignments", 2, 1),
    ("e = 1e999", "the number is too large", 1, 5),
    ("a = 1\ne = a * 1" + "0" * 400, "the number is too large", 2, 9),
    ("e = 1" + "0" * 5000, "is more than gradviz reads", 1, 1),
    ("exp = 2", "exp is an operation; pick another name", 1, 1),
    ("Value = 2", "a name gradviz reserves", 1, 1),
    ("a = 1\nb = a + print(a)", "print(...) can only be a statement", 2, 9),
    ("a = 1\na + 1\nb = a * 2", "an expression on its own does nothing", 2, 1),
    ("a = 1\nb = a.grad * 2", ".grad can be read only inside print", 2, 5),
    ("a = 1\nb = Value(a)", "Value(...) takes a number written out", 2, 11),
    ("b = DiffScalar(2, requires_grad=1)", "requires_grad= takes True or False", 1, 33),
    ("b = Value(2, requires_grad=True)", "does not take requires_grad=", 1, 14),
    ("b = Value(2, grad=1)", "does not take grad=", 1, 14),
    ("a = 1\ne = a // 2", "the operator // is not supported", 2, 5),
    ("a = 1\na %= 2", "the operator %= is not supported", 2, 1),
    ("z += 1", "z is not defined yet", 1, 1),
    ("a = 1\ne = a + True", "booleans are not allowed", 2, 9),
    ("a = 1\ne = a * 2j", "complex numbers are not allowed", 2, 9),
    ("a = 1\ne = {a}", "sets and dicts are not allowed", 2, 5),
    ("a = 1\ne = sum([a, [a]])", "sum(...) adds values and numbers, not a list", 2, 9),
    ("a = 1\ne = a * [a]", "takes values and numbers, not a list", 2, 5),
    ("a = 1\ne = (b := a)", "walrus", 2, 6),
    ("a = 1\ne = a if a else a", "conditional expressions", 2, 5),
    ("a = 1\ne = tanh", "tanh is a function; call it", 2, 5),
    ("a = 1\ne = a.backward()", "backward() can only be a statement", 2, 5),
    ("a = 1\na.backward(2)", "backward() takes no arguments", 2, 1),
    ("3", "the result is just a number", 1, 1),
    ("a = 1\ne = a\0", "NUL character", 2, 6),
    ("a = 1\n  e = a", "unexpected indent", 2, 2),
]


@pytest.mark.parametrize("text, message, line, col", REFUSALS,
                         ids=[r[1][:30] + f"@{r[2]}:{r[3]}" for r in REFUSALS])
def test_refused_construct_says_what_and_where(text, message, line, col):
    err = refused(text)
    assert message in err.message
    assert (err.line, err.col) == (line, col)
    assert str(err).startswith(f"line {line}, column {col}: ")


# --- micrograd's engine tests, pasted in -----------------------------------------------
# Expected numbers from running micrograd (karpathy/micrograd, test/test_engine.py). The
# program texts are the shipped examples', which are micrograd's test code as written there.
SANITY_CHECK = load_example("micrograd_sanity_check").program
MORE_OPS = load_example("micrograd_more_ops").program


def test_micrograd_sanity_check_program():
    ev = evaluate(parse(SANITY_CHECK))
    assert ev.output == "y" and ev.value == -20.0
    assert ev.input_grads() == {"x": 46.0}


def test_micrograd_more_ops_program():
    ev = evaluate(parse(MORE_OPS))
    assert ev.output == "g₁"
    assert ev.value == pytest.approx(24.70408163265306, rel=1e-12)
    grads = ev.input_grads()
    assert grads["a"] == pytest.approx(138.83381924198252, rel=1e-12)
    assert grads["b"] == pytest.approx(645.5772594752186, rel=1e-12)


def test_micrograd_programs_match_pytorch():
    torch = pytest.importorskip("torch")
    x = torch.tensor([-4.0], dtype=torch.double, requires_grad=True)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    ev = evaluate(parse(SANITY_CHECK))
    assert ev.value == y.item() and ev.input_grads()["x"] == x.grad.item()


# --- random programs: gradients against central finite differences --------------------
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
        if op == "neg":
            return f"-({_render(x)})"
        if op in ("relu", "exp", "tanh") and len(_render(x)) % 2:
            return f"({_render(x)}).{op}()"  # micrograd's method style
        return f"{op}({_render(x)})"
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


def program_from(tree, start: dict[str, float]) -> str:
    lines = [f"{name} = {start[name]!r}" for name in INPUTS]
    lines.append(f"out = {_render(tree)} + p * 0")
    return "\n".join(lines)


def _smooth_enough(graph, ev) -> bool:
    """Away from kinks (relu, abs at 0), poles and overflow, where differences lie."""
    for n in graph.nodes():
        if abs(ev.values[n.id]) > 1e3:
            return False
        if n.kind == "op" and n.op in ("relu", "abs", "sqrt", "div", "pow", "log"):
            operands = graph.operands(n.id)
            x = ev.values[operands[-1] if n.op == "div" else operands[0]]
            if abs(x) < 0.05:
                return False
    return True


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(trees, st.fixed_dictionaries({n: values for n in INPUTS}))
def test_random_programs_gradients_match_finite_differences(tree, start):
    text = program_from(tree, start)
    graph = parse(text)
    try:
        ev = evaluate(graph)
    except EvaluationError:
        assume(False)
    assume(_smooth_enough(graph, ev))
    grads = ev.input_grads()
    for name in INPUTS:
        h = 1e-6
        try:
            up = evaluate(parse(text, {name: start[name] + h})).value
            down = evaluate(parse(text, {name: start[name] - h})).value
        except EvaluationError:
            assume(False)
        numeric = (up - down) / (2 * h)
        assert grads[name] == pytest.approx(numeric, rel=1e-4, abs=1e-4), (text, name)
