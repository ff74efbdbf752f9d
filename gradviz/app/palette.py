"""The palette: Input, Constant and every operation of the op table, to drag onto the canvas.

Built from `ops.OPS`, so a new operation appears here by itself. Dragging an entry
carries its kind ("input", "const" or an op id) under `NODE_MIME`; the canvas wiring
accepts the drop. Double-click or Enter on an entry asks for the node at the view's
centre (``entryActivated``).
"""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from ..core.ops import OPS
from .graph_commands import CONSTANT, INPUT

NODE_MIME = "application/x-gradviz-node"
KIND_ROLE = Qt.ItemDataRole.UserRole


def palette_entries() -> list[tuple[str, str, str]]:
    """``(kind, symbol, title)`` for every entry, in palette order."""
    entries = [(INPUT, "x", "Input"),
               (CONSTANT, "1", "Constant")]
    entries += [(op.id, op.symbol, op.title) for op in OPS.values()]
    return entries


def node_mime(kind: str) -> QMimeData:
    """What a drag from the palette carries."""
    mime = QMimeData()
    mime.setData(NODE_MIME, QByteArray(kind.encode("utf-8")))
    mime.setText(kind)
    return mime


def kind_of(mime: QMimeData) -> str | None:
    """The node kind a drop carries, or None when it is not a palette entry."""
    if not mime.hasFormat(NODE_MIME):
        return None
    kind = bytes(mime.data(NODE_MIME).data()).decode("utf-8", "replace")
    return kind if kind in (INPUT, CONSTANT) or kind in OPS else None


class Palette(QListWidget):
    """A list of node kinds; drag one out, or activate it to add it in the middle."""

    entryActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("palette")
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)
        font = self.font()
        font.setPointSizeF(max(font.pointSizeF(), 12))
        self.setFont(font)
        for kind, symbol, title in palette_entries():
            item = QListWidgetItem(f"{symbol}   {title}")
            item.setData(KIND_ROLE, kind)
            what = "an input: a value with a gradient" if kind == INPUT else title
            item.setToolTip(f"Drag onto the canvas (or double-click) to add {what}")
            self.addItem(item)
        self.itemActivated.connect(lambda item: self.entryActivated.emit(item.data(KIND_ROLE)))

    def kinds(self) -> list[str]:
        return [self.item(i).data(KIND_ROLE) for i in range(self.count())]

    def sizeHint(self) -> QSize:
        return QSize(self.sizeHintForColumn(0) + 30, 300)

    def mimeTypes(self) -> list[str]:
        return [NODE_MIME]

    def mimeData(self, items) -> QMimeData:
        return node_mime(items[0].data(KIND_ROLE)) if items else QMimeData()

    def startDrag(self, actions) -> None:
        item = self.currentItem()
        if item is None:
            return
        drag = QDrag(self)
        drag.setMimeData(node_mime(item.data(KIND_ROLE)))
        drag.exec(Qt.DropAction.CopyAction)
