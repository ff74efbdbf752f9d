"""The Descent panel: tick the parameters, set a learning rate, Descend, watch the output.

Every input is ticked (a parameter) until it is unticked as data or a target; the
examples come with theirs unticked. "Descend" (Step → Descend, Ctrl+D) pushes one
`DescendCommand` for the steps asked for: the ticked inputs become p − rate·∂out/∂p,
the graph runs again at the new values (the canvas shows them in place, and with
"Replay forward pass" the player replays the forward pass up to the seed), and the
plot below gains the new outputs. Undo takes the values and the points back. Ticks and
the rate are `SetDescentCommand`s, saved with the document.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import GraphError
from ..core.language_text import number_text
from ..core.notation import format_number
from .descent_commands import DescendCommand, SetDescentCommand
from .document import Document
from .history_plot import HistoryPlot
from .number_box import parse_number

MAX_STEPS_PER_PRESS = 1000
NODE_STEPS_PER_PRESS = 100_000
"""Each step runs the whole graph (about 20 µs a node): a press is kept to about 2 s."""
REFUSAL_COLOUR = "#C8102E"
ID_ROLE = Qt.ItemDataRole.UserRole


class DescentPanel(QWidget):
    """Parameters, learning rate, step count, the Descend button and the history plot."""

    descended = Signal()
    """A Descend was made (the values and the history are new)."""

    def __init__(self, document: Document, player=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.player = player
        self._replay_until: int | None = None
        self._stale = False  # the ticks are made when the panel is seen (see _rebuild)
        # Short lines, not wrapped: a wrapped label's height is not known in time for
        # the dock's smallest size, and the plot under it would be cut. Short, so that
        # the dock leaves a 1,280 px wide window room for the canvas.
        intro = QLabel("Ticked inputs move:\np ← p − rate·∂out/∂p.\n"
                       "Untick the data and targets.", self)
        self.params = QListWidget(self)
        self.params.setObjectName("descentParameters")
        self.params.setAccessibleName("parameters: ticked inputs move, unticked stay")
        self.params.itemChanged.connect(self._ticked)
        self.rate_edit = QLineEdit(self)
        self.rate_edit.setObjectName("descentRate")
        self.rate_edit.setAccessibleName("learning rate")
        self.rate_edit.editingFinished.connect(self.take_rate)
        self.steps_box = QSpinBox(self)
        self.steps_box.setObjectName("descentSteps")
        self.steps_box.setAccessibleName("steps per Descend")
        self.steps_box.setRange(1, MAX_STEPS_PER_PRESS)
        self.descend_button = QPushButton("Descend", self)
        self.descend_button.setObjectName("descend")
        self.descend_button.setToolTip("p ← p − rate·∂out/∂p for every ticked input (Ctrl+D)")
        self.descend_button.clicked.connect(lambda: self.descend())
        self.replay = QCheckBox("Replay forward pass", self)
        self.replay.setToolTip("After Descend, step through the forward pass at the new "
                               "values, up to the seed")
        self.replay.setChecked(True)
        self.message = QLabel(self)
        self.message.setObjectName("descentRefused")
        self.message.setWordWrap(True)
        palette = self.message.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(REFUSAL_COLOUR))
        self.message.setPalette(palette)
        self.message.hide()
        self.plot = HistoryPlot(self)

        form = QGridLayout()
        form.addWidget(QLabel("Learning rate", self), 0, 0)
        form.addWidget(self.rate_edit, 0, 1)
        form.addWidget(QLabel("Steps", self), 1, 0)
        form.addWidget(self.steps_box, 1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(intro)
        layout.addWidget(self.params, 1)
        layout.addLayout(form)
        layout.addWidget(self.replay)
        layout.addWidget(self.descend_button)
        layout.addWidget(self.message)
        layout.addWidget(self.plot, 2)

        document.structureChanged.connect(self._rebuild)
        document.descentChanged.connect(self._show_descent)
        document.valuesChanged.connect(self._enable)
        document.stepChanged.connect(self._step_shown)
        if player is not None:
            player.playingChanged.connect(self._playing)
        self._rebuild()

    # --- what the document says -----------------------------------------------------------
    @property
    def ticked(self) -> list[str]:
        """The labels of the ticked inputs (the parameters), in the list's order."""
        self._make_fresh()
        return [self.params.item(i).text() for i in range(self.params.count())
                if self.params.item(i).checkState() == Qt.CheckState.Checked]

    def item(self, label: str) -> QListWidgetItem:
        self._make_fresh()
        found = self.params.findItems(label, Qt.MatchFlag.MatchExactly)
        if not found:
            raise KeyError(label)
        return found[0]

    def _rebuild(self, *_) -> None:
        """A row per input, made now if the panel is seen, else when it is: a graph of
        thousands of inputs takes tens of ms, on every edit, for a tab often unseen."""
        most = max(1, min(MAX_STEPS_PER_PRESS,
                          NODE_STEPS_PER_PRESS // max(1, len(self.document.graph))))
        self.steps_box.setMaximum(most)
        self.steps_box.setToolTip(f"Steps one press takes (at most {most:,} for this graph: "
                                  "each step runs all of it)")
        if self.isVisible():
            self._build()
        else:
            self._stale = True
            self._show_descent()

    def _build(self) -> None:
        self._stale = False
        self.params.blockSignals(True)
        self.params.clear()
        for node in self.document.graph.inputs():
            item = QListWidgetItem(node.label)
            item.setData(ID_ROLE, node.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            self.params.addItem(item)
        self.params.blockSignals(False)
        self._show_descent()

    def _make_fresh(self) -> None:
        if self._stale:
            self._build()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._make_fresh()

    def _show_descent(self) -> None:
        d = self.document.descent
        held = set(d.fixed)
        self.params.blockSignals(True)
        for i in range(0 if self._stale else self.params.count()):
            item = self.params.item(i)
            fixed = item.data(ID_ROLE) in held
            item.setCheckState(Qt.CheckState.Unchecked if fixed else Qt.CheckState.Checked)
            item.setToolTip(f"{item.text()} stays as it is (data or target)" if fixed else
                            f"{item.text()} moves: {item.text()} ← {item.text()} − "
                            f"rate·∂out/∂{item.text()}")
        self.params.blockSignals(False)
        if not self.rate_edit.hasFocus() or self.message.isHidden():
            self.rate_edit.setText(number_text(d.rate))  # exact: it is read back as typed
        run = self.document.evaluation
        out = self.document.graph.node(run.output).label if run is not None else "output"
        self.plot.set_history(out, d.history)
        self._enable()

    def _enable(self, *_) -> None:
        d = self.document
        has_inputs = bool(d.graph.inputs())
        self.descend_button.setEnabled(d.evaluation is not None and has_inputs)
        self.descend_button.setToolTip(
            d.problem if d.evaluation is None else
            "This graph has no inputs" if not has_inputs else
            "p ← p − rate·∂out/∂p for every ticked input (Ctrl+D)")

    # --- what the user does -----------------------------------------------------------------
    def _ticked(self, item: QListWidgetItem) -> None:
        fixed = item.checkState() != Qt.CheckState.Checked
        node_id = item.data(ID_ROLE)
        if (node_id in self.document.descent.fixed) == fixed:
            return
        try:
            self.document.undo_stack.push(
                SetDescentCommand(self.document, node_id=node_id, fixed=fixed))
        except GraphError as exc:
            self.show_refusal(exc.message)

    def take_rate(self) -> bool:
        """Take the typed learning rate (one undo step when it is new); False, with the
        reason shown, when it is not a finite number."""
        try:
            rate = parse_number(self.rate_edit.text())
        except ValueError as exc:
            reason = str(exc).replace("an input must be", "the learning rate must be")
            self.show_refusal(f"Learning rate: {reason}. It stays "
                              f"{format_number(self.document.descent.rate)}.")
            return False
        self.clear_refusal()
        if rate != self.document.descent.rate:
            self.document.undo_stack.push(SetDescentCommand(self.document, rate=rate))
        return True

    def descend(self, steps: int | None = None) -> bool:
        """Take ``steps`` (else the box's count) descent steps as one undo step; False,
        with the reason shown, when they cannot be taken."""
        if not self.take_rate():
            return False
        d = self.document
        if d.evaluation is None:
            self.show_refusal(f"Cannot descend: {d.problem}")
            return False
        command = DescendCommand(d, steps or self.steps_box.value())
        d.undo_stack.push(command)
        if command.refusal:
            self.show_refusal(f"Cannot descend: {command.refusal}")
            return False
        self.clear_refusal()
        if self.replay.isChecked():
            self._replay_forward()
        self.descended.emit()
        return True

    def show_refusal(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def clear_refusal(self) -> None:
        self.message.clear()
        self.message.hide()

    # --- the replay of the forward pass --------------------------------------------------------
    def _replay_forward(self) -> None:
        run, player = self.document.evaluation, self.player
        if run is None or player is None:
            return
        forward = run.timeline.forward_count
        if forward == 0:
            return
        player.pause()
        player.go_to(0, animate=False)
        self._replay_until = forward
        player.play()

    def _step_shown(self, index: int) -> None:
        if self._replay_until is not None and index >= self._replay_until:
            self._replay_until = None
            self.player.pause()  # at the seed: the backward pass is the lecturer's to step

    def _playing(self, playing: bool) -> None:
        if not playing:
            self._replay_until = None


def install_descent(window) -> DescentPanel:
    """Give ``window`` the Descent panel (a dock, beside the values; View → Panels shows
    it) and Step → Descend (Ctrl+D)."""
    from .menus import action

    panel = DescentPanel(window.document, window.player, window)
    window.descent_panel = panel
    window.descent_dock = window.add_panel("Descent", panel, Qt.DockWidgetArea.RightDockWidgetArea)
    window.tabifyDockWidget(window.values_dock, window.descent_dock)
    window.values_dock.raise_()
    window.descend_action = action(window, "&Descend", lambda: panel.descend(), ["Ctrl+D"],
                                   "p ← p − rate·∂out/∂p for every ticked input (the Descent "
                                   "panel)")
    window.menus.step.addSeparator()
    window.menus.step.addAction(window.descend_action)
    panel.descended.connect(lambda: window.descent_dock.show() or window.descent_dock.raise_())
    return panel
