"""Reading a big document without freezing the window.

A document near the 20 MB limit takes seconds to read and check (about 5 s for a
100,000-node fan-out). Past `BIG_BYTES` it is read in a worker thread while the window
shows a progress dialog whose Cancel button gives up the opening: the document on
screen stays as it was, and the thread's result, when it comes, is dropped. The
reader touches no Qt object, so it is safe off the GUI thread.
"""
from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable, TypeVar

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

BIG_BYTES = 1_000_000
"""Files at least this big are read with a progress dialog (smaller ones take well
under a second)."""
POLL_MS = 50
CANCELLED = object()
"""What `read_cancellably` returns when the user cancelled."""

T = TypeVar("T")


def read_cancellably(parent: QWidget, path: Path, read: Callable[[Path], T]):
    """``read(path)``, in a worker thread behind a cancellable progress dialog when the
    file is big; its result, or `CANCELLED`. The reader's exception is raised here."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size < BIG_BYTES:
        return read(path)
    dialog = QProgressDialog(f"Reading {path.name} ({size / 1e6:.1f} MB)…", "Cancel", 0, 0,
                             parent)
    dialog.setWindowTitle("Opening")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gradviz-read")
    future: Future = pool.submit(read, path)
    loop = QEventLoop()
    timer = QTimer(dialog)
    timer.setInterval(POLL_MS)
    # Polled, not signalled: the worker must not touch Qt, and cancel() (the button's
    # slot, also Escape's) sets wasCanceled without emitting canceled.
    timer.timeout.connect(
        lambda: loop.quit() if future.done() or dialog.wasCanceled() else None)
    timer.start()
    dialog.show()
    if not future.done():
        loop.exec()
    timer.stop()
    cancelled = dialog.wasCanceled()
    dialog.close()
    dialog.deleteLater()
    pool.shutdown(wait=False)  # a cancelled read finishes on its own; nobody waits
    if cancelled:
        return CANCELLED
    return future.result()
