"""The overview: the whole graph small, in a corner of the canvas, with a frame round the
part the canvas shows. It shows only while the graph does not fit in the canvas; a click
or a drag on it moves the canvas there (a move by hand, so the camera steps aside).

The picture is the scene rendered once into a cached image, at the overview's largest
size (a smaller overview draws it scaled down): again after a new structure or theme
(the next time it is painted), and after new values or a moved node only once the app
is idle (`IDLE_MS` after the last change), never per step, per resize or per frame of a
camera move, which only move the frame. A big graph's picture is a sketch of its boxes
and wires (`render.sketch`), drawn a slice at a time between turns of the event loop
(100,000 nodes took 1.5 s in one go), and shown as it comes.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QWidget

from ..render.sketch import Sketch, scene_to_image
from .canvas_view import OVERLAY_GAP

LONG_SIDE = 240
"""The overview's longer side in pixels (at most; a narrow canvas gets less)."""
SHORT_SIDE = 48
"""Its shorter side at least, so a long thin graph is still a strip one can click."""
PAD = 6
IDLE_MS = 500
"""How long after the last value change the picture is drawn again."""
DETAIL_LIMIT = 400
"""Past this many nodes the picture is boxes and wires (their text is a blur anyway)."""
CORNERS = (Qt.Corner.BottomRightCorner, Qt.Corner.TopRightCorner, Qt.Corner.TopLeftCorner)
"""Where it may sit, in the order it tries them (the camera's hint has the other corner)."""
SEE_THROUGH = 0.3
"""Its opacity where the step's nodes lie under it wherever it sits."""


