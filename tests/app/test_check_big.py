"""Ctrl+K on a big graph never freezes the window: the check runs in a worker thread
behind a progress dialog that counts the inputs, Cancel gives it up with the document as
it was, and the check's error is the dialog's message. A small check runs at once."""
import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from gradviz.app import check_dialog
from gradviz.app.background import WorkCancelled
from gradviz.core.check import check_gradients
from gradviz.core.errors import EvaluationError
from tests.windows import open_main_window

INPUTS = 20


def _program(neurons: int, inputs: int) -> str:
    """A chain of ``neurons`` tanh units (8 nodes each) fed by ``inputs`` inputs in turn."""
    lines = [f"x{i} = {0.1 * (i % 7) - 0.3:.2f}" for i in range(inputs)]
    last = "x0"
    for i in range(neurons):
        lines.append(f"h{i} = tanh({last} * 0.3 + x{i % inputs} * -0.2 + 0.1)")
        last = f"h{i}"
    return "\n".join(lines + [f"loss = ({last} - 1) ** 2"]) + "\n"


@pytest.fixture
def big(qtbot):
    w = open_main_window(qtbot, _program(300, INPUTS), "big")  # 2,424 nodes
    assert len(w.document.graph) * INPUTS >= check_dialog.BIG_CHECK
    yield w
    w.document.undo_stack.setClean()


def _progress_dialogs() -> list[QProgressDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]


def _while_checking(look) -> QTimer:
    """A timer calling ``look(progress_dialog)`` while the check's dialog is up (the test
    is blocked in ``check_gradients`` meanwhile); the caller stops it."""
    timer = QTimer()
    timer.setInterval(10)

    def poll():
        dialog = next((d for d in _progress_dialogs() if d.isVisible()), None)
        if dialog is not None:
            look(dialog)

    timer.timeout.connect(poll)
    timer.start()
    return timer


def test_cancelling_a_big_check_leaves_the_document_as_it_was(big, qtbot, monkeypatch):
    w, d = big, big.document
    release, finished = threading.Event(), threading.Event()
    stopped = []

    def check(graph, grads=None, progress=None):
        def told(done, total):
            progress(done, total)
            if done == 2:
                release.wait(30)  # held at input 3 until the test has looked and cancelled
        try:
            return check_gradients(graph, use_torch=False, grads=grads, progress=told)
        except WorkCancelled:
            stopped.append(True)
            raise
        finally:
            finished.set()

    monkeypatch.setattr(check_dialog, "run_check", check)
    seen = {}

    def look(dialog):
        if "input 3 of" not in dialog.labelText():
            return
        timer.stop()
        seen.update(label=dialog.labelText(), bar=(dialog.value(), dialog.maximum()),
                    modal=dialog.windowModality(), title=dialog.windowTitle())
        qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
        release.set()

    graph, undo = d.graph, (d.undo_stack.count(), d.undo_stack.index())
    timer = _while_checking(look)
    try:
        assert w.check_gradients() is None  # no check dialog
    finally:
        timer.stop()
        release.set()
    assert seen == {"label": f"Checking gradients: input 3 of {INPUTS}…", "bar": (2, INPUTS),
                    "modal": Qt.WindowModality.WindowModal, "title": "Check gradients"}
    assert not _progress_dialogs() and w.findChild(check_dialog.CheckDialog) is None
    assert d.graph is graph and (d.undo_stack.count(), d.undo_stack.index()) == undo
    assert "cancelled" in w.statusBar().currentMessage()
    qtbot.waitUntil(finished.is_set)
    assert stopped == [True]  # the worker stopped at its next report, not after 20 inputs


def test_an_error_in_a_big_check_is_the_dialogs_message(big, monkeypatch):
    threads = []
    error = EvaluationError("log", (0.0,), "log of 0 is not finite")

    def check(graph, grads=None, progress=None):
        threads.append(threading.current_thread())
        progress(0, INPUTS)
        raise error

    monkeypatch.setattr(check_dialog, "run_check", check)
    dialog = big.check_gradients()
    assert threads and threads[0] is not threading.main_thread()  # it ran in the worker
    assert dialog.summary.text() == f"Cannot check this graph: {error}"
    assert dialog.table.rowCount() == 0
    assert not _progress_dialogs()
    dialog.close()


def test_a_big_check_gives_the_same_dialog_as_a_small_one(window, monkeypatch):
    threads = []

    def check(graph, grads=None, progress=None):
        threads.append(threading.current_thread())
        return check_gradients(graph, use_torch=False, grads=grads, progress=progress)

    monkeypatch.setattr(check_dialog, "run_check", check)
    small = window.check_gradients()  # the notebook: at once, on the GUI thread
    assert threads == [threading.main_thread()]
    monkeypatch.setattr(check_dialog, "BIG_CHECK", 1)  # the same check, as a big one
    big = window.check_gradients()
    assert threads[1] is not threading.main_thread()
    rows = [[[d.table.item(r, c).text() for c in range(5)] for r in range(d.table.rowCount())]
            for d in (small, big)]
    assert rows[0] == rows[1] and len(rows[0]) == 2
    assert small.summary.text() == big.summary.text()
    assert not _progress_dialogs()
    small.close()
    big.close()
