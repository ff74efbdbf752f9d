"""Opening a big document does not freeze the window, and can be cancelled (issue 14,
item 5): the file is read and run, and the graph laid out, while the event loop keeps
turning behind a progress dialog; the drawing and the panels let it turn as they go;
Cancel at any of these keeps the document on screen."""
from __future__ import annotations

import threading

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressDialog

from gradviz.app import opening
from gradviz.app.launch import make_window
from gradviz.core import fileformat, language
from gradviz.core.document import GraphDocument


def _setup(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "big.gradviz"
    fileformat.write(path, GraphDocument(language.parse("p = 4\nq = p * p\n")))
    monkeypatch.setattr(opening, "BIG_BYTES", 1)  # this small file counts as big
    release = threading.Event()
    real = fileformat.read
    monkeypatch.setattr(fileformat, "read",
                        lambda p: release.wait(2.0) and False or real(p))  # a slow disk
    w = make_window(language.parse("a = 1"), "a = 1", "start")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    ticks = []
    timer = QTimer(w)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    return w, path, release, ticks, timer


def _dialog(w) -> QProgressDialog | None:
    found = [d for d in w.findChildren(QProgressDialog) if d.isVisible()]
    return found[0] if found else None


def test_cancelling_a_slow_read_keeps_the_document_and_the_loop_turns(qtbot, tmp_path,
                                                                      monkeypatch):
    w, path, release, ticks, timer = _setup(qtbot, tmp_path, monkeypatch)
    seen = []

    def cancel():
        d = _dialog(w)
        seen.append(d is not None and "big.gradviz" in d.labelText())
        if d is not None:
            d.cancel()

    QTimer.singleShot(300, cancel)
    try:
        assert not w.file_actions.open_file(path)
    finally:
        release.set()
        timer.stop()
    assert seen == [True]
    assert len(ticks) >= 3  # the window went on answering while the file was read (0 when blocked)
    assert w.document.name == "start" and w.document.program.startswith("a = 1")


def test_a_slow_read_left_alone_opens_the_document(qtbot, tmp_path, monkeypatch):
    w, path, release, ticks, timer = _setup(qtbot, tmp_path, monkeypatch)
    QTimer.singleShot(200, release.set)
    try:
        assert w.file_actions.open_file(path)
    finally:
        release.set()
        timer.stop()
    assert len(ticks) >= 3
    assert w.document.name == "big.gradviz" and _dialog(w) is None
    assert w.document.evaluation.values[w.document.graph.by_label("q")] == 16


def _drawing_setup(qtbot, tmp_path, monkeypatch):
    from gradviz.render import scene

    path = tmp_path / "wide.gradviz"
    fileformat.write(path, GraphDocument(language.parse("p = 4\nq = p * p\nr = q + p\n")))
    monkeypatch.setattr(opening, "BIG_NODES", 1)  # this graph counts as big
    monkeypatch.setattr(opening, "SHOWN_EVERY_S", 0.0)  # every report shown
    monkeypatch.setattr(scene, "PROGRESS_EVERY", 1)
    w = make_window(language.parse("a = 1\nb = a + 2\n"), "a = 1\nb = a + 2\n", "start")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w, path


def test_cancelling_the_drawing_of_a_big_graph_puts_the_document_back(qtbot, tmp_path,
                                                                      monkeypatch):
    w, path = _drawing_setup(qtbot, tmp_path, monkeypatch)
    before = w.document.graph.signature()
    said = []

    def cancel():
        d = _dialog(w)
        said.append(d.labelText() if d else None)
        if d is not None:
            d.cancel()

    QTimer.singleShot(0, cancel)
    assert not w.file_actions.open_file(path)
    assert said and said[0].startswith("Drawing 3 nodes")
    assert w.document.name == "start" and w.document.graph.signature() == before
    assert sorted(i.node.label for i in w.scene.node_items()) == ["2", "a", "b"]
    assert _dialog(w) is None and not w.document.modified


def test_a_big_graph_is_drawn_behind_a_progress_dialog_that_says_how_far(qtbot, tmp_path,
                                                                       monkeypatch):
    w, path = _drawing_setup(qtbot, tmp_path, monkeypatch)
    said = []
    ticks = QTimer(w)
    ticks.timeout.connect(lambda: said.append(_dialog(w) and _dialog(w).labelText()))
    ticks.start(0)
    try:
        assert w.file_actions.open_file(path)
    finally:
        ticks.stop()
    assert any(s and "laying out" in s for s in said)
    assert any(s and "drawing the edges" in s for s in said)
    assert sorted(i.node.label for i in w.scene.node_items()) == ["p", "q", "r"]
    assert _dialog(w) is None


def _ticking(w) -> list:
    """Ticks of a timer that runs whenever the event loop turns (none while it is blocked)."""
    ticks = []
    timer = QTimer(w)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    return ticks


def test_a_big_document_is_read_and_run_off_the_windows_thread(qtbot, tmp_path, monkeypatch):
    from gradviz.app import file_actions

    w, path, release, ticks, timer = _setup(qtbot, tmp_path, monkeypatch)
    release.set()
    ran_in = []
    real = file_actions.run_graph
    monkeypatch.setattr(file_actions, "run_graph",
                        lambda graph: ran_in.append(threading.current_thread()) or real(graph))
    try:
        assert w.file_actions.open_file(path)
    finally:
        timer.stop()
    assert ran_in and ran_in[0] is not threading.main_thread()
    assert w.document.evaluation.values[w.document.graph.by_label("q")] == 16


def _slow_layout(monkeypatch):
    """The scene's layout, made to wait (in whatever thread runs it) until released."""
    from gradviz.render import scene

    release, ran_in = threading.Event(), []
    real = scene.layered_layout

    def slow(*args, **kwargs):
        ran_in.append(threading.current_thread())
        release.wait(5.0)
        return real(*args, **kwargs)

    monkeypatch.setattr(scene, "layered_layout", slow)
    return release, ran_in


def test_a_big_graph_is_laid_out_while_the_window_goes_on(qtbot, tmp_path, monkeypatch):
    w, path = _drawing_setup(qtbot, tmp_path, monkeypatch)
    release, ran_in = _slow_layout(monkeypatch)
    ticks = _ticking(w)
    said = []

    def watch():
        d = _dialog(w)
        said.append(d.labelText() if d else None)
        if said[-1] and "laying out" in said[-1] and len(ticks) >= 3:
            release.set()  # the window turned while the layout waited
        elif not release.is_set():
            QTimer.singleShot(10, watch)

    QTimer.singleShot(0, watch)
    try:
        assert w.file_actions.open_file(path)
    finally:
        release.set()
    assert ran_in and ran_in[0] is not threading.main_thread()
    assert any(s and "laying out" in s for s in said)
    assert sorted(i.node.label for i in w.scene.node_items()) == ["p", "q", "r"]
    assert _dialog(w) is None


def _cancel_when_it_says(w, words: str, said: list) -> list:
    """Press the drawing dialog's Cancel as soon as it says ``words`` (what it says is
    kept in ``said``); the list returned stops the watching once appended to."""
    done: list[bool] = []

    def cancel():
        d = _dialog(w)
        said.append(d.labelText() if d else None)
        if d is not None and words in d.labelText():
            d.cancel()
        elif not done:
            QTimer.singleShot(5, cancel)

    QTimer.singleShot(0, cancel)
    return done


def test_cancelling_while_a_big_graph_is_laid_out_puts_the_document_back(qtbot, tmp_path,
                                                                        monkeypatch):
    w, path = _drawing_setup(qtbot, tmp_path, monkeypatch)
    before = w.document.graph.signature()
    release, _ = _slow_layout(monkeypatch)
    done = _cancel_when_it_says(w, "laying out", [])
    try:
        assert not w.file_actions.open_file(path)
    finally:
        release.set()  # the abandoned layout finishes on its own; its result is dropped
        done.append(True)
    assert w.document.name == "start" and w.document.graph.signature() == before
    assert sorted(i.node.label for i in w.scene.node_items()) == ["2", "a", "b"]
    assert _dialog(w) is None and not w.document.modified


def test_the_panels_follow_a_big_graph_with_the_window_going_on_and_can_be_cancelled(
        qtbot, tmp_path, monkeypatch):
    w, path = _drawing_setup(qtbot, tmp_path, monkeypatch)
    before = w.document.graph.signature()
    said: list[str | None] = []
    done = _cancel_when_it_says(w, "filling the panels", said)
    try:
        assert not w.file_actions.open_file(path)
    finally:
        done.append(True)
    assert any(s and "filling the panels" in s for s in said)
    assert w.document.name == "start" and w.document.graph.signature() == before
    assert sorted(w.values_table.values.labels) == ["2", "a", "b"]
    assert _dialog(w) is None and not w.document.modified


def test_no_full_collection_while_a_big_graph_opens_and_one_once_it_is_open(
        qtbot, tmp_path, monkeypatch):
    import gc

    w, path = _drawing_setup(qtbot, tmp_path, monkeypatch)
    before = gc.get_threshold()
    during, full, done = [], [], []

    def watch():
        if done:
            return
        if _dialog(w) is not None:
            during.append(gc.get_threshold())
        QTimer.singleShot(0, watch)

    def count(phase, info):
        if phase == "start" and info["generation"] == 2:
            full.append(_dialog(w) is None)

    QTimer.singleShot(0, watch)
    gc.callbacks.append(count)
    try:
        assert w.file_actions.open_file(path)
    finally:
        gc.callbacks.remove(count)
        done.append(True)
    assert during and all(t[:2] == before[:2] and t[2] > 10**6 for t in during)
    assert gc.get_threshold() == before
    assert full and all(full)  # a full collection once the dialog was gone, none before
