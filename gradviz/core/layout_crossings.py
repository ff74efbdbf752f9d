"""Layout, second pass: ordering the nodes within their layers to reduce edge crossings
(barycenter sweeps that keep the best ordering seen), and counting crossings in a
finished picture (`count_crossings`, what the tests and the benchmark measure).

Groups (a neuron, a layer) are kept together: given each node's group path, every sweep
orders a layer by barycenter and then makes each group's members contiguous in it, each
group where its members' mean rank puts it, nested groups inside their parent's run. So
in every layer a neuron's nodes are one run, which its frame can follow.
"""
from __future__ import annotations

import math
from bisect import bisect_left

from .graph import Graph
from .layout_layers import Point, port_offset


def reduce_crossings(layers: list[list[str]], succ, pred, sweeps: int | None = None,
                     paths: dict[str, tuple[str, ...]] | None = None) -> None:
    """Barycenter sweeps down and up the layers; keeps the ordering with fewest crossings.

    ``paths`` gives the groups each node (or dummy) is in, outermost first; with it every
    layer keeps each group's members together (see the module's docstring).
    """
    total = sum(len(lay) for lay in layers)
    if paths:
        layers[:] = [grouped(lay, paths) for lay in layers]
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
            if paths:
                layers[i] = grouped(layers[i], paths)
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


def grouped(layer: list[str], paths: dict[str, tuple[str, ...]]) -> list[str]:
    """``layer`` reordered so that each group's members are contiguous, nested groups
    inside their parent's run; a group (or a loose node) sits at its members' mean rank
    in ``layer``, ties kept in order. Nodes missing from ``paths`` are in no group."""
    rank = {n: j for j, n in enumerate(layer)}
    root = _Run()
    for n in layer:
        run = root
        for g in paths.get(n, ()):
            inner = run.groups.get(g)
            if inner is None:
                inner = run.groups[g] = _Run()
                run.entries.append(inner)
            inner.rank_sum += rank[n]
            inner.count += 1
            run = inner
        run.entries.append(n)
    out: list[str] = []
    stack: list[_Run | str] = [root]  # depth first, without recursion (groups may nest deeply)
    while stack:
        entry = stack.pop()
        if isinstance(entry, str):
            out.append(entry)
            continue
        ordered = sorted(entry.entries, key=lambda e: rank[e] if isinstance(e, str)
                         else e.rank_sum / e.count)
        stack.extend(reversed(ordered))
    return out


class _Run:
    """One group's run in a layer: its nodes and inner groups' runs, in arrival order."""

    __slots__ = ("groups", "entries", "rank_sum", "count")

    def __init__(self) -> None:
        self.groups: dict[str, _Run] = {}
        self.entries: list[_Run | str] = []
        self.rank_sum = 0.0
        self.count = 0


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
        segs.append((u, v, (x1, y1), (x2, y2 + 8.0 * port_offset(graph, v, k))))
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
