"""One node on the canvas: a record of name, value and gradient; operations add a circle
with their symbol, where the input ports are.

The size is fixed when the item is made, from the widest numbers the node will ever show
(`node_geometry.measure`), so stepping through a run never moves anything; how a fan-out
gradient adds up (``9 = 4 + 5``) is a note on a plate just under the box, above the
other items, while that step is shown. Local
coordinates have the node's centre at (0, 0): the layout's positions are item positions.
"""
from __future__ import annotations

import math
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from ..core.graph import Node
from ..core.ops import OPS
from .bounded_item import BoundedItem
from .node_geometry import (
    VALUE_KEY,
    NodeGeometry,
    bounds,
    inner_lines,
    input_ports,
    input_xy,
    number_bars,
    outline_shapes,
)
from .step_look import CURRENT, FUTURE, SOURCE, NodeLook
from .theme import OKABE_ITO, Theme
from .typeface import Fonts, brush, colour, pen

NON_COMMUTATIVE_PORTS = ("x", "y")
MIN_TEXT_PX = 3.0
"""Below this many device pixels a line of text is a smudge; drawing is skipped then
(a 1,000-node graph fitted into a 1920-wide picture has 0.5-pixel numbers)."""
LEFT, CENTRE, RIGHT = 0, 1, 2
SELECTED_COLOUR = OKABE_ITO["reddish_purple"]
"""Selection: a dashed ring in a colour no step uses (values are blue, gradients
vermillion, the current step a yellow halo, problems a red dashed outline on the node),
drawn apart from the node with a gap, so its place and dashes say it without colour."""
SELECTED_DASHES = [2.5, 1.6]  # in pen widths
FIRST_LOOK = NodeLook("?", "?", False, False, FUTURE)
NO_NOTE = QRectF()
"""Where a node without a note keeps its note: shared by every node, never changed (a
rectangle per node would be one more object per node for the cycle collector)."""
Z_NODE, Z_NOTE = 0.0, 2.0
"""Nodes keep Qt's default Z; one with a note goes above everything (the current edge is
at 1) so that the note is never hidden under a neighbour."""


