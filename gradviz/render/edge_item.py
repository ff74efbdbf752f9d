"""One edge: a smooth arrow from a node's output into one input port of another.

During the backward pass the current edge carries a label with its local derivative and
the contribution it sends back (``× 4 → 4``). `set_pulse` draws the dot the app animates
along the edge; the item itself never animates.
"""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPainterPathStroker, QPolygonF
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from .bounded_item import BoundedItem
from .step_look import BACKWARD_DONE, CURRENT, DONE, FUTURE, EdgeLook
from .theme import Theme
from .typeface import Fonts, brush, colour, pen

MIN_TEXT_PX = 3.0  # as for nodes: smaller labels are not drawn
# Stacking: edges under the nodes (which keep Qt's default 0), the hovered node's edges
# just under them, the current edge above everything.
Z_EDGE, Z_HIGHLIGHT, Z_CURRENT = -1.0, -0.5, 1.0
NO_LABEL = QRectF()  # shared by every edge without a label plate; never changed
NO_PEN, NO_BRUSH = Qt.PenStyle.NoPen, Qt.BrushStyle.NoBrush
FIRST_LOOK = EdgeLook(DONE)  # shared by every new edge (looks are immutable)


class EdgeItem(BoundedItem):
    """One edge from a node's output to another's input port: its arrow, and during the
    backward pass its label (local derivative and the contribution it carries)."""

    def __init__(self, source, target, port: int, theme: Theme, fonts: Fonts,
                 waypoints: list[tuple[float, float]] | None = None,
                 look: EdgeLook = FIRST_LOOK, source_port: int = 0):
        """``source_port`` is the output the edge leaves from (a collapsed group's
        box has one per output; a node has one)."""
        super().__init__()
        self.source, self.target, self.port = source, target, port
        self.source_port = source_port
        self._theme, self._fonts = theme, fonts
        # (x, y) pairs in a tuple, and the look shared: every object a build keeps
        # alive is one more for the cycle collector to walk again and again (thousands
        # per build, and Qt wrappers are slow to walk).
        self._waypoints = tuple(waypoints) if waypoints else ()
        # The look comes with the edge when the scene knows it: no change to announce.
        self._look = look
        self._highlight = False
        self._pulse: float | None = None
        self._pulse_forward: float | None = None
        self._label_rect = NO_LABEL
        self._leader: tuple[float, float] | None = None  # where a raised label points
        self._ink = None  # pens for the current look, made on first paint
        self._route()
        self.setZValue(Z_CURRENT if look.emphasis == CURRENT else Z_EDGE)

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.source.node_id, self.target.node_id, self.port)

    @property
    def look(self) -> EdgeLook:
        return self._look

    def set_look(self, look: EdgeLook) -> None:
        if look == self._look:
            return
        was = self._look
        self._look = look
        self._ink = None
        if (was.emphasis == CURRENT) != (look.emphasis == CURRENT):
            self._restack()
        if look.label != was.label:  # only the label plate changes the bounds
            self.prepareGeometryChange()
            self._place_label()
        self.update()

    def _restack(self) -> None:
        current = self._look.emphasis == CURRENT
        self.setZValue(Z_CURRENT if current else Z_HIGHLIGHT if self._highlight else Z_EDGE)

    def set_highlighted(self, on: bool) -> None:
        if on != self._highlight:
            self._highlight = on
            self._ink = None
            self._restack()
            self.update()

    def set_pulse(self, t: float | None) -> None:
        """A bright dot at fraction ``t`` of the way from the child back to the parent."""
        self._pulse = t
        self.update()

    def set_pulse_forward(self, t: float | None) -> None:
        """A dot at fraction ``t`` of the way from the parent to the child."""
        self._pulse_forward = t
        self.update()

    def path(self) -> QPainterPath:
        return QPainterPath(self._curve())

    def drop_waypoints(self) -> None:
        self._waypoints = ()

    # --- geometry ------------------------------------------------------------------
    def adjust(self) -> None:
        """Re-route after a node moved (waypoints only hold while both ends stay put)."""
        self.prepareGeometryChange()
        self._route()
        self.update()

    def _route(self) -> None:
        """The curve from the source's output through the waypoints into the port, as
        plain floats; the `QPainterPath` is made from them when first needed (painted,
        hit-tested): a big graph's edges are mostly never in sight.

        Plain floats throughout: building a scene routes thousands of edges, and QPointF
        arithmetic in Python costs more than the path itself. Node items are top-level
        and untransformed, so their anchors are their position plus a local offset.
        """
        src, dst = self.source, self.target
        ox, oy = src.local_output_xy(self.source_port)
        ix, iy = dst.local_input_xy(self.port)
        sx, sy = src.x() + ox, src.y() + oy
        tx, ty = dst.x() + ix, dst.y() + iy
        head_len = self._theme.edge_width * 3 + 6
        segments = []  # (x, y): a straight run; (c1x, c1y, c2x, c2y, x, y): a cubic
        # The control points bound the curve: a superset, found without solving the
        # cubics (the exact bounds cost ~70 µs an edge, a third of building one).
        xs, ys = [sx, tx], [sy, ty]
        ax, ay, bx, by = sx, sy, tx - head_len, ty
        for wx, wy in self._waypoints:  # most edges have none: one curve
            if wx <= ax + 1.0:
                # Down or back (a wire wrapping to the next row): a straight run.
                segments.append((wx, wy))
            else:
                dx = max(abs(wx - ax) * 0.5, 30.0)
                segments.append((ax + dx, ay, wx - dx, wy, wx, wy))
                xs += (ax + dx, wx - dx)
            xs.append(wx)
            ys.append(wy)
            ax, ay = wx, wy
        dx = max(abs(bx - ax) * 0.5, 30.0)
        segments.append((ax + dx, ay, bx - dx, by, bx, by))
        segments.append((tx, ty))
        xs += (ax + dx, bx - dx)
        left, top = min(xs), min(ys)
        self._control_box = (left, top, max(xs), max(ys))
        self._start, self._segments, self._tip = (sx, sy), tuple(segments), (tx, ty)
        self._head_len = head_len
        self._path = self._head = None  # made when first needed
        self._last_segment = ((ax, ay), (bx, by))
        self._place_label()

    def _curve(self) -> QPainterPath:
        """The edge's path (made from `_route`'s floats the first time it is asked for)."""
        if self._path is None:
            path = QPainterPath()
            path.moveTo(*self._start)
            for seg in self._segments:
                if len(seg) == 2:
                    path.lineTo(*seg)
                else:
                    path.cubicTo(*seg)
            self._path = path
        return self._path

    def _arrow_head(self) -> QPolygonF:
        if self._head is None:
            self._head = _head_shape(self._head_len).translated(*self._tip)
        return self._head

    def _place_label(self) -> None:
        """The label plate's place and the bounds (path, head, halo and plate)."""
        # The margin covers the arrow head (it ends at the path's end) and the halo.
        m = self._theme.current_width * 2 + 8
        left, top, right, bottom = self._control_box
        bounds = QRectF(left - m, top - m, right - left + 2 * m, bottom - top + 2 * m)
        if self._look.label:
            f = self._fonts.edge
            w = self._fonts.width(f, self._look.label) + 12
            h = self._fonts.height(f) + 6
            (ax, ay), (bx, by) = self._last_segment
            # The middle of the last cubic (control points as in `_route`).
            mx, my = (ax + bx) / 2, (ay + by) / 2
            plate = self._label_place(QRectF(mx - w / 2, my - h / 2, w, h))
            self._label_rect = plate
            self._leader = None if plate.contains(mx, my) else (mx, my)
            bounds = bounds.united(self._label_rect)
        else:
            self._label_rect = NO_LABEL
        self.set_bounds(bounds)

    def _label_place(self, plate: QRectF) -> QRectF:
        """Where the label plate covers no node: on the edge when the gap between the
        layers is wide enough, else just above or below the edge's two nodes (a leader
        line then points at the edge), whichever covers fewer nodes."""
        ends = [n.mapRectToScene(n.geometry.rect) for n in (self.source, self.target)]
        if not any(r.intersects(plate) for r in ends) and not self._nodes_covered(plate):
            return plate
        above, below = QRectF(plate), QRectF(plate)
        above.moveBottom(min(r.top() for r in ends) - 4)
        below.moveTop(max(r.bottom() for r in ends) + 4)
        # Each also slid to start where the edge's left node does, or to end where its
        # right one does (a node next to the middle may leave a side free).
        slid = []
        for p in (above, below):
            for x in (min(r.left() for r in ends), max(r.right() for r in ends) - p.width()):
                q = QRectF(p)
                q.moveLeft(x)
                slid.append(q)
        # The first that covers fewest nodes (on the edge when it ties, then above and
        # below the middle, then slid).
        return min((plate, above, below, *slid), key=lambda p: (
            self._nodes_covered(p) + sum(r.intersects(p) for r in ends)))

    def _nodes_covered(self, plate: QRectF) -> int:
        scene = self.scene()
        return scene.boxes_covering(plate) if hasattr(scene, "boxes_covering") else 0

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(max(8.0, self._theme.edge_width * 3))
        return stroker.createStroke(self._curve())

    # --- painting ------------------------------------------------------------------
    def paint(self, painter: QPainter, option, widget=None) -> None:
        halo, stroke, fill = self._ink or self._mix_ink()
        path = self._curve()
        painter.setBrush(NO_BRUSH)
        if halo is not None:
            painter.setPen(halo)
            painter.drawPath(path)
        painter.setPen(stroke)
        painter.drawPath(path)
        painter.setPen(NO_PEN)
        painter.setBrush(fill)
        painter.drawPolygon(self._arrow_head())
        if self._look.label:
            self._paint_label(painter)
        # The backward pulse runs from the child (the arrow's head) back to the parent.
        if self._pulse is not None:
            self._paint_dot(painter, 1.0 - self._pulse, self._theme.gradient)
        if self._pulse_forward is not None:
            self._paint_dot(painter, self._pulse_forward, self._theme.value)

    def _mix_ink(self):
        """The halo pen (or None), the stroke pen and the head's brush for the current
        look; kept until the look, the highlight or the theme changes."""
        look = self._look
        self._ink = _ink(self._theme, look.emphasis, look.backward, self._highlight)
        return self._ink

    def _paint_dot(self, painter: QPainter, fraction: float, colour_name: str) -> None:
        p = self._curve().pointAtPercent(min(1.0, max(0.0, fraction)))
        r = self._theme.current_width * 1.6
        painter.setPen(pen(self._theme.background, 2))
        painter.setBrush(brush(colour_name))
        painter.drawEllipse(p, r, r)

    def _paint_label(self, painter: QPainter) -> None:
        t = self._theme
        r = self._label_rect
        if self._leader is not None:
            painter.setPen(pen(t.gradient, 1.5))
            painter.drawLine(QPointF(r.center().x(), r.bottom()), QPointF(*self._leader))
        painter.setPen(pen(t.gradient, 1.5))
        painter.setBrush(brush(t.background))
        painter.drawRoundedRect(r, r.height() / 3, r.height() / 3)
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if lod * self._fonts.height(self._fonts.edge) < MIN_TEXT_PX:
            return
        painter.setFont(self._fonts.edge)
        painter.setPen(colour(t.gradient))
        painter.drawText(r, int(Qt.AlignmentFlag.AlignCenter), self._look.label)


