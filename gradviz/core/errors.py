"""Errors with a place: what went wrong and where, for people to read."""
from __future__ import annotations


class GradvizError(Exception):
    """Base of every error gradviz reports to a user (message only, never a trace)."""


class ProgramError(GradvizError):
    """A program text that cannot be turned into a graph, at a line and column (1-based)."""

    def __init__(self, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col

    def __str__(self) -> str:
        return f"line {self.line}, column {self.col}: {self.message}"


class UndefinedNameError(ProgramError):
    """A program that uses a name before giving it a value; ``name`` is that name, so the
    app can offer to add it as an input (``name = 1``) and the CLI can take ``--set``."""

    def __init__(self, name: str, line: int = 1, col: int = 1):
        super().__init__(f"{name} is not defined; give it a value first ({name} = 1.0)",
                         line, col)
        self.name = name


class EvaluationError(GradvizError):
    """An operation that has no finite result (or derivative) for its inputs."""

    def __init__(self, op: str, inputs: tuple, message: str, node: str | None = None):
        super().__init__(message)
        self.op = op
        self.inputs = tuple(inputs)
        self.message = message
        self.node = node
        self.at = None  # the engine's Value where the backward pass stopped, if there

    def __str__(self) -> str:
        args = ", ".join(_shown(x) for x in self.inputs)
        where = f"{self.node} = " if self.node else ""
        return f"{where}{self.op}({args}): {self.message}"


def _shown(x) -> str:
    """An operation's input for a message, whatever it is: ``2``, ``1e+400`` for an
    integer too large for a float (or for Python to write in decimal), ``1j``."""
    from .notation import format_number

    if isinstance(x, int) and not isinstance(x, bool) and x.bit_length() > 1000:
        exponent = round((x.bit_length() - 1) * 0.30103)  # log10(2): about right is enough
        return f"{'-' if x < 0 else ''}1e+{exponent}"
    try:
        return format_number(x)
    except (TypeError, ValueError, OverflowError):
        return repr(x)[:40]


class GraphError(GradvizError):
    """A graph that is not a valid computation (a cycle, a missing input, an unknown op)."""

    def __init__(self, message: str, node: str | None = None):
        super().__init__(message)
        self.message = message
        self.node = node

    def __str__(self) -> str:
        return self.message


class DocumentError(GradvizError):
    """A .gradviz file that cannot be read, with where in it the problem is."""

    def __init__(self, message: str, where: str = ""):
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message
