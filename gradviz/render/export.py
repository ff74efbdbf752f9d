"""Rendering a GraphScene to files: PNG, SVG and DOT, and the limits of pictures.

PDF pages are ``deck.py``'s, numbered frames and GIFs ``frames.py``'s.

These are the writers; which suffix takes which, with what defaults, is the format
table's (``formats.py``), which every export goes through. Every picture is the scene
rendered with QGraphicsScene.render, never a grab of a window, so exports work
offscreen and match the app.

Pictures always work at their default size: a PNG is scaled down until its long side is
`MAX_LONG_SIDE` pixels, and says in the picture that it is an overview when its node
text is then smaller than `MIN_TEXT_PX`; frames of a GIF (and numbered PNG frames) fit
`FRAME`, or follow the camera when the whole graph would not be legible there. Each such
change comes back as an `Adjustment`, which every caller tells its user. A scale asked
for is drawn as asked, and refused (`PictureTooLarge`) only past what pixels can hold.
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator

from ..core.errors import DocumentError
from .dot_source import dot_source
from .formats import PIXEL_SCALE, Adjustment
from .scene import GraphScene

MAX_PIXELS = 2 ** 28
"""Largest picture drawn as pixels (268,435,456, e.g. 16,384 × 16,384): 1 GiB as 32-bit
pixels, room for a teaching-sized graph at the largest --scale (20). Far past it QImage
cannot even be allocated, and Qt then prints a warning per item and draws nothing."""
MAX_GIF_SIDE = 65_535
"""Widest or tallest GIF: the format stores sizes in 16 bits."""
MAX_GIF_PIXELS = 2 ** 30
"""All of an animation's frames together (they are held in memory until written)."""
MAX_LONG_SIDE = 8_000
"""The long side of a PNG at its default scale: image viewers, slide tools and browsers
open it, and it stays a few megabytes."""
MIN_TEXT_PX = 8.0
"""Node text smaller than this in a PNG is unreadable: the picture then says it is an
overview."""


class PictureTooLarge(DocumentError):
    """A picture too big to draw as pixels; ``reason`` without the advice, for callers
    that give their own (the command line names --scale)."""

    def __init__(self, reason: str, where: str = "",
                 advice: str = "use a smaller scale or export SVG or PDF"):
        super().__init__(f"{reason}; {advice}", where)
        self.reason = reason


def image_size(source: QRectF, scale: float) -> tuple[int, int]:
    """Pixels of ``source`` drawn at ``scale`` pixels per scene unit."""
    return max(1, round(source.width() * scale)), max(1, round(source.height() * scale))


def check_image_size(width: int, height: int, where: str = "",
                     gif_frames: int | None = None) -> None:
    """Refuse a picture over `MAX_PIXELS` (or a GIF of ``gif_frames`` such pictures over
    the GIF limits), before anything is painted."""
    size = f"{width:,}×{height:,} pixels"
    if width * height > MAX_PIXELS:
        raise PictureTooLarge(f"the picture would be {size} (over the limit of "
                              f"{MAX_PIXELS:,} pixels)", where)
    if gif_frames is None:
        return
    if max(width, height) > MAX_GIF_SIDE:
        raise PictureTooLarge(f"the picture would be {size} (a GIF has at most "
                              f"{MAX_GIF_SIDE:,} a side)", where)
    if gif_frames * width * height > MAX_GIF_PIXELS:
        raise PictureTooLarge(f"the animation would be {gif_frames:,} frames of {size} "
                              f"(over the limit of {MAX_GIF_PIXELS:,} pixels in all)", where)


# --- the pixel budget of a picture ---------------------------------------------------
class PixelPlan(NamedTuple):
    """How a PNG is drawn: its scale, the overview line it carries ("" none) and the
    adjustments made to get there."""

    scale: float
    overview: str
    adjustments: list[Adjustment]


