"""The canvas: a view on the graph scene with zoom, pan and fit.

Zoom with the wheel, Ctrl +/- or a pinch; pan by dragging the background; fit with
Ctrl+0 (and on every new graph). Hover highlight and tooltips belong to the scene's items.
The stepping keys never scroll it: they reach the view only when the player cannot step
(→ at the last step), and a lecturer pressing on must not see the graph slide away.
A camera (`step_camera`) sets the view with `set_view`; what the user does by hand is
said by `movedByHand`, so the camera can step aside. Small widgets (the overview, the
camera's hint) sit in the canvas's corners over the graph (`add_overlay`).

A big graph seen so small that its text cannot be read is drawn as a sketch of
its boxes and wires (`render.sketch`), a slice at a time between turns of the event
loop, instead of item by item: painting 100,000 nodes and 150,000 edges one by one took
4 s a paint and showed nothing more. The sketch is drawn again when the view moves or
the nodes do, not at each step (nothing of a step can be seen at that size).
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPalette, QTransform
from PySide6.QtWidgets import QGraphicsView, QWidget

from ..render.camera import View, text_points
from ..render.sketch import Sketch

MIN_ZOOM, MAX_ZOOM = 0.1, 8.0
MAX_FIT_ZOOM = 2.5
FIT_MARGIN = 30.0
"""Scene units of room around the graph when it is fitted."""
STEP = 1.2
OVERLAY_GAP = 10
"""Pixels between an overlay and the canvas's edge."""
SCENE_ROOM = 2000.0
"""Scene units around the graph the view may show (pan past its edge, zoom out)."""
STEPPING_KEYS = frozenset({Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
                           Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Space,
                           Qt.Key.Key_Home, Qt.Key.Key_End})
"""Keys a QGraphicsView would scroll with; on the canvas they belong to the player."""
SKETCH_NODES = 2_000
"""Graphs of at least this many nodes are sketched when seen small (smaller ones paint
item by item in well under 0.1 s at any size)."""
SKETCH_TEXT_PT = 4.0
"""Graphs seen with node text smaller than this on screen (points) are sketched: such
text is a blur (the camera never shows text under `camera.MIN_TEXT_PT`), and drawing
it item by item is what costs: a camera move on a 50,000-way fan-out passed through
views at 1 pt with 43,000 edges in sight, 3 s a frame (boxes there were 4 px high)."""


