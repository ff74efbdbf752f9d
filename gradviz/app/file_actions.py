"""File → New, Open…, Save, Save As…, Open Recent and Examples, and the unsaved-changes
question before anything would lose work.

Opening loads into the window's one `Document` (its undo stack starts afresh); a file
that cannot be read shows its `DocumentError` (what and where) and the current document
stays as it was. Saving writes through `fileformat.write` (atomic) the graph with every
node where the canvas draws it, the input values (the graph's, which the inputs panel shows), and the
theme and step. The dialogs are attributes (``ask_unsaved``, ``choose_open_path``,
``choose_save_path``, ``show_error``) so that tests can answer them.
"""
from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Callable, NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu

from ..core import explain
from ..core.errors import GradvizError
from ..core.examples import list_examples, load_example
from ..core.graph import Graph
from ..core.loading import load_source
from ..render.plain_text import menu_text, plain_message, plain_tooltip
from ..render.theme import THEMES
from .background import CANCELLED
from .descent_commands import descent_of, descent_view
from .document import Run, run_graph
from .graph_commands import UNFINISHED, program_for
from .menus import action
from .opening import (
    DrawingProgress,
    collector_paused,
    drawn_with_progress,
    is_big_file,
    read_cancellably,
)

SUFFIX = ".gradviz"
FILTER = "gradviz documents (*.gradviz);;Programs (*.txt *.py *.gv *.prog);;All files (*)"
BIG_PROGRAM_BYTES = 100_000
"""Program files at least this big are read and run with a progress dialog, as
documents past `opening.BIG_BYTES` are (a program is about a tenth of the size of the
document of its graph: 100 kB is about 5,000 statements, a third of a second to parse;
documents are read so past `opening.BIG_BYTES`)."""


class Opened(NamedTuple):
    """A file read, its program text and its run (`prepare`)."""

    document: GraphDocument
    program: str
    run: Run


def prepare(path: Path) -> Opened:
    """``path`` (a document or a program file) read and checked, its program text (written
    when a document has none) and its run: everything opening it does without Qt, so
    that a big file is prepared in a worker thread (see `opening`). Raises GradvizError."""
    from ..core import fileformat

    if path.suffix == SUFFIX:
        doc = fileformat.read(path)
    else:
        source = load_source(str(path))
        doc = fileformat.GraphDocument(source.graph, source.description, {}, source.program)
    program = doc.program if doc.program is not None else program_for(doc.graph)
    return Opened(doc, program, run_graph(doc.graph))

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from ..core.document import GraphDocument

    Button = QMessageBox.StandardButton
# QMessageBox and QFileDialog are imported where a dialog opens: the first use of a Qt
# class makes PySide6 create all of its enums, ~3 ms of start-up for these two.


