"""Turning a `Value` built in Python (micrograd style) into a graph model.

`graph_of` takes what ``gradviz.draw`` and ``gradviz.show`` are given: gradviz's own
`Value`, a `Graph`, or a value of micrograd or a look-alike (read by `foreign`).
"""
from __future__ import annotations

from .engine import GroupBlock, Value
from .foreign import graph_from_foreign, is_foreign_value
from .graph import Graph
from .naming import value_names


def graph_of(value_or_graph, caller: str) -> Graph:
    """The graph of a gradviz `Value`, of a micrograd-like value, or the `Graph` itself.

    Raises TypeError naming ``caller`` (``draw``, ``show``) for anything else, and for a
    micrograd-like value that cannot be read (see `foreign.graph_from_foreign`).
    """
    if isinstance(value_or_graph, Graph):
        return value_or_graph
    if isinstance(value_or_graph, Value):
        return graph_from_value(value_or_graph)
    if is_foreign_value(value_or_graph):
        return graph_from_foreign(value_or_graph)
    raise TypeError(f"{caller}() takes a gradviz or micrograd Value or a Graph, not "
                    f"{type(value_or_graph).__name__}")


def graph_from_value(root: Value) -> Graph:
    """The graph of everything ``root`` depends on, with ``root`` as the output.

    Values keep their labels; unlabelled inputs and operations get names by the rule of
    `naming.value_names` (a, b … for the inputs, in the order they were made, then c, d …
    or ``o_a`` …), constants show their number. Ids are the labels,
    made unique, so the same expression always gives the same graph. Values made inside
    ``with group(...)`` blocks are in the graph's groups (ids g1, g2 … in the order the
    blocks were opened); blocks none of whose values ``root`` uses make no group.

    >>> a, b = Value(2.0), Value(3.0)
    >>> g = graph_from_value((a + b) * (b + 1))
    >>> [n.label for n in g.nodes() if n.kind != "const"]
    ['a', 'b', 'c', 'd', 'e']
    """
    order = root.topological_order()
    order.sort(key=_creation_rank(order))
    names = _names(order)
    graph = Graph()
    ids: dict[Value, str] = {}
    groups = _add_groups(graph, order)
    for v in order:
        group = groups[getattr(v, "_group", None)]  # micrograd's values have no groups
        if v._op is None and not v.requires_grad:
            ids[v] = graph.add_constant(v.data, id=graph.new_id("k"), group=group)
            continue
        label, auto = (v.label, False) if v.label else (names[v], True)
        node_id = label if label not in graph else graph.new_id(label + "_")
        if v._op is None:
            ids[v] = graph.add_input(label, v.data, id=node_id, auto=auto, group=group)
        else:
            ids[v] = graph.add_op(v._op.id, label, id=node_id, auto=auto, group=group)
            for port, p in enumerate(v._prev):
                graph.nx.add_edge(ids[p], ids[v], key=port)
    graph.output = ids[root]
    return graph


def _names(order: list[Value]) -> dict[Value, str]:
    """The name of every value that is not a constant (see `naming.value_names`)."""
    named = [v for v in order if v._op is not None or v.requires_grad]
    index = {v: i for i, v in enumerate(named)}
    consumers: list[list[int]] = [[] for _ in named]
    for i, v in enumerate(named):
        for p in v._prev:
            if p in index:
                consumers[index[p]].append(i)
    found = value_names([v.label or None for v in named], [v._op is None for v in named],
                        consumers)
    return dict(zip(named, found, strict=True))


def _add_groups(graph: Graph, values: list[Value]) -> dict[GroupBlock | None, str | None]:
    """A group for each block the values were made in and each block around those, in
    the order the blocks were opened (so parents come first); the group of each block."""
    blocks: set[GroupBlock] = set()
    for block in {getattr(v, "_group", None) for v in values} - {None}:
        blocks.update(block.path())
    groups: dict[GroupBlock | None, str | None] = {None: None}
    for b in sorted(blocks, key=lambda b: b.serial):
        groups[b] = graph.add_group(b.name, parent=groups[b.outer])
    return groups


def _creation_rank(order: list[Value]):
    """Sort key: a stable topological order that follows how the expression was written.

    A depth-first order from the inputs' side, first operand first, which for
    ``(a + b) * (b + 1)`` is a, b, a + b, 1, b + 1, e (so auto names read c, d, e).
    """
    rank: dict[Value, int] = {}
    visited: set[Value] = set()
    root = order[-1] if order else None
    stack: list = [(root, False)] if root is not None else []
    while stack:
        v, expanded = stack.pop()
        if expanded:
            rank[v] = len(rank)
            continue
        if v in visited:
            continue
        visited.add(v)
        stack.append((v, True))
        for p in reversed(v._prev):
            if p not in visited:
                stack.append((p, False))
    return rank.__getitem__
