"""How many nodes a program would build, estimated from its text before anything is built.

A loop multiplies what its body builds by how many times it runs, a call of the
program's own function adds what that function's body builds (worked out once per
function), a comprehension and ``sum`` multiply by their list's length. Counts come from
the text: ``range`` of numbers written out (``range(10**6)`` too), the length of a list
written out, ``len`` of one, ``zip`` of them; a length the text does not show (a
function's parameter) counts as the longest list or range the program writes. An
operation counts with every operand that may be a constant (a number or a name).

The first loop, call or statement that takes the estimate past NODE_BUDGET is refused,
with its line and column, and so is recursion and calls nesting more than CALL_DEPTH deep;
nothing has been built then. The builder also counts while it builds (language_calls and
language_expressions), so a program the estimate misjudges stops at the budget all the
same, with bounded memory.
"""
from __future__ import annotations

import ast

from .language_expressions import NODE_BUDGET, ExpressionBuilder
from .language_statements import CALL_DEPTH

_NO_NODES = ("len", "range", "zip", "list", "tuple", "print", "draw_dot")


def check_budget(builder: ExpressionBuilder, tree: ast.Module) -> None:
    """Refuse (ProgramError at the place) a program estimated past the budget."""
    _Estimate(builder, tree).run(tree.body)


