"""The player's buttons have their own drawn icons: visible, distinct, sharp at any size."""
import pytest
from PySide6.QtGui import QIcon

from gradviz.app.media_icons import media_icon

NAMES = ["reset", "back", "play", "pause", "forward", "end", "backward_pass"]


def _ink(icon: QIcon, px: int, mode=QIcon.Mode.Normal) -> tuple:
    image = icon.pixmap(px, px, mode).toImage()
    assert image.width() == px  # drawn at the size asked for, not scaled up from a small one
    return tuple(image.pixelColor(x, y).alpha() > 128 for y in range(px) for x in range(px))


@pytest.mark.parametrize("px", [16, 26, 64])
def test_every_icon_is_drawn_and_each_is_different(qapp, px):
    inks = {name: _ink(media_icon(name), px) for name in NAMES}
    for name, ink in inks.items():
        assert 0.08 < sum(ink) / len(ink) < 0.6, name  # something, and not a blob
    assert len(set(inks.values())) == len(NAMES)


def test_the_buttons_show_them_and_play_turns_into_pause(window, qtbot):
    bar = window.player_bar
    for button in bar.buttons.values():
        assert not button.icon().isNull()
    play = _ink(bar.play_action.icon(), 26)
    bar._on_playing(True)
    assert bar.play_action.text() == "Pause" and _ink(bar.play_action.icon(), 26) != play
    bar._on_playing(False)
    assert _ink(bar.play_action.icon(), 26) == play


def test_a_disabled_icon_is_fainter(qapp):
    icon = media_icon("play")
    normal = icon.pixmap(26, 26, QIcon.Mode.Normal).toImage()
    faded = icon.pixmap(26, 26, QIcon.Mode.Disabled).toImage()
    assert normal.pixelColor(12, 12) != faded.pixelColor(12, 12)


def test_the_window_icon_is_the_png_alone(window):
    from PySide6.QtCore import QSize

    # An SVG added too would load Qt's SVG icon engine at start-up (and report no sizes).
    assert window.windowIcon().availableSizes() == [QSize(256, 256)]
    assert not window.windowIcon().pixmap(32, 32).isNull()
