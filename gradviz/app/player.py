"""The player: which step is shown, and the animation between two steps.

The view is a function of (graph, step): the scene draws step ``k`` exactly. The player
only moves ``k`` and, on the way, plays a short animation with Qt's animation framework:
a forward step sends dots along the new node's input edges and then its value appears;
a backward step sends a pulse along each edge from child to parent and then the parent's
gradient updates. Stepping back
reverses it. A new request while an animation runs finishes that animation at once (its
end state is drawn), so fast key presses skip animations instead of queueing them.
"""
from __future__ import annotations

import bisect

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.steps import BackwardStep, Timeline

BASE_DURATION_MS = 650
PLAY_PAUSE_MS = 450
SPEEDS = (0.5, 1.0, 2.0, 4.0)
GRANULARITIES = ("edge", "node")


class Player(QObject):
    """Moves the `Document`'s step and animates ``scene`` (a `render.scene.GraphScene`,
    or None) on the way. The step itself is the document's: the panels follow it there,
    the scene through the player."""

    indexChanged = Signal(int)
    playingChanged = Signal(bool)
    timelineChanged = Signal()

    def __init__(self, document, scene=None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.scene = scene
        self.granularity = "edge"
        self.speed = 1.0
        self.animations_enabled = True
        # Made for the first animation: Qt's animation classes are not needed to draw the
        # first frame.
        self._animation = None
        self._frame = None  # (callback(t), on_finish) of the running animation
        self._play_timer = QTimer(self)
        self._play_timer.setSingleShot(True)
        self._play_timer.timeout.connect(self._play_tick)
        self._playing = False
        self._stops: list[int] = []  # worked out for (timeline, granularity, collapse):
        self._stops_of: tuple = (None, None, None)
        document.aboutToChange.connect(self._before_change)
        document.structureChanged.connect(self._on_new_run)
        document.valuesChanged.connect(self._on_new_run)
        document.stepChanged.connect(self._on_step_changed)
        document.modeChanged.connect(self._on_new_run)
        document.passChanged.connect(self._on_new_run)

    # --- what is shown ----------------------------------------------------------------
    @property
    def timeline(self) -> Timeline | None:
        """What is stepped through: the run's timeline, or in forward mode the pass
        shown (a `core.forward.ForwardPass`, stepped the same way)."""
        return self.document.timeline

    @property
    def index(self) -> int:
        return self.document.step

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def animating(self) -> bool:
        return self._animation is not None \
            and self._animation.state() == self._animation.State.Running

    @property
    def last(self) -> int:
        return self.document.last_step

    def stops(self) -> list[int]:
        """The step indices → and ← stop at, in order (the caller does not change the
        list): every step or one per node, passing over the steps inside a collapsed
        group but its last (the box then shows them)."""
        timeline = self.timeline
        if not timeline:
            return [0]
        # Worked out once per timeline, granularity and collapse (a press of → on a
        # graph of 250,000 steps went over all of them).
        timeline_of, *rest = self._stops_of
        now = [self.granularity, self.scene.collapsed if self.scene else ()]
        if timeline_of is not timeline or rest != now:
            skipped = self.scene.skipped_steps() if self.scene is not None else set()
            self._stops = [i for i in timeline.stops(self.granularity) if i not in skipped]
            self._stops_of = (timeline, *now)
        return self._stops

    def _before_change(self) -> None:
        # The scene may rebuild its items next: no animation may hold on to them.
        self.finish()

    def _on_new_run(self, *_) -> None:
        self.pause()
        self.timelineChanged.emit()

    def _on_step_changed(self, index: int) -> None:
        if self.scene is not None and not self.animating:
            self.scene.show_step(index)
        self.indexChanged.emit(index)

    def set_granularity(self, granularity: str) -> None:
        if granularity not in GRANULARITIES:
            raise ValueError(f"granularity is one of {GRANULARITIES}")
        self.granularity = granularity

    def set_speed(self, speed: float) -> None:
        self.speed = max(0.1, float(speed))

    # --- moving ---------------------------------------------------------------------------
    def next(self) -> None:
        """The next stop; in forward mode, at a pass's end, the next pass's start (a
        playing player stops at the end of each pass)."""
        stops = self.stops()
        later = bisect.bisect_right(stops, self.index)
        if later < len(stops):
            self.go_to(stops[later])
        elif self._playing:
            self.pause()
        elif self._other_pass(1):
            self.document.set_forward_pass(self.document.forward_pass + 1)

    def previous(self) -> None:
        """The stop before; in forward mode, at a pass's start, the end of the pass
        before it."""
        stops = self.stops()
        earlier = bisect.bisect_left(stops, self.index)
        if earlier > 0:
            self.go_to(stops[earlier - 1])
        elif self._other_pass(-1):
            self.document.set_forward_pass(self.document.forward_pass - 1)
            self.go_to(self.last, animate=False)

    def _other_pass(self, step: int) -> bool:
        """Whether forward mode has a pass ``step`` (±1) away from the one shown."""
        d = self.document
        if d.mode != "forward" or d.forward_run is None:
            return False
        return 0 <= d.forward_pass + step < len(d.forward_run)

    def skip_to_results(self) -> None:
        """Forward mode: every pass is computed; show the last one's end (where every
        derivative and the comparison with reverse mode are)."""
        d = self.document
        if d.mode != "forward" or d.forward_run is None or not len(d.forward_run):
            return
        self.pause()
        d.forward_run.passes()
        d.set_forward_pass(len(d.forward_run) - 1)
        self.go_to(self.last, animate=False)

    def home(self) -> None:
        self.pause()
        self.go_to(0, animate=False)

    def end(self) -> None:
        self.pause()
        self.go_to(self.last, animate=False)

    def go_to(self, index: int, animate: bool = True) -> None:
        """Show step ``index``; one stop away it animates, further it jumps."""
        if self.timeline is None:
            return
        self.finish()
        index = max(0, min(index, self.last))
        old = self.index
        if index == old:
            return
        stops = self.stops()
        at, to = bisect.bisect_left(stops, old), bisect.bisect_left(stops, index)
        adjacent = (at < len(stops) and stops[at] == old and to < len(stops)
                    and stops[to] == index and abs(at - to) == 1)
        if animate and adjacent and self.animations_enabled and self.scene is not None:
            self._animate(old, index)  # the scene shows ``index`` when it is done
        self.document.set_step(index)

    def finish(self) -> None:
        """End a running animation now, drawing its end state."""
        if self.animating:
            self._animation.stop()
            self._on_finished()

    # --- playing --------------------------------------------------------------------------
    def toggle_play(self) -> None:
        self.pause() if self._playing else self.play()

    def play(self) -> None:
        if self.timeline is None:
            return
        if self.index >= self.last:
            self.go_to(0, animate=False)
        self._playing = True
        self.playingChanged.emit(True)
        self._play_tick()

    def pause(self) -> None:
        self._play_timer.stop()
        if self._playing:
            self._playing = False
            self.playingChanged.emit(False)

    def _play_tick(self) -> None:
        if not self._playing:
            return
        self.next()
        if self.index >= self.last:
            self.pause()
        else:
            self._play_timer.start(int((self.duration_ms() + PLAY_PAUSE_MS) / self.speed))

    def duration_ms(self) -> int:
        return int(BASE_DURATION_MS / self.speed)

    # --- animation ------------------------------------------------------------------------
    def _animate(self, old: int, new: int) -> None:
        """Dots travel the edges of the steps between ``old`` and ``new``; then the scene
        shows ``new``. Forward steps send them parent -> child (the value flows in),
        backward steps child -> parent (the gradient flows back). Going back, the scene
        shows ``new`` first and the dots run the other way."""
        forward = new > old
        lo, hi = min(old, new), max(old, new)
        moves = []  # (edge item, backward?)
        for step in self.timeline.steps[lo:hi]:
            if isinstance(step, BackwardStep):
                moves.append((step.edge, True))
            elif step.phase == "forward":  # a ForwardStep, or a DualStep
                moves += [((src, step.node, port), False) for port, src in enumerate(step.inputs)]
        moves = [(self._edge(key), back) for key, back in moves]
        moves = [(e, back) for e, back in moves if e is not None]
        if not moves:  # the seed: nothing travels
            self.scene.show_step(new)
            return
        if not forward:
            self.scene.show_step(new)

        def frame(t: float) -> None:
            t = t if forward else 1.0 - t
            for edge, back in moves:
                (edge.set_pulse if back else edge.set_pulse_forward)(t)

        def done() -> None:
            for edge, back in moves:
                (edge.set_pulse if back else edge.set_pulse_forward)(None)
            if forward:
                self.scene.show_step(new)
        self._start(frame, done)

    def _edge(self, key: tuple[str, str, int]):
        try:
            return self.scene.edge_item(*key)
        except KeyError:
            return None

    def _start(self, frame, done) -> None:
        if self._animation is None:
            from PySide6.QtCore import QEasingCurve, QVariantAnimation

            self._animation = QVariantAnimation(self)
            self._animation.setStartValue(0.0)
            self._animation.setEndValue(1.0)
            self._animation.setEasingCurve(QEasingCurve.Type.InOutQuad)
            self._animation.valueChanged.connect(self._on_frame)
            self._animation.finished.connect(self._on_finished)
        self._frame = (frame, done)
        self._animation.setDuration(max(1, self.duration_ms()))
        self._animation.start()

    def _on_frame(self, t) -> None:
        if self._frame is not None:
            self._frame[0](float(t))

    def _on_finished(self) -> None:
        if self._frame is not None:
            _, done = self._frame
            self._frame = None
            done()
