"""Forward mode in the window: the mode switch, stepping one pass at a time, the pass
selector, the dual numbers on the nodes and the comparison at the end."""
from PySide6.QtCore import Qt

from gradviz.app.commands import SetValueCommand

from ..windows import open_main_window
from .conftest import press

COMPANION = "x1 = 2\nx2 = 3\nx3 = 4\nx4 = 5\nf = x1 * x2 + x3 * x4\n"


def node_texts(window, label):
    return window.scene.node_item(window.document.graph.by_label(label)).texts()


def test_the_mode_box_switches_to_forward_and_back(window, qtbot):
    bar = window.player_bar
    assert bar.mode_box.currentText() == "Reverse" and not bar.pass_box.isVisibleTo(bar)
    bar.mode_box.setCurrentIndex(bar.mode_box.findText("Forward"))
    assert window.document.mode == "forward"
    assert bar.pass_box.isVisibleTo(bar)
    assert [bar.pass_box.itemText(i) for i in range(bar.pass_box.count())] == [
        "pass 1: seeding a", "pass 2: seeding b"]
    assert not bar.buttons["Backward pass"].isVisibleTo(bar)
    assert window.player_bar.mode_actions["forward"].isChecked()
    assert "Forward mode · pass 1 of 2: seeding a · step 0 of 3" in window.explanation.text
    assert "a = 2 + 1ε, b = 3 + 0ε" in window.explanation.text
    assert "2 + 1ε" in node_texts(window, "a")
    assert "?" in node_texts(window, "c")
    assert window.values_table.shown("c", "Tangent") == "–"  # not computed yet
    window.player_bar.mode_actions["reverse"].trigger()  # the Step menu's entry
    assert window.document.mode == "reverse" and bar.mode_box.currentText() == "Reverse"
    header = window.values_table.model().headerData(2, Qt.Orientation.Horizontal)
    assert header == "Grad" and window.values_table.shown("a", "Gradient") == "–"
    assert node_texts(window, "a") == ["a", "2", "?"]  # value and gradient again


def test_stepping_a_pass_writes_the_dual_arithmetic_on_caption_and_nodes(window, qtbot):
    window.player_bar.mode_actions["forward"].trigger()
    press(qtbot, window, Qt.Key.Key_Right)
    assert "c = a + b = (2 + 1ε) + (3 + 0ε) = 5 + 1ε" in window.explanation.text
    assert node_texts(window, "c") == ["c", "+", "5 + 1ε", "∂c/∂a = 1"]  # what ε holds
    assert window.scene.caption_text().startswith("Pass 1 of 2: seeding a, step 1 of 3")
    press(qtbot, window, Qt.Key.Key_Right, 2)
    text = window.explanation.text
    assert "e = c · d = (5 + 1ε)(4 + 0ε) = 20 + (5·0 + 1·4)ε + 1·0ε² = 20 + 4ε" in text
    assert "Pass done: ∂e/∂a = 4 (the ε part of e)." in text
    assert "20 + 4ε" in node_texts(window, "e")
    assert window.player_bar.position_label.text() == "Pass 1 / 2 · step 3 / 3"
    table = window.values_table
    assert table.model().headerData(2, Qt.Orientation.Horizontal) == "Tangent"
    assert [table.shown(x, "Tangent") for x in "abcde"] == ["1", "0", "1", "0", "4"]
    assert table.shown("e", "Value") == "20"
    # → at the end of a pass goes on to the next pass's start.
    press(qtbot, window, Qt.Key.Key_Right)
    assert window.document.forward_pass == 1 and window.player.index == 0
    assert window.player_bar.pass_box.currentIndex() == 1
    assert "a = 2 + 0ε, b = 3 + 1ε" in window.explanation.text
    press(qtbot, window, Qt.Key.Key_End)
    text = window.explanation.text
    assert "All 2 passes: ∂e/∂a = 4, ∂e/∂b = 9." in text
    assert ("Operations: forward: 2 passes × 3 operations = 6 dual operations; "
            "reverse: 3 forward + 5 backward steps.") in text
    assert "20 + 9ε" in node_texts(window, "e")
    # ← at a pass's start goes back to the end of the pass before.
    press(qtbot, window, Qt.Key.Key_Home)
    press(qtbot, window, Qt.Key.Key_Left)
    assert window.document.forward_pass == 0 and window.player.index == 3


def test_the_pass_selector_shows_that_pass_from_its_start(qtbot):
    w = open_main_window(qtbot, COMPANION, "forward vs reverse")
    try:
        w.player_bar.mode_actions["forward"].trigger()
        w.player_bar.pass_box.setCurrentIndex(2)
        assert w.document.forward_pass == 2 and w.player.index == 0
        assert "pass 3 of 4: seeding x3" in w.explanation.text
        assert "4 + 1ε" in node_texts(w, "x3") and "2 + 0ε" in node_texts(w, "x1")
        w.player.end()
        assert "Pass done: ∂f/∂x3 = 5" in w.explanation.text
        assert w.steps_list.text(1).startswith("1. f_a = x1 · x2 = (2 + 0ε)(3 + 0ε)")
        # Four inputs: no offer to skip in the bar (the Step menu has it).
        assert not w.player_bar.skip_button.isVisibleTo(w.player_bar)
    finally:
        w.document.undo_stack.setClean()


