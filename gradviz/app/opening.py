"""Opening a big document without freezing the window: reading it, then drawing it.

A document near the 20 MB limit takes seconds to read, check and run (about 10 s for a
100,000-node fan-out). Past `BIG_BYTES` that is done in a worker thread while the window
shows a progress dialog whose Cancel button gives up the opening: the document on
screen stays as it was, and the thread's result, when it comes, is dropped. The worker
touches no Qt object, so it is safe off the GUI thread (`background.run_cancellably`, as
for a big gradient check). Drawing a graph of `BIG_NODES` or more shows a second
dialog, fed by the scene's build (`DrawingProgress`): the build reports as it makes its
items, and hands its laying out, which touches no Qt object either, to a worker thread
while that dialog keeps the window going.

While a big document opens, Python's cycle collector makes no full collection until it
is open (`collector_paused`).
"""
from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from ..render.scene import BuildCancelled
from .background import discard, run_cancellably, wait_in_worker

BIG_BYTES = 1_000_000
"""Files at least this big are read with a progress dialog (smaller ones take well
under a second)."""

T = TypeVar("T")


def is_big_file(path: Path, big: int | None = None) -> bool:
    """Whether ``path`` is read behind a progress dialog: ``big`` bytes or more
    (default `BIG_BYTES`)."""
    try:
        return path.stat().st_size >= (BIG_BYTES if big is None else big)
    except OSError:
        return False


def read_cancellably(parent: QWidget, path: Path, read: Callable[[Path], T],
                     big: int | None = None):
    """``read(path)``, in a worker thread behind a cancellable progress dialog when the
    file is big (see `is_big_file`); its result, or `background.CANCELLED`. The reader's
    exception is raised here. ``read`` must touch no Qt object."""
    size = path.stat().st_size if is_big_file(path, big) else 0
    return run_cancellably(parent, lambda _progress: read(path), big=bool(size),
                           title="Opening", text=f"Reading {path.name} ({size / 1e6:.1f} MB)…")


@contextmanager
def collector_paused():
    """No full collection of Python's cycle collector while a big document opens, and
    one when it is open (the young generations are collected as usual throughout).

    A 100,000-node document leaves 1.6 million objects the collector tracks (most of
    them the graph's attribute dicts, which networkx keeps in reference cycles); as
    they were made, a full collection walked all of them again each time a quarter
    more had come (17 while a 50,000-way fan-out opened, 0.3 to 1.5 s each, the window
    still for every one). Deferred to the end, there is one, of the finished heap
    (1.3 to 1.8 s at 100,000 nodes on a busy 2-core machine), and the opening takes a
    sixth less time. Freezing them out of the collector's passes instead (`gc.freeze`)
    would have left no pause at all, but would never free the document they belong to
    once another is opened (350 MB a 50,000-node document, measured). Nested uses
    defer to the outermost.
    """
    global _paused
    _paused += 1
    thresholds = gc.get_threshold()
    if _paused == 1:
        # A full collection comes after this many collections of the middle generation.
        gc.set_threshold(thresholds[0], thresholds[1], 2**30)
    try:
        yield
    finally:
        _paused -= 1
        if _paused == 0:
            gc.set_threshold(*thresholds)
            if gc.isenabled():
                gc.collect()


_paused = 0  # how many openings defer the collector's full collections now


BIG_NODES = 2_000
"""Graphs at least this big are drawn behind a progress dialog (half a second and more;
10,000 nodes took 3 s)."""
SHOWN_EVERY_S = 0.1


def drawn_with_progress(graph) -> bool:
    """Whether drawing ``graph`` takes long enough for a `DrawingProgress`."""
    return len(graph) >= BIG_NODES


class DrawingProgress:
    """A cancellable progress dialog while ``scene`` draws a graph of ``nodes`` nodes.

    ``with DrawingProgress(window, scene, n) as progress: …`` — the scene reports its
    build to it (`GraphScene.build_progress`); at each report the dialog is updated and
    the event loop turns (the window repaints; the dialog is window-modal, so nothing
    else in the window takes input), and what the build computes without Qt (its
    layout) runs in a worker thread while the loop turns (`compute`). Cancel stops the
    build (`BuildCancelled`) and sets ``cancelled``: the caller then puts the previous
    document back.
    """

    def __init__(self, parent: QWidget, scene, nodes: int) -> None:
        self.scene, self.nodes = scene, nodes
        self.cancelled = False
        self._shown = 0.0
        self.dialog = QProgressDialog(f"Drawing {nodes:,} nodes…", "Cancel", 0, 100, parent)
        self.dialog.setWindowTitle("Opening")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)

    def __enter__(self) -> "DrawingProgress":
        global _drawing
        self.scene.build_progress = self
        _drawing = self
        self.dialog.show()
        QApplication.processEvents()  # shown before the work starts
        return self

    def __exit__(self, *exc) -> bool:
        global _drawing
        self.scene.build_progress = None
        _drawing = None
        self.cancelled = self.cancelled or self.dialog.wasCanceled()  # (in the panels)
        discard(self.dialog)
        return False

    def turn(self) -> None:
        """Let the event loop turn, the drawing done and the panels following: see
        `keep_going` (a few calls in all, each before a tenth of a second of work)."""
        self._show("filling the panels", 1.0)
        QApplication.processEvents()

    def report(self, stage: str, done: float) -> None:
        """The scene's report: shown at most every `SHOWN_EVERY_S`; raises
        `BuildCancelled` once the user has cancelled."""
        now = time.monotonic()
        if now - self._shown >= SHOWN_EVERY_S:
            self._shown = now
            self._show(stage, done)
            QApplication.processEvents()
        self._stop_if_cancelled()

    def compute(self, stage: str, work: Callable[[Callable[[float], None]], T]) -> T:
        """``work(progress)`` run in a worker thread while the event loop turns, the
        dialog showing how far ``progress`` (called from that thread) says it is; its
        result. Raises `BuildCancelled` as soon as the user cancels (the worker then
        finishes on its own, and its result is dropped)."""
        done = [0.0]
        self._show(stage, 0.0)
        future = wait_in_worker(lambda: work(lambda part: done.__setitem__(0, part)),
                                self.dialog, lambda: self._show(stage, done[0]))
        self._stop_if_cancelled()
        return future.result()

    def _show(self, stage: str, done: float) -> None:
        self.dialog.setLabelText(f"Drawing {self.nodes:,} nodes: {stage}…")
        self.dialog.setValue(round(done * 100))

    def _stop_if_cancelled(self) -> None:
        if self.dialog.wasCanceled():
            self.cancelled = True
            raise BuildCancelled()


_drawing: DrawingProgress | None = None
"""The progress dialog of the big graph being drawn now, if any (see `keep_going`)."""


def keep_going() -> None:
    """While a big graph is opened behind a `DrawingProgress`, let the event loop turn;
    else nothing. The panels that follow a new structure call it before their work,
    which takes a tenth of a second or more at 100,000 nodes: one after the other, in
    one emission of the document's signals, they would still the window for a second
    or more. Cancelling meanwhile puts the previous document back once they are done."""
    if _drawing is not None:
        _drawing.turn()
