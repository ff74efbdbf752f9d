"""Program text -> graph: the Python of autodiff lectures, read and never run.

A program is what a lecture's cell holds::

    a = 2                   # a name given a number is an input (a leaf with a gradient)
    b = Value(3.0, label='b')  # so is Value(...), DiffScalar(..., requires_grad=True),
                            # torch.tensor(..., requires_grad=True)
    e = (a + b) * (b + 1)   # c = a + b and d = b + 1 are named for you, as in the notebook
    e += tanh(a)            # a reassigned name is a new node, labelled e₁, e₂ …
    f = e                   # a second name for the same node: it shows "e₁ (f)"
    e.backward()            # makes e the result (the last assigned name otherwise)
    print(a.grad)           # accepted and noted; nothing is printed

plus ``x.label = '…'``, ``x, y = a, b``, ``def`` (each call expanded as a group of the
graph), ``for`` over ``range``/lists/``zip`` (unrolled), lists, indexing, ``len``,
``sum``, comprehensions, the engine's own ``class`` (skipped) and a few imports (no-ops).

The text is read with ``ast`` and every node is checked against a whitelist; nothing in it
is ever evaluated, executed or compiled to code. What is refused is a ProgramError with
the line and column (1-based) of the construct; a program that would build more than
NODE_BUDGET nodes is refused before it is built (`language_budget`). Choices:

- A name may not shadow an operation (``exp = 2``) nor ``Value``, ``print``, ``len`` ….
- Numbers are stored as floats (so ``9 ** 999999`` overflows instead of running for ever).
- Unnamed parts are named as never to look like inputs (`naming`): c, d … after
  single-letter inputs, else after their statement, ``n_a``, ``n_b`` …; never a name the
  program uses, on any line.
- What is accepted but does nothing (print, imports, draw_dot, ``o.grad = 1.0``,
  ``n._backward()``, the engine's class) is a `Note` of `parse_program`'s result.

Statements are read in language_statements, expressions in language_expressions and
language_calls. The reverse direction, graph -> text, is `to_text` (in language_text).
"""
from __future__ import annotations

import ast
import re
import sys
import warnings
from dataclasses import dataclass

from .errors import ProgramError
from .graph import Graph, is_finite_number
from .language_budget import check_budget
from .language_expressions import BINARY_OPS, NODE_BUDGET
from .language_lecture import ENGINE_CLASSES, Note
from .language_statements import StatementBuilder
from .language_text import RESERVED, to_text
from .naming import ProgramNames, Relettering


@dataclass
class Program:
    """What a program text reads as.

    ``graph`` has ``output`` set; ``notes`` are the lines taken without effect (print,
    imports, ``o.grad = 1.0`` …), in program order; ``literals`` maps every input's id to
    the number in the text it is made from (an ``ast`` node, with its place), or None for
    an input made from no literal of its own (``--set``).
    """

    graph: Graph
    notes: list[Note]
    literals: dict[str, ast.expr | None]

    def literal_spans(self, text: str) -> dict[str, tuple[int, int] | None]:
        """For every input, the start and end offsets in ``text`` of the literal it is
        made from; None when it has none, or shares it with other inputs (made in a loop
        or a function called several times: one number written once for all of them)."""
        uses: dict[int, int] = {}
        for source in self.literals.values():
            if source is not None:
                uses[id(source)] = uses.get(id(source), 0) + 1
        starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
        return {n: None if source is None or uses[id(source)] > 1
                else _span(text, starts, source) for n, source in self.literals.items()}

    def sharing(self, node_id: str) -> list[str]:
        """The inputs made from the same literal as ``node_id`` (itself included)."""
        source = self.literals.get(node_id)
        if source is None:
            return [node_id]
        return [n for n, s in self.literals.items() if s is source]


def parse(text: str, overrides: dict[str, float] | None = None,
          missing_only: bool = False) -> Graph:
    """The graph a program computes, with ``graph.output`` set.

    ``overrides`` sets inputs by name (``--set a=2``); a name the program uses without
    defining it becomes an input with the value given. With ``missing_only`` they give
    the missing names only, and setting the others is left to the caller (the command
    line's ``--set`` also takes ids, see loading.apply_assignments). Raises ProgramError
    (message, line, col) for anything the language does not allow.

    >>> g = parse("a = 2; b = 3; e = (a + b) * (b + 1)")
    >>> sorted(g.labels().values()), g.output
    (['1', 'a', 'b', 'c', 'd', 'e'], 'e')
    """
    return parse_program(text, overrides, missing_only).graph


