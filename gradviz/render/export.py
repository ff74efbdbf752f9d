"""Rendering a GraphScene to files: PNG, SVG, PDF (one page or a deck), GIF, DOT.

These are the writers; which suffix takes which, with what defaults, is the format
table's (``formats.py``), which every export goes through. Every picture is the scene rendered over its content rect with QGraphicsScene.render,
never a grab of a window, so exports work offscreen and match the app.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRect, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from ..core.errors import DocumentError
from .dot_source import dot_source
from .formats import PIXEL_SCALE
from .scene import GraphScene

GIF_PAUSE_MS = 1400
GIF_LAST_PAUSE_MS = 4000

MAX_PIXELS = 2 ** 28
"""Largest picture drawn as pixels (268,435,456, e.g. 16,384 × 16,384): 1 GiB as 32-bit
pixels, room for a teaching-sized graph at the largest --scale (20). Far past it QImage
cannot even be allocated, and Qt then prints a warning per item and draws nothing."""
MAX_GIF_SIDE = 65_535
"""Widest or tallest GIF: the format stores sizes in 16 bits."""
MAX_GIF_PIXELS = 2 ** 30
"""All of an animation's frames together (they are held in memory until written)."""


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


def _hints(painter: QPainter) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)


def render_image(scene: GraphScene, scale: float = PIXEL_SCALE, source: QRectF | None = None) -> QImage:
    """The scene as an image, ``scale`` pixels per scene unit; PictureTooLarge past
    `MAX_PIXELS`."""
    src = source or scene.content_rect()
    w, h = image_size(src, scale)
    check_image_size(w, h)
    image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(scene.theme.background))
    # 96 dpi times the scale, so viewers show the picture at its natural size.
    dpm = round(96 / 0.0254 * scale)
    image.setDotsPerMeterX(dpm)
    image.setDotsPerMeterY(dpm)
    painter = QPainter(image)
    _hints(painter)
    scene.render(painter, QRectF(0, 0, w, h), src, Qt.AspectRatioMode.IgnoreAspectRatio)
    painter.end()
    return image


def png_bytes(scene: GraphScene, scale: float = PIXEL_SCALE, source: QRectF | None = None) -> bytes:
    """The scene as PNG file contents (what `render_image` draws)."""
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    render_image(scene, scale, source).save(buf, "PNG")
    buf.close()
    return bytes(data.data())


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
    _hints(painter)
    scene.render(painter, QRectF(0, 0, w, h), src, Qt.AspectRatioMode.IgnoreAspectRatio)
    painter.end()
    buf.close()
    return bytes(data.data())


def write_png(scene: GraphScene, path: Path, scale: float = PIXEL_SCALE) -> None:
    """The scene as it is to a PNG file, ``scale`` pixels per scene unit."""
    check_image_size(*image_size(scene.content_rect(), scale), str(path))
    if not render_image(scene, scale).save(str(path), "PNG"):
        raise DocumentError("cannot write the file", str(path))


def write_svg(scene: GraphScene, path: Path) -> None:
    """The scene as it is to an SVG file (see `svg_bytes`)."""
    _write_bytes(path, svg_bytes(scene, Path(path).stem))


def write_pdf(scene: GraphScene, path: Path, steps: list[int] | None = None) -> None:
    """One vector page of the scene as it is, or a deck: one page per step index."""
    indices = steps if steps is not None else [scene.step_index]
    src = _union_rect(scene, indices)
    writer = QPdfWriter(str(path))
    writer.setResolution(96)
    writer.setTitle(Path(path).stem)
    writer.setCreator("gradviz")
    size = QPageSize(QSizeF(src.width() * 0.75, src.height() * 0.75), QPageSize.Unit.Point,
                     "gradviz", QPageSize.SizeMatchPolicy.ExactMatch)
    writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    painter = QPainter()
    if not painter.begin(writer):
        raise DocumentError("cannot write the file", str(path))
    _hints(painter)
    for i, index in enumerate(indices):
        if i:
            writer.newPage()
        scene.show_step(index)
        target = QRectF(0, 0, writer.width(), writer.height())
        painter.fillRect(target, QColor(scene.theme.background))
        scene.render(painter, target, src, Qt.AspectRatioMode.KeepAspectRatio)
    painter.end()


def write_frames(scene: GraphScene, path: Path, scale: float, steps: list[int]) -> list[Path]:
    """Numbered PNGs, ``out-001.png`` …, one per step index, all the same size."""
    path = Path(path)
    check_image_size(*image_size(scene.content_rect(), scale), str(path))  # before the walk
    src = _union_rect(scene, steps)
    check_image_size(*image_size(src, scale), str(path))
    written = []
    for i, index in enumerate(steps, start=1):
        scene.show_step(index)
        frame = path.with_name(f"{path.stem}-{i:03d}{path.suffix}")
        if not render_image(scene, scale, src).save(str(frame), "PNG"):
            raise DocumentError("cannot write the file", str(frame))
        written.append(frame)
    return written


def write_gif(scene: GraphScene, path: Path, scale: float, steps: list[int]) -> None:
    """An animated GIF with one frame per step index, pausing on each, looping."""
    from PIL import Image

    w, h = image_size(scene.content_rect(), scale)
    check_image_size(w, h, str(path), len(steps))  # before walking every step
    src = _union_rect(scene, steps)
    check_image_size(*image_size(src, scale), str(path), len(steps))
    frames = []
    for index in steps:
        scene.show_step(index)
        # Straight from the pixels: no PNG round trip, and no decompression-bomb check
        # on a picture made here.
        image = render_image(scene, scale, src).convertToFormat(QImage.Format.Format_RGB888)
        rgb = Image.frombuffer("RGB", (image.width(), image.height()), bytes(image.constBits()),
                               "raw", "RGB", image.bytesPerLine(), 1)
        frames.append(rgb.quantize(colors=255, method=Image.Quantize.MEDIANCUT,
                                   dither=Image.Dither.NONE))
    durations = [GIF_PAUSE_MS] * (len(frames) - 1) + [GIF_LAST_PAUSE_MS]
    try:
        frames[0].save(str(path), save_all=True, append_images=frames[1:], duration=durations,
                       loop=0, optimize=False, disposal=1)
    except OSError as exc:
        raise DocumentError(f"cannot write the file: {exc}", str(path)) from None


def write_dot(scene: GraphScene, path: Path) -> None:
    """Graphviz source of the scene's graph at its current step."""
    text = dot_source(scene.graph, scene.evaluation, scene.step_index)
    _write_bytes(path, text.encode("utf-8"))


def _union_rect(scene: GraphScene, steps: list[int]) -> QRectF:
    """One frame for all steps, so pages and frames do not jump as captions change."""
    keep = scene.step_index
    rect = QRectF()
    for index in steps:
        scene.show_step(index)
        rect = rect.united(scene.content_rect())
    scene.show_step(keep)
    return rect


def _write_bytes(path: Path, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise DocumentError(f"cannot write the file: {exc.strerror or exc}", str(path)) from None