class _Estimate:
    def __init__(self, builder: ExpressionBuilder, tree: ast.Module):
        self.b = builder
        self.functions = {s.name: s for s in tree.body if isinstance(s, ast.FunctionDef)}
        self.cost: dict[str, int] = {}
        self.active: list[str] = []
        self.lengths: dict[str, int] = {}  # a name -> the longest list it is given
        self.bounds: dict[str, int] = {}  # a loop's name -> the largest number it takes
        self.longest = 1
        for node in ast.walk(tree):
            if isinstance(node, (ast.List, ast.Tuple)):
                self.longest = max(self.longest, len(node.elts))
            elif _is_call(node, "range"):
                self.longest = max(self.longest, self.range_length(node))

    def run(self, body: list[ast.stmt]) -> None:
        total = 0
        for stmt in body:
            total += self.statement(stmt)
            if total > NODE_BUDGET:
                raise self.too_big(stmt, total)

    def too_big(self, node: ast.AST, count: int):
        what = {ast.For: "this loop", ast.Call: "this call", ast.ListComp: "this list",
                ast.GeneratorExp: "this generator"}.get(type(node), "the program up to here")
        return self.b.error(node, f"{what} would make about {_about(count)} nodes, more "
                                  f"than the {NODE_BUDGET:,} gradviz builds; make it "
                                  f"smaller (nothing was built)")

    # --- statements --------------------------------------------------------------------
    def block(self, body: list[ast.stmt]) -> int:
        return sum(self.statement(s) for s in body)

    def statement(self, stmt: ast.stmt) -> int:
        if isinstance(stmt, ast.For):
            count = self.length(stmt.iter)
            if isinstance(stmt.target, ast.Name):
                self.bounds[stmt.target.id] = count
            cost = self.expression(stmt.iter) + count * max(1, self.block(stmt.body))
            if cost > NODE_BUDGET:
                raise self.too_big(stmt, cost)
            return cost
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ast.Name):
            if isinstance(stmt.value, (ast.List, ast.Tuple, ast.ListComp, ast.Call)):
                n = self.length(stmt.value)
                name = stmt.targets[0].id
                self.lengths[name] = max(self.lengths.get(name, 0), n)
                self.longest = max(self.longest, n)
            return _is_leaf(stmt.value) + self.expression(stmt.value)
        if isinstance(stmt, ast.AugAssign):
            return 1 + _is_leaf(stmt.value) + self.expression(stmt.value)
        if isinstance(stmt, (ast.Assign, ast.Expr, ast.Return)) and stmt.value is not None:
            return _is_leaf(stmt.value) + self.expression(stmt.value)
        if isinstance(stmt, ast.FunctionDef):
            return sum(self.expression(d) for d in stmt.args.defaults)
        return 0

    # --- expressions -------------------------------------------------------------------
    def expression(self, root: ast.expr) -> int:
        total = 0
        todo = [root]
        while todo:
            node = todo.pop()
            if isinstance(node, ast.BinOp):
                total += 1 + _is_leaf(node.left) + _is_leaf(node.right)
            elif isinstance(node, ast.UnaryOp):
                total += 1 + _is_leaf(node.operand)
            elif isinstance(node, (ast.ListComp, ast.GeneratorExp)):
                total += self.comprehension(node)
                continue
            elif isinstance(node, ast.Call):
                total += self.call(node)
            elif isinstance(node, (ast.Lambda, ast.FunctionDef)):
                continue
            todo.extend(c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr))
        return total

    def call(self, node: ast.Call) -> int:
        func = node.func
        if isinstance(func, ast.Name) and func.id in self.functions:
            cost = self.function(func.id, node)
            if cost > NODE_BUDGET:
                raise self.too_big(node, cost)
            return cost
        if _is_call(node, "sum") and node.args:
            return 2 * self.length(node.args[0])  # an addition, perhaps of a constant
        if isinstance(func, ast.Name) and func.id in _NO_NODES:
            return 0
        return 1 + sum(_is_leaf(a) for a in node.args)  # an operation, or an input

    def function(self, name: str, call: ast.Call) -> int:
        if name in self.active:
            chain = " -> ".join(self.active[self.active.index(name):] + [name])
            raise self.b.error(call, f"{name} calls itself ({chain}); recursion is not "
                                     f"allowed (nothing was built)")
        if len(self.active) >= CALL_DEPTH:
            raise self.b.error(call, f"calls nest more than {CALL_DEPTH} deep "
                                     f"({' -> '.join(self.active[:3])} -> …); nothing was "
                                     f"built")
        if name not in self.cost:
            self.active.append(name)
            try:
                self.cost[name] = 1 + self.block(self.functions[name].body)
            finally:
                self.active.pop()
        return self.cost[name]

    def comprehension(self, node: ast.ListComp | ast.GeneratorExp) -> int:
        count = 1
        for gen in node.generators:
            n = self.length(gen.iter)
            if isinstance(gen.target, ast.Name):
                self.bounds[gen.target.id] = n
            count *= n
        cost = sum(self.expression(g.iter) for g in node.generators)
        cost += count * max(1, self.expression(node.elt))
        if cost > NODE_BUDGET:
            raise self.too_big(node, cost)
        return cost

    # --- lengths -----------------------------------------------------------------------
    def length(self, node: ast.expr) -> int:
        """How many items ``node`` has, as far as the text shows (else the longest)."""
        if isinstance(node, (ast.List, ast.Tuple)):
            return len(node.elts)
        if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
            count = 1
            for gen in node.generators:
                count *= self.length(gen.iter)
            return count
        if _is_call(node, "range"):
            return self.range_length(node)
        if _is_call(node, "zip") and node.args:
            return min(self.length(a) for a in node.args)
        if _is_call(node, "list") or _is_call(node, "tuple"):
            return self.length(node.args[0]) if node.args else 0
        if isinstance(node, ast.Name) and node.id in self.lengths:
            return self.lengths[node.id]
        return self.longest

    def range_length(self, node: ast.Call) -> int:
        args = [self.number(a) for a in node.args[:3]]
        if not args or any(a is None for a in args):
            return self.longest
        try:
            return len(range(*args))
        except ValueError:  # a step of 0: the builder says so
            return 0
        except OverflowError:  # more than a machine word can count
            return 10 ** 19

    def number(self, node: ast.expr) -> int | None:
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return node.value
        if isinstance(node, ast.Name) and node.id in self.bounds:
            return self.bounds[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            inner = self.number(node.operand)
            return None if inner is None else -inner
        if _is_call(node, "len") and node.args:
            return self.length(node.args[0])
        if isinstance(node, ast.BinOp):
            a, b = self.number(node.left), self.number(node.right)
            if a is None or b is None:
                return None
            if isinstance(node.op, ast.Pow):
                return a ** b if 0 <= b <= 64 and abs(a) <= 10 ** 6 else None
            if isinstance(node.op, (ast.Add, ast.Sub, ast.Mult)):
                return {ast.Add: a + b, ast.Sub: a - b, ast.Mult: a * b}[type(node.op)]
            if isinstance(node.op, ast.FloorDiv) and b:
                return a // b
        return None


def _is_leaf(node: ast.expr) -> int:
    """1 for an operand that may become a node of its own (a number: a constant, or a
    name given a number: an input), else 0."""
    return int(isinstance(node, (ast.Constant, ast.Name))
               or (isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant)))


def _is_call(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
        and node.func.id == name


def _about(count: int) -> str:
    if count >= 10 ** 15:
        return f"10^{len(str(count)) - 1}"
    return f"{count:,}"
