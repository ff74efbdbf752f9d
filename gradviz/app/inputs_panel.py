"""Every input of the graph with a number box and a slider; "Randomise" picks new values.

The panel follows the open `Document` (its inputs, as the graph holds them) and turns what
the user chooses into `SetValueCommand`s: one per entry, several as one undo step for
Randomise. It shows the model's values back, so an undo moves the boxes too. The number
box takes any finite float (`number_box.NumberBox`); typed text that is not one is
refused with its reason shown under the inputs.

Rows are keyed by node id, not by label: labels repeat (a function called twice makes
two inputs ``x``), and each input has its own row, named ``x (#x2)`` where a label is
shared (`core.labels.distinct_labels`).

Rows are made a page at a time (`PAGE` rows), the next page when the list is scrolled
near its end or a row further down is asked for: a graph of 5,000 nodes has about 1,900
inputs, and making all their boxes and sliders took longer than the rest of opening it.
"""
from __future__ import annotations

import random

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import GraphError
from ..core.labels import distinct_labels
from ..render.plain_text import make_plain, plain_label
from .commands import SetValueCommand
from .document import Document
from .graph_commands import push_commands
from .number_box import NumberBox

SLIDER_STEPS_PER_UNIT = 100
SLIDER_LIMIT = (2**31 - 1) // SLIDER_STEPS_PER_UNIT
"""A QSlider holds a C int: beyond this (about ±2.1e7) the slider stays at its end."""
SLIDER_OFF_BEYOND = SLIDER_LIMIT / 2
"""The slider spans ±2x the value; past this it could not, and is switched off."""
REFUSAL_COLOUR = "#C8102E"
PAGE = 80
"""Rows made at a time: more than a tall screen shows."""


def _ticks(value: float) -> int:
    return round(max(-SLIDER_LIMIT, min(SLIDER_LIMIT, value)) * SLIDER_STEPS_PER_UNIT)


class InputRow:
    """One input's label, number box and slider, kept in step with each other."""

    def __init__(self, label: str, value: float, parent: QWidget) -> None:
        self.label = label
        self.name = plain_label(label, parent)
        self.name.setMinimumWidth(max(24, self.name.sizeHint().width()))  # never cut
        self.spin = NumberBox(parent)
        self.spin.setObjectName(f"spin_{label}")
        self.spin.setAccessibleName(f"value of {label}")
        self.slider = QSlider(Qt.Orientation.Horizontal, parent)
        self.slider.setObjectName(f"slider_{label}")
        self.slider.setAccessibleName(f"slider for {label}")
        self.slider.setMinimumWidth(90)
        self.shown: float | None = None
        """The value the box and the slider were last set to show."""
        self.show_value(value)

    def show_value(self, value: float) -> None:
        """Display ``value`` without reporting it as an edit."""
        self.shown = value
        half = max(5.0, abs(value) * 2)
        lo, hi = _ticks(-half), _ticks(half)
        for w in (self.spin, self.slider):
            w.blockSignals(True)
        if not (self.slider.minimum() <= value * SLIDER_STEPS_PER_UNIT <= self.slider.maximum()) \
                or self.slider.maximum() == self.slider.minimum():
            self.slider.setRange(lo, hi)
        self.spin.setValue(value)
        self.slider.setValue(_ticks(value))
        for w in (self.spin, self.slider):
            w.blockSignals(False)
        fits = abs(value) <= SLIDER_OFF_BEYOND
        self.slider.setEnabled(fits)
        self.slider.setToolTip("" if fits else "Too large for the slider: type the value")


