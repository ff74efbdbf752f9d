"""A table of every node's value and gradient as known at the current step."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from ..core.evaluation import Evaluation
from ..core.notation import format_number, full_precision
from ..core.ops import OPS

UNKNOWN = "–"
COLUMNS = ("Node", "Value", "Gradient", "Operation")


class ValuesTable(QTableWidget):
    """One row per node, in the order the forward pass computes them."""

    def __init__(self, parent=None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("valuesTable")
        self.setHorizontalHeaderLabels(COLUMNS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self._rows: dict[str, int] = {}

    def show_state(self, evaluation: Evaluation | None, index: int) -> None:
        if evaluation is None:
            self.setRowCount(0)
            self._rows = {}
            return
        graph = evaluation.graph
        state = evaluation.timeline.state(index)
        nodes = graph.nodes()
        self.setRowCount(len(nodes))
        self._rows = {}
        for r, node in enumerate(nodes):
            self._rows[node.label] = r
            kind = OPS[node.op].title if node.kind == "op" else node.kind
            value = state.values.get(node.id)
            grad = state.grads.get(node.id) if node.kind != "const" else None
            cells = (node.label, _cell(value), _cell(grad), kind)
            tips = ("", full_precision(value), full_precision(grad), "")
            for c, (text, tip) in enumerate(zip(cells, tips, strict=True)):
                item = QTableWidgetItem(text)
                if c in (1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    if text != UNKNOWN:
                        item.setToolTip(tip)
                self.setItem(r, c, item)

    def shown(self, label: str, column: str) -> str:
        """The text shown for node ``label`` in ``column`` ("Value" or "Gradient")."""
        item = self.item(self._rows[label], COLUMNS.index(column))
        return item.text() if item else ""


def _cell(x: float | None) -> str:
    return UNKNOWN if x is None else format_number(x)
