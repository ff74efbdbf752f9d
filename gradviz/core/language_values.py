"""What a name in a program can stand for while the program is read (never run).

- a node of the graph: its id, a ``str``;
- a number: a ``float`` (a constant where an operation uses it), or a `Literal`, a
  float that remembers where the program writes it, or an ``int`` (a loop variable, a
  ``len``), which also indexes lists and counts ``range``;
- a `Seq`: a list or tuple of these;
- a ``range`` (Python's own: only its numbers are read);
- a `Function`: a ``def`` of the program.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Union


class Literal(float):
    """A number as written in the program; ``source`` is the literal (``2``, ``-2.5``)
    in the program's tree. Arithmetic on it gives plain floats, which are written
    nowhere."""

    source: ast.expr

    def __new__(cls, value: float, source: ast.expr) -> "Literal":
        number = super().__new__(cls, value)
        number.source = source
        return number


@dataclass
class Seq:
    """A list or tuple of values (``kind`` says which, for messages)."""

    items: list
    kind: str = "list"


@dataclass
class Function:
    """A ``def`` of the program: its parameters, the defaults (values, worked out once
    where the def is, as Python does) and its body."""

    node: ast.FunctionDef
    params: list[str]
    defaults: dict[str, object] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.node.name


Value = Union[str, float, int, Seq, range, Function, None]


def kind_of(value: object) -> str:
    """What a value is, as a message says it."""
    if isinstance(value, str):
        return "a value"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, Seq):
        return f"a {value.kind}"
    if isinstance(value, range):
        return "a range"
    if isinstance(value, Function):
        return f"the function {value.name}"
    return "nothing (None)"
