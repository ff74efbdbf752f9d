"""A table of every node's value and gradient as known at the current step.

A model over the run and a view of it: a step or a new input value changes two columns of
numbers, and the view repaints the rows in sight; no text is made for a row nobody sees.
"""
from __future__ import annotations

import heapq

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ..core.evaluation import Evaluation
from ..core.graph import Graph
from ..core.labels import distinct_labels
from ..core.notation import format_number, full_precision
from ..core.ops import OPS
from ..core.steps import State
from ..render.plain_text import plain_tooltip
from .opening import keep_going

UNKNOWN = "–"
COLUMNS = ("Node", "Value", "Grad", "Computes")
"""Short headers, as the nodes on the canvas say them: a side panel is narrow."""
HEADER_TIPS = ("The node's name", "Its value at this step (– not computed yet)",
               "Its gradient: ∂output/∂node as known at this step", "What the node computes")
NODE, VALUE, GRAD, COMPUTES = range(len(COLUMNS))
TANGENT_HEADER = ("Tangent", "Forward mode: its tangent, the ε part of its dual number "
                             "(∂node/∂the input this pass seeds)")
_NUMBERS = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_MEASURED = 24
"""How many of a column's longest texts (by characters) are measured in pixels: in a
proportional font the longest text is not always the widest, but it is among these."""

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the parent of every row: a table has no tree

CELL_MARGIN = 8
"""What an item view adds around a cell's text, in pixels (Qt's common styles: twice the
focus frame's margin of 2, plus 1 each side, with a pixel to spare)."""


class ValuesModel(QAbstractTableModel):
    """One row per node, in the order the forward pass computes them, at one state.

    Rows are the run's node ids and names (a label several nodes share is shown with the
    node's id, ``x (#x2)``: every node has its row); numbers are read from the state and written
    when asked for, so showing another step or another run of the same graph costs one
    ``dataChanged`` however many rows there are.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._ids: list[str] = []
        self._labels: list[str] = []
        self._names: dict[str, str] = {}  # node id -> the name shown
        self._graph: Graph | None = None
        self._state: State | None = None
        self._computes: dict[int, tuple[str, str]] = {}  # row -> (text, tooltip), as shown
        self._tangents = False  # forward mode: the second number is the tangent

    @property
    def labels(self) -> list[str]:
        return self._labels

    def show(self, run: Evaluation | None, state: State | None) -> None:
        """Show ``run``'s nodes at ``state``; the same nodes keep their rows."""
        graph = None if run is None else run.graph
        if run is None or state is None:
            ids, labels = [], []
        else:
            # The run holds its values in the order it computed them (Graph.order):
            # sorting the graph again would cost more than the rest of a step together.
            ids = list(run.values)
            names = distinct_labels(graph, ids)
            labels = list(names.values())
        if ids != self._ids or labels != self._labels:
            self.beginResetModel()
            self._ids, self._labels, self._graph, self._state = ids, labels, graph, state
            self._names = dict(zip(ids, labels, strict=True))
            self._computes = {}
            self.endResetModel()
            return
        self._graph, self._state = graph, state
        if ids:
            self.dataChanged.emit(self.index(0, VALUE), self.index(len(ids) - 1, GRAD))
        self._refresh_computes()

    def set_tangents(self, tangents: bool) -> None:
        """Whether the second number is a forward-mode tangent instead of a gradient."""
        if tangents != self._tangents:
            self._tangents = tangents
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, GRAD, GRAD)

    def show_state(self, state: State) -> None:
        """The same run at another step: new numbers only."""
        self._state = state
        if self._ids:
            self.dataChanged.emit(self.index(0, VALUE), self.index(len(self._ids) - 1, GRAD))

    def _refresh_computes(self) -> None:
        # The same names in the same order can still be wired differently (an input
        # moved to another node on the canvas): only the operations already shown are
        # worked out again, the rest are when they come into sight.
        shown, self._computes = self._computes, {}
        changed = [r for r, before in shown.items() if self._operation(r) != before]
        for r in changed:
            self.dataChanged.emit(self.index(r, COMPUTES), self.index(r, COMPUTES))

    def number(self, row: int, column: int) -> float | None:
        """The value (``VALUE``) or gradient (``GRAD``) of ``row``'s node, if known."""
        node, state = self._ids[row], self._state
        if column == VALUE:
            return state.values.get(node)
        if self._tangents:  # a forward-mode pass's state (a constant's tangent is 0)
            return state.tangents.get(node)
        if self._graph.nx.nodes[node]["kind"] == "const":
            return None  # a constant has no gradient, whatever the engine kept for it
        return state.grads.get(node)

    def _operation(self, row: int) -> tuple[str, str]:
        if row not in self._computes:
            self._computes[row] = _operation(self._graph, self._ids[row], self._names)
        return self._computes[row]

    # --- QAbstractTableModel ----------------------------------------------------------
    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NODE:
                return self._labels[row]
            if column == COMPUTES:
                return self._operation(row)[0]
            x = self.number(row, column)
            return UNKNOWN if x is None else format_number(x)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COMPUTES:
                return plain_tooltip(self._operation(row)[1])
            if column in (VALUE, GRAD):
                x = self.number(row, column)
                return None if x is None else full_precision(x)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (VALUE, GRAD):
            return _NUMBERS
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if self._tangents and section == GRAD:
            return TANGENT_HEADER[role == Qt.ItemDataRole.ToolTipRole] \
                if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) else None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS[section]
        return None