def test_many_inputs_offer_to_skip_to_every_result(qtbot):
    program = "\n".join(f"x{i} = {i}" for i in range(1, 9)) + "\ny = " + " + ".join(
        f"x{i} * x{i}" for i in range(1, 9)) + "\n"
    w = open_main_window(qtbot, program, "eight inputs")
    try:
        w.player_bar.mode_actions["forward"].trigger()
        bar = w.player_bar
        assert bar.skip_button.isVisibleTo(bar) and bar.skip_action.isEnabled()
        bar.skip_button.click()
        assert w.document.forward_pass == 7 and w.player.index == w.player.last
        text = w.explanation.text
        assert "All 8 passes: ∂y/∂x1 = 2, ∂y/∂x2 = 4" in text and "∂y/∂x8 = 16" in text
        assert "forward: 8 passes × 15 operations = 120 dual operations" in text
        assert not bar.skip_action.isEnabled()  # there is nothing left to skip
        assert w.document.forward_run.computed() == list(range(8))
    finally:
        w.document.undo_stack.setClean()


def test_a_new_value_in_forward_mode_shows_the_new_pass(window, qtbot):
    window.player_bar.mode_actions["forward"].trigger()
    window.player.end()
    d = window.document
    d.undo_stack.push(SetValueCommand(d, d.graph.by_label("a"), 5))
    assert window.document.mode == "forward"
    window.player.end()
    assert "20" not in " ".join(node_texts(window, "e"))
    assert "32 + 4ε" in node_texts(window, "e")  # (5 + 3)(3 + 1), ∂e/∂a = 4


def test_the_export_dialog_writes_the_forward_step_shown(window, qtbot, tmp_path):
    import xml.etree.ElementTree as ET

    window.player_bar.mode_actions["forward"].trigger()
    window.player_bar.pass_box.setCurrentIndex(1)
    press(qtbot, window, Qt.Key.Key_Right, 2)
    dialog = window.export_dialog()
    assert dialog.current_step.text() == "This step (pass 2, step 2)"
    target = tmp_path / "forward.svg"
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(".svg"))
    dialog.path_edit.setText(str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    root = ET.parse(target).getroot()
    caption = next(el.text for el in root.iter() if el.tag.endswith("desc"))
    assert caption == ("Pass 2 of 2: seeding b, step 2 of 3: d = b + 1 = (3 + 1ε) + "
                       "(1 + 0ε) = 4 + 1ε")
    texts = " ".join(t for el in root.iter() if el.tag.endswith("text") for t in el.itertext())
    assert "4 + 1ε" in texts and "3 + 1ε" in texts


def test_a_new_program_in_forward_mode_lists_its_own_passes(window, qtbot):
    window.player_bar.mode_actions["forward"].trigger()
    window.player_bar.pass_box.setCurrentIndex(1)
    assert window.document.type_program("p = 1\nq = 2\nr = 3\ns = p * q + r\n")
    bar = window.player_bar
    assert [bar.pass_box.itemText(i) for i in range(bar.pass_box.count())] == [
        "pass 1: seeding p", "pass 2: seeding q", "pass 3: seeding r"]
    assert bar.pass_box.currentIndex() == window.document.forward_pass == 1
    window.player.end()
    assert "5 + 1ε" in node_texts(window, "s")  # ∂s/∂q = p = 1
    assert "Pass done: ∂s/∂q = 1" in window.explanation.text
    window.document.undo_stack.undo()  # back to the notebook's graph, still in forward mode
    assert window.document.mode == "forward" and bar.pass_box.count() == 2
    assert "2 + 0ε" in node_texts(window, "a")


def test_a_graph_without_inputs_says_forward_mode_has_no_pass(window, qtbot):
    window.player_bar.mode_actions["forward"].trigger()
    assert window.document.type_program("y = 2 * 3\n")
    assert "forward mode needs an input" in window.player_bar.position_label.text()
    assert not window.player_bar.forward_action.isEnabled()
    assert "forward mode needs an input" in window.explanation.text


def test_a_chosen_node_says_its_dual_number_in_the_pass(window, qtbot):
    window.player_bar.mode_actions["forward"].trigger()
    d = window.document
    d.set_selection([d.graph.by_label("e")])
    assert "e is not computed yet: step 3 of this pass computes it" in window.explanation.text
    window.player.end()
    assert "e = 20 + 4ε: ∂e/∂a = 4, its ε part" in window.explanation.text


def test_a_window_that_fitted_its_screen_is_not_widened_past_it(qtbot, monkeypatch):
    """Switching to forward mode widened the window past a 1280 px projector's edge
    (1,403 px: Qt made room for the wider player bar by growing the window, not by
    narrowing the side panels). A growth past the screen of a window that fitted is
    taken back; here it is made directly, as Qt made it, so that the test does not hang
    on how wide this machine's fonts make the bar."""
    from PySide6.QtCore import QRect

    window = open_main_window(qtbot, COMPANION, "companion")
    qtbot.wait(10)
    fitted = window.width()
    frame = window.frameGeometry().width() - fitted
    room = fitted + frame + 50  # the screen: the window fits with 50 px to spare

    class Screen:  # the projector the window is on (offscreen's screen is 800 px)
        def availableGeometry(self):
            return QRect(0, 0, room, 900)

    monkeypatch.setattr(window, "screen", lambda: Screen())
    window.resize(fitted + 200, window.height())  # past the screen's edge
    qtbot.waitUntil(lambda: window.width() == fitted)  # taken back
    window.resize(fitted + 40, window.height())  # still on the screen: kept
    qtbot.wait(20)
    assert window.width() == fitted + 40
    window.player_bar.mode_actions["forward"].trigger()  # the growth it was made for
    qtbot.waitUntil(lambda: window.frameGeometry().width() <= room
                    or window.width() == window.minimumSizeHint().width())
    window.document.undo_stack.setClean()
