"""A collapsed group: one box in place of its nodes (a neuron, a layer, a loss).

The box is titled with the group's name and how many nodes it holds; under the title, a
row per input (the node outside that feeds it, where its wire comes in on the left) and
a row per output (value and gradient, where its wire leaves on the right). While a step
inside the box is shown, the box is the current one, and in the backward pass each input
row gives the net local derivative of each output through the group, as the engine's
recorded local derivatives multiply and add up along the paths inside it.

The size is fixed when the item is made, from the widest texts it will show, so that
stepping never moves anything (as for nodes).
"""
from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath
from PySide6.QtWidgets import QGraphicsItem

from .collapse import BoxLook
from .group_outline import Outline
from .plain_text import plain_tooltip
from .step_look import CURRENT, FUTURE, SOURCE
from .theme import Theme
from .typeface import Fonts, brush, colour, pen


class BoxGeometry(NamedTuple):
    width: float
    height: float
    pad: float
    row_h: float
    title_h: float

    @property
    def rect(self) -> QRectF:
        return QRectF(-self.width / 2, -self.height / 2, self.width, self.height)


def measure_box(fonts: Fonts, title: str, inputs: list[str], derivatives: list[str],
                outputs: list[str], values: list[str], grads: list[str]) -> BoxGeometry:
    """The box wide enough for its title, its rows and the widest numbers they show."""
    f = fonts
    px = f.height(f.number)
    pad = round(px * 0.45)
    gap = pad * 1.2
    widths = [f.width(f.label, title)]
    for label, derivative in zip(inputs, derivatives, strict=True):
        widths.append(f.width(f.label, label) + (gap + f.width(f.key, derivative)
                                                 if derivative else 0))
    for label, value, grad in zip(outputs, values, grads, strict=True):
        widths.append(f.width(f.label, label) + 2 * gap + f.width(f.number, value)
                      + f.width(f.number, grad))
    width = max(widths) + 2 * pad + 2 * gap
    title_h = px * 1.9
    rows = len(inputs) + len(outputs)
    height = title_h + rows * px * 1.15 + pad * 1.6
    return BoxGeometry(width, height, pad, px * 1.15, title_h)


