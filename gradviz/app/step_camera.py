"""The camera that follows the step: each step pans and zooms the canvas, smoothly, so the
step's nodes and their direct neighbours are in view with legible text.

The geometry is `render.camera`'s (the exports use it too); this is the animated part.
It follows in presentation mode, and otherwise when View → Follow the step is on. The
start (step 0), Home and End show the whole graph; so does Ctrl+0.

A graph just opened (`show_new_graph`) is shown whole, unless its text could not be read
so: then the camera shows its start (the first step's nodes and their neighbours at
legible text), the overview in the corner showing where that is, and a line on the
canvas says so. Painting thousands of boxes too small to read would take a second and
show nothing. Past `OVERVIEW_NODES` it opens on the whole graph as an overview, saying
that too: there the start would be one corner among too many boxes to find one's way.

What the user does by hand wins: a zoom or a pan (wheel, pinch, Ctrl +/-, a drag, a click
on the overview) stops the move under way and pauses following, and a line on the canvas
says so. Steps that come by themselves (playing) then leave the view alone; the next step
the user asks for (a step key, the steps list) or Ctrl+0 follows again.

A move is one `QVariantAnimation` from the view shown to the step's view (the zoom
changes by equal ratios per frame, the centre in a straight line), as long as
`FOLLOW_MS` at the player's speed 1 and shorter when it plays faster; a new step while
one runs starts from wherever the view is. `stop` ends it where it is, `finish` at its
end; the window stops it when it closes, and a new structure stops it before the scene
rebuilds.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtWidgets import QLabel

from ..render.camera import (
    View,
    first_that_fits,
    step_nodes,
    text_points,
    updated_node,
    view_of,
    whole_view,
)
from .canvas_view import SKETCH_NODES

FOLLOW_MS = 300
"""How long one camera move takes at the player's speed 1."""
JUMP_ZOOM = 3.0
"""On a big graph (`canvas_view.SKETCH_NODES` nodes or more) a move that changes the zoom
more than this many times is made at once, not animated: its frames in between show
thousands of items each at sizes too small to read (going from the overview of a
50,000-way fan-out to its first step took frames of 3 s each)."""
HINT_WIDTH = 560
"""The widest the canvas's line about the camera gets (it wraps), in pixels."""
PAUSED_HINT = "Camera paused: you moved the view. → or Ctrl+0 follows the step again"
START_HINT = ("The start of a graph of {nodes:,} nodes, too big to read whole: "
              "the overview shows where you are, Ctrl+0 shows all of it")
OVERVIEW_HINT = ("An overview of {nodes:,} nodes, too many to read at once: "
                 "zoom in (wheel or Ctrl +) to read them")
WHOLE = "whole"
"""The camera's aim when it shows the whole graph (else the aim is a step index)."""
READABLE_WHOLE_PT = 1.0
"""A graph whose node text would show smaller than this fitted whole opens on its start
instead: its boxes would be a few pixels high, nothing in them readable (a teaching
graph of a few dozen nodes in a narrow canvas shows at 2-3 pt, and whole)."""
OVERVIEW_NODES = 10_000
"""Past this many nodes a graph opens on the whole of it, an overview."""
START, OVERVIEW = "start", "overview"
"""How a graph too big to read whole was opened (see `show_new_graph`)."""


def between(a: View, b: View, t: float) -> View:
    """The view a fraction ``t`` of the way from ``a`` to ``b``: the zoom changes by
    equal ratios (a zoom from 1 to 4 is at 2 half way, as the eye sees it)."""
    zoom = a.zoom * (b.zoom / a.zoom) ** t if a.zoom > 0 and b.zoom > 0 else b.zoom
    c = a.centre + (b.centre - a.centre) * t
    return View(QPointF(c), zoom)


