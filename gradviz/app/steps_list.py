"""The list of every step of the run; clicking one jumps there.

A model over the run and a view of it: a step's text is written when its row is first
shown, so a run of thousands of steps is listed at once and described only as far as
anyone scrolls.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from ..core import explain
from ..core.evaluation import Evaluation
from ..core.notation import unbroken
from ..render.plain_text import plain_tooltip

WRAPPED_ROWS = 200
"""Up to this many rows a long step wraps onto more lines, as each row's height is
worked out from its text; a longer run is one line a step (the whole text in its
tooltip), so that no row needs its text until it comes into sight."""

Index = QModelIndex | QPersistentModelIndex


def unfinished(problem: str) -> str:
    """The one row of a graph that cannot run yet, saying why.

    Said so that it holds for a graph not finished (an input not connected) and for one
    whose numbers the engine refuses (``log(-1)``): the list is told only the reason.
    """
    return f"No steps until the graph can run: {problem.rstrip('.')}."


class StepsModel(QStringListModel):
    """Row ``k`` is the state after ``k`` steps; or one row saying why there are none.

    The rows are a string list of blanks, so that Qt counts them in C++ (a list view
    lays out every row, and asking Python for the count each time cost more than the
    rest of a step together on a large run); the texts come from `text`.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._run: Evaluation | None = None
        self._problem = ""
        self._labels: dict[str, str] | None = None
        self._texts: list[str | None] = []
        self._pass = None  # a core.forward.ForwardPass listed instead of the run's steps

    @property
    def problem(self) -> str:
        """Why there are no steps ("" when there is a run, or nothing to say)."""
        return self._problem

    def set_forward_pass(self, run: Evaluation, forward_pass) -> None:
        """List a forward-mode pass's steps (its dual arithmetic) for ``run``'s graph."""
        self._run, self._labels, self._pass, self._problem = run, None, forward_pass, ""
        self._texts = [None] * (len(forward_pass) + 1)
        self.setStringList([""] * len(self._texts))

    def set_evaluation(self, run: Evaluation | None, problem: str = "") -> None:
        if self._pass is not None:  # from forward mode: the rows are other steps
            self._pass, self._run = None, None
        same_rows = run is not None and self._run is not None \
            and len(run.timeline) == len(self._run.timeline)
        self._run, self._labels = run, None
        self._problem = problem if run is None else ""
        rows = len(run.timeline) + 1 if run is not None else int(bool(problem))
        self._texts = [None] * rows
        if same_rows:  # new numbers in the same steps: the rows stay, their texts change
            self.dataChanged.emit(self.index(0), self.index(rows - 1))
        else:
            self.setStringList([""] * rows)  # a model reset

    def text(self, row: int) -> str:
        """The text of ``row``, written the first time it is asked for."""
        text = self._texts[row]
        if text is None:
            text = self._texts[row] = self._write(row)
        return text

    def _write(self, row: int) -> str:
        run = self._run
        if run is None:
            return unfinished(self._problem)
        if self._labels is None:  # once per run, not once per step
            self._labels = run.graph.labels()
        if self._pass is not None:
            p = self._pass
            return f"{row}. {p.steps[row - 1].text}" if row else f"0. {p.counter()}"
        if row == 0:
            return f"0. {explain.opening(run.graph, run.output, self._labels, run.order)}"
        step = run.timeline.steps[row - 1]
        text = explain.describe(step, run.graph, run.output, self._labels, run.values)
        return f"{row}. {text}"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return unbroken(self.text(index.row()))  # wrapped between terms only
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self.text(index.row()))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if self._run is None:  # the reason is read, not chosen
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class StepsList(QListView):
    """Row ``k`` is the state after ``k`` steps (row 0: the inputs, nothing computed yet)."""

    stepChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepsList")
        self.steps = StepsModel(self)
        self.setModel(self.steps)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)  # wrapped rows follow the width
        font = QFont(self.font())
        font.setPointSize(12)
        self.setFont(font)
        self.clicked.connect(self._chosen)
        self.activated.connect(self._chosen)
        self._set_wrapping(True)

    def set_evaluation(self, evaluation: Evaluation | None, problem: str = "") -> None:
        """List ``evaluation``'s steps; without one, say ``problem`` (if any) instead."""
        self.blockSignals(True)
        self.steps.set_evaluation(evaluation, problem)
        self._set_wrapping(self.steps.rowCount() <= WRAPPED_ROWS)
        self.blockSignals(False)

    def set_forward_pass(self, evaluation: Evaluation, forward_pass) -> None:
        """List the steps of a forward-mode pass (`core.forward.ForwardPass`)."""
        self.blockSignals(True)
        self.steps.set_forward_pass(evaluation, forward_pass)
        self._set_wrapping(self.steps.rowCount() <= WRAPPED_ROWS)
        self.blockSignals(False)

    def _set_wrapping(self, wrap: bool) -> None:
        self.setWordWrap(wrap)
        # Rows of one line each are all as high as the first: the view asks no other
        # row for its size, and so for its text, until it is shown.
        self.setUniformItemSizes(not wrap)

    def show_index(self, index: int) -> None:
        """Select and reveal the row of the step being shown."""
        if self.steps.problem or not 0 <= index < self.steps.rowCount():
            return
        row = self.steps.index(index)
        self.blockSignals(True)
        self.setCurrentIndex(row)
        self.scrollTo(row, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.blockSignals(False)

    def _chosen(self, index: QModelIndex) -> None:
        if not self.steps.problem:
            self.stepChosen.emit(index.row())

    def text(self, row: int) -> str:
        """The text of ``row`` as shown."""
        return self.steps.text(row)
