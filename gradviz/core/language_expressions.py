"""Expressions of a program -> graph nodes: operators, calls and numbers, checked as read.

`ExpressionBuilder` builds one right-hand side bottom-up (an explicit stack, so a deep
expression needs no recursion) and refuses, with the construct's line and column,
anything that is not an operation from the op table applied to names and numbers.
Statements (assignments, ``+=``, ``.backward()``) are the job of `language`.
"""
from __future__ import annotations

import ast
import math
import re
from typing import Union

from .errors import ProgramError, UndefinedNameError
from .graph import Graph, auto_names
from .language_refusals import SYMBOLS, constant_refusal, expression_refusal, unknown_name
from .ops import FUNCTIONS, INFIX, OPS

INPUT_MAKERS = ("Value", "DiffScalar")

# Python's spelling of each infix operator; which operation it means (and how tightly
# it binds) is the op table's.
_INFIX_SYNTAX: dict[type, str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/",
                                  ast.Pow: "**"}
BINARY_OPS: dict[type, str] = {node: INFIX[text].id for node, text in _INFIX_SYNTAX.items()
                               if text in INFIX}
"""The ast operator classes programs may use, with the id of the operation each means."""
SUPPORTED_OPERATORS = " ".join(INFIX)
"""The infix operators as a refusal lists them (``+ - * / **``)."""
_NEG_ID = OPS["neg"].id  # what unary minus means, the one prefix operator
_MODULES = ("math", "np", "numpy", "torch", "F")

Operand = Union[str, float]
"""What an expression gives: a node id, or a number still waiting for its consumer
(a constant's id is ``consumer:port``, so it is made together with the consumer)."""


