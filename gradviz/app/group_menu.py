"""The canvas's context menu for groups: right-click a node to collapse a group it is in
(its neuron, its layer, …), right-click a collapsed box to open it.

A node in nested groups offers each of them, innermost first. The menu only changes the
document's collapsed groups (view state: no undo step, nothing modified). Double-clicks
do the same for boxes and open groups' tabs (see the scene).
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QMenu

from ..render.group_item import GroupItem
from ..render.node_item import NodeItem
from ..render.plain_text import menu_text


class GroupMenu(QObject):
    """Shows the groups menu where the user right-clicks on the canvas."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        window.view.viewport().installEventFilter(self)

    def menu_at(self, pos: QPoint) -> QMenu | None:
        """The menu for what is under viewport point ``pos`` (None: nothing to offer)."""
        w = self.window
        d = w.document
        menu = QMenu(w.view)
        for item in w.view.items(pos):
            if isinstance(item, GroupItem):
                gid = item.group_id
                menu.addAction(menu_text(f"Open “{item.name}”"),
                               lambda g=gid: d.set_collapsed(
                                   x for x in d.collapsed if x != g))
                break
            if isinstance(item, NodeItem):
                node = item.node_id
                path = d.graph.group_path(node) if node in d.graph else ()
                for gid in reversed(path):  # innermost first
                    name = d.graph.group(gid).name
                    menu.addAction(menu_text(f"Collapse “{name}”"),
                                   lambda g=gid: d.set_collapsed([*d.collapsed, g]))
                break
        if menu.actions():
            menu.addSeparator()
        for a in (w.menus.collapse_all, w.menus.expand_all):
            if a.isEnabled():
                menu.addAction(a)
        if not menu.actions():
            menu.deleteLater()
            return None
        return menu

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            menu = self.menu_at(event.pos())
            if menu is not None:
                menu.exec(event.globalPos())
                menu.deleteLater()
                return True
        return False


def install_group_menu(window) -> None:
    window.group_menu = GroupMenu(window)
