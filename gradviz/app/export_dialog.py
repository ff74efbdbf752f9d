"""Ctrl+E: export the current step or every step as PNG, SVG, a PDF deck or a GIF.

The picture is drawn by the render layer on a scene of its own (so the print theme does
not change the window), with the nodes where the canvas shows them.
"""
from __future__ import annotations

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

from ..core.errors import GradvizError
from ..core.evaluation import Evaluation
from ..core.graph import Graph
from ..render.theme import THEMES, theme_named

FORMATS = {"PNG picture": ".png", "SVG picture": ".svg", "PDF (a deck: one page per step)": ".pdf",
           "Animated GIF": ".gif"}
ALL_STEPS_FORMATS = (".png", ".pdf", ".gif")


def export(graph: Graph, evaluation: Evaluation | None, path: Path, steps: list[int],
           theme: str, positions: dict | None = None) -> list[Path]:
    """Write ``steps`` of the run to ``path`` in the format its suffix names.

    One step: one picture. Several: a PDF deck, a GIF, or numbered PNG frames.
    """
    from ..render import export as render_export
    from ..render.scene import GraphScene

    scene = GraphScene(theme_named(theme))
    scene.set_graph(graph, evaluation, positions)
    scene.show_step(steps[0])
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        render_export.write_pdf(scene, path, steps)
    elif suffix == ".gif":
        render_export.write_gif(scene, path, 2.0, steps)
    elif suffix == ".svg":
        render_export.write_svg(scene, path)
    elif len(steps) > 1:
        return render_export.write_frames(scene, path, 2.0, steps)
    else:
        render_export.write_png(scene, path, 2.0)
    return [path]


class ExportDialog(QDialog):
    """Choose what (this step / all steps), how (format, theme) and where."""

    def __init__(self, parent: QWidget | None, graph: Graph, evaluation: Evaluation | None,
                 index: int, stops: list[int], positions: dict | None, name: str,
                 theme: str = "light") -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.setObjectName("exportDialog")
        self._graph, self._evaluation = graph, evaluation
        self._index, self._stops, self._positions = index, stops, positions
        self.written: list[Path] = []
        self.choose_path = self._ask_path
        """Returns the chosen path or "" (tests replace it)."""

        self.current_step = QRadioButton(f"This step ({index})", self)
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
        self.theme_box.setCurrentIndex(list(THEMES).index(theme if theme in THEMES else "light"))
        self.path_edit = QLineEdit(str(Path.cwd() / f"{name}.png"), self)
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(browse)
        self.message = QLabel(self)
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
        form.addRow("File", where)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        self.all_steps.toggled.connect(self._format_changed)
        self._format_changed()
        self.resize(620, self.sizeHint().height())

    @property
    def suffix(self) -> str:
        return self.format_box.currentData()

    def _format_changed(self, *_) -> None:
        self.all_steps.setEnabled(self.suffix in ALL_STEPS_FORMATS)
        if not self.all_steps.isEnabled():
            self.current_step.setChecked(True)
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
        """Write the file(s); on success close, on failure say why and stay open."""
        text = self.path_edit.text().strip()
        if not text:
            self.message.setText("Choose a file to export to.")
            return
        steps = self._stops if self.all_steps.isChecked() else [self._index]
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.written = export(self._graph, self._evaluation, Path(text), steps,
                                  self.theme_box.currentData(), self._positions)
        except GradvizError as exc:
            self.message.setText(f"Export failed: {exc}")
            return
        except OSError as exc:
            self.message.setText(f"Export failed: {text}: {exc.strerror or exc}")
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.accept()
