"""Expressions of a program -> values: graph nodes, numbers, lists; checked as read.

`ExpressionBuilder` builds one right-hand side bottom-up (an explicit stack, so a deep
expression needs no recursion) and refuses, with the construct's line and column,
anything that is not an operation from the op table applied to names and numbers, or
one of the few Python constructs the language takes (lists, calls; see
`language_calls`). Statements are the job of `language_statements`.
"""
from __future__ import annotations

import ast
import math
import re

from .errors import ProgramError, UndefinedNameError
from .graph import Graph
from .language_refusals import SYMBOLS, constant_refusal, expression_refusal, unknown_name
from .language_values import Function, Literal, Seq, kind_of
from .naming import ProgramNames
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
MODULES = ("math", "np", "numpy", "torch", "F")

NODE_BUDGET = 100_000
"""The most nodes a program may build (checked before building, and while building)."""


class ExpressionBuilder:
    """Adds the nodes of checked expressions to ``graph``; names resolve in ``scopes``
    (the program's names first, a function call's own on top of them).

    ``names`` are every name the program uses, which the names of unnamed nodes (c, d …
    or n_a, n_b …: see `naming`) skip; ``naming`` hands those out (by default the first
    reading's, letters first).
    """

    def __init__(self, text: str, names: set[str], naming: ProgramNames | None = None):
        # Lines as Python counts them: splitlines() also breaks at form feeds, U+2028 …,
        # which would put a refusal's column on the wrong line.
        self.lines = re.split(r"\r\n|\r|\n", text)
        self.graph = Graph()
        self.scopes: list[dict[str, object]] = [{}]
        self.naming = naming or ProgramNames(names)
        self.stem: str | None = None  # the name the statement being read assigns
        self.literals: dict[str, ast.expr | None] = {}  # input id -> its literal
        self.groups: list[list] = []  # [name, id or None] of the calls being expanded
        self.where: ast.AST | None = None  # the statement being read, for the budget
        self.made: dict[str, int] = {}  # node id -> how many nodes were made before it
        self.explicit: set[str] = set()  # nodes given a label by label= or .label

    # --- names ------------------------------------------------------------------------
    def lookup(self, name: str):
        """What ``name`` stands for now (a call's own names first), or KeyError."""
        local = self.scopes[-1]
        if name in local:
            return local[name]
        return self.scopes[0][name]

    def is_bound(self, name: str) -> bool:
        return name in self.scopes[-1] or name in self.scopes[0]

    # --- building ---------------------------------------------------------------------
    def expression(self, root: ast.expr, label: str | None):
        """Build ``root`` bottom-up with an explicit stack (no recursion limit); the root
        operation gets ``label``, the others automatic names in creation order."""
        results: list = []
        top = strip_plus(root)
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
                results.append(self.leaf(node, label if node is top else None))
            else:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(children))
        return results[0]

    def children(self, node: ast.expr) -> list[ast.expr] | None:
        """The operands of an operation, None for anything else (a leaf, built by
        `leaf`); refuses what is not allowed at all."""
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
            operand = self.op_operand(node)
            return None if operand is None else [operand]
        if isinstance(node, (ast.List, ast.Tuple, ast.Subscript, ast.ListComp,
                             ast.GeneratorExp, ast.Attribute)):
            return None
        raise self.error(node, expression_refusal(node))

    def leaf(self, node: ast.expr, label: str | None):
        number = self.literal(node)
        if number is not None:
            return number
        if isinstance(node, ast.Constant):
            raise self.error(node, constant_refusal(node.value))
        if isinstance(node, ast.Name):
            return self.name_value(node)
        return self.compound(node, label)

    def name_value(self, node: ast.Name):
        name = node.id
        local = self.scopes[-1]
        if name in local:
            return local[name]
        if name in self.scopes[0]:
            return self.scopes[0][name]
        self.check_name(node)
        if node.id in FUNCTIONS:
            raise self.error(node, f"{node.id} is a function; call it: {node.id}(x)")
        if node.id in INPUT_MAKERS:
            raise self.error(node, f"{node.id} is used as {node.id}(2.0): "
                                   f"x = {node.id}(2.0)")
        return self.undefined(node)

    def undefined(self, node: ast.Name):
        place = self.error(node, "")
        raise UndefinedNameError(node.id, place.line, place.col)

    def compound(self, node: ast.expr, label: str | None):
        """Lists, calls, subscripts, comprehensions: `language_calls` builds them."""
        raise self.error(node, expression_refusal(node))

    def op_operand(self, call: ast.Call) -> ast.expr | None:
        """The one operand of ``tanh(x)`` or ``x.tanh()``; None for a call that is no
        operation (a function of the program, ``len``, ``Value`` …)."""
        func = call.func
        if isinstance(func, ast.Name):
            self.check_name(func)
            name = func.id
            if name not in FUNCTIONS or self.is_bound(name):
                return None
            if len(call.args) != 1 or call.keywords or isinstance(call.args[0], ast.Starred):
                raise self.error(call, f"{name} takes exactly one argument: {name}(x)")
            return call.args[0]
        if isinstance(func, ast.Attribute):
            self.check_attr(func)
            name = func.attr
            if isinstance(func.value, ast.Name) and func.value.id in MODULES \
                    and not self.is_bound(func.value.id):
                if func.value.id == "torch" and name in ("tensor", "Tensor"):
                    return None
                if func.value.id == "torch" and name in FUNCTIONS:  # torch.tanh(n)
                    if len(call.args) != 1 or call.keywords \
                            or isinstance(call.args[0], ast.Starred):
                        raise self.error(call, f"torch.{name} takes exactly one argument")
                    return call.args[0]
                hint = f"write {name}(x)" if name in FUNCTIONS else unknown_name("function", name)
                raise self.error(func, f"no modules here: {hint}")
            if name == "backward":
                raise self.error(func, "backward() can only be a statement of its own "
                                       "(y.backward())")
            if name in ("double", "float") and not call.args and not call.keywords:
                return None  # torch's x.double(): the same number (gradviz's are doubles)
            if name not in FUNCTIONS:
                raise self.error(func, unknown_name("method", name))
            if call.args or call.keywords:
                raise self.error(call, f".{name}() takes no arguments")
            return func.value
        raise self.error(call, "only operations can be called (tanh(x), x.relu(), …)")

    def make(self, node: ast.expr, args: list, label: str | None) -> str:
        if isinstance(node, ast.BinOp):
            op_id = BINARY_OPS[type(node.op)]
        elif isinstance(node, ast.UnaryOp):
            op_id = _NEG_ID
        else:
            assert isinstance(node, ast.Call)
            func = node.func
            op_id = FUNCTIONS[func.id if isinstance(func, ast.Name) else func.attr].id
        for arg in args:
            if not is_operand(arg):
                raise self.error(node, f"{OPS[op_id].title.lower()} takes values and "
                                       f"numbers, not {kind_of(arg)}")
        if label is None and all(is_number(a) for a in args) \
                and not all(isinstance(a, Literal) for a in args):
            number = _fold(op_id, args)  # 0.1 * k with k a loop's number: a number
            if number is not None:
                return number
        return self.make_op(op_id, args, label)

    def make_op(self, op_id: str, args: list, label: str | None) -> str:
        """A new operation node on ``args`` (node ids, or numbers made constants)."""
        auto = label is None
        label = self.naming.invent(self.stem) if label is None else label
        group = self.current_group() if self.groups else None
        if len(self.graph.nx) + len(args) >= NODE_BUDGET:
            self.count(len(args) + 1)
        for port, arg in enumerate(args):
            if not isinstance(arg, str):
                args[port] = self.graph.add_constant(float(arg), id=f"{label}:{port}",
                                                     group=group)
        self.graph.add_op(op_id, label, id=label, auto=auto, group=group)
        self.made[label] = len(self.made)
        for port, arg in enumerate(args):
            # Graph.connect's checks cannot fail for a fresh node fed by existing ones,
            # and cost most of the time on long programs.
            self.graph.nx.add_edge(arg, label, key=port)
        return label

    def make_input(self, label: str | None, value: float, literal: ast.expr | None) -> str:
        """A new input; ``literal`` is the number in the text it is made from."""
        auto = label is None
        if label is None:
            label = self.naming.invent(self.stem)
        else:
            self.naming.input_made(label)
        self.count()
        node = self.graph.add_input(label, float(value), id=label, auto=auto,
                                    group=self.current_group())
        self.literals[node] = literal
        self.made[node] = len(self.made)
        return node

    def count(self, more: int = 1) -> None:
        """Refuse to make ``more`` nodes past the budget."""
        if len(self.graph.nx) + more > NODE_BUDGET:
            raise self.error(self.where, f"the program makes more than {NODE_BUDGET:,} "
                                         f"nodes, more than gradviz draws; make it smaller")

    def current_group(self) -> str | None:
        """The group of the innermost call being expanded, made when first needed (a
        call that makes no node has no group)."""
        if not self.groups:
            return None
        parent = None
        for entry in self.groups:
            if entry[1] is None:
                entry[1] = self.graph.add_group(entry[0], parent=parent)
            parent = entry[1]
        return parent

    # --- checks ----------------------------------------------------------------------
    def literal(self, node: ast.expr) -> Literal | None:
        """The value of ``2``, ``-2.5`` or ``+2``; None for anything else."""
        start = node = strip_plus(node)
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
        return Literal(sign * number, start)

    def check_name(self, node: ast.Name) -> None:
        if node.id.startswith("__"):
            raise self.error(node, f"names starting with __ are not allowed ({node.id})")

    def check_attr(self, node: ast.Attribute) -> None:
        if node.attr.startswith("__"):
            raise self.error(node, f"names starting with __ are not allowed ({node.attr})")

    def place(self, node: ast.AST) -> tuple[int, int]:
        """The 1-based line and character column of ``node``."""
        line = getattr(node, "lineno", 1) or 1
        offset = getattr(node, "col_offset", 0) or 0
        # ast columns count UTF-8 bytes; people count characters.
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        col = len(text.encode("utf-8")[:offset].decode("utf-8", "replace")) + 1
        return line, col

    def error(self, node: ast.AST | None, message: str) -> ProgramError:
        line, col = self.place(node) if node is not None else (1, 1)
        return ProgramError(message, line, col)


def _fold(op_id: str, args: list) -> float | None:
    """Python's number for an operation on numbers a loop or len computed (operations on
    numbers written out stay nodes, as they always were); None where it has no finite
    real value (the engine then says why, at the node)."""
    try:
        number = OPS[op_id].forward(*(float(a) for a in args))
    except (ArithmeticError, ValueError):
        return None
    if not isinstance(number, float) or not math.isfinite(number):
        return None
    return number


def is_operand(value: object) -> bool:
    """Whether an operation can take ``value``: a node, or a number."""
    return isinstance(value, str) or (isinstance(value, (int, float))
                                      and not isinstance(value, bool))


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def strip_plus(node: ast.expr) -> ast.expr:
    """Unary + changes nothing: look through it."""
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd):
        node = node.operand
    return node


__all__ = ["ExpressionBuilder", "BINARY_OPS", "INPUT_MAKERS", "SUPPORTED_OPERATORS",
           "NODE_BUDGET", "Function", "Seq", "is_operand", "is_number", "strip_plus"]
