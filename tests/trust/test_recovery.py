"""Recovery after kill -9 (issue 14, item 2): every crashed copy is offered, none is
deleted unread, a declined copy stays until the document is next saved, and a copy that
cannot be read is kept aside and named."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from gradviz.app import autosave
from gradviz.app.launch import make_window
from gradviz.core import fileformat, language

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="kill -9 and /proc are Linux's")

CHILD = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from gradviz.app import autosave
autosave.ask_restore = lambda *args: False  # a copy of the other child is not for us
from gradviz.app.launch import make_window
from gradviz.core import language
program, name = sys.argv[1], sys.argv[2]
w = make_window(language.parse(program), program, name)
w.show()
QTimer.singleShot(50, lambda: w.wiring.add_node("input"))  # an edit: unsaved work
def ready():
    if w.autosave.path.exists():
        print("written", ",".join(sorted(n.label for n in w.document.graph.nodes())),
              flush=True)
    else:
        QTimer.singleShot(50, ready)
QTimer.singleShot(100, ready)
app.exec()
"""


def _crashed_run(folder: Path, program: str, name: str) -> str:
    """A real gradviz process editing ``program``, killed with SIGKILL once its copy is
    written; the labels of the graph it had."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GRADVIZ_SETTINGS="memory",
               GRADVIZ_AUTOSAVE_DIR=str(folder),
               PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    child = subprocess.Popen([sys.executable, "-c", CHILD, program, name], env=env,
                             stdout=subprocess.PIPE, text=True)
    try:
        said, labels = child.stdout.readline().split()
        assert said == "written"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    return labels


def _labels(window) -> str:
    return ",".join(sorted(n.label for n in window.document.graph.nodes()))


def _window(qtbot, folder: Path, monkeypatch):
    monkeypatch.setenv("GRADVIZ_AUTOSAVE_DIR", str(folder))
    w = make_window(language.parse("z = 1"), "z = 1", "start")
    qtbot.addWidget(w)
    return w


def _two_crashes(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    folder = tmp_path / "autosave"
    had = {"first": _crashed_run(folder, "a = 2\nb = a * 3\n", "first"),
           "second": _crashed_run(folder, "p = 5\nq = p + 1\n", "second")}
    assert len(list(folder.glob("autosave-*.gradviz"))) == 2
    return folder, had


def test_two_documents_killed_are_both_offered_and_both_restored(qtbot, tmp_path,
                                                                monkeypatch):
    folder, had = _two_crashes(tmp_path)
    offered = []
    monkeypatch.setattr(autosave, "ask_restore",
                        lambda parent, when, name: offered.append(name) or True)
    w = _window(qtbot, folder, monkeypatch)
    qtbot.waitUntil(lambda: len(offered) == 2, timeout=5000)
    assert sorted(offered) == ["first", "second"]
    windows = w.autosave.restored
    assert len(windows) == 2 and windows[0] is w
    for other in windows[1:]:
        qtbot.addWidget(other)
    assert {x.document.name: _labels(x) for x in windows} == had  # the edits included
    assert all(x.document.modified for x in windows)  # restored work is not saved yet
    names = sorted(had)
    # Each restored document has its own new copy, and the crashed ones are gone.
    copies = sorted(folder.glob("autosave-*.gradviz"))
    assert len(copies) == 2
    assert sorted(fileformat.read(c).view["autosave_name"] for c in copies) == names
    for x in windows:
        x.document.undo_stack.setClean()


def test_copies_declined_stay_until_the_document_is_saved(qtbot, tmp_path, monkeypatch):
    folder, _ = _two_crashes(tmp_path)
    offered = []
    monkeypatch.setattr(autosave, "ask_restore",
                        lambda parent, when, name: offered.append(name) and False)
    w = _window(qtbot, folder, monkeypatch)
    qtbot.waitUntil(lambda: len(offered) == 2, timeout=5000)
    kept = sorted(folder.glob("autosave-*.gradviz"))
    assert len(kept) == 2  # declined, not deleted
    assert sorted(fileformat.read(k).view["autosave_name"] for k in kept) == \
        ["first", "second"]
    w2 = _window(qtbot, folder, monkeypatch)  # a second window of this run: not again
    qtbot.wait(50)
    assert len(offered) == 2 and w2.autosave.restored == []
    assert w.file_actions.write_to(tmp_path / "saved.gradviz")
    assert list(folder.glob("autosave-*.gradviz")) == []


def test_an_unreadable_copy_is_kept_aside_and_named_and_the_others_offered(
        qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "autosave"
    good = _crashed_run(folder, "a = 2\nb = a * 3\n", "first")
    gone = subprocess.Popen(["true"])
    gone.wait()
    broken = folder / f"autosave-{gone.pid}-1.gradviz"
    broken.write_text("{ not json")  # the newest copy, and unreadable
    offered, told = [], []
    monkeypatch.setattr(autosave, "ask_restore",
                        lambda parent, when, name: offered.append(name) or True)
    monkeypatch.setattr(autosave, "tell_kept_aside", lambda parent, paths: told.extend(paths))
    w = _window(qtbot, folder, monkeypatch)
    qtbot.waitUntil(lambda: bool(told), timeout=5000)
    assert offered == ["first"]
    [aside] = told
    assert aside.exists() and aside.name == f"{broken.name}.unreadable"
    assert aside.read_text() == "{ not json"
    assert w.document.name == "first" and _labels(w) == good
    w.document.undo_stack.setClean()


def test_a_copy_declined_run_after_run_keeps_a_name_of_the_same_length(qtbot, tmp_path,
                                                                      monkeypatch):
    folder = tmp_path / "autosave"
    _crashed_run(folder, "a = 2\nb = a * 3\n", "first")
    monkeypatch.setattr(autosave, "ask_restore", lambda *args: False)
    names = []
    for _ in range(3):
        w = _window(qtbot, folder, monkeypatch)
        qtbot.waitUntil(lambda: list(folder.glob(f"autosave-{os.getpid()}-*")) != [],
                        timeout=5000)
        [kept] = folder.glob("autosave-*.gradviz")
        names.append(kept.name)
        # As if this run had ended: the copy is renamed back to a dead run's id.
        gone = subprocess.Popen(["true"])
        gone.wait()
        kept.rename(kept.with_name(kept.name.replace(str(os.getpid()), str(gone.pid), 1)))
        w.close()
    assert len({len(n) - len(str(os.getpid())) for n in names}) == 1, names
