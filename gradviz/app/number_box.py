"""A spin box for any finite float, written for people: 1e+308, 5e-324, 0.5, 20.

Qt's QDoubleSpinBox rounds every value to a fixed number of decimals inside a fixed
range, so an input of 5e-324 would show (and be stored) as 0 and 1e308 would be clamped.
This box keeps the Python float it was given, shows it with `format_number`, takes typed
numbers of any magnitude (scientific notation too) and refuses what is not a finite
number with a reason (``refused``) instead of dropping the keystroke.
"""
from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QWidget

from ..core.notation import format_number, full_precision

if TYPE_CHECKING:
    from decimal import Decimal

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
"""What a typed number may look like: no nan, inf, underscores or hex (float() takes those)."""
_MINUS = str.maketrans({"−": "-", "–": "-", ",": "."})
WIDEST_TEXT = "-8.8888e-308"


def number_text(x: float) -> str:
    """``x`` for people: `format_number`'s five digits, or Python's shortest exact text
    when that is no longer (5e-324, which five digits would write 4.9407e-324)."""
    short, exact = format_number(x), repr(float(x))
    return exact if len(exact) <= len(short) else short


def parse_number(text: str) -> float:
    """The finite float ``text`` writes; ValueError says why it is not one."""
    t = text.strip().translate(_MINUS).replace(" ", "")
    if not t:
        raise ValueError("type a number")
    if t.lstrip("+-").lower() in ("nan", "inf", "infinity", "∞"):
        raise ValueError(f"“{text.strip()}” is not allowed: an input must be a finite number")
    if not _NUMBER.fullmatch(t):
        raise ValueError(f"“{text.strip()}” is not a number (examples: 2, -0.5, 1e-8)")
    x = float(t)
    if math.isinf(x):
        raise ValueError(f"“{text.strip()}” is too large for a float (at most about 1.8e+308)")
    if x == 0 and any(c in "123456789" for c in t.lower().split("e")[0]):
        raise ValueError(f"“{text.strip()}” is too close to 0 for a float "
                         "(the smallest is about 5e-324); type 0 for zero")
    return x


def step_size(x: float) -> Decimal:
    """One arrow-key step from ``x``: 0.1 below 10, else a tenth of its order of magnitude
    (20 → 21, 1e+308 → 1.1e+308), so a step always changes what is shown."""
    from decimal import Decimal

    if abs(x) < 10:
        return Decimal("0.1")
    return Decimal(1).scaleb(math.floor(math.log10(abs(x))) - 1)


def stepped(x: float, steps: int) -> float | None:
    """``x`` moved by ``steps`` steps, in decimal so 0.1 + 0.2 is 0.3; None past the
    largest float."""
    from decimal import Decimal, InvalidOperation  # on the first step, not at start-up

    try:
        y = float(Decimal(repr(x)) + steps * step_size(x))
    except (InvalidOperation, OverflowError):
        return None
    return y if math.isfinite(y) else None


class NumberBox(QAbstractSpinBox):
    """An editable float with arrow buttons, arrow keys and the wheel."""

    valueChanged = Signal(float)
    """A new value (typed and committed with Return or by leaving the box, or stepped)."""
    refused = Signal(str)
    """Typed text that is not a finite number, with why (the value stays as it was)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value = 0.0
        self._shown = ""
        self._hint: QSize | None = None
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setAccelerated(True)
        self.editingFinished.connect(self.commit)
        self._show()

    # --- the value ---------------------------------------------------------------------
    def value(self) -> float:
        return self._value

    def setValue(self, value: float) -> None:  # noqa: N802 (Qt's name)
        """Show ``value`` and announce it when it is new; a non-finite value is refused."""
        value = float(value)
        if not math.isfinite(value):
            self.refused.emit(f"{format_number(value)} is not allowed: an input must be "
                              "a finite number")
            self._show()
            return
        changed = value != self._value or math.copysign(1, value) != math.copysign(1, self._value)
        self._value = value
        self._show()
        if changed:
            self.valueChanged.emit(value)

    def commit(self) -> None:
        """Take the typed text (Return or leaving the box): a new value, or a refusal."""
        text = self.text()
        if text.strip() == self._shown:
            return  # untouched: "3.1416" must not replace 3.14159265…
        try:
            value = parse_number(text)
        except ValueError as exc:
            self._show()
            self.refused.emit(str(exc))
            return
        self.setValue(value)

    def _show(self) -> None:
        self._shown = number_text(self._value)
        if self.lineEdit().text() != self._shown:
            self.lineEdit().setText(self._shown)
        self.setToolTip(f"{full_precision(self._value)}\nType any number (1e-8 works); "
                        "↑/↓ or the wheel step it")

    # --- QAbstractSpinBox ------------------------------------------------------------------
    def validate(self, text: str, pos: int):
        # Never Invalid: a refused keystroke would vanish without a word. Text that is
        # not a number yet is Intermediate and gets its reason when committed.
        try:
            parse_number(text)
            state = QValidator.State.Acceptable
        except ValueError:
            state = QValidator.State.Intermediate
        return state, text, pos

    def fixup(self, text: str) -> str:
        return text

    def stepBy(self, steps: int) -> None:  # noqa: N802 (Qt's name)
        base = self._value
        if self.text().strip() != self._shown:
            try:
                base = parse_number(self.text())  # typed, not yet committed: step from it
            except ValueError:
                pass
        new = stepped(base, steps)
        if new is not None:
            self.setValue(new)
        self.selectAll()

    def stepEnabled(self):  # noqa: N802 (Qt's name)
        flag = QAbstractSpinBox.StepEnabledFlag
        if self.isReadOnly() or not self.isEnabled():
            return flag.StepNone
        if abs(self._value) < 1e307:  # a step can only overflow near the largest float
            return flag.StepUpEnabled | flag.StepDownEnabled
        up, down = stepped(self._value, 1) is not None, stepped(self._value, -1) is not None
        return (flag.StepUpEnabled if up else flag.StepNone) | \
            (flag.StepDownEnabled if down else flag.StepNone)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        if self._hint is None:
            base = super().sizeHint()
            extra = self.fontMetrics().horizontalAdvance(WIDEST_TEXT)
            self._hint = QSize(base.width() + extra, base.height())
        return self._hint

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self.sizeHint()
