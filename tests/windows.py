"""Opening the real main window in tests: shown offscreen, active, ready for key presses."""
from gradviz.app.launch import make_window
from gradviz.core import language


def open_main_window(qtbot, program: str, name: str):
    """A shown, focused main window on ``program`` (qtbot closes it after the test)."""
    w = make_window(language.parse(program), program, name)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    w.view.setFocus()
    qtbot.waitUntil(lambda: w.isActiveWindow())
    return w