class Minimap(QWidget):
    """The overview of ``view``'s scene (``view`` a `CanvasView`)."""

    def __init__(self, view) -> None:
        super().__init__(view)
        self.setObjectName("minimap")
        self.view = view
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Overview: click or drag to look elsewhere")
        self._picture: QImage | None = None
        self._sketch: Sketch | None = None  # being drawn into the picture
        self._sketch_of = 0  # the scene's revision it draws
        self._sketching = QTimer(self)  # a slice of the sketch per turn of the loop
        self._sketching.setInterval(0)
        self._sketching.timeout.connect(self._draw_sketch)
        self._whole = QRectF()  # the scene rectangle the picture shows
        self._stale = True
        self._see_through = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_MS)
        self._idle.timeout.connect(self._redraw_when_shown)
        self.hide()
        self._measure()
        view.viewChanged.connect(self.follow_view)

    # --- what the canvas says -------------------------------------------------------------
    def structure_changed(self, *_) -> None:
        """A new structure or theme: draw the picture anew before it is next shown."""
        self._idle.stop()
        self._picture = None
        self._measure()
        self.follow_view()

    def values_changed(self, *_) -> None:
        """New numbers or a moved node: draw the picture again once the app is idle."""
        self._stale = True
        self._measure()
        if self.isVisible():
            self._idle.start()
        self.follow_view()

    def _measure(self) -> None:
        """The graph's rectangle, once per change (not per frame of a camera move)."""
        scene = self.view.scene()
        whole = QRectF() if scene is None or not scene.node_items() else scene.content_rect()
        if whole != self._whole:
            self._whole = whole
            self._picture = None
        self._stale = True

    def follow_view(self) -> None:
        """Show or hide (the graph fits or not), and move the frame."""
        whole = self._whole
        if whole.isEmpty() or self.view.visible_rect().contains(whole):
            self.hide()
            return
        if not self.isVisible():
            self.show()
        if self.size() != self.sizeHint():
            self.view.place_overlays()
        self.update()

    def keep_clear_of(self, focus: QRectF) -> None:
        """Sit in a corner of the canvas where it hides none of ``focus`` (scene), the
        step's nodes the camera just brought into view; where every corner would, stay
        and let the nodes show through."""
        self._see_through = False
        if focus.isEmpty():
            return
        on_screen = self.view.on_screen(focus)
        here = self.view.overlay_corner(self)
        for corner in [here] + [c for c in CORNERS if c != here]:
            if not self._geometry_in(corner).intersects(on_screen):
                if corner != here:
                    self.view.move_overlay(self, corner)
                return
        self._see_through = True
        self.update()

    def _geometry_in(self, corner: Qt.Corner) -> QRectF:
        area = QRectF(self.view.viewport().geometry())
        size = self.sizeHint()
        right = corner in (Qt.Corner.TopRightCorner, Qt.Corner.BottomRightCorner)
        bottom = corner in (Qt.Corner.BottomLeftCorner, Qt.Corner.BottomRightCorner)
        gap = OVERLAY_GAP
        x = area.right() - gap - size.width() if right else area.left() + gap
        y = area.bottom() - gap - size.height() if bottom else area.top() + gap
        return QRectF(x, y, size.width(), size.height())

    @property
    def see_through(self) -> bool:
        """Whether it is drawn faint, the step's nodes showing through it."""
        return self._see_through

    @property
    def shown_rect(self) -> QRectF:
        """The scene rectangle the frame marks: what the canvas shows."""
        return self.view.visible_rect()

    # --- size and geometry ----------------------------------------------------------------
    def sizeHint(self) -> QSize:  # noqa: N802
        whole = self._whole
        if whole.isEmpty():
            return QSize(LONG_SIDE, SHORT_SIDE)
        area = self.view.viewport().size()
        long_side = max(SHORT_SIDE * 2, min(LONG_SIDE, area.width() // 4, area.height() // 2))
        ratio = whole.width() / whole.height()
        if ratio >= 1:
            w, h = long_side, max(SHORT_SIDE, round(long_side / ratio))
        else:
            w, h = max(SHORT_SIDE, round(long_side * ratio)), long_side
        return QSize(w + 2 * PAD, h + 2 * PAD)

    def picture_rect(self) -> QRectF:
        """Where the picture of the whole graph lies in this widget."""
        whole = self._whole
        inner = QRectF(self.rect()).adjusted(PAD, PAD, -PAD, -PAD)
        if whole.isEmpty() or inner.isEmpty():
            return inner
        scale = min(inner.width() / whole.width(), inner.height() / whole.height())
        w, h = whole.width() * scale, whole.height() * scale
        return QRectF(inner.center().x() - w / 2, inner.center().y() - h / 2, w, h)

    def to_scene(self, point: QPointF) -> QPointF:
        """The scene point under ``point`` (widget pixels)."""
        pic, whole = self.picture_rect(), self._whole
        if pic.isEmpty() or whole.isEmpty():
            return whole.center()
        return QPointF(whole.left() + (point.x() - pic.left()) * whole.width() / pic.width(),
                       whole.top() + (point.y() - pic.top()) * whole.height() / pic.height())

    def from_scene(self, rect: QRectF) -> QRectF:
        """``rect`` (scene) in widget pixels."""
        pic, whole = self.picture_rect(), self._whole
        if whole.isEmpty():
            return QRectF()
        sx, sy = pic.width() / whole.width(), pic.height() / whole.height()
        return QRectF(pic.left() + (rect.left() - whole.left()) * sx,
                      pic.top() + (rect.top() - whole.top()) * sy,
                      rect.width() * sx, rect.height() * sy)

    # --- the picture ----------------------------------------------------------------------
    def _redraw_when_shown(self) -> None:
        if self.isVisible():
            self._render()
            self.update()

    def _render(self) -> None:
        scene, whole = self.view.scene(), self._whole
        scale = LONG_SIDE / max(whole.width(), whole.height())
        size = QSize(max(1, round(whole.width() * scale)), max(1, round(whole.height() * scale)))
        ratio = self.devicePixelRatioF()
        self._stale = False
        if scene.node_count > DETAIL_LIMIT:  # boxes and wires: their text is a blur anyway
            self._sketch = Sketch(scene, size, scene_to_image(whole, size), ratio,
                                  emphasis=True)
            self._sketch_of = scene.revision
            self._picture = self._sketch.image
            self._sketching.start()
            return
        self._sketch = None
        self._sketching.stop()
        image = QImage(round(size.width() * ratio), round(size.height() * ratio),
                       QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        image.fill(QColor(scene.theme.background))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        scene.render(painter, QRectF(0, 0, size.width(), size.height()), whole)
        painter.end()
        self._picture = image

    def _draw_sketch(self) -> None:
        scene = self.view.scene()
        if self._sketch is None or scene is None or scene.building \
                or scene.revision != self._sketch_of:
            self._sketching.stop()  # its items are gone: drawn anew when next painted
            self._sketch, self._stale = None, True
            return
        if self._sketch.draw_some():
            self._sketching.stop()
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802
        if self._whole.isEmpty():
            return
        pic = self.picture_rect()
        if (self._picture is None or (self._stale and not self._idle.isActive())) \
                and not self.view.scene().building:  # (half its items are made)
            self._render()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        base = SEE_THROUGH if self._see_through else 1.0
        painter.setOpacity(base)
        painter.setPen(QPen(QColor(0, 0, 0, 120), 1))
        painter.setBrush(QColor(255, 255, 255, 200))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        painter.setOpacity(0.85 * base)
        if self._picture is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(pic, self._picture, QRectF(self._picture.rect()))
        painter.setOpacity(base)
        frame = self.from_scene(self.shown_rect).intersected(pic.adjusted(-1, -1, 1, 1))
        painter.setPen(QPen(QColor("#D55E00"), 2))  # vermillion: seen on light and dark
        painter.setBrush(QColor(213, 94, 0, 40))
        painter.drawRect(frame)
        painter.end()

    # --- moving the canvas ----------------------------------------------------------------
    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.view.pan_to(self.to_scene(event.position()))
            event.accept()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.view.pan_to(self.to_scene(event.position()))
            event.accept()

    def wheelEvent(self, event) -> None:  # noqa: N802
        event.accept()  # the overview does not zoom, nor lets the canvas under it

    def hideEvent(self, event) -> None:  # noqa: N802
        self._idle.stop()  # drawn again when shown, if stale
        if self._sketch is not None and not self._sketch.done:
            self._sketching.stop()
            self._sketch, self._stale = None, True
        super().hideEvent(event)
