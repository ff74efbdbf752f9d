"""The one table of operations.

Every operation gradviz knows is one `Op` entry here, and every fact about it is in
that entry: the engine takes its forward function and local derivatives, the language
its operator or function name, the palette its entry, the explanations their formulas,
exports their labels, the Code panel its Python (`Code`), the PyTorch check its torch
function, micrograd interop its ``_op`` string (the operator or the function name).
Adding an operation is one entry below plus its tests; ``tests/core/test_ops.py`` walks
the table and says what a new entry lacks.
"""
from __future__ import annotations

import math
import operator
from typing import Callable, NamedTuple

Number = float | int


class Code(NamedTuple):
    """An operation as Python, for the Code panel's listings (`listing`): the methods of
    their ``DiffScalar`` and ``DualNumber`` classes are written from it, and so are the
    numbers of each backward step's rule (`op_code.rule_numbers`), so that the
    derivative a student reads beside the step is the code the listing runs.

    ``method`` is the method the classes define (``__mul__``, ``tanh``); ``forward`` the
    result as a Python expression; ``partials[i]`` the local derivative with respect to
    input ``i``. They use ``{x}``, ``{y}`` and ``{out}`` for the inputs' and the
    result's values, and ``math`` for functions. ``shown`` replaces a partial where the
    maths reads better than the code (``sign(x)`` for ``(x > 0) - (x < 0)``); None, or
    a None in it, keeps the code's.
    """

    method: str
    forward: str
    partials: tuple[str, ...]
    shown: tuple[str | None, ...] | None = None


class Op(NamedTuple):
    """One operation.

    ``id`` is its stable name (in files too); ``title`` and ``symbol`` are how the
    palette, the pictures and the messages show it (``Multiply``, ``×``); ``arity`` is
    how many inputs it takes (1 or 2). ``forward`` takes one number per input (a
    builtin where there is one: it is on the engine's hot path).
    ``partials[i](x, y, out)`` is the local derivative of the result with respect to
    input ``i`` (``y`` is None for unary operations). ``formulas[i]`` is the same
    derivative as text, with ``{x}``, ``{y}`` and ``{out}`` standing for the inputs' and
    the result's names. ``code`` is the operation as Python (`Code`).
    ``domain`` says where it is defined, for the message when an input is outside.
    ``infix`` is its operator in programs (``*``), ``function`` its name there
    (``tanh(x)``, ``x.tanh()``); ``neg``, the prefix minus, has neither. ``precedence``
    is how tightly it binds when written out (higher binds tighter; a call is 9).
    ``commutative`` says whether a binary operation's inputs may swap (pictures mark x
    and y on the others' ports); unary ones leave it False. ``torch`` names the function
    of the ``torch`` module that computes the same thing (``torch.tanh``), for checking
    against PyTorch; None says PyTorch has none.
    """

    id: str
    title: str
    symbol: str
    arity: int
    forward: Callable[..., Number]
    partials: tuple[Callable[[Number, Number | None, Number], Number], ...]
    formulas: tuple[str, ...]
    code: Code
    domain: str = ""
    infix: str | None = None
    precedence: int = 9
    function: str | None = None
    commutative: bool = False
    torch: str | None = None

    def expression(self, *operands: str) -> str:
        """The operation applied to operand texts, as people read it (``a + b``).

        A power is ``b³`` when its exponent is a whole number and ``b**y`` otherwise
        (``^`` is XOR in Python). A function's argument in parentheses already, a
        negative number written ``(−2)``, is not bracketed again: ``relu(−2)``.
        """
        if self.id == "pow":
            return power(*operands)
        if self.arity == 2 and self.infix is not None:
            sym = {"*": "·", "-": "−"}.get(self.infix, self.infix)
            return f"{operands[0]} {sym} {operands[1]}"
        if self.id == "neg":
            return f"−{operands[0]}"
        return f"{self.function}({', '.join(_unbracketed(o) for o in operands)})"

    def formula(self, port: int, names: dict[str, str]) -> str:
        """The local derivative for input ``port``, with operand names filled in."""
        return self.formulas[port].format(**names)


_SUPERSCRIPTS = str.maketrans("0123456789−-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻")


def power(base: str, exponent: str) -> str:
    """``base`` to the ``exponent`` as people read it: ``b³``, ``b⁻¹``, ``b**y``, ``b**0.5``."""
    whole = _unbracketed(exponent)
    if whole.lstrip("−-").isdigit() and len(whole) <= 3:
        return f"{base}{whole.translate(_SUPERSCRIPTS)}"
    return f"{base}**{exponent}"


def _unbracketed(text: str) -> str:
    """``(−2)`` -> ``−2``: one pair of brackets around a whole operand, taken off."""
    if text.startswith("(") and text.endswith(")") and "(" not in text[1:-1] \
            and ")" not in text[1:-1]:
        return text[1:-1]
    return text


def _sigmoid(x: Number) -> float:
    # Two branches so that neither exp overflows for large |x|.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _relu(x: Number) -> Number:
    return 0 if x <= 0 else x  # not "x > 0": nan must stay nan, to be refused


def _sign(x: Number) -> int:
    return (x > 0) - (x < 0)


def _pow_dy(x: Number, y: Number, out: Number) -> float:
    # d(x^y)/dy = x^y ln x; at x = 0 with y > 0 the limit is 0.
    if x == 0 and y > 0:
        return 0.0
    return out * math.log(x)


