"""Ctrl+E: export the current step or every step as PNG, SVG, a PDF deck, a GIF or DOT.

The formats, their defaults (theme, scale) and what "every step" makes of each are those
of the render layer's format table, the same as ``gradviz export`` and ``gradviz.draw``.
The picture is drawn on a scene of its own (so the print theme does not change the
window), with the nodes where the canvas shows them and the groups it shows collapsed
drawn as boxes (every step is then the player's stops, passing over the steps inside
them). What the export changed so that
the file always opens (a PNG scaled down, deck pages that follow the step, a GIF's steps
sampled) is said in the dialog, which then stays open until closed.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import DocumentError, GradvizError
from ..core.evaluation import Evaluation
from ..core.graph import Graph
from ..render import formats
from ..render.pages import DECK_PAGE, ONE_PAGE, PAGES
from ..render.plain_text import make_plain, plain_label
from ..render.theme import THEMES

FORMATS = {f.title: f.suffix for f in formats.FORMATS.values() if f.picture or f.every_step}
"""The dialog's formats by title: the pictures of the format table and the steps as text
(everything but the document, which File ▸ Save As writes)."""


def export(graph: Graph, evaluation: Evaluation | None, path: Path, step: int,
           stops: list[int], all_steps: bool, theme: str,
           positions: dict | None = None, page: str | None = None,
           collapsed: Sequence[str] = (), forward=None) -> formats.Written:
    """Write ``step`` (or, ``all_steps``, every one of ``stops``) to ``path`` in the
    picture format its suffix names (a PDF on ``page``s), the ``collapsed`` groups (ids)
    drawn as boxes; the files written and what was adjusted so that they open.
    ``forward`` (a `core.forward.ForwardRun` and a pass, 0-based) draws forward mode:
    ``step`` and ``stops`` are then that pass's."""
    fmt = formats.format_for(path)
    if not fmt.picture and not fmt.every_step:
        # Save As writes the open document whole: its description and view as well.
        raise DocumentError(f"{path.suffix} is a document, not a picture: save it with "
                            "File ▸ Save As", str(path))
    job = formats.Export(graph, evaluation, step, stops, all_steps, theme,
                         positions=positions, page=page, collapse=list(collapsed))
    if forward is not None:
        job = job._replace(forward=forward[0], pass_index=forward[1])
    return formats.write(job, path)


