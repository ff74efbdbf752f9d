"""Program text -> graph: a small, safe subset of Python.

A program is assignments, one per line or separated by ``;``::

    a = 2                 # a name given a number is an input (a leaf with a gradient)
    b = Value(3.0)        # so is Value(...) / DiffScalar(..., requires_grad=True)
    e = (a + b) * (b + 1) # c = a + b and d = b + 1 are named for you, as in the notebook
    e += tanh(a)          # a reassigned name is a new node, labelled e₁, e₂ …
    e.backward()          # optional: makes e the result (the last assigned name otherwise)

The text is read with ``ast`` and every node is checked against a whitelist; nothing in it
is ever evaluated, executed or compiled to code. What is refused is a ProgramError with
the line and column (1-based) of the construct. Choices this module makes:

- ``print(...)`` is refused (gradviz shows every value; nothing would be printed).
- A name may not shadow an operation (``exp = 2``) nor ``Value``/``DiffScalar``/``print``.
- ``e = a`` (another name for the same node) is refused: a graph node has one label.
- ``Value(2.0, label='a')`` is accepted and the label ignored (the name is the label), so
  micrograd lecture code pastes in; no other string is accepted anywhere.
- Numbers are stored as floats (so ``9 ** 999999`` overflows instead of running for ever).

Statements are read here; their right-hand sides in language_expressions. The reverse
direction, graph -> text, is `to_text` (in language_text).
"""
from __future__ import annotations

import ast
import math
import re
import warnings

from .errors import ProgramError
from .graph import Graph
from .language_expressions import (
    BINARY_OPS,
    INPUT_MAKERS,
    SUPPORTED_OPERATORS,
    ExpressionBuilder,
    strip_plus,
)
from .language_refusals import SYMBOLS, statement_refusal
from .language_text import RESERVED, to_text
from .notation import version_label
from .ops import FUNCTIONS


def parse(text: str, overrides: dict[str, float] | None = None) -> Graph:
    """The graph a program computes, with ``graph.output`` set.

    ``overrides`` sets inputs by name (``--set a=2``). Raises ProgramError (message, line,
    col) for anything the language does not allow.

    >>> g = parse("a = 2; b = 3; e = (a + b) * (b + 1)")
    >>> sorted(g.labels().values()), g.output
    (['1', 'a', 'b', 'c', 'd', 'e'], 'e')
    """
    tree = _read(text)
    if not tree.body:
        raise ProgramError("the program is empty", 1, 1)
    builder = _Builder(text, tree)
    last = len(tree.body) - 1
    for i, stmt in enumerate(tree.body):
        builder.statement(stmt, final=i == last)
    graph = builder.graph
    graph.output = builder.output
    if overrides:
        _apply_overrides(graph, overrides)
    return graph


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
        raise ProgramError(message, exc.lineno or 1, max(1, exc.offset or 1)) from None
    except (RecursionError, MemoryError):
        raise ProgramError("the program is nested too deeply to read; name some parts "
                           "on lines of their own", 1, 1) from None


def _place_of_index(text: str, index: int) -> tuple[int, int]:
    lines = re.split(r"\r\n|\r|\n", text[:index])  # Python's line breaks, as ast counts
    return len(lines), len(lines[-1]) + 1


def _apply_overrides(graph: Graph, overrides: dict[str, float]) -> None:
    inputs = {n.label: n.id for n in graph.inputs()}
    for name, value in overrides.items():
        if name not in inputs:
            known = ", ".join(inputs) or "none"
            raise ProgramError(f"cannot set {name}: there is no input named {name} "
                               f"(inputs: {known})", 1, 1)
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not math.isfinite(value):
            raise ProgramError(f"cannot set {name} to {value!r}: not a finite number", 1, 1)
        graph.set_attrs(inputs[name], value=float(value))


def _names_in(tree: ast.AST) -> list[ast.Name | ast.Attribute]:
    """Every name and attribute in ``tree``, in no particular order.

    ``ast.walk`` finds the same with two generators per node; this loop takes about
    60 % of its time, which counts on a long program (a 10,000-node one has about
    50,000 nodes in its tree).
    """
    found: list[ast.Name | ast.Attribute] = []
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Name, ast.Attribute)):
            found.append(node)
        for field in node._fields:
            child = getattr(node, field, None)
            if isinstance(child, list):
                todo.extend(c for c in child if isinstance(c, ast.AST))
            elif isinstance(child, ast.AST):
                todo.append(child)
    return found


