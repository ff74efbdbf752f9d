"""Typing a program that uses names without values offers to add them as inputs."""
from PySide6.QtCore import Qt

from .test_editing import _type, _type_program

PROGRAM = "e = (a + b) * (b + 1)"


def _offer(window):
    return window.program_panel.offer


def _wait_for_offer(qtbot, window):
    qtbot.waitUntil(lambda: _offer(window).isVisible(), timeout=3000)
    return _offer(window)


def _input_values(window) -> dict[str, float]:
    return {n.label: n.value for n in window.document.graph.inputs()}


def test_a_click_adds_the_missing_names_as_inputs_and_the_graph_appears(window, qtbot):
    _type_program(qtbot, window, PROGRAM)
    offer = _wait_for_offer(qtbot, window)
    assert offer.button.text().startswith("Add a = 1, b = 1 as inputs")
    assert "a is not defined" in window.program_panel.error_text
    qtbot.mouseClick(offer.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.document.graph.by_label("e") is not None
                    and window.document.program.endswith(PROGRAM), timeout=3000)
    assert window.document.program == "a = 1\nb = 1\n" + PROGRAM
    assert window.program_panel.editor.toPlainText() == window.document.program
    assert _input_values(window) == {"a": 1, "b": 1}
    assert window.document.evaluation.value == 4
    assert window.inputs_panel.row("a").spin.value() == 1
    assert not offer.isVisible() and window.program_panel.error_text == ""


def test_alt_a_while_typing_adds_them_as_one_undoable_edit(window, qtbot):
    before = window.document.program
    editor = window.program_panel.editor
    _type_program(qtbot, window, PROGRAM)
    _wait_for_offer(qtbot, window)
    assert editor.hasFocus()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.document.evaluation is not None
                    and window.document.program.startswith("a = 1\nb = 1\n"), timeout=3000)
    assert window.document.evaluation.value == 4
    # One edit of the text: Ctrl+Z in the editor takes both lines away at once, and the
    # offer comes back ...
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == PROGRAM
    _wait_for_offer(qtbot, window)
    # ... and the app's undo goes back to the graph before the typing.
    window.document.undo_stack.undo()
    assert window.document.program == before


def test_the_offer_goes_when_the_text_is_valid_or_another_error_comes(window, qtbot):
    editor = window.program_panel.editor
    _type_program(qtbot, window, PROGRAM)
    offer = _wait_for_offer(qtbot, window)
    _type(qtbot, editor, " +")  # now a syntax error comes first
    qtbot.waitUntil(lambda: not offer.isVisible(), timeout=3000)
    assert window.program_panel.error_text != ""
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # no offer: no-op
    assert editor.toPlainText() == PROGRAM + " +"
    _type_program(qtbot, window, "a = 2\nb = 3\n" + PROGRAM)
    qtbot.waitUntil(lambda: window.program_panel.error_text == "", timeout=3000)
    assert not offer.isVisible()
    assert window.document.evaluation.value == 20


def test_only_the_names_still_missing_are_offered(window, qtbot):
    _type_program(qtbot, window, "a = 2\n" + PROGRAM)
    offer = _wait_for_offer(qtbot, window)
    assert offer.names == ("b",)
    assert offer.button.text().startswith("Add b = 1 as input ")


def test_names_are_shown_as_text_never_as_markup(window, qtbot):
    label = window.program_panel.error_label
    assert label.textFormat() == Qt.TextFormat.PlainText
    _type_program(qtbot, window, "e = b_ * 2")
    _wait_for_offer(qtbot, window)
    assert "b_ is not defined" in label.text()
