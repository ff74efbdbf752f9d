"""Every input of the graph with a spin box and a slider; "Randomise" picks new values.

The panel only reports what the user chose (``valueEdited``, ``valuesChosen``); the main
window turns that into commands, and the panel shows the model's values back.
"""
from __future__ import annotations

import random

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

SLIDER_STEPS_PER_UNIT = 100
SPIN_LIMIT = 1e9
SLIDER_LIMIT = (2**31 - 1) // SLIDER_STEPS_PER_UNIT
"""A QSlider holds a C int: beyond this (about ±2.1e7) the slider stays at its end."""


def _ticks(value: float) -> int:
    return round(max(-SLIDER_LIMIT, min(SLIDER_LIMIT, value)) * SLIDER_STEPS_PER_UNIT)


class InputRow:
    """One input's label, spin box and slider, kept in step with each other."""

    def __init__(self, label: str, value: float, parent: QWidget) -> None:
        self.label = label
        self.name = QLabel(label, parent)
        self.name.setMinimumWidth(24)
        self.spin = QDoubleSpinBox(parent)
        self.spin.setObjectName(f"spin_{label}")
        self.spin.setRange(-SPIN_LIMIT, SPIN_LIMIT)
        self.spin.setDecimals(4)
        self.spin.setSingleStep(0.1)
        self.spin.setKeyboardTracking(False)
        self.spin.setAccessibleName(f"value of {label}")
        self.slider = QSlider(Qt.Orientation.Horizontal, parent)
        self.slider.setObjectName(f"slider_{label}")
        self.slider.setAccessibleName(f"slider for {label}")
        self.slider.setMinimumWidth(90)
        self.show_value(value)

    def show_value(self, value: float) -> None:
        """Display ``value`` without reporting it as an edit."""
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


class InputsPanel(QWidget):
    """The graph's inputs, editable."""

    valueEdited = Signal(str, float)
    """One input set by its spin box or slider."""
    valuesChosen = Signal(dict)
    """Several inputs set at once (Randomise)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: dict[str, InputRow] = {}
        self._grid = QGridLayout()
        self._grid.setColumnStretch(2, 1)
        self.randomise_button = QPushButton("Randomise", self)
        self.randomise_button.setToolTip("Give every input a new random value in [-3, 3]")
        self.randomise_button.clicked.connect(self.randomise)
        self._empty = QLabel("This graph has no inputs.", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self._grid)
        layout.addWidget(self._empty)
        layout.addWidget(self.randomise_button)
        layout.addStretch(1)
        self.rng = random.Random()

    def set_inputs(self, values: dict[str, float]) -> None:
        """Show these inputs (label -> value); rebuild the rows only when the names change."""
        if list(values) != list(self._rows):
            self._rebuild(values)
        for label, v in values.items():
            self._rows[label].show_value(v)
        self._empty.setVisible(not values)
        self.randomise_button.setEnabled(bool(values))

    def row(self, label: str) -> InputRow:
        return self._rows[label]

    def randomise(self) -> None:
        chosen = {label: round(self.rng.uniform(-3, 3), 1) for label in self._rows}
        if chosen:
            self.valuesChosen.emit(chosen)

    def _rebuild(self, values: dict[str, float]) -> None:
        for row in self._rows.values():
            for w in (row.name, row.spin, row.slider):
                self._grid.removeWidget(w)
                w.deleteLater()
        self._rows = {}
        for i, (label, v) in enumerate(values.items()):
            row = InputRow(label, v, self)
            self._grid.addWidget(row.name, i, 0)
            self._grid.addWidget(row.spin, i, 1)
            self._grid.addWidget(row.slider, i, 2)
            row.spin.valueChanged.connect(lambda x, lb=label: self.valueEdited.emit(lb, float(x)))
            row.slider.valueChanged.connect(
                lambda x, lb=label: self.valueEdited.emit(lb, x / SLIDER_STEPS_PER_UNIT))
            self._rows[label] = row
