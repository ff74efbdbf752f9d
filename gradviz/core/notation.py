"""Numbers and names written for people: 20, 0.5, −1.2346e−05, c₁.

Every number for people is written with the minus sign (U+2212 −), the one the
operators on screen use too; program text and JSON keep Python's ASCII ``-``
(`language_text.number_text`, the CLI's JSON).
"""
from __future__ import annotations

import math

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


MINUS = "\u2212"
"""The minus sign of every number and operator people read (−, not the hyphen -)."""


def format_number(x: float | int | None, digits: int = 5) -> str:
    """Round to ``digits`` significant digits and drop noise, with the minus sign −.

    >>> format_number(20.000000000000004), format_number(0.5), format_number(-1.23456e-05)
    ('20', '0.5', '−1.2346e−05')
    """
    return _rounded(x, digits).replace("-", MINUS)


def _rounded(x: float | int | None, digits: int) -> str:
    if x is None:
        return "?"
    if isinstance(x, bool):
        x = int(x)
    if isinstance(x, int):
        return str(x) if abs(x) < 10**15 else f"{x:.{digits - 1}e}"
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    text = f"{x:.{digits}g}"
    if "e" not in text:
        return text
    short = repr(x)
    if "e" in short and short != text:
        # Denormals such as 1e-320 are stored inexactly: %g shows the error (9.9999e-321)
        # where Python's shortest repr is already short ("1e-320").
        mantissa = short.split("e")[0].lstrip("-").replace(".", "").strip("0")
        if len(mantissa) <= digits:
            return short
    return text


WORD_JOINER = "\u2060"


def unbroken(text: str) -> str:
    """``text`` for a widget that wraps it: a word joiner after each ``/`` of a partial,
    where Qt would otherwise break a line (``∂e/`` | ``∂c``), so long steps wrap between
    terms only. Invisible; for drawing, not for text anyone copies or compares."""
    return text.replace("/∂", "/" + WORD_JOINER + "∂")


def full_precision(x: float | int | None) -> str:
    """Every digit Python keeps (for tooltips and JSON): repr of the number."""
    return "?" if x is None else repr(x)


def version_label(name: str, version: int) -> str:
    """The label of the ``version``-th reassignment of ``name``: c, c₁, c₂ …"""
    return name if version == 0 else name + str(version).translate(_SUBSCRIPTS)
