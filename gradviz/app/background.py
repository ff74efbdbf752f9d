"""Running a long, pure job without freezing the window: in a worker thread, behind a
cancellable progress dialog.

`run_cancellably(parent, work, …)` calls ``work(progress)`` in a worker thread while a
window-modal progress dialog shows what the job tells ``progress`` ("input 3 of 20"),
polled by a timer on the GUI thread. The job touches no Qt object: it only calls
``progress(done, total)``, which stores a pair under a lock (and, once the user has
cancelled, raises `WorkCancelled` so that the job stops early instead of running on
unseen). Cancel gives up the job, which returns `CANCELLED`; the worker's result, when
it comes, is dropped. The worker's exception is raised on the GUI thread. A small job
(``big`` false) is run directly, with no thread and no dialog, so it stays instant.
"""
from __future__ import annotations

import threading
from typing import Callable, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

POLL_MS = 50
CANCELLED = object()
"""What `run_cancellably` returns when the user cancelled."""

T = TypeVar("T")


class WorkCancelled(Exception):
    """Raised in the worker by `Progress` once the user has cancelled: the job stops."""


class Progress:
    """How far the job has got, told from the worker thread and read by the GUI thread.

    The job calls it: ``progress(done, total)``. It is plain Python, safe from any thread.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count: tuple[int, int] | None = None
        self._cancelled = threading.Event()

    def __call__(self, done: int, total: int) -> None:
        if self._cancelled.is_set():
            raise WorkCancelled()
        with self._lock:
            self._count = (done, total)

    def count(self) -> tuple[int, int] | None:
        """The last (done, total) told, or None before the first."""
        with self._lock:
            return self._count

    def cancel(self) -> None:
        """Make the job's next report raise `WorkCancelled`."""
        self._cancelled.set()


def run_cancellably(parent: QWidget | None, work: Callable[[Progress], T], *, big: bool,
                    title: str, text: str,
                    counted: Callable[[int, int], str] | None = None) -> T | object:
    """``work(progress)``'s result, or `CANCELLED` if the user cancelled.

    When ``big``, the job runs in a worker thread behind a window-modal progress dialog
    titled ``title`` and saying ``text`` (a busy bar) until the job's first report, then
    ``counted(done, total)`` over a bar of ``total`` steps. Otherwise it runs here and now.
    The job's exception is raised here, on the GUI thread.
    """
    progress = Progress()
    if not big:
        return work(progress)
    dialog = QProgressDialog(text, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)  # the loop below decides when it closes
    dialog.setAutoReset(False)
    shown: tuple[int, int] | None = None

    def poll() -> None:
        nonlocal shown
        count = progress.count()
        if count is not None and count != shown:
            shown = count
            done, total = count
            dialog.setRange(0, max(total, 1))
            dialog.setValue(min(done, total))
            if counted is not None:
                dialog.setLabelText(counted(done, total))

    dialog.show()
    future = wait_in_worker(lambda: work(progress), dialog, poll)
    discard(dialog)
    if future is None:
        progress.cancel()  # the job stops at its next report
        return CANCELLED
    return future.result()


def wait_in_worker(work: Callable[[], T], dialog: QProgressDialog,
                   poll: Callable[[], None] | None = None):
    """``work()`` started in a worker thread, the event loop turning until it is done
    or ``dialog`` (shown by the caller) is cancelled, and ``poll`` called every
    `POLL_MS` meanwhile (to show how far the work is). The work's
    `concurrent.futures.Future` when it is done, None when the user cancelled (the
    work then finishes on its own, and nobody waits for it). ``work`` touches no Qt
    object."""
    from concurrent.futures import ThreadPoolExecutor  # only for a big job: start-up

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gradviz-work")
    future = pool.submit(work)
    pool.shutdown(wait=False)  # the thread ends with the work
    loop = QEventLoop()
    timer = QTimer(dialog)
    timer.setInterval(POLL_MS)

    # Polled, not signalled: the worker must not touch Qt, and cancel() (the button's
    # slot, also Escape's) sets wasCanceled without emitting canceled.
    def check() -> None:
        if future.done() or dialog.wasCanceled():
            loop.quit()
        elif poll is not None:
            poll()

    timer.timeout.connect(check)
    timer.start()
    if not future.done():
        loop.exec()
    timer.stop()
    return None if dialog.wasCanceled() else future


def discard(dialog: QProgressDialog) -> None:
    """Close and delete ``dialog`` now, not at some later turn of an outer loop: the
    style animates a busy bar until the bar is deleted."""
    dialog.close()
    dialog.deleteLater()
    QCoreApplication.sendPostedEvents(dialog, QEvent.Type.DeferredDelete)
