"""Each operation as Python code: its forward expression and its local derivatives.

One `OpCode` per entry of the op table (`ops.OPS`; a test walks the table). The Code
panel's listings (`listing`) are generated from these templates, and so are the numbers
of each backward step's rule (``1 − tanh²(u) = 1 − 0.76159² = 0.41997``, see
`rule_numbers`): the derivative a student reads beside the step is the code the listing
runs. Templates use ``{x}``, ``{y}`` and ``{out}`` for the inputs' and the result's values.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .notation import MINUS
from .notation import format_number as fmt


class OpCode(NamedTuple):
    """``method``: the dunder or method name (``__mul__``, ``tanh``); ``forward`` the
    result as a Python expression; ``partials[i]`` the local derivative with respect to
    input ``i``. ``shown`` replaces a partial's template where the maths reads better
    than the code (``sign(x)`` for ``(x > 0) - (x < 0)``); None keeps the code's."""

    method: str
    forward: str
    partials: tuple[str, ...]
    shown: tuple[str | None, ...] | None = None


CODE: dict[str, OpCode] = {
    "add": OpCode("__add__", "{x} + {y}", ("1", "1")),
    "sub": OpCode("__sub__", "{x} - {y}", ("1", "-1")),
    "mul": OpCode("__mul__", "{x} * {y}", ("{y}", "{x}")),
    "div": OpCode("__truediv__", "{x} / {y}", ("1 / {y}", "-{x} / {y} ** 2")),
    "pow": OpCode("__pow__", "{x} ** {y}",
                  # ln x for x ≤ 0: 0 at x = 0, as the engine takes it; below 0 only a
                  # constant exponent gets it (the engine refuses an input one there)
                  ("{y} * {x} ** ({y} - 1)", "0.0 if {x} <= 0 else {out} * math.log({x})"),
                  (None, "{out} * ln({x})")),
    "neg": OpCode("__neg__", "-{x}", ("-1",)),
    "exp": OpCode("exp", "math.exp({x})", ("{out}",)),
    "log": OpCode("log", "math.log({x})", ("1 / {x}",)),
    "sqrt": OpCode("sqrt", "math.sqrt({x})", ("1 / (2 * {out})",)),
    "sin": OpCode("sin", "math.sin({x})", ("math.cos({x})",)),
    "cos": OpCode("cos", "math.cos({x})", ("-math.sin({x})",)),
    "tanh": OpCode("tanh", "math.tanh({x})", ("1 - {out} ** 2",)),
    "sigmoid": OpCode("sigmoid", "1 / (1 + math.exp(-{x}))", ("{out} * (1 - {out})",)),
    "relu": OpCode("relu", "{x} if {x} > 0 else 0", ("1 if {x} > 0 else 0",)),
    "abs": OpCode("__abs__", "abs({x})", ("({x} > 0) - ({x} < 0)",), ("sign({x})",)),
}
"""The code of every operation, by the op table's id."""


def code_of(op_id: str) -> OpCode:
    """The code of the operation ``op_id``; KeyError names an operation without code."""
    try:
        return CODE[op_id]
    except KeyError:
        raise KeyError(f"operation {op_id!r} has no code in op_code.CODE") from None


def fill(template: str, **names: str) -> str:
    """``template`` with ``{x}``, ``{y}``, ``{out}`` replaced by the given texts."""
    return template.format(**{k: names.get(k, "?") for k in ("x", "y", "out")})


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def as_maths(code: str) -> str:
    """Python arithmetic as people read it: ``·`` for ``*``, ``−`` for ``-``, ``u²`` for
    ``u ** 2`` (a whole exponent; others stay ``**``), no ``math.`` prefix."""
    text = code.replace("math.", "").replace("log(", "ln(")
    text = re.sub(r" \*\* (\d)(?![\d.(])", lambda m: m.group(1).translate(_SUPERSCRIPT), text)
    text = text.replace(" ** ", "**").replace(" * ", " · ").replace("-", MINUS)
    return text


def number(x: float) -> str:
    """A number as an operand: negatives in parentheses, ``(−2)``."""
    text = fmt(x)
    return f"({text})" if text.startswith(MINUS) else text


def rule_numbers(op_id: str, port: int, x: float, y: float | None, out: float) -> str:
    """The local derivative's rule with the numbers put in: ``1 − 0.76159²`` for tanh.

    Brackets a number alone inside a call already has are not doubled (``cos(−2)``).
    """
    code = code_of(op_id)
    template = code.partials[port]
    if code.shown is not None and code.shown[port] is not None:
        template = code.shown[port]
    text = as_maths(fill(template, x=number(x), y=number(y) if y is not None else "?",
                         out=number(out)))
    text = re.sub(r"\(\((" + MINUS + r"[^()]*)\)\)", r"(\1)", text)
    if re.fullmatch(r"\(" + MINUS + r"[^()]*\)", text):  # a number alone: −3, not (−3)
        text = text[1:-1]
    return text
