"""A small line plot of the output's history under gradient descent, painted with QPainter.

The x axis counts the steps (0: before the first Descend), the y axis is the output
with its lowest and highest values written at the ends, and the last point is labelled
with its value. Type is large enough to read on a projector at half size.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..core.notation import format_number

LINE_COLOUR = "#0072B2"  # Okabe–Ito blue: forward values
POINT_COLOUR = "#D55E00"  # vermillion: the last point
EMPTY_TEXT = "Press Descend: the output after each step is plotted here."


class HistoryPlot(QWidget):
    """The output after each descent step: ``set_history(label, values)``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("descentPlot")
        self.setAccessibleName("history of the output under descent")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 150)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 14.0))  # read at half size on a projector
        self.setFont(font)
        self._label = "output"
        self._values: tuple[float, ...] = ()

    @property
    def values(self) -> tuple[float, ...]:
        """The points drawn, in order."""
        return self._values

    def set_history(self, label: str, values) -> None:
        self._label, self._values = label or "output", tuple(values)
        self.setToolTip(self._tooltip())
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(320, 220)

    def _tooltip(self) -> str:
        if not self._values:
            return EMPTY_TEXT
        first, last = self._values[0], self._values[-1]
        return (f"{self._label}: {format_number(first)} before, {format_number(last)} after "
                f"{len(self._values) - 1} step{'s' if len(self._values) != 2 else ''}")

    def plot_rect(self) -> QRectF:
        """Where the points go, inside the axes and their labels."""
        m = self.fontMetrics()
        widest = max((m.horizontalAdvance(format_number(v)) for v in self._ends()), default=0)
        left = max(widest, m.horizontalAdvance(self._label)) + 12
        return QRectF(left, m.height() * 1.6, max(10.0, self.width() - left - 16),
                      max(10.0, self.height() - m.height() * 3.0))

    def _ends(self) -> tuple[float, float]:
        lo, hi = min(self._values, default=0.0), max(self._values, default=0.0)
        return lo, hi

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().windowText().color()
        if not self._values:
            p.setPen(text)
            p.drawText(QRectF(self.rect()).adjusted(8, 8, -8, -8),
                       Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, EMPTY_TEXT)
            return
        r, m = self.plot_rect(), self.fontMetrics()
        lo, hi = self._ends()
        span = hi - lo if hi > lo else (abs(hi) or 1.0)
        if hi == lo:
            lo, hi = lo - span / 2, hi + span / 2
        n = len(self._values)

        def at(i: int, v: float) -> QPointF:
            x = r.left() + (r.width() * i / (n - 1) if n > 1 else r.width() / 2)
            return QPointF(x, r.bottom() - (v - lo) / (hi - lo) * r.height())

        # Axes and their labels: the output's name above the y axis, its ends beside it.
        p.setPen(QPen(text, 1.5))
        p.drawLine(r.bottomLeft(), r.topLeft())
        p.drawLine(r.bottomLeft(), r.bottomRight())
        p.drawText(QPointF(4, m.ascent() + 2), self._label)
        for v in self._ends():
            y = at(0, v).y()
            label = format_number(v)
            p.drawText(QPointF(r.left() - 8 - m.horizontalAdvance(label),
                               y + m.ascent() / 2 - 1), label)
            p.drawLine(QPointF(r.left() - 4, y), QPointF(r.left(), y))
        base = r.bottom() + m.ascent() + 4
        p.drawText(QPointF(r.left() - m.horizontalAdvance("0") / 2, base), "0")
        last = str(n - 1)
        p.drawText(QPointF(r.right() - m.horizontalAdvance(last), base), last)
        p.drawText(QPointF(r.center().x() - m.horizontalAdvance("step") / 2, base), "step")

        # The history: a line through every point, dots while they are few.
        points = [at(i, v) for i, v in enumerate(self._values)]
        path = QPainterPath(points[0])
        for q in points[1:]:
            path.lineTo(q)
        p.setPen(QPen(QColor(LINE_COLOUR), 2.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        if n <= 60:
            p.setBrush(QColor(LINE_COLOUR))
            for q in points[:-1]:
                p.drawEllipse(q, 3.0, 3.0)
        p.setPen(QPen(QColor(POINT_COLOUR), 2))
        p.setBrush(QColor(POINT_COLOUR))
        p.drawEllipse(points[-1], 5.0, 5.0)
        value = format_number(self._values[-1])
        w = m.horizontalAdvance(value)
        x = min(points[-1].x() - w / 2, self.width() - w - 4)
        y = points[-1].y() - 10 if points[-1].y() - m.height() > r.top() - m.height() \
            else points[-1].y() + m.height()
        p.drawText(QPointF(max(r.left() + 4, x), max(m.ascent(), y)), value)

