"""The current step as readable maths with the real numbers, and a chosen node's gradient.

The panel follows the open `Document`: its step, its run, its description and its
selection, so what it says is always about the graph and step on screen. All text comes
from `core.explain` (and, at the start, the document's one-line description); this panel
only lays it out, large enough to read on a projector.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..core import explain
from ..core.groups import box_around
from ..core.steps import BackwardStep
from .document import Document

NORMAL_SIZES = (12, 17, 13)
LARGE_SIZES = (18, 30, 20)


def _label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # labels and descriptions are not HTML
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return label


class ExplanationPanel(QWidget):
    """Three lines: where we are, what this step computes, and a chosen node's gradient."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.position_label = _label(self, "stepPosition")
        self.step_label = _label(self, "stepText")
        self.node_label = _label(self, "nodeExpansion")
        self.node_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(4)
        for w in (self.position_label, self.step_label, self.node_label):
            layout.addWidget(w)
        self.set_large(False)
        for signal in (document.structureChanged, document.valuesChanged,
                       document.stepChanged, document.titleChanged,
                       document.selectionChanged, document.collapsedChanged,
                       document.modeChanged, document.passChanged):
            signal.connect(self.refresh)
        self.refresh()

    def set_large(self, large: bool) -> None:
        """Presentation mode: bigger type for the back row."""
        sizes = LARGE_SIZES if large else NORMAL_SIZES
        for label, size, bold in zip((self.position_label, self.step_label, self.node_label),
                                     sizes, (False, True, False), strict=True):
            font = QFont(label.font())
            font.setPointSize(size)
            font.setBold(bold)
            label.setFont(font)

    def refresh(self, *_) -> None:
        """Say what the document's current step does (or why there is nothing to step)."""
        d = self.document
        run, index = d.evaluation, d.step
        if run is None:
            unfinished = len(d.graph) > 0 and bool(d.problem_nodes())
            self.position_label.setText("Not finished yet" if unfinished
                                        else "Cannot run this graph")
            self.step_label.setText(d.problem or "The graph is empty.")
            self._show_node(None)
            return
        if d.mode == "forward":
            self._show_forward()
            return
        timeline = run.timeline
        if index == 0:
            where = f"Start · {len(timeline)} steps: press → to step forward"
        else:
            where = explain.position(timeline, index)
            box = self._collapsed_around(timeline.steps[index - 1])
            if box:
                where += f" · inside {box} (collapsed; double-click it to see its nodes)"
        self.position_label.setText(where)
        text = explain.describe(timeline.state(index).current, run.graph, run.output)
        if index == 0 and d.description:  # the start says what this graph is about
            text = d.description
        self.step_label.setText(text)
        chosen = d.selection
        self._show_node(chosen[0] if len(chosen) == 1 else None)

    def _show_forward(self) -> None:
        """Forward mode: the pass counter and step, then the step's dual arithmetic (at
        a pass's end the derivative it collected; at the last one's, the comparison)."""
        from ..core.forward_explain import node_text_at, step_text, summary_text

        d = self.document
        problem = d.forward_problem()
        self._show_node(None)
        if problem:
            self.position_label.setText("Forward mode")
            self.step_label.setText(problem)
            return
        p = d.timeline
        where = f"Forward mode · {p.counter()}"
        self.position_label.setText(f"{where} · step {d.step} of {p.last}")
        run = d.forward_run
        self.step_label.setText(step_text(run, d.forward_pass, d.step, summary=False))
        lines = []
        if p.number == p.of and d.step == p.last:  # the end: all results, both counts
            lines.append(summary_text(run, d.evaluation))
        chosen = d.selection
        if len(chosen) == 1 and chosen[0] in d.graph:  # a chosen node's dual number
            lines.append(node_text_at(run, d.forward_pass, d.step, chosen[0]))
        if lines:
            self.node_label.setText("\n".join(lines))
            self.node_label.show()

    def _collapsed_around(self, step) -> str:
        """The name of the collapsed group the step happens in, or "" (the step's nodes
        are then not on the canvas: the group's box stands for them)."""
        d = self.document
        node = step.child if isinstance(step, BackwardStep) else step.node
        box = box_around(d.graph, set(d.collapsed), node) if d.collapsed and \
            node in d.graph else None
        return d.graph.group(box).name if box else ""

    def _show_node(self, node_id: str | None) -> None:
        """The chosen node's gradient as far as this step has it (hidden otherwise)."""
        run = self.document.evaluation
        if run is None or node_id is None or node_id not in run.graph:
            self.node_label.clear()
            self.node_label.hide()
            return
        self.node_label.setText(explain.gradient_at(run, node_id, self.document.step))
        self.node_label.show()

    @property
    def text(self) -> str:
        """Everything the panel shows, as plain text (what a viewer reads)."""
        parts = [self.position_label.text(), self.step_label.text()]
        if self.node_label.isVisibleTo(self):
            parts.append(self.node_label.text())
        return "\n".join(parts)
