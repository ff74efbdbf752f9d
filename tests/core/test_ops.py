"""Every operation in the op table: what each part of gradviz needs from its entry, forward
values, local derivatives against central finite differences and PyTorch, the domain
errors, and the points where the derivative has a convention (relu and abs at 0) or does
not exist (a square root at 0)."""
import math
import string
from typing import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradviz import Value
from gradviz.core.errors import EvaluationError
from gradviz.core.foreign import graph_from_foreign
from gradviz.core.language import parse, to_text
from gradviz.core.listing import forward_listing, reverse_listing
from gradviz.core.ops import FUNCTIONS, OPS


def _away_from_zero(lo: float, hi: float):
    # relu and abs have a kink at 0, where a finite difference straddles it.
    return st.floats(lo, hi).filter(lambda x: abs(x) > 1e-3)


# id -> (how a user writes it, strategy per input, fixed points)
Case = tuple[Callable, tuple, list[tuple[float, ...]]]
CASES: dict[str, Case] = {
    "add": (lambda a, b: a + b, (st.floats(-100, 100),) * 2, [(2, 3), (-1.5, 0.25)]),
    "sub": (lambda a, b: a - b, (st.floats(-100, 100),) * 2, [(2, 3), (-1.5, 0.25)]),
    "mul": (lambda a, b: a * b, (st.floats(-100, 100),) * 2, [(2, 3), (-1.5, 0.25)]),
    "div": (lambda a, b: a / b, (st.floats(-10, 10), _away_from_zero(-10, 10)),
            [(1, 4), (-3, 0.5), (2, -7)]),
    "pow": (lambda a, b: a ** b, (st.floats(0.1, 5), st.floats(-3, 3)),
            [(2, 3), (1.5, -0.5), (4, 0.5)]),
    "neg": (lambda a: -a, (st.floats(-100, 100),), [(2,), (-0.5,)]),
    "exp": (Value.exp, (st.floats(-5, 5),), [(0,), (1,), (-2.5,)]),
    "log": (Value.log, (st.floats(0.01, 100),), [(1,), (0.1,), (20,)]),
    "sqrt": (Value.sqrt, (st.floats(0.01, 100),), [(4,), (0.09,), (2,)]),
    "sin": (Value.sin, (st.floats(-6, 6),), [(0,), (1,), (-2,)]),
    "cos": (Value.cos, (st.floats(-6, 6),), [(0,), (1,), (-2,)]),
    "tanh": (Value.tanh, (st.floats(-5, 5),), [(0,), (0.5,), (-3,)]),
    "sigmoid": (Value.sigmoid, (st.floats(-10, 10),), [(0,), (2,), (-4,)]),
    "relu": (Value.relu, (_away_from_zero(-10, 10),), [(2,), (-1,), (0.5,)]),
    "abs": (abs, (_away_from_zero(-10, 10),), [(2,), (-1,), (0.5,)]),
}


def test_every_op_in_the_table_is_checked_here():
    assert set(CASES) == set(OPS)


# --- what each user of the op table needs from an entry -------------------------------

def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _written(op) -> str:
    """A program applying ``op`` to inputs, as a user writes it."""
    call = (f"x {op.infix} y" if op.infix else "-x" if op.id == "neg"
            else f"{op.function}(x)")
    return f"x = 0.7\ny = 1.3\nz = {call}\n"


class _LookAlike:
    """A value of a micrograd-like engine: ``data``, ``grad``, ``_prev``, ``_op``."""

    def __init__(self, data, prev=(), op=""):
        self.data, self.grad, self._prev, self._op = data, 0.0, prev, op


def _made_by_micrograd(op) -> _LookAlike:
    """``op`` applied to leaves 0.7 and 1.3 as micrograd records it: its operator
    (``**2`` with the exponent a number) or its function's name."""
    x, y = _LookAlike(0.7), _LookAlike(1.3)
    if op.id == "pow":
        return _LookAlike(op.forward(x.data, 2), (x,), "**2")
    if op.arity == 2:
        return _LookAlike(op.forward(x.data, y.data), (x, y), op.infix)
    return _LookAlike(op.forward(x.data), (x,), op.function or op.id)


