"""Pages and frames of a graph too big to read whole: the camera's view of each step.

A deck page or a GIF frame of a big graph shows what the app's camera shows at that step
(`camera.view_of`: the step's nodes and their direct neighbours at legible text), the
step's caption in a band above it (the scene's own caption sits above the whole graph,
out of view), and a small overview in a corner: the whole graph, drawn once, with a
rectangle marking the part in view.
"""
from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen

from .camera import View, first_that_fits, step_nodes, updated_node, view_of
from .scene import GraphScene

OVERVIEW_SHARE = 0.24
"""The overview's largest width and height, as a fraction of the view's."""
OVERVIEW_DETAIL = 2.0
"""Pixels of the overview's picture per device unit it covers (sharp when printed)."""
CAPTION_SHARE = 0.026
"""The caption's type size as a fraction of the page's height (about 14 pt on a slide)."""
CAPTION_LINES = 2
"""Lines of caption a band holds; a longer caption is set smaller to fit."""
CAPTION_FLAGS = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                    | Qt.TextFlag.TextWordWrap)


def hide_caption(scene: GraphScene) -> QRectF:
    """Stop drawing the scene's caption (a shot draws it in its band) and return the
    whole graph's rectangle without it."""
    scene.set_caption_visible(False)
    return scene.content_rect()


def caption_band(target: QRectF) -> tuple[QRectF, QRectF]:
    """``target`` split into the caption's band (top) and the view below it."""
    px = caption_pixels(target)
    band = QRectF(target.left(), target.top(), target.width(), px * (1.3 * CAPTION_LINES + 0.8))
    view = QRectF(target.left(), band.bottom(), target.width(), target.bottom() - band.bottom())
    return band, view


def caption_pixels(target: QRectF) -> float:
    return max(11.0, target.height() * CAPTION_SHARE)


class Shot(NamedTuple):
    """What one page or frame shows: ``source`` of the scene, kept so that ``focus``
    (the step's own nodes, or the node it updates) is in view and clear of the overview."""

    source: QRectF
    focus: QRectF


def camera_shots(scene: GraphScene, steps: list[int], whole: QRectF,
                 viewport: QSizeF) -> list[Shot]:
    """What the camera shows at each of ``steps`` in ``viewport`` (device units, 96 an
    inch), aimed as the app's camera aims (the step's nodes and neighbours; where they
    cannot all fit at legible text, the step's own nodes, or the node it updates) and
    moving from one step to the next as it does (it stays put while the next step is in
    view)."""
    base = scene.theme.base_point_size
    graph, run = scene.graph, scene.evaluation
    current: View | None = None
    shots = []
    for index in steps:
        focus = scene.focus_rect(index)
        if scene.forward_pass is not None:  # forward mode: the pass's step
            from .forward_look import step_node_sets

            own, updated = step_node_sets(scene.forward_pass, index)
        else:
            own, updated = step_nodes(graph, run, index), {updated_node(graph, run, index)}
        core = first_that_fits([_rect_of(scene, own), _rect_of(scene, updated)],
                               viewport, base)
        current = view_of(focus, whole, viewport, base, current, core)
        shots.append(Shot(current.visible(viewport), core if not core.isEmpty() else focus))
    return shots


def _rect_of(scene: GraphScene, nodes: set[str | None]) -> QRectF:
    """Where ``nodes`` are drawn (a node inside a collapsed group has no item of its own:
    the scene's `focus_rect` counts its group's box)."""
    rect = QRectF()
    for n in nodes:
        try:
            rect = rect.united(scene.node_item(n).sceneBoundingRect())
        except KeyError:
            continue
    return rect


class Overview:
    """The whole graph as a small picture, drawn once, placed in a corner of each shot."""

    def __init__(self, scene: GraphScene, whole: QRectF, view: QSizeF):
        self.whole = whole
        k = min(view.width() * OVERVIEW_SHARE / whole.width(),
                view.height() * OVERVIEW_SHARE / whole.height())
        self.size = QSizeF(max(1.0, whole.width() * k), max(1.0, whole.height() * k))
        w = max(1, round(self.size.width() * OVERVIEW_DETAIL))
        h = max(1, round(self.size.height() * OVERVIEW_DETAIL))
        self.image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
        self.image.fill(QColor(scene.theme.background))
        painter = QPainter(self.image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        scene.render(painter, QRectF(0, 0, w, h), whole, Qt.AspectRatioMode.IgnoreAspectRatio)
        painter.end()
        self.theme = scene.theme

    def paint(self, painter: QPainter, view: QRectF, shot: Shot) -> None:
        """The overview in a corner of ``view`` (the first of bottom right, bottom left,
        top right, top left clear of the step's nodes), the shot's source marked on it."""
        pad = max(4.0, view.height() * 0.015)
        source = shot.source
        k_view = view.width() / source.width()
        focus = QRectF(view.left() + (shot.focus.left() - source.left()) * k_view,
                       view.top() + (shot.focus.top() - source.top()) * k_view,
                       shot.focus.width() * k_view, shot.focus.height() * k_view)
        w, h = self.size.width(), self.size.height()
        corners = [QRectF(x, y, w, h) for y in (view.bottom() - pad - h, view.top() + pad)
                   for x in (view.right() - pad - w, view.left() + pad)]
        box = next((c for c in corners if not c.adjusted(-pad, -pad, pad, pad).intersects(focus)),
                   corners[0])
        painter.fillRect(box.adjusted(-2, -2, 2, 2), QColor(self.theme.background))
        painter.drawImage(box, self.image)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(self.theme.node_outline), 1.0))
        painter.drawRect(box.adjusted(-2, -2, 2, 2))
        k = box.width() / self.whole.width()
        seen = QRectF(box.left() + (source.left() - self.whole.left()) * k,
                      box.top() + (source.top() - self.whole.top()) * k,
                      source.width() * k, source.height() * k).intersected(box)
        painter.setPen(QPen(QColor(self.theme.gradient), max(1.5, pad * 0.3)))
        painter.drawRect(seen)


def paint_shot(painter: QPainter, scene: GraphScene, target: QRectF, shot: Shot,
               overview: Overview | None) -> None:
    """One page or frame: the step's caption in a band at the top, the shot's part of
    the scene (at the step shown) in the view below, and the overview in a corner."""
    band, view = caption_band(target)
    painter.fillRect(target, QColor(scene.theme.background))
    painter.save()
    painter.setClipRect(view)
    scene.render(painter, view, shot.source, Qt.AspectRatioMode.KeepAspectRatio)
    painter.restore()
    _paint_caption(painter, scene, band)
    if overview is not None:
        overview.paint(painter, view, shot)


def _paint_caption(painter: QPainter, scene: GraphScene, band: QRectF) -> None:
    text = scene.caption_text()
    if not text:
        return
    room = band.adjusted(band.height() * 0.3, 0, -band.height() * 0.3, 0)
    px = band.height() / (1.3 * CAPTION_LINES + 0.8)  # the size `caption_band` made room for
    font = QFont(scene.theme.font_family)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    for _ in range(6):  # smaller until it fits its lines
        font.setPixelSize(max(6, round(px)))
        needed = QFontMetricsF(font).boundingRect(QRectF(0, 0, room.width(), 1e6),
                                                  CAPTION_FLAGS, text)
        if needed.height() <= room.height() or px <= 6:
            break
        px *= 0.85
    painter.setFont(font)
    painter.setPen(QColor(scene.theme.text))
    painter.drawText(room, CAPTION_FLAGS, text)