class InputsPanel(QWidget):
    """The document's inputs, editable."""

    valueEdited = Signal(str, float)
    """One input set by its spin box or slider (after its command was pushed): its name
    as the panel shows it, and the value."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._values: dict[str, float] = {}  # every input, node id -> value
        self._names: dict[str, str] = {}  # node id -> the name shown
        self._rows: dict[str, InputRow] = {}  # node id -> row, the rows made so far
        self._grid: QGridLayout | None = None
        # The rows scroll: a graph with hundreds of inputs must not make the panel (and
        # with it the window) taller than the screen.
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setWidget(QWidget())
        self._scroll.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.randomise_button = QPushButton("Randomise", self)
        self.randomise_button.setToolTip("Give every input a new random value in [-3, 3]")
        self.randomise_button.clicked.connect(self.randomise)
        self._empty = QLabel("This graph has no inputs.", self)
        self.message = make_plain(QLabel(self))
        """Why the last typed value was refused (hidden when there is nothing to say)."""
        self.message.setObjectName("inputRefused")
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(self._empty)
        layout.addWidget(self.randomise_button)
        self.rng = random.Random()
        document.structureChanged.connect(self.follow_document)
        document.valuesChanged.connect(self.follow_document)
        self.follow_document()

    def follow_document(self, *_) -> None:
        inputs = self.document.graph.inputs()
        names = distinct_labels(self.document.graph, (n.id for n in inputs))
        self.set_inputs({n.id: n.value for n in inputs}, names)

    def set_inputs(self, values: dict[str, float], names: dict[str, str]) -> None:
        """Show these inputs (node id -> value, node id -> name shown); rebuild the rows
        only when the inputs or their names change. A refusal said before is dropped:
        the model changed since (an undo, say)."""
        self.clear_refusal()
        if list(values) != list(self._values) or names != self._names:
            self._names = dict(names)
            self._rebuild(values)
        self._values = dict(values)
        for node_id, row in self._rows.items():
            v = values[node_id]
            if row.shown != v:  # hundreds of rows: only the changed ones are redrawn
                row.show_value(v)
        self._empty.setVisible(not values)
        self.randomise_button.setEnabled(bool(values))

    @property
    def labels(self) -> list[str]:
        """Every input's name as shown, in the order of the rows (each one distinct)."""
        return [self._names[n] for n in self._values]

    def row(self, name: str) -> InputRow:
        """The row of the input shown as ``name`` (or with that node id), made now (with
        the rows above it) if it was not yet."""
        node_id = self._id_of(name)
        if node_id not in self._rows:
            self._add_rows(list(self._values).index(node_id) + 1)
        return self._rows[node_id]

    def _id_of(self, name: str) -> str:
        for node_id, shown in self._names.items():
            if shown == name:
                return node_id
        if name in self._values:
            return name
        raise KeyError(name)

    def show_refusal(self, label: str, reason: str) -> None:
        """Say under the inputs why what was typed for the input shown as ``label``
        (or with that node id) was not taken."""
        row = self.row(label)
        if not self.message.property("coloured"):
            palette = self.message.palette()
            palette.setColor(QPalette.ColorRole.WindowText, QColor(REFUSAL_COLOUR))
            self.message.setPalette(palette)
            self.message.setProperty("coloured", True)
        self.message.setText(f"{row.label}: {reason}. It stays {row.spin.text()}.")
        self.message.show()

    def clear_refusal(self) -> None:
        self.message.clear()
        self.message.hide()

    def randomise(self) -> None:
        chosen = {node_id: round(self.rng.uniform(-3, 3), 1) for node_id in self._values}
        graph = self.document.graph
        commands = [SetValueCommand(self.document, node_id, v)
                    for node_id, v in chosen.items() if node_id in graph]
        if commands:
            push_commands(self.document.undo_stack, *commands, macro="Randomise inputs")

    def _rebuild(self, values: dict[str, float]) -> None:
        """A new box for the rows, its first page made before it is shown; it then takes
        the old box's place in the scroll area (taking rows out of a shown grid one by
        one would relay the panel out every time)."""
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(2, 1)
        # The names' column is as wide as the widest name, rows made or not: the panel
        # does not widen as the list is scrolled, and no name is cut short.
        metrics = box.fontMetrics()
        widest = max((metrics.horizontalAdvance(self._names[n]) for n in values), default=0)
        grid.setColumnMinimumWidth(0, max(24, widest + 4))
        self._grid = grid
        self._rows = {}
        self._values = dict(values)
        self._add_rows(min(PAGE, len(values)))
        self._scroll.setWidget(box)  # the old box is deleted
        bar = self._scroll.verticalScrollBar().sizeHint().width()
        self._scroll.setMinimumWidth(box.minimumSizeHint().width() + bar)
        self.clear_refusal()

    def _add_rows(self, count: int) -> None:
        """Make rows until ``count`` of them are made (a page more at least)."""
        ids = list(self._values)
        start = len(self._rows)
        end = min(len(ids), max(count, start + PAGE)) if count > start else start
        grid = self._grid
        box = grid.parentWidget()
        if start < end and start:
            grid.setRowStretch(start, 0)
        for i in range(start, end):
            node_id = ids[i]
            row = InputRow(self._names[node_id], self._values[node_id], box)
            grid.addWidget(row.name, i, 0)
            grid.addWidget(row.spin, i, 1)
            grid.addWidget(row.slider, i, 2)
            row.spin.valueChanged.connect(lambda x, n=node_id: self._edited(n, x))
            row.spin.refused.connect(lambda why, n=node_id: self.show_refusal(n, why))
            row.slider.valueChanged.connect(
                lambda x, n=node_id: self._edited(n, x / SLIDER_STEPS_PER_UNIT))
            self._rows[node_id] = row
        grid.setRowStretch(end, 1)  # the rows stay at the top

    def _scrolled(self, value: int) -> None:
        """Near the end of the rows made so far: make the next page."""
        bar = self._scroll.verticalScrollBar()
        if len(self._rows) < len(self._values) and value >= bar.maximum() - bar.pageStep():
            self._add_rows(len(self._rows) + PAGE)

    def _edited(self, node_id: str, value: float) -> None:
        self.clear_refusal()
        d = self.document
        if node_id not in d.graph or d.graph.node(node_id).value == value:
            return
        name = self._names[node_id]
        try:
            d.undo_stack.push(SetValueCommand(d, node_id, float(value)))
        except GraphError as exc:
            self.show_refusal(node_id, exc.message)
            return
        self.valueEdited.emit(name, float(value))
