"""The current step as readable maths with the real numbers, and a clicked node's expansion.

All text comes from `core.explain` (and, before the first step, the document's one-line
description); this panel only lays it out, large enough to read on a projector.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..core import explain
from ..core.evaluation import Evaluation

NORMAL_SIZES = (12, 17, 13)
LARGE_SIZES = (18, 30, 20)


def _label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return label


class ExplanationPanel(QWidget):
    """Three lines: where we are, what this step computes, and a chosen node's gradient."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.position_label = _label(self, "stepPosition")
        self.step_label = _label(self, "stepText")
        self.node_label = _label(self, "nodeExpansion")
        self.node_label.hide()
        self.description = ""
        """The open example's or document's one line, shown in place of the step text
        until the first step is taken (and again back at the start)."""
        self._at_start, self._start_text = False, ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(4)
        for w in (self.position_label, self.step_label, self.node_label):
            layout.addWidget(w)
        self.set_large(False)

    def set_large(self, large: bool) -> None:
        """Presentation mode: bigger type for the back row."""
        sizes = LARGE_SIZES if large else NORMAL_SIZES
        for label, size, bold in zip((self.position_label, self.step_label, self.node_label),
                                     sizes, (False, True, False), strict=True):
            font = QFont(label.font())
            font.setPointSize(size)
            font.setBold(bold)
            label.setFont(font)

    def set_description(self, description: str) -> None:
        """What the open graph is about (empty: nothing to say), shown at the start."""
        description = " ".join(description.split())
        if description != self.description:
            self.description = description
            if self._at_start:
                self.step_label.setText(description or self._start_text)

    def show_step(self, evaluation: Evaluation | None, index: int, problem: str = "") -> None:
        """Explain step ``index`` of ``evaluation`` (or why there is nothing to step through)."""
        self._at_start = False
        if evaluation is None:
            self.position_label.setText("Cannot run this graph")
            self.step_label.setText(problem or "The graph is empty.")
            return
        timeline = evaluation.timeline
        state = timeline.state(index)
        if index == 0:
            where = f"Start · {len(timeline)} steps: press → to step forward"
        else:
            where = explain.position(timeline, index)
        self.position_label.setText(where)
        text = explain.describe(state.current, evaluation.graph, evaluation.output)
        if index == 0:  # the start says what this graph is, when its file does
            self._at_start, self._start_text = True, text
            text = self.description or text
        self.step_label.setText(text)

    def show_node(self, evaluation: Evaluation | None, node_id: str | None) -> None:
        """The chain-rule expansion of a node's gradient (hidden when no node is chosen)."""
        if evaluation is None or node_id is None or node_id not in evaluation.graph:
            self.node_label.clear()
            self.node_label.hide()
            return
        self.node_label.setText(explain.gradient_expansion(evaluation, node_id))
        self.node_label.show()

    @property
    def text(self) -> str:
        """Everything the panel shows, as plain text (what a viewer reads)."""
        parts = [self.position_label.text(), self.step_label.text()]
        if self.node_label.isVisibleTo(self):
            parts.append(self.node_label.text())
        return "\n".join(parts)