def parse_program(text: str, overrides: dict[str, float] | None = None,
                  missing_only: bool = False) -> Program:
    """`parse`, with the notes and the inputs' literals (see `Program`).

    >>> p = parse_program("from micrograd.engine import Value\na = Value(2.0)\n"
    ...                   "b = a.tanh(); b.backward()\nprint(a.grad)")
    >>> p.graph.output, [n.line for n in p.notes]
    ('b', [4])
    """
    tree = _read(text)
    if not tree.body:
        raise ProgramError("the program is empty", 1, 1)
    named, repeats, labels = _names_in(tree)
    _refuse_dunders(text, named)
    overrides = dict(overrides or {})
    names = {n.id for n in named if isinstance(n, ast.Name)}
    naming = ProgramNames(names | labels | RESERVED)
    try:
        if repeats:  # else the text's own length bounds the graph (and the builder counts)
            check_budget(StatementBuilder(text, names, overrides, naming), tree)
        builder = _build(text, tree, names, overrides, naming)
    except RecursionError:
        raise ProgramError("the program is nested too deeply to read; name some parts "
                           "on lines of their own", 1, 1) from None
    graph = builder.graph
    if builder.output is None:
        raise ProgramError("the program computes no value (assign one: e = a * b)",
                           len(builder.lines), 1)
    graph.output = builder.output
    if overrides and not missing_only:
        _apply_overrides(graph, {k: v for k, v in overrides.items()
                                 if k not in builder.set_by_overrides}, overrides)
    return Program(graph, builder.notes, builder.literals)


def _build(text: str, tree: ast.Module, names: set[str], overrides: dict[str, float],
           naming: ProgramNames) -> StatementBuilder:
    """The program read into a graph. Its unnamed parts are lettered as it is read;
    where the inputs read later show that the rule (see `naming`) names them otherwise,
    it is read once more with those names."""
    while True:
        builder = StatementBuilder(text, names, overrides, naming)
        try:
            builder.block(tree.body, final=True)
        except Relettering as again:
            naming = again.names
            continue
        inputs = [a["label"] for _, a in builder.graph.nx.nodes(data=True)
                  if a["kind"] == "input" and not a.get("auto")]
        again = naming.settled(inputs)
        if again is None:
            return builder
        naming = again


def _skipped(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.ClassDef) and stmt.name in ENGINE_CLASSES


def _span(text: str, starts: list[int], node: ast.expr) -> tuple[int, int]:
    def offset(line: int, col: int) -> int:
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(text)
        return start + len(text[start:end].encode("utf-8")[:col].decode("utf-8", "replace"))

    return offset(node.lineno, node.col_offset), offset(node.end_lineno, node.end_col_offset)


def _read(text: str) -> ast.Module:
    """``ast.parse`` with every way it can fail turned into a ProgramError."""
    if "\0" in text:
        line, col = _place_of_index(text, text.index("\0"))
        raise ProgramError("the program contains a NUL character", line, col)
    try:
        with warnings.catch_warnings():
            # Python warns on stderr about odd literals such as ``1if``; a program is
            # either refused with a place or read, never commented on out of band.
            warnings.simplefilter("ignore", SyntaxWarning)
            return ast.parse(text, mode="exec")
    except SyntaxError as exc:
        message = exc.msg or "invalid syntax"
        if "nested parentheses" in message:
            message = "too many nested parentheses (name some parts on lines of their own)"
        elif "set_int_max_str_digits" in message:  # Python's advice is not for programs
            digits = re.search(r"has (\d+) digits", message)
            count = f"{int(digits.group(1)):,} digits" if digits else "too many digits"
            message = (f"a number with {count} is more than gradviz reads (at most "
                       f"{sys.get_int_max_str_digits():,} digits)")
        raise ProgramError(message, exc.lineno or 1, max(1, exc.offset or 1)) from None
    except (RecursionError, MemoryError):
        long_line = _longest_chain(text)
        if long_line is not None:  # flat, but one expression of thousands of terms
            line, terms = long_line
            raise ProgramError(f"this expression has about {terms:,} terms, more than "
                               "Python reads in one expression (about 2,500): split it "
                               "over lines (s = a + b + …, then s = s + …)", line, 1) from None
        raise ProgramError("the program is nested too deeply to read; name some parts "
                           "on lines of their own", 1, 1) from None


