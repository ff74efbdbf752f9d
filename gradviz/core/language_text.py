"""Graph -> program text, such that ``parse(to_text(g))`` is the same computation.

Inputs and named operations become statements (``a = 2``, ``c = a + b``); operations
gradviz named (``auto``) that feed exactly one input are written inline with the fewest
parentheses Python needs; the others, and the output, become statements. Versions are
written as reassignments (``c = c * 2``, ``c += 1`` for c₁, c₂ …).

Labels survive. A label that is no usable identifier (``x1*w1``, ``exp``, ``lambda``, a
duplicate, a version without its predecessor, ``x₁`` read after ``x₂`` exists) is written
under a safe identifier derived from it (``x1_w1``, ``exp_``, ``x_1``), followed by a line
giving the label back: ``x1_w1.label = 'x1*w1'``. A node with several names (shown
``a (c)``, from ``c = a``) is written under its first name and given the others by
``c = a`` lines when they are free names; otherwise by a label line as well.

What does not survive, by design (all deterministic):

- A graph made by ``def`` calls and ``for`` loops is written out flat: one statement per
  named node, in order, the groups of the calls dropped (the text has no ``def`` any more).
- An auto-named node whose label the parser would not give back is written as a
  statement under that label (it comes back with ``auto`` False; labels are kept).
- A constant's label is its formatted value again; a constant feeding several inputs
  comes back as one constant per use.
- Inline expressions nest at most MAX_DEPTH operations; deeper parts become statements.

Raises GraphError for a graph no program can express: a cycle, an empty input port, a
leaf with no finite value, a constant that feeds nothing or is the output. The empty
graph gives the empty text.
"""
from __future__ import annotations

import keyword
import math
import re
import unicodedata

import networkx as nx

from .errors import GraphError
from .graph import Graph
from .naming import PartNames, base_name, lettering, letters_after
from .notation import version_label
from .ops import FUNCTIONS, INFIX, OPS

RESERVED = frozenset(FUNCTIONS) | {"Value", "DiffScalar", "print", "len", "sum", "zip",
                                   "range", "list", "tuple", "torch", "draw_dot"}
"""Names a program may not assign: they would shadow what a call means."""

MAX_DEPTH = 40
"""Deepest inline nesting written; Python refuses more than 200 nested parentheses."""

# How tightly each operation binds comes from the op table; only Python's syntax is
# stated here: ** groups right to left, and a unary minus is the one prefix operator.
_NEG = OPS["neg"]
UNARY = _NEG.precedence
POWER = INFIX["**"].precedence
ATOM = max(op.precedence for op in OPS.values())
"""A name, a number or a call: never parenthesised."""
_VERSION = re.compile(r"^(.+?)([₀-₉]+)$")
_FROM_SUBSCRIPT = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


def to_text(graph: Graph) -> str:
    """Program text for ``graph`` (see the module docstring for what changes).

    >>> from gradviz.core.language import parse
    >>> print(to_text(parse("a = 2; b = 3; e = (a + b) * (b + 1)")), end="")
    a = 2
    b = 3
    e = (a + b) * (b + 1)
    """
    if len(graph) == 0:
        return ""
    return _Writer(graph, graph.resolved_output()).text()


def is_usable_name(name: str) -> bool:
    """Whether ``name`` can be assigned in a program and read back unchanged."""
    return (name.isidentifier() and unicodedata.normalize("NFKC", name) == name
            and not keyword.iskeyword(name) and not name.startswith("__")
            and name not in RESERVED)


def number_text(x: float) -> str:
    """A number as program text that reads back to the same float."""
    x = float(x)
    if x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    return repr(x)


