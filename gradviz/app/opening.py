"""Opening a big document without freezing the window: reading it, then drawing it.

A document near the 20 MB limit takes seconds to read and check (about 5 s for a
100,000-node fan-out). Past `BIG_BYTES` it is read in a worker thread while the window
shows a progress dialog whose Cancel button gives up the opening: the document on
screen stays as it was, and the thread's result, when it comes, is dropped. The
reader touches no Qt object, so it is safe off the GUI thread (`background.run_cancellably`,
as for a big gradient check). Drawing a graph of `BIG_NODES` or more shows a second
dialog, fed by the scene's build (`DrawingProgress`).
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from ..render.scene import BuildCancelled
from .background import run_cancellably

BIG_BYTES = 1_000_000
"""Files at least this big are read with a progress dialog (smaller ones take well
under a second)."""

T = TypeVar("T")


def read_cancellably(parent: QWidget, path: Path, read: Callable[[Path], T]):
    """``read(path)``, in a worker thread behind a cancellable progress dialog when the
    file is big; its result, or `CANCELLED`. The reader's exception is raised here."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return run_cancellably(parent, lambda _progress: read(path), big=size >= BIG_BYTES,
                           title="Opening",
                           text=f"Reading {path.name} ({size / 1e6:.1f} MB)…")


BIG_NODES = 20_000
"""Graphs at least this big are drawn behind a progress dialog (about 5 s and more)."""
SHOWN_EVERY_S = 0.1


def drawn_with_progress(graph) -> bool:
    """Whether drawing ``graph`` takes long enough for a `DrawingProgress`."""
    return len(graph) >= BIG_NODES


class DrawingProgress:
    """A cancellable progress dialog while ``scene`` draws a graph of ``nodes`` nodes.

    ``with DrawingProgress(window, scene, n) as progress: …`` — the scene reports its
    build to it (`GraphScene.build_progress`); at each report the dialog is updated and
    the event loop turns (the window repaints; the dialog is window-modal, so nothing
    else in the window takes input). Cancel stops the build (`BuildCancelled`) and
    sets ``cancelled``: the caller then puts the previous document back.
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
        self.scene.build_progress = self.report
        self.dialog.show()
        QApplication.processEvents()  # shown before the work starts
        return self

    def __exit__(self, *exc) -> bool:
        self.scene.build_progress = None
        _discard(self.dialog)
        return False

    def report(self, stage: str, done: float) -> None:
        """The scene's report: shown at most every `SHOWN_EVERY_S`; raises
        `BuildCancelled` once the user has cancelled."""
        now = time.monotonic()
        if now - self._shown >= SHOWN_EVERY_S:
            self._shown = now
            self.dialog.setLabelText(f"Drawing {self.nodes:,} nodes: {stage}…")
            self.dialog.setValue(round(done * 100))
            QApplication.processEvents()
        if self.dialog.wasCanceled():
            self.cancelled = True
            raise BuildCancelled()


def _discard(dialog: QProgressDialog) -> None:
    """Close and delete ``dialog`` now, not at some later turn of an outer loop: the
    style animates a busy bar until the bar is deleted."""
    dialog.close()
    dialog.deleteLater()
    QCoreApplication.sendPostedEvents(dialog, QEvent.Type.DeferredDelete)