class FileActions:
    """The File menu's document actions for a `MainWindow`."""

    def __init__(self, window) -> None:
        self.window = window
        self.document = window.document
        self.ask_unsaved: Callable[[str], Button] = self._ask_unsaved
        self.choose_open_path: Callable[[], str | None] = self._choose_open_path
        self.choose_save_path: Callable[[str], str | None] = self._choose_save_path
        self.show_error: Callable[[str, str], None] = self._show_error
        self.saved_to: list[Callable[[Path], None]] = []
        """Called with the path after each successful save (autosave listens)."""
        w, menu, before = window, window.menus.file, window.menus.file_end
        self.new = action(w, "&New", self.new_document, [QKeySequence.StandardKey.New],
                          "Start an empty graph")
        self.open = action(w, "&Open…", lambda: self.open_file(), [QKeySequence.StandardKey.Open],
                           "Open a .gradviz document or a program file")
        self.save = action(w, "&Save", self.save_document, [QKeySequence.StandardKey.Save])
        self.save_as = action(w, "Save &As…", self.save_document_as,
                              [QKeySequence.StandardKey.SaveAs, "Ctrl+Shift+S"])
        for a in (self.new, self.open):
            menu.insertAction(before, a)
        self.recent_menu = QMenu("Open &Recent", menu)
        menu.insertMenu(before, self.recent_menu)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.examples_menu = QMenu("E&xamples", menu)
        menu.insertMenu(before, self.examples_menu)
        # Filled when first opened: reading every example costs start-up time.
        self._example_actions: dict | None = None
        self.examples_menu.aboutToShow.connect(self._fill_examples)
        menu.insertSeparator(before)
        for a in (self.save, self.save_as):
            menu.insertAction(before, a)
        window.close_guards.append(self.maybe_save)

    @property
    def example_actions(self) -> dict:
        """The Examples menu's actions by example name (the menu is filled first)."""
        self._fill_examples()
        return self._example_actions

    def _fill_examples(self) -> None:
        if self._example_actions is not None:
            return
        self._example_actions = {}
        for ex in list_examples():
            a = self.examples_menu.addAction(ex.title)
            a.setStatusTip(ex.description)
            a.setToolTip(plain_tooltip(ex.description))
            a.triggered.connect(lambda _=False, n=ex.name: self.open_example(n))
            self._example_actions[ex.name] = a

    # --- asking first --------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """True when it is fine to drop the document (saved, discarded or unmodified)."""
        if not self.document.modified:
            return True
        from PySide6.QtWidgets import QMessageBox

        Button = QMessageBox.StandardButton  # noqa: N806 (the enum, as at the module level)
        answer = self.ask_unsaved(self.document.name)
        if answer == Button.Save:
            return self.save_document()
        return answer == Button.Discard

    # --- opening -------------------------------------------------------------------------
    def new_document(self) -> None:
        if self.maybe_save():
            self.load(Graph(), "", None, "untitled", "")

    def open_file(self, path: str | Path | None = None) -> bool:
        """Open ``path`` (asking for one when None); False when nothing was opened."""
        if not self.maybe_save():
            return False
        if path is None:
            path = self.choose_open_path()
            if not path:
                return False
        path = Path(path)
        big = None if path.suffix == SUFFIX else BIG_PROGRAM_BYTES  # None: opening's
        with collector_paused() if is_big_file(path, big) else nullcontext():
            try:
                opened = read_cancellably(self.window, path, prepare, big)
            except GradvizError as exc:
                self.show_error(f"Cannot open {path.name}", str(exc))
                return False
            if opened is CANCELLED:
                return False
            doc = opened.document
            if not self.load(doc.graph, opened.program, path, path.stem, doc.description,
                             doc.view, opened.run):
                return False
        self.window.settings.add_recent(str(path))
        return True

    def open_example(self, name: str) -> bool:
        if not self.maybe_save():
            return False
        try:
            doc = load_example(name)
        except GradvizError as exc:
            self.show_error("Cannot open the example", str(exc))
            return False
        titles = {ex.name: ex.title for ex in list_examples()}
        self.load(doc.graph, doc.program, None, titles.get(name, name), doc.description,
                  doc.view)
        return True

    def load(self, graph: Graph, program: str | None, path: Path | None, name: str,
             description: str, view: dict | None = None, run: Run | None = None) -> bool:
        """Make ``graph`` the document, as opened: nothing to undo, nothing modified.
        ``run`` is its run when the caller has made it (`prepare`). False when the user
        cancelled drawing a big graph: the document is as it was."""
        d, w = self.document, self.window
        w.player.pause()
        if not drawn_with_progress(graph):
            d.reset(graph, program if program is not None else program_for(graph), name,
                    path, description, run)
        else:
            before = (d.graph, d.program, d.name, d.path, d.description,
                      Run(d.evaluation, d.problem))
            with collector_paused(), DrawingProgress(w, w.scene, len(graph)) as progress:
                text = program if program is not None else program_for(graph)
                d.reset(graph, text, name, path, description, run)
            if progress.cancelled:
                d.reset(*before)
                return False
        view = view or {}
        if view.get("theme") in THEMES and view["theme"] != w.settings.theme:
            w.set_theme(view["theme"])
        collapsed = view.get("collapsed")
        if isinstance(collapsed, list):
            d.set_collapsed(collapsed)
        d.set_descent(descent_of(view))  # the parameters ticked and the learning rate
        step = view.get("step")
        if isinstance(step, int) and not isinstance(step, bool) and d.evaluation:
            w.player.go_to(step, animate=False)
        w.statusBar().clearMessage()  # not the last document's words, nor an answer early
        if description and not (d.evaluation and explain.states_result(description,
                                                                        d.evaluation)):
            w.statusBar().showMessage(description, 15000)
        return True

    # --- saving --------------------------------------------------------------------------
    def save_document(self) -> bool:
        if self.document.path is None or self.document.path.suffix != SUFFIX:
            return self.save_document_as()
        return self.write_to(self.document.path)

    def save_document_as(self) -> bool:
        d = self.document
        folder = d.path.parent if d.path else Path.home()
        suggestion = d.path.with_suffix(SUFFIX).name if d.path else d.name + SUFFIX
        chosen = self.choose_save_path(str(folder / suggestion))
        if not chosen:
            return False
        path = Path(chosen)
        if path.suffix != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        if not self.write_to(path):
            return False
        d.set_path(path)
        self.window.settings.add_recent(str(path))
        return True

    def write_to(self, path: Path) -> bool:
        """Save the document to ``path`` and mark it unmodified; False (and a message)
        when it cannot be written."""
        from ..core import fileformat
        from ..core.safe_write import ReadOnlyFile

        doc = self.document_to_save()
        try:
            try:
                fileformat.write(path, doc)
            except ReadOnlyFile:
                if not self.ask_replace_read_only(Path(path)):
                    return False
                fileformat.write(path, doc, replace_read_only=True)
        except GradvizError as exc:
            self.show_error(f"Cannot save {Path(path).name}", str(exc))
            return False
        self.document.undo_stack.setClean()
        self.window.statusBar().showMessage(f"Saved {path}", 5000)
        for listener in self.saved_to:
            listener(Path(path))
        return True

    def ask_replace_read_only(self, path: Path) -> bool:
        """Whether to replace ``path``, which is read-only (the answer is No unless the
        user says Yes)."""
        from PySide6.QtWidgets import QMessageBox

        box = plain_message(self.window, QMessageBox.Icon.Warning, "Read-only file",
                            f"{path.name} is read-only. Replace it anyway?",
                            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                            QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def document_to_save(self, **view) -> GraphDocument:
        """What a file of this document holds: positions as drawn, values as shown."""
        from ..core.document import GraphDocument

        d, w = self.document, self.window
        graph = d.graph.copy()  # the positions written below must not reach the model
        for node_id, pos in w.scene.positions().items():
            if node_id in graph and graph.node(node_id).pos is None:
                graph.set_attrs(node_id, pos=(round(pos[0], 2), round(pos[1], 2)))
        program = d.program
        if program.startswith(UNFINISHED[:20]) or not program.strip():
            # There is no text of this graph yet: write one if it can be written.
            text = program_for(graph)
            program = None if text.startswith(UNFINISHED[:20]) else text
        settings = {"theme": w.settings.theme, "step": w.player.index, **view}
        if d.collapsed:
            settings["collapsed"] = list(d.collapsed)
        settings.update(descent_view(d.descent))
        return GraphDocument(graph, d.description, settings, program)

    # --- menus ---------------------------------------------------------------------------
    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = [p for p in self.window.settings.recent() if _is_file(p)]
        for p in files:
            a = self.recent_menu.addAction(menu_text(Path(p).name))
            a.setStatusTip(p)
            a.triggered.connect(lambda _=False, path=p: self.open_file(path))
        if not files:
            self.recent_menu.addAction("No recent files").setEnabled(False)

    # --- the real dialogs ----------------------------------------------------------------
    def _ask_unsaved(self, name: str) -> Button:
        from PySide6.QtWidgets import QMessageBox

        return QMessageBox.StandardButton(unsaved_question(self.window, name).exec())

    def _choose_open_path(self) -> str | None:
        from PySide6.QtWidgets import QFileDialog

        folder = str(self.document.path.parent) if self.document.path else ""
        path, _ = QFileDialog.getOpenFileName(self.window, "Open", folder, FILTER)
        return path or None

    def _choose_save_path(self, suggestion: str) -> str | None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self.window, "Save as", suggestion,
                                              "gradviz documents (*.gradviz)")
        return path or None

    def _show_error(self, title: str, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        self.window.statusBar().showMessage(f"{title}: {message}", 15000)
        # open(), not exec(): the message does not stop the event loop (nor a test).
        box = plain_message(self.window, QMessageBox.Icon.Warning, title, message,
                            QMessageBox.StandardButton.Ok)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()


def unsaved_question(parent, name: str):
    """The question before unsaved changes would be lost (a QMessageBox to ``exec``)."""
    from PySide6.QtWidgets import QMessageBox

    Button = QMessageBox.StandardButton  # noqa: N806
    return plain_message(parent, QMessageBox.Icon.Question, "Unsaved changes",
                         f"{name} has changes that are not saved. Save them first?",
                         Button.Save | Button.Discard | Button.Cancel, Button.Save)


def _is_file(entry: str) -> bool:
    if "\n" in entry or len(entry) > 4096:
        return False  # a remembered program text, not a path
    try:
        return Path(entry).is_file()
    except (OSError, ValueError):
        return False
