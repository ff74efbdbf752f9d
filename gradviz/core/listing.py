"""The engine as a student would write it: Python listings generated from the op table.

`reverse_listing` writes a ``DiffScalar`` class in the style of the seed notebook: each
operation's forward line and its ``_backward`` closure (``self.grad += other.value *
out.grad``), then ``backward()`` with its topological sort and the loop over the nodes.
`forward_listing` writes a ``DualNumber`` class (``real + dual·ε``, ε² = 0): each
operation's real part and its dual rule. Both are written from the ``code`` of each
op table entry (`ops.Code`), so every operation of the table has its lines, and both are
real Python (a test runs them and compares them with the engine). A `program` section can follow, building the graph's
nodes from these classes.

Each line carries a ``key`` saying what it does, so that the Code panel can light the
line that performs the step on screen: ``("forward", op)``, ``("backward", op, port)``,
``"seed"``, ``"loop"``, ``"topo"`` and ``("node", node_id)`` for a program line.
"""
from __future__ import annotations

import keyword
import re
import unicodedata
from functools import cache
from typing import Hashable, NamedTuple

from .graph import Graph
from .op_code import fill
from .ops import OPS, Op


class Line(NamedTuple):
    text: str
    key: Hashable = None


class Listing(NamedTuple):
    """Lines of Python; ``find(key)`` is the index of the line doing ``key``."""

    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines) + "\n"

    def find(self, key: Hashable) -> int | None:
        for i, line in enumerate(self.lines):
            if line.key == key:
                return i
        return None


def _scaled(local: str, grad: str) -> str:
    """``local * grad`` as code, without multiplying by 1 or -1."""
    if local == "1":
        return grad
    if local == "-1":
        return f"-{grad}"
    if " " in local:
        local = f"({local})"
    return f"{local} * {grad}"


_CLASS = "DiffScalar"
_NAMES = {"x": "self.value", "y": "other.value", "out": "out.value"}


@cache  # the op table's: the same every time it is shown
def reverse_listing() -> Listing:
    """The ``DiffScalar`` engine: every operation of the table, then ``backward()``."""
    lines: list[Line] = [
        Line("import math"), Line(""), Line(""),
        Line(f"class {_CLASS}:"),
        Line('    """A number that remembers how it was computed, to send gradients back."""'),
        Line(""),
        Line("    def __init__(self, value, prev=()):"),
        Line("        self.value = value"),
        Line("        self.grad = 0"),
        Line("        self._prev = prev  # the nodes it was computed from"),
        Line("        self._backward = lambda: None  # what it sends them"),
    ]
    for op in OPS.values():
        lines.append(Line(""))
        lines += _reverse_method(op)
    lines += [
        Line(""),
        Line("    def backward(self):"),
        Line("        topo, visited = [], set()", "topo"),
        Line(""),
        Line("        def build_topo(node):  # each node after those it needs", "topo"),
        Line("            if node not in visited:", "topo"),
        Line("                visited.add(node)", "topo"),
        Line("                for parent in node._prev:", "topo"),
        Line("                    build_topo(parent)", "topo"),
        Line("                topo.append(node)", "topo"),
        Line(""),
        Line("        build_topo(self)", "topo"),
        Line("        self.grad = 1  # the seed", "seed"),
        Line("        for node in reversed(topo):", "loop-for"),
        Line("            node._backward()", "loop"),
    ]
    return Listing(tuple(lines))


def _reverse_method(op: Op) -> list[Line]:
    code, binary = op.code, op.arity == 2
    value = fill(code.forward, **_NAMES)
    lines = [Line(f"    def {code.method}(self{', other' if binary else ''}):")]
    if binary:
        lines.append(Line(f"        other = other if isinstance(other, {_CLASS}) "
                          f"else {_CLASS}(other)"))
    prev = "(self, other)" if binary else "(self,)"
    lines += [Line(f"        out = {_CLASS}({value}, {prev})", ("forward", op.id)),
              Line(""),
              Line("        def _backward():")]
    for port, name in enumerate(("self", "other")[:op.arity]):
        local = fill(code.partials[port], **_NAMES)
        lines.append(Line(f"            {name}.grad += {_scaled(local, 'out.grad')}",
                          ("backward", op.id, port)))
    lines += [Line(""),
              Line("        out._backward = _backward"),
              Line("        return out")]
    return lines


_DUAL = "DualNumber"
_DUAL_NAMES = {"x": "self.real", "y": "other.real", "out": "out"}