class _Writer:
    def __init__(self, graph: Graph, output: str):
        self.g = graph
        self.output = output
        self.order = graph.order()  # GraphError for a cycle
        self.rank = {n: i for i, n in enumerate(self.order)}
        self.attrs = graph.nx.nodes
        self.operands = {n: graph.operands(n) for n in self.order}
        self._check()
        self.statements = self._initial_statements()

    def _check(self) -> None:
        """What Graph.problems finds, plus constants no program could write; one pass
        (problems() sorts the graph again, which dominates on large graphs)."""
        for n in self.order:
            a = self.attrs[n]
            if a["kind"] == "op":
                for port, source in enumerate(self.operands[n]):
                    if source is None:
                        raise GraphError(f"{a['label']} ({OPS[a['op']].title}) has nothing "
                                         f"connected to input {port + 1}", n)
                continue
            value = a.get("value")
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not math.isfinite(value):
                raise GraphError(f"{a['label']} has no numeric value", n)
            if a["kind"] == "const" and (n == self.output or self.g.nx.out_degree(n) == 0):
                raise GraphError(f"the constant {a['label']} feeds no operation, so no "
                                 f"program can write it", n)

    # --- which nodes are statements ---------------------------------------------------
    def _initial_statements(self) -> set[str]:
        statements: set[str] = set()
        depth: dict[str, int] = {}
        for n in self.order:
            a = self.attrs[n]
            if a["kind"] == "const":
                continue
            if (a["kind"] == "input" or not a.get("auto") or n == self.output
                    or self.g.nx.out_degree(n) != 1):
                statements.add(n)
                continue
            d = 1 + max((depth.get(s, 0) for s in self.operands[n]), default=0)
            if d > MAX_DEPTH:
                statements.add(n)
            else:
                depth[n] = d
        return statements

    def text(self) -> str:
        while True:
            versions = True
            self._name_statements(versions)
            order = self._statement_order()
            if order is None:  # versions cannot be read back in any order: give them up
                versions = False
                self._name_statements(versions)
                order = [n for n in self.order if n in self.statements]
            unexpected = self._misnamed_inline(order)
            if not unexpected:
                return self._write(order)
            self.statements |= unexpected

    # --- names ------------------------------------------------------------------------
    def _name_statements(self, versions: bool) -> None:
        """``target`` (the name written) and ``version`` for every statement."""
        stmts = [n for n in self.order if n in self.statements]
        family: dict[str, dict[int, str]] = {}
        claimed: set[str] = set()
        renamed: list[str] = []
        for n in stmts:
            label = names_of(self.attrs[n]["label"])[0]
            base, k = _split_version(label)
            if is_usable_name(base) and label not in claimed and (versions or k == 0):
                claimed.add(label)
                family.setdefault(base, {})[k] = n
            else:
                renamed.append(n)
        for members in family.values():
            k = 0
            while k in members:
                k += 1
            renamed += [members.pop(j) for j in sorted(members) if j > k]
        out_base, out_k = _split_version(self.attrs[self.output]["label"])
        members = family.get(out_base, {})
        if members.get(out_k) == self.output:  # the output must be its name's newest version
            renamed += [members.pop(j) for j in sorted(members) if j > out_k]
        self.family = family
        self.target: dict[str, str] = {}
        self.version: dict[str, tuple[str, int]] = {}
        for base, members in family.items():
            for k, n in members.items():
                self.target[n] = base
                self.version[n] = (base, k)
        taken = set(family) | {a["label"] for _, a in self.g.nx.nodes(data=True)}
        for n in sorted(renamed, key=self.rank.__getitem__):
            name = _safe_name(names_of(self.attrs[n]["label"])[0], taken)
            taken.add(name)
            self.target[n] = name
            self.version[n] = (name, 0)
        self._name_aliases(stmts, taken)

    def _name_aliases(self, stmts: list[str], taken: set[str]) -> None:
        """``aliases[n]``: the lines ``c = a`` giving statement ``n`` its other names;
        ``relabel``: the statements whose label only a ``.label`` line gives back."""
        self.aliases: dict[str, list[str]] = {}
        self.relabel: set[str] = set()
        used = set(self.target.values()) | taken
        for n in stmts:
            label = self.attrs[n]["label"]
            base, k = self.version[n]
            written = version_label(base, k)
            if label == written:
                continue
            names = names_of(label)
            others = names[1:]
            if names[0] == written and others and all(
                    is_usable_name(a) and a not in used and _split_version(a)[1] == 0
                    for a in others) and len(set(others)) == len(others):
                self.aliases[n] = others
                used |= set(others)
            else:
                self.relabel.add(n)

    def _statement_order(self) -> list[str] | None:
        """Statements in an order where every name read is its wanted version."""
        owner: dict[str, str] = {}
        for n in reversed(self.order):
            if n in self.statements:
                owner[n] = n
            elif self.attrs[n]["kind"] == "op":
                owner[n] = owner[next(iter(self.g.nx.successors(n)))]
        extra: list[tuple[str, str]] = []
        for members in self.family.values():
            for k in range(1, len(members)):
                before, now = members[k - 1], members[k]
                extra.append((before, now))
                for reader in self.g.nx.successors(before):
                    if owner.get(reader, reader) != now:
                        extra.append((owner.get(reader, reader), now))
        rank = self.rank
        if all(rank[u] < rank[v] for u, v in extra):  # the usual case: graph order works
            return [n for n in self.order if n in self.statements]
        h = nx.DiGraph(self.g.nx)
        h.add_edges_from(extra)
        try:
            order = list(nx.lexicographical_topological_sort(h, key=self.rank.__getitem__))
        except nx.NetworkXUnfeasible:
            return None
        return [n for n in order if n in self.statements]

    def _misnamed_inline(self, order: list[str]) -> set[str]:
        """Inline nodes whose label the parser would not give them. It names them in
        creation order, skipping every name the program uses, by the rule of `naming`:
        letters after the inputs' when all of theirs are letters and enough are left,
        else after the statement they are part of (n_a, n_b …)."""
        taken = set(self.target.values()) | {a for names in self.aliases.values()
                                             for a in names} | RESERVED
        taken |= {self.attrs[n]["label"] for n in self.relabel}
        inline = [(s, n) for s in order for n in self._inline_postorder(s)]
        inputs = [name for n in order if self.attrs[n]["kind"] == "input"
                  for name in (self.target[n], self.attrs[n]["label"])]
        letters = None
        if lettering(inputs, len(inline), taken) is not None:
            last = max(map(base_name, inputs), default=None)
            letters = (c for c in letters_after(last, taken) if c not in taken)
        parts = PartNames(taken)
        expected: dict[str, str] = {}  # the next name of each stem (of every, lettered)
        wrong: set[str] = set()
        for s, n in inline:
            stem = "" if letters is not None else self.target[s]
            if stem not in expected:
                expected[stem] = next(letters, "") if letters is not None \
                    else parts.next(stem)
            label = self.attrs[n]["label"]
            if label == expected[stem]:
                del expected[stem]
            else:
                wrong.add(n)
                taken.add(label)  # it will be written, so the parser will skip it
        return wrong

    def _inline_postorder(self, statement: str) -> list[str]:
        found: list[str] = []

        def visit(n: str) -> None:
            for s in self.operands[n]:
                if s not in self.statements and self.attrs[s]["kind"] == "op":
                    visit(s)
                    found.append(s)

        visit(statement)
        return found

    # --- writing ----------------------------------------------------------------------
    def _write(self, order: list[str]) -> str:
        lines = []
        for n in order:
            a = self.attrs[n]
            name = self.target[n]
            if a["kind"] == "input":
                lines.append(f"{name} = {number_text(a['value'])}")
            else:
                op = OPS[a["op"]]
                base, k = self.version[n]
                left = self.operands[n][0]
                if k > 0 and op.infix and left == self.family[base][k - 1]:
                    lines.append(f"{name} {op.infix}= "
                                 f"{self._operand(self.operands[n][1])[0]}")
                else:
                    lines.append(f"{name} = {self._expression(n)[0]}")
            lines += [f"{alias} = {name}" for alias in self.aliases.get(n, ())]
            if n in self.relabel:
                lines.append(f"{name}.label = {a['label']!r}")
        if order[-1] != self.output:
            lines.append(self.target[self.output])
        return "\n".join(lines) + "\n"

    def _operand(self, n: str) -> tuple[str, int]:
        a = self.attrs[n]
        if a["kind"] == "const":
            text = number_text(a["value"])
            return text, UNARY if text.startswith("-") else ATOM
        if n in self.statements:
            return self.target[n], ATOM
        return self._expression(n)

    def _expression(self, n: str) -> tuple[str, int]:
        """Operation ``n`` as text, with its precedence (for the caller's parentheses)."""
        op = OPS[self.attrs[n]["op"]]
        args = [self._operand(s) for s in self.operands[n]]
        if op.arity == 2:
            p = op.precedence
            (left, lp), (right, rp) = args
            # ** binds right to left and its left side cannot be unary: (-a) ** 2.
            if lp < p or (p == POWER and lp <= POWER):
                left = f"({left})"
            # a - (b - c), a + (b + c): the right side of a left-associative operator keeps
            # its parentheses; a ** -b needs none.
            if (p == POWER and rp < UNARY) or (p != POWER and rp <= p):
                right = f"({right})"
            return f"{left} {op.infix} {right}", p
        (text, q), = args
        if op is _NEG:
            source = self.operands[n][0]
            if q < UNARY or text.startswith("-"):
                text = f"({text})"
            elif self.attrs[source]["kind"] == "const":
                text = f"(+{text})"  # -2 would read back as the constant -2
            return f"-{text}", UNARY
        return f"{op.function}({text})", ATOM


