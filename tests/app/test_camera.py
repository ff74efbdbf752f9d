"""The camera follows the step: in presentation mode at 1280x720 every step of the 2-2-1
network's backward pass is in view, with its neighbours, at legible text; Home, End and
Ctrl+0 show the whole graph; a move by hand pauses following; the overview shows where
the camera is and moves it. Driven by real key presses, wheel turns and clicks."""
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt

from gradviz.app.document import Document
from gradviz.app.main_window import MainWindow
from gradviz.core import language
from gradviz.render.camera import MAX_TEXT_PT, MIN_TEXT_PT, focus_nodes, step_nodes

from .conftest import press

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
SLIDE = (1280, 720)


def _settle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.player.animating and not window.camera.moving,
                    timeout=3000)


def _step(qtbot, window, key, times: int = 1) -> None:
    for _ in range(times):
        press(qtbot, window, key)
        _settle(qtbot, window)


def _seen(window) -> QRectF:
    v = window.view
    return v.mapToScene(v.viewport().rect()).boundingRect()


def _text_pt(window) -> float:
    return window.view.transform().m11() * window.scene.theme.base_point_size


def _whole_in_view(window) -> bool:
    # The canvas's graph (its caption is hidden: the explanation panel says the step).
    return _seen(window).contains(window.scene.content_rect())


def _out_of_view(window, index: int, nodes=focus_nodes) -> list[str]:
    """The labels of step ``index``'s nodes and neighbours (or of ``nodes``) the view
    does not show whole."""
    d, seen = window.document, _seen(window)
    return sorted(d.graph.node(n).label for n in nodes(d.graph, d.evaluation, index)
                  if not seen.contains(window.scene.node_item(n).sceneBoundingRect()))


def _open(window, name: str) -> None:
    assert window.file_actions.open_file(EXAMPLES / f"{name}.gradviz")


def _present(qtbot, window, size=SLIDE) -> None:
    """F5, then the window at ``size``: a projector's screen (offscreen, full screen is
    the offscreen screen's 800 px, so the window leaves full screen for that size, the
    presentation's panels staying hidden)."""
    qtbot.keyClick(window.view, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.presentation.active and window.isFullScreen(),
                    timeout=3000)
    window.showNormal()
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().toTuple() == size, timeout=3000)
    qtbot.wait(50)  # nothing puts it back to full screen afterwards
    assert window.size().toTuple() == size and window.presentation.active
    _settle(qtbot, window)


@pytest.fixture
def network(window, qtbot):
    """The 2-2-1 network's example, presented at 1280x720."""
    _open(window, "mlp_2_2_1")
    _present(qtbot, window)
    return window


def test_every_backward_step_of_the_network_is_in_view_at_legible_text(network, qtbot):
    w = network
    timeline = w.document.evaluation.timeline
    _step(qtbot, w, Qt.Key.Key_B)  # to the backward pass
    assert w.player.index == timeline.backward_start
    problems = []
    while True:
        i = w.player.index
        missing, pt = _out_of_view(w, i), _text_pt(w)
        if missing or not MIN_TEXT_PT - 1e-6 <= pt <= MAX_TEXT_PT + 1e-6:
            own = _out_of_view(w, i, step_nodes)
            problems.append(f"step {i}: text {pt:.1f} pt, not in view: {missing}"
                            + (f" (of the step's own nodes: {own})" if own else ""))
        if i == w.player.last:
            break
        _step(qtbot, w, Qt.Key.Key_Right)
    assert w.player.index == timeline.last
    assert not problems, "\n".join(problems)


def test_the_forward_steps_are_followed_too_and_the_start_shows_the_whole_graph(network,
                                                                                qtbot):
    w = network
    assert w.player.index == 0 and _whole_in_view(w)
    for _ in range(6):  # (whose neighbours may lie on the next row: the step's own nodes)
        _step(qtbot, w, Qt.Key.Key_Right)
        assert _out_of_view(w, w.player.index, step_nodes) == []
        assert MIN_TEXT_PT - 1e-6 <= _text_pt(w) <= MAX_TEXT_PT + 1e-6