@lru_cache(maxsize=8)
def _head_shape(length: float) -> QPolygonF:
    """The arrow head with its tip at (0, 0); each edge moves a copy to its port
    (one call instead of building three points and a polygon per edge)."""
    half = length * 0.45
    return QPolygonF([QPointF(0.0, 0.0), QPointF(-length, -half), QPointF(-length, half)])


_INKS: dict[tuple, tuple] = {}


def _ink(theme: Theme, emphasis: str, backward: bool, highlight: bool):
    """(halo pen or None, stroke pen, head brush) for an edge's look. Thousands of edges
    share a handful of looks, so these are made once per theme and look."""
    key = (id(theme), emphasis, backward, highlight)
    found = _INKS.get(key)
    if found is not None and found[0] is theme:
        return found[1]
    t = theme
    halo = None
    if emphasis == CURRENT:
        halo = pen(t.current, t.current_width * 2.2, 220, cap=Qt.PenCapStyle.RoundCap)
        width, name, alpha = t.current_width * 0.8, (t.gradient if backward else t.value), 255
    else:
        width = t.edge_width * 1.8 if highlight else t.edge_width
        if emphasis == FUTURE:
            name, alpha = t.faint, 255
        elif emphasis == BACKWARD_DONE:
            name, alpha = t.gradient, 150
        else:
            name, alpha = (t.text if highlight else t.edge), 255
    ink = (halo, pen(name, width, alpha, cap=Qt.PenCapStyle.FlatCap), brush(name, alpha))
    _INKS[key] = (theme, ink)
    return ink