@cache
def forward_listing() -> Listing:
    """The ``DualNumber`` engine: every operation's real part and its dual rule."""
    lines: list[Line] = [
        Line("import math"), Line(""), Line(""),
        Line(f"class {_DUAL}:"),
        Line('    """real + dual·ε with ε² = 0: the dual part carries d/d(seed) forward."""'),
        Line(""),
        Line("    def __init__(self, real, dual=0.0):"),
        Line("        self.real = real"),
        Line("        self.dual = dual  # the derivative with respect to the seeded input"),
    ]
    for op in OPS.values():
        code, binary = op.code, op.arity == 2
        lines.append(Line(""))
        lines.append(Line(f"    def {code.method}(self{', other' if binary else ''}):"))
        if binary:
            lines.append(Line(f"        other = other if isinstance(other, {_DUAL}) "
                              f"else {_DUAL}(other)"))
        lines.append(Line(f"        out = {fill(code.forward, **_DUAL_NAMES)}", ("real", op.id)))
        terms = []
        for port, name in enumerate(("self", "other")[:op.arity]):
            local = fill(code.partials[port], **_DUAL_NAMES)
            terms.append(_scaled(local, f"{name}.dual"))
        dual = " + ".join(terms).replace("+ -", "- ")
        lines.append(Line(f"        return {_DUAL}(out, {dual})", ("forward", op.id)))
    return Listing(tuple(lines))


# --- the program: the graph's nodes built from the listing's class -------------------
_FROM_SUBSCRIPT = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


def python_name(label: str, taken: set[str]) -> str:
    """A Python identifier for ``label`` not in ``taken`` (``c₁`` -> ``c_1``)."""
    text = re.sub(r"([₀-₉]+)", lambda m: "_" + m.group(1).translate(_FROM_SUBSCRIPT), label)
    text = re.sub(r"\W+", "_", unicodedata.normalize("NFKC", text)).strip("_") or "n"
    if text[0].isdigit():
        text = "n_" + text
    if keyword.iskeyword(text) or text in ("math", _CLASS, _DUAL):
        text += "_"
    name, k = text, 2
    while name in taken:
        name, k = f"{text}_{k}", k + 1
    taken.add(name)
    return name


def program(graph: Graph, order: tuple[str, ...], output: str, mode: str = "reverse",
            seed: str | None = None) -> tuple[Listing, dict[str, str]]:
    """The graph built from the listing's class, node by node in ``order``, then (in
    reverse mode) ``output.backward()``; and each node's Python name by node id.

    An input is ``a = DiffScalar(2)``; in forward mode
    ``a = DualNumber(2, 1.0 if seed == 'a' else 0.0)``, after a line naming the input
    ``seed`` (a node id; None: the first input) that this pass differentiates by. A
    constant is written where it is used.
    """
    cls = _CLASS if mode == "reverse" else _DUAL
    taken: set[str] = set()
    names: dict[str, str] = {}
    lines: list[Line] = [Line(""), Line(""), Line("# the program")]
    if mode == "forward":
        for n in order:  # the inputs' names first, for the seed line
            if graph.node(n).kind == "input":
                names[n] = python_name(graph.node(n).label, taken)
        first = next((names[n] for n in order if n in names), None)
        seeded = names.get(seed, first) if seed is not None else first
        lines.append(Line(f"seed = {seeded!r}  # this pass: the derivative by {seeded}",
                          "seed-input"))
    for n in order:
        node = graph.node(n)
        if node.kind == "const":  # written where it is used: b + 1, DiffScalar(2) * b
            names[n] = _literal(node.value)
            continue
        name = names[n] if n in names else python_name(node.label, taken)
        names[n] = name
        if node.kind == "input":
            made = (f"{cls}({node.value!r})" if mode == "reverse"
                    else f"{cls}({node.value!r}, 1.0 if seed == {name!r} else 0.0)")
            lines.append(Line(f"{name} = {made}", ("node", n)))
            continue
        operands = [names[o] for o in graph.operands(n)]
        first = graph.operands(n)[0]
        if first is not None and graph.node(first).kind == "const":
            operands[0] = f"{cls}({operands[0]})"  # a number has no methods of the class
        lines.append(Line(f"{name} = {_call(OPS[node.op], operands)}", ("node", n)))
    if mode == "reverse":
        lines.append(Line(f"{names[output]}.backward()", "seed-call"))
    return Listing(tuple(lines)), names