@pytest.mark.parametrize("op_id", list(OPS))
def test_every_entry_has_what_each_user_of_the_table_needs(op_id):
    op = OPS[op_id]
    inputs = {"x", "y"} if op.arity == 2 else {"x"}
    # the engine and the explanations: a derivative and its formula per input
    assert op.arity in (1, 2) and len(op.partials) == len(op.formulas) == op.arity
    assert all(_fields(f) <= inputs | {"out"} for f in op.formulas)
    # the palette and the pictures
    assert op.title and op.symbol
    # the language and the listings' programs: an operator for a binary operation, a
    # function name for a unary one (neg, the prefix minus, has neither); a program
    # using it reads as it, and is written out again as it
    assert (op.infix is not None) == (op.arity == 2)
    assert (op.function is not None) == (op.arity == 1 and op_id != "neg")
    graph = parse(_written(op))
    assert graph.node(graph.output).op == op_id
    again = parse(to_text(graph))
    assert again.node(again.output).op == op_id
    # the Code panel's listings: a method, a forward expression of the inputs and a
    # derivative per input, each with its lines in both listings
    code = op.code
    assert code.method.isidentifier() and _fields(code.forward) <= inputs
    assert len(code.partials) == op.arity
    assert code.shown is None or len(code.shown) == op.arity
    assert all(_fields(p) <= inputs | {"out"} for p in code.partials)
    assert f"def {code.method}(self" in reverse_listing().text
    assert reverse_listing().find(("forward", op_id)) is not None
    for port in range(op.arity):
        assert reverse_listing().find(("backward", op_id, port)) is not None
    assert forward_listing().find(("forward", op_id)) is not None
    # the PyTorch check: a torch function by name (or None: PyTorch has none)
    assert op.torch is None or op.torch.isidentifier()
    # micrograd interop: a value recorded by its operator or function name is this op
    foreign = graph_from_foreign(_made_by_micrograd(op))
    assert foreign.node(foreign.output).op == op_id


def test_every_function_is_a_method_of_value():
    for name in FUNCTIONS:
        assert callable(getattr(Value, name))


def _engine(op_id: str, xs: tuple[float, ...]) -> tuple[float, list[float]]:
    inputs = [Value(float(x)) for x in xs]
    out = CASES[op_id][0](*inputs)
    assert out._op is OPS[op_id]  # the user's spelling really is this op
    out.backward()
    return out.data, [v.grad for v in inputs]


def _finite_differences(op_id: str, xs: tuple[float, ...], h: float = 1e-6) -> list[float]:
    f = CASES[op_id][0]
    grads = []
    for i in range(len(xs)):
        up = [Value(float(x) + h * (j == i)) for j, x in enumerate(xs)]
        down = [Value(float(x) - h * (j == i)) for j, x in enumerate(xs)]
        grads.append((f(*up).data - f(*down).data) / (2 * h))
    return grads


def _assert_matches_finite_differences(op_id: str, xs: tuple[float, ...]) -> None:
    _, grads = _engine(op_id, xs)
    for g, fd in zip(grads, _finite_differences(op_id, xs), strict=True):
        assert g == pytest.approx(fd, rel=1e-5, abs=1e-6), (op_id, xs)


@pytest.mark.parametrize("op_id", sorted(CASES))
def test_gradient_matches_finite_differences_at_fixed_points(op_id):
    for xs in CASES[op_id][2]:
        _assert_matches_finite_differences(op_id, xs)


@pytest.mark.parametrize("op_id", sorted(CASES))
def test_gradient_matches_finite_differences_anywhere(op_id):
    @settings(max_examples=30, deadline=None)
    @given(st.tuples(*CASES[op_id][1]))
    def check(xs):
        _assert_matches_finite_differences(op_id, xs)

    check()


@pytest.mark.parametrize("op_id", sorted(CASES))
def test_value_and_gradient_match_the_torch_function_the_table_names(op_id):
    torch = pytest.importorskip("torch")
    from gradviz.core.torch_bridge import function_for

    assert callable(getattr(torch, OPS[op_id].torch))  # the entry names a real function
    for xs in CASES[op_id][2]:
        data, grads = _engine(op_id, xs)
        ts = [torch.tensor(float(x), dtype=torch.float64, requires_grad=True) for x in xs]
        out = function_for(op_id)(*ts)
        out.backward()
        assert data == pytest.approx(out.item(), rel=1e-12, abs=1e-12), (op_id, xs)
        for g, t in zip(grads, ts, strict=True):
            assert g == pytest.approx(t.grad.item(), rel=1e-12, abs=1e-12), (op_id, xs)


@pytest.mark.parametrize(("write", "value", "grad"), [
    (lambda a: a + 2, 5, 1), (lambda a: 2 + a, 5, 1),
    (lambda a: a - 2, 1, 1), (lambda a: 2 - a, -1, -1),
    (lambda a: a * 2, 6, 2), (lambda a: 2 * a, 6, 2),
    (lambda a: a / 2, 1.5, 0.5), (lambda a: 6 / a, 2, -6 / 9),
    (lambda a: a ** 2, 9, 6), (lambda a: 2 ** a, 8, 8 * math.log(2)),
    (lambda a: a ** a, 27, 27 * (1 + math.log(3))),  # pow with a Value exponent
    (lambda a: -a, -3, -1),
])
def test_plain_numbers_on_either_side(write, value, grad):
    a = Value(3.0)
    out = write(a)
    out.backward()
    assert out.data == pytest.approx(value)
    assert a.grad == pytest.approx(grad)