class _Builder(ExpressionBuilder):
    """Turns checked statements into graph nodes, one statement at a time (the
    right-hand sides are `ExpressionBuilder`'s)."""

    def __init__(self, text: str, tree: ast.Module):
        named = _names_in(tree)
        super().__init__(text, {n.id for n in named if isinstance(n, ast.Name)})
        self.versions: dict[str, int] = {}  # name -> how many nodes it has named
        self.output: str | None = None
        self.refuse_dunders(named)

    def refuse_dunders(self, nodes: list[ast.Name | ast.Attribute]) -> None:
        """The first ``__name`` anywhere is refused before anything else is looked at:
        that is where escapes such as ``__import__`` or ``x.__class__`` begin."""
        found = [n for n in nodes if isinstance(n, ast.Name) and n.id.startswith("__")]
        found += [n for n in nodes if isinstance(n, ast.Attribute) and n.attr.startswith("__")]
        if found:
            first = min(found, key=lambda n: (n.lineno, n.col_offset))
            name = first.id if isinstance(first, ast.Name) else first.attr
            raise self.error(first, f"names starting with __ are not allowed ({name})")

    # --- statements ------------------------------------------------------------------
    def statement(self, stmt: ast.stmt, final: bool) -> None:
        if isinstance(stmt, ast.Assign):
            self.assign(stmt)
        elif isinstance(stmt, ast.AugAssign):
            self.augmented(stmt)
        elif isinstance(stmt, ast.Expr):
            self.bare(stmt.value, final)
        else:
            raise self.error(stmt, statement_refusal(stmt))

    def assign(self, stmt: ast.Assign) -> None:
        if len(stmt.targets) != 1:
            raise self.error(stmt.targets[1], "assign one name at a time (a = b = … is not "
                                              "allowed)")
        name = self.target(stmt.targets[0])
        value = strip_plus(stmt.value)
        number = self.input_value(value)
        label = version_label(name, self.versions.get(name, 0))
        if number is not None:
            node = self.graph.add_input(label, number, id=label)
        else:
            result = self.expression(value, label)
            if isinstance(result, float):  # unreachable: numbers are inputs above
                raise self.error(value, "expected an expression")
            if result != label:
                alias = self.graph.node(result).label
                raise self.error(value, f"{name} = {alias} would only give {alias} another "
                                        f"name; write an operation (e.g. {name} = {alias} * 1)")
            node = result
        self.bind(name, node)

    def augmented(self, stmt: ast.AugAssign) -> None:
        name = self.target(stmt.target)
        if name not in self.current:
            raise self.error(stmt.target, f"{name} is not defined yet, so there is nothing "
                                          f"to add to; give it a value first")
        if type(stmt.op) not in BINARY_OPS:
            raise self.error(stmt, f"the operator {SYMBOLS.get(type(stmt.op), '?')}= is not "
                                   f"supported (use {SUPPORTED_OPERATORS})")
        # c += x means c = c + (x): the same BinOp the parser would give for that.
        left = ast.Name(id=name, ctx=ast.Load())
        expr = ast.BinOp(left=ast.copy_location(left, stmt.target), op=stmt.op,
                         right=stmt.value)
        label = version_label(name, self.versions.get(name, 0))
        self.bind(name, self.expression(ast.copy_location(expr, stmt), label))

    def bare(self, expr: ast.expr, final: bool) -> None:
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) \
                and expr.func.attr == "backward":
            if expr.args or expr.keywords:
                raise self.error(expr, "backward() takes no arguments here")
            self.output = self.result_of(expr.func.value)
            return
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) \
                and expr.func.id == "print":
            raise self.error(expr, "print(...) is not needed: gradviz shows every value; "
                                   "remove this line")
        if not final:
            raise self.error(expr, "an expression on its own does nothing here; assign it "
                                   "(x = …) or put it on the last line to make it the result")
        self.output = self.result_of(expr)

    def result_of(self, expr: ast.expr) -> str:
        result = self.expression(strip_plus(expr), None)
        if isinstance(result, float):
            raise self.error(expr, "the result is just a number; name it (x = 3) to make "
                                   "it an input")
        return result

    def target(self, node: ast.expr) -> str:
        if isinstance(node, (ast.Tuple, ast.List)):
            raise self.error(node, "assign one name at a time (tuple unpacking is not "
                                   "allowed)")
        if isinstance(node, ast.Starred):
            raise self.error(node, "starred assignment is not allowed")
        if not isinstance(node, ast.Name):
            raise self.error(node, "only a plain name can be assigned (not attributes or "
                                   "subscripts)")
        self.check_name(node)
        if node.id in RESERVED:
            what = "an operation" if node.id in FUNCTIONS else "a name gradviz reserves"
            raise self.error(node, f"{node.id} is {what}; pick another name")
        return node.id

    def bind(self, name: str, node: str) -> None:
        self.current[name] = node
        self.versions[name] = self.versions.get(name, 0) + 1
        self.output = node

    def input_value(self, value: ast.expr) -> float | None:
        """The number a name is given, for ``a = 2``, ``a = -2`` and ``a = Value(2.0)``."""
        number = self.literal(value)
        if number is not None:
            return number
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                and value.func.id in INPUT_MAKERS):
            return None
        maker = value.func.id
        if len(value.args) != 1 or isinstance(value.args[0], ast.Starred):
            raise self.error(value, f"{maker}(...) takes one number, e.g. {maker}(2.0)")
        number = self.literal(strip_plus(value.args[0]))
        if number is None:
            raise self.error(value.args[0], f"{maker}(...) takes a number written out, "
                                            f"e.g. {maker}(2.0)")
        for kw in value.keywords:
            self.check_keyword(maker, kw)
        return number

    def check_keyword(self, maker: str, kw: ast.keyword) -> None:
        v = kw.value
        if kw.arg == "requires_grad" and maker == "DiffScalar":
            if isinstance(v, ast.Constant) and v.value is True:
                return
            raise self.error(v, "only requires_grad=True is accepted: a named number is an "
                                "input; write a number inline to use it as a constant")
        if kw.arg == "label" and isinstance(v, ast.Constant) and isinstance(v.value, str):
            return  # micrograd lecture style; the assigned name is the label
        raise self.error(kw if kw.arg else v, f"{maker}(...) does not take "
                                              f"{kw.arg or '**'}= here")


__all__ = ["parse", "to_text", "ProgramError", "RESERVED", "BINARY_OPS"]
