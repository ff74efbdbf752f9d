"""The list of every step of the run; clicking one jumps there."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from ..core import explain
from ..core.evaluation import Evaluation


class StepsList(QListWidget):
    """Row ``k`` is the state after ``k`` steps (row 0: the inputs, nothing computed yet)."""

    stepChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepsList")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        font = QFont(self.font())
        font.setPointSize(12)
        self.setFont(font)
        self.itemClicked.connect(self._chosen)
        self.itemActivated.connect(self._chosen)

    def set_evaluation(self, evaluation: Evaluation | None) -> None:
        self.blockSignals(True)
        self.clear()
        if evaluation is not None:
            graph, output = evaluation.graph, evaluation.output
            self.addItem(QListWidgetItem("0. " + explain.describe(None, graph, output)))
            for i, step in enumerate(evaluation.timeline.steps, start=1):
                text = f"{i}. {explain.describe(step, graph, output)}"
                item = QListWidgetItem(text)
                item.setToolTip(text)
                self.addItem(item)
        self.blockSignals(False)

    def show_index(self, index: int) -> None:
        """Select and reveal the row of the step being shown."""
        self.blockSignals(True)
        self.setCurrentRow(index)
        item = self.item(index)
        if item is not None:
            self.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.blockSignals(False)

    def _chosen(self, item: QListWidgetItem) -> None:
        self.stepChosen.emit(self.row(item))
