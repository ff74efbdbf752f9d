"""Layout, last pass: coordinates. Layer x positions, heights that keep each layer's order
while pulling nodes towards their neighbours, waypoints for long edges routed without
dummies, and room made around nodes a user pinned.
"""
from __future__ import annotations

from bisect import bisect_right

from .layout_layers import EdgeKey, Point, Size

GAP_Y = 36.0
"""Vertical room between nodes in one layer."""


def layer_xs(layers: list[list[str]], size: dict[str, Size], gap_x: float) -> list[float]:
    """Layer centres: each layer as wide as its widest node, ``gap_x`` between them."""
    widths = [max((size[n][0] for n in lay if n in size), default=20.0) for lay in layers]
    xs, x = [], 0.0
    for w in widths:
        xs.append(x + w / 2)
        x += w + gap_x
    return xs


def place_vertically(layers, succ, pred, height, rounds: int = 6) -> dict[str, float]:
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


ROUTE_BUDGET = 400_000
"""Layers that long edges may be routed through, in all. A wide fan-out (one input
feeding 50,000 nodes of a chain) crosses layers in quadratic number; past the budget the
longest edges are drawn straight, over what is in their way: a graph that big is an
overview, and it opens in seconds instead of minutes."""


def routes_through_gaps(edges: list[EdgeKey], layer: dict[str, int], layers: list[list[str]],
                         positions: dict[str, Point], size: dict[str, Size],
                         xs: list[float], budget: int | None = None
                         ) -> dict[EdgeKey, list[Point]]:
    """Waypoints for edges laid out without dummies: straight on while the way is clear,
    and where a node of a crossed layer is in the way, to the nearer gap beside it.

    Blocked bands per layer reach half a gap beyond each node, so a waypoint snapped
    to a band's end sits in the middle of the gap between two nodes. Only the shortest
    edges are routed, crossing ``budget`` (default `ROUTE_BUDGET`) layers in all; the
    rest go straight.
    """
    straight = _beyond_budget(edges, layer, ROUTE_BUDGET if budget is None else budget)
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
        if (u, v, k) in straight:
            routes[(u, v, k)] = points
            continue
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


def _beyond_budget(edges: list[EdgeKey], layer: dict[str, int], budget: int) -> set[EdgeKey]:
    """The longest edges, past the first ``budget`` layers crossed by the shortest."""
    spans = [layer[v] - layer[u] - 1 for u, v, _ in edges]
    if sum(spans) <= budget:
        return set()
    left, beyond = budget, set()
    for span, edge in sorted(zip(spans, edges, strict=True), key=lambda p: p[0]):
        if span > left:
            beyond.add(edge)
        else:
            left -= span
    return beyond


def keep_pinned(positions: dict[str, Point], size: dict[str, Size],
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
