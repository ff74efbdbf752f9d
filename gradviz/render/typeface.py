"""The fonts a theme draws with, sized in pixels so PNG, SVG and PDF agree.

Point sizes would be converted with each paint device's own resolution (96 dpi for an
image, 90 for Qt's SVG generator, 1200 for a PDF writer), so the same text would come
out wider than the box measured for it. Pixel sizes are plain scene units.
"""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPen

from .theme import Theme

NUMBER_CHARS = "0123456789.-+e×→=? ()"
"""What formatted numbers, gradients (``9 = 4 + 5``) and edge labels (``× 4 → 4``) use."""
MIN_NODE_TEXT_PX = 14 * 96 / 72
"""Every text in a node is at least 14 pt at 100 % zoom, the keys "value" and "grad" too."""
TABLE_AFTER = 400
"""Texts of one font shaped one by one before its advance table is built (see below)."""


class Fonts:
    """The seven fonts of a theme, and what has been measured with them."""

    def __init__(self, *, label: QFont, number: QFont, key: QFont, symbol: QFont,
                 caption: QFont, edge: QFont, port: QFont) -> None:
        self.label, self.number, self.key, self.symbol = label, number, key, symbol
        self.caption, self.edge, self.port = caption, edge, port
        # Metrics of the fonts above by object identity (they live as long as this
        # object), and text widths already measured: building a scene measures
        # thousands of texts, many of them the same ("?", "value", "grad", symbols).
        self._by_font = {id(f): _metrics(f) for f in (label, number, key, symbol, caption,
                                                       edge, port)}
        self._widths: dict[tuple[int, str], float] = {}
        self._advances: dict[int, dict[str, float] | None] = {}
        self._shaped: dict[int, int] = {}

    def metrics(self, font: QFont) -> QFontMetricsF:
        return self._by_font.get(id(font)) or _metrics(font)

    def width(self, font: QFont, text: str) -> float:
        key = (id(font), text)
        w = self._widths.get(key)
        if w is None:
            if id(font) not in self._by_font:
                return _metrics(font).horizontalAdvance(text)
            if len(self._widths) > 50_000:
                self._widths.clear()
            advance = self._advance_table(font)
            if advance is not None and all(c in advance for c in text):
                w = sum(advance[c] for c in text)
            else:
                w = self._by_font[id(font)].horizontalAdvance(text)
            self._widths[key] = w
        return w

    def _advance_table(self, font: QFont) -> dict[str, float] | None:
        """Advances of the characters numbers are written with, when adding them up
        gives exactly the shaped width (no kerning or ligature among them in this font).

        Shaping costs several microseconds a string, and a 1,000-node scene measures
        thousands of different numbers; the sum is a dictionary look-up per character.
        Checking a font costs ~460 measurements (~3 ms), which a small scene never earns
        back (the notebook's measures a few dozen texts, and start-up would pay ~14 ms
        for all fonts): a font gets its table only after TABLE_AFTER texts were shaped.
        """
        key = id(font)
        if key in self._advances:
            return self._advances[key]
        shaped = self._shaped.get(key, 0)
        if shaped < TABLE_AFTER:
            self._shaped[key] = shaped + 1
            return None
        m = self._by_font[key]
        advance = {c: m.horizontalAdvance(c) for c in NUMBER_CHARS}
        exact = all(m.horizontalAdvance(a + b) == advance[a] + advance[b]
                    for a in NUMBER_CHARS for b in NUMBER_CHARS)
        self._advances[key] = advance if exact else None
        return self._advances[key]

    def height(self, font: QFont) -> float:
        return self.metrics(font).height()

    def ascent(self, font: QFont) -> float:
        return self.metrics(font).ascent()


def _font(family: str, pixels: float, bold: bool = False) -> QFont:
    f = QFont(family)
    f.setPixelSize(max(6, round(pixels)))
    f.setBold(bold)
    # Text laid out at design metrics measures the same on every device.
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return f


_METRICS: dict[tuple, QFontMetricsF] = {}


def _metrics(font: QFont) -> QFontMetricsF:
    key = (font.family(), font.pixelSize(), font.bold())
    m = _METRICS.get(key)
    if m is None:
        m = _METRICS[key] = QFontMetricsF(font)
    return m


@lru_cache(maxsize=8)
def fonts_for(theme: Theme) -> Fonts:
    px = theme.pixel_size
    fam = theme.font_family
    return Fonts(label=_font(fam, px, bold=True), number=_font(fam, px, bold=True),
                 key=_font(fam, max(px * 0.78, MIN_NODE_TEXT_PX)), symbol=_font(fam, px * 1.25, bold=True),
                 caption=_font(fam, px * 1.05), edge=_font(fam, px * 0.95, bold=True),
                 port=_font(fam, px * 0.7))


# --- shared paint objects ------------------------------------------------------------
# Painting thousands of items used to build a QColor from a name for every stroke and
# text; these hand out one shared object per distinct value (painters copy them).
@lru_cache(maxsize=256)
def colour(name: str, alpha: int = 255) -> QColor:
    c = QColor(name)
    c.setAlpha(alpha)
    return c


@lru_cache(maxsize=256)
def pen(name: str, width: float, alpha: int = 255, style=Qt.PenStyle.SolidLine,
        cap=Qt.PenCapStyle.SquareCap) -> QPen:
    return QPen(colour(name, alpha), width, style, cap)


@lru_cache(maxsize=128)
def brush(name: str, alpha: int = 255) -> QBrush:
    # With the style given, PySide6 picks this constructor without first trying the
    # gradient and image ones, which would build QGradient's and QImage's 222 enum
    # members during the first paint.
    return QBrush(colour(name, alpha), Qt.BrushStyle.SolidPattern)
