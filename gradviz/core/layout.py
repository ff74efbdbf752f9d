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
"""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import networkx as nx

from .graph import Graph
from .ops import OPS

Point = tuple[float, float]
Size = tuple[float, float]
EdgeKey = tuple[str, str, int]

GAP_X = 90.0
"""Horizontal room between layers (for arrows and the labels they carry)."""
GAP_Y = 36.0
"""Vertical room between nodes in one layer."""
DUMMY_HEIGHT = 18.0
MIN_DUMMY_BUDGET = 2500
"""Dummy nodes every graph may have; beyond it (and one per real node) long edges are
routed through gaps instead."""


@dataclass
class Layout:
    """Node centres and, for edges that span layers, the waypoints they pass through."""

    positions: dict[str, Point]
    routes: dict[EdgeKey, list[Point]] = field(default_factory=dict)


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
                   reduce: bool = True) -> Layout:
    """`layout` plus the waypoints of long edges (for drawing them around other nodes).

    ``gap_x`` is the room between layers; the scene widens it to fit edge labels.
    """
    g = graph.nx
    if len(g) == 0:
        return Layout({})
    size = {n: (sizes or {}).get(n) or estimated_size(graph, n) for n in g}
    order = graph.order()
    layer = _layers(g, order)
    budget = max(MIN_DUMMY_BUDGET, len(g))
    layers, routes_of, succ, pred, long_edges = _with_dummies(graph, layer, budget, order)
    if reduce:
        _reduce_crossings(layers, succ, pred)
    height = {n: size[n][1] if n in size else DUMMY_HEIGHT for lay in layers for n in lay}
    total = sum(len(lay) for lay in layers)
    rounds = 0 if not reduce else 6 if total < 3000 else 2
    ys = _place_vertically(layers, succ, pred, height, rounds)
    xs = _layer_xs(layers, size, gap_x)
    positions: dict[str, Point] = {}
    dummy_pos: dict[str, Point] = {}
    for i, lay in enumerate(layers):
        for n in lay:
            (positions if n in size else dummy_pos)[n] = (xs[i], ys[n])
    routes = {e: [dummy_pos[d] for d in chain] for e, chain in routes_of.items()}
    if long_edges:
        routes.update(_routes_through_gaps(long_edges, layer, layers, positions, size, xs))
    if pinned:
        _keep_pinned(positions, size, pinned, routes)
    return Layout(positions, routes)


# --- layers -----------------------------------------------------------------------------
def _layers(g: nx.MultiDiGraph, order: list[str] | None = None) -> dict[str, int]:
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


def _port_offset(graph: Graph, target: str, port: int) -> float:
    """Where on its node an input port sits, as a fraction of one ordering slot."""
    a = graph.nx.nodes[target]
    arity = OPS[a["op"]].arity if a.get("kind") == "op" and a.get("op") in OPS else 1
    return 0.0 if arity <= 1 else (port - (arity - 1) / 2) * (0.5 / arity)


def _with_dummies(graph: Graph, layer: dict[str, int], budget: int | None = None,
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
        offset = _port_offset(graph, v, k)
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
    return layers, routes, succ, pred, long_edges


# --- crossing reduction ---------------------------------------------------------------
def _reduce_crossings(layers: list[list[str]], succ, pred, sweeps: int | None = None) -> None:
    """Barycenter sweeps down and up the layers; keeps the ordering with fewest crossings."""
    total = sum(len(lay) for lay in layers)
    if sweeps is None:
        sweeps = 8 if total < 1500 else 4 if total < 3000 else 3 if total < 6000 else 2
    # On big graphs the insertion order and a single downward pass are far from the
    # best (measured on the benchmark graphs), and each count costs as much as a sweep.
    counted_from = 1 if total >= 3000 and sweeps > 1 else 0
    best, best_count = [list(lay) for lay in layers], math.inf
    if counted_from == 0:
        best_count = _total_crossings(layers, succ)
    for sweep in range(sweeps):
        if best_count == 0:
            break
        down = sweep % 2 == 0
        rng = range(1, len(layers)) if down else range(len(layers) - 2, -1, -1)
        for i in rng:
            fixed = layers[i - 1] if down else layers[i + 1]
            slot = {n: j for j, n in enumerate(fixed)}
            links = pred if down else succ
            layers[i] = _sorted_by_barycenter(layers[i], links, slot, into_fixed=not down)
        if sweep < counted_from:
            continue
        count = _total_crossings(layers, succ)
        if count < best_count:
            best, best_count = [list(lay) for lay in layers], count
    layers[:] = best


def _sorted_by_barycenter(layer: list[str], links, slot: dict[str, int], into_fixed: bool):
    bary = []
    for j, n in enumerate(layer):
        near = links[n]
        if len(near) == 1:  # most slots (dummies, unary operations): one neighbour
            m, off = near[0]
            if m in slot:
                bary.append(slot[m] + (off if into_fixed else 0.0))
                continue
        # Sweeping up, the fixed layer holds the targets, whose port offsets count;
        # sweeping down the offset belongs to this node's own ports and only breaks ties.
        places = [slot[m] + (off if into_fixed else 0.0) for m, off in near if m in slot]
        bary.append(sum(places) / len(places) if places else float(j))
    # A stable sort: equal barycenters keep their order.
    return [layer[j] for j in sorted(range(len(layer)), key=bary.__getitem__)]


def _total_crossings(layers: list[list[str]], succ) -> int:
    return sum(_crossings_between(layers[i], layers[i + 1], succ)
               for i in range(len(layers) - 1))


def _crossings_between(top: list[str], bottom: list[str], succ) -> int:
    """Edge crossings between two adjacent layers (inversions of the edges' lower ends
    taken in the order of their upper ends)."""
    slot = {n: j for j, n in enumerate(bottom)}
    ends: list[float] = []
    for u in top:
        out = succ[u]
        if len(out) == 1:
            v, off = out[0]
            ends.append(slot[v] + off)
        elif out:
            ends.extend(sorted(slot[v] + off for v, off in out))
    return _inversions(ends)


def _inversions(seq: list[float]) -> int:
    """Pairs i < j with seq[i] > seq[j]."""
    count = 0
    seen: list[float] = []
    for x in reversed(seq):
        pos = bisect_left(seen, x)
        count += pos
        seen.insert(pos, x)
    return count


# --- coordinates ---------------------------------------------------------------------
def _layer_xs(layers: list[list[str]], size: dict[str, Size], gap_x: float) -> list[float]:
    """Layer centres: each layer as wide as its widest node, ``gap_x`` between them."""
    widths = [max((size[n][0] for n in lay if n in size), default=20.0) for lay in layers]
    xs, x = [], 0.0
    for w in widths:
        xs.append(x + w / 2)
        x += w + gap_x
    return xs


def _place_vertically(layers, succ, pred, height, rounds: int = 6) -> dict[str, float]:
    """Stack each layer, then pull nodes towards their neighbours' heights a few times."""
    ys: dict[str, float] = {}
    for lay in layers:
        y = 0.0
        for n in lay:
            ys[n] = y + height[n] / 2
            y += height[n] + GAP_Y
    for rnd in range(rounds):
        down = rnd % 2 == 0
        order = layers[1:] if down else layers[-2::-1]
        for lay in order:
            links = pred if down else succ
            wanted = []
            for n in lay:
                near = links[n]
                if len(near) == 1:
                    wanted.append(ys[near[0][0]] + 0.0)  # as the mean of one below
                else:
                    ys_near = [ys[m] for m, _ in near] or [ys[n]]
                    wanted.append(sum(ys_near) / len(ys_near))
            _fit_in_order(lay, wanted, height, ys)
    top = min(ys[n] - height[n] / 2 for lay in layers for n in lay)
    return {n: y - top for n, y in ys.items()}


