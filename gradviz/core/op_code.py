"""An operation's code (`ops.Code`, in its op table entry) filled in with names or numbers.

The Code panel's listings (`listing`) fill the templates with the listing's names
(``self.value * out.grad``); `rule_numbers` fills a local derivative with a step's
numbers and writes it as maths (``1 − tanh²(u) = 1 − 0.76159² = 0.41997``), so the
derivative a student reads beside the step is the code the listing runs.
"""
from __future__ import annotations

import re

from .notation import MINUS
from .notation import format_number as fmt
from .ops import op


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
    code = op(op_id).code
    template = code.partials[port]
    if code.shown is not None and code.shown[port] is not None:
        template = code.shown[port]
    text = as_maths(fill(template, x=number(x), y=number(y) if y is not None else "?",
                         out=number(out)))
    text = re.sub(r"\(\((" + MINUS + r"[^()]*)\)\)", r"(\1)", text)
    if re.fullmatch(r"\(" + MINUS + r"[^()]*\)", text):  # a number alone: −3, not (−3)
        text = text[1:-1]
    return text
