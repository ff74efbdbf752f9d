"""Program text after a graph edit: only the statements the edit changed are rewritten.

An edit on the canvas or in the inputs panel changes the graph, and the program text
follows. Writing the whole text anew (`to_text`) would drop the user's comments, blank
lines and spelling (``b = Value(3.0)  # the bias``). Instead the program's assignments
are matched in order with the lines `to_text` writes for the graph before the edit, the
two graphs' lines are compared, and only the lines that differ are written over their
own statements. A statement whose number alone changed keeps its spelling and only gets
the new number (``b = Value(5.0)  # the bias``).

The result is checked: it must read back as the same computation as the graph's own
text. When the program does not match the graph line by line (typed in another shape),
or the check fails (a ``y.backward()`` that no longer names the result, say), the whole
text is written anew, which is always right.
"""
from __future__ import annotations

import ast
import difflib

from .errors import GradvizError
from .graph import Graph
from .language_text import number_text, to_text


def rewrite_program(program: str, before: Graph, after: Graph) -> str:
    """The text of ``after``, edited from ``program`` (the text of ``before``).

    >>> from gradviz.core.language import parse
    >>> text = "# the notebook\\na = 2\\nb = 3  # try 5\\ne = (a + b) * (b + 1)\\n"
    >>> g = parse(text); h = g.copy(); h.set_attrs("b", value=5.0)
    >>> print(rewrite_program(text, g, h), end="")
    # the notebook
    a = 2
    b = 5  # try 5
    e = (a + b) * (b + 1)

    Raises GraphError (from `to_text`) when ``after`` cannot be written as a program.
    """
    numbers = _numbers_only(program, before, after)
    if numbers is not None:
        return numbers
    new_text = to_text(after)
    try:
        edited = _Edit(program, _lines(to_text(before))).apply(_lines(new_text))
    except (GradvizError, SyntaxError, ValueError, _NoMatch):
        return new_text
    if not _same_computation(edited, new_text):
        return new_text
    return edited


def _numbers_only(program: str, before: Graph, after: Graph) -> str | None:
    """When the edit only gave inputs new values, each written once as ``name = number``
    (or ``name = Value(number)``): the program with those numbers replaced, else None.
    The fast and certain case of a slider being dragged on a big graph."""
    if list(before.nx.nodes) != list(after.nx.nodes) or before.output != after.output:
        return None
    changed: dict[str, float] = {}
    for n, a in before.nx.nodes(data=True):
        b = after.nx.nodes[n]
        if {k: v for k, v in a.items() if k != "value"} != \
                {k: v for k, v in b.items() if k != "value"}:
            return None
        if a.get("value") != b.get("value"):
            if a["kind"] != "input":
                return None
            changed[a["label"]] = b["value"]
    if not changed or sorted(before.edges()) != sorted(after.edges()):
        return None
    try:
        tree = ast.parse(program)
    except (SyntaxError, ValueError):
        return None
    assigned: dict[str, list[ast.stmt]] = {}
    for stmt in tree.body:
        target = _target(stmt)
        if target is not None:
            assigned.setdefault(target[1], []).append(stmt)
    starts = _line_starts(program)
    edit = _Places(program, starts)
    changes = []
    for label, value in changed.items():
        stmts = assigned.get(label, [])
        literal = _number_of(stmts[0].value) if len(stmts) == 1 and \
            isinstance(stmts[0], ast.Assign) else None
        if literal is None:
            return None
        changes.append((*edit.span(literal), number_text(value)))
    for start, end, text in sorted(changes, reverse=True):
        program = program[:start] + text + program[end:]
    return program


