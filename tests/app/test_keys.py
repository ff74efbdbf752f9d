"""The keys a lecturer presses, wherever the focus is: undo and redo, the stepping keys at
either end, the lecture keys in text fields, who has the arrows, the node editor's field."""
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from gradviz.app.key_focus import STEPS_HINT
from gradviz.app.node_editor import NodeEditor

from .conftest import press

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
LEFT = Qt.MouseButton.LeftButton


def _focus(qtbot, widget) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=3000)


def _type_value(qtbot, window, label: str, text: str) -> None:
    spin = window.inputs_panel.row(label).spin
    _focus(qtbot, spin)
    qtbot.keyClick(spin, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


# --- undo and redo ------------------------------------------------------------------------
def test_ctrl_z_undoes_and_ctrl_shift_z_and_ctrl_y_redo(window, qtbot):
    spin = window.inputs_panel.row("a").spin
    _type_value(qtbot, window, "a", "7")
    assert spin.value() == 7
    _focus(qtbot, window.view)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert spin.value() == 2
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert spin.value() == 7
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert spin.value() == 2
    qtbot.keyClick(window.view, Qt.Key.Key_Y, CTRL)
    assert spin.value() == 7
    press(qtbot, window, Qt.Key.Key_End)
    assert window.values_table.shown("e", "Value") == "40"  # (7 + 3) * (3 + 1)


# --- the canvas never scrolls with the stepping keys --------------------------------------
def _camera(view):
    return (view.horizontalScrollBar().value(), view.verticalScrollBar().value(),
            view.transform())


@pytest.mark.parametrize("to_end, keys", [
    (Qt.Key.Key_End, [Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space,
                      Qt.Key.Key_Down, Qt.Key.Key_End]),
    (Qt.Key.Key_Home, [Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Up, Qt.Key.Key_Home]),
])
def test_stepping_keys_past_either_end_leave_the_canvas_still(window, qtbot, to_end, keys):
    press(qtbot, window, Qt.Key.Key_Right, 3)
    press(qtbot, window, to_end)
    index, camera = window.player.index, _camera(window.view)
    for key in keys:
        press(qtbot, window, key, 6)
        assert window.player.index == index
        assert _camera(window.view) == camera, f"{key!r} moved the canvas"


def test_in_presentation_the_page_keys_and_space_past_the_end_leave_the_canvas_still(
        window, qtbot):
    press(qtbot, window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.isFullScreen(), timeout=3000)
    press(qtbot, window, Qt.Key.Key_End)
    qtbot.wait(50)
    camera = _camera(window.view)
    for key in (Qt.Key.Key_PageDown, Qt.Key.Key_Space, Qt.Key.Key_Right):
        press(qtbot, window, key, 6)
        assert _camera(window.view) == camera, f"{key!r} moved the canvas"
    press(qtbot, window, Qt.Key.Key_Home)
    camera = _camera(window.view)
    press(qtbot, window, Qt.Key.Key_PageUp, 6)
    assert _camera(window.view) == camera
    press(qtbot, window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=3000)


# --- the lecture keys work wherever the focus is ------------------------------------------
def _fields(window):
    return [window.program_panel.editor, window.inputs_panel.row("a").spin,
            window.steps_list, window.player_bar.speed_box]


def test_page_keys_and_f5_step_and_present_from_the_editor_and_the_number_boxes(window, qtbot):
    for field in _fields(window):
        _focus(qtbot, field)
        start = window.player.index
        qtbot.keyClick(field, Qt.Key.Key_PageDown)
        qtbot.keyClick(field, Qt.Key.Key_PageDown)
        assert window.player.index == start + 2, field.objectName()
        qtbot.keyClick(field, Qt.Key.Key_PageUp)
        assert window.player.index == start + 1, field.objectName()
        qtbot.keyClick(field, Qt.Key.Key_F5)
        qtbot.waitUntil(lambda: window.presentation.active, timeout=3000)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=3000)
        window.player.finish()
    assert window.inputs_panel.row("a").spin.value() == 2
    assert window.program_panel.editor.toPlainText() == "a = 2\nb = 3\ne = (a + b) * (b + 1)\n"