def text_pixels(scene: GraphScene, scale: float) -> float:
    """How tall node text comes out, in pixels, at ``scale`` pixels per scene unit."""
    return scene.theme.pixel_size * scale


def png_plan(scene: GraphScene, scale: float, chosen: bool,
             long_side: int | None = None) -> PixelPlan:
    """The scale a PNG of the scene is drawn at: ``scale`` when it was ``chosen``,
    otherwise at most what keeps the long side within ``long_side`` pixels (default
    `MAX_LONG_SIDE`); an overview when the node text is then under `MIN_TEXT_PX`."""
    if chosen:
        return PixelPlan(scale, "", [])
    long_side = MAX_LONG_SIDE if long_side is None else long_side
    rect = scene.content_rect()
    longest = max(rect.width(), rect.height())
    notes = []
    if longest * scale > long_side:
        scale = long_side / longest
        notes.append(Adjustment(f"scaled down to {scale:.2g} so the long side is "
                                f"{long_side:,} px", "scale"))
    overview = ""
    text = text_pixels(scene, scale)
    if text < MIN_TEXT_PX:
        nodes = len(scene.node_items())
        overview = (f"overview: {nodes:,} nodes, text too small to read — export a PDF "
                    f"deck or zoom in")
        w, h = image_size(rect, scale)
        band = _OverviewLine(overview, w, h)
        if h + band.height > long_side:  # the line's band must fit in the budget too
            scale *= (long_side - band.height) / h
        notes.append(Adjustment(f"node text would be {text:.2g} px, too small to read: the "
                                "picture is an overview and says so (a PDF deck shows "
                                "every step legibly)"))
    return PixelPlan(scale, overview, notes)


class _OverviewLine:
    """The line an overview carries above the graph, large enough to read when the
    picture is shown whole."""

    def __init__(self, text: str, width: int, height: int):
        self.text = text
        # Readable when the picture is shown whole: a picture shrunk to a screen's width
        # shrinks the line alike. Smaller to fit the picture's width (at least 12 px), or
        # the picture is widened for it, never past the long side's budget.
        room = max(width, MAX_LONG_SIDE) * 0.94
        px = max(12.0, max(width, height) / 80)
        self.font = QFont()
        for _ in range(8):
            self.font.setPixelSize(max(4, round(px)))
            self.text_width = QFontMetricsF(self.font).horizontalAdvance(text)
            fits = width * 0.94 if px > 12 else room
            if self.text_width <= fits or px <= 4:
                break
            px = max(4.0 if px <= 12 else 12.0, px * fits / self.text_width)
        self.height = round(px * 1.8)
        self.width = max(width, min(round(room / 0.94), round(self.text_width + px * 2)))

    def paint(self, painter: QPainter, width: int, colour: str) -> None:
        painter.setFont(self.font)
        painter.setPen(QColor(colour))
        painter.drawText(QRectF(0, 0, width, self.height), int(Qt.AlignmentFlag.AlignCenter),
                         self.text)


# --- pictures --------------------------------------------------------------------
def paint_hints(painter: QPainter) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)


def blank_image(scene: GraphScene, w: int, h: int, scale: float) -> QImage:
    image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(scene.theme.background))
    # 96 dpi times the scale, so viewers show the picture at its natural size.
    dpm = max(1, round(96 / 0.0254 * scale))
    image.setDotsPerMeterX(dpm)
    image.setDotsPerMeterY(dpm)
    return image


def render_image(scene: GraphScene, scale: float = PIXEL_SCALE, source: QRectF | None = None,
                 overview: str = "") -> QImage:
    """The scene as an image, ``scale`` pixels per scene unit, with the ``overview`` line
    above it when there is one; PictureTooLarge past `MAX_PIXELS`."""
    src = source or scene.content_rect()
    w, h = image_size(src, scale)
    line = _OverviewLine(overview, w, h) if overview else None
    width, top = (line.width, line.height) if line else (w, 0)
    check_image_size(width, h + top)
    image = blank_image(scene, width, h + top, scale)
    painter = QPainter(image)
    paint_hints(painter)
    if line:
        line.paint(painter, width, scene.theme.text)
    scene.render(painter, QRectF((width - w) / 2, top, w, h), src,
                 Qt.AspectRatioMode.IgnoreAspectRatio)
    painter.end()
    return image


