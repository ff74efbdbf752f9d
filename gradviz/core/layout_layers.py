"""Layout, first pass: which layer each node is in, and chains of dummy nodes for edges
that span several layers (so the crossing reduction and the placement see them).

No Qt here; the ordering is the graph's insertion order until `layout_crossings` sorts it.
"""
from __future__ import annotations

import networkx as nx

from .graph import Graph
from .ops import OPS

Point = tuple[float, float]
Size = tuple[float, float]
EdgeKey = tuple[str, str, int]


def layers_of(g: nx.MultiDiGraph, order: list[str] | None = None) -> dict[str, int]:
    """Longest-path layers (networkx's topological generations), with every leaf moved
    right up to its first consumer.

    A constant feeding the last operation then sits beside it instead of far left with an
    edge across the whole picture. ``order`` is a topological order when the caller has
    one: one pass over it gives the generations without networkx's bookkeeping.
    """
    if order is None:
        order = list(nx.topological_sort(g))
    pred, succ = g.pred, g.succ
    layer: dict[str, int] = {}
    for n in order:
        sources = pred[n]
        layer[n] = 1 + max(layer[u] for u in sources) if sources else 0
    for n in order:
        if not pred[n] and succ[n]:
            layer[n] = min(layer[v] for v in succ[n]) - 1
    low = min(layer.values())
    return {n: x - low for n, x in layer.items()}


def port_offset(graph: Graph, target: str, port: int) -> float:
    """Where on its node an input port sits, as a fraction of one ordering slot."""
    a = graph.nx.nodes[target]
    arity = OPS[a["op"]].arity if a.get("kind") == "op" and a.get("op") in OPS else 1
    return 0.0 if arity <= 1 else (port - (arity - 1) / 2) * (0.5 / arity)


def with_dummies(graph: Graph, layer: dict[str, int], budget: int | None = None,
                  order: list[str] | None = None):
    """Layers as ordered lists, long edges split into chains of dummy nodes.

    ``succ[u]``/``pred[v]`` hold ``(other, offset)`` where the offset places the input
    port inside the target's slot, so ``a - b`` keeps a above b. With a ``budget``, the
    shortest edges get chains until it is spent; the others come back as ``long_edges``
    (in the ordering they are not seen; they are routed after placement).
    """
    g = graph.nx
    depth = max(layer.values()) + 1
    layers: list[list[str]] = [[] for _ in range(depth)]
    for n in graph.order() if order is None else order:
        layers[layer[n]].append(n)
    succ: dict[str, list[tuple[str, float]]] = {n: [] for n in g}
    pred: dict[str, list[tuple[str, float]]] = {n: [] for n in g}
    routes: dict[EdgeKey, list[str]] = {}
    edges = list(g.edges(keys=True))
    long_edges: list[EdgeKey] = []
    if budget is not None and sum(layer[v] - layer[u] - 1 for u, v, _ in edges) > budget:
        # Shortest first, ties in insertion order (sorted is stable).
        by_span = sorted(edges, key=lambda e: layer[e[1]] - layer[e[0]])
        spent, cut = 0, len(by_span)
        for i, (u, v, _) in enumerate(by_span):
            spent += layer[v] - layer[u] - 1
            if spent > budget:
                cut = i
                break
        long_edges = by_span[cut:]
        edges = by_span[:cut]
    for u, v, k in sorted(edges, key=lambda e: (layer[e[0]], e[2])):
        offset = port_offset(graph, v, k)
        chain = [f"\0{u}\0{v}\0{k}\0{i}" for i in range(layer[u] + 1, layer[v])]
        for i, d in zip(range(layer[u] + 1, layer[v]), chain, strict=True):
            layers[i].append(d)
            succ[d], pred[d] = [], []
        hops = [u, *chain, v]
        for a, b in zip(hops, hops[1:], strict=False):
            off = offset if b == v else 0.0
            succ[a].append((b, off))
            pred[b].append((a, off))
        if chain:
            routes[(u, v, k)] = chain
    # Handed on as tuples, which Python's cycle collector stops tracking: the ordering
    # and placement that follow read them for a while, and lists (two per node and per
    # dummy) would be walked in each of its passes meanwhile.
    frozen_succ = {n: tuple(links) for n, links in succ.items()}
    frozen_pred = {n: tuple(links) for n, links in pred.items()}
    return layers, routes, frozen_succ, frozen_pred, long_edges
