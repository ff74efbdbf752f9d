"""The Python a lecture uses around its values: constructors, lists, ``len``, ``sum``,
``zip``, ``range``, indexing and comprehensions, read (never run) into graph nodes.

- ``Value(x)`` makes an input; so do ``DiffScalar(x, requires_grad=True)`` and
  ``torch.tensor(x, requires_grad=True)``; without ``requires_grad`` the last two give a
  plain number, a constant where it is used (as in those libraries), and so does
  ``torch.Tensor([x]).double()`` (whose ``t.requires_grad = True`` makes it an input).
  ``x`` is a number: written out, or taken from a list or a loop.
- ``sum(xs, start)`` adds left to right as Python does (``start + x0 + x1 …``; without a
  start, ``x0 + x1 …``: Python's ``0 +`` adds nothing, so no node is made for it).
- An index is a whole number: written out, a loop's number, ``len(…)``, or ``+ - * //``
  of those.
"""
from __future__ import annotations

import ast

from .language_expressions import INPUT_MAKERS, ExpressionBuilder, is_number, is_operand
from .language_refusals import unknown_name
from .language_values import Function, Literal, Seq, kind_of

BUILTINS = ("len", "sum", "zip", "range", "list", "tuple")
ITERATION_BUDGET = 200_000
"""The most loop steps (of every loop and comprehension together) a program may take."""
_STATIC_OPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
               ast.Mult: lambda a, b: a * b, ast.FloorDiv: lambda a, b: a // b if b else None}


