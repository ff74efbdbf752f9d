"""The statements of a program, read one by one into the graph (never run).

Assignments (``x = …``, ``x, y = a, b``, ``x += …``, ``x.label = '…'``), ``for`` loops
(unrolled), ``def`` and calls of it (expanded in place, each call a group of the graph),
and the lines lecture code also has: ``print``, imports of the engine, ``y.backward()``,
the engine's own ``class``, Karpathy's manual backprop. What is accepted without effect
leaves a `Note`.
"""
from __future__ import annotations

import ast

from .language_calls import target_names
from .language_expressions import BINARY_OPS, SUPPORTED_OPERATORS, strip_plus
from .language_lecture import ENGINE_CLASSES, LectureLines, Note
from .language_refusals import SYMBOLS, statement_refusal
from .language_text import RESERVED, names_of, with_name
from .language_values import Function, Seq, kind_of
from .naming import ProgramNames
from .notation import version_label
from .ops import FUNCTIONS

CALL_DEPTH = 40
"""How deeply calls of the program's functions may nest."""
CALL_BUDGET = 20_000
"""The most calls of the program's functions a program may make (each call is a group)."""


class _Return(Exception):
    """A function's ``return``: its value travels to the call."""

    def __init__(self, value):
        self.value = value


class StatementBuilder(LectureLines):
    """Reads a program's statements into ``graph``; ``output`` is the result's node."""

    def __init__(self, text: str, names: set[str], overrides: dict[str, float],
                 naming: ProgramNames | None = None):
        super().__init__(text, names, naming)
        self.versions: dict[str, int] = {}  # name -> how many nodes it has named
        self.output: str | None = None
        self.backward = False  # y.backward() chose the output
        self.notes: list[Note] = []
        self.noted: set[Note] = set()
        self.overrides = overrides
        self.active: list[str] = []  # the functions being expanded, outermost first
        self.calls: dict[str, int] = {}  # function -> calls made so far
        self.call_count = 0
        self.set_by_overrides: set[str] = set()  # names only --set gives a value

    def undefined(self, node: ast.Name):
        """A name the program never gives a value: an input when ``--set`` gives it one."""
        if node.id in self.overrides and node.id not in RESERVED:
            made = self.make_input(node.id, self.overrides[node.id], None)
            self.scopes[0][node.id] = made
            self.set_by_overrides.add(node.id)
            self.versions[node.id] = self.versions.get(node.id, 0) + 1
            return made
        return super().undefined(node)

    # --- statements --------------------------------------------------------------------
    def block(self, body: list[ast.stmt], final: bool = False) -> None:
        last = len(body) - 1
        for i, stmt in enumerate(body):
            self.statement(stmt, final=final and i == last)

    def statement(self, stmt: ast.stmt, final: bool = False) -> None:
        # The parts of an assignment are named after its target (stem); a statement of a
        # function called keeps the stem of the statement calling it (its return value
        # is that statement's), one of the program's own starts with none.
        outer, outer_stem = self.where, self.stem
        self.where = stmt
        if not self.active:
            self.stem = None
        try:
            self._statement(stmt, final)
        finally:
            self.where, self.stem = outer, outer_stem

    def _statement(self, stmt: ast.stmt, final: bool) -> None:
        if isinstance(stmt, ast.Assign):
            self.assign(stmt)
        elif isinstance(stmt, ast.AugAssign):
            self.augmented(stmt)
        elif isinstance(stmt, ast.Expr):
            self.bare(stmt.value, final)
        elif isinstance(stmt, ast.For):
            self.loop(stmt)
        elif isinstance(stmt, ast.FunctionDef):
            self.define(stmt)
        elif isinstance(stmt, ast.Return):
            if not self.active:
                raise self.error(stmt, "return is only allowed at the end of a def")
            raise _Return(None if stmt.value is None else self.expression(stmt.value, None))
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            self.imports(stmt)
        elif isinstance(stmt, ast.Assert):
            self.note(stmt, "assert is not checked here: the graph shows the values it "
                            "compares")
        elif isinstance(stmt, ast.ClassDef) and stmt.name in ENGINE_CLASSES \
                and not self.active and len(self.scopes) == 1:
            self.note(stmt, f"class {stmt.name} is not run: gradviz's own engine computes "
                            f"what its {stmt.name}s compute, gradients included")
        elif isinstance(stmt, ast.ClassDef):
            raise self.error(stmt, "defining classes is not allowed (only a Value or "
                                   "DiffScalar class, the engine being taught, which "
                                   "gradviz skips)")
        else:
            raise self.error(stmt, statement_refusal(stmt))

    # --- assignment --------------------------------------------------------------------
    def assign(self, stmt: ast.Assign) -> None:
        if len(stmt.targets) != 1:
            raise self.error(stmt.targets[1], "assign one name at a time (a = b = … is not "
                                              "allowed)")
        target = stmt.targets[0]
        if isinstance(target, ast.Attribute):
            return self.set_attribute(target, stmt.value)
        if isinstance(target, (ast.Tuple, ast.List)):
            return self.unpack(target, stmt.value)
        name = self.target(target)
        self.stem = name
        mark = len(self.made)
        value = strip_plus(stmt.value)
        label = version_label(name, self.versions.get(name, 0))
        number = self.literal(value)
        if number is not None:
            self.bind(name, self.make_input(label, number, number.source), mark)
        else:
            self.bind(name, self.expression(value, label), mark)

    def unpack(self, target: ast.Tuple | ast.List, value: ast.expr) -> None:
        """``x, y = a, b``: every value first, then the names, as Python does."""
        names = [self.target(t) for t in target.elts]
        mark = len(self.made)
        if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(names):
            values = []
            for name, elt in zip(names, value.elts, strict=True):
                self.stem = name
                number = self.literal(elt)
                label = version_label(name, self.versions.get(name, 0))
                values.append(self.make_input(label, number, number.source)
                              if number is not None else self.expression(elt, None))
        else:
            found = self.expression(value, None)
            if not isinstance(found, Seq) or len(found.items) != len(names):
                size = f" of {len(found.items)}" if isinstance(found, Seq) else ""
                raise self.error(value, f"{len(names)} names cannot take "
                                        f"{kind_of(found)}{size}")
            values = found.items
        for name, v in zip(names, values, strict=True):
            self.bind(name, v, mark)

    def augmented(self, stmt: ast.AugAssign) -> None:
        name = self.target(stmt.target)
        if not self.is_bound(name):
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
        mark = len(self.made)
        self.stem = name
        self.bind(name, self.expression(ast.copy_location(expr, stmt), label), mark)

    def target(self, node: ast.expr) -> str:
        if isinstance(node, ast.Starred):
            raise self.error(node, "starred assignment is not allowed")
        if not isinstance(node, ast.Name):
            raise self.error(node, "only a plain name can be assigned (not attributes or "
                                   "subscripts)")
        self.check_name(node)
        self.check_reserved(node, node.id)
        return node.id

    def check_reserved(self, node: ast.AST, name: str) -> None:
        if name in RESERVED:
            what = "an operation" if name in FUNCTIONS else "a name gradviz reserves"
            raise self.error(node, f"{name} is {what}; pick another name")

    def bind(self, name: str, value, mark: int) -> None:
        """``name`` stands for ``value`` from now on. A node made by this statement
        takes the name as its label (the result of a call: ``o = neuron(x)``); a node
        that had a name already gets a second one (``c = a``: the node shows "a (c)")."""
        k = self.versions.get(name, 0)
        if isinstance(value, str):
            label = version_label(name, k)
            a = self.graph.nx.nodes[value]
            new = self.made.get(value, -1) >= mark  # made by this statement
            if a["label"] == label or (new and value in self.explicit):
                pass
            elif new:
                self.graph.set_attrs(value, label=label, auto=False)
            elif label not in names_of(a["label"]):
                self.graph.set_attrs(value, label=with_name(a["label"], label), auto=False)
            if len(self.scopes) == 1 and not self.backward and new:
                self.output = value  # a new node; another name for one leaves it
        elif isinstance(value, Seq):
            self.name_items(name, value, mark)
        elif value is None:
            raise self.error(self.where, f"{name} would be nothing: the function returns "
                                         f"no value")
        self.scopes[-1][name] = value
        self.versions[name] = k + 1

    def name_items(self, name: str, seq: Seq, mark: int) -> None:
        """The nodes a statement made for a list take the list's name: ``ws[0]`` …"""
        for i, item in enumerate(seq.items):
            if isinstance(item, str) and self.made.get(item, -1) >= mark \
                    and self.graph.nx.nodes[item].get("auto"):
                self.graph.set_attrs(item, label=f"{name}[{i}]", auto=False)

    # --- loops and functions ------------------------------------------------------------
    def loop(self, stmt: ast.For) -> None:
        if stmt.orelse:
            raise self.error(stmt.orelse[0], "for … else is not allowed")
        for name in target_names(self, stmt.target):
            self.check_reserved(stmt.target, name)
        for item in self.iterate(self.expression(stmt.iter, None), stmt.iter):
            self.bind_target(stmt.target, item)
            for inner in stmt.body:
                if isinstance(inner, (ast.FunctionDef, ast.ClassDef, ast.Import,
                                      ast.ImportFrom, ast.Return)):
                    raise self.error(inner, "a loop holds assignments and calls (define "
                                            "functions, import and return elsewhere)")
                self.statement(inner)

    def define(self, stmt: ast.FunctionDef) -> None:
        if len(self.scopes) > 1:
            raise self.error(stmt, "define functions at the top of the program, not "
                                   "inside another function")
        if stmt.name.startswith("__"):
            raise self.error(stmt, f"names starting with __ are not allowed ({stmt.name})")
        self.check_reserved(stmt, stmt.name)  # print, len, Value … are reserved too
        if stmt.decorator_list:
            raise self.error(stmt.decorator_list[0], "decorators are not allowed")
        args = stmt.args
        extra = args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs
        if extra:
            raise self.error(stmt, "a def takes plain parameters (with defaults): "
                                   "def f(x, w, b=0.0)")
        params = [a.arg for a in args.args]
        for a in args.args:
            if a.arg.startswith("__"):
                raise self.error(a, f"names starting with __ are not allowed ({a.arg})")
            self.check_reserved(a, a.arg)
        if len(set(params)) != len(params):
            raise self.error(stmt, "a parameter is named twice")
        for i, s in enumerate(stmt.body):
            if isinstance(s, ast.Return) and i != len(stmt.body) - 1:
                raise self.error(stmt.body[i + 1], "nothing can follow return")
        self.check_body(stmt)
        defaults = {}
        for p, d in zip(params[len(params) - len(args.defaults):], args.defaults,
                        strict=True):
            mark = len(self.made)
            self.stem = p
            defaults[p] = value = self.expression(d, None)
            if isinstance(value, str) and self.made.get(value, -1) >= mark \
                    and self.graph.nx.nodes[value]["auto"]:
                # b=Value(0.1): made once, shared by every call, named after its parameter
                self.graph.set_attrs(value, label=version_label(p, self.versions.get(p, 0)),
                                     auto=False)
                self.versions[p] = self.versions.get(p, 0) + 1
        self.scopes[0][stmt.name] = Function(stmt, params, defaults)
        self.versions[stmt.name] = self.versions.get(stmt.name, 0) + 1

    def check_body(self, stmt: ast.FunctionDef) -> None:
        """Refuse at once what a def's body could never do, called or not."""
        todo = list(stmt.body)
        while todo:
            s = todo.pop(0)
            if isinstance(s, ast.For):
                todo[:0] = s.body
            elif isinstance(s, (ast.FunctionDef, ast.ClassDef)):
                raise self.error(s, "define functions and classes at the top of the "
                                    "program, not inside a function")
            elif isinstance(s, (ast.Import, ast.ImportFrom)):
                raise self.error(s, "import at the top of the program, not in a function")
            elif not isinstance(s, (ast.Assign, ast.AugAssign, ast.Expr, ast.Return,
                                    ast.Assert)):
                raise self.error(s, statement_refusal(s))
            for n in ast.walk(s) if not isinstance(s, ast.For) else [s.iter]:
                if isinstance(n, ast.Lambda):
                    raise self.error(n, "lambdas are not allowed")

    def call_function(self, function: Function, node: ast.Call, label: str | None):
        name = function.name
        if name in self.active:
            raise self.error(node, f"{name} calls itself (through "
                                   f"{' -> '.join(self.active + [name])}); recursion is "
                                   f"not allowed")
        if len(self.active) >= CALL_DEPTH:
            raise self.error(node, f"calls nest more than {CALL_DEPTH} deep")
        self.call_count += 1
        if self.call_count > CALL_BUDGET:  # calls through a name the estimate cannot see
            raise self.error(node, f"the program calls its functions more than "
                                   f"{CALL_BUDGET:,} times; make it smaller")
        scope = self.arguments_of(function, node)
        self.calls[name] = self.calls.get(name, 0) + 1
        self.active.append(name)
        self.scopes.append(scope)
        self.groups.append([f"{name} {self.calls[name]}", None])
        try:
            self.block(function.node.body)
            result = None  # no return: nothing
        except _Return as r:
            result = r.value
        finally:
            self.groups.pop()
            self.scopes.pop()
            self.active.pop()
        return result

    def arguments_of(self, function: Function, node: ast.Call) -> dict:
        params = function.params
        if any(isinstance(a, ast.Starred) for a in node.args) \
                or any(kw.arg is None for kw in node.keywords):
            raise self.error(node, "* and ** are not allowed in a call")
        if len(node.args) > len(params):
            raise self.error(node, f"{function.name} takes {len(params)} argument"
                                   f"{'s' * (len(params) != 1)}, not {len(node.args)}")
        scope = {p: self.expression(a, None) for p, a in zip(params, node.args, strict=False)}
        for kw in node.keywords:
            if kw.arg not in params or kw.arg in scope:
                raise self.error(kw, f"{function.name} has no other parameter {kw.arg}")
            scope[kw.arg] = self.expression(kw.value, None)
        for p in params:
            if p not in scope:
                if p not in function.defaults:
                    raise self.error(node, f"{function.name}(...) needs {p}")
                scope[p] = function.defaults[p]
        return scope
