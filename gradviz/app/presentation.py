"""Presentation mode (F5): full screen, only the canvas and the explanation, large type.

Esc or F5 leaves it and puts the window back exactly as it was: its place (normal or
maximized) and its docks (sizes, tabs) are saved on entering and restored on leaving,
the docks once more after the window has really left full screen (a window manager
answers later), so nothing presentation changed is kept, neither on screen nor in the
settings a close writes. The lecture keys keep working because the player's actions
belong to the window, not to the hidden menus.
"""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QMainWindow, QStatusBar, QWidget

SETTLE_MS = 2000
"""How long after leaving a late resize still gets the docks put back."""


class PresentationMode(QObject):
    """Turns a main window into a slide and back."""

    toggled = Signal(bool)

    def __init__(self, window: QMainWindow, keep: list[QWidget], hide: list[QWidget],
                 on_large: callable) -> None:
        """``keep[0]`` takes the keyboard focus while presenting (the canvas)."""
        super().__init__(window)
        self._window = window
        self._keep = keep
        self._hide = hide
        self._on_large = on_large
        self._restore: list[QWidget] = []
        self._state = QByteArray()
        self._was_maximized = False
        self._size = QSize()
        self._normal = QRect()
        self._settling: QTimer | None = None
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
        self._stop_settling()
        self._state, self._size, self._normal = w.saveState(), w.size(), w.geometry()
        self._was_maximized = w.isMaximized()
        hidden = self._hide + w.findChildren(QDockWidget) + [w.menuBar()] + \
            w.findChildren(QStatusBar, options=Qt.FindChildOption.FindDirectChildrenOnly)
        self._restore = [x for x in hidden if x.isVisible()]
        for x in self._restore:
            x.hide()
        self._on_large(True)
        self._active = True
        self._escape.setEnabled(True)
        w.showFullScreen()
        if self._keep:
            self._keep[0].setFocus()  # not whatever panel had it, now hidden
        self.toggled.emit(True)

    def leave(self) -> None:
        if not self._active:
            return
        w = self._window
        for x in self._restore:  # the docks come back with the state, tabs as they were
            if not isinstance(x, QDockWidget):
                x.show()
        self._restore = []
        self._on_large(False)
        self._active = False
        self._escape.setEnabled(False)
        if self._was_maximized:
            w.showMaximized()
        else:
            w.showNormal()
            # Now, not when the window manager answers: a close saves the geometry next.
            # (Not restoreGeometry: it shrinks a window larger than the screen.)
            w.setGeometry(self._normal)
        w.restoreState(self._state)
        self._start_settling()
        self.toggled.emit(False)

    # --- after leaving: the window's real size comes later ------------------------------
    def _start_settling(self) -> None:
        """Restore the docks again on each resize until the window has its old size."""
        self._window.installEventFilter(self)
        self._settling = QTimer(self)
        self._settling.setSingleShot(True)
        self._settling.timeout.connect(self._stop_settling)
        self._settling.start(SETTLE_MS)

    def _stop_settling(self) -> None:
        if self._settling is not None:
            self._settling.stop()
            self._settling.deleteLater()
            self._settling = None
            self._window.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._window and event.type() == QEvent.Type.Resize:
            # The layout has taken the new size already (it sees the event first).
            self._window.restoreState(self._state)
            if event.size() == self._size:
                self._stop_settling()
        return False
