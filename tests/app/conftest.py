"""A real main window on the notebook's example, shown offscreen, for qtbot to drive."""
import pytest
from PySide6.QtCore import QPoint, Qt

from gradviz.app.launch import NOTEBOOK_PROGRAM

from ..windows import open_main_window


@pytest.fixture
def window(qtbot):
    w = open_main_window(qtbot, NOTEBOOK_PROGRAM, "notebook example")
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


def drag(qtbot, window, node_id: str, dx: int, dy: int) -> None:
    """Drag node ``node_id`` with the mouse by (``dx``, ``dy``) pixels, in three moves."""
    item = window.scene.node_item(node_id)
    at = window.view.mapFromScene(item.sceneBoundingRect().center())
    vp = window.view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=at)
    for f in (0.125, 0.5, 1.0):
        qtbot.mouseMove(vp, at + QPoint(round(dx * f), round(dy * f)))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=at + QPoint(dx, dy))