class NodeItem(BoundedItem):
    """A node at one step; `set_look` changes what it shows, never its size.

    Painting is the hot path of every export: the texts' places and colours are worked
    out once per look (`_texts`), so `paint` only hands shapes and strings to Qt.
    """

    def __init__(self, node: Node, geometry: NodeGeometry, theme: Theme, fonts: Fonts,
                 movable: bool = False, pos: tuple[float, float] | None = None,
                 look: NodeLook = FIRST_LOOK):
        super().__init__()
        if pos is not None:
            super().setPos(*pos)
        self.node_id = node.id
        self.node = node
        self._geometry = geometry
        self._theme, self._fonts = theme, fonts
        self._look = look  # given when the scene knows it: no change to announce
        self._hover = False
        self._ports_shown = False  # while a wire is dragged anywhere on the canvas
        self._selected = False
        self._problem: str | None = None
        self._drawn: list[tuple[QFont, str, QPointF, str]] | None = None
        self._outline = None  # the outline pen for the look, hover and problem
        self._ports: tuple[tuple[float, float], ...] | None = None  # for this geometry
        self._note_at = NO_NOTE  # where the note's plate is, while there is a note
        if look.note:
            self._place_note()
        self.set_bounds(self._measure_bounds())
        if movable:
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, True)
        self.setAcceptHoverEvents(True)
        # Z stays Qt's default 0: edges go below (see edge_item). There is no
        # `itemChange`: Qt would call into Python for every change of every item
        # (flags, scene, position), several times per node while a scene is built.
        # Moves reach the scene through `setPos` below and, for drags, the scene's
        # mouseMoveEvent.

    @property
    def geometry(self) -> NodeGeometry:
        return self._geometry

    # --- anchors for edges and for wiring by drag -------------------------------------
    def output_anchor(self) -> QPointF:
        return self.mapToScene(QPointF(self.geometry.width / 2, 0.0))

    def input_anchor(self, port: int) -> QPointF:
        return self.mapToScene(self.local_input_anchor(port))

    def local_input_anchor(self, port: int) -> QPointF:
        return QPointF(*self.local_input_xy(port))

    def local_output_xy(self, port: int = 0) -> tuple[float, float]:
        """Where the output leaves (a node has one: ``port`` is for a group's box)."""
        return (self.geometry.width / 2, 0.0)

    def local_input_xy(self, port: int) -> tuple[float, float]:
        """Where input ``port`` meets the node, in local coordinates, as plain floats."""
        ports = self._ports
        if ports is None:
            ports = self._ports = input_ports(self._geometry, self.node.kind, self.node.op)
        if port < len(ports):
            return ports[port]
        return input_xy(self._geometry, self.node.kind, self.node.op, port)

    # --- state ---------------------------------------------------------------------
    def set_node(self, node: Node) -> None:
        """The same node with another value (its label, kind and operation unchanged)."""
        if node != self.node:
            self.node = node
            self._drawn = None
            self.update()

    def set_geometry(self, geometry: NodeGeometry) -> None:
        """A bigger box for texts that no longer fit; the node stays where it is (its
        edges are re-routed by the scene)."""
        if geometry != self._geometry:
            self.prepareGeometryChange()
            self._geometry = geometry
            self._ports = None
            self._drawn = self._outline = None
            self.set_bounds(self._measure_bounds())
            self.update()

    def set_look(self, look: NodeLook) -> None:
        if look != self._look:
            if look.note != self._look.note:
                self.prepareGeometryChange()
                self._look = look
                if look.note:
                    self._place_note()
                self.set_bounds(self._measure_bounds())
                self.setZValue(Z_NOTE if look.note else Z_NODE)
            self._look = look
            self._drawn = self._outline = None
            self.update()

    @property
    def look(self) -> NodeLook:
        return self._look

    def set_selected_look(self, selected: bool) -> None:
        """Show the node as chosen for editing (the app's selection, not Qt's: Qt's
        would select on press and drag every selected node along)."""
        if selected != self._selected:
            self._selected = selected
            self.update()

    @property
    def selected_look(self) -> bool:
        return self._selected

    def set_problem(self, message: str | None) -> None:
        if message != self._problem:
            self._problem = message
            self._outline = None
            self.update()

    def texts(self) -> list[str]:
        """Every text drawn now (what a test or a screen reader would read)."""
        out = [self.node.label] if self.node.kind != "const" else []
        if self.node.kind == "op":
            out.append(OPS[self.node.op].symbol)
        out.append(self._look.value)
        if self.node.kind != "const":
            out.append(self._look.grad)
        if self._look.note:
            out.append(self._look.note)
        return out

    # --- Qt item -------------------------------------------------------------------
    def _measure_bounds(self) -> QRectF:
        box = bounds(self._geometry, self._theme.current_width + 6)
        return box.united(self._note_rect()) if self._look.note else box

    def _note_rect(self) -> QRectF:
        """The note's plate, worked out when the note appears (see `_place_note`)."""
        return self._note_at

    def place_note(self) -> None:
        """Put the note (if any) where it covers fewest nodes around: called by the scene
        once every item is in it (a note shown when the item was made was placed without
        knowing its neighbours)."""
        if self._look.note:
            self.prepareGeometryChange()
            self._place_note()
            self.set_bounds(self._measure_bounds())
            self._drawn = None

    def _place_note(self) -> None:
        """Under the record, clear of the halo; or above it, or to its left or right,
        whichever covers fewest other nodes (under it when that covers none)."""
        f, g = self._fonts, self._geometry
        w = f.width(f.number, self._look.note) + 2 * g.pad
        h = g.row_h + g.pad
        x = g.card_rect.center().x() if self.node.kind != "const" else 0.0
        gap = self._theme.current_width + 3
        places = [QRectF(x - w / 2, g.height / 2 + gap, w, h),
                  QRectF(x - w / 2, -g.height / 2 - gap - h, w, h),
                  QRectF(-g.width / 2 - gap - w, -h / 2, w, h),
                  QRectF(g.width / 2 + gap, -h / 2, w, h)]
        self._note_at = min(places, key=self._nodes_covered)

    def _nodes_covered(self, local: QRectF) -> int:
        scene = self.scene()
        if not hasattr(scene, "boxes_covering"):
            return 0
        return scene.boxes_covering(self.mapRectToScene(local), besides={self.node_id})

    def setPos(self, *args) -> None:
        """Move the node; its edges follow (the scene re-routes them)."""
        super().setPos(*args)
        scene = self.scene()
        # The scene re-routes the edges: items hold no references to each other
        # both ways, which would make cycles PySide cannot always free safely.
        if hasattr(scene, "node_moved"):
            scene.node_moved(self.node_id)

    def set_ports_shown(self, shown: bool) -> None:
        """Draw the input ports (the canvas does while a wire is dragged), each a ring,
        filled where an edge is connected already."""
        if shown != self._ports_shown:
            self._ports_shown = shown
            self.update()

    @property
    def ports_shown(self) -> bool:
        """Whether the input ports are drawn now (hovered, or a wire being dragged)."""
        return self.node.kind == "op" and (self._ports_shown or self._hover)

    def _paint_ports(self, painter: QPainter) -> None:
        t = self._theme
        scene = self.scene()
        taken = scene.taken_ports(self.node_id) if hasattr(scene, "taken_ports") else set()
        r = max(4.0, t.edge_width * 2.2)
        for port in range(OPS[self.node.op].arity):
            x, y = self.local_input_xy(port)
            painter.setPen(pen(t.value, max(1.5, t.edge_width * 0.8)))
            painter.setBrush(brush(t.value if port in taken else t.background))
            painter.drawEllipse(QPointF(x, y), r, r)

    def hoverEnterEvent(self, event) -> None:
        self._hover = True
        self._outline = None
        self.update()
        if hasattr(self.scene(), "set_highlight"):
            self.scene().set_highlight(self.node_id)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self._hover = False
        self._outline = None
        self.update()
        if hasattr(self.scene(), "set_highlight"):
            self.scene().set_highlight(None)
        super().hoverLeaveEvent(event)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        t, look, g = self._theme, self._look, self._geometry
        kind = self.node.kind
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        # Details under a device pixel (corner rounding, the thin inner lines) are left
        # out: a 1,000-node graph fitted into a picture is drawn at 1/50 scale.
        fine = lod * g.pad >= 1.0
        if look.emphasis in (CURRENT, SOURCE):
            self._paint_halo(painter, look.emphasis == CURRENT)
        painter.setPen(self._outline or self._choose_outline())
        card, circle = outline_shapes(g, kind)
        if circle is not None:
            if fine:
                painter.drawLine(*inner_lines(g, kind)[0])
            painter.setBrush(brush(t.op_fill))
            painter.drawEllipse(*circle)
        painter.setBrush(brush(t.node_fill))
        if not fine:
            painter.drawRect(card)
        elif kind == "const":
            painter.drawRoundedRect(card, g.height / 2, g.height / 2)
        else:
            painter.drawRoundedRect(card, g.pad * 0.6, g.pad * 0.6)
            painter.setPen(pen(t.faint, 1.0))
            painter.drawLine(*inner_lines(g, kind)[1])
        if self._selected:
            self._paint_selection(painter, lod)
        if self.ports_shown:
            self._paint_ports(painter)
        if lod * g.row_h < MIN_TEXT_PX:
            self._paint_number_bars(painter)
            return
        if self._look.note:
            self._paint_note_plate(painter)
        if self._drawn is None:
            self._drawn = self._place_texts()
        font = None
        for f, text, at, colour_name in self._drawn:
            if f is not font:
                painter.setFont(f)
                font = f
            painter.setPen(colour(colour_name))
            painter.drawText(at, text)

    def _paint_note_plate(self, painter: QPainter) -> None:
        t = self._theme
        r = self._note_rect()
        painter.setPen(pen(t.gradient, t.outline_width))
        painter.setBrush(brush(t.background))
        painter.drawRoundedRect(r, r.height() / 3, r.height() / 3)

    def _paint_number_bars(self, painter: QPainter) -> None:
        """Where the numbers are too small to read, a bar in their colour marks them, so
        a whole-graph thumbnail still shows which values and gradients are known."""
        t, look = self._theme, self._look
        bars = number_bars(self._geometry, self.node.kind)
        painter.fillRect(bars[0], colour(t.value if look.value_known else t.faint))
        if len(bars) > 1:
            painter.fillRect(bars[1], colour(t.gradient if look.grad_known else t.faint))

    def _choose_outline(self):
        t, look = self._theme, self._look
        if self._problem:
            self._outline = pen(t.problem, t.outline_width * 2, style=Qt.PenStyle.DashLine)
        else:
            width = t.outline_width * (1.8 if look.emphasis == CURRENT or self._hover else 1.0)
            self._outline = pen(t.faint if look.emphasis == FUTURE else t.node_outline, width)
        return self._outline

    def _paint_halo(self, painter: QPainter, strong: bool) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(brush(self._theme.current, 235 if strong else 110))
        m = self._theme.current_width
        r = self.geometry.rect.adjusted(-m, -m, m, m)
        painter.drawRoundedRect(r, m * 2, m * 2)

    def _paint_selection(self, painter: QPainter, lod: float) -> None:
        t = self._theme
        # About 2.5 screen pixels wide when zoomed out, so a fitted graph still shows it;
        # at most 6 so the ring (2.5 outside the halo) stays inside the bounding rect.
        width = min(6.0, max(2.5, t.outline_width * 1.2, math.ceil(5.0 / max(lod, 1e-3)) / 2))
        painter.setPen(_selection_pen(width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        m = t.current_width + 2.5  # outside the current step's halo, with a gap
        r = self.geometry.rect.adjusted(-m, -m, m, m)
        painter.drawRoundedRect(r, m * 1.5, m * 1.5)

    # --- where the texts go ----------------------------------------------------------
    def _place_texts(self) -> list[tuple[QFont, str, QPointF, str]]:
        """(font, text, baseline start, colour) for every text of the current look."""
        t, g, f, look = self._theme, self.geometry, self._fonts, self._look
        faint = look.emphasis == FUTURE
        value_colour = t.value if look.value_known else t.faint
        if self.node.kind == "const":
            return [self._at(f.number, look.value, g.rect, CENTRE, value_colour)]
        out = []
        if self.node.kind == "op":
            c, r = g.circle_centre, g.circle_r
            op = OPS[self.node.op]
            out.append(self._at(f.symbol, op.symbol, QRectF(c.x() - r, -r, 2 * r, 2 * r),
                                CENTRE, t.faint if faint else t.text))
            if op.arity == 2 and not op.commutative:
                h = f.height(f.port)
                for port, name in enumerate(NON_COMMUTATIVE_PORTS):
                    p = self.local_input_anchor(port)
                    box = QRectF(p.x() + 3, p.y() - h / 2 + (-h * 0.45 if port == 0 else h * 0.45),
                                 r, h)
                    out.append(self._at(f.port, name, box, LEFT, t.text))
        card = g.card_rect
        top, left, right = card.top() + g.pad * 0.4, card.left() + g.pad, card.right() - g.pad
        text_colour = t.faint if faint else t.text
        out.append(self._at(f.label, self.node.label, QRectF(left, top, right - left, g.row_h),
                            CENTRE, text_colour))
        y = top + g.row_h + g.pad * 0.4
        rows = ((VALUE_KEY, look.value, value_colour),
                (look.grad_key, look.grad, t.gradient if look.grad_known else t.faint))
        for i, (key, text, number_colour) in enumerate(rows):
            row = QRectF(left, y + g.pad * 0.2 + i * g.row_h, right - left, g.row_h)
            out.append(self._at(f.key, key, row, LEFT, text_colour))
            out.append(self._at(f.number, text, row, RIGHT, number_colour))
        if look.note:
            out.append(self._at(f.number, look.note, self._note_rect(), CENTRE, t.gradient))
        return out

    def _at(self, font: QFont, text: str, box: QRectF, align: int, colour_name: str):
        """Where ``text`` starts so it sits in ``box`` as drawText's alignment would put
        it: centred vertically, then left, centred or right."""
        f = self._fonts
        m = f.metrics(font)
        if align == LEFT:
            x = box.left()
        else:
            w = f.width(font, text)
            x = box.right() - w if align == RIGHT else box.center().x() - w / 2
        y = box.center().y() - m.height() / 2 + m.ascent()
        return (font, text, QPointF(x, y), colour_name)


# Made once per width and shared (painters copy what they are given).
@lru_cache(maxsize=32)
def _selection_pen(width: float) -> QPen:
    p = QPen(colour(SELECTED_COLOUR), width)
    p.setCapStyle(Qt.PenCapStyle.FlatCap)
    p.setDashPattern(SELECTED_DASHES)
    return p