def test_page_keys_at_either_end_change_nothing_in_a_number_box_or_the_editor(window, qtbot):
    spin, editor = window.inputs_panel.row("a").spin, window.program_panel.editor
    for to_end, key in ((Qt.Key.Key_End, Qt.Key.Key_PageDown),
                        (Qt.Key.Key_Home, Qt.Key.Key_PageUp)):
        press(qtbot, window, to_end)
        index = window.player.index
        for field in (spin, editor):
            _focus(qtbot, field)
            cursor = editor.textCursor().position()
            qtbot.keyClick(field, key)
            qtbot.keyClick(field, key)
            assert window.player.index == index
            assert spin.value() == 2 and spin.text() == "2"  # not stepped by a page
            assert editor.textCursor().position() == cursor
        _focus(qtbot, window.view)


# --- who has the arrows ---------------------------------------------------------------------
def test_the_status_bar_says_who_has_the_arrows_and_esc_gives_them_back(window, qtbot):
    editor, hint = window.program_panel.editor, window.key_focus.label
    assert hint.isVisible() and hint.text() == STEPS_HINT
    press(qtbot, window, Qt.Key.Key_Right)
    assert window.player.index == 1
    qtbot.mouseClick(editor.viewport(), LEFT, pos=QPoint(4, 4))
    qtbot.waitUntil(editor.hasFocus, timeout=3000)
    assert "move the cursor in the program" in hint.text()
    assert "Esc or a click on the canvas gives them back" in hint.text()
    qtbot.keyClick(editor, Qt.Key.Key_Right)  # the cursor moves, the steps stay
    qtbot.keyClick(editor, Qt.Key.Key_Right)
    assert editor.textCursor().position() == 2 and window.player.index == 1
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.view.hasFocus, timeout=3000)
    assert hint.text() == STEPS_HINT
    press(qtbot, window, Qt.Key.Key_Right)
    assert window.player.index == 2

    spin = window.inputs_panel.row("b").spin
    _focus(qtbot, spin)
    assert "move the cursor in the value of b" in hint.text()
    qtbot.keyClick(spin, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.view.hasFocus, timeout=3000)
    assert hint.text() == STEPS_HINT


def test_a_click_on_the_canvas_gives_the_arrows_back(window, qtbot):
    editor, hint = window.program_panel.editor, window.key_focus.label
    qtbot.mouseClick(editor.viewport(), LEFT, pos=QPoint(4, 4))
    qtbot.waitUntil(editor.hasFocus, timeout=3000)
    assert hint.text() != STEPS_HINT
    qtbot.mouseClick(window.view.viewport(), LEFT, pos=QPoint(5, 5))  # the background
    qtbot.waitUntil(window.view.hasFocus, timeout=3000)
    assert hint.text() == STEPS_HINT
    press(qtbot, window, Qt.Key.Key_Right)
    assert window.player.index == 1


def test_the_steps_list_does_not_take_the_arrows(window, qtbot):
    _focus(qtbot, window.steps_list)
    assert window.key_focus.label.text() == STEPS_HINT
    qtbot.keyClick(window.steps_list, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: window.player.index == 1, timeout=3000)
    window.player.finish()


def test_f1_lists_undo_redo_delete_and_the_esc_rule():
    from gradviz.app.main_window import KEYS_HELP

    for text in ("Ctrl Z", "undo", "Ctrl Shift Z, Ctrl Y", "redo", "Delete / Backspace",
                 "Esc", "back to the steps"):
        assert text in KEYS_HELP


# --- the node editor -------------------------------------------------------------------------
def _double_click_node(qtbot, window, label: str) -> NodeEditor:
    item = window.scene.node_item(window.document.graph.by_label(label))
    at = window.view.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseDClick(window.view.viewport(), LEFT, pos=at)
    dialog = window.findChild(NodeEditor)
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    return dialog


def test_double_clicking_an_input_puts_the_cursor_in_its_value(window, qtbot):
    dialog = _double_click_node(qtbot, window, "a")
    assert QApplication.focusWidget() is dialog.value_edit
    assert dialog.value_edit.selectedText() == dialog.value_edit.text()
    qtbot.keyClicks(dialog.value_edit, "5")  # typed over the selected value
    qtbot.keyClick(dialog.value_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    assert window.inputs_panel.row("a").spin.value() == 5
    assert window.document.graph.by_label("a") is not None  # the name is unchanged


def test_double_clicking_an_operation_puts_the_cursor_in_its_name(window, qtbot):
    dialog = _double_click_node(qtbot, window, "c")
    assert dialog.value_edit is None
    assert QApplication.focusWidget() is dialog.name_edit
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
