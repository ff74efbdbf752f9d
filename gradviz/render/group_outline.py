"""The outline an open group's frame follows: its nodes' runs, column by column, joined
across the gaps between columns wherever that takes in no other node.

The layout keeps a group's nodes together within each layer (see core.layout_crossings),
but not in one rectangle: a neuron's products sit in one column, its sum in the next, at
other heights, with other neurons' nodes above and below. So the frame is the union of
one padded rectangle per run of the group's nodes in a column (nodes one above the other
with no other node between them) and a bridge over each gap to the next column's run.
A bridge is as tall as the two runs together, or as their overlap, whichever covers no
other node; if neither does, the two pieces stay apart and the wires join them. A frame
never takes in a node that is not in its group.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QPainterPath


@dataclass(frozen=True)
class Outline:
    """A frame's shape: ``path`` to draw; ``tabs`` where its name is written, one per
    part of the outline (a group split over two rows of a wrapped layout has two, so
    each part says whose it is)."""

    path: QPainterPath
    tabs: tuple[QRectF, ...]


def group_outline(boxes: Sequence[QRectF], covers: Callable[[QRectF], bool], pad: float,
                  join: float, tab: QSizeF, taken: Callable[[QRectF], bool]) -> Outline | None:
    """The outline around ``boxes`` (a group's node boxes in scene coordinates).

    ``covers(rect)`` says whether ``rect`` overlaps a box that is not the group's;
    ``pad`` is the room kept around the nodes; two pieces at different heights are joined
    only when they are at most ``join`` apart. Each part's name ``tab`` goes above its
    leftmost piece, at the left end or the right, else below it, wherever ``taken(rect)``
    (any node's box or tab there, the group's own included) says it hides nothing. None when a
    piece itself would take in another node (a node dragged into the group's run), so
    there is no honest frame.
    """
    if not boxes:
        return None
    columns = [[r.adjusted(-pad, -pad, pad, pad) for r in runs]
               for runs in _runs(boxes, covers)]
    pieces = [p for column in columns for p in column]
    if any(covers(p) for p in pieces):
        return None
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)  # overlapping shapes add up: their union
    for piece in pieces:
        path.addRoundedRect(piece, 8, 8)
    part = list(range(len(pieces)))  # union-find over the pieces: the outline's parts

    def top(i: int) -> int:
        while part[i] != i:
            part[i] = part[part[i]]
            i = part[i]
        return i

    index = {id(p): i for i, p in enumerate(pieces)}
    for here, after in zip(columns, columns[1:], strict=False):
        for left in here:
            for right in after:
                bridge = _bridge(left, right, covers, join)
                if bridge is not None:
                    path.addRect(bridge)
                if bridge is not None or left.intersects(right):
                    part[top(index[id(left)])] = top(index[id(right)])
    parts: dict[int, list[QRectF]] = {}
    for i, piece in enumerate(pieces):
        parts.setdefault(top(i), []).append(piece)
    tabs = tuple(_tab(members, tab, taken) for members in parts.values())
    return Outline(path.simplified(), tabs)  # one outline, without the inner edges


class BoxIndex:
    """Node boxes in a grid of cells, to ask many times which boxes a rectangle overlaps
    (the scene's own index is not built yet while the frames are being made)."""

    CELL = 240.0

    def __init__(self, boxes: dict[str, QRectF]) -> None:
        self._boxes = {k: (r.left(), r.top(), r.right(), r.bottom()) for k, r in boxes.items()}
        self._cells: dict[tuple[int, int], list[str]] = {}
        self._loose: list[str] = []  # boxes too big (or too far) for cells: always checked
        for key, box in self._boxes.items():
            self._file(key, box)

    def _file(self, key: str, box) -> None:
        c = self.CELL
        if not all(math.isfinite(v) for v in box) or \
                (box[2] - box[0]) / c > 64 or (box[3] - box[1]) / c > 64:
            self._loose.append(key)
            return
        for cell in self._cells_of(box):
            self._cells.setdefault(cell, []).append(key)

    def move(self, key: str, rect: QRectF) -> None:
        """Box ``key`` is now at ``rect`` (a node dragged)."""
        old = self._boxes.get(key)
        if old is not None:
            if key in self._loose:
                self._loose.remove(key)
            else:
                for cell in self._cells_of(old):
                    self._cells[cell].remove(key)
        self._boxes[key] = box = (rect.left(), rect.top(), rect.right(), rect.bottom())
        self._file(key, box)

    def _cells_of(self, box):
        c = self.CELL
        for i in range(int(box[0] // c), int(box[2] // c) + 1):
            for j in range(int(box[1] // c), int(box[3] // c) + 1):
                yield i, j

    def covers(self, rect: QRectF, besides=()) -> bool:
        """Whether ``rect`` overlaps a box whose key is not in ``besides``."""
        r = (rect.left(), rect.top(), rect.right(), rect.bottom())
        c = self.CELL
        if not all(math.isfinite(v) for v in r):
            keys = self._boxes
        else:
            cells = (r[2] // c - r[0] // c + 1) * (r[3] // c - r[1] // c + 1)
            # A rectangle over more cells than there are boxes (a node placed far away
            # stretches one) is checked against every box instead.
            keys = self._boxes if cells > len(self._boxes) else {
                *self._loose,
                *(key for cell in self._cells_of(r) for key in self._cells.get(cell, ()))}
        for key in keys:
            b = self._boxes[key]
            if (key not in besides and b[0] < r[2] and r[0] < b[2]
                    and b[1] < r[3] and r[1] < b[3]):
                return True
        return False


def _tab(pieces: list[QRectF], size: QSizeF, taken: Callable[[QRectF], bool]) -> QRectF:
    """Where a part's name goes: above its leftmost piece (the topmost of those), else
    at another corner of it, else at a corner of the part's other pieces, left to right;
    the first place that hides nothing (the first of all when every one would)."""
    w, h = size.width(), size.height()
    left = min(p.left() for p in pieces)
    column = [p for p in pieces if p.left() - left <= 40.0]
    first = min(column, key=QRectF.top)
    places = []
    for piece in [first, *sorted((p for p in pieces if p is not first), key=QRectF.left)]:
        places += [QRectF(piece.left(), piece.top() - h, w, h),
                   QRectF(piece.right() - w, piece.top() - h, w, h),
                   QRectF(piece.left(), piece.bottom(), w, h),
                   QRectF(piece.right() - w, piece.bottom(), w, h)]
    return next((p for p in places if not taken(p)), places[0])


def _runs(boxes: Sequence[QRectF], covers: Callable[[QRectF], bool]) -> list[list[QRectF]]:
    """Per column, left to right, one rectangle per run of boxes stacked in it with no
    other node between them."""
    columns: list[list[QRectF]] = []
    right = None
    for box in sorted(boxes, key=QRectF.left):  # a column: boxes whose x ranges overlap
        if columns and box.left() < right:
            columns[-1].append(box)
            right = max(right, box.right())
        else:
            columns.append([box])
            right = box.right()
    out = []
    for column in columns:
        column.sort(key=QRectF.top)
        runs, run = [], QRectF(column[0])
        for box in column[1:]:
            left, right = min(run.left(), box.left()), max(run.right(), box.right())
            between = QRectF(left, run.bottom(), right - left, box.top() - run.bottom())
            if between.height() > 0 and covers(between):
                runs.append(run)
                run = QRectF(box)
            else:
                run = run.united(box)
        runs.append(run)
        out.append(runs)
    return out


def _bridge(left: QRectF, right: QRectF, covers: Callable[[QRectF], bool],
            join: float) -> QRectF | None:
    """The rectangle over the gap between two pieces, or None if it would cover a node."""
    if right.left() <= left.right():
        return None  # touching or overlapping already: the union joins them, or cannot
    x0, x1 = left.right() - 1.0, right.left() + 1.0  # overlap the pieces: no seam
    top, bottom = min(left.top(), right.top()), max(left.bottom(), right.bottom())
    if max(left.top(), right.top()) - min(left.bottom(), right.bottom()) > join:
        return None  # at heights too far apart: a bridge would be a wall
    inset = 8.0  # keep clear of the pieces' rounded corners
    tall = QRectF(x0, top + inset, x1 - x0, bottom - top - 2 * inset)
    if tall.height() > 0 and not covers(tall):
        return tall
    o_top, o_bottom = max(left.top(), right.top()), min(left.bottom(), right.bottom())
    low = QRectF(x0, o_top + inset, x1 - x0, o_bottom - o_top - 2 * inset)
    if low.height() > 0 and not covers(low):
        return low
    return None
