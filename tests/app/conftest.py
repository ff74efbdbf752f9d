"""A real main window on the notebook's example, shown offscreen, for qtbot to drive."""
import pytest

from gradviz.app.launch import NOTEBOOK_PROGRAM, make_window
from gradviz.core import language


@pytest.fixture
def window(qtbot):
    w = make_window(language.parse(NOTEBOOK_PROGRAM), NOTEBOOK_PROGRAM, "notebook example")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    w.view.setFocus()
    qtbot.waitUntil(lambda: w.isActiveWindow())
    w.player.set_speed(4)  # real animations, just shorter
    yield w
    w.player.pause()
    w.player.finish()
    w.document.undo_stack.setClean()  # closing must not ask about unsaved changes


def press(qtbot, window, key, times: int = 1):
    """Press ``key`` on the canvas and let any step animation finish."""
    for _ in range(times):
        qtbot.keyClick(window.view, key)
        qtbot.waitUntil(lambda: not window.player.animating, timeout=3000)
