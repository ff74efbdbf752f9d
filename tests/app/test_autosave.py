"""Autosave: the copy follows the edits within two seconds, once a burst of edits is over,
and a copy is offered back once the process that wrote it is gone, zombies included."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from gradviz.app import autosave
from gradviz.app.launch import NOTEBOOK_PROGRAM, make_window
from gradviz.core import fileformat, language


def _window(qtbot, folder: Path, monkeypatch):
    monkeypatch.setenv("GRADVIZ_AUTOSAVE_DIR", str(folder))
    w = make_window(language.parse(NOTEBOOK_PROGRAM), NOTEBOOK_PROGRAM, "notebook example")
    qtbot.addWidget(w)
    qtbot.wait(10)  # its look for copies left behind
    return w


def _copies(folder: Path) -> list[Path]:
    return sorted(folder.glob("autosave-*.gradviz"))


def _timers_running(window) -> list[QTimer]:
    return [t for t in window.findChildren(QTimer) if t.isActive()]


def _writes(monkeypatch) -> list[str]:
    """The graphs written from now on (by signature), one entry a write."""
    written, write = [], fileformat.write
    monkeypatch.setattr(fileformat, "write",
                        lambda path, doc: written.append(doc.graph.signature())
                        or write(path, doc))
    return written


def test_an_edit_is_copied_within_two_seconds_and_nothing_waits_after(qtbot, tmp_path,
                                                                     monkeypatch):
    w = _window(qtbot, tmp_path, monkeypatch)
    assert _timers_running(w) == []  # nothing changed, nothing scheduled
    w.wiring.add_node("input")
    qtbot.waitUntil(lambda: _copies(tmp_path) != [], timeout=2000)
    [copy] = _copies(tmp_path)
    assert fileformat.read(copy).graph.signature() == w.document.graph.signature()
    assert _timers_running(w) == []
    w.document.undo_stack.undo()  # back to what was opened: the copy has no use
    assert _copies(tmp_path) == [] and _timers_running(w) == []


def test_quick_edits_are_written_once_after_the_last(qtbot, tmp_path, monkeypatch):
    w = _window(qtbot, tmp_path, monkeypatch)
    written = _writes(monkeypatch)
    for _ in range(4):  # together longer than the delay, each gap well within it
        w.wiring.add_node("input")
        qtbot.wait(autosave.DELAY_MS // 3)
    assert written == []
    qtbot.waitUntil(lambda: written != [], timeout=2000)
    assert written == [w.document.graph.signature()]
    assert _timers_running(w) == []  # and no second write to come
    w.document.undo_stack.setClean()


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux's /proc")
def test_the_copy_of_a_process_that_exited_unreaped_is_offered(qtbot, tmp_path, monkeypatch):
    exited = subprocess.Popen(["true"])  # not waited for: it stays a zombie
    running = subprocess.Popen(["sleep", "60"])
    try:
        qtbot.waitUntil(lambda: _state(exited.pid) == "Z", timeout=5000)
        os.kill(exited.pid, 0)  # a zombie is still found this way
        w = _window(qtbot, tmp_path, monkeypatch)
        w.wiring.add_node("input")
        edited = w.document.graph.signature()
        copy = w.autosave.write_now()
        copy.rename(tmp_path / f"autosave-{exited.pid}-1.gradviz")
        live = tmp_path / f"autosave-{running.pid}-1.gradviz"
        live.write_bytes((tmp_path / f"autosave-{exited.pid}-1.gradviz").read_bytes())
        os.utime(live, (0, 0))  # older, so only its being alive can keep it from the offer
        w.document.undo_stack.setClean()
        offered = []
        monkeypatch.setattr(autosave, "ask_restore",
                            lambda parent, when, name: offered.append(name) or True)
        w2 = _window(qtbot, tmp_path, monkeypatch)
        qtbot.waitUntil(lambda: bool(offered), timeout=2000)
        assert offered == ["notebook example"]
        assert w2.document.graph.signature() == edited
        assert live.exists()  # a running process's copy is neither offered nor removed
        w2.document.undo_stack.setClean()
    finally:
        running.kill()
        running.wait()
        exited.wait()