class _Places:
    """Character offsets of ast's places (1-based lines, UTF-8 byte columns)."""

    def __init__(self, text: str, starts: list[int]) -> None:
        self.text, self.starts = text, starts

    def offset(self, line: int, col: int) -> int:
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return start + len(self.text[start:end].encode("utf-8")[:col].decode("utf-8"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (self.offset(node.lineno, node.col_offset),
                self.offset(node.end_lineno, node.end_col_offset))


class _NoMatch(Exception):
    """The program's statements are not the graph's lines one by one."""


Line = tuple[str, ast.stmt]
"""A line of `to_text`'s program, and the statement it reads as."""


def _lines(text: str) -> list[Line]:
    """`to_text` writes one statement a line: each with its statement, read once."""
    lines, body = text.splitlines(), ast.parse(text).body
    if len(lines) != len(body):
        raise _NoMatch()
    return list(zip(lines, body, strict=True))


class _Edit:
    """The program's assignments, each with its place in the text, matched to lines."""

    def __init__(self, program: str, lines: list[Line]) -> None:
        self.text = program
        tree = ast.parse(program)
        self.statements = [s for s in tree.body if isinstance(s, (ast.Assign, ast.AugAssign))]
        if len(self.statements) != len(lines):
            raise _NoMatch()
        self._places = _Places(program, _line_starts(program))
        for stmt, (_, written) in zip(self.statements, lines, strict=True):
            if _target(stmt) != _target(written):
                raise _NoMatch()
        self.lines = lines

    def apply(self, new_lines: list[Line]) -> str:
        changes: list[tuple[int, int, str]] = []  # (start, end, replacement), in the text
        matcher = difflib.SequenceMatcher(None, [t for t, _ in self.lines],
                                          [t for t, _ in new_lines], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                changes += self._block(i1, i2, new_lines[j1:j2])
        text = self.text
        for start, end, replacement in sorted(changes, key=lambda c: (c[0], c[1]),
                                              reverse=True):
            text = text[:start] + replacement + text[end:]
        return text

    def _block(self, i1: int, i2: int, lines: list[Line]) -> list[tuple[int, int, str]]:
        """Statements ``i1:i2`` become ``lines``: a statement assigning the same name
        as a new line is rewritten in place, new names go in before the next one."""
        old = [_target(stmt) for _, stmt in self.lines[i1:i2]]
        new = [_target(stmt) for _, stmt in lines]
        changes = []
        inner = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for tag, a1, a2, b1, b2 in inner.get_opcodes():
            a1, a2 = a1 + i1, a2 + i1
            if tag == "equal" or (tag == "replace" and a2 - a1 == b2 - b1):
                changes += [self._replace(i, lines[j])
                            for i, j in zip(range(a1, a2), range(b1, b2), strict=True)]
                continue
            if tag == "replace":  # the new lines take the first old one's place
                changes.append(self._replace_with(a1, [t for t, _ in lines[b1:b2]]))
                a1 += 1
            elif tag == "insert":
                changes.append(self._insert(a1, [t for t, _ in lines[b1:b2]]))
            changes += [self._delete(i) for i in range(a1, a2)]
        return changes

    # --- places in the text ----------------------------------------------------------
    def _span(self, node: ast.AST) -> tuple[int, int]:
        return self._places.span(node)

    def _rest_of_line(self, offset: int) -> str:
        end = self.text.find("\n", offset)
        return self.text[offset:] if end < 0 else self.text[offset:end]

    # --- the three kinds of change ---------------------------------------------------
    def _replace(self, i: int, line: Line) -> tuple[int, int, str]:
        stmt = self.statements[i]
        number = _number_change(stmt, line[1])
        if number is not None:
            literal, text = number
            return (*self._span(literal), text)
        return (*self._span(stmt), line[0])

    def _replace_with(self, i: int, lines: list[str]) -> tuple[int, int, str]:
        """Statement ``i`` replaced by several lines (on its own line, one per line;
        among others on a line, joined by semicolons)."""
        start, end = self._span(self.statements[i])
        line_start = self.text[:start].rfind("\n") + 1
        alone = not self.text[line_start:start].strip() \
            and not self._rest_of_line(end).split("#")[0].strip()
        return (start, end, ("\n" if alone else "; ").join(lines))

    def _delete(self, i: int) -> tuple[int, int, str]:
        start, end = self._span(self.statements[i])
        before = self.text[:start]
        line_start = before.rfind("\n") + 1
        after = self._rest_of_line(end)
        if not before[line_start:].strip() and not after.split("#")[0].strip(" ;"):
            # Alone on its line (perhaps with a comment about it): the line goes.
            line_end = end + len(after)
            return (line_start, min(len(self.text), line_end + 1), "")
        if after.lstrip().startswith(";"):  # a; [b]; c -> a; c
            return (start, end + len(after) - len(after.lstrip()[1:].lstrip()), "")
        semicolon = before.rstrip().rfind(";")
        return (semicolon if semicolon >= line_start else start, end, "")

    def _insert(self, i: int, lines: list[str]) -> tuple[int, int, str]:
        """New lines before statement ``i`` (after the last one when ``i`` is past it)."""
        if not self.statements:
            end = len(self.text)
            sep = "" if not self.text or self.text.endswith("\n") else "\n"
            return (end, end, sep + "\n".join(lines) + "\n")
        if i == 0:
            start, _ = self._span(self.statements[0])
            line_start = self.text[:start].rfind("\n") + 1
            return (line_start, line_start, "\n".join(lines) + "\n")
        _, end = self._span(self.statements[i - 1])
        after = self._rest_of_line(end)
        if after.split("#")[0].strip():  # more statements follow on that line
            return (end, end, "; " + "; ".join(lines))
        line_end = end + len(after)
        return (line_end, line_end, "\n" + "\n".join(lines))


def _line_starts(text: str) -> list[int]:
    starts, at = [0], 0
    while (at := text.find("\n", at) + 1) > 0:
        starts.append(at)
    return starts


def _target(stmt: ast.stmt) -> tuple[str, str] | None:
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
            and isinstance(stmt.targets[0], ast.Name):
        return ("=", stmt.targets[0].id)
    if isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
        return (type(stmt.op).__name__, stmt.target.id)
    return None


def _number_of(expr: ast.expr) -> ast.expr | None:
    """The number literal a value is written as: ``2``, ``-2``, ``Value(2.0, …)``."""
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
        return expr if _number_of(expr.operand) is expr.operand else None
    if isinstance(expr, ast.Constant) and isinstance(expr.value, (int, float)) \
            and not isinstance(expr.value, bool):
        return expr
    if isinstance(expr, ast.Call) and len(expr.args) == 1:
        return _number_of(expr.args[0])
    return None


def _number_change(old: ast.stmt, new: ast.stmt) -> tuple[ast.expr, str] | None:
    """When ``new`` is ``old`` with another number for an input: the literal to replace
    and the new number's text."""
    if not (isinstance(old, ast.Assign) and isinstance(new, ast.Assign)) \
            or _target(old) != _target(new):
        return None
    literal, number = _number_of(old.value), _number_of(new.value)
    if literal is None or number is None or not isinstance(new.value, (ast.Constant,
                                                                        ast.UnaryOp)):
        return None
    return literal, ast.unparse(number)


def _same_computation(edited: str, written: str) -> bool:
    from .language import parse  # the language imports this module's neighbours

    try:
        return parse(edited).signature() == parse(written).signature()
    except GradvizError:
        return False
