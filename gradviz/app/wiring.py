"""Building graphs on the canvas: drop palette entries, drag wires, select and delete.

`CanvasWiring` watches the canvas (event filters on the scene and the view's viewport,
so the render layer's items stay as they are) and turns gestures into commands:

- a palette entry dropped on the canvas adds that node there;
- a drag from a node's output anchor draws a wire that follows the mouse; released on an
  operation's input port (or on the operation, taking its first free port) it connects,
  and a refused connection says why next to the mouse and changes nothing;
- a drag from a connected input port picks that wire up: dropped elsewhere it moves,
  dropped on empty canvas it is removed;
- a click selects a node (Ctrl toggles, the background clears), Delete removes the
  selection with its edges, a double-click opens the node editor.
Everything goes through the document's undo stack; the canvas is redrawn from the model.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QCursor, QKeySequence, QPainterPath, QPen
from PySide6.QtWidgets import QApplication, QGraphicsPathItem, QToolTip

from ..core.errors import GraphError
from ..core.ops import OPS
from ..render.node_item import NodeItem
from ..render.plain_text import plain_tooltip
from .graph_commands import (
    AddNodeCommand,
    ConnectCommand,
    DisconnectCommand,
    RemoveNodesCommand,
    push_commands,
)
from .menus import action
from .palette import kind_of

HIT_PX = 16.0
"""How near (in screen pixels) to an anchor a press or a release counts as on it."""


class CanvasWiring(QObject):
    """Gestures on the canvas of ``window`` (a MainWindow), turned into graph commands."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.document = window.document
        self.scene = window.scene
        self.view = window.view
        self.last_refusal = ""
        """The last refused connection's reason (also shown at the mouse)."""
        self._drag: _WireDrag | None = None
        self.view.setAcceptDrops(True)
        self.view.viewport().setAcceptDrops(True)
        self.view.viewport().installEventFilter(self)
        self.scene.installEventFilter(self)
        self.scene.nodeClicked.connect(self._on_node_clicked)
        self.scene.nodeDoubleClicked.connect(self.edit_node)
        self.delete_action = action(window, "&Delete", self.delete_selection,
                                    [QKeySequence.StandardKey.Delete, "Backspace"],
                                    "Delete the selected nodes and their edges")
        # Only on the canvas: Delete in the program editor deletes text.
        window.removeAction(self.delete_action)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.view.addAction(self.delete_action)
        window.menus.edit.addAction(self.delete_action)

    # --- adding ------------------------------------------------------------------------
    def add_node(self, kind: str, pos: QPointF | None = None) -> str | None:
        """Add a ``kind`` node at ``pos`` (scene), or in the middle of the view."""
        if len(self.document.graph) == 0:
            self.view.resetTransform()  # a new graph starts at 100 %, whatever came before
        if pos is None:
            pos = self._free_spot(self.view.mapToScene(self.view.viewport().rect().center()))
        try:
            cmd = AddNodeCommand(self.document, kind, (pos.x(), pos.y()),
                                 pinned=self.scene.positions())
        except GraphError as exc:
            self._refuse(str(exc))
            return None
        self.push(cmd)
        self.select([cmd.node_id])
        return cmd.node_id

    def _free_spot(self, pos: QPointF) -> QPointF:
        # Activated twice in a row, entries should not land on top of each other.
        step = 0
        while step < 20 and any(i.sceneBoundingRect().contains(pos)
                                for i in self.scene.node_items()):
            pos = pos + QPointF(0, 70)
            step += 1
        return pos

    # --- connecting ----------------------------------------------------------------------
    def connect_nodes(self, source: str, target: str, port: int,
                      detach: tuple[str, int] | None = None) -> bool:
        """Connect ``source`` into ``target``'s ``port`` (moving the wire ``detach`` when
        given); a refusal is shown at the mouse and nothing changes."""
        graph = self.document.graph
        if detach == (target, port):
            return False  # put back where it was
        check = graph
        if detach is not None:
            check = graph.copy()
            check.disconnect(*detach)
        problem = check.connection_problem(source, target, port)
        if problem:
            self._refuse(f"Cannot connect: {problem}")
            return False
        pinned = self.scene.positions()
        if detach is None:
            self.push(ConnectCommand(self.document, source, target, port, pinned))
            return True
        self.push(DisconnectCommand(self.document, *detach, pinned),
                  ConnectCommand(self.document, source, target, port),
                  macro="Move connection")
        return True

    def disconnect_port(self, target: str, port: int) -> None:
        try:
            cmd = DisconnectCommand(self.document, target, port, self.scene.positions())
        except GraphError as exc:
            self._refuse(str(exc))
            return
        self.push(cmd)

    def push(self, *commands, macro: str = "") -> None:
        """Push ``commands`` (one undo step). The window keeps the view still for canvas
        edits (their
        nodes stay where they are); building by hand also stops fitting on resize, as
        after any zoom by hand, so the canvas never jumps while a graph grows."""
        push_commands(self.document.undo_stack, *commands, macro=macro)
        self.view.zoom_by(1.0)

    def _refuse(self, message: str) -> None:
        self.last_refusal = message
        QToolTip.showText(QCursor.pos() + QPoint(12, 12), plain_tooltip(message), self.view)
        self.window.statusBar().showMessage(message, 8000)

    # --- selection and deleting ------------------------------------------------------------
    @property
    def selected(self) -> list[str]:
        """The chosen nodes (the document's selection; the scene draws it)."""
        return list(self.document.selection)

    def select(self, node_ids: list[str]) -> None:
        self.document.set_selection(node_ids)

    def delete_selection(self) -> None:
        if not self.selected:
            self.window.statusBar().showMessage("Select nodes to delete (click them)", 5000)
            return
        cmd = RemoveNodesCommand(self.document, self.selected, self.scene.positions())
        self.select([])
        self.push(cmd)

    def _on_node_clicked(self, node_id: str) -> None:
        if QApplication.keyboardModifiers() & Qt.KeyboardModifier.ControlModifier:
            ids = [n for n in self.selected if n != node_id]
            self.select(ids if node_id in self.selected else ids + [node_id])
        else:
            self.select([node_id])

    # --- the node editor -----------------------------------------------------------------
    def edit_node(self, node_id: str):
        """Rename the node, or set an input's or constant's value (a small dialog)."""
        from .node_editor import NodeEditor

        if node_id not in self.document.graph:
            return None
        dialog = NodeEditor(self.document, node_id, self.window, self.push)
        dialog.open()
        return dialog

    # --- events ----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        t = event.type()
        if watched is self.scene:
            if t == QEvent.Type.GraphicsSceneMousePress:
                return self._press(event)
            if t == QEvent.Type.GraphicsSceneMouseMove and self._drag is not None:
                self._drag.follow(event.scenePos(), self._target_at(event.scenePos()))
                event.accept()
                return True
            if t == QEvent.Type.GraphicsSceneMouseRelease and self._drag is not None:
                self._release(event.scenePos())
                event.accept()
                return True
            return False
        if t in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if kind_of(event.mimeData()) is not None:
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
                return True
        elif t == QEvent.Type.Drop:
            kind = kind_of(event.mimeData())
            if kind is not None:
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
                at = event.position().toPoint()
                if len(self.document.graph) == 0:
                    self.view.resetTransform()
                self.add_node(kind, self.view.mapToScene(at))
                self.view.setFocus()
                return True
        return False

    def _press(self, event) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        p = event.scenePos()
        start = self._wire_start_at(p)
        if start is None:
            if not any(isinstance(i, NodeItem) for i in self.scene.items(p)):
                self.select([])
            return False
        source, detach = start
        self._drag = _WireDrag(self.scene, source, detach)
        self._drag.follow(p, None)
        event.accept()
        return True

    def _release(self, p: QPointF) -> None:
        drag, self._drag = self._drag, None
        drag.remove()
        target = self._target_at(p)
        if target is None:
            if drag.detach is not None:
                self.disconnect_port(*drag.detach)
            return
        self.connect_nodes(drag.source, target[0], target[1], drag.detach)

    def _radius(self) -> float:
        return HIT_PX / max(self.view.transform().m11(), 1e-3)

    def _wire_start_at(self, p: QPointF) -> tuple[str, tuple[str, int] | None] | None:
        """What a press at ``p`` drags: a new wire from an output, or a connected input's
        wire (its source, and the port it leaves)."""
        r, graph = self._radius(), self.document.graph
        best: tuple[float, tuple[str, tuple[str, int] | None]] | None = None
        for item in self.scene.node_items():
            n = item.node_id
            if n not in graph:
                continue
            d = _distance(p, item.output_anchor())
            if d <= r and (best is None or d < best[0]):
                best = (d, (n, None))
            for port, source in enumerate(graph.operands(n)):
                d = _distance(p, item.input_anchor(port))
                if source is not None and d <= r and (best is None or d < best[0]):
                    best = (d, (source, (n, port)))
        return best[1] if best else None

    def _target_at(self, p: QPointF) -> tuple[str, int] | None:
        """The input port a wire released at ``p`` goes to: the nearest port within reach,
        else the first free port of the node under the mouse."""
        r, graph = self._radius() * 1.5, self.document.graph
        best: tuple[float, str, int] | None = None
        for item in self.scene.node_items():
            if item.node_id not in graph or item.node.kind != "op":
                continue
            for port in range(OPS[item.node.op].arity):
                d = _distance(p, item.input_anchor(port))
                if d <= r and (best is None or d < best[0]):
                    best = (d, item.node_id, port)
        if best is not None:
            return best[1], best[2]
        for item in self.scene.items(p):
            if isinstance(item, NodeItem) and item.node_id in graph:
                operands = graph.operands(item.node_id)
                free = [i for i, s in enumerate(operands) if s is None]
                return item.node_id, (free[0] if free else 0)
        return None


