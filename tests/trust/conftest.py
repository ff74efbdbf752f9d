"""Real main windows on programs of the test's choosing, shown offscreen for qtbot."""
from __future__ import annotations

import pytest

from gradviz.app.launch import make_window
from gradviz.core import language


@pytest.fixture
def open_window(qtbot):
    """``open_window(program)``: a shown main window on that program."""
    opened = []

    def open_(program: str):
        w = make_window(language.parse(program), program, "trust")
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        w.activateWindow()
        w.view.setFocus()
        qtbot.waitUntil(lambda: w.isActiveWindow())
        opened.append(w)
        return w

    yield open_
    for w in opened:
        w.player.pause()
        w.player.finish()
