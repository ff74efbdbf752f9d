"""Layered placement of a computation graph: inputs on the left, the output on the right.

A Sugiyama-style layout in four passes: layers from networkx's topological generations
(leaves pulled right next to their first consumer), dummy nodes on edges that span
several layers, crossing reduction by port-aware barycenter sweeps (the best ordering
seen is kept), then vertical placement that pulls each node towards its neighbours while
keeping the order and the spacing. Everything is deterministic: ties follow the graph's
insertion order. No Qt here; the scene passes measured node sizes when it has them.

Big graphs: dummy chains cost time in every pass, and a few very long edges would bring
thousands of them (a 1,000-node expression has ~10,000). Only the shortest edges get
chains, up to a budget; the longest are routed afterwards through the gaps between
nodes of the layers they cross. Graphs under the budget (every shipped example) are
laid out exactly as before.

This module runs the passes; each lives in a module of its own: layout_layers (layers
and dummy chains), layout_crossings (ordering within layers, and counting crossings),
layout_coordinates (x and y, long-edge routes, pinned nodes), layout_rows (a long
layout wrapped into rows that fit the window or the page).
"""
from __future__ import annotations

from typing import Callable

from .graph import Graph
from .layout_coordinates import (
    GAP_Y,
    keep_pinned,
    layer_xs,
    place_vertically,
    routes_through_gaps,
)
from .layout_crossings import count_crossings, reduce_crossings
from .layout_layers import EdgeKey, Point, Size, layers_of, with_dummies
from .layout_rows import RowPlan, wrap_rows

GAP_X = 90.0
"""Horizontal room between layers (for arrows and the labels they carry)."""
DUMMY_HEIGHT = 18.0
MIN_DUMMY_BUDGET = 2500
"""Dummy nodes every graph may have; beyond it (and one per real node) long edges are
routed through gaps instead."""


class Layout:
    """Node centres and, for edges that span layers, the waypoints they pass through."""

    __slots__ = ("positions", "routes")

    def __init__(self, positions: dict[str, Point],
                 routes: dict[EdgeKey, list[Point]] | None = None) -> None:
        self.positions = positions
        self.routes = {} if routes is None else routes


def estimated_size(graph: Graph, node_id: str) -> Size:
    """A node's size from its texts when nobody measured it (about 9 px a character)."""
    n = graph.node(node_id)
    chars = max(len(n.label), 6)
    if n.kind == "op":
        return (60.0 + 9.0 * chars, 70.0)
    if n.kind == "const":
        return (24.0 + 9.0 * chars, 34.0)
    return (30.0 + 9.0 * chars, 70.0)


def layout(graph: Graph, pinned: dict[str, Point] | None = None,
           sizes: dict[str, Size] | None = None) -> dict[str, Point]:
    """Centres of every node in scene coordinates, left to right; ``pinned`` ones are kept.

    Parameters
    ----------
    graph : the computation graph.
    pinned : positions to keep as they are (what a user dragged).
    sizes : each node's width and height; estimated from its label when absent.

    Examples
    --------
    >>> from gradviz.core.trace import graph_from_value
    >>> from gradviz.core.engine import Value
    >>> a, b = Value(2.0), Value(3.0)
    >>> pos = layout(graph_from_value((a + b) * (b + 1)))
    >>> pos["a"][0] < pos["c"][0] < pos["e"][0]
    True
    """
    return layered_layout(graph, pinned, sizes).positions


def plain_layered_layout(graph: Graph) -> dict[str, Point]:
    """The baseline the benchmark compares with: layers in insertion order, no sweeps."""
    return layered_layout(graph, reduce=False).positions


def layered_layout(graph: Graph, pinned: dict[str, Point] | None = None,
                   sizes: dict[str, Size] | None = None, gap_x: float = GAP_X,
                   reduce: bool = True, aspect: float | None = None,
                   progress: Callable[[float], None] | None = None) -> Layout:
    """`layout` plus the waypoints of long edges (for drawing them around other nodes).

    ``gap_x`` is the room between layers. ``aspect`` (width over height of the window or
    page the graph is for) wraps a long layout into rows that fit it (see layout_rows);
    None keeps one row. ``progress``, when given, is called between the passes with the
    part done (0 to 1); whatever it raises stops the layout.
    """
    tick = progress or (lambda done: None)
    g = graph.nx
    if len(g) == 0:
        return Layout({})
    size = {n: (sizes or {}).get(n) or estimated_size(graph, n) for n in g}
    order = graph.order()
    layer = layers_of(g, order)
    budget = max(MIN_DUMMY_BUDGET, len(g))
    layers, routes_of, succ, pred, long_edges = with_dummies(graph, layer, budget, order)
    tick(0.25)
    if reduce:
        reduce_crossings(layers, succ, pred, paths=_group_paths(graph, routes_of))
    tick(0.45)
    height = {n: size[n][1] if n in size else DUMMY_HEIGHT for lay in layers for n in lay}
    total = sum(len(lay) for lay in layers)
    rounds = 0 if not reduce else 6 if total < 3000 else 2
    ys = place_vertically(layers, succ, pred, height, rounds)
    xs = layer_xs(layers, size, gap_x)
    tick(0.7)
    positions: dict[str, Point] = {}
    dummy_pos: dict[str, Point] = {}
    for i, lay in enumerate(layers):
        for n in lay:
            (positions if n in size else dummy_pos)[n] = (xs[i], ys[n])
    routes = {e: [dummy_pos[d] for d in chain] for e, chain in routes_of.items()}
    if long_edges:
        routes.update(routes_through_gaps(long_edges, layer, layers, positions, size, xs))
    tick(0.85)
    if aspect is not None:
        edges = graph.edges()
        plan = RowPlan(positions, dummy_pos, edges, layer, layers, size, xs, DUMMY_HEIGHT)
        cuts = plan.choose(aspect)
        if cuts is not None:
            positions, routes = wrap_rows(plan, cuts, positions, routes, edges, gap_x)
    if pinned:
        keep_pinned(positions, size, pinned, routes)
    return Layout(positions, routes)


def _group_paths(graph: Graph, routes_of) -> dict[str, tuple[str, ...]] | None:
    """Each node's groups, outermost first, and each dummy's: the groups both ends of its
    edge are in (so a wire inside a neuron stays inside its run). None without groups."""
    if not graph.groups():
        return None
    paths = {n: graph.group_path(n) for n in graph.nx}
    for (u, v, _), chain in routes_of.items():
        a, b = paths[u], paths[v]
        common = 0
        while common < min(len(a), len(b)) and a[common] == b[common]:
            common += 1
        for d in chain:
            paths[d] = a[:common]
    return paths


__all__ = ["Layout", "layout", "layered_layout", "plain_layered_layout", "count_crossings",
           "estimated_size", "GAP_X", "GAP_Y", "Point", "Size", "EdgeKey"]
