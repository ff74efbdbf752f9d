"""The computation graph model: inputs, constants and operations in a networkx graph.

Nodes have stable string ids (never ``id(obj)``) and these attributes: ``kind``
("input", "const" or "op"), ``op`` (an op id, for operations), ``label`` (the name
people see), ``value`` (for inputs and constants), ``pos`` (a position the user pinned,
or None) and ``auto`` (True when gradviz chose the label). An edge ``source -> target``
with key ``port`` feeds ``source`` into input ``port`` of ``target``; ``a * a`` is two
parallel edges with keys 0 and 1.

Groups (a neuron, a layer, a loss) are named sets of nodes that nest. A grouped node has
one more attribute, ``group``: the id of the innermost group it is in (the groups around
that one follow from their ``parent``), so membership travels with the node through
networkx copies. Group ids are ``g1``, ``g2`` … numbered as groups are made and unique in
a graph; names need not be unique (each call of one function is a group of its own).
Every edit keeps groups valid: removing a node takes it out of its groups, and a group
left with no nodes disappears.
"""
from __future__ import annotations

import heapq
import math
from typing import NamedTuple

import networkx as nx

from .errors import GraphError
from .ops import OPS

KINDS = ("input", "const", "op")


class Node(NamedTuple):
    """A read-only view of one node."""

    id: str
    kind: str
    label: str
    op: str | None = None
    value: float | None = None
    pos: tuple[float, float] | None = None
    auto: bool = False
    group: str | None = None  # the innermost group the node is in

    @property
    def is_leaf(self) -> bool:
        return self.kind != "op"


class Group(NamedTuple):
    """A read-only view of one group: ``nodes`` are all of its nodes, nested groups'
    too, in the order they were added to the graph; ``parent`` is the group around it."""

    id: str
    name: str
    parent: str | None
    nodes: tuple[str, ...]


