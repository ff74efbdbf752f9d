"""The current step as readable maths with the real numbers, and a chosen node's gradient.

The panel follows the open `Document`: its step, its run, its description and its
selection, so what it says is always about the graph and step on screen. All text comes
from `core.explain` and the document's one-line description, which is shown at the
start unless it states the result (then at the last step: no answers early); this panel
only lays it out, large enough to read on a projector.
"""
from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..core import explain
from ..core.groups import box_around
from ..core.notation import WORD_JOINER, unbroken
from ..core.steps import BackwardStep
from .document import Document
from .opening import keep_going

ROOM_STEPS = 64
"""Up to this many steps the panel's lines are sized for the longest of them."""
ROOM_LINES = 2
"""The most lines a line of the panel keeps room for (a longer step grows it)."""
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
        self._about_of: tuple | None = None  # (run, description, held, opening): _about
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
        self._reserved_for = None
        self._reserve_room()

    def _reserve_room(self) -> None:
        """Make the position's and the step's lines as high as the run's steps need (the
        step's at least two lines; each at most `ROOM_LINES`; a long run: the least), so
        that the canvas above keeps its size while stepping. Worked out again for a new
        run, width or type size only."""
        d = self.document
        run = d.evaluation
        width = max(self.step_label.contentsRect().width(), 1)
        key = (id(run), width, self.step_label.font().pointSize(), d.description,
               tuple(d.collapsed), d.mode)
        if key == self._reserved_for:
            return
        self._reserved_for = key
        texts = [("∂", "∂\n∂")]
        if run is not None and len(run.timeline) <= ROOM_STEPS and d.mode != "forward":
            texts += [self._texts(i) for i in range(len(run.timeline) + 1)]
        flags = int(Qt.TextFlag.TextWordWrap)
        for k, label in enumerate((self.position_label, self.step_label)):
            metrics = label.fontMetrics()
            most = ROOM_LINES * metrics.lineSpacing() + metrics.descent()
            needed = max(metrics.boundingRect(QRect(0, 0, width, 100_000), flags,
                                              unbroken(t[k])).height() for t in texts)
            label.setMinimumHeight(min(needed, most))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._reserve_room()

    def refresh(self, *_) -> None:
        """Say what the document's current step does (or why there is nothing to step)."""
        keep_going()
        d = self.document
        self._reserve_room()
        if d.evaluation is None:
            unfinished = len(d.graph) > 0 and bool(d.problem_nodes())
            self.position_label.setText("Not finished yet" if unfinished
                                        else "Cannot run this graph")
            self.step_label.setText(d.problem or "The graph is empty.")
            self._show_node(None)
            return
        if d.mode == "forward":
            self._show_forward()
            return
        where, text = self._texts(d.step)
        self.position_label.setText(unbroken(where))  # wrapped between terms only
        self.step_label.setText(unbroken(text))
        chosen = d.selection
        self._show_node(chosen[0] if len(chosen) == 1 else None)

    def _texts(self, index: int) -> tuple[str, str]:
        """Where step ``index`` is (with the rule of a backward step: ``∂h/∂u = 1 −
        tanh²(u) = …``), and what it computes. At the start, the program and its inputs
        with the description, unless it gives the answer away: it then ends the last
        step."""
        d = self.document
        run = d.evaluation
        timeline = run.timeline
        held, opening = self._about(run, d.description)
        if index == 0:
            text = opening
            if d.description and not held:
                text = f"{d.description}\n{text}"
            return f"Start · {len(timeline)} steps: press → to step forward", text
        step = timeline.steps[index - 1]
        where = explain.position(timeline, index)
        # A stop inside a collapsed box says what the box did (its nodes are not drawn).
        summary = explain.box_summary(run, index, d.collapsed) if d.collapsed else None
        if isinstance(step, BackwardStep) and summary is None:
            where += " · " + explain.rule_text(step, run.graph, run.output, run.labels, run.values)
        box = self._collapsed_around(step)
        if box:
            where += f" · inside {box} (collapsed; double-click it to see its nodes)"
        text = summary or explain.describe(step, run.graph, run.output, run.labels,
                                           run.values, rule=False)
        if held and index == timeline.last:
            text += f"\n{d.description}"
        return where, text

    def _about(self, run, description: str) -> tuple[bool, str]:
        """Whether ``description`` gives ``run``'s result away, and what step 0 says of
        the program: once per run and description (each reads the whole graph, and the
        panel is refreshed at every step and selection)."""
        if self._about_of is None or self._about_of[0] is not run \
                or self._about_of[1] != description:
            held = bool(description) and explain.states_result(description, run)
            opening = explain.opening(run.graph, run.output, order=run.order)
            self._about_of = (run, description, held, opening)
        return self._about_of[2], self._about_of[3]

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
        where = f"Forward mode · {p.counter()} · step {d.step} of {p.last}"
        box = self._collapsed_around(p.steps[d.step - 1]) if 0 < d.step <= p.last else ""
        if box:
            where += f" · inside {box} (collapsed; double-click it to see its nodes)"
        self.position_label.setText(where)
        run = d.forward_run
        self.step_label.setText(step_text(run, d.forward_pass, d.step, summary=False,
                                          collapsed=d.collapsed))
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
        self.node_label.setText(unbroken(explain.gradient_at(run, node_id,
                                                             self.document.step)))
        self.node_label.show()

    @property
    def text(self) -> str:
        """Everything the panel shows, as plain text (what a viewer reads)."""
        parts = [self.position_label.text(), self.step_label.text()]
        if self.node_label.isVisibleTo(self):
            parts.append(self.node_label.text())
        return "\n".join(parts).replace(WORD_JOINER, "")
