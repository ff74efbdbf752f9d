"""Real main windows on programs of the test's choosing, shown offscreen for qtbot."""
from __future__ import annotations

import pytest

from ..windows import open_main_window


@pytest.fixture
def open_window(qtbot):
    """``open_window(program)``: a shown main window on that program."""
    opened = []

    def open_(program: str):
        w = open_main_window(qtbot, program, "trust")
        opened.append(w)
        return w

    yield open_
    for w in opened:
        w.player.pause()
        w.player.finish()
