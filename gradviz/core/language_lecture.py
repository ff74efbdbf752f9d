"""The lines lecture code has around its computation, which gradviz takes without
running them: ``print(...)``, the engine's imports, ``y.backward()``, ``draw_dot(o)``,
Karpathy's manual backprop (``o.grad = 1.0``, ``n._backward()``) and ``x.label = '…'``.
What is taken without effect leaves a `Note`.
"""
from __future__ import annotations

import ast
from typing import NamedTuple

from .language_calls import CallBuilder
from .language_expressions import is_number, strip_plus
from .language_values import Function, Literal, kind_of
from .notation import version_label

ENGINE_CLASSES = ("Value", "DiffScalar")
"""Classes a pasted cell may define: the engine being taught, which gradviz replaces."""
IMPORTS = {("torch", None), ("gradviz", None), ("micrograd.engine", "Value"),
           ("gradviz", "Value"), ("gradviz", "DiffScalar")}
IMPORTS_TEXT = ("import torch, import gradviz, from micrograd.engine import Value and "
                "from gradviz import Value")
PRINTABLE = ("grad", "data", "value", "label", "item", "requires_grad")


class Note(NamedTuple):
    """Something the program says that gradviz takes but does not do, and where."""

    message: str
    line: int
    col: int


class LectureLines(CallBuilder):
    """Imports, attribute assignments and lines of their own (`bare`)."""

    notes: list[Note]
    noted: set[Note]
    versions: dict[str, int]
    output: str | None
    backward: bool
    active: list[str]
    overrides: dict[str, float]

    def note(self, node: ast.AST, message: str) -> None:
        """Note ``message`` at ``node`` (once: a loop or a second call repeats none)."""
        note = Note(message, *self.place(node))
        if note not in self.noted:
            self.noted.add(note)
            self.notes.append(note)

    def imports(self, stmt: ast.Import | ast.ImportFrom) -> None:
        if isinstance(stmt, ast.Import):
            wanted = [(a.name, None, a.asname) for a in stmt.names]
        else:
            wanted = [(stmt.module, a.name, a.asname) for a in stmt.names]
        for module, name, asname in wanted:
            if (module, name) not in IMPORTS or stmt.__dict__.get("level") \
                    or asname not in (None, name or module):
                raise self.error(stmt, f"imports are not allowed; only {IMPORTS_TEXT} are "
                                       f"accepted, and do nothing (the operations and "
                                       f"Value are there without one)")

    def requires_grad(self, name: ast.Name, current, value: ast.expr) -> None:
        """torch's ``x.requires_grad = True``: the number ``x`` names becomes an input."""
        if not (isinstance(value, ast.Constant) and isinstance(value.value, bool)):
            raise self.error(value, "requires_grad takes True or False written out")
        if isinstance(current, str):
            if value.value is False:
                raise self.error(value, f"{name.id} is a value with a gradient already; "
                                        f"it cannot become a constant again")
            return
        if not is_number(current):
            raise self.error(name, f"only a number can require a gradient, not "
                                   f"{kind_of(current)}")
        if value.value:
            k = max(0, self.versions.get(name.id, 1) - 1)
            source = current.source if isinstance(current, Literal) else None
            self.scopes[-1][name.id] = self.make_input(version_label(name.id, k), current,
                                                       source)

    def set_attribute(self, target: ast.Attribute, value: ast.expr) -> None:
        self.check_attr(target)
        node = self.expression(target.value, None)
        if target.attr == "label":
            if not isinstance(node, str):
                raise self.error(target, f"only a value has a label, not {kind_of(node)}")
            if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                raise self.error(value, "a label is a string written out: x.label = 'x1'")
            self.graph.set_attrs(node, label=self.label_text(value), auto=False)
            self.explicit.add(node)
            return
        if target.attr == "requires_grad" and isinstance(target.value, ast.Name):
            return self.requires_grad(target.value, node, value)
        if target.attr == "grad":
            self.note(target, f"{ast.unparse(target)} = … is not needed: gradviz runs the "
                              f"backward pass itself, from the output")
            return
        raise self.error(target, "only a plain name can be assigned (not attributes or "
                                 "subscripts), and x.label = '…'")

    # --- lines that do nothing here ----------------------------------------------------
    def bare(self, expr: ast.expr, final: bool) -> None:
        func = expr.func if isinstance(expr, ast.Call) else None
        if isinstance(func, ast.Attribute) and func.attr == "backward":
            if expr.args or expr.keywords:
                raise self.error(expr, "backward() takes no arguments here")
            self.output = self.result_of(func.value)
            self.backward = True
            return
        if isinstance(func, ast.Attribute) and func.attr == "_backward" \
                and not expr.args and not expr.keywords:
            self.result_of(func.value)
            self.note(expr, f"{ast.unparse(expr)} is not run: gradviz runs the whole "
                            f"backward pass itself")
            return
        if isinstance(func, ast.Name) and func.id == "print" and not self.is_bound("print"):
            for arg in [*expr.args, *(kw.value for kw in expr.keywords)]:
                self.check_printed(arg)
            self.note(expr, "print(...) prints nothing here: the values and gradients are "
                            "on the graph")
            return
        if isinstance(func, ast.Name) and func.id == "draw_dot" \
                and not self.is_bound("draw_dot"):
            if len(expr.args) != 1 or expr.keywords:
                raise self.error(expr, "draw_dot takes one value: draw_dot(o)")
            self.result_of(expr.args[0])
            self.note(expr, "draw_dot(...) is what gradviz shows anyway")
            return
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str) and self.active:
            return  # a docstring
        if isinstance(func, ast.Name) and self.is_bound(func.id) \
                and isinstance(self.lookup(func.id), Function):
            self.expression(expr, None)  # a call for what it builds
            return
        if not final:
            raise self.error(expr, "an expression on its own does nothing here; assign it "
                                   "(x = …) or put it on the last line to make it the result")
        self.output = self.result_of(expr)

    def check_printed(self, node: ast.expr) -> None:
        """What print shows: names, their .grad/.data/.value, text; nothing is built."""
        todo = [node]
        while todo:
            n = todo.pop()
            if isinstance(n, ast.Name):
                self.check_name(n)
                if not self.is_bound(n.id) and n.id not in self.overrides:
                    self.undefined(n)
            elif isinstance(n, ast.Attribute):
                self.check_attr(n)
                if n.attr not in PRINTABLE:
                    raise self.error(n, f"print(...) here shows values and their "
                                        f"{', '.join('.' + p for p in PRINTABLE)}")
                todo.append(n.value)
            elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) \
                    and n.func.attr == "item" and not n.args and not n.keywords:
                todo.append(n.func)
            elif isinstance(n, (ast.Constant, ast.JoinedStr, ast.FormattedValue, ast.Tuple,
                                ast.List, ast.BinOp, ast.UnaryOp)):
                if isinstance(n, ast.FormattedValue) and n.format_spec is not None:
                    todo.append(n.format_spec)
                # the leftmost first: the first undefined name is the one reported
                todo.extend(reversed([c for c in ast.iter_child_nodes(n)
                                      if isinstance(c, ast.expr)]))
            elif not isinstance(n, (ast.operator, ast.unaryop)):
                raise self.error(n, "print(...) here shows names, their .grad and .data, "
                                    "and text")

    def result_of(self, expr: ast.expr) -> str:
        result = self.expression(strip_plus(expr), None)
        if not isinstance(result, str):
            what = "just a number; name it (x = 3) to make it an input" \
                if isinstance(result, (int, float)) else kind_of(result)
            raise self.error(expr, f"the result is {what}")
        return result
