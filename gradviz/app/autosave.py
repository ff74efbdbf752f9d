"""Autosave: a second after the last edit, a copy of the unsaved document is written, and
after a crash the next start offers every copy left back, one question each.

Copies live in ``QStandardPaths.AppDataLocation/autosave/``, one per running gradviz
(``autosave-<pid>-<n>.gradviz``), so two windows never overwrite each other's copy and a
copy whose process is gone is one a crash left. A copy is removed when the document is
saved or the window closes normally. A copy offered back is never removed unread: taken
back, it becomes the new window's copy; declined, it stays until the document is next
saved (and is offered again by the next start if it is not); unreadable, it is kept
aside as ``….gradviz.unreadable`` and the user is told where. With
``GRADVIZ_SETTINGS=memory`` (the tests) the folder is ``GRADVIZ_AUTOSAVE_DIR`` when set,
else there is no autosave at all.

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
from ..render.plain_text import plain_message
from .commands import ReplaceGraphCommand
from .graph_commands import program_for

DELAY_MS = 1_000
"""From the last edit to the copy written: well within the 2 s the copy promises."""
PREFIX, SUFFIX = "autosave-", ".gradviz"
CLAIMED = "-from-"
"""In ``autosave-<pid>-from-<first pid>-<n>.gradviz``: a copy a later run has offered."""


def autosave_folder() -> Path | None:
    """Where copies go, or None when autosave is off."""
    if os.environ.get("GRADVIZ_SETTINGS") == "memory":
        folder = os.environ.get("GRADVIZ_AUTOSAVE_DIR")
        return Path(folder) if folder else None
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "autosave" if base else None


def restore_question(parent, when: str, name: str):
    """The offer of one copy, as a QMessageBox to ``exec`` (its text is plain: ``name``
    comes from the file)."""
    from PySide6.QtWidgets import QMessageBox  # here: its enums cost start-up (~2 ms)

    button = QMessageBox.StandardButton
    return plain_message(
        parent, QMessageBox.Icon.Question, "Restore unsaved work?",
        f"gradviz found unsaved work on “{name}” from {when} (it did not close normally). "
        "Restore it?", button.Yes | button.No, button.Yes)


def ask_restore(parent, when: str, name: str) -> bool:
    """Whether to restore the copy (a module function so tests can answer it)."""
    from PySide6.QtWidgets import QMessageBox

    answer = restore_question(parent, when, name).exec()
    return answer == QMessageBox.StandardButton.Yes


def tell_kept_aside(parent, paths: list[Path]) -> None:
    """Say which copies could not be read and where they were kept (not waiting for an
    answer: a module function so tests can see it)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    listed = "\n".join(str(p) for p in paths)
    box = plain_message(
        parent, QMessageBox.Icon.Warning, "Unsaved work kept aside",
        "gradviz found unsaved work it cannot read (a window that did not close "
        f"normally). It is kept, untouched, as:\n{listed}", QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


_WINDOWS: set = set()
"""Windows opened to restore a copy: kept here while they are open."""


class Autosave(QObject):
    """Keeps an autosave copy of ``window``'s document; ``files`` is its `FileActions`."""

    _count = 0  # windows of this process so far: each has its own copy

    def __init__(self, window, files, delay_ms: int = DELAY_MS) -> None:
        super().__init__(window)
        self.window, self.files, self.document = window, files, window.document
        self.folder = autosave_folder()
        if self.folder is not None and self.folder.is_dir():
            from ..core.safe_write import remove_stale

            remove_stale(self.folder)  # half-written copies of a run that was killed
        Autosave._count += 1
        name = f"{PREFIX}{os.getpid()}-{Autosave._count}{SUFFIX}"
        self.path = self.folder / name if self.folder else None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.write_now)
        self.declined: list[Path] = []
        """Copies offered at start-up and declined: kept until the document is saved."""
        self.restored: list = []
        """The windows the copies offered at start-up were restored into."""
        self.offered = False
        if self.path is None:
            return
        files.saved_to.append(self._saved)
        self.document.undo_stack.indexChanged.connect(self._on_edited)
        self.document.undo_stack.cleanChanged.connect(self._on_clean_changed)
        window.close_guards.append(self._closing)
        QTimer.singleShot(0, self._offer_once)

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
        return sorted(found, key=_mtime, reverse=True)

    def offer_restore(self) -> list:
        """Offer every copy a crash left, one question each; the windows restored into.

        The first copy taken back goes into this window, each further one into a new
        window. Every copy is first claimed for this run (renamed with this process's
        id), so a second gradviz starting now does not offer it too, and once this run
        is over a copy still here is offered again. A copy declined stays until this
        window's document is next saved; one that cannot be read is kept beside the
        others as ``….gradviz.unreadable`` and the user is told where.
        """
        from ..core import fileformat

        restored, unreadable = [], []
        for copy in self.left_behind():
            when = datetime.fromtimestamp(_mtime(copy)).strftime("%Y-%m-%d %H:%M")
            claimed = self._claim(copy)
            if claimed is None:
                continue  # another gradviz took it first
            try:
                doc = fileformat.read(claimed)
            except (GradvizError, OSError):
                unreadable.append(_set_aside(claimed, copy.name))
                continue
            name = str(doc.view.get("autosave_name") or "untitled")
            if not ask_restore(self.window, when, name):
                self.declined.append(claimed)
                continue
            target = self if not restored else self._new_window()
            if target._restore(doc, name):
                claimed.unlink(missing_ok=True)  # its work is in the new copy now
            restored.append(target.window)
        if unreadable:
            tell_kept_aside(self.window, unreadable)
        self.restored = restored
        return restored

    def _claim(self, copy: Path) -> Path | None:
        # Named after the run that wrote it first: a copy declined run after run keeps a
        # name of the same length.
        first = copy.name[len(PREFIX):].rpartition(CLAIMED)[2]
        claimed = copy.with_name(f"{PREFIX}{os.getpid()}{CLAIMED}{first}")
        try:
            copy.rename(claimed)
        except OSError:
            return None
        return claimed

    def _new_window(self) -> "Autosave":
        """A new window (of this process, closed like any other) to restore a copy into."""
        from PySide6.QtCore import Qt

        from ..core.graph import Graph
        from .launch import make_window

        window = make_window(Graph(), "", "untitled")
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.autosave.offered = True  # the copies are being offered already
        _WINDOWS.add(window)
        window.destroyed.connect(lambda *_: _WINDOWS.discard(window))
        window.show()
        return window.autosave

    def _saved(self, _path) -> None:
        """This window's document was saved: copies declined at start-up go now."""
        for f in self.declined:
            f.unlink(missing_ok=True)
        self.declined = []

    def _restore(self, doc, name: str) -> bool:
        """Make ``doc`` this window's document; whether its autosave copy was written."""
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
        return self.write_now() is not None

    def _offer_once(self) -> None:
        if not self.offered:
            self.offered = True
            self.offer_restore()

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


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _set_aside(claimed: Path, original: str) -> Path:
    """Keep an unreadable copy under a name no later start offers: ``….unreadable``."""
    aside = claimed.with_name(f"{original}.unreadable")
    try:
        claimed.rename(aside)
    except OSError:
        return claimed
    return aside


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
