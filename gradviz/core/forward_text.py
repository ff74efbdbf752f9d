"""Dual numbers written out with their real numbers, for forward mode's steps.

A dual number ``v + tε`` carries a value and a tangent; ε² = 0. Each forward-mode step
writes its arithmetic in full: ``c = a + b = (2 + 1ε) + (3 + 0ε) = 5 + 1ε``, and a
product shows the ε² term that drops: ``(5 + 1ε)(4 + 0ε) = 20 + (5·0 + 1·4)ε + 1·0ε²
= 20 + 4ε``. Nothing here computes a value or a tangent: every number comes from the
recorded step.
"""
from __future__ import annotations

from .notation import format_number as fmt
from .ops import OPS


def operand(x: float) -> str:
    """A number as a factor in written arithmetic: negatives in parentheses, ``(-1)``."""
    text = fmt(x)
    return f"({text})" if text.startswith("-") or text.startswith("−") else text


def dual(value: float, tangent: float) -> str:
    """``5 + 1ε``; a negative tangent is subtracted: ``5 − 2ε``."""
    t = fmt(tangent)
    if t.startswith("-") or t.startswith("−"):
        return f"{fmt(value)} − {t[1:]}ε"
    return f"{fmt(value)} + {t}ε"


def bracketed(value: float, tangent: float) -> str:
    return f"({dual(value, tangent)})"


def arithmetic(op_id: str, values: tuple[float, ...], tangents: tuple[float, ...],
               partials: tuple[float | None, ...], value: float, tangent: float) -> str:
    """The dual arithmetic of one operation, from its operands to its result.

    ``partials`` are the local derivatives the step used (one per operand; None for an
    operand made of constants alone, which adds no term).
    """
    op = OPS[op_id]
    duals = [bracketed(v, t) for v, t in zip(values, tangents, strict=True)]
    result = dual(value, tangent)
    if op_id == "mul":
        (x, y), (dx, dy) = values, tangents
        applied = f"{duals[0]}{duals[1]}"
        expanded = (f"{fmt(value)} + ({operand(x)}·{operand(dy)} + {operand(dx)}·{operand(y)})ε"
                    f" + {operand(dx)}·{operand(dy)}ε²")
        return f"{applied} = {expanded} = {result}"
    if op_id in ("add", "sub", "neg"):  # the tangents combine as the values do
        return f"{op.expression(*duals)} = {result}"
    if op.arity == 1:
        name = op.function or op.id
        if partials[0] is None:  # made of constants: the tangent stays 0
            return f"{name}{duals[0]} = {result}"
        chain = f"{operand(partials[0])}·{operand(tangents[0])}"
        return (f"{name}{duals[0]} = {name}({fmt(values[0])}) + {name}′({fmt(values[0])})·"
                f"{operand(tangents[0])}ε = {fmt(value)} + ({chain})ε = {result}")
    # div and pow: the value, and the tangent by the chain rule over both operands.
    applied = op.expression(*duals)
    chain = " + ".join(f"{operand(p)}·{operand(t)}"
                       for p, t in zip(partials, tangents, strict=True) if p is not None)
    if not chain:  # every operand made of constants
        return f"{applied} = {result}"
    return f"{applied} = {fmt(value)} + ({chain})ε = {result}"