def _literal(x: float) -> str:
    """A constant as code: ``1`` for 1.0, ``0.5``, ``-2``."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def _call(op: Op, operands: list[str]) -> str:
    """``op`` applied in the program as Python spells it on the listing's class: with
    its operator (``a + b``, ``-a``), with the builtin its method serves (``abs(a)``
    calls ``__abs__``), else as a method call (``a.tanh()``)."""
    if op.infix is not None:
        return f"{operands[0]} {op.infix} {operands[1]}"
    if op.id == "neg":
        return f"-{operands[0]}"
    if op.code.method == f"__{op.function}__":
        return f"{op.function}({operands[0]})"
    return f"{operands[0]}.{op.code.method}()"


# --- the lines a step lights ------------------------------------------------------------
class Lit(NamedTuple):
    """Line ``index`` of the listing lit, with ``comment`` (its numbers, "" none) to
    write beside it (`with_comment`); ``strong`` for the line performing the step, else a
    line around it (the node)."""

    index: int
    comment: str
    strong: bool


def lit_lines(listing: Listing, step, graph: Graph, values: dict[str, float],
              labels: dict[str, str]) -> list[Lit]:
    """The lines of ``listing`` (an engine followed by its `program`) that ``step``
    lights, with their numbers: for a reverse-mode step ``# 4 += 5 → 9``; for a step of
    a forward-mode pass (`forward_listing`) the dual rule ``# 1 · 1 + 1 · 0 = 1``, its
    real part and the node. None (the start) lights nothing.
    """
    from .notation import format_number as fmt
    from .op_code import as_maths, number, rule_numbers
    from .steps import BackwardStep, ForwardStep, SeedStep

    found: list[Lit] = []

    def light(key, comment: str, strong: bool) -> None:
        i = listing.find(key)
        if i is not None:
            found.append(Lit(i, comment, strong))

    if step is None:
        return found
    if isinstance(step, ForwardStep):
        xs = [number(v) for v in step.input_values]
        code = as_maths(fill(OPS[step.op].code.forward, x=xs[0],
                             y=xs[1] if len(xs) > 1 else "?"))
        light(("forward", step.op), f"{code} = {fmt(step.value)}", True)
        light(("node", step.node), f"{labels[step.node]} = {fmt(step.value)}", False)
    elif isinstance(step, SeedStep):
        out = labels[step.node]
        light("seed", f"∂{out}/∂{out} = {fmt(step.grad)}", True)
        light("seed-call", "", False)
    elif isinstance(step, BackwardStep):
        operands = [values.get(o) if o else None for o in graph.operands(step.child)]
        y = operands[1] if len(operands) > 1 else None
        local = OPS[step.op].code.partials[step.port]
        up = number(step.upstream)
        added = {"1": up, "-1": f"−{up}"}.get(local) or \
            f"{_bracketed(rule_numbers(step.op, step.port, operands[0], y, values[step.child]))} · {up}"
        light(("backward", step.op, step.port),
              f"{fmt(step.before)} += {added} → {fmt(step.after)}", True)
        light("loop", f"node = {labels[step.child]}", False)
    elif hasattr(step, "tangent"):  # a step of a forward-mode pass (core.forward.DualStep)
        xs = [number(v) for v in step.input_values]
        code = as_maths(fill(OPS[step.op].code.forward, x=xs[0],
                             y=xs[1] if len(xs) > 1 else "?"))
        terms = [f"{number(p)} · {number(t)}"
                 for p, t in zip(step.partials, step.input_tangents, strict=False)
                 if p is not None]
        light(("forward", step.op),
              f"{' + '.join(terms) or '0'} = {fmt(step.tangent)}", True)
        light(("real", step.op), f"{code} = {fmt(step.value)}", False)
        light(("node", step.node),
              f"{labels[step.node]} = {fmt(step.value)} + {fmt(step.tangent)}ε", False)
    return found


def _bracketed(text: str) -> str:
    return f"({text})" if " " in text else text


def with_comment(line: str, comment: str, space: str = " ") -> str:
    """``line`` with ``comment`` beside it: after its own comment, or as a new one.
    ``space`` goes between the comment's words (a no-break space keeps them together)."""
    if not comment:
        return line
    comment = comment.replace(" ", space)
    return f"{line}:{space}{comment}" if "  # " in line else f"{line}   #{space}{comment}"
