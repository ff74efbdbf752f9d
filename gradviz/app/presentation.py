"""Presentation mode (F5): full screen, only the canvas and the explanation, large type.

Esc or F5 leaves it and puts every panel back as it was. The lecture keys keep working
because the player's actions belong to the window, not to the hidden menus.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget


class PresentationMode(QObject):
    """Turns a main window into a slide and back."""

    toggled = Signal(bool)

    def __init__(self, window: QMainWindow, keep: list[QWidget], hide: list[QWidget],
                 on_large: callable) -> None:
        super().__init__(window)
        self._window = window
        self._keep = keep
        self._hide = hide
        self._on_large = on_large
        self._restore: list[QWidget] = []
        self._was_maximized = False
        self._active = False
        self._escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
        self._escape.setContext(Qt.ShortcutContext.WindowShortcut)
        self._escape.setEnabled(False)
        self._escape.activated.connect(self.leave)

    @property
    def active(self) -> bool:
        return self._active

    def toggle(self) -> None:
        self.leave() if self._active else self.enter()

    def enter(self) -> None:
        if self._active:
            return
        w = self._window
        self._was_maximized = w.isMaximized()
        hidden = self._hide + w.findChildren(QDockWidget) + [w.menuBar()]
        self._restore = [x for x in hidden if x.isVisible()]
        for x in self._restore:
            x.hide()
        self._on_large(True)
        self._active = True
        self._escape.setEnabled(True)
        w.showFullScreen()
        self.toggled.emit(True)

    def leave(self) -> None:
        if not self._active:
            return
        w = self._window
        for x in self._restore:
            x.show()
        self._restore = []
        self._on_large(False)
        self._active = False
        self._escape.setEnabled(False)
        if self._was_maximized:
            w.showMaximized()
        else:
            w.showNormal()
        self.toggled.emit(False)