LONG_CHAIN = 1_000
"""Operators in one line from which a refusal blames the line's length, not nesting."""
_BINARY = re.compile(r"[\w)\]]\s*[-+*/]")


def _longest_chain(text: str) -> tuple[int, int] | None:
    """The line (1-based) with the most binary operators, and about how many terms it
    has, if it has at least `LONG_CHAIN` of them; else None."""
    best = None
    for number, line in enumerate(text.splitlines(), 1):
        ops = len(_BINARY.findall(line))  # an operator after an operand: not a sign
        if ops >= LONG_CHAIN and (best is None or ops + 1 > best[1]):
            best = (number, ops + 1)
    return best


def _place_of_index(text: str, index: int) -> tuple[int, int]:
    lines = re.split(r"\r\n|\r|\n", text[:index])  # Python's line breaks, as ast counts
    return len(lines), len(lines[-1]) + 1


def _apply_overrides(graph: Graph, overrides: dict[str, float],
                     given: dict[str, float]) -> None:
    inputs = {n.label: n.id for n in graph.inputs()}
    for name, value in given.items():
        if not is_finite_number(value):
            raise ProgramError(f"cannot set {name} to {value!r}: not a finite number", 1, 1)
    for name, value in overrides.items():
        if name not in inputs:
            known = ", ".join(inputs) or "none"
            raise ProgramError(f"cannot set {name}: there is no input named {name} "
                               f"(inputs: {known})", 1, 1)
        graph.set_attrs(inputs[name], value=float(value))


def _names_in(tree: ast.AST) -> tuple[list[ast.Name | ast.Attribute], bool, set[str]]:
    """Every name and attribute in ``tree``, in no particular order, whether the tree
    repeats anything (a loop, a def, a comprehension: only then can a short text build
    many nodes), and the labels it gives (``label='x1'``, ``x.label = 'x1'``), which
    the names gradviz invents must not be either.

    ``ast.walk`` finds the same with two generators per node; this loop takes about
    60 % of its time, which counts on a long program (a 10,000-node one has about
    50,000 nodes in its tree).
    """
    found: list[ast.Name | ast.Attribute] = []
    labels: set[str] = set()
    repeats = False
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Name, ast.Attribute)):
            found.append(node)
        elif _skipped(node):
            continue  # never read: the engine's own class
        elif isinstance(node, (ast.For, ast.FunctionDef, ast.comprehension)):
            repeats = True
        elif isinstance(node, (ast.keyword, ast.Assign)):
            label = _label_given(node)
            if label is not None:
                labels.add(label)
        for field in node._fields:
            child = getattr(node, field, None)
            if isinstance(child, list):
                todo.extend(c for c in child if isinstance(c, ast.AST))
            elif isinstance(child, ast.AST):
                todo.append(child)
    return found, repeats, labels


def _label_given(node: ast.keyword | ast.Assign) -> str | None:
    """The text of ``label='x1'`` or ``x.label = 'x1'``; None for anything else."""
    if isinstance(node, ast.keyword):
        value = node.value if node.arg == "label" else None
    else:
        target = node.targets[0]
        value = node.value if isinstance(target, ast.Attribute) \
            and target.attr == "label" else None
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value
    return None


def _refuse_dunders(text: str, nodes: list[ast.Name | ast.Attribute]) -> None:
    """The first ``__name`` anywhere is refused before anything else is looked at:
    that is where escapes such as ``__import__`` or ``x.__class__`` begin."""
    found = [n for n in nodes if isinstance(n, ast.Name) and n.id.startswith("__")]
    found += [n for n in nodes if isinstance(n, ast.Attribute) and n.attr.startswith("__")]
    if found:
        first = min(found, key=lambda n: (n.lineno, n.col_offset))
        name = first.id if isinstance(first, ast.Name) else first.attr
        raise StatementBuilder(text, set(), {}).error(
            first, f"names starting with __ are not allowed ({name})")


__all__ = ["parse", "parse_program", "Program", "Note", "to_text", "ProgramError",
           "RESERVED", "BINARY_OPS", "NODE_BUDGET"]