class ExportDialog(QDialog):
    """Choose what (this step / all steps), how (format, theme) and where; the groups
    ``collapsed`` in the window (ids) are exported collapsed, as shown."""

    def __init__(self, parent: QWidget | None, graph: Graph, evaluation: Evaluation | None,
                 index: int, stops: list[int], positions: dict | None, name: str,
                 theme: str = formats.EXPORT_THEME, collapsed: Sequence[str] = (),
                 forward=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.setObjectName("exportDialog")
        self._graph, self._evaluation = graph, evaluation
        self._index, self._stops, self._positions = index, stops, positions
        self._collapsed = tuple(collapsed)
        self._forward = forward  # (run, pass): forward mode, as the window shows it
        self.written: list[Path] = []
        self.adjustments: list[formats.Adjustment] = []
        self.choose_path = self._ask_path
        """Returns the chosen path or "" (tests replace it)."""

        where = f"pass {forward[1] + 1}, step {index}" if forward else str(index)
        self.current_step = QRadioButton(f"This step ({where})", self)
        self.all_steps = QRadioButton(f"Every step ({len(stops)} pictures)", self)
        self.current_step.setChecked(True)
        scope = QButtonGroup(self)
        scope.addButton(self.current_step)
        scope.addButton(self.all_steps)
        self.format_box = QComboBox(self)
        for title, suffix in FORMATS.items():
            self.format_box.addItem(title, suffix)
        self.theme_box = QComboBox(self)
        for t in THEMES:
            self.theme_box.addItem(t.capitalize(), t)
        if theme not in THEMES:
            theme = formats.EXPORT_THEME
        self.theme_box.setCurrentIndex(list(THEMES).index(theme))
        self.page_box = QComboBox(self)
        self.page_box.addItem(f"Automatic ({DECK_PAGE} for a deck, the graph's size for "
                              "one page)", None)
        for page in PAGES:  # (not `name`: that is the document's, for the file's name)
            self.page_box.addItem("The graph's size" if page == ONE_PAGE else page.upper()
                                  if page == "a4" else page.capitalize(), page)
        self.path_edit = QLineEdit(str(Path.cwd() / f"{name}.png"), self)
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(browse)
        self.message = make_plain(QLabel(self))
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.run_export)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Steps", self.current_step)
        form.addRow("", self.all_steps)
        form.addRow("Format", self.format_box)
        form.addRow("Theme", self.theme_box)
        form.addRow("Page", self.page_box)
        if self._collapsed:
            form.addRow("Groups", plain_label(_collapsed_text(graph, self._collapsed), self))
        form.addRow("File", where)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        self.all_steps.toggled.connect(self._scope_chosen)
        self._wants_every_step = False
        """What the user chose, kept while a format decides for them (a GIF, an SVG)."""
        self._format_changed()
        self.resize(620, self.sizeHint().height())

    @property
    def suffix(self) -> str:
        return self.format_box.currentData()

    def _scope_chosen(self, every: bool) -> None:
        if self.all_steps.isEnabled() and self.current_step.isEnabled():
            self._wants_every_step = every

    def _format_changed(self, *_) -> None:
        fmt = formats.FORMATS[self.suffix]
        self.page_box.setEnabled(fmt.paged)
        self.all_steps.setEnabled(bool(fmt.every_step))
        self.current_step.setEnabled(not fmt.always_every_step)
        every = fmt.always_every_step or (bool(fmt.every_step) and self._wants_every_step)
        (self.all_steps if every else self.current_step).setChecked(True)
        path = Path(self.path_edit.text() or "gradviz")
        self.path_edit.setText(str(path.with_suffix(self.suffix)))

    def _ask_path(self) -> str:
        title = self.format_box.currentText()
        chosen, _ = QFileDialog.getSaveFileName(self, "Export to", self.path_edit.text(),
                                                f"{title} (*{self.suffix})")
        return chosen

    def _browse(self) -> None:
        chosen = self.choose_path()
        if chosen:
            path = Path(chosen)
            if path.suffix.lower() != self.suffix:
                path = path.with_suffix(self.suffix)
            self.path_edit.setText(str(path))

    def run_export(self) -> None:
        """Write the file(s); on success close, or say what was adjusted and stay open
        until closed; on failure say why and stay open."""
        text = self.path_edit.text().strip()
        if not text:
            self.message.setText("Choose a file to export to.")
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            page = self.page_box.currentData() if self.page_box.isEnabled() else None
            self.written, self.adjustments = export(
                self._graph, self._evaluation, Path(text), self._index, self._stops,
                self.all_steps.isChecked(), self.theme_box.currentData(), self._positions,
                page, self._collapsed, self._forward)
        except GradvizError as exc:
            self.message.setText(f"Export failed: {exc}")
            return
        except OSError as exc:
            self.message.setText(f"Export failed: {text}: {exc.strerror or exc}")
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        if not self.adjustments:
            self.accept()
            return
        where = self.written[0] if len(self.written) == 1 else \
            f"{len(self.written)} files next to {self.written[0]}"
        notes = "\n".join(f"• {str(a)[0].upper()}{str(a)[1:]}." for a in self.adjustments)
        self.message.setText(f"Exported {where}, adjusted so that it opens and reads:\n{notes}")
        close = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        close.setText("Close")


def _collapsed_text(graph: Graph, collapsed: Sequence[str]) -> str:
    """What the Groups row says: which groups are drawn as boxes, as in the window."""
    chosen = set(collapsed)
    names = [g.name for g in graph.groups() if g.id in chosen]
    shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    return f"{shown} drawn collapsed, as in the window"
