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

An input's new value is written over the literal it is made from (`Program.literals`),
wherever that is: ``a = 2``, ``Value(2.0)``, a list ``[2.0, 3.0]`` a comprehension makes
inputs of. One literal can make several inputs (``w = Value(0.5)`` in a loop or in a
function called twice). Editing one of those alone cannot be written as that literal: the
program is then written anew, flat (its def and for unrolled), under a comment saying so;
to change all of them at once, edit the number in the text.
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
        return _written_flat(program, before, after) + new_text
    if not _same_computation(edited, new_text):
        return _written_flat(program, before, after) + new_text
    return edited


def _written_flat(program: str, before: Graph, after: Graph) -> str:
    """The comment a program with loops or functions gets when it is written anew."""
    try:
        tree = ast.parse(program)
    except (SyntaxError, ValueError):
        return ""
    if not any(isinstance(s, (ast.For, ast.FunctionDef)) for s in tree.body):
        return ""
    shared = _shared_edit(program, before, after)
    if shared:
        return (f"# Written out in full: {shared[0]}'s number was written once for "
                f"{len(shared)} inputs ({', '.join(shared)}),\n# so it could not change "
                f"alone. To change them all, edit that number in the program.\n")
    return "# Written out in full (the def and for statements unrolled) for the edit.\n"


def _shared_edit(program: str, before: Graph, after: Graph) -> list[str]:
    """The labels of the inputs sharing a literal with the input whose value changed."""
    from .language import parse_program

    try:
        parsed = parse_program(program)
    except GradvizError:
        return []
    for n, a in before.nx.nodes(data=True):
        if a["kind"] == "input" and n in after and \
                after.nx.nodes[n].get("value") != a.get("value"):
            sharing = parsed.sharing(n)
            if len(sharing) > 1:
                return [parsed.graph.node(m).label for m in sharing if m in parsed.graph]
    return []


def with_new_number(program: str, name: str, value: float) -> str | None:
    """``program`` with ``value`` written over the literal the input labelled ``name``
    is made from (``name = number``, ``Value(number)``, a number in a list …); None when
    there is no such input, it has no literal of its own (it shares one with other
    inputs) or the program does not parse.

    The edit of an input's new value (a slider dragged on a big graph), needing no look
    at the graph: what the statement meant is unchanged but for the number.

    >>> print(with_new_number("b = Value(3.0)  # the bias\\n", "b", 5.0), end="")
    b = Value(5)  # the bias
    """
    places = _NumberPlaces.of(program)
    if places is None or places.spans.get(name) is None:
        return None
    return places.replaced(name, number_text(value)).text


def _numbers_only(program: str, before: Graph, after: Graph) -> str | None:
    """When the edit only gave inputs new values, each made from a literal of its own:
    the program with those numbers replaced, else None."""
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
    places = _NumberPlaces.of(program)
    if places is None or any(places.spans.get(name) is None for name in changed):
        return None
    for name, value in changed.items():
        places = places.replaced(name, number_text(value))
    return places.text


class _NumberPlaces:
    """Where a program writes the number of each input: ``spans[label]`` is the
    literal's (start, end) in ``text``; None for an input sharing its literal.

    A number written over such a literal leaves every statement meaning what it meant
    but that one number: the literal is a whole expression (a signed number, or a call's
    one argument) between tokens that end it, and a number's text (`number_text`) is such
    an expression too. So the new text's places are the old ones, those after the edit
    moved by the change in length, and a run of new values needs no parse after the
    first: the places of the text last made are kept for the next edit of that text.
    """

    _last: "_NumberPlaces | None" = None

    def __init__(self, text: str, spans: dict[str, tuple[int, int] | None]) -> None:
        self.text, self.spans = text, spans

    @classmethod
    def of(cls, program: str) -> "_NumberPlaces | None":
        """The places of ``program`` (None when it does not parse)."""
        last = cls._last
        if last is not None and last.text == program:
            return last
        places = cls.parsed(program)
        if places is not None:
            cls._last = places
        return places

    @classmethod
    def parsed(cls, program: str) -> "_NumberPlaces | None":
        """The places of ``program`` read from its parse (None when it does not parse):
        every input's literal, by the input's label, when no other input shares it."""
        from .language import parse_program

        try:
            parsed = parse_program(program)
        except GradvizError:
            return None
        spans: dict[str, tuple[int, int] | None] = {}
        literal = parsed.literal_spans(program)
        for node in parsed.graph.inputs():
            spans[node.label] = None if node.label in spans else literal[node.id]
        return cls(program, spans)

    def replaced(self, name: str, number: str) -> "_NumberPlaces":
        """The text with ``number`` written over ``name``'s literal, and its places."""
        start, end = self.spans[name]
        moved = len(number) - (end - start)
        spans = {n: s if s is None or s[0] < start else (s[0] + moved, s[1] + moved)
                 for n, s in self.spans.items()}
        spans[name] = (start, start + len(number))
        result = _NumberPlaces(self.text[:start] + number + self.text[end:], spans)
        _NumberPlaces._last = result
        return result


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
