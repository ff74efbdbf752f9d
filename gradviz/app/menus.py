"""The main window's menus and the actions they hold.

File, Edit, View, Step, Tools and Help menus. Other parts of the app add to them (the
File menu's New/Open/Save/Recent/Examples come from `file_actions.py`); every action with
a shortcut is also added to the window itself so it works in presentation mode, when the
menu bar is hidden.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from ..render.theme import THEMES


def distinct_keys(keys) -> list[QKeySequence]:
    """``keys`` (written keys and standard keys) with each key sequence once, in order.

    A standard key is often the same as a written one (Quit is Ctrl+Q on X11, Redo is
    Ctrl+Shift+Z there and Ctrl+Y elsewhere) or empty (offscreen). Qt takes a key that two
    shortcuts share, even two of one action, as ambiguous and does nothing at all.
    """
    unique: list[QKeySequence] = []
    for seq in map(QKeySequence, keys):  # a standard key: the platform's main binding
        if not seq.isEmpty() and seq not in unique:
            unique.append(seq)
    return unique


def action(window: QMainWindow, text: str, slot, keys=(), tip: str = "") -> QAction:
    """An action on ``window`` with its shortcuts, working wherever the window has focus."""
    a = QAction(text, window)
    unique = distinct_keys(keys)
    if unique:
        a.setShortcuts(unique)
        a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    if tip:
        a.setStatusTip(tip)
        a.setToolTip(tip)
    if slot is not None:
        a.triggered.connect(slot)
    window.addAction(a)
    return a


class WindowMenus:
    """Builds the menus of a `MainWindow` and keeps its actions by name."""

    def _enable_groups(self, *_) -> None:
        """Collapse and expand are there for graphs with groups, when they would do
        something."""
        d = self._document
        outer = {g.id for g in d.graph.groups() if g.parent is None}
        self.collapse_all.setEnabled(bool(outer) and not outer <= set(d.collapsed))
        self.expand_all.setEnabled(bool(d.collapsed))

    def __init__(self, w) -> None:
        bar = w.menuBar()
        self.file: QMenu = bar.addMenu("&File")
        self.edit: QMenu = bar.addMenu("&Edit")
        self.view: QMenu = bar.addMenu("&View")
        self.step: QMenu = bar.addMenu("&Step")
        self.tools: QMenu = bar.addMenu("&Tools")
        self.help: QMenu = bar.addMenu("&Help")

        # File: the issue-5 file actions are inserted above ``file_end`` (export, quit).
        self.export = action(w, "&Export…", w.export_dialog, [QKeySequence("Ctrl+E")],
                             "Export the current step or every step as PNG, SVG, PDF or GIF")
        self.quit = action(w, "&Quit", w.close, [QKeySequence.StandardKey.Quit, "Ctrl+Q"])
        self.file_end = self.file.addSeparator()
        self.file.addAction(self.export)
        self.file.addSeparator()
        self.file.addAction(self.quit)

        # Edit: undo and redo come from the document's stack.
        stack = w.document.undo_stack
        self.undo = stack.createUndoAction(w, "&Undo")
        self.undo.setShortcuts(distinct_keys(["Ctrl+Z", QKeySequence.StandardKey.Undo]))
        self.redo = stack.createRedoAction(w, "&Redo")
        # Both everywhere: Ctrl+Shift+Z is X11's and the Mac's redo, Ctrl+Y Windows'.
        self.redo.setShortcuts(distinct_keys(["Ctrl+Shift+Z", "Ctrl+Y",
                                              QKeySequence.StandardKey.Redo]))
        for a in (self.undo, self.redo):
            w.addAction(a)
            self.edit.addAction(a)
        self.edit.addSeparator()

        # View.
        v = w.view
        self.zoom_in = action(w, "Zoom &in", v.zoom_in, ["Ctrl++", "Ctrl+="])
        self.zoom_out = action(w, "Zoom &out", v.zoom_out, ["Ctrl+-"])
        self.fit = action(w, "&Fit to window", w.camera.show_whole, ["Ctrl+0"])
        self.follow = action(w, "Follow the &step", None, (),
                             "Each step pans and zooms to its nodes (presentation mode "
                             "always does)")
        self.follow.setCheckable(True)
        self.follow.setChecked(w.settings.follow_step)
        self.present = action(w, "&Presentation mode", w.presentation.toggle, ["F5"],
                              "Full screen with the canvas and the explanation only")
        for a in (self.zoom_in, self.zoom_out, self.fit, self.follow):
            self.view.addAction(a)
        self.view.addSeparator()
        # Groups: a double-click on a box opens it, on an open group's name collapses it.
        d = w.document
        self.collapse_all = action(
            w, "&Collapse all groups",
            lambda: d.set_collapsed(g.id for g in d.graph.groups() if g.parent is None),
            (), "Draw each outermost group (a layer, a neuron, a loss) as one box")
        self.expand_all = action(w, "E&xpand all groups", lambda: d.set_collapsed(()), (),
                                 "Draw every node of every group")
        for a in (self.collapse_all, self.expand_all):
            self.view.addAction(a)
        d.structureChanged.connect(self._enable_groups)
        d.collapsedChanged.connect(self._enable_groups)
        self._document = d
        self._enable_groups()
        self.view.addSeparator()
        self.view.addAction(self.present)
        themes = self.view.addMenu("&Theme")
        self.theme_group = QActionGroup(w)
        self.theme_actions: dict[str, QAction] = {}
        for name in THEMES:
            a = QAction(name.capitalize(), w, checkable=True)
            a.triggered.connect(lambda _=False, n=name: w.set_theme(n))
            self.theme_group.addAction(a)
            themes.addAction(a)
            self.theme_actions[name] = a
        self.view.addSeparator()
        self.panels = self.view.addMenu("&Panels")

        # Step: the player's actions (shortcuts: the lecture keys).
        bar_ = w.player_bar
        for a in bar_.actions_in_order + [bar_.backward_action]:
            w.addAction(a)
            self.step.addAction(a)
        self.step.addSeparator()  # reverse or forward mode (dual numbers), as in the bar
        for a in bar_.mode_actions.values():
            self.step.addAction(a)
        self.step.addAction(bar_.skip_action)

        # Tools and Help.
        self.check = action(w, "&Check gradients", w.check_gradients, ["Ctrl+K"],
                            "Compare every gradient with finite differences and PyTorch")
        self.tools.addAction(self.check)
        self.keys = action(w, "&Keys", w.show_keys, ["F1"])
        self.about = action(w, "&About gradviz", w.show_about)
        self.help.addAction(self.keys)
        self.help.addAction(self.about)
