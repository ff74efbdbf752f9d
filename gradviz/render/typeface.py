"""The fonts a theme draws with, sized in pixels so PNG, SVG and PDF agree.

Point sizes would be converted with each paint device's own resolution (96 dpi for an
image, 90 for Qt's SVG generator, 1200 for a PDF writer), so the same text would come
out wider than the box measured for it. Pixel sizes are plain scene units.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtGui import QFont, QFontMetricsF

from .theme import Theme


@dataclass(frozen=True)
class Fonts:
    label: QFont
    number: QFont
    key: QFont
    symbol: QFont
    caption: QFont
    edge: QFont
    port: QFont

    def width(self, font: QFont, text: str) -> float:
        return _metrics(font).horizontalAdvance(text)

    def height(self, font: QFont) -> float:
        return _metrics(font).height()

    def ascent(self, font: QFont) -> float:
        return _metrics(font).ascent()


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
                 key=_font(fam, px * 0.72), symbol=_font(fam, px * 1.25, bold=True),
                 caption=_font(fam, px * 1.05), edge=_font(fam, px * 0.95, bold=True),
                 port=_font(fam, px * 0.7))
