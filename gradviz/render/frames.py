"""Frames of every step: numbered PNGs and animated GIFs.

A frame shows the whole graph while its node text stays legible in a frame of at most
`FRAME` (a full-HD screen, where an animation is watched); a bigger graph's frames follow
the camera, as the app's presentation mode does: each shows its step's part of the
graph, its caption and an overview in a corner (see ``shots.py``). A GIF holds at most
`MAX_GIF_FRAMES`; more steps are sampled. A scale asked for draws the whole graph at that
scale, as asked. Every such change comes back as an `Adjustment`.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QImage, QPainter

from ..core.errors import DocumentError
from . import export
from .camera import text_points
from .export import check_image_size, image_size, render_image
from .formats import Adjustment
from .scene import GraphScene
from .shots import Overview, Shot, camera_shots, caption_band, hide_caption, paint_shot

GIF_PAUSE_MS = 1400
GIF_LAST_PAUSE_MS = 4000
FRAME = QSizeF(1920, 1080)
"""The most a frame of a GIF (or a numbered PNG frame) covers at its default scale: a
full-HD screen, where an animation is watched."""
MIN_FRAME_TEXT_PT = 8.0
"""Node text, in points on a 96 dpi screen, below which a frame shows the camera's view
of its step instead of the whole graph (the same threshold as a deck's page)."""
CAMERA_FRAME = QSizeF(1280, 720)
"""A frame that follows the camera: the presentation window the camera is made for."""
MAX_GIF_FRAMES = 300
"""The most frames a GIF holds; more steps are sampled evenly, first and last kept."""
QUICK_QUANTIZE_PIXELS = 20_000_000
"""Frames with more pixels than this in all are reduced to a palette the quick way."""


class FramePlan(NamedTuple):
    """How each frame is drawn: the whole graph (``shots`` None) over ``whole`` at
    ``scale``, or the camera's view of each step into `CAMERA_FRAME` with an overview."""

    scale: float
    whole: QRectF
    shots: list[Shot] | None
    adjustments: list[Adjustment]

    def size(self) -> tuple[int, int]:
        if self.shots is not None:
            return round(CAMERA_FRAME.width()), round(CAMERA_FRAME.height())
        return image_size(self.whole, self.scale)


def frame_plan(scene: GraphScene, steps: list[int], scale: float, chosen: bool) -> FramePlan:
    """The whole graph in every frame at ``scale`` (at most `FRAME` unless ``chosen``)
    while its node text stays legible there, else the camera's view of each step."""
    if chosen:
        return FramePlan(scale, export.union_rect(scene, steps), None, [])
    fitted = _fitted(scene.content_rect(), scale)  # this step's picture: a first guess
    if text_points(fitted, scene.theme.base_point_size) >= MIN_FRAME_TEXT_PT:
        whole = export.union_rect(scene, steps)
        fitted = _fitted(whole, scale)
        pt = text_points(fitted, scene.theme.base_point_size)
        if pt >= MIN_FRAME_TEXT_PT:
            notes = [] if fitted >= scale else [Adjustment(
                f"scaled down to {fitted:.2g} so a frame fits {FRAME.width():,.0f}×"
                f"{FRAME.height():,.0f} px", "scale")]
            return FramePlan(fitted, whole, None, notes)
    pt = text_points(fitted, scene.theme.base_point_size)
    whole = hide_caption(scene)
    _, view = caption_band(QRectF(0, 0, CAMERA_FRAME.width(), CAMERA_FRAME.height()))
    shots = camera_shots(scene, steps, whole, view.size())
    note = Adjustment(f"node text would be {pt:.2g} pt with the whole graph in a frame, so "
                      "each frame shows its step's part of the graph (the camera's view) "
                      "with an overview in the corner", "scale")
    return FramePlan(1.0, whole, shots, [note])


def _fitted(rect: QRectF, scale: float) -> float:
    return min(scale, FRAME.width() / rect.width(), FRAME.height() / rect.height())


def sample_steps(steps: list[int], cap: int | None = None) -> tuple[list[int], list[Adjustment]]:
    """At most ``cap`` (default `MAX_GIF_FRAMES`) of ``steps``, evenly spaced, the first
    and the last kept; and the adjustment saying so when some are left out."""
    cap = MAX_GIF_FRAMES if cap is None else cap
    if len(steps) <= cap:
        return steps, []
    n = len(steps)
    kept = [steps[round(i * (n - 1) / (cap - 1))] for i in range(cap)]
    return kept, [Adjustment(f"{n:,} steps are more than the {cap} frames a GIF holds: it "
                             f"shows {cap} of them, evenly spaced, the first and last kept")]


def _frames(scene: GraphScene, plan: FramePlan, steps: list[int]):
    """Each step's frame as an image, in order (the scene is left at the last step)."""
    overview = None
    if plan.shots is not None:
        scene.show_step(steps[-1])  # the overview shows the graph complete
        _, view = caption_band(QRectF(0, 0, CAMERA_FRAME.width(), CAMERA_FRAME.height()))
        overview = Overview(scene, plan.whole, view.size())
    for i, index in enumerate(steps):
        scene.show_step(index)
        if plan.shots is None:
            yield render_image(scene, plan.scale, plan.whole)
            continue
        w, h = plan.size()
        image = export.blank_image(scene, w, h, 1.0)
        painter = QPainter(image)
        export.paint_hints(painter)
        paint_shot(painter, scene, QRectF(0, 0, w, h), plan.shots[i], overview)
        painter.end()
        yield image


def write_frames(scene: GraphScene, path: Path, scale: float, steps: list[int],
                 chosen: bool = True) -> tuple[list[Path], list[Adjustment]]:
    """Numbered PNGs, ``out-001.png`` …, one per step index, all the same size; the
    files and the adjustments made."""
    path = Path(path)
    if chosen:
        check_image_size(*image_size(scene.content_rect(), scale), str(path))  # before the walk
    plan = frame_plan(scene, steps, scale, chosen)
    check_image_size(*plan.size(), str(path))
    written = []
    for i, image in enumerate(_frames(scene, plan, steps), start=1):
        frame = path.with_name(f"{path.stem}-{i:03d}{path.suffix}")
        export.write_file(frame, export.png_data(image, str(frame)))
        written.append(frame)
    return written, plan.adjustments


def write_gif(scene: GraphScene, path: Path, scale: float, steps: list[int],
              chosen: bool = True) -> list[Adjustment]:
    """An animated GIF with one frame per step index (at most `MAX_GIF_FRAMES`, sampled),
    pausing on each, looping; the adjustments made."""
    from PIL import Image

    steps, notes = sample_steps(steps)
    if chosen:
        w, h = image_size(scene.content_rect(), scale)
        check_image_size(w, h, str(path), len(steps))  # before walking every step
    plan = frame_plan(scene, steps, scale, chosen)
    check_image_size(*plan.size(), str(path), len(steps))
    w, h = plan.size()
    # Median cut picks the best 255 colours but takes ~0.2 s a full-HD frame; octree
    # is ten times faster and looks the same on these flat pictures.
    method = Image.Quantize.MEDIANCUT if len(steps) * w * h <= QUICK_QUANTIZE_PIXELS \
        else Image.Quantize.FASTOCTREE
    frames = []
    for image in _frames(scene, plan, steps):
        # Straight from the pixels: no PNG round trip, and no decompression-bomb check
        # on a picture made here.
        image = image.convertToFormat(QImage.Format.Format_RGB888)
        rgb = Image.frombuffer("RGB", (image.width(), image.height()), bytes(image.constBits()),
                               "raw", "RGB", image.bytesPerLine(), 1)
        frames.append(rgb.quantize(colors=255, method=method, dither=Image.Dither.NONE))
    durations = [GIF_PAUSE_MS] * (len(frames) - 1) + [GIF_LAST_PAUSE_MS]
    data = io.BytesIO()
    try:
        frames[0].save(data, format="GIF", save_all=True, append_images=frames[1:],
                       duration=durations, loop=0, optimize=False, disposal=1)
    except (OSError, ValueError) as exc:
        raise DocumentError(f"cannot encode the animation: {exc}", str(path)) from None
    export.write_file(path, data.getvalue())
    return plan.adjustments + notes
