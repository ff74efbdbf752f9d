"""Layout, shape: a long left-to-right layout wrapped into rows, like text, so that its
overall shape fits the target (the window, or a 16:9 slide).

The layers are cut into runs of about equal width; each run becomes a row, the rows are
stacked top to bottom, and an edge that leaves the end of one row is drawn as a wire
that runs down into the space under that row, back along it, and into the start of the
next row: each such wire has a lane of its own there. The number of rows is the one at
which the whole graph fitted into the target shows largest (one row when wrapping does
not help much, as for every graph of a few layers).

Works on the coordinates the other passes made (`layered_layout` calls it before pinned
nodes are put back); no Qt here.
"""
from __future__ import annotations

from bisect import bisect_right

from .layout_layers import EdgeKey, Point, Size

ROW_GAP = 70.0
"""Vertical room between rows, at least (more where many wires wrap)."""
LANE = 16.0
"""Room per wrapping wire under a row."""
MAX_ROWS = 400
CUT_SLACK = 2
"""How many layers a row's break may move from the even split to cross fewer wires."""
WRAP_GAIN = 1.25
"""How much larger the whole graph must show before it is wrapped at all: one row reads
most naturally, and a short graph (Karpathy's 11-node neuron) stays one."""


class Rows:
    """Where the layers of each row start and end, and what wrapping does to a point."""

    def __init__(self, cuts: list[int], lefts: list[float], rights: list[float],
                 tops: list[float], bottoms: list[float], gap_x: float,
                 lanes: list[int]) -> None:
        self.count = len(cuts)
        # Row r spans x from lefts[r] to rights[r] in the single-row coordinates, and y
        # from tops[r] to bottoms[r].
        self.lefts, self.rights = lefts, rights
        self.bounds = [max(rights[r] - lefts[r], 0.0) for r in range(self.count)]
        self.gap_x = gap_x
        self.shift_y: list[float] = []
        y = 0.0
        for r in range(self.count):
            self.shift_y.append(y - tops[r])
            y += bottoms[r] - tops[r]
            if r + 1 < self.count:
                y += row_gap(lanes[r])
        # Where row r's lanes start (just under its bottom).
        self.lane_top = [bottoms[r] + self.shift_y[r] + LANE for r in range(self.count)]
        # Row boundaries in single-row x: the middle of the gap between rows.
        self.splits = [(rights[r] + lefts[r + 1]) / 2 for r in range(self.count - 1)]

    def row_of_x(self, x: float) -> int:
        return bisect_right(self.splits, x)

    def moved(self, p: Point) -> Point:
        r = self.row_of_x(p[0])
        return (p[0] - self.lefts[r], p[1] + self.shift_y[r])


def row_gap(lanes: int) -> float:
    return max(ROW_GAP, (lanes + 2) * LANE)