def test_home_end_and_ctrl0_show_the_whole_graph(network, qtbot):
    w = network
    _step(qtbot, w, Qt.Key.Key_Right, 3)
    assert not _whole_in_view(w)  # the network is too big to read whole at 1280x720
    _step(qtbot, w, Qt.Key.Key_End)
    assert w.player.index == w.player.last and _whole_in_view(w)
    _step(qtbot, w, Qt.Key.Key_Left, 2)
    assert not _whole_in_view(w)
    _step(qtbot, w, Qt.Key.Key_Home)
    assert w.player.index == 0 and _whole_in_view(w)
    _step(qtbot, w, Qt.Key.Key_Right, 2)
    assert not _whole_in_view(w)
    qtbot.keyClick(w.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    _settle(qtbot, w)
    assert w.player.index == 2 and _whole_in_view(w)


def _wheel(qtbot, window, clicks: int) -> None:
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    vp = window.view.viewport()
    at = QPointF(vp.rect().center())
    event = QWheelEvent(at, QPointF(vp.mapToGlobal(at.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * clicks), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(vp, event)


def _view_state(window):
    v = window.view
    c = v.mapToScene(v.viewport().rect().center())
    return round(v.transform().m11(), 6), round(c.x(), 1), round(c.y(), 1)


def test_a_zoom_by_hand_pauses_following_until_the_next_step_key(network, qtbot):
    w = network
    _step(qtbot, w, Qt.Key.Key_Right, 2)
    hint = w.findChild(type(w.camera.hint), "cameraHint")
    assert not hint.isVisible()
    _wheel(qtbot, w, 3)
    assert hint.isVisible() and "paused" in hint.text()
    still = _view_state(w)
    w.player.play()  # steps that come by themselves leave the view alone
    qtbot.waitUntil(lambda: w.player.index >= 4, timeout=5000)
    w.player.pause()
    _settle(qtbot, w)
    assert _view_state(w) == still and hint.isVisible()
    _step(qtbot, w, Qt.Key.Key_Right)  # a step key follows again
    assert not hint.isVisible()
    assert _out_of_view(w, w.player.index, step_nodes) == []
    assert MIN_TEXT_PT - 1e-6 <= _text_pt(w) <= MAX_TEXT_PT + 1e-6


def test_ctrl0_after_a_drag_by_hand_follows_again(network, qtbot):
    w = network
    _step(qtbot, w, Qt.Key.Key_Right, 2)
    vp = w.view.viewport()
    start = QPoint(40, vp.height() - 40)  # the background under the nodes' rows
    while w.view.itemAt(start) is not None:
        start += QPoint(10, 0)
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    for dx in (60, 120, 200):
        qtbot.mouseMove(vp, start + QPoint(dx, -dx // 2))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=start + QPoint(200, -100))
    assert w.camera.hint.isVisible()
    qtbot.keyClick(w.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    _settle(qtbot, w)
    assert _whole_in_view(w) and not w.camera.hint.isVisible()
    _step(qtbot, w, Qt.Key.Key_Right)
    assert _out_of_view(w, w.player.index) == [] and not _whole_in_view(w)


def test_the_overview_shows_while_the_graph_does_not_fit_and_a_click_moves_the_view(
        network, qtbot):
    w, minimap = network, network.minimap
    assert _whole_in_view(w) and not minimap.isVisible()  # the start: all of it in view
    _step(qtbot, w, Qt.Key.Key_Right)
    assert not _whole_in_view(w) and minimap.isVisible()
    assert w.view.geometry().contains(minimap.geometry())
    # Where the loss node is drawn in the overview, a click brings it into view.
    loss = w.scene.node_item(w.document.graph.by_label("loss")).sceneBoundingRect()
    assert not _seen(w).contains(loss)
    at = minimap.from_scene(loss).center().toPoint()
    qtbot.mouseClick(minimap, Qt.MouseButton.LeftButton, pos=at)
    assert _seen(w).contains(loss)
    assert w.camera.hint.isVisible()  # a move by hand
    _step(qtbot, w, Qt.Key.Key_End)
    assert _whole_in_view(w) and not minimap.isVisible()


def test_the_overview_never_hides_the_step(network, qtbot):
    w, minimap = network, network.minimap
    for _ in range(12):
        _step(qtbot, w, Qt.Key.Key_Right)
        if minimap.isVisible():
            for n in focus_nodes(w.document.graph, w.document.evaluation, w.player.index):
                item = w.scene.node_item(n).sceneBoundingRect()
                on_view = w.view.mapFromScene(item).boundingRect().translated(
                    w.view.viewport().geometry().topLeft())
                assert not minimap.geometry().intersects(on_view) or minimap.see_through


def _small_window(qtbot, settings=None):
    program = "a = 2\nb = 3\nc = a + b\nd = b + 1\ne = c * d\n"
    w = MainWindow(Document(language.parse(program), program, name="small"), settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    w.view.setFocus()
    qtbot.waitUntil(w.isActiveWindow)
    w.player.set_speed(4)
    return w


def test_the_view_toggle_follows_outside_presentation_and_is_remembered(window, qtbot):
    w = window
    follow = w.menus.follow
    assert follow in w.menus.view.actions() and follow.isCheckable()
    assert not follow.isChecked()  # off by default outside presentation mode
    w.view.zoom_by(3.0)
    still = _view_state(w)
    _step(qtbot, w, Qt.Key.Key_Right, 2)
    assert _view_state(w) == still  # off: the view keeps still
    follow.trigger()
    _step(qtbot, w, Qt.Key.Key_Right)
    assert _out_of_view(w, w.player.index) == []
    assert MIN_TEXT_PT - 1e-6 <= _text_pt(w) <= MAX_TEXT_PT + 1e-6
    settings = w.settings
    w.close()
    again = _small_window(qtbot, settings)
    assert again.menus.follow.isChecked()
    again.menus.follow.trigger()
    assert not settings.follow_step
    again.close()


def test_a_graph_that_fits_keeps_still_while_stepping(qtbot):
    w = _small_window(qtbot)
    _present(qtbot, w)
    assert _whole_in_view(w) and not w.minimap.isVisible()
    still = _view_state(w)
    for _ in range(w.player.last):
        _step(qtbot, w, Qt.Key.Key_Right)
        assert _view_state(w) == still
    assert MIN_TEXT_PT - 1e-6 <= _text_pt(w) <= MAX_TEXT_PT + 1e-6
    w.close()


def test_closing_mid_move_leaves_nothing_running(network, qtbot):
    w = network
    w.player.set_speed(0.5)  # a long move, still under way when the window closes
    qtbot.keyClick(w.view, Qt.Key.Key_Right)
    assert w.camera.moving
    w.close()
    assert not w.camera.moving and not w.player.animating