class _WireDrag:
    """The wire that follows the mouse while connecting."""

    def __init__(self, scene, source: str, detach: tuple[str, int] | None) -> None:
        self.scene, self.source, self.detach = scene, source, detach
        self.item = QGraphicsPathItem()
        self.item.setZValue(10.0)
        self.item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        scene.addItem(self.item)
        scene.set_ports_shown(True)  # where the wire can go

    def follow(self, p: QPointF, target: tuple[str, int] | None) -> None:
        try:
            start = self.scene.node_item(self.source).output_anchor()
        except KeyError:
            return
        graph, theme = self.scene.graph, self.scene.theme
        ok = target is None or graph is None or not graph.connection_problem(
            self.source, *target) or self.detach == target
        pen = QPen(QColor(theme.value if ok else theme.problem), theme.edge_width * 1.5,
                   Qt.PenStyle.SolidLine if target is not None else Qt.PenStyle.DashLine)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.item.setPen(pen)
        path = QPainterPath(start)
        dx = max(40.0, abs(p.x() - start.x()) / 2)
        path.cubicTo(start + QPointF(dx, 0), p - QPointF(dx, 0), p)
        self.item.setPath(path)

    def remove(self) -> None:
        self.scene.set_ports_shown(False)
        if self.item.scene() is self.scene:
            self.scene.removeItem(self.item)


def _distance(a: QPointF, b: QPointF) -> float:
    return math.hypot(a.x() - b.x(), a.y() - b.y())


def install_editing(window) -> None:
    """Give ``window`` the graph-building tools: the palette, the canvas wiring, the undo
    history, the File menu's document actions and autosave (as attributes)."""
    from .autosave import Autosave
    from .file_actions import FileActions
    from .palette import Palette
    from .undo_view import add_history_panel

    window.wiring = CanvasWiring(window)
    window.palette = Palette(window)
    window.palette.entryActivated.connect(lambda kind: window.wiring.add_node(kind))
    window.palette_dock = window.add_panel("Palette", window.palette,
                                           Qt.DockWidgetArea.LeftDockWidgetArea)
    window.history_dock = add_history_panel(window)
    window.file_actions = FileActions(window)
    window.autosave = Autosave(window, window.file_actions)
    from .group_menu import install_group_menu  # right-click: collapse or open a group

    install_group_menu(window)
