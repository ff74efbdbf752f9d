"""The main window: puts the canvas, editor, inputs, explanation and player together.

It only assembles: the `Document` is the model, and the scene and every panel follow
its signals themselves (or, for the widgets that take plain data, through the one-line
connections made in ``_connect``). Views change the document by pushing commands.
"""
from __future__ import annotations

from importlib import resources
from typing import Callable

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDockWidget, QMainWindow, QVBoxLayout, QWidget

from ..render.plain_text import plain_message, window_title
from ..render.theme import DEFAULT_THEME, THEMES, theme_named
from .canvas_scene import CanvasScene
from .canvas_view import CanvasView
from .commands import MoveNodeCommand
from .document import OPENED, TYPED, Document
from .editor import ProgramPanel
from .explanation_panel import ExplanationPanel
from .inputs_panel import InputsPanel
from .menus import WindowMenus
from .minimap import Minimap
from .opening import keep_going
from .player import Player
from .player_bar import PlayerBar
from .presentation import PresentationMode
from .settings import AppSettings
from .step_camera import StepCamera
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
<tr><td><b>Alt A</b> (under the program)</td><td>add the names it lacks as inputs</td></tr>
<tr><td><b>Ctrl D</b></td><td>descend: p ← p − rate·∂out/∂p (the Descent panel)</td></tr>
<tr><td><b>Ctrl Z</b></td><td>undo</td></tr>
<tr><td><b>Ctrl Shift Z, Ctrl Y</b></td><td>redo</td></tr>
<tr><td><b>Delete / Backspace</b> (on the canvas)</td><td>delete the selected nodes</td></tr>
<tr><td><b>Esc</b> (in the program or a number)</td><td>give ← → back to the steps
(a click on the canvas does too)</td></tr>
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
        self.scene = CanvasScene(document, theme_named(name), self)
        self.view = CanvasView(self.scene, self)
        self.player = Player(document, self.scene, self)
        self.camera = StepCamera(self.view, self.scene, document, self.player, self)
        self.camera.set_enabled(self.settings.follow_step)
        self.minimap = Minimap(self.view)
        self.view.add_overlay(self.minimap, Qt.Corner.BottomRightCorner)
        self.player_bar = PlayerBar(self.player, self)
        self.explanation = ExplanationPanel(document, self)
        self.program_panel = ProgramPanel(self)
        self.inputs_panel = InputsPanel(document, self)
        self.steps_list = StepsList(self)
        self.values_table = ValuesTable(self)

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
        from . import code_panel  # the engine as code, the step's line lit (issue 13)
        self.code_panel, self.code_dock, _ = code_panel.install(self)
        self.menus.theme_actions[name].setChecked(True)
        self._connect()
        from .wiring import install_editing  # palette, wiring, history, files (issue 5)
        install_editing(self)
        from .key_focus import install_key_focus  # who has the arrow keys, said below
        install_key_focus(self)
        from .descent_panel import install_descent  # Step → Descend, the Descent panel
        install_descent(self)
        self._restore_geometry()
        self.program_panel.editor.set_program(document.program)
        self._show_run()
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
        d, editor = self.document, self.program_panel.editor
        d.programChanged.connect(editor.set_program)
        d.mistakeChanged.connect(self._show_mistake)
        d.notesChanged.connect(lambda: self.program_panel.show_notes(d.notes))
        editor.programEdited.connect(d.type_program)
        d.structureChanged.connect(self._show_run)
        d.valuesChanged.connect(self._show_run)
        d.modeChanged.connect(self._show_run)
        d.passChanged.connect(self._show_run)
        d.stepChanged.connect(self._show_step)
        d.titleChanged.connect(self._update_title)
        d.undo_stack.cleanChanged.connect(self._update_title)
        self.steps_list.stepChosen.connect(self.player.go_to)
        self.scene.nodeMoved.connect(self._on_node_dragged)
        self.scene.relaidOut.connect(self._on_relaid_out)
        # The camera: steps the user asks for follow again after a move by hand.
        bar, camera = self.player_bar, self.camera
        for a in (bar.forward_action, bar.back_action, bar.backward_action):
            a.triggered.connect(camera.step_asked)
        bar.reset_action.triggered.connect(camera.end_asked)
        bar.end_action.triggered.connect(camera.end_asked)
        self.steps_list.stepChosen.connect(camera.step_asked)
        self.presentation.toggled.connect(camera.set_presenting)
        camera.arrived.connect(self.minimap.keep_clear_of)
        self.menus.follow.toggled.connect(self.set_follow)
        self.scene.relaidOut.connect(self.minimap.structure_changed)
        d.valuesChanged.connect(self.minimap.values_changed)
        d.nodeMoved.connect(self.minimap.values_changed)

    def program_typed(self, text: str) -> None:
        """The typing paused on ``text`` (what the editor reports)."""
        self.document.type_program(text)

    def _show_mistake(self) -> None:
        mistake = self.document.mistake
        if mistake is None:
            self.program_panel.clear_error()
        else:
            self.program_panel.show_error(mistake.message, mistake.line, mistake.col,
                                          mistake.missing)

    def _show_run(self, *_) -> None:
        """The panels that take plain data, on a new run (new structure or new values)."""
        keep_going()
        d = self.document
        forward = d.timeline if d.mode == "forward" else None
        if forward is not None:  # forward mode lists the pass shown
            self.steps_list.set_forward_pass(d.evaluation, forward)
        else:
            self.steps_list.set_evaluation(d.evaluation, d.problem or d.forward_problem())
        keep_going()
        self._show_step(d.step)

    def _show_step(self, index: int) -> None:
        self.steps_list.show_index(index)
        d = self.document
        forward = d.timeline if d.mode == "forward" else None
        if forward is not None:  # each node's value and tangent in the pass shown
            self.values_table.show_forward(d.evaluation, forward, index)
        else:
            self.values_table.show_state(d.evaluation, index)

    def _on_node_dragged(self, node_id: str, x: float, y: float) -> None:
        if node_id in self.document.graph:
            self.document.undo_stack.push(MoveNodeCommand(self.document, node_id, (x, y)))

    def _on_relaid_out(self, origin: str, moved: bool) -> None:
        """Fit the view when a new graph arrives: a document opened (shown as the camera
        shows a new graph: whole, unless too big to read so), or a typed program
        (or its undo) whose layout moved the nodes that were there. Canvas edits keep
        every node where it was, and the view stays still; a typed line that moves
        nothing is fitted only when part of the graph is out of sight."""
        if not self.scene.node_items():
            return
        if origin == OPENED:
            self.camera.show_new_graph()  # fitted, unless too big to read whole
        elif origin == TYPED and moved:
            self.view.fit()
        elif origin == TYPED:
            seen = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
            if not seen.contains(self.scene.content_rect()):
                self.view.fit()

    # --- actions ----------------------------------------------------------------------------
    def set_theme(self, name: str) -> None:
        self.player.finish()  # the scene draws its items anew
        self.camera.stop()
        self.scene.set_theme(theme_named(name))
        self.settings.theme = name
        self.menus.theme_actions[name].setChecked(True)
        self.minimap.structure_changed()
        self.camera.refresh()

    def set_follow(self, on: bool) -> None:
        """View → Follow the step, remembered."""
        self.settings.follow_step = on
        self.camera.set_enabled(on)

    def export_dialog(self):
        from .export_dialog import ExportDialog

        self.player.finish()
        d = self.document
        forward = (d.forward_run, d.forward_pass) if d.mode == "forward" else None
        dialog = ExportDialog(self, d.graph, d.evaluation, self.player.index,
                              self.player.stops(), self.scene.positions(), d.name,
                              collapsed=d.collapsed, forward=forward)
        dialog.finished.connect(lambda _r: self._exported(dialog))
        dialog.open()
        return dialog

    def _exported(self, dialog) -> None:
        if dialog.written:
            where = dialog.written[0] if len(dialog.written) == 1 else \
                f"{len(dialog.written)} files next to {dialog.written[0]}"
            # What was adjusted so that the file opens (the dialog listed it too).
            adjusted = "; ".join(str(a) for a in dialog.adjustments)
            self.statusBar().showMessage(
                f"Exported {where}" + (f" (adjusted: {adjusted})" if adjusted else ""), 8000)

    def check_gradients(self):
        from PySide6.QtWidgets import QMessageBox  # not at start-up: ~2 ms of its enums

        from .check_dialog import CheckDialog

        d = self.document
        if d.evaluation is None:
            box = plain_message(self, QMessageBox.Icon.Information, "Check gradients",
                                f"Cannot check: {d.problem}", QMessageBox.StandardButton.Ok)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            return None
        out = d.graph.node(d.evaluation.output).label
        # In forward mode the check is of forward mode's gradients, as `gradviz grad`'s is.
        forward = d.forward_run.gradients() if d.mode == "forward" else None
        graph = d.graph
        dialog = CheckDialog.checking(graph, out, self, forward_grads=forward)
        if dialog is None:
            self.statusBar().showMessage("Gradient check cancelled; nothing was changed.", 8000)
            return None
        if d.graph is not graph:  # a pending edit landed while a big check ran
            dialog.deleteLater()
            self.statusBar().showMessage(
                "The graph changed during the gradient check: check it again (Ctrl+K).", 8000)
            return None
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
        self.code_panel.set_large(large)
        if not large:
            self.view.fit()

    # --- window -----------------------------------------------------------------------------
    def _update_title(self, *_) -> None:
        self.setWindowTitle(f"{window_title(self.document.name)}[*] — gradviz")
        self.setWindowModified(self.document.modified)

    def resizeEvent(self, event) -> None:  # noqa: N802
        """A window that fitted its screen is not widened past it by its own panels.

        Forward mode's player bar is wider than reverse mode's, and Qt made room for it
        by widening the window rather than narrowing the side panels: on a 1280 px
        projector the window reached 1,403 px, cutting off the end of the bar and of the
        explanation. It is narrowed back (the side panels give way, down to the
        window's smallest width)."""
        super().resizeEvent(event)
        if self.isMaximized() or self.isFullScreen() or self.screen() is None \
                or event.oldSize().width() <= 0:  # (the first size: nothing to keep)
            return
        room = self.screen().availableGeometry().width()
        frame = self.frameGeometry().width() - self.width()
        before, now = event.oldSize().width() + frame, event.size().width() + frame
        if 0 < before <= room < now:
            width = event.oldSize().width()
            QTimer.singleShot(0, lambda: self._narrow_to(width))

    def _narrow_to(self, width: int) -> None:
        """Narrow the window back to ``width``, or as near as its smallest width now
        allows (worked out once the panels that changed are laid out: not in the
        resize, while forward mode's widgets are shown and reverse mode's not yet
        hidden)."""
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # laid out now
        width = max(width, self.minimumSizeHint().width())
        if self.width() > width:
            self.resize(width, self.height())

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
        self.camera.stop()
        if self.presentation.active:
            self.presentation.leave()
        self.settings.geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        super().closeEvent(event)
