"""Who has the arrow keys: the steps, or the text field being typed in; the status bar says.

← and → step the graph, except in a field that moves its cursor with them (the program
editor, an input's number box). The status bar says which has them, and Esc in such a
field, or a click on the canvas, hands them back to the steps. PageUp, PageDown and F5
are the lecture keys (a presentation clicker sends them) wherever the focus is: no field
may keep them for itself, and where the player cannot step they do nothing at all.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget

LECTURE_KEYS = frozenset({Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_F5})
STEPS_HINT = "← → step the graph"
FIELD_HINT = ("← → move the cursor in the {}: Esc or a click on the canvas gives them back "
              "to the steps")
_CHORD = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
          | Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.MetaModifier)


def takes_arrows(widget: QWidget) -> bool:
    """Whether ``widget`` keeps → for itself, asked the way Qt's shortcut map asks it."""
    probe = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_Right,
                      Qt.KeyboardModifier.NoModifier)
    probe.ignore()
    QApplication.sendEvent(widget, probe)
    return probe.isAccepted()


def _lecture_key(event: QKeyEvent) -> bool:
    return event.key() in LECTURE_KEYS and not event.modifiers() & _CHORD


class KeyFocus(QObject):
    """Watches the focus in ``window`` (a MainWindow) and says who has the arrows."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.label = QLabel(STEPS_HINT, window)
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # it names fields by input label
        self.label.setObjectName("keyFocus")
        window.statusBar().addPermanentWidget(self.label)
        self._field: QWidget | None = None
        QApplication.instance().focusChanged.connect(self._on_focus_changed)
        self._on_focus_changed(None, QApplication.focusWidget())

    @property
    def hint(self) -> str:
        """What the status bar says about the arrow keys."""
        return self.label.text()

    def give_arrows_to_steps(self) -> None:
        self.window.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None or new.window() is not self.window:
            return  # a dialog, or another window: the arrows are not ours to describe
        new.installEventFilter(self)  # once only: Qt replaces a filter installed again
        self._field = new if new is not self.window.view and takes_arrows(new) else None
        if self._field is None:
            self.label.setText(STEPS_HINT)
        else:
            self.label.setText(FIELD_HINT.format(new.accessibleName() or "text field"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        t = event.type()
        if t == QEvent.Type.ShortcutOverride and _lecture_key(event):
            event.ignore()  # not the field's: the window's shortcut runs
            return True
        if t == QEvent.Type.KeyPress:
            if _lecture_key(event):
                event.accept()  # no step to take (the last one is shown): nothing happens
                return True
            if event.key() == Qt.Key.Key_Escape and watched is self._field:
                self.give_arrows_to_steps()
                return True
        return False


def install_key_focus(window) -> KeyFocus:
    """Give ``window`` its arrow-key hint and rules (``window.key_focus``)."""
    window.key_focus = KeyFocus(window)
    return window.key_focus
