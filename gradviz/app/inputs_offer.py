"""The offer under the program editor to add the names a program uses without a value.

Typing ``e = (a + b) * (b + 1)`` alone shows "Add a = 1, b = 1 as inputs"; a click, or
Alt+A anywhere in the program panel, writes those lines before the program (as Desmos
offers a slider for a new letter). The names come from `core.missing_inputs`.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from ..core.missing_inputs import INPUT_VALUE, with_inputs

SHORTCUT = "Alt+A"
NAMES_SHOWN = 4
"""How many of the names the button spells out (the rest are counted)."""


def offer_text(names: tuple[str, ...]) -> str:
    """What the button says, e.g. ``Add a = 1, b = 1 as inputs``."""
    shown = ", ".join(f"{n} = {INPUT_VALUE}" for n in names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    if more > 0:
        shown += f" and {more} more"
    return f"Add {shown} as input{'s' * (len(names) > 1)}"


class InputsOffer(QWidget):
    """A button (hidden while there is nothing to offer) and its key; ``accepted`` gives
    the lines to write before the program. ``action`` holds the key: add it to the
    widget whose focus it should work in (the program panel)."""

    accepted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names: tuple[str, ...] = ()
        self.button = QPushButton(self)
        self.button.setObjectName("addInputs")
        self.button.clicked.connect(self.accept)
        self.action = QAction("Add the missing inputs", self)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        # In the widget it is added to and its children: it works while typing. Always
        # enabled, so that without an offer the key does nothing (not type an "a").
        self.action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.action.triggered.connect(self.accept)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addStretch(1)
        self.offer(())

    @property
    def names(self) -> tuple[str, ...]:
        """The names offered now (empty: no offer)."""
        return self._names

    def offer(self, names: tuple[str, ...]) -> None:
        """Offer to add ``names`` as inputs; none hides the offer."""
        self._names = tuple(names)
        if not self._names:
            self.hide()
            return
        text = offer_text(self._names)
        # A button's "&" marks its mnemonic: names cannot hold one, but keep it text.
        self.button.setText(f"{text}  ({SHORTCUT})".replace("&", "&&"))
        self.button.setToolTip(f"Write {', '.join(self._names)} = {INPUT_VALUE} before the "
                               f"program, one line each ({SHORTCUT})")
        self.show()

    def accept(self) -> None:
        """Write the lines for the offered names (nothing when none are offered)."""
        if self._names:
            names, self._names = self._names, ()
            self.accepted.emit(with_inputs("", names))
