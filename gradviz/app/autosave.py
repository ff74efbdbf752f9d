"""Autosave: a second after the last edit, a copy of the unsaved document is written, and
after a crash the next start offers it back.

Copies live in ``QStandardPaths.AppDataLocation/autosave/``, one per running gradviz
(``autosave-<pid>-<n>.gradviz``), so two windows never overwrite each other's copy and a
copy whose process is gone is one a crash left. A copy is removed when the document is
saved or the window closes normally. With ``GRADVIZ_SETTINGS=memory`` (the tests) the
folder is ``GRADVIZ_AUTOSAVE_DIR`` when set, else there is no autosave at all.

Every change of the undo stack (an edit, an undo, a redo) restarts one single-shot timer,
so a burst of edits is written once, after the last; nothing is scheduled while nothing
changes.
"""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer

from ..core.errors import GradvizError
from .commands import ReplaceGraphCommand
from .graph_commands import program_for

DELAY_MS = 1_000
"""From the last edit to the copy written: well within the 2 s the copy promises."""
PREFIX, SUFFIX = "autosave-", ".gradviz"


def autosave_folder() -> Path | None:
    """Where copies go, or None when autosave is off."""
    if os.environ.get("GRADVIZ_SETTINGS") == "memory":
        folder = os.environ.get("GRADVIZ_AUTOSAVE_DIR")
        return Path(folder) if folder else None
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "autosave" if base else None


def ask_restore(parent, when: str, name: str) -> bool:
    """Whether to restore the copy (a module function so tests can answer it)."""
    from PySide6.QtWidgets import QMessageBox  # here: its enums cost start-up (~2 ms)

    answer = QMessageBox.question(
        parent, "Restore unsaved work?",
        f"gradviz found unsaved work on “{name}” from {when} (it did not close normally). "
        "Restore it?", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes)
    return answer == QMessageBox.StandardButton.Yes


class Autosave(QObject):
    """Keeps an autosave copy of ``window``'s document; ``files`` is its `FileActions`."""

    _count = 0  # windows of this process so far: each has its own copy

    def __init__(self, window, files, delay_ms: int = DELAY_MS) -> None:
        super().__init__(window)
        self.window, self.files, self.document = window, files, window.document
        self.folder = autosave_folder()
        Autosave._count += 1
        name = f"{PREFIX}{os.getpid()}-{Autosave._count}{SUFFIX}"
        self.path = self.folder / name if self.folder else None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.write_now)
        if self.path is None:
            return
        self.document.undo_stack.indexChanged.connect(self._on_edited)
        self.document.undo_stack.cleanChanged.connect(self._on_clean_changed)
        window.close_guards.append(self._closing)
        QTimer.singleShot(0, self.offer_restore)

    def write_now(self) -> Path | None:
        """Write the copy now if there is anything unsaved; its path, or None."""
        self.timer.stop()  # written now, not once more when the timer fires
        if self.path is None or not self.document.modified:
            return None
        d = self.document
        doc = self.files.document_to_save(autosave_of=str(d.path or ""), autosave_name=d.name)
        from ..core import fileformat  # imported on the first write, not at start-up

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fileformat.write(self.path, doc)
        except (OSError, GradvizError) as exc:
            self.window.statusBar().showMessage(f"Autosave failed: {exc}", 8000)
            return None
        return self.path

    def remove(self) -> None:
        if self.path is not None:
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                pass

    def left_behind(self) -> list[Path]:
        """Copies of gradviz runs that are gone, newest first."""
        if self.folder is None or not self.folder.is_dir():
            return []
        found = []
        for f in self.folder.glob(f"{PREFIX}*{SUFFIX}"):
            pid = f.name[len(PREFIX):-len(SUFFIX)].split("-")[0]
            if f != self.path and not (pid.isdigit() and _alive(int(pid))):
                found.append(f)
        return sorted(found, key=lambda f: f.stat().st_mtime, reverse=True)

    def offer_restore(self) -> bool:
        """Offer the newest copy a crash left; True when it was restored."""
        copies = self.left_behind()
        if not copies:
            return False
        newest = copies[0]
        from ..core import fileformat

        try:
            doc = fileformat.read(newest)
        except GradvizError:
            doc = None
        restored = False
        if doc is not None:
            name = str(doc.view.get("autosave_name") or "untitled")
            when = datetime.fromtimestamp(newest.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
            if ask_restore(self.window, when, name):
                self._restore(doc, name)
                restored = True
        for f in copies:  # restored or declined, these copies have had their chance
            f.unlink(missing_ok=True)
        return restored

    def _restore(self, doc, name: str) -> None:
        d = self.document
        original = doc.view.get("autosave_of") or ""
        d.undo_stack.clear()
        d.set_path(Path(original) if original else None, name)
        program = doc.program if doc.program is not None else program_for(doc.graph)
        # One undoable step away from what was open, so the document counts as unsaved.
        d.undo_stack.push(ReplaceGraphCommand(d, doc.graph, program, "Restore unsaved work",
                                              description=doc.description))
        from .descent_commands import descent_of

        d.set_descent(descent_of(doc.view))  # the parameters ticked and the learning rate
        self.write_now()

    def _on_edited(self) -> None:
        self.timer.start()  # restarted: the copy waits for the edits to pause

    def _on_clean_changed(self, clean: bool) -> None:
        if clean:
            self.timer.stop()
            self.remove()

    def _closing(self) -> bool:
        # Runs after the unsaved-changes question: closing now is a normal close.
        self.timer.stop()
        self.remove()
        return True


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return False  # no safe check; a copy of a live window is offered, never lost
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, and belongs to another user
    return not _exited(pid)


def _exited(pid: int) -> bool:
    """Whether ``pid`` has exited and only waits for its parent to reap it (a zombie,
    which `os.kill` still finds). Read from Linux's /proc; elsewhere this says False."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return False
    # "pid (name) state ...": the name may hold spaces and brackets, so split after it.
    fields = stat.rpartition(b")")[2].split()
    return bool(fields) and fields[0] in (b"Z", b"X")
