"""Opening a big document does not freeze the window, and can be cancelled (issue 14,
item 5): the file is read while the event loop keeps turning behind a progress dialog;
Cancel keeps the document on screen."""
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