def _fit_in_order(lay: list[str], wanted: list[float], height, ys: dict[str, float]) -> None:
    """Closest heights to ``wanted`` (least squares) that keep order and spacing.

    Pool-adjacent-violators on the wanted heights shifted by each node's cumulative
    offset from the first: an isotonic regression, exact and linear in the layer size.
    """
    offsets, acc = [], 0.0
    for i, n in enumerate(lay):
        if i:
            acc += height[lay[i - 1]] / 2 + GAP_Y + height[n] / 2
        offsets.append(acc)
    blocks: list[list[float]] = []  # [mean, weight, count]
    for w, off in zip(wanted, offsets, strict=True):
        blocks.append([w - off, 1.0, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks[-1]
            blocks[-1] = [(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2]
    i = 0
    for mean, _, count in blocks:
        for _ in range(count):
            ys[lay[i]] = mean + offsets[i]
            i += 1


def _routes_through_gaps(edges: list[EdgeKey], layer: dict[str, int], layers: list[list[str]],
                         positions: dict[str, Point], size: dict[str, Size],
                         xs: list[float]) -> dict[EdgeKey, list[Point]]:
    """Waypoints for edges laid out without dummies: straight on while the way is clear,
    and where a node of a crossed layer is in the way, to the nearer gap beside it.

    Blocked bands per layer reach half a gap beyond each node, so a waypoint snapped
    to a band's end sits in the middle of the gap between two nodes.
    """
    bands: list[tuple[list[float], list[float]]] = []
    for lay in layers:
        spans = sorted((positions[n][1] - size[n][1] / 2 - GAP_Y / 2,
                        positions[n][1] + size[n][1] / 2 + GAP_Y / 2)
                       for n in lay if n in positions)
        tops: list[float] = []
        bottoms: list[float] = []
        for top, bottom in spans:
            if bottoms and top < bottoms[-1]:
                bottoms[-1] = max(bottoms[-1], bottom)
            else:
                tops.append(top)
                bottoms.append(bottom)
        bands.append((tops, bottoms))
    routes: dict[EdgeKey, list[Point]] = {}
    for u, v, k in edges:
        (px, py), (x1, y1) = positions[u], positions[v]
        points: list[Point] = []
        for i in range(layer[u] + 1, layer[v]):
            x = xs[i]
            y = py + (y1 - py) * (x - px) / (x1 - px)
            tops, bottoms = bands[i]
            j = bisect_right(tops, y) - 1
            if j >= 0 and y < bottoms[j]:
                y = tops[j] if y - tops[j] <= bottoms[j] - y else bottoms[j]
                points.append((x, y))
                px, py = x, y
        routes[(u, v, k)] = points
    return routes


def _keep_pinned(positions: dict[str, Point], size: dict[str, Size],
                 pinned: dict[str, Point], routes: dict) -> None:
    """Put pinned nodes where they were and move others down until nothing overlaps."""
    fixed = {n: tuple(p) for n, p in pinned.items() if n in positions}
    positions.update(fixed)
    for key in [e for e in routes if e[0] in fixed or e[1] in fixed]:
        del routes[key]  # the waypoints were made for the old place
    placed = [n for n in fixed]
    for n in sorted(positions, key=lambda m: (positions[m][0], positions[m][1])):
        if n in fixed:
            continue
        x, y = positions[n]
        moved = True
        while moved:
            moved = False
            for m in placed:
                if _overlap((x, y), size[n], positions[m], size[m]):
                    y = positions[m][1] + size[m][1] / 2 + GAP_Y / 2 + size[n][1] / 2
                    moved = True
        if (x, y) != positions[n]:
            positions[n] = (x, y)
            for key in [e for e in routes if n in e[:2]]:
                del routes[key]
        placed.append(n)


def _overlap(p: Point, s: Size, q: Point, t: Size) -> bool:
    return (abs(p[0] - q[0]) < (s[0] + t[0]) / 2 + 4
            and abs(p[1] - q[1]) < (s[1] + t[1]) / 2 + 4)


# --- measuring ----------------------------------------------------------------------
def count_crossings(graph: Graph, positions: dict[str, Point]) -> int:
    """Pairs of edges whose straight segments cross (centre to centre).

    An edge ends at its input port, slightly above or below the target's centre, so
    ``a - b`` drawn with b's edge above a's counts as a crossing. Edges that share a
    node do not cross there.
    """
    segs = []
    for u, v, k in graph.edges():
        if u not in positions or v not in positions:
            continue
        (x1, y1), (x2, y2) = positions[u], positions[v]
        segs.append((u, v, (x1, y1), (x2, y2 + 8.0 * _port_offset(graph, v, k))))
    segs.sort(key=lambda s: min(s[2][0], s[3][0]))
    count = 0
    for i, (u1, v1, p1, p2) in enumerate(segs):
        right = max(p1[0], p2[0])
        for u2, v2, q1, q2 in segs[i + 1:]:
            if min(q1[0], q2[0]) > right:
                break
            if u1 == u2 or (v1 == v2 and p2 == q2) or u1 == v2 or v1 == u2:
                continue
            if _segments_cross(p1, p2, q1, q2):
                count += 1
    return count


def _segments_cross(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    def orient(a, b, c) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2 = orient(q1, q2, p1), orient(q1, q2, p2)
    d3, d4 = orient(p1, p2, q1), orient(p1, p2, q2)
    eps = 1e-9
    return (d1 * d2 < -eps) and (d3 * d4 < -eps) and not math.isclose(d1, d2)
