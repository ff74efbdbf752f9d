"""The main window: puts the canvas, editor, inputs, explanation and player together.

It wires views to the `Document` and back: views push commands, and everything shown is
redrawn from the document's signals. It computes nothing itself.
"""
from __future__ import annotations

from importlib import resources
from typing import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDockWidget, QMainWindow, QVBoxLayout, QWidget

from ..core import language
from ..core.errors import GradvizError, ProgramError
from ..render.theme import DEFAULT_THEME, THEMES, theme_named
from .canvas_scene import CanvasScene
from .canvas_view import CanvasView
from .commands import MoveNodeCommand, ReplaceGraphCommand, SetInputValueCommand
from .document import Document
from .editor import ProgramPanel
from .explanation_panel import ExplanationPanel
from .graph_commands import push_commands
from .inputs_panel import InputsPanel
from .menus import WindowMenus
from .player import Player
from .player_bar import PlayerBar
from .presentation import PresentationMode
from .settings import AppSettings
from .steps_list import StepsList
from .values_table import ValuesTable

KEYS_HELP = """<table cellpadding=3>
<tr><td><b>→ Space PageDown</b></td><td>next step</td></tr>
<tr><td><b>← PageUp</b></td><td>previous step</td></tr>
<tr><td><b>Home / End</b></td><td>first / last step</td></tr>
<tr><td><b>P</b></td><td>play / pause</td></tr><tr><td><b>B</b></td><td>backward pass</td></tr>
<tr><td><b>F5</b> (Esc leaves)</td><td>presentation mode</td></tr>
<tr><td><b>Ctrl +/−, Ctrl 0</b></td><td>zoom, fit</td></tr>
<tr><td><b>Ctrl E</b></td><td>export</td></tr><tr><td><b>Ctrl K</b></td><td>check gradients</td></tr>
</table>"""


def app_icon() -> QIcon:
    """The PNG alone: adding the SVG too loads Qt's SVG icon engine plugin (~6 ms of
    start-up) for an icon a window manager shows at a few fixed sizes."""
    f = resources.files("gradviz.resources") / "icons" / "gradviz.png"
    return QIcon(str(f)) if f.is_file() else QIcon()