class ValuesTable(QTableView):
    """One row per node, in the order the forward pass computes them.

    The columns always fit the panel (no sideways scrolling in a narrow side panel): the
    numbers and names take what they need, the operation gets the rest and is written
    short, as the node computes it (``c · d``), with its full name in the tooltip.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("valuesTable")
        self.values = ValuesModel(self)
        self.setModel(self.values)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        # Every row is one line: the view need not ask each row for its height.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setMinimumSectionSize(24)
        for c in range(COMPUTES):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COMPUTES, QHeaderView.ResizeMode.Stretch)
        self._for: Evaluation | None = None
        self._index: int | None = None
        self._wanted: dict[int, int] = {}  # column -> the width its widest text needs

    def show_state(self, evaluation: Evaluation | None, index: int) -> None:
        """Show ``evaluation`` at step ``index`` (None: an empty table)."""
        self.values.set_tangents(False)
        if evaluation is None:
            self.values.show(None, None)
            self._for, self._index = None, None
            return
        if evaluation is self._for and index == self._index:
            return
        state = evaluation.timeline.state(index)
        if evaluation is self._for:  # a new step: new numbers
            self.values.show_state(state)
        else:  # a new run: new rows, or the same rows with new numbers
            self.values.show(evaluation, state)
            keep_going()  # (each a tenth of a second at 100,000 nodes)
            self._fit_columns(evaluation)
        self._for, self._index = evaluation, index

    def show_forward(self, evaluation: Evaluation, forward_pass, index: int) -> None:
        """Show step ``index`` of a forward-mode pass (`core.forward.ForwardPass`) of
        ``evaluation``: each node's value and tangent."""
        self.values.set_tangents(True)
        self.values.show(evaluation, forward_pass.state(index))
        if evaluation is not self._for:
            self._fit_columns(evaluation)
        self._for, self._index = None, None  # the next reverse state is shown anew

    def _fit_columns(self, run: Evaluation) -> None:
        """Widths for the name and number columns from the run's own texts.

        Measured over the run's final numbers (every value and gradient known), so the
        columns stay put while it is stepped through; a part-way gradient wider than any
        final one is elided, with every digit in its tooltip.
        """
        # The run keeps no gradient for a constant, as the table shows none.
        texts = {NODE: _longest(self.values.labels),
                 VALUE: [UNKNOWN, *_number_texts(run.values.values())],
                 GRAD: [UNKNOWN, *_number_texts(run.grads.values())]}
        metrics = QFontMetrics(self.font())
        margin = CELL_MARGIN + self.showGrid()
        header = self.horizontalHeader()
        for column, candidates in texts.items():
            widest = max((metrics.horizontalAdvance(t) for t in candidates), default=0)
            self._wanted[column] = max(widest + margin, header.sectionSizeHint(column))
        self._apply_widths()

    def _apply_widths(self) -> None:
        """The wanted widths, shrunk alike where the panel is narrower than they are.

        Room is kept for the operation's column and for a vertical scroll bar (it comes
        and goes without the table being resized); shrunk texts are elided.
        """
        header = self.horizontalHeader()
        least = header.minimumSectionSize()
        room = (self.contentsRect().width() - self.verticalScrollBar().sizeHint().width()
                - least)
        wanted = sum(self._wanted.values())
        scale = min(1.0, room / wanted) if wanted and room > 0 else 1.0
        for column, width in self._wanted.items():
            header.resizeSection(column, max(least, int(width * scale)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._apply_widths()

    # --- reading what is shown (tests and callers that only want the text) ------------
    def shown(self, label: str, column: str) -> str:
        """The text shown for node ``label`` in ``column`` ("Value", "Gradient", or in
        forward mode "Tangent")."""
        c = GRAD if column in ("Gradient", "Tangent") else COLUMNS.index(column)
        return self.values.index(self.values.labels.index(label), c).data() or ""


def _number_texts(numbers) -> list[str]:
    """The longest of ``numbers`` as shown (their exact widths are measured after).

    ``{:.5g}`` has nearly the length `format_number` writes and runs at C speed; only the
    longest few are written properly.
    """
    numbers = list(numbers)
    lengths = list(map(len, map("{:.5g}".format, numbers)))
    longest = heapq.nlargest(_MEASURED, range(len(numbers)), key=lengths.__getitem__)
    return [format_number(numbers[i]) for i in longest]


def _longest(texts: list[str]) -> list[str]:
    return heapq.nlargest(_MEASURED, set(texts), key=len)


def _operation(graph: Graph, node_id: str, names: dict[str, str]) -> tuple[str, str]:
    """What a node computes, short (``c · d``), and in words for the tooltip; nodes are
    called by ``names`` (id -> name shown)."""
    node = graph.node(node_id)
    if node.kind != "op":
        return node.kind, "an input (it gets a gradient)" if node.kind == "input" else \
            "a constant (no gradient)"
    op = OPS[node.op]
    operands = [names.get(s, graph.node(s).label) if s is not None else "?"
                for s in graph.operands(node.id)]
    text = op.expression(*operands)
    return text, f"{op.title}: {names.get(node_id, node.label)} = {text}"