class RowPlan:
    """What choosing the rows needs of a one-row layout, per layer: where it starts and
    ends, how tall it is, how many wires would wrap before it."""

    def __init__(self, positions: dict[str, Point], dummy_pos: dict[str, Point],
                 edges: list[EdgeKey], layer: dict[str, int], layers: list[list[str]],
                 size: dict[str, Size], xs: list[float], dummy_height: float) -> None:
        count = len(layers)
        widths = [max((size[n][0] for n in lay if n in size), default=20.0)
                  for lay in layers]
        self.tops, self.bottoms = [], []
        for lay in layers:
            t, b = float("inf"), float("-inf")
            for n in lay:
                y = positions[n][1] if n in positions else dummy_pos[n][1]
                h = size[n][1] if n in size else dummy_height
                t, b = min(t, y - h / 2), max(b, y + h / 2)
            self.tops.append(t)
            self.bottoms.append(b)
        self.lefts = [xs[i] - widths[i] / 2 for i in range(count)]
        self.rights = [xs[i] + widths[i] / 2 for i in range(count)]
        self.crossing = _crossings_per_cut(edges, layer, count)
        self.count = count

    def choose(self, aspect: float) -> list[int] | None:
        """The first layer of each row for a target of ``aspect`` (width over height),
        or None when one row fits it best."""
        count = self.count
        if count < 4:
            return None
        lefts, rights, tops, bottoms = self.lefts, self.rights, self.tops, self.bottoms
        total = rights[-1] - lefts[0]

        def score(r: int) -> tuple[float, list[int]]:
            """How large the whole graph shows in the target with ``r`` rows."""
            cuts = _cuts(lefts, total, r, self.crossing)
            spans = list(zip(cuts, cuts[1:] + [count], strict=True))
            row_w = max(rights[e - 1] - lefts[c] for c, e in spans)
            row_h = sum(max(bottoms[c:e]) - min(tops[c:e]) for c, e in spans)
            row_h += sum(row_gap(self.crossing[c]) for c in cuts[1:])
            return min(aspect / row_w, 1.0 / row_h), cuts

        most = min(count // 2, MAX_ROWS)
        one, _ = score(1)
        # Coarsely over counts growing by a third, then every count around the best.
        tried = {r: score(r) for r in _coarse(most)}
        if not tried:
            return None
        near = max(tried, key=lambda r: tried[r][0])
        for r in range(max(2, round(near / 1.34)), min(most, round(near * 1.34) + 1) + 1):
            if r not in tried:
                tried[r] = score(r)
        rows_count = max(tried, key=lambda r: (tried[r][0], -r))
        if tried[rows_count][0] <= one * WRAP_GAIN:
            return None
        return tried[rows_count][1]


def wrap_rows(plan: RowPlan, cuts: list[int], positions: dict[str, Point],
              routes: dict[EdgeKey, list[Point]], edges: list[EdgeKey],
              gap_x: float) -> tuple[dict[str, Point], dict[EdgeKey, list[Point]]]:
    """``positions`` and ``routes`` of a one-row layout wrapped into rows starting at
    the layers ``cuts`` (from `RowPlan.choose`); ``edges`` are every edge of the graph."""
    count = plan.count
    spans = list(zip(cuts, cuts[1:] + [count], strict=True))
    rows = Rows(cuts, [plan.lefts[c] for c, _ in spans],
                [plan.rights[e - 1] for _, e in spans],
                [min(plan.tops[c:e]) for c, e in spans],
                [max(plan.bottoms[c:e]) for c, e in spans],
                gap_x, [plan.crossing[c] for c in cuts[1:]])
    return _apply(rows, positions, routes, edges)


def _coarse(most: int) -> list[int]:
    """Row counts from 2 to ``most``, each about a third more than the one before."""
    out, r = [], 2
    while r <= most:
        out.append(r)
        r = max(r + 1, round(r * 1.34))
    return out


def _cuts(lefts: list[float], total: float, rows: int, crossing: list[int]) -> list[int]:
    """The first layer of each of ``rows`` rows of about equal width: each break where
    fewest wires cross it, within a layer or two of where equal widths would put it
    (fewer wires wrap, and fewer steps have their nodes on two rows)."""
    count = len(lefts)
    cuts = [0]
    for k in range(1, rows):
        ideal = lefts[0] + total * k / rows
        i = bisect_right(lefts, ideal)
        if i - 1 > cuts[-1] and ideal - lefts[i - 1] < (lefts[i] if i < count else ideal) - ideal:
            i -= 1
        lo, hi = cuts[-1] + 1, count - (rows - k)
        near = [j for j in range(i - CUT_SLACK, i + CUT_SLACK + 1) if lo <= j <= hi]
        cuts.append(min(near, key=lambda j: (crossing[j], abs(j - i))) if near
                    else max(lo, min(i, hi)))
    return cuts


def _crossings_per_cut(edges: list[EdgeKey], layer: dict[str, int], count: int) -> list[int]:
    """For a cut before layer i, how many edges would wrap there."""
    starts = [0] * (count + 1)
    for u, v, _ in edges:
        starts[layer[u] + 1] += 1
        starts[layer[v] + 1] -= 1
    out, running = [], 0
    for i in range(count + 1):
        running += starts[i]
        out.append(running)
    return out


def _apply(rows: Rows, positions: dict[str, Point], routes: dict[EdgeKey, list[Point]],
           edges: list[EdgeKey]) -> tuple[dict[str, Point], dict[EdgeKey, list[Point]]]:
    moved = {n: rows.moved(p) for n, p in positions.items()}
    new_routes: dict[EdgeKey, list[Point]] = {}
    used = [0] * rows.count  # lanes taken under each row
    for key in edges:
        u, v, _ = key
        points = [positions[u], *routes.get(key, ()), positions[v]]
        out: list[Point] = []
        for i in range(1, len(points)):
            a, b = rows.row_of_x(points[i - 1][0]), rows.row_of_x(points[i][0])
            for r in range(a, b):
                out.extend(_wrap(rows, r, points[i - 1], points[i], used))
            if i < len(points) - 1:
                out.append(rows.moved(points[i]))
        if out or key in routes:
            new_routes[key] = out
    return moved, new_routes


def _wrap(rows: Rows, r: int, a: Point, b: Point, used: list[int]) -> list[Point]:
    """The corners of a wire from row ``r`` (where ``a`` is) into row ``r + 1``: out past
    the row's end, down into a lane of its own under the row, back along it, and down
    to the height of ``b`` before the next row's start."""
    lane = rows.lane_top[r] + used[r] * LANE
    used[r] += 1
    margin = rows.gap_x * 0.3
    ya = a[1] + rows.shift_y[rows.row_of_x(a[0])]
    yb = b[1] + rows.shift_y[rows.row_of_x(b[0])]
    right, left = rows.bounds[r] + margin, -margin
    return [(right, ya), (right, lane), (left, lane), (left, yb)]
