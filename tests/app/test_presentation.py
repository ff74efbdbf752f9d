"""Presentation mode (F5, Esc) puts every panel back exactly as it was, and keeps nothing."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from .conftest import press


def _dock_sizes(window) -> dict[str, tuple[bool, int, int]]:
    return {d.objectName(): (d.isVisible(), d.width(), d.height())
            for d in window.findChildren(QDockWidget)}


def _settled(qtbot, window) -> dict[str, tuple[bool, int, int]]:
    """The dock sizes once the window has given its panels their sizes."""
    qtbot.wait(150)
    before = None
    while before != _dock_sizes(window):
        before = _dock_sizes(window)
        qtbot.wait(100)
    return before


def _present(qtbot, window) -> None:
    qtbot.keyClick(window.view, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.presentation.active and window.isFullScreen(), timeout=3000)
    assert not any(d.isVisible() for d in window.findChildren(QDockWidget))
    assert not window.menuBar().isVisible() and not window.player_bar.isVisible()


def _leave(qtbot, window, key=Qt.Key.Key_Escape) -> None:
    qtbot.keyClick(window.view, key)
    qtbot.waitUntil(lambda: not window.presentation.active and not window.isFullScreen(),
                    timeout=3000)


def test_f5_and_esc_three_times_put_every_dock_back_at_its_size(window, qtbot):
    before = _settled(qtbot, window)
    size = window.size()
    for leave_key in (Qt.Key.Key_Escape, Qt.Key.Key_F5, Qt.Key.Key_Escape):
        _present(qtbot, window)
        _leave(qtbot, window, leave_key)
        qtbot.waitUntil(lambda: _dock_sizes(window) == before, timeout=3000)
        assert _settled(qtbot, window) == before
        assert window.size() == size
    assert window.menuBar().isVisible() and window.player_bar.isVisible()


def test_a_maximized_window_comes_back_maximized_with_its_docks(window, qtbot):
    screen = window.screen().availableGeometry().size()
    if window.minimumSizeHint().width() > screen.width():
        pytest.skip("the screen is narrower than the window's panels (offscreen's 800 px): "
                    "maximized, the window would not fit on it")
    window.showMaximized()
    qtbot.waitUntil(window.isMaximized, timeout=3000)
    before = _settled(qtbot, window)
    _present(qtbot, window)
    _leave(qtbot, window)
    qtbot.waitUntil(lambda: window.isMaximized() and _dock_sizes(window) == before,
                    timeout=3000)
    assert _settled(qtbot, window) == before


def test_the_steps_go_on_in_presentation_and_the_canvas_has_the_keys(window, qtbot):
    window.program_panel.editor.setFocus()
    qtbot.waitUntil(window.program_panel.editor.hasFocus)
    qtbot.keyClick(window.program_panel.editor, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.presentation.active, timeout=3000)
    qtbot.waitUntil(window.view.hasFocus, timeout=3000)  # not a hidden panel
    press(qtbot, window, Qt.Key.Key_PageDown, 2)
    press(qtbot, window, Qt.Key.Key_Right)
    assert window.player.index == 3
    _leave(qtbot, window)
    assert window.player.index == 3


def test_closing_in_presentation_saves_the_window_as_it_was_before(window, qtbot):
    _settled(qtbot, window)
    state, geometry = window.saveState(), window.saveGeometry()
    _present(qtbot, window)
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)
    assert window.settings.window_state == state
    assert window.settings.geometry == geometry
