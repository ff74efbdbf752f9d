"""The caption line above the graph: the current step in words and numbers.

It wraps to a width the scene gives it instead of running off the picture, between
terms and never inside a partial such as ∂e/∂c (`notation.unbroken`), and its height
follows the text, so a long backward step is never cut off.
"""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter
from PySide6.QtWidgets import QGraphicsItem

from ..core.notation import unbroken
from .theme import Theme
from .typeface import Fonts

FLAGS = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)


class CaptionItem(QGraphicsItem):
    """The line above the graph that states the current step, wrapped to a width."""

    def __init__(self, theme: Theme, fonts: Fonts, width: float):
        super().__init__()
        self._theme, self._fonts = theme, fonts
        self._text = ""
        self._width = width
        self._rect = QRectF(0, 0, width, 0)

    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        self.prepareGeometryChange()
        self._text = text
        self._measure()

    def _measure(self) -> None:
        m = QFontMetricsF(self._fonts.caption)
        r = m.boundingRect(QRectF(0, 0, self._width, 1e6), FLAGS, unbroken(self._text))
        # A little slack: renderers may lay text out a hair wider than it measured.
        self._rect = QRectF(0, 0, self._width, r.height() + 2)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setFont(self._fonts.caption)
        painter.setPen(QColor(self._theme.text))
        painter.drawText(self._rect.adjusted(0, 0, -4, 0), FLAGS, unbroken(self._text))