def png_data(image: QImage, where: str = "") -> bytes:
    """``image`` as PNG file contents."""
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    saved = image.save(buf, "PNG")
    buf.close()
    if not saved:
        raise DocumentError("cannot encode the picture as PNG", where)
    return bytes(data.data())


def png_bytes(scene: GraphScene, scale: float = PIXEL_SCALE, source: QRectF | None = None,
              overview: str = "") -> bytes:
    """The scene as PNG file contents (what `render_image` draws)."""
    return png_data(render_image(scene, scale, source, overview))


def png_within(scene: GraphScene, scale: float, long_side: int, max_bytes: int) -> bytes:
    """A PNG of the scene at most ``scale``, ``long_side`` pixels and ``max_bytes``
    (smaller until it is): what a notebook shows inline."""
    for _ in range(8):
        plan = png_plan(scene, scale, chosen=False, long_side=long_side)
        data = png_bytes(scene, plan.scale, overview=plan.overview)
        if len(data) <= max_bytes:
            return data
        scale = plan.scale * 0.9 * (max_bytes / len(data)) ** 0.5
    return data


def svg_bytes(scene: GraphScene, title: str = "gradviz") -> bytes:
    """SVG with text kept as text (searchable, editable in a slide tool)."""
    src = scene.content_rect()
    w, h = round(src.width()), round(src.height())
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    gen = QSvgGenerator()
    gen.setOutputDevice(buf)
    gen.setSize(QRect(0, 0, w, h).size())
    gen.setViewBox(QRect(0, 0, w, h))
    gen.setResolution(96)
    gen.setTitle(title)
    gen.setDescription(scene.caption_text())
    painter = QPainter(gen)
    paint_hints(painter)
    scene.render(painter, QRectF(0, 0, w, h), src, Qt.AspectRatioMode.IgnoreAspectRatio)
    painter.end()
    buf.close()
    return bytes(data.data())


def write_png(scene: GraphScene, path: Path, scale: float = PIXEL_SCALE,
              chosen: bool = True) -> list[Adjustment]:
    """The scene as it is to a PNG file, ``scale`` pixels per scene unit (within the
    pixel budget unless the scale was ``chosen``); the adjustments made."""
    plan = png_plan(scene, scale, chosen)
    check_image_size(*image_size(scene.content_rect(), plan.scale), str(path))
    image = render_image(scene, plan.scale, overview=plan.overview)
    write_file(path, png_data(image, str(path)))
    return plan.adjustments


def write_svg(scene: GraphScene, path: Path) -> None:
    """The scene as it is to an SVG file (see `svg_bytes`)."""
    write_file(path, svg_bytes(scene, Path(path).stem))


def write_dot(scene: GraphScene, path: Path) -> None:
    """Graphviz source of the scene's graph at its current step."""
    text = dot_source(scene.graph, scene.evaluation, scene.step_index)
    write_file(path, text.encode("utf-8"))


def union_rect(scene: GraphScene, steps: list[int]) -> QRectF:
    """One frame for all steps, so pages and frames do not jump as captions change."""
    keep = scene.step_index
    rect = QRectF()
    for index in steps:
        scene.show_step(index)
        rect = rect.united(scene.content_rect())
    scene.show_step(keep)
    return rect


def write_file(path: Path, data: bytes) -> None:
    """Every picture's bytes reach the disk here: atomically, the previous file kept on
    any failure, a link followed, a special or read-only file refused (see `safe_write`)."""
    from ..core.safe_write import write_bytes

    write_bytes(path, data)