_TABLE: tuple[Op, ...] = (
    Op("add", "Add", "+", 2, operator.add,
       (lambda x, y, o: 1, lambda x, y, o: 1), ("1", "1"),
       Code("__add__", "{x} + {y}", ("1", "1")),
       infix="+", precedence=1, commutative=True, torch="add"),
    Op("sub", "Subtract", "−", 2, operator.sub,
       (lambda x, y, o: 1, lambda x, y, o: -1), ("1", "−1"),
       Code("__sub__", "{x} - {y}", ("1", "-1")),
       infix="-", precedence=1, torch="sub"),
    Op("mul", "Multiply", "×", 2, operator.mul,
       (lambda x, y, o: y, lambda x, y, o: x), ("{y}", "{x}"),
       Code("__mul__", "{x} * {y}", ("{y}", "{x}")),
       infix="*", precedence=2, commutative=True, torch="mul"),
    Op("div", "Divide", "÷", 2, operator.truediv,
       (lambda x, y, o: 1 / y, lambda x, y, o: -x / (y * y)), ("1/{y}", "−{x}/{y}²"),
       Code("__truediv__", "{x} / {y}", ("1 / {y}", "-{x} / {y} ** 2")),
       domain="the divisor must not be 0", infix="/", precedence=2, torch="div"),
    Op("pow", "Power", "xʸ", 2, operator.pow,
       (lambda x, y, o: y * x ** (y - 1), _pow_dy),
       ("{y}·{x}**({y} − 1)", "{x}**{y}·ln({x})"),
       # ln x for x ≤ 0: 0 at x = 0, as the engine takes it; below 0 only a constant
       # exponent gets it (the engine refuses an input one there)
       Code("__pow__", "{x} ** {y}",
            ("{y} * {x} ** ({y} - 1)", "0.0 if {x} <= 0 else {out} * math.log({x})"),
            (None, "{out} * ln({x})")),
       domain="0 cannot be raised to a negative power, nor a negative number to a "
              "fractional one",
       infix="**", precedence=4, torch="pow"),
    Op("neg", "Negate", "−", 1, operator.neg,
       (lambda x, y, o: -1,), ("−1",),
       Code("__neg__", "-{x}", ("-1",)),
       precedence=3, torch="neg"),
    Op("exp", "Exponential", "exp", 1, math.exp,
       (lambda x, y, o: o,), ("exp({x})",),
       Code("exp", "math.exp({x})", ("{out}",)),
       function="exp", torch="exp"),
    Op("log", "Natural logarithm", "ln", 1, math.log,
       (lambda x, y, o: 1 / x,), ("1/{x}",),
       Code("log", "math.log({x})", ("1 / {x}",)),
       domain="log is defined only for positive numbers", function="log", torch="log"),
    Op("sqrt", "Square root", "√", 1, math.sqrt,
       (lambda x, y, o: 0.5 / o,), ("1/(2·√{x})",),
       Code("sqrt", "math.sqrt({x})", ("1 / (2 * {out})",)),
       domain="sqrt is defined only for numbers ≥ 0", function="sqrt", torch="sqrt"),
    Op("sin", "Sine", "sin", 1, math.sin,
       (lambda x, y, o: math.cos(x),), ("cos({x})",),
       Code("sin", "math.sin({x})", ("math.cos({x})",)),
       function="sin", torch="sin"),
    Op("cos", "Cosine", "cos", 1, math.cos,
       (lambda x, y, o: -math.sin(x),), ("−sin({x})",),
       Code("cos", "math.cos({x})", ("-math.sin({x})",)),
       function="cos", torch="cos"),
    Op("tanh", "Hyperbolic tangent", "tanh", 1, math.tanh,
       (lambda x, y, o: 1 - o * o,), ("1 − tanh²({x})",),
       Code("tanh", "math.tanh({x})", ("1 - {out} ** 2",)),
       function="tanh", torch="tanh"),
    Op("sigmoid", "Sigmoid", "σ", 1, _sigmoid,
       (lambda x, y, o: o * (1 - o),), ("σ({x})·(1 − σ({x}))",),
       Code("sigmoid", "1 / (1 + math.exp(-{x}))", ("{out} * (1 - {out})",)),
       function="sigmoid", torch="sigmoid"),
    Op("relu", "ReLU", "ReLU", 1, _relu,
       (lambda x, y, o: 1 if x > 0 else 0,), ("1 if {x} > 0 else 0",),
       Code("relu", "{x} if {x} > 0 else 0", ("1 if {x} > 0 else 0",)),
       function="relu", torch="relu"),
    Op("abs", "Absolute value", "|x|", 1, abs,
       (lambda x, y, o: _sign(x),), ("sign({x})",),
       Code("__abs__", "abs({x})", ("({x} > 0) - ({x} < 0)",), ("sign({x})",)),
       function="abs", torch="abs"),
)

OPS: dict[str, Op] = {op.id: op for op in _TABLE}
"""Every operation by its stable id, in palette order."""

FUNCTIONS: dict[str, Op] = {op.function: op for op in _TABLE if op.function}
"""Operations callable by name in programs (``tanh(x)``, ``x.tanh()``)."""

INFIX: dict[str, Op] = {op.infix: op for op in _TABLE if op.infix}


def op(op_id: str) -> Op:
    """The operation with this id; KeyError names the unknown id."""
    try:
        return OPS[op_id]
    except KeyError:
        raise KeyError(f"unknown operation {op_id!r}") from None
