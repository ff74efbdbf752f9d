"""The player's icons, drawn as paths: crisp at any size and on any screen.

Asking the style for its media icons (``QStyle.standardIcon``) made PySide6 create all of
QStyle's enums at start-up (566 members, ~10 ms); these are a few triangles and bars in a
24-unit box, painted in the palette's text colour (faded when disabled).
"""
from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPainterPath,
    QPalette,
    QPixmap,
)

BOX = 24.0


def _triangle(path: QPainterPath, left: float, right: float, pointing_right: bool) -> None:
    top, bottom, middle = 5.0, 19.0, 12.0
    if pointing_right:
        path.moveTo(left, top)
        path.lineTo(right, middle)
        path.lineTo(left, bottom)
    else:
        path.moveTo(right, top)
        path.lineTo(left, middle)
        path.lineTo(right, bottom)
    path.closeSubpath()


def _bar(path: QPainterPath, left: float, width: float = 2.6) -> None:
    path.addRect(QRectF(left, 5.0, width, 14.0))


def _shape(name: str) -> QPainterPath:
    p = QPainterPath()
    p.setFillRule(Qt.FillRule.WindingFill)
    if name == "reset":      # |◀◀
        _bar(p, 3.5)
        _triangle(p, 6.5, 13.5, False)
        _triangle(p, 13.0, 20.0, False)
    elif name == "back":     # ◀|  one step back
        _triangle(p, 5.0, 15.5, False)
        _bar(p, 16.5)
    elif name == "play":     # ▶
        _triangle(p, 6.5, 19.5, True)
    elif name == "pause":    # ❚❚
        _bar(p, 6.5, 4.0)
        _bar(p, 13.5, 4.0)
    elif name == "forward":  # |▶  one step on
        _bar(p, 4.9)
        _triangle(p, 8.5, 19.0, True)
    elif name == "end":      # ▶▶|
        _triangle(p, 4.0, 11.0, True)
        _triangle(p, 10.5, 17.5, True)
        _bar(p, 17.9)
    elif name == "backward_pass":  # ← an arrow back along the edges
        p.addRect(QRectF(9.0, 10.6, 11.0, 2.8))
        p.moveTo(3.5, 12.0)
        p.lineTo(11.0, 5.5)
        p.lineTo(11.0, 18.5)
        p.closeSubpath()
    else:
        raise KeyError(name)
    return p


class _PathEngine(QIconEngine):
    """Paints one shape at whatever size Qt asks for."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self._path = _shape(name)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        group = QPalette.ColorGroup.Disabled if mode == QIcon.Mode.Disabled \
            else QPalette.ColorGroup.Normal
        colour = QGuiApplication.palette().color(group, QPalette.ColorRole.ButtonText)
        side = min(rect.width(), rect.height())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(QPointF(rect.x() + (rect.width() - side) / 2,
                                  rect.y() + (rect.height() - side) / 2))
        painter.scale(side / BOX, side / BOX)
        painter.fillPath(self._path, colour)
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)  # Qt's default leaves it uninitialised
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return _PathEngine(self.name)


def media_icon(name: str) -> QIcon:
    """``reset``, ``back``, ``play``, ``pause``, ``forward``, ``end`` or ``backward_pass``."""
    return QIcon(_PathEngine(name))
