"""The canvas: a view on the graph scene with zoom, pan and fit.

Zoom with the wheel, Ctrl +/- or a pinch; pan by dragging the background; fit with
Ctrl+0 (and on every new graph). Hover highlight and tooltips belong to the scene's items.
The stepping keys never scroll it: they reach the view only when the player cannot step
(→ at the last step), and a lecturer pressing on must not see the graph slide away.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QGraphicsView, QWidget

MIN_ZOOM, MAX_ZOOM = 0.1, 8.0
MAX_FIT_ZOOM = 2.5
STEP = 1.2
STEPPING_KEYS = frozenset({Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
                           Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Space,
                           Qt.Key.Key_Home, Qt.Key.Key_End})
"""Keys a QGraphicsView would scroll with; on the canvas they belong to the player."""


class CanvasView(QGraphicsView):
    """A `QGraphicsView` that knows how lecturers move around a graph."""

    def __init__(self, scene=None, parent=None) -> None:
        super().__init__(scene, parent)
        self.setObjectName("canvas")
        # A viewport made here is known to PySide; asking for Qt's own one the first time
        # makes PySide look through every QWidget class (~30 ms of start-up).
        viewport = QWidget(self)
        viewport.setObjectName("qt_scrollarea_viewport")
        viewport.setBackgroundRole(QPalette.ColorRole.Base)
        viewport.setAutoFillBackground(True)
        self.setViewport(viewport)
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.setMouseTracking(True)
        # Pan by dragging; scroll bars would only take room from the graph.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        self._auto_fit = True  # keep fitting on resize until the user zooms

    # --- zoom -----------------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        self._auto_fit = False
        target = max(MIN_ZOOM, min(MAX_ZOOM, self.zoom * factor))
        if target != self.zoom:
            self.scale(target / self.zoom, target / self.zoom)

    def zoom_in(self) -> None:
        self.zoom_by(STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / STEP)

    def fit(self) -> None:
        """Show the whole graph, never magnified beyond MAX_FIT_ZOOM."""
        scene = self.scene()
        if scene is None:
            return
        rect = scene.content_rect()
        if rect.isEmpty():
            return
        rect = QRectF(rect).adjusted(-30, -30, 30, 30)
        self.setSceneRect(rect.adjusted(-2000, -2000, 2000, 2000))
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom > MAX_FIT_ZOOM:
            self.zoom_by(MAX_FIT_ZOOM / self.zoom)
        self.centerOn(rect.center())
        self._auto_fit = True

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._auto_fit:
            self.fit()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        scene = self.scene()
        if event.key() in STEPPING_KEYS and (scene is None or scene.focusItem() is None):
            event.accept()  # taken, so no parent acts on it either
            return
        super().keyPressEvent(event)

    def wheelEvent(self, event) -> None:  # noqa: N802
        delta = event.angleDelta().y()
        if delta == 0:
            return super().wheelEvent(event)
        self.zoom_by(STEP ** (delta / 120))
        event.accept()

    def viewportEvent(self, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Gesture:
            return self._gesture(event)
        if event.type() == QEvent.Type.NativeGesture and \
                event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
            self.zoom_by(1.0 + event.value())
            return True
        return super().viewportEvent(event)

    def _gesture(self, event) -> bool:
        from PySide6.QtWidgets import QPinchGesture  # on the first pinch, not at start-up

        pinch = event.gesture(Qt.GestureType.PinchGesture)
        if isinstance(pinch, QPinchGesture):
            self.zoom_by(pinch.scaleFactor())
            event.accept()
            return True
        return False
