"""Stepping through the notebook's example with the lecture keys, as a lecturer would."""
from PySide6.QtCore import QPoint, Qt

from gradviz.core import explain

from .conftest import press


def test_opens_on_the_notebook_example_ready_to_step(window, qtbot):
    assert window.windowTitle().replace("[*]", "") == "notebook example — gradviz"
    assert not window.windowIcon().isNull()
    assert window.player.index == 0
    assert "press → to step forward" in window.explanation.text
    press(qtbot, window, Qt.Key.Key_Right)
    assert window.player.index == 1
    assert "c = a + b = 2 + 3 = 5" in window.explanation.text
    assert window.values_table.shown("c", "Value") == "5"
    assert window.values_table.shown("d", "Value") == "–"


def test_right_arrow_to_the_end_explains_every_step_and_b_gets_9(window, qtbot):
    ev = window.document.evaluation
    expected = [explain.describe(s, ev.graph, ev.output, None, ev.values, rule=False)
                for s in ev.timeline.steps]
    for i, text in enumerate(expected, start=1):
        press(qtbot, window, Qt.Key.Key_Right)
        assert window.player.index == i
        assert text in window.explanation.text
        step = ev.timeline.steps[i - 1]
        if step.phase == "backward" and hasattr(step, "child"):  # the rule, with numbers
            rule = explain.rule_text(step, ev.graph, ev.output, None, ev.values)
            assert rule in window.explanation.text.splitlines()[0]
        assert window.scene.step_index == i  # the canvas shows the same step
    assert "∂e/∂b += ∂e/∂d · ∂d/∂b = 5 · 1 = 5  →  ∂e/∂b = 4 + 5 = 9" in window.explanation.text
    assert window.values_table.shown("b", "Gradient") == "9"
    assert window.values_table.shown("a", "Gradient") == "4"
    assert any(t.startswith("9") for t in window.scene.node_item(ev.graph.by_label("b")).texts())
    press(qtbot, window, Qt.Key.Key_Right)  # nothing after the end
    assert window.player.index == len(expected)


def test_left_arrow_and_page_keys_step_back(window, qtbot):
    press(qtbot, window, Qt.Key.Key_End)
    last = window.player.last
    assert window.values_table.shown("b", "Gradient") == "9"
    press(qtbot, window, Qt.Key.Key_Left)
    assert window.player.index == last - 1
    assert window.values_table.shown("b", "Gradient") == "4"  # the last addition undone
    assert window.scene.step_index == last - 1
    press(qtbot, window, Qt.Key.Key_PageUp)
    assert window.player.index == last - 2
    press(qtbot, window, Qt.Key.Key_PageDown)
    press(qtbot, window, Qt.Key.Key_Space)
    assert window.player.index == last
    press(qtbot, window, Qt.Key.Key_Home)
    assert window.player.index == 0
    assert window.values_table.shown("e", "Value") == "–"


def test_fast_presses_skip_animations_instead_of_queueing(window, qtbot):
    for _ in range(5):
        qtbot.keyClick(window.view, Qt.Key.Key_Right)
    assert window.player.index == 5  # reached at once, not after five animations
    qtbot.waitUntil(lambda: not window.player.animating, timeout=3000)
    assert window.scene.step_index == 5


def test_backward_step_animates_a_pulse_then_updates_the_gradient(window, qtbot):
    press(qtbot, window, Qt.Key.Key_B)  # the seed has just been shown
    start = window.player.index
    qtbot.keyClick(window.view, Qt.Key.Key_Right)
    assert window.player.animating
    assert window.scene.step_index == start  # the parent's gradient waits for the pulse
    qtbot.waitUntil(lambda: not window.player.animating, timeout=3000)
    assert window.scene.step_index == start + 1


def test_clicking_a_step_in_the_list_jumps_there(window, qtbot):
    lst = window.steps_list
    target = 6
    rect = lst.visualRect(lst.model().index(target))
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: not window.player.animating, timeout=3000)
    assert window.player.index == target
    assert lst.currentIndex().row() == target
    assert window.scene.step_index == target


def test_node_granularity_steps_one_node_at_a_time(window, qtbot):
    window.player_bar.granularity_box.setCurrentIndex(1)
    press(qtbot, window, Qt.Key.Key_B)
    stops = window.document.evaluation.timeline.stops("node")
    here = window.player.index
    press(qtbot, window, Qt.Key.Key_Right)
    assert window.player.index == min(s for s in stops if s > here)


def test_clicking_a_node_shows_its_chain_rule_expansion(window, qtbot):
    press(qtbot, window, Qt.Key.Key_End)
    b = window.document.graph.by_label("b")
    item = window.scene.node_item(b)
    pos = window.view.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(pos))
    assert "∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 4·1 + 5·1 = 9" in window.explanation.text


def test_play_runs_to_the_end_and_stops(window, qtbot):
    window.player.set_speed(50)
    window.player.play()
    qtbot.waitUntil(lambda: not window.player.playing, timeout=10000)
    qtbot.waitUntil(lambda: not window.player.animating, timeout=3000)
    assert window.player.index == window.player.last