_ALIASED = re.compile(r"^(.+?) \(([^()]+)\)$")


def names_of(label: str) -> list[str]:
    """The names of a node with several (``a (c, d)``, as ``c = a; d = a`` label it),
    or the label alone."""
    m = _ALIASED.match(label)
    if m:
        others = m.group(2).split(", ")
        if all(p.isidentifier() or _split_version(p)[1] for p in others):
            return [m.group(1), *others]
    return [label]


def with_name(label: str, name: str) -> str:
    """``label`` with one more name: ``a`` -> ``a (c)``, ``a (c)`` -> ``a (c, d)``."""
    names = names_of(label)
    return f"{names[0]} ({', '.join([*names[1:], name])})"


def _split_version(label: str) -> tuple[str, int]:
    """``c₁₂`` -> ("c", 12); a label that is not a version -> (label, 0)."""
    m = _VERSION.match(label)
    if m:
        base, k = m.group(1), int(m.group(2).translate(_FROM_SUBSCRIPT))
        if k > 0 and version_label(base, k) == label:
            return base, k
    return label, 0


def _safe_name(label: str, taken: set[str]) -> str:
    """A usable identifier made from ``label``, not in ``taken`` (c₁ -> c_1)."""
    text = re.sub(r"([₀-₉]+)", lambda m: "_" + m.group(1).translate(_FROM_SUBSCRIPT), label)
    text = re.sub(r"\W+", "_", unicodedata.normalize("NFKC", text)).strip("_")
    if not text:
        text = "n"
    if text[0].isdigit():
        text = "n_" + text
    if not is_usable_name(text):
        text += "_"
    if not is_usable_name(text):
        text = "n"
    name, i = text, 2
    while name in taken:
        name, i = f"{text}_{i}", i + 1
    return name
