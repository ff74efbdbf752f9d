"""The undo history as a panel: every edit by name; clicking one goes back to it."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QUndoView


def add_history_panel(window) -> QDockWidget:
    """Dock a `QUndoView` of the document's stack on ``window`` (View → Panels → History),
    tabbed with the steps list so it takes no room until asked for."""
    view = QUndoView(window.document.undo_stack, window)
    view.setObjectName("history")
    view.setEmptyLabel("As opened")
    dock = window.add_panel("History", view, Qt.DockWidgetArea.RightDockWidgetArea)
    steps = getattr(window, "steps_dock", None)
    if steps is not None:
        window.tabifyDockWidget(steps, dock)
        steps.raise_()
    return dock