def test_a_number_that_is_not_a_number_is_refused():
    with pytest.raises(TypeError):
        Value(1.0) + "2"
    with pytest.raises(TypeError):
        Value(1.0) * True


# --- where an operation has no finite real result -----------------------------------

NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize(("compute", "op", "inputs", "says"), [
    (lambda: Value(0.0).log(), "log", (0.0,), "positive"),
    (lambda: Value(-1.0).log(), "log", (-1.0,), "positive"),
    (lambda: Value(-1.0).sqrt(), "sqrt", (-1.0,), "≥ 0"),
    (lambda: Value(1.0) / 0, "div", (1.0, 0), "divisor"),
    (lambda: Value(0.0) ** -1, "pow", (0.0, -1), "negative power"),
    (lambda: Value(-8.0) ** 0.5, "pow", (-8.0, 0.5), "fractional"),
    (lambda: Value(1000.0).exp(), "exp", (1000.0,), "overflow"),
    (lambda: Value(1e308) * 10, "mul", (1e308, 10), "overflow"),
    (lambda: Value(1e308) + 1e308, "add", (1e308, 1e308), "overflow"),
    (lambda: 10 ** Value(400.0), "pow", (10, 400.0), "overflow"),
])
def test_domain_errors_name_the_op_and_its_inputs(compute, op, inputs, says):
    with pytest.raises(EvaluationError) as caught:
        compute()
    err = caught.value
    assert err.op == op
    assert err.inputs == inputs
    assert says in err.message
    assert str(err).startswith(f"{op}(")  # e.g. "log(0): log is defined only for ..."


@pytest.mark.parametrize(("compute", "op"), [
    (lambda: Value(NAN) + 1, "add"), (lambda: Value(NAN) * 0, "mul"),
    (lambda: Value(NAN) - 1, "sub"), (lambda: Value(1.0) / NAN, "div"),
    (lambda: Value(NAN) ** 0, "pow"), (lambda: 1 ** Value(NAN), "pow"),
    (lambda: -Value(NAN), "neg"),
    (lambda: Value(NAN).relu(), "relu"), (lambda: Value(NAN).exp(), "exp"),
    (lambda: Value(NAN).tanh(), "tanh"), (lambda: Value(NAN).sigmoid(), "sigmoid"),
    (lambda: Value(NAN).sqrt(), "sqrt"), (lambda: Value(NAN).log(), "log"),
    (lambda: Value(NAN).sin(), "sin"), (lambda: abs(Value(NAN)), "abs"),
    # an infinite input can hide behind a finite result: exp(-inf) = 0, tanh(inf) = 1
    (lambda: Value(-INF).exp(), "exp"), (lambda: Value(INF).tanh(), "tanh"),
    (lambda: Value(-INF).relu(), "relu"), (lambda: Value(1.0) / INF, "div"),
])
def test_non_finite_inputs_are_refused_never_passed_on(compute, op):
    with pytest.raises(EvaluationError) as caught:
        compute()
    assert caught.value.op == op
    assert "not a finite number" in caught.value.message


# --- the points where a derivative is a convention, or does not exist ----------------

def test_relu_at_exactly_zero_has_derivative_zero_as_in_torch():
    x = Value(0.0)
    y = x.relu()
    y.backward()
    assert (y.data, x.grad) == (0, 0)


def test_abs_at_zero_has_derivative_zero():
    x = Value(0.0)
    y = abs(x)
    y.backward()
    assert (y.data, x.grad) == (0, 0)


@pytest.mark.parametrize("op_id", ["relu", "abs"])
def test_conventions_at_zero_agree_with_pytorch(op_id):
    torch = pytest.importorskip("torch")
    t = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    getattr(torch, OPS[op_id].torch)(t).backward()
    assert _engine(op_id, (0.0,))[1] == [t.grad.item()]


@pytest.mark.parametrize("root", [lambda x: x ** 0.5, Value.sqrt])
def test_square_root_at_zero_has_value_zero_but_no_derivative(root):
    x = Value(0.0)
    y = root(x)
    assert y.data == 0
    with pytest.raises(EvaluationError) as caught:
        y.backward()
    assert "derivative" in caught.value.message
    assert caught.value.inputs[0] == 0


def test_overflow_in_the_backward_pass_is_an_error_not_inf():
    x = Value(1e-300)
    y = x.log() * 1e300  # d/dx = 1e300 / 1e-300 overflows
    with pytest.raises(EvaluationError) as caught:
        y.backward()
    assert caught.value.op == "log" and "too large" in caught.value.message
