"""A table of every node's value and gradient as known at the current step."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from ..core.evaluation import Evaluation
from ..core.graph import Graph, Node
from ..core.notation import format_number, full_precision
from ..core.ops import OPS

UNKNOWN = "–"
COLUMNS = ("Node", "Value", "Grad", "Computes")
"""Short headers, as the nodes on the canvas say them: a side panel is narrow."""
_NUMBERS = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ValuesTable(QTableWidget):
    """One row per node, in the order the forward pass computes them.

    The columns always fit the panel (no sideways scrolling in a narrow side panel): the
    numbers and names take what they need, the operation gets the rest and is written
    short, as the node computes it (``c · d``), with its full name in the tooltip.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("valuesTable")
        self.setHorizontalHeaderLabels(COLUMNS)
        tips = ("The node's name", "Its value at this step (– not computed yet)",
                "Its gradient: ∂output/∂node as known at this step", "What the node computes")
        for c, tip in enumerate(tips):
            self.horizontalHeaderItem(c).setToolTip(tip)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setMinimumSectionSize(24)
        for c in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self._rows: dict[str, int] = {}
        self._nodes: list[Node] = []
        self._for: Evaluation | None = None

    def show_state(self, evaluation: Evaluation | None, index: int) -> None:
        if evaluation is None:
            self.setRowCount(0)
            self._rows, self._nodes, self._for = {}, [], None
            return
        if evaluation is not self._for:  # a new run: new rows; a new step: new numbers
            self._set_rows(evaluation.graph)
            self._for = evaluation
        state = evaluation.timeline.state(index)
        for r, node in enumerate(self._nodes):
            value = state.values.get(node.id)
            grad = state.grads.get(node.id) if node.kind != "const" else None
            self._set_number(r, 1, value)
            self._set_number(r, 2, grad)

    def _set_rows(self, graph: Graph) -> None:
        self._nodes = graph.nodes()
        self._rows = {n.label: r for r, n in enumerate(self._nodes)}
        self.setRowCount(len(self._nodes))
        for r, node in enumerate(self._nodes):
            self.setItem(r, 0, QTableWidgetItem(node.label))
            for c in (1, 2):
                item = QTableWidgetItem(UNKNOWN)
                item.setTextAlignment(_NUMBERS)
                self.setItem(r, c, item)
            text, tip = _operation(graph, node)
            item = QTableWidgetItem(text)
            item.setToolTip(tip)
            self.setItem(r, 3, item)

    def _set_number(self, row: int, column: int, x: float | None) -> None:
        item = self.item(row, column)
        text = UNKNOWN if x is None else format_number(x)
        if item.text() != text:
            item.setText(text)
            item.setToolTip("" if x is None else full_precision(x))

    def shown(self, label: str, column: str) -> str:
        """The text shown for node ``label`` in ``column`` ("Value" or "Gradient")."""
        item = self.item(self._rows[label], 2 if column == "Gradient" else COLUMNS.index(column))
        return item.text() if item else ""


def _operation(graph: Graph, node: Node) -> tuple[str, str]:
    """What ``node`` computes, short (``c · d``), and in words for the tooltip."""
    if node.kind != "op":
        return node.kind, "an input (it gets a gradient)" if node.kind == "input" else \
            "a constant (no gradient)"
    op = OPS[node.op]
    names = [graph.node(s).label if s is not None else "?" for s in graph.operands(node.id)]
    text = op.expression(*names)
    return text, f"{op.title}: {node.label} = {text}"