class Graph:
    """A computation graph. Mutate it only through its methods (the app through commands)."""

    def __init__(self, nx_graph: nx.MultiDiGraph | None = None,
                 output: str | None = None) -> None:
        self.nx: nx.MultiDiGraph = nx.MultiDiGraph() if nx_graph is None else nx_graph
        self.output = output
        # Group id -> (name, parent id), parents before children. How many nodes have
        # each group as their innermost one is kept so that removing a node can tell at
        # once whether its group is now empty.
        self._groups: dict[str, tuple[str, str | None]] = {}
        self._direct: dict[str, int] = {}

    def __repr__(self) -> str:
        return f"Graph({len(self.nx)} nodes, output={self.output!r})"

    # --- building -------------------------------------------------------------------
    def new_id(self, prefix: str = "n") -> str:
        """An id not used yet in this graph."""
        n = len(self.nx) + 1
        while f"{prefix}{n}" in self.nx:
            n += 1
        return f"{prefix}{n}"

    def add_input(self, label: str, value: float, id: str | None = None,
                  pos: tuple[float, float] | None = None, auto: bool = False,
                  group: str | None = None) -> str:
        return self._add(id, group, kind="input", label=label, value=value, pos=pos,
                         auto=auto)

    def add_constant(self, value: float, id: str | None = None,
                     pos: tuple[float, float] | None = None, label: str | None = None,
                     group: str | None = None) -> str:
        from .notation import format_number

        return self._add(id, group, kind="const", label=label or format_number(value),
                         value=value, pos=pos, auto=False)

    def add_op(self, op_id: str, label: str, id: str | None = None,
               pos: tuple[float, float] | None = None, auto: bool = False,
               group: str | None = None) -> str:
        if op_id not in OPS:
            raise GraphError(f"unknown operation {op_id!r}")
        return self._add(id, group, kind="op", op=op_id, label=label, pos=pos, auto=auto)

    def _add(self, id: str | None, group: str | None, **attrs) -> str:
        node_id = id or self.new_id()
        if node_id in self.nx:
            raise GraphError(f"a node with id {node_id!r} exists already", node_id)
        if group is not None and group not in self._groups:
            raise GraphError(f"there is no group {group!r}", node_id)
        attrs.setdefault("op", None)
        attrs.setdefault("value", None)
        self.nx.add_node(node_id, **attrs)
        if group is not None:
            self.set_group(node_id, group)
        return node_id

    def connect(self, source: str, target: str, port: int) -> None:
        """Feed ``source`` into input ``port`` of ``target``; refuses what cannot be."""
        reason = self.connection_problem(source, target, port)
        if reason:
            raise GraphError(reason, target)
        self.nx.add_edge(source, target, key=port)

    def connection_problem(self, source: str, target: str, port: int) -> str | None:
        """Why ``source -> target:port`` cannot be made, or None when it can."""
        for n in (source, target):
            if n not in self.nx:
                return f"there is no node {n!r}"
        t = self.node(target)
        if t.kind != "op":
            return f"{t.label} is {'an input' if t.kind == 'input' else 'a constant'}: it takes no inputs"
        arity = OPS[t.op].arity
        if not 0 <= port < arity:
            return f"{t.label} ({OPS[t.op].title}) has {arity} input{'s' * (arity > 1)}, not {port + 1}"
        if source == target:
            return f"{t.label} cannot take its own result as an input"
        if self.source_of(target, port) is not None:
            return f"input {port + 1} of {t.label} is taken already"
        if nx.has_path(self.nx, target, source):
            return (f"connecting {self.node(source).label} to {t.label} would make a cycle: "
                    f"{self.node(source).label} already depends on {t.label}")
        return None

    def disconnect(self, target: str, port: int) -> str | None:
        """Remove the edge into ``target``'s ``port``; returns its source."""
        source = self.source_of(target, port)
        if source is not None:
            self.nx.remove_edge(source, target, key=port)
        return source

    def remove_node(self, node_id: str) -> None:
        group = self.nx.nodes[node_id].get("group")
        self.nx.remove_node(node_id)
        if self.output == node_id:
            self.output = None
        if group is not None:
            self._leave(group)

    def set_attrs(self, node_id: str, **attrs) -> None:
        """Change a node's label, value, pos or auto flag."""
        allowed = {"label", "value", "pos", "auto"}
        if not set(attrs) <= allowed:
            raise GraphError(f"cannot change {sorted(set(attrs) - allowed)} of a node")
        self.nx.nodes[node_id].update(attrs)

    # --- groups ---------------------------------------------------------------------
    def add_group(self, name: str, parent: str | None = None, id: str | None = None) -> str:
        """A new group inside ``parent``, to be filled with ``set_group`` or the add_*
        methods' ``group`` at once (the file format writes no empty group)."""
        if not isinstance(name, str) or not name:
            raise GraphError(f"a group's name is a non-empty string, not {name!r}")
        if parent is not None and parent not in self._groups:
            raise GraphError(f"there is no group {parent!r}")
        group_id = id or self._new_group_id()
        if group_id in self._groups:
            raise GraphError(f"a group with id {group_id!r} exists already")
        self._groups[group_id] = (name, parent)
        self._direct[group_id] = 0
        return group_id

    def _new_group_id(self) -> str:
        n = len(self._groups) + 1
        while f"g{n}" in self._groups:
            n += 1
        return f"g{n}"

    def set_group(self, node_id: str, group: str | None) -> None:
        """Make ``group`` the innermost group of the node (None: in no group at all)."""
        if group is not None and group not in self._groups:
            raise GraphError(f"there is no group {group!r}", node_id)
        attrs = self.nx.nodes[node_id]
        old = attrs.get("group")
        if group is None:
            attrs.pop("group", None)
        else:
            attrs["group"] = group
            self._direct[group] += 1
        if old is not None:
            self._leave(old)

    def _leave(self, group_id: str) -> None:
        """One node fewer has ``group_id`` as its innermost group: drop what is now empty."""
        self._direct[group_id] -= 1
        while group_id is not None and self._direct[group_id] == 0 and not any(
                p == group_id for _, p in self._groups.values()):
            parent = self._groups.pop(group_id)[1]
            del self._direct[group_id]
            group_id = parent

    def groups(self) -> list[Group]:
        """Every group, each after the group around it (in the order they were made)."""
        if not self._groups:
            return []  # (no need to look at every node)
        members: dict[str, list[str]] = {g: [] for g in self._groups}
        for n, a in self.nx.nodes(data=True):
            g = a.get("group")
            while g is not None:
                members[g].append(n)
                g = self._groups[g][1]
        return [Group(g, name, parent, tuple(members[g]))
                for g, (name, parent) in self._groups.items()]

    def group(self, group_id: str) -> Group:
        """The group with this id (GraphError if there is none)."""
        if group_id not in self._groups:
            raise GraphError(f"there is no group {group_id!r}")
        inside = {group_id}
        for g, (_, parent) in self._groups.items():  # parents come first
            if parent in inside:
                inside.add(g)
        name, parent = self._groups[group_id]
        nodes = tuple(n for n, a in self.nx.nodes(data=True) if a.get("group") in inside)
        return Group(group_id, name, parent, nodes)

    def group_path(self, node_id: str) -> tuple[str, ...]:
        """The ids of the groups a node is in, outermost first."""
        path = []
        g = self.nx.nodes[node_id].get("group")
        while g is not None:
            path.append(g)
            g = self._groups[g][1]
        return tuple(reversed(path))

    # --- reading --------------------------------------------------------------------
    def __contains__(self, node_id: str) -> bool:
        return node_id in self.nx

    def __len__(self) -> int:
        return len(self.nx)

    def node(self, node_id: str) -> Node:
        a = self.nx.nodes[node_id]
        pos = a.get("pos")
        return Node(node_id, a["kind"], a["label"], a.get("op"), a.get("value"),
                    tuple(pos) if pos is not None else None, bool(a.get("auto", False)),
                    a.get("group"))

    def nodes(self) -> list[Node]:
        """Every node, each after all of its inputs (ties in insertion order)."""
        return [self.node(n) for n in self.order()]

    def order(self) -> list[str]:
        """Node ids in a deterministic topological order (ties in insertion order).

        Kahn's algorithm over a heap of insertion ranks; GraphError on a cycle.
        """
        # networkx's adjacency dicts (_pred, _succ) directly: the public views cost
        # several times more per node on large graphs.
        pred, succ = self.nx._pred, self.nx._succ
        nodes = list(pred)
        rank = {n: i for i, n in enumerate(nodes)}
        waiting = {n: sum(map(len, pred[n].values())) for n in nodes}
        ready = [rank[n] for n in nodes if waiting[n] == 0]
        heapq.heapify(ready)
        result = []
        while ready:
            n = nodes[heapq.heappop(ready)]
            result.append(n)
            for v, keys in succ[n].items():
                waiting[v] -= len(keys)
                if waiting[v] == 0:
                    heapq.heappush(ready, rank[v])
        if len(result) != len(nodes):
            raise GraphError("the graph has a cycle")
        return result

    def edges(self) -> list[tuple[str, str, int]]:
        """Every edge as ``(source, target, port)``."""
        return [(u, v, k) for u, v, k in self.nx.edges(keys=True)]

    def source_of(self, target: str, port: int) -> str | None:
        for u, _, k in self.nx.in_edges(target, keys=True):
            if k == port:
                return u
        return None

    def operands(self, target: str) -> list[str | None]:
        """The sources of ``target``'s inputs by port (None where a port is empty)."""
        t = self.nx.nodes[target]
        if t["kind"] != "op":
            return []
        ports: list[str | None] = [None] * OPS[t["op"]].arity
        for u, keys in self.nx._pred[target].items():
            for k in keys:
                if 0 <= k < len(ports):
                    ports[k] = u
        return ports

    def by_label(self, label: str) -> str | None:
        for n, a in self.nx.nodes(data=True):
            if a["label"] == label:
                return n
        return None

    def inputs(self) -> list[Node]:
        """The input nodes (leaves with a gradient), in the order they were added.

        Leaves have no inputs, so this is also their topological order; no sort needed.
        """
        return [self.node(n) for n, a in self.nx.nodes(data=True) if a["kind"] == "input"]

    def sinks(self) -> list[str]:
        return [n for n in self.order() if self.nx.out_degree(n) == 0]

    def resolved_output(self) -> str | None:
        """The output node: the one set, else the last node nothing consumes."""
        if self.output is not None and self.output in self.nx:
            return self.output
        sinks = self.sinks()
        return sinks[-1] if sinks else None

    def problems(self) -> list[tuple[str | None, str]]:
        """Everything that keeps the graph from being evaluated: ``(node, message)``."""
        return self._problems_and_order()[0]

    def _problems_and_order(self) -> tuple[list[tuple[str | None, str]], list[str]]:
        found: list[tuple[str | None, str]] = []
        if len(self.nx) == 0:
            return [(None, "the graph is empty")], []
        try:
            order = self.order()
        except GraphError as exc:
            return [(None, exc.message)], []
        for n in order:
            node = self.node(n)
            if node.kind in ("input", "const"):
                if not is_finite_number(node.value):
                    found.append((n, f"the value of {node.label} is not a finite number"))
                continue
            for port, src in enumerate(self.operands(n)):
                if src is None:
                    found.append((n, f"{node.label} ({OPS[node.op].title}) has nothing "
                                     f"connected to input {port + 1}"))
        return found, order

    def validate(self) -> list[str]:
        """Raise GraphError for the first problem (see ``problems``); else the order."""
        found, order = self._problems_and_order()
        for node, message in found:
            raise GraphError(message, node)
        return order

    # --- whole-graph operations ----------------------------------------------------
    def copy(self) -> "Graph":
        """An independent copy: changing either graph leaves the other as it was."""
        result = Graph(_copy_multidigraph(self.nx), self.output)
        result._groups = dict(self._groups)
        result._direct = dict(self._direct)
        return result

    def signature(self, invented: bool = True) -> tuple:
        """What makes two graphs the same computation, ignoring ids and positions
        (``invented`` False: and the labels gradviz made up, ``auto``)."""
        def key(n: str) -> tuple:
            a = self.nx.nodes[n]
            label = "" if not invented and a.get("auto") else a["label"]
            return (a["kind"], a.get("op"), label, a.get("value"))

        nodes = sorted(key(n) for n in self.nx)
        edges = sorted((key(u), key(v), k) for u, v, k in self.nx.edges(keys=True))
        out = self.resolved_output()
        return (tuple(nodes), tuple(edges), key(out) if out else None)

    def __eq__(self, other: object) -> bool:
        """Identical ids, attributes, edges and output (what undo must restore)."""
        if not isinstance(other, Graph):
            return NotImplemented
        return (self.output == other.output
                and list(self._groups.items()) == list(other._groups.items())
                and dict(self.nx.nodes(data=True)) == dict(other.nx.nodes(data=True))
                and sorted(self.edges()) == sorted(other.edges())
                and list(self.nx.nodes) == list(other.nx.nodes))

    def labels(self) -> dict[str, str]:
        return {n: a["label"] for n, a in self.nx.nodes(data=True)}


def _copy_multidigraph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """What ``g.copy()`` makes (the same nodes, edges, keys, attributes and orders, each
    attribute dict copied), built from networkx's adjacency dicts directly: every command
    copies the graph, and ``g.copy()`` adds the edges one by one through checks that a
    copy does not need (three times slower at 1,000 nodes)."""
    new = nx.MultiDiGraph()
    new.graph.update(g.graph)
    new._node.update((n, dict(attrs)) for n, attrs in g._node.items())
    succ, pred = new._succ, new._pred
    for n in g._node:
        succ[n], pred[n] = {}, {}
    for u, targets in g._succ.items():
        for v, keys in targets.items():
            # One dict of keys per pair, shared by both directions, as add_edge makes it.
            succ[u][v] = pred[v][u] = {k: dict(data) for k, data in keys.items()}
    return new


def is_finite_number(x) -> bool:
    """Whether ``x`` can be a leaf's value: a finite int or float (not a bool)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)