class StepCamera(QObject):
    """Points ``view`` (a `CanvasView` on ``scene``) at ``document``'s step."""

    followingChanged = Signal(bool)
    """Whether the camera follows the step now (presenting, or the View toggle)."""
    arrived = Signal(QRectF)
    """A move ended: the scene rectangle it shows the step's nodes in (empty for the
    whole graph), which the overview keeps clear of."""

    def __init__(self, view, scene, document, player, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view, self.scene, self.document, self.player = view, scene, document, player
        self._enabled = False
        self._presenting = False
        self._paused = False
        self._aim: int | str | None = None  # what the view shows (None: not the camera's)
        self._animation = None  # made for the first move
        self._from: View | None = None
        self._to: View | None = None
        self._focus = QRectF()  # of the move under way
        self._watched = None  # the player's animation, once seen
        self._opened: str | None = None  # START or OVERVIEW until the view moves on
        self._new_graph = True  # shown as opened at the view's first size
        self.hint = QLabel(PAUSED_HINT)
        self.hint.setObjectName("cameraHint")
        self.hint.setStyleSheet("QLabel#cameraHint { background: rgba(40, 40, 40, 190); "
                                "color: white; border-radius: 4px; padding: 4px 8px; }")
        # At the top, wrapped to half the canvas: the overview sits in a bottom corner.
        self.hint.setWordWrap(True)
        self.hint.hide()
        view.add_overlay(self.hint, Qt.Corner.TopLeftCorner)
        document.aboutToChange.connect(self._on_about_to_change)
        document.structureChanged.connect(self._on_structure)
        document.stepChanged.connect(self._on_step)
        view.movedByHand.connect(self._on_hand)
        view.resized.connect(self._on_resized)

    # --- state ----------------------------------------------------------------------------
    @property
    def following(self) -> bool:
        """Whether steps move the camera (paused or not)."""
        return self._presenting or self._enabled

    @property
    def paused(self) -> bool:
        """Following, but the user moved the view by hand since."""
        return self.following and self._paused

    @property
    def moving(self) -> bool:
        return self._animation is not None \
            and self._animation.state() == self._animation.State.Running

    def set_enabled(self, on: bool) -> None:
        """The View toggle: follow the step outside presentation mode too."""
        if on != self._enabled:
            was = self.following
            self._enabled = on
            self._changed(was)

    def set_presenting(self, on: bool) -> None:
        """Presentation mode always follows."""
        if on != self._presenting:
            was = self.following
            self._presenting = on
            self._changed(was)

    def _changed(self, was: bool) -> None:
        if self.following == was:
            return
        self._paused = False
        if self.following:
            self._go(self.document.step, animate=not self._presenting)
        else:
            self.stop()
            self._aim = None
        self._show_hint()
        self.followingChanged.emit(self.following)

    # --- what moves it --------------------------------------------------------------------
    def step_asked(self) -> None:
        """The user asked for a step (a step key, the steps list): follow again."""
        if self.following and self._paused:
            self._paused = False
            self._show_hint()
            self._go(self.document.step)

    def show_whole(self) -> None:
        """Ctrl+0: the whole graph, and follow again if following was paused (without
        the camera: fit the view)."""
        if self.following:
            self.end_asked()
        else:
            self._opened_view_left()
            self.view.fit()

    def end_asked(self) -> None:
        """Home or End: while following, the whole graph (following again if paused)."""
        self._opened_view_left()
        if self.following:
            self._paused = False
            self._show_hint()
            self._go(WHOLE)

    def show_new_graph(self) -> None:
        """A graph was opened: fit it whole where its text can be read so, else show
        its start at legible text (past `OVERVIEW_NODES`, the whole graph as an
        overview), and say which. Until the view moves on, a resize shows the same."""
        self._new_graph = False
        self.stop()
        self._aim = None
        self._opened = None
        whole = self.scene.content_rect()
        size = self.view.viewport_size()
        if whole.isEmpty() or size.isEmpty():
            self.view.fit()
            return
        base = self.scene.theme.base_point_size
        readable = text_points(whole_view(whole, size, base).zoom, base) >= READABLE_WHOLE_PT
        if readable or len(self.document.graph) > OVERVIEW_NODES:
            self.view.fit()
            self._opened = None if readable else OVERVIEW
        else:
            self._opened = START
            self.view.set_view(self._view_of_step(0, self.scene.focus_rect(0), None))
        self._show_hint()

    def _opened_view_left(self) -> None:
        """The view moved on from how the graph was opened (a step, a hand, Ctrl+0)."""
        if self._opened is not None:
            self._opened = None
            self._show_hint()

    def refresh(self) -> None:
        """The scene's geometry changed (a new theme): show the same aim at once."""
        if self.following and not self._paused and self._aim is not None:
            self._go(self._aim, animate=False)

    def _on_structure(self, *_) -> None:
        self.stop()
        self._aim = None  # the window fits a new graph; the next step is followed again

    def _on_about_to_change(self) -> None:
        """The document changes: a move ends, and a view as opened is over (a new graph
        is shown as opened again, after the change: `show_new_graph`)."""
        self.stop()
        self._opened_view_left()

    def _on_step(self, index: int) -> None:
        self._opened_view_left()
        if self.following and not self._paused:
            self._go(index)
            self._after_the_players_animation()

    def _after_the_players_animation(self) -> None:
        """Look again once the player has drawn the step: at the end of its animation
        the scene shows the step, and a box may grow a note beside it then."""
        if not self.player.animating:
            return
        from PySide6.QtCore import QVariantAnimation

        animation = self.player.findChild(QVariantAnimation)
        if animation is not None and animation is not self._watched:
            self._watched = animation
            animation.finished.connect(self._on_step_drawn)

    def _on_step_drawn(self) -> None:
        if self.following and not self._paused and self._aim == self.document.step:
            self._go(self._aim)

    def _on_hand(self) -> None:
        self.stop()
        self._aim = None
        self._opened_view_left()
        if self.following and not self._paused:
            self._paused = True
            self._show_hint()

    def _on_resized(self) -> None:
        if self._new_graph:  # the first size: the graph the window opened with
            self.show_new_graph()
        elif self._opened == START:
            if self.view.fitting:  # fitted since (Ctrl+0, or the window): whole now
                self._opened_view_left()
            else:
                self.view.set_view(self._view_of_step(0, self.scene.focus_rect(0), None))
        # (The explanation under the canvas takes one line or two as the step says: a
        # move under way then goes on towards the view for the new size.)
        if self.following and not self._paused and self._aim is not None:
            self._go(self._aim, animate=self.moving)

    # --- moving ---------------------------------------------------------------------------
    def target(self, aim: int | str) -> View | None:
        """Where the camera looks for ``aim`` (a step index, or `WHOLE`), in the view's
        present size; None when there is nothing to look at."""
        whole = self.scene.content_rect()
        size = self.view.viewport_size()
        if whole.isEmpty() or size.isEmpty():
            return None
        base = self.scene.theme.base_point_size
        focus = self._focus_of(aim)
        if focus.isEmpty():
            return whole_view(whole, size, base)
        return self._view_of_step(aim, focus, self._to if self.moving else self.view.current_view())

    def _view_of_step(self, index: int, focus: QRectF, current: View | None) -> View:
        """The view of step ``index``'s ``focus`` (its nodes and their neighbours), from
        ``current`` (None: wherever the view is now does not matter)."""
        whole = self.scene.content_rect()
        size = self.view.viewport_size()
        base = self.scene.theme.base_point_size
        d = self.document
        forward = self.scene.forward_pass
        if forward is not None:  # forward mode: the pass's step
            from ..render.forward_look import step_node_sets

            own, updated = step_node_sets(forward, index)
        else:
            own = step_nodes(d.graph, d.evaluation, index)
            updated = {updated_node(d.graph, d.evaluation, index)}
        core = first_that_fits([self._rect_of(own), self._rect_of(updated)], size, base)
        return view_of(focus, whole, size, base, current, core)

    def _rect_of(self, nodes) -> QRectF:
        return self.scene.drawn_rect(nodes)  # a node in a collapsed group: its box

    def _focus_of(self, aim: int | str) -> QRectF:
        return QRectF() if aim == WHOLE or aim == 0 else self.scene.focus_rect(aim)

    def _go(self, aim: int | str, animate: bool = True) -> None:
        view = self.target(aim)
        if view is None:
            return
        self._aim = aim
        self._focus = self._focus_of(aim)
        duration = round(FOLLOW_MS / max(0.1, self.player.speed))
        start = self.view.current_view()
        if not animate or duration <= 0 or not self.view.isVisible() or _same(start, view) \
                or self._too_far_to_animate(start, view):
            self.stop()
            if not _same(start, view):
                self.view.set_view(view)
            self.arrived.emit(self._focus)
            return
        if self.moving:
            self._animation.stop()
        self._from, self._to = start, view
        animation = self._made_animation()
        animation.setDuration(duration)
        animation.start()

    def _too_far_to_animate(self, a: View, b: View) -> bool:
        if self.scene.node_count < SKETCH_NODES or a.zoom <= 0 or b.zoom <= 0:
            return False
        return max(a.zoom / b.zoom, b.zoom / a.zoom) > JUMP_ZOOM

    def _made_animation(self):
        if self._animation is None:
            from PySide6.QtCore import QEasingCurve, QVariantAnimation

            self._animation = QVariantAnimation(self)
            self._animation.setStartValue(0.0)
            self._animation.setEndValue(1.0)
            self._animation.setEasingCurve(QEasingCurve.Type.InOutCubic)
            self._animation.valueChanged.connect(self._on_frame)
            self._animation.finished.connect(self._on_finished)
        return self._animation

    def _on_frame(self, t) -> None:
        if self._from is not None and self._to is not None:
            self.view.set_view(between(self._from, self._to, float(t)))

    def _on_finished(self) -> None:
        if self._to is not None:
            self.view.set_view(self._to)
            self._from = self._to = None
            self.arrived.emit(self._focus)

    def finish(self) -> None:
        """End a move under way now, at its end."""
        if self.moving:
            self._animation.stop()
            self._on_finished()

    def stop(self) -> None:
        """End a move under way now, where it is."""
        if self.moving:
            self._animation.stop()
        self._from = self._to = None

    def _show_hint(self) -> None:
        """The line on the canvas: following paused, or how a big graph was opened."""
        if self.paused:
            text = PAUSED_HINT
        elif self._opened is not None:
            hint = START_HINT if self._opened == START else OVERVIEW_HINT
            text = hint.format(nodes=len(self.document.graph))
        else:
            text = ""
        if text:
            self.hint.setText(text)
            # One line where it fits in HINT_WIDTH, else that wide and wrapped.
            wide = self.hint.fontMetrics().horizontalAdvance(text) + 24
            self.hint.setFixedWidth(min(HINT_WIDTH, wide))
            self.hint.adjustSize()
        self.hint.setVisible(bool(text))
        if text:
            self.view.place_overlays()

    @property
    def opened(self) -> str | None:
        """START or OVERVIEW while the view shows a big graph as it was opened."""
        return self._opened


def _same(a: View, b: View) -> bool:
    return abs(a.zoom - b.zoom) <= 1e-6 * b.zoom and \
        abs(a.centre.x() - b.centre.x()) < 0.5 / b.zoom and \
        abs(a.centre.y() - b.centre.y()) < 0.5 / b.zoom