class ExpressionBuilder:
    """Adds the nodes of checked expressions to ``graph``; names resolve via ``current``.

    ``names`` are every name the program uses, which automatic labels (c, d, …) skip.
    """

    def __init__(self, text: str, names: set[str]):
        # Lines as Python counts them: splitlines() also breaks at form feeds, U+2028 …,
        # which would put a refusal's column on the wrong line.
        self.lines = re.split(r"\r\n|\r|\n", text)
        self.graph = Graph()
        self.current: dict[str, str] = {}   # name -> id of the node it refers to now
        self.auto = auto_names(names)

    def expression(self, root: ast.expr, label: str | None) -> Operand:
        """Build ``root`` bottom-up with an explicit stack (no recursion limit); the root
        operation gets ``label``, the others automatic names in creation order."""
        results: list[Operand] = []
        stack: list[tuple[ast.expr, bool]] = [(root, False)]
        while stack:
            node, ready = stack.pop()
            if ready:
                count = 2 if isinstance(node, ast.BinOp) else 1
                args = results[-count:]
                del results[-count:]
                results.append(self.make(node, args, label if node is root else None))
                continue
            node = strip_plus(node)
            children = self.children(node)
            if children is None:
                results.append(self.leaf(node))
            else:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(children))
        return results[0]

    def children(self, node: ast.expr) -> list[ast.expr] | None:
        """The operands of an allowed operation, None for a leaf; refuses the rest."""
        if isinstance(node, (ast.Constant, ast.Name)) or self.literal(node) is not None:
            return None
        if isinstance(node, ast.BinOp):
            if type(node.op) not in BINARY_OPS:
                raise self.error(node, f"the operator {SYMBOLS.get(type(node.op), '?')} is "
                                       f"not supported (use {SUPPORTED_OPERATORS})")
            return [node.left, node.right]
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return [node.operand]
            if isinstance(node.op, ast.Not):
                raise self.error(node, "boolean operators (not, and, or) are not allowed")
            raise self.error(node, "the operator ~ is not supported")
        if isinstance(node, ast.Call):
            return [self.call_operand(node)]
        raise self.error(node, expression_refusal(node))

    def leaf(self, node: ast.expr) -> Operand:
        number = self.literal(node)
        if number is not None:
            return number
        if isinstance(node, ast.Constant):
            raise self.error(node, constant_refusal(node.value))
        assert isinstance(node, ast.Name)
        self.check_name(node)
        if node.id in self.current:
            return self.current[node.id]
        if node.id in FUNCTIONS:
            raise self.error(node, f"{node.id} is a function; call it: {node.id}(x)")
        if node.id in INPUT_MAKERS:
            raise self.error(node, f"{node.id} is used as {node.id}(2.0) on the right of "
                                   f"a name: x = {node.id}(2.0)")
        place = self.error(node, "")
        raise UndefinedNameError(node.id, place.line, place.col)

    def call_operand(self, call: ast.Call) -> ast.expr:
        """The one operand of ``tanh(x)`` or ``x.tanh()``; refuses every other call."""
        func = call.func
        if isinstance(func, ast.Name):
            self.check_name(func)
            name = func.id
            if name in INPUT_MAKERS:
                raise self.error(call, f"{name}(...) makes an input; give it a name on a "
                                       f"line of its own: x = {name}(2.0)")
            if name == "print":
                raise self.error(call, "print(...) is not needed: gradviz shows every value")
            if name not in FUNCTIONS:
                raise self.error(func, unknown_name("function", name))
            if len(call.args) != 1 or call.keywords or isinstance(call.args[0], ast.Starred):
                raise self.error(call, f"{name} takes exactly one argument: {name}(x)")
            return call.args[0]
        if isinstance(func, ast.Attribute):
            self.check_attr(func)
            name = func.attr
            if isinstance(func.value, ast.Name) and func.value.id in _MODULES \
                    and func.value.id not in self.current:
                hint = f"write {name}(x)" if name in FUNCTIONS else unknown_name("function", name)
                raise self.error(func, f"no modules here: {hint}")
            if name == "backward":
                raise self.error(func, "backward() can only be a statement of its own "
                                       "(y.backward())")
            if name not in FUNCTIONS:
                raise self.error(func, unknown_name("method", name))
            if call.args or call.keywords:
                raise self.error(call, f".{name}() takes no arguments")
            return func.value
        raise self.error(call, "only operations can be called (tanh(x), x.relu(), …)")

    def make(self, node: ast.expr, args: list[Operand], label: str | None) -> str:
        if isinstance(node, ast.BinOp):
            op_id = BINARY_OPS[type(node.op)]
        elif isinstance(node, ast.UnaryOp):
            op_id = _NEG_ID
        else:
            assert isinstance(node, ast.Call)
            func = node.func
            op_id = FUNCTIONS[func.id if isinstance(func, ast.Name) else func.attr].id
        auto = label is None
        label = next(self.auto) if label is None else label
        for port, arg in enumerate(args):
            if isinstance(arg, float):
                args[port] = self.graph.add_constant(arg, id=f"{label}:{port}")
        self.graph.add_op(op_id, label, id=label, auto=auto)
        for port, arg in enumerate(args):
            # Graph.connect's checks cannot fail for a fresh node fed by existing ones,
            # and cost most of the time on long programs.
            self.graph.nx.add_edge(arg, label, key=port)
        return label

    # --- checks ----------------------------------------------------------------------
    def literal(self, node: ast.expr) -> float | None:
        """The value of ``2``, ``-2.5`` or ``+2``; None for anything else."""
        node = strip_plus(node)
        sign = 1.0
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            sign, node = -1.0, node.operand
        if not isinstance(node, ast.Constant):
            return None
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if sign < 0:
                raise self.error(node, constant_refusal(value))
            return None
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise self.error(node, "the number is too large (the largest is about 1.8e308)")
        return sign * number

    def check_name(self, node: ast.Name) -> None:
        if node.id.startswith("__"):
            raise self.error(node, f"names starting with __ are not allowed ({node.id})")

    def check_attr(self, node: ast.Attribute) -> None:
        if node.attr.startswith("__"):
            raise self.error(node, f"names starting with __ are not allowed ({node.attr})")

    def error(self, node: ast.AST, message: str) -> ProgramError:
        line = getattr(node, "lineno", 1) or 1
        offset = getattr(node, "col_offset", 0) or 0
        # ast columns count UTF-8 bytes; people count characters.
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        col = len(text.encode("utf-8")[:offset].decode("utf-8", "replace")) + 1
        return ProgramError(message, line, col)


def strip_plus(node: ast.expr) -> ast.expr:
    """Unary + changes nothing: look through it."""
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd):
        node = node.operand
    return node
