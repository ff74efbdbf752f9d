"""The "Check" action: every input's gradient against finite differences and PyTorch.

The notebook ends by checking its hand-derived gradients against PyTorch; this is that
move in one click. The core does the checking (imported only when asked, so PyTorch is
never loaded at start-up); the dialog shows one row per input. A big check (seconds:
a few runs of the whole graph per input) runs in a worker thread behind a cancellable
progress dialog that counts the inputs (`check_cancellably`).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import GradvizError
from ..core.graph import Graph
from ..core.notation import format_number, full_precision
from ..render.plain_text import make_plain, plain_tooltip
from .background import CANCELLED, run_cancellably

COLUMNS = ("Input", "Engine", "Finite difference", "PyTorch", "Result")
BIG_CHECK = 5_000
"""Checks of at least this many nodes × inputs run behind a progress dialog: each input
costs a few runs of the graph, about 50 µs a node each, so this is a quarter second and
up (the notebook's example is 7 nodes × 2 inputs)."""


def run_check(graph: Graph, grads: dict[str, float] | None = None, progress=None):
    """The core's gradient check of ``grads`` (by input id; default: reverse mode's),
    telling ``progress`` (done, total) before each input; a separate function so that
    tests can run it without torch."""
    from ..core.check import check_gradients

    return check_gradients(graph, grads=grads, progress=progress)


def check_cancellably(parent: QWidget | None, graph: Graph,
                      grads: dict[str, float] | None = None):
    """`run_check`'s checks, or `CANCELLED`: a big check runs in a worker thread behind a
    progress dialog with Cancel, a small one here behind a wait cursor. GradvizError is
    raised here."""
    def work(progress):
        return run_check(graph, grads, progress=progress)

    if len(graph) * len(graph.inputs()) < BIG_CHECK:
        return _waiting(lambda: run_check(graph, grads))
    return run_cancellably(
        parent, work, big=True, title="Check gradients", text="Checking gradients…",
        counted=lambda done, total: f"Checking gradients: input {done + 1:,} of {total:,}…")


def _waiting(work):
    """``work()`` behind a wait cursor (a check of a fraction of a second)."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return work()
    finally:
        QGuiApplication.restoreOverrideCursor()


class CheckDialog(QDialog):
    """A table of checks, one row per input, with a one-line verdict on top."""

    @classmethod
    def checking(cls, graph: Graph, output_label: str, parent: QWidget | None = None,
                 forward_grads: dict[str, float] | None = None) -> "CheckDialog | None":
        """The dialog on a check made by `check_cancellably` (behind a progress dialog
        when big); None if the user cancelled it."""
        try:
            checks = check_cancellably(parent, graph, forward_grads)
        except GradvizError as exc:
            return cls(graph, output_label, parent, forward_grads, checks=[], problem=str(exc))
        if checks is CANCELLED:
            return None
        return cls(graph, output_label, parent, forward_grads, checks=checks)

    def __init__(self, graph: Graph, output_label: str, parent: QWidget | None = None,
                 forward_grads: dict[str, float] | None = None, checks: list | None = None,
                 problem: str = "") -> None:
        """``forward_grads`` (by input id): forward mode's gradients are the ones checked.
        ``checks`` made already (`checking`), or why they could not be (``problem``);
        without either the check is made here and now, however long it takes."""
        super().__init__(parent)
        self.setWindowTitle("Check gradients" if forward_grads is None
                            else "Check gradients — forward mode")
        self.setObjectName("checkDialog")
        self.summary = make_plain(QLabel(self))
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 320)
        if checks is None and not problem:  # at once, on this thread
            try:
                checks = _waiting(lambda: run_check(graph, forward_grads))
            except GradvizError as exc:
                checks, problem = [], str(exc)
        self.checks = [] if problem else checks
        if problem:
            self.summary.setText(f"Cannot check this graph: {problem}")
            return
        self._fill(output_label)

    def _fill(self, out: str) -> None:
        self.table.setRowCount(len(self.checks))
        for r, c in enumerate(self.checks):
            fd = "n/a" if c.finite_difference is None else format_number(c.finite_difference)
            torch = "not installed" if c.torch is None else format_number(c.torch)
            verdict = {"ok": "agrees"}.get(c.verdict(), c.verdict())
            if c.note:
                verdict += f" ({c.note})"
            cells = (f"∂{out}/∂{c.input}", format_number(c.engine), fd, torch, verdict)
            tips = ("", full_precision(c.engine), full_precision(c.finite_difference),
                    full_precision(c.torch), c.note)
            for col, (text, tip) in enumerate(zip(cells, tips, strict=True)):
                item = QTableWidgetItem(text)
                item.setToolTip(plain_tooltip(tip))
                if col == 4:
                    colour = "#009E73" if c.checked and c.ok else \
                        "#D55E00" if not c.ok else "#666666"  # grey: cannot check here
                    item.setForeground(QColor(colour))
                self.table.setItem(r, col, item)
        if not self.checks:
            self.summary.setText("This graph has no inputs to check.")
            return
        ok = all(c.ok for c in self.checks)
        torch = any(c.torch is not None for c in self.checks)
        against = "finite differences and PyTorch" if torch else \
            "finite differences (PyTorch is not installed)"
        unchecked = sum(1 for c in self.checks if not c.checked)
        torch_only = sum(1 for c in self.checks if c.checked and c.finite_difference is None)
        if not ok:
            text = f"Some gradients disagree with {against}: see the rows marked MISMATCH."
        elif unchecked == len(self.checks):
            text = "No gradient can be checked at these values (see each row's reason)."
        else:
            some = " checked" if unchecked or torch_only else ""
            text = f"Every gradient{some} agrees with {against}."
            if torch_only:
                text += (f" {torch_only} of them only with PyTorch: finite differences "
                         "cannot be taken there.")
            if unchecked:
                text += f" {unchecked} cannot be checked at these values (see their rows)."
        self.summary.setText(text)