class MainWindow(QMainWindow):
    """One document on screen. Hooks for other parts: ``menus`` (File/Edit/View/…),
    ``add_panel`` (dock a widget, e.g. the palette) and ``close_guards``."""

    def __init__(self, document: Document, settings: AppSettings | None = None) -> None:
        super().__init__()
        self.document = document
        document.setParent(self)  # lives and dies with its window
        self.settings = settings or AppSettings()
        self.close_guards: list[Callable[[], bool]] = []
        """Called before closing; any returning False keeps the window open."""
        self.setWindowIcon(app_icon())
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks
                            | QMainWindow.DockOption.AllowTabbedDocks)

        name = self.settings.theme if self.settings.theme in THEMES else DEFAULT_THEME
        self.scene = CanvasScene(theme_named(name), self)
        self.view = CanvasView(self.scene, self)
        self.player = Player(self.scene, self)
        self.player_bar = PlayerBar(self.player, self)
        self.explanation = ExplanationPanel(self)
        self.program_panel = ProgramPanel(self)
        self.inputs_panel = InputsPanel(self)
        self.steps_list = StepsList(self)
        self.values_table = ValuesTable(self)
        self.scene.set_nodes_movable(True)
        self._selected_node: str | None = None
        self._drawn_positions: dict[str, tuple[float, float]] = {}
        self._fit_next = True  # the first graph is fitted
        self._typed = False  # the structure change under way comes from the program text
        self._structure_changed = False  # the graph itself changed since the last redraw

        central = QWidget(self)
        box = QVBoxLayout(central)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.view, 1)
        box.addWidget(self.explanation)
        box.addWidget(self.player_bar)
        self.setCentralWidget(central)

        self.presentation = PresentationMode(self, keep=[self.view, self.explanation],
                                             hide=[self.player_bar], on_large=self._set_large)
        self.menus = WindowMenus(self)
        self.program_dock = self.add_panel("Program", self.program_panel,
                                           Qt.DockWidgetArea.LeftDockWidgetArea)
        self.inputs_dock = self.add_panel("Inputs", self.inputs_panel,
                                          Qt.DockWidgetArea.LeftDockWidgetArea)
        self.steps_dock = self.add_panel("Steps", self.steps_list,
                                         Qt.DockWidgetArea.RightDockWidgetArea)
        self.values_dock = self.add_panel("Values and gradients", self.values_table,
                                          Qt.DockWidgetArea.RightDockWidgetArea)
        self.menus.theme_actions[name].setChecked(True)
        self._connect()
        from .wiring import install_editing  # palette, wiring, history, files (issue 5)
        install_editing(self)
        self._restore_geometry()
        self.program_panel.editor.set_program(document.program)
        self._refresh(structure=True)
        self._update_title()

    # --- hooks for other parts of the app --------------------------------------------------
    def add_panel(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        """Dock ``widget`` on a side, with a View → Panels entry to show or hide it."""
        dock = QDockWidget(title, self)
        dock.setObjectName(title.replace(" ", "_") + "_dock")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        self.menus.panels.addAction(dock.toggleViewAction())
        return dock

    # --- wiring ----------------------------------------------------------------------------
    def _connect(self) -> None:
        d = self.document
        d.evaluationChanged.connect(self._on_evaluation_changed)
        d.graphChanged.connect(self._on_graph_changed)
        d.programChanged.connect(self.program_panel.editor.set_program)
        d.nodeMoved.connect(self._on_model_node_moved)
        d.pathChanged.connect(self._update_title)
        d.undo_stack.cleanChanged.connect(self._update_title)
        self.program_panel.editor.programEdited.connect(self.program_typed)
        self.inputs_panel.valueEdited.connect(self.set_input_value)
        self.inputs_panel.valuesChosen.connect(self._set_input_values)
        self.player.indexChanged.connect(self._on_index_changed)
        self.steps_list.stepChosen.connect(self.player.go_to)
        self.scene.nodeClicked.connect(self._on_node_clicked)
        self.scene.nodeMoved.connect(self._on_scene_node_moved)

    def program_typed(self, text: str) -> None:
        """The typing paused: rebuild the graph, or keep the last good one and show why."""
        try:
            graph = language.parse(text)
        except ProgramError as exc:
            self.program_panel.show_error(exc.message, exc.line, exc.col)
            return
        except GradvizError as exc:
            self.program_panel.show_error(str(exc))
            return
        self.program_panel.clear_error()
        if text != self.document.program:  # not the text a canvas edit wrote
            self._typed = True
            try:
                self.document.undo_stack.push(ReplaceGraphCommand(self.document, graph, text))
            finally:
                self._typed = False

    def fit_next_graph(self) -> None:
        """Fit the view to the next graph drawn (a document opened or started anew)."""
        self._fit_next = True

    def set_input_value(self, label: str, value: float) -> None:
        if self.document.input_value(label) != value:
            self.document.undo_stack.push(SetInputValueCommand(self.document, label, value))

    def _set_input_values(self, values: dict) -> None:
        push_commands(self.document.undo_stack,
                      *(SetInputValueCommand(self.document, label, v) for label, v in values.items()),
                      macro="Randomise inputs")

    def _on_graph_changed(self) -> None:
        self._structure_changed = True

    def _on_evaluation_changed(self) -> None:
        structure = self._structure_changed
        self._structure_changed = False
        self._refresh(structure)

    def _refresh(self, structure: bool) -> None:
        """Redraw everything from the document (a new graph, or new input values)."""
        d = self.document
        graph, evaluation = d.graph, d.evaluation
        self.player.finish()
        self.explanation.set_description(d.description)
        # Pinned positions live in the graph; the layout places the rest the same way
        # each time, so new input values do not move anything.
        # A graph that ran has no problems to mark (evaluate validated it).
        self.scene.set_problem_nodes(d.problem_nodes() if evaluation is None else {})
        before = self._drawn_positions
        self.scene.set_graph(graph if evaluation is not None else d.graph_as_set(), evaluation)
        self._drawn_positions = dict(self.scene.positions())
        values = {n.label: d.input_value(n.label) for n in graph.inputs()}
        self.inputs_panel.set_inputs(values)
        self.steps_list.set_evaluation(evaluation)
        self.player.set_timeline(evaluation.timeline if evaluation else None,
                                 keep_index=not structure)
        self.player_bar.set_enabled_reason(d.problem if evaluation is None else "")
        if self._selected_node not in graph:
            self._selected_node = None
        self.explanation.show_node(evaluation, self._selected_node)
        if structure and self._new_view_needed(before):
            self.view.fit()
        self._fit_next = False

    def _new_view_needed(self, before: dict[str, tuple[float, float]]) -> bool:
        """Fit the view only when a new graph arrives: a document opened or started, a
        graph with no node in common with the last (unless the first node put on an empty
        canvas by hand), or the layout moving nodes that were
        there (a typed program, or undoing one). Canvas edits and their undo and redo
        keep every node where it was, and the view stays still; a typed line that moves
        nothing is fitted only when part of the graph is out of sight."""
        now = self._drawn_positions
        if self._fit_next or not now:
            return bool(now)
        common = before.keys() & now.keys()
        if not common:  # all new; but a graph begun by hand on an empty canvas stays at 100 %
            return self._typed or bool(before)
        if any(abs(before[n][0] - now[n][0]) > 0.5 or abs(before[n][1] - now[n][1]) > 0.5
               for n in common):
            return True
        if self._typed:
            seen = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
            return not seen.contains(self.scene.itemsBoundingRect())
        return False

    def _on_index_changed(self, index: int) -> None:
        d = self.document
        self.explanation.show_step(d.evaluation, index, d.problem)
        self.steps_list.show_index(index)
        self.values_table.show_state(d.evaluation, index)

    def _on_node_clicked(self, node_id: str) -> None:
        self._selected_node = node_id
        self.explanation.show_node(self.document.evaluation, node_id)

    def _on_scene_node_moved(self, node_id: str, x: float, y: float) -> None:
        old = self._drawn_positions.get(node_id)
        self._drawn_positions[node_id] = (x, y)
        if node_id in self.document.graph:
            self.document.undo_stack.push(MoveNodeCommand(self.document, node_id, (x, y), old))

    def _on_model_node_moved(self, node_id: str, x: float, y: float) -> None:
        self._drawn_positions[node_id] = (x, y)
        try:
            item = self.scene.node_item(node_id)
        except KeyError:
            return
        if (item.pos().x(), item.pos().y()) != (x, y):
            item.setPos(x, y)

    # --- actions ----------------------------------------------------------------------------
    def set_theme(self, name: str) -> None:
        self.player.finish()
        self.scene.set_theme(theme_named(name))
        self.settings.theme = name
        self.menus.theme_actions[name].setChecked(True)

    def export_dialog(self):
        from .export_dialog import ExportDialog

        self.player.finish()
        d = self.document
        dialog = ExportDialog(self, d.graph, d.evaluation, self.player.index,
                              self.player.stops(), self.scene.positions(), d.name)
        dialog.finished.connect(lambda _r: self._exported(dialog))
        dialog.open()
        return dialog

    def _exported(self, dialog) -> None:
        if dialog.written:
            where = dialog.written[0] if len(dialog.written) == 1 else \
                f"{len(dialog.written)} files next to {dialog.written[0]}"
            self.statusBar().showMessage(f"Exported {where}", 8000)

    def check_gradients(self):
        from PySide6.QtWidgets import QMessageBox  # not at start-up: ~2 ms of its enums

        from .check_dialog import CheckDialog

        d = self.document
        if d.evaluation is None:
            QMessageBox.information(self, "Check gradients", f"Cannot check: {d.problem}")
            return None
        out = d.graph.node(d.evaluation.output).label
        dialog = CheckDialog(d.graph, d.overrides, out, self)
        dialog.open()
        return dialog

    def show_keys(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(self, "Keys", KEYS_HELP)

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from .. import __version__

        QMessageBox.about(self, "About gradviz",
                          f"<b>gradviz {__version__}</b><p>See reverse-mode automatic "
                          "differentiation: the graph, the forward values and every "
                          "chain-rule step of the backward pass.</p>")

    def _set_large(self, large: bool) -> None:
        self.explanation.set_large(large)
        if not large:
            self.view.fit()

    # --- window -----------------------------------------------------------------------------
    def _update_title(self, *_) -> None:
        self.setWindowTitle(f"gradviz — {self.document.name}[*]")
        self.setWindowModified(self.document.modified)

    def _restore_geometry(self) -> None:
        geometry, state = self.settings.geometry, self.settings.window_state
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen().availableGeometry()
            self.resize(min(1600, screen.width()), min(1000, screen.height()))
            self.move(screen.center() - self.rect().center())
        self._sized_panels = state is not None and self.restoreState(state)

    def _default_panel_sizes(self) -> None:
        """Side panels wide enough for their text, the canvas keeps about half."""
        w = self.width()
        horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
        self.resizeDocks([self.program_dock, self.steps_dock],
                         [max(240, int(w * 0.2)), max(280, int(w * 0.25))], horizontal)
        h = self.height()
        self.resizeDocks([self.program_dock, self.inputs_dock], [int(h * 0.4), int(h * 0.5)],
                         vertical)
        self.resizeDocks([self.steps_dock, self.values_dock], [int(h * 0.5), int(h * 0.4)],
                         vertical)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._sized_panels:  # docks take sizes only once the window is laid out
            self._sized_panels = True
            QTimer.singleShot(0, self._default_panel_sizes)

    def closeEvent(self, event) -> None:  # noqa: N802
        if not all(guard() for guard in self.close_guards):
            event.ignore()
            return
        self.player.pause()
        self.player.finish()
        if self.presentation.active:
            self.presentation.leave()
        self.settings.geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        super().closeEvent(event)