class CallBuilder(ExpressionBuilder):
    """`ExpressionBuilder` with the lecture constructs (see the module docstring); a
    call of the program's own function is `call_function`'s (language_statements)."""

    iterations = 0

    def compound(self, node: ast.expr, label: str | None):
        if isinstance(node, (ast.List, ast.Tuple)):
            for e in node.elts:
                if isinstance(e, ast.Starred):
                    raise self.error(e, "starred expressions are not allowed")
            kind = "list" if isinstance(node, ast.List) else "tuple"
            return Seq([self.expression(e, None) for e in node.elts], kind)
        if isinstance(node, ast.Subscript):
            return self.subscript(node)
        if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
            return self.comprehension(node)
        if isinstance(node, ast.Attribute):
            self.check_attr(node)
            if node.attr in ("grad", "data", "value"):
                raise self.error(node, f".{node.attr} can be read only inside print(...) "
                                       f"(gradviz shows it on the graph); reading "
                                       f"attributes is not allowed in a computation")
            raise self.error(node, "reading attributes is not allowed; only method calls "
                                   "like x.tanh() are")
        assert isinstance(node, ast.Call)
        return self.call(node, label)

    # --- calls ------------------------------------------------------------------------
    def call(self, node: ast.Call, label: str | None):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("double", "float"):
            value = self.expression(func.value, None)
            if not is_operand(value):
                raise self.error(node, f".{func.attr}() takes a value, not {kind_of(value)}")
            return value
        if isinstance(func, ast.Attribute):  # torch.tensor, torch.Tensor
            return self.construct(f"torch.{func.attr}", node, label)
        if not isinstance(func, ast.Name):
            raise self.error(node, "only operations can be called (tanh(x), x.relu(), …)")
        name = func.id
        if self.is_bound(name):
            value = self.lookup(name)
            if isinstance(value, Function):
                return self.call_function(value, node, label)
            raise self.error(func, f"{name} is {kind_of(value)}; it cannot be called")
        if name in INPUT_MAKERS:
            return self.construct(name, node, label)
        if name in BUILTINS:
            return getattr(self, f"builtin_{name}")(node, label)
        if name == "print":
            raise self.error(node, "print(...) can only be a statement of its own")
        if name == "draw_dot":
            raise self.error(node, "draw_dot(...) can only be a statement of its own")
        raise self.error(func, unknown_name("function", name))

    def call_function(self, function: Function, node: ast.Call, label: str | None):
        raise self.error(node, "defining functions is not allowed")

    def construct(self, maker: str, node: ast.Call, label: str | None):
        """``Value(2.0, label='a')``, ``DiffScalar(2, requires_grad=True)``,
        ``torch.tensor(2.0, requires_grad=True)``: an input, or a plain number."""
        if len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise self.error(node, f"{maker}(...) takes one number, e.g. {maker}(2.0)")
        shown, grad = None, maker == "Value"
        for kw in node.keywords:
            v = kw.value
            if kw.arg == "label" and maker == "Value":
                if not (isinstance(v, ast.Constant) and isinstance(v.value, str)):
                    raise self.error(v, "label= takes a string written out: label='x1'")
                shown = self.label_text(v)
            elif kw.arg == "requires_grad" and maker != "Value":
                if not (isinstance(v, ast.Constant) and isinstance(v.value, bool)):
                    raise self.error(v, "requires_grad= takes True or False written out")
                grad = v.value
            else:
                raise self.error(kw if kw.arg else v, f"{maker}(...) does not take "
                                                      f"{kw.arg or '**'}= here")
        number = self.expression(node.args[0], None)
        if maker.startswith("torch.") and isinstance(number, Seq) and len(number.items) == 1:
            number = number.items[0]  # torch.Tensor([2.0]): one number
        if not is_number(number):
            raise self.error(node.args[0], f"{maker}(...) takes a number written out (or "
                                           f"one from a list or a loop), e.g. {maker}(2.0), "
                                           f"not {kind_of(number)}")
        if not grad:
            return number
        source = number.source if isinstance(number, Literal) else None
        made = self.make_input(label, number, source)
        if shown is not None:
            self.graph.set_attrs(made, label=shown, auto=False)
            self.explicit.add(made)
        return made

    def label_text(self, node: ast.Constant) -> str:
        """Any text (what `to_text` writes for a label must read back)."""
        return node.value

    # --- builtins ---------------------------------------------------------------------
    def arguments(self, node: ast.Call, least: int, most: int) -> list[ast.expr]:
        name = node.func.id
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args) \
                or not least <= len(node.args) <= most:
            count = str(least) if least == most else f"{least} to {most}"
            raise self.error(node, f"{name}(...) takes {count} argument"
                                   f"{'s' * (most > 1)} written in order")
        return node.args

    def builtin_len(self, node: ast.Call, label: str | None) -> int:
        (arg,) = self.arguments(node, 1, 1)
        value = self.expression(arg, None)
        if not isinstance(value, (Seq, range)):
            raise self.error(arg, f"len(...) takes a list, not {kind_of(value)}")
        return len(value.items if isinstance(value, Seq) else value)

    def builtin_range(self, node: ast.Call, label: str | None) -> range:
        args = [self.whole_number(a, "range(...)") for a in self.arguments(node, 1, 3)]
        if len(args) == 3 and args[2] == 0:
            raise self.error(node.args[2], "range(...) cannot step by 0")
        return range(*args)

    def builtin_zip(self, node: ast.Call, label: str | None) -> Seq:
        lists = [self.iterate(self.expression(a, None), a) for a in self.arguments(node, 1, 8)]
        return Seq([Seq(list(t), "tuple") for t in zip(*lists, strict=False)], "zip")

    def builtin_list(self, node: ast.Call, label: str | None) -> Seq:
        (arg,) = self.arguments(node, 1, 1)
        return Seq(list(self.iterate(self.expression(arg, None), arg)), "list")

    def builtin_tuple(self, node: ast.Call, label: str | None) -> Seq:
        (arg,) = self.arguments(node, 1, 1)
        return Seq(list(self.iterate(self.expression(arg, None), arg)), "tuple")

    def builtin_sum(self, node: ast.Call, label: str | None):
        args = self.arguments(node, 1, 2)
        items = self.iterate(self.expression(args[0], None), args[0])
        total = self.expression(args[1], None) if len(args) == 2 else None
        for i, item in enumerate(items):
            for value, where in ((item, args[0]), (total, args[-1])):
                if value is not None and not is_operand(value):
                    raise self.error(where, f"sum(...) adds values and numbers, not "
                                            f"{kind_of(value)}")
            if total is None:
                total = item
            elif is_number(total) and is_number(item):
                total = float(total) + float(item)
            else:
                last = i == len(items) - 1
                total = self.make_op("add", [total, item], label if last else None)
        return 0 if total is None else total

    # --- lists ------------------------------------------------------------------------
    def iterate(self, value, node: ast.expr) -> list:
        """The items of a list, tuple, zip or range, counted against the loop budget."""
        if isinstance(value, Seq):
            items = value.items
        elif isinstance(value, range):
            items = value
        else:
            raise self.error(node, f"only a list, a tuple, zip(...) or range(...) can be "
                                   f"looped over, not {kind_of(value)}")
        self.iterations += len(items)
        if self.iterations > ITERATION_BUDGET:
            raise self.error(node, f"the program loops more than {ITERATION_BUDGET:,} "
                                   f"times; make it smaller")
        return list(items)

    def subscript(self, node: ast.Subscript):
        value = self.expression(node.value, None)
        if isinstance(node.slice, ast.Slice):
            raise self.error(node.slice, "slices (x[a:b]) are not allowed; index one item")
        if not isinstance(value, (Seq, range)):
            raise self.error(node, f"only a list can be indexed, not {kind_of(value)}")
        index = self.whole_number(node.slice, "an index")
        items = value.items if isinstance(value, Seq) else value
        if not -len(items) <= index < len(items):
            raise self.error(node.slice, f"index {index} is out of range: the "
                                         f"{kind_of(value)[2:]} has {len(items)} items")
        return items[index]

    def whole_number(self, node: ast.expr, what: str) -> int:
        """A whole number known without building anything: written out, a loop's
        number, len(...), or + - * // of those."""
        value = self.static_int(node)
        if value is None:
            found = self.expression(node, None)
            if is_number(found) and float(found).is_integer():
                return int(found)
            raise self.error(node, f"{what} takes a whole number written out, a loop's "
                                   f"number or len(...), not {kind_of(found)}")
        if abs(value) > 10 ** 12:
            raise self.error(node, f"{what} takes a number up to 10**12")
        return value

    def static_int(self, node: ast.expr) -> int | None:
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self.static_int(node.operand)
            return None if inner is None else (-inner if isinstance(node.op, ast.USub)
                                               else inner)
        if isinstance(node, ast.Name) and self.is_bound(node.id):
            value = self.lookup(node.id)
            return value if type(value) is int else None
        if isinstance(node, ast.BinOp):
            left, right = self.static_int(node.left), self.static_int(node.right)
            if left is None or right is None:
                return None
            if isinstance(node.op, ast.Pow) and 0 <= right <= 64 and abs(left) <= 10 ** 6:
                return left ** right
            op = _STATIC_OPS.get(type(node.op))
            return None if op is None else op(left, right)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "len" and not self.is_bound("len"):
            return self.builtin_len(node, None)
        return None

    def comprehension(self, node: ast.ListComp | ast.GeneratorExp) -> Seq:
        scope = self.scopes[-1]
        saved = {}
        for gen in node.generators:
            if gen.ifs:
                raise self.error(gen.ifs[0], "conditions (if) in comprehensions are not "
                                             "allowed")
            if gen.is_async:
                raise self.error(node, "async comprehensions are not allowed")
            for name in target_names(self, gen.target):
                if name in scope and name not in saved:
                    saved[name] = scope[name]
        made: list = []

        def run(depth: int) -> None:
            if depth == len(node.generators):
                made.append(self.expression(node.elt, None))
                return
            gen = node.generators[depth]
            for item in self.iterate(self.expression(gen.iter, None), gen.iter):
                self.bind_target(gen.target, item)
                run(depth + 1)

        try:
            run(0)
        finally:
            for gen in node.generators:
                for name in target_names(self, gen.target):
                    scope.pop(name, None)
            scope.update(saved)
        return Seq(made, "list" if isinstance(node, ast.ListComp) else "generator")

    def bind_target(self, target: ast.expr, value) -> None:
        """A loop's target (``i``, ``x, w``) takes ``value``; no node is made."""
        if isinstance(target, ast.Name):
            self.scopes[-1][target.id] = value
            return
        names = target_names(self, target)
        if not isinstance(value, Seq) or len(value.items) != len(names):
            size = len(value.items) if isinstance(value, Seq) else 1
            raise self.error(target, f"{len(names)} names cannot take {kind_of(value)} of "
                                     f"{size}")
        for name, item in zip(names, value.items, strict=True):
            self.scopes[-1][name] = item


def target_names(builder: ExpressionBuilder, target: ast.expr) -> list[str]:
    """The names of a loop target: ``i`` or ``x, w`` (no nesting, no attributes)."""
    parts = target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]
    for part in parts:
        if not isinstance(part, ast.Name):
            raise builder.error(part, "a loop takes plain names (for x, w in zip(xs, ws))")
        builder.check_name(part)
    return [p.id for p in parts]