class GroupItem(QGraphicsItem):
    """A collapsed group on the canvas; `set_look` changes what it shows, never its size."""

    def __init__(self, group_id: str, name: str, count: int, geometry: BoxGeometry,
                 theme: Theme, fonts: Fonts, look: BoxLook,
                 pos: tuple[float, float] | None = None) -> None:
        super().__init__()
        if pos is not None:
            super().setPos(*pos)
        self.node_id = group_id  # what edges and the scene call it
        self.group_id = group_id
        self.name = name
        self.count = count
        self.geometry = geometry
        self._theme, self._fonts = theme, fonts
        self._look = look
        m = theme.current_width + 6
        self._bounds = geometry.rect.adjusted(-m, -m, m, m)
        self.setAcceptHoverEvents(True)
        self.tip = f"{name}: a group of {count} nodes, collapsed. Double-click to show its nodes."
        """The tooltip as plain text."""
        self.setToolTip(plain_tooltip(self.tip))

    @property
    def look(self) -> BoxLook:
        return self._look

    def set_look(self, look: BoxLook) -> None:
        if look != self._look:
            self._look = look
            self.update()

    def title(self) -> str:
        return f"{self.name}  ({self.count} nodes)"

    def texts(self) -> list[str]:
        """Every text drawn now."""
        out = [self.title()]
        for row in self._look.inputs:
            out.append(row.label)
            if row.derivative:
                out.append(row.derivative)
        for row in self._look.outputs:
            out += [row.label, row.value, row.grad]
        return out

    # --- anchors, as a node's ------------------------------------------------------
    def _row_y(self, row: int) -> float:
        g = self.geometry
        return -g.height / 2 + g.title_h + g.pad * 0.3 + (row + 0.5) * g.row_h

    def local_input_xy(self, port: int) -> tuple[float, float]:
        return (-self.geometry.width / 2, self._row_y(port))

    def local_output_xy(self, port: int = 0) -> tuple[float, float]:
        return (self.geometry.width / 2, self._row_y(len(self._look.inputs) + port))

    def output_anchor(self) -> QPointF:
        return self.mapToScene(QPointF(*self.local_output_xy(0)))

    # --- Qt item ---------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option, widget=None) -> None:
        t, f, g, look = self._theme, self._fonts, self.geometry, self._look
        rect = g.rect
        if look.emphasis in (CURRENT, SOURCE):
            m = t.current_width
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(brush(t.current, 235 if look.emphasis == CURRENT else 110))
            painter.drawRoundedRect(rect.adjusted(-m, -m, m, m), m * 2, m * 2)
        faint = look.emphasis == FUTURE
        outline = t.faint if faint else t.node_outline
        painter.setBrush(brush(t.op_fill))
        painter.setPen(pen(outline, t.outline_width * 1.6))
        painter.drawRoundedRect(rect, g.pad, g.pad)
        # A second outline inside the first: a box that holds more boxes.
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(pen(outline, t.outline_width * 0.6))
        inner = rect.adjusted(g.pad * 0.35, g.pad * 0.35, -g.pad * 0.35, -g.pad * 0.35)
        painter.drawRoundedRect(inner, g.pad * 0.7, g.pad * 0.7)
        text = t.faint if faint else t.text
        left, right = rect.left() + g.pad * 1.6, rect.right() - g.pad * 1.6
        title = QRectF(left, rect.top() + g.pad * 0.4, right - left, g.title_h - g.pad * 0.4)
        painter.setFont(f.label)
        painter.setPen(colour(text))
        painter.drawText(title, int(Qt.AlignmentFlag.AlignCenter), self.title())
        painter.setPen(pen(t.faint, 1.0))
        y = rect.top() + g.title_h
        painter.drawLine(QPointF(rect.left() + g.pad, y), QPointF(rect.right() - g.pad, y))
        for i, row in enumerate(look.inputs):
            box = self._row_rect(i, left, right)
            painter.setFont(f.label)
            painter.setPen(colour(text))
            painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             row.label)
            if row.derivative:
                painter.setFont(f.key)
                painter.setPen(colour(t.gradient))
                painter.drawText(box, int(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter), row.derivative)
        for j, row in enumerate(look.outputs):
            box = self._row_rect(len(look.inputs) + j, left, right)
            painter.setFont(f.label)
            painter.setPen(colour(text))
            painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             row.label)
            painter.setFont(f.number)
            grad_w = f.width(f.number, row.grad)
            painter.setPen(colour(t.gradient if row.grad_known else t.faint))
            painter.drawText(box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             row.grad)
            value_box = QRectF(box.left(), box.top(), box.width() - grad_w - g.pad * 1.2,
                               box.height())
            painter.setPen(colour(t.value if row.value_known else t.faint))
            painter.drawText(value_box, int(Qt.AlignmentFlag.AlignRight
                                            | Qt.AlignmentFlag.AlignVCenter), row.value)
        # The ports: where wires come in and go out.
        painter.setPen(pen(outline, t.outline_width))
        painter.setBrush(brush(t.background))
        r = max(3.0, t.edge_width * 1.5)
        for i in range(len(look.inputs)):
            painter.drawEllipse(QPointF(*self.local_input_xy(i)), r, r)
        for j in range(len(look.outputs)):
            painter.drawEllipse(QPointF(*self.local_output_xy(j)), r, r)

    def _row_rect(self, row: int, left: float, right: float) -> QRectF:
        g = self.geometry
        y = self._row_y(row)
        return QRectF(left, y - g.row_h / 2, right - left, g.row_h)


class GroupFrame(QGraphicsItem):
    """An open group: a faint outline around its nodes (see group_outline: it follows
    them column by column and never takes in another node), its name on a tab at the
    top left. Drawn under the nodes and edges; only the tab takes clicks (a double-click
    there collapses the group), so the nodes inside stay as easy to reach as without it."""

    Z = -3.0

    def __init__(self, group_id: str, name: str, outline: Outline, theme: Theme,
                 fonts: Fonts, depth: int) -> None:
        super().__init__()
        self.group_id = group_id
        self.name = name
        self._theme, self._fonts = theme, fonts
        self._depth = depth
        self.setZValue(self.Z + depth * 0.01)
        self.setToolTip(plain_tooltip(
            f"{name}: double-click its name to collapse the group into one box"))
        self.set_outline(outline)

    def set_outline(self, outline: Outline) -> None:
        """Follow ``outline`` (worked out by the scene), a name tab above each part."""
        self.prepareGeometryChange()
        self._path = outline.path
        self._tabs = list(outline.tabs)
        bounds = self._path.boundingRect()
        for tab in self._tabs:
            bounds = bounds.united(tab)
        self._bounds = bounds.adjusted(-2, -2, 2, 2)
        self.update()

    def outline(self) -> QPainterPath:
        return QPainterPath(self._path)

    def tab_rect(self) -> QRectF:
        """The first part's tab (each part has one; any of them collapses the group)."""
        return QRectF(self._tabs[0])

    def tab_rects(self) -> list[QRectF]:
        return [QRectF(t) for t in self._tabs]

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self):
        path = QPainterPath()
        for tab in self._tabs:
            path.addRect(tab)
        return path

    def paint(self, painter: QPainter, option, widget=None) -> None:
        t, f = self._theme, self._fonts
        painter.setPen(pen(t.faint, 1.5, style=Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)
        painter.setFont(f.key)
        for tab in self._tabs:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(brush(t.faint, 90))
            painter.drawRoundedRect(tab, 5, 5)
            painter.setPen(colour(t.text))
            painter.drawText(tab, int(Qt.AlignmentFlag.AlignCenter), self.name)