class CanvasView(QGraphicsView):
    """A `QGraphicsView` that knows how lecturers move around a graph."""

    viewChanged = Signal()
    """What the view shows moved: panned, zoomed or resized (the overview follows)."""
    movedByHand = Signal()
    """The user zoomed or panned (wheel, pinch, Ctrl +/-, a drag, the overview)."""
    resized = Signal()

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
        self._overlays: list[tuple[QWidget, Qt.Corner]] = []
        self._press_centre: QPointF | None = None
        self._sketch: Sketch | None = None
        self._sketch_of: tuple | None = None  # what it was started for (see _sketch_key)
        self._sketching = QTimer(self)  # draws the sketch's slices, one per turn
        self._sketching.setInterval(0)
        self._sketching.timeout.connect(self._draw_sketch)

    # --- zoom -----------------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        """Zoom by hand (the wheel, a pinch, Ctrl +/-)."""
        self._auto_fit = False
        target = max(MIN_ZOOM, min(MAX_ZOOM, self.zoom * factor))
        if target != self.zoom:
            self.scale(target / self.zoom, target / self.zoom)
            self.viewChanged.emit()
        self.movedByHand.emit()

    def zoom_in(self) -> None:
        self.zoom_by(STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / STEP)

    def fit(self) -> None:
        """Show the whole graph, never magnified beyond MAX_FIT_ZOOM, and keep it fitted
        on resize."""
        view = self.fit_view()
        if view is not None:
            self.set_view(view)
            self._auto_fit = True

    @property
    def fitting(self) -> bool:
        """Whether the view keeps the whole graph fitted as it is resized (from `fit`
        until anything else sets the view)."""
        return self._auto_fit

    def fit_view(self) -> View | None:
        """The view that shows the whole graph (what `fit` and the camera's Home, End and
        Ctrl+0 go to); None without a graph."""
        scene = self.scene()
        rect = QRectF() if scene is None else scene.content_rect()
        if rect.isEmpty():
            return None
        rect = rect.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
        size = self.viewport_size()
        zoom = min((size.width() - 4) / rect.width(), (size.height() - 4) / rect.height())
        return View(rect.center(), max(1e-4, min(zoom, MAX_FIT_ZOOM)))

    # --- the camera's view ------------------------------------------------------------
    def viewport_size(self) -> QSizeF:
        return QSizeF(self.viewport().size())

    def current_view(self) -> View:
        """Where the view looks now: the scene point at the viewport's centre, the zoom."""
        size = self.viewport_size()
        to_scene, _ = self.viewportTransform().inverted()
        return View(to_scene.map(QPointF(size.width() / 2, size.height() / 2)), self.zoom)

    def visible_rect(self) -> QRectF:
        """The scene rectangle the viewport shows."""
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def set_view(self, view: View) -> None:
        """Look at ``view`` (a camera move, not the user's: no `movedByHand`)."""
        self._auto_fit = False
        self._make_room()
        zoom = view.zoom  # a fitted big graph may be smaller than the hand's MIN_ZOOM
        if abs(zoom - self.zoom) > 1e-12 or self.transform().isRotating():
            self.setTransform(QTransform.fromScale(zoom, zoom))
        off = self.current_view().centre - view.centre
        if max(abs(off.x()), abs(off.y())) * zoom >= 0.5:  # (centring rounds to pixels)
            self.centerOn(view.centre)
        self.viewChanged.emit()

    def pan_to(self, centre: QPointF) -> None:
        """Centre the view on ``centre`` by hand (the overview's click)."""
        self._auto_fit = False
        self._make_room()
        self.centerOn(centre)
        self.viewChanged.emit()
        self.movedByHand.emit()

    def _make_room(self) -> None:
        """A scene rectangle with room around the graph, so centring is never clamped."""
        scene = self.scene()
        if scene is None:
            return
        rect = scene.content_rect()
        if rect.isEmpty():
            return
        room = rect.adjusted(-SCENE_ROOM, -SCENE_ROOM, SCENE_ROOM, SCENE_ROOM)
        if not self.sceneRect().contains(room):
            self.setSceneRect(room)

    # --- overlays -------------------------------------------------------------------------
    def add_overlay(self, widget: QWidget, corner: Qt.Corner) -> None:
        """Keep ``widget`` (a child of this view) in ``corner`` of the canvas."""
        widget.setParent(self)  # not the viewport's: scrolling moves its children
        self._overlays.append((widget, corner))
        self.place_overlays()

    def move_overlay(self, widget: QWidget, corner: Qt.Corner) -> None:
        """Put ``widget`` (an overlay) in ``corner`` instead."""
        self._overlays = [(w, corner if w is widget else c) for w, c in self._overlays]
        self.place_overlays()

    def overlay_corner(self, widget: QWidget) -> Qt.Corner | None:
        return next((c for w, c in self._overlays if w is widget), None)

    def on_screen(self, rect: QRectF) -> QRectF:
        """Scene rectangle ``rect`` in this view's coordinates (where overlays live)."""
        r = QRectF(self.mapFromScene(rect).boundingRect())
        return r.translated(QPointF(self.viewport().geometry().topLeft()))

    def place_overlays(self) -> None:
        area = self.viewport().geometry()
        for widget, corner in self._overlays:
            size = widget.sizeHint().boundedTo(area.size())
            widget.resize(size)
            right = corner in (Qt.Corner.TopRightCorner, Qt.Corner.BottomRightCorner)
            bottom = corner in (Qt.Corner.BottomLeftCorner, Qt.Corner.BottomRightCorner)
            x = area.right() - OVERLAY_GAP - size.width() + 1 if right \
                else area.left() + OVERLAY_GAP
            y = area.bottom() - OVERLAY_GAP - size.height() + 1 if bottom \
                else area.top() + OVERLAY_GAP
            widget.move(QPoint(x, y))
            widget.raise_()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802
        super().scrollContentsBy(dx, dy)
        self.viewChanged.emit()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._auto_fit:
            self.fit()
        self.place_overlays()
        self.resized.emit()
        self.viewChanged.emit()

    # --- panning by hand ------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:  # noqa: N802
        self._press_centre = self.current_view().centre
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        super().mouseMoveEvent(event)
        if self._press_centre is not None and self.current_view().centre != self._press_centre:
            self._press_centre = None  # once a drag: the background was dragged, not a node
            self._auto_fit = False
            self.movedByHand.emit()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        self._press_centre = None
        super().mouseReleaseEvent(event)

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

    # --- a big graph seen small -------------------------------------------------------
    @property
    def sketched(self) -> bool:
        """Whether the graph is drawn as a sketch now (big, and its text too small to
        read)."""
        scene = self.scene()
        return (getattr(scene, "node_count", 0) >= SKETCH_NODES
                and text_points(self.zoom, scene.theme.base_point_size) < SKETCH_TEXT_PT)

    @property
    def sketch_done(self) -> bool:
        """Whether the sketch shown is drawn whole (True when there is none to draw)."""
        return self._sketch is None or self._sketch.done

    def _sketch_key(self) -> tuple:
        """What a sketch is drawn for: the items, the view onto them, the size."""
        t, size = self.viewportTransform(), self.viewport().size()
        return (self.scene().revision, t.m11(), t.m22(), t.dx(), t.dy(), size.width(),
                size.height(), self.devicePixelRatioF())

    def paintEvent(self, event) -> None:  # noqa: N802
        if getattr(self.scene(), "building", False):
            return  # half made: the viewport's background alone, until it is drawn
        if not self.sketched:
            self._sketch = self._sketch_of = None
            self._sketching.stop()
            super().paintEvent(event)
            return
        key = self._sketch_key()
        if key != self._sketch_of:  # started here, drawn between paints (_draw_sketch)
            self._sketch_of = key
            self._sketch = Sketch(self.scene(), self.viewport().size(),
                                  self.viewportTransform(), self.devicePixelRatioF())
            self._sketching.start()
        painter = QPainter(self.viewport())
        painter.drawImage(0, 0, self._sketch.image)
        painter.end()

    def _draw_sketch(self) -> None:
        if self._sketch is None or not self.sketched or self._sketch_key() != self._sketch_of:
            self._sketching.stop()  # the next paint starts the sketch that is needed
            self.viewport().update()
            return
        if self._sketch.draw_some():
            self._sketching.stop()
        self.viewport().update()

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
