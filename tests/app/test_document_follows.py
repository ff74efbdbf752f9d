"""Everything on screen follows the one document: nothing describes a program, a value,
a step or a selection that is no longer current. Driven by real typing, clicks and
the inputs panel, as a lecturer would leave the opening example."""
from PySide6.QtCore import QPoint, Qt

from gradviz.app.commands import MoveNodeCommand, SetValueCommand
from gradviz.app.graph_commands import AddNodeCommand, ConnectCommand
from gradviz.core import language
from gradviz.core.examples import NOTEBOOK

from .conftest import drag, press

DESCRIPTION_PART = "4 + 5 = 9"


def _type_program(qtbot, window, text):
    """Type ``text`` over the editor's, key by key (Return ends a line; QTest has no key
    for "\n"; typing a new line would indent it, so each line starts at column 0)."""
    editor = window.program_panel.editor
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    for i, line in enumerate(text.split("\n")):
        if i:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
            qtbot.keyClick(editor, Qt.Key.Key_Home)
        if line:
            qtbot.keyClicks(editor, line)
    editor.flush()


def _title(window):
    return window.windowTitle().replace("[*]", "")


def _click_node(qtbot, window, label):
    item = window.scene.node_item(window.document.graph.by_label(label))
    at = window.view.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=at)


def test_a_typed_program_replaces_the_examples_caption_and_title(window, qtbot):
    window.file_actions.open_example(NOTEBOOK.name)
    assert DESCRIPTION_PART not in window.explanation.text  # the answer: at the end
    window.player.go_to(window.player.last, animate=False)
    assert DESCRIPTION_PART in window.explanation.text
    assert _title(window) == f"{NOTEBOOK.title} — gradviz"
    _type_program(qtbot, window, "x = 2\ny = x * x")
    assert window.document.evaluation.value == 4
    assert DESCRIPTION_PART not in window.explanation.text
    assert "Start · 4 steps" in window.explanation.text
    assert _title(window) == "untitled — gradviz" and window.isWindowModified()
    window.document.undo_stack.undo()  # the example comes back, with its words
    window.player.go_to(window.player.last, animate=False)
    assert DESCRIPTION_PART in window.explanation.text
    assert _title(window) == f"{NOTEBOOK.title} — gradviz"


def test_setting_b_to_5_updates_the_graph_the_caption_and_the_program(window, qtbot):
    window.file_actions.open_example(NOTEBOOK.name)
    program = window.document.program
    window.inputs_panel.row("b").spin.setValue(5)
    d = window.document
    assert d.evaluation.value == (2 + 5) * (5 + 1)
    text = window.program_panel.editor.toPlainText()
    assert language.parse(text).node("b").value == 5
    assert text == program.replace("b = 3", "b = 5")  # only that line changed
    assert DESCRIPTION_PART not in window.explanation.text  # it was about b = 3
    press(qtbot, window, Qt.Key.Key_End)
    assert "= 7 + 6 = 13" in window.explanation.text or \
        window.values_table.shown("b", "Gradient") == "13"
    assert window.values_table.shown("e", "Value") == "42"


def test_a_refused_program_then_an_example_leaves_no_error(window, qtbot):
    _type_program(qtbot, window, "while x:\n    y = x")
    panel = window.program_panel
    assert panel.error_label.isVisibleTo(panel) and "not allowed" in panel.error_text
    window.file_actions.open_example("neuron")
    assert not panel.error_label.isVisibleTo(panel) and panel.error_text == ""
    assert window.program_panel.editor.toPlainText() == window.document.program


def test_the_node_line_follows_the_step_and_goes_with_the_selection(window, qtbot):
    label = window.explanation.node_label
    _click_node(qtbot, window, "b")
    assert label.isVisibleTo(window.explanation)
    assert "not known yet" in label.text()  # at the start nothing has reached b
    press(qtbot, window, Qt.Key.Key_End)
    assert label.text().endswith("= 4·1 + 5·1 = 9")
    press(qtbot, window, Qt.Key.Key_Home)
    assert "not known yet" in label.text()
    empty = window.view.mapFromScene(window.scene.content_rect().topLeft()) + QPoint(2, 2)
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=empty)
    assert window.document.selection == ()
    assert not label.isVisibleTo(window.explanation)


def test_a_value_change_updates_the_same_items_in_place(window, qtbot):
    before = {item.node_id: item for item in window.scene.node_items()}
    places = window.scene.positions()
    window.inputs_panel.row("a").spin.setValue(4)
    after = {item.node_id: item for item in window.scene.node_items()}
    assert after.keys() == before.keys()
    assert all(after[n] is before[n] for n in before)  # updated, not rebuilt
    assert window.scene.positions() == places
    press(qtbot, window, Qt.Key.Key_End)
    assert "28" in window.scene.node_item("e").texts()  # (4 + 3) · 4


def test_two_commands_built_before_the_first_is_pushed_both_apply(window):
    d = window.document
    first = SetValueCommand(d, "a", 10)
    second = SetValueCommand(d, "b", 20)
    second.last_change = first.last_change + 5  # two separate gestures
    d.undo_stack.push(first)
    d.undo_stack.push(second)
    assert d.input_value("a") == 10 and d.input_value("b") == 20
    assert d.evaluation.value == 30 * 21
    added = AddNodeCommand(d, "neg", (900, 0))
    d.undo_stack.push(added)
    wire = ConnectCommand(d, d.graph.by_label("e"), added.node_id, 0)
    d.undo_stack.push(wire)
    assert d.graph.node(d.graph.resolved_output()).op == "neg"


def test_move_then_undo_gives_an_equal_unpinned_graph(window):
    d = window.document
    start, places = d.graph.copy(), window.scene.positions()
    assert d.graph.node("c").pos is None  # the layout placed it
    d.undo_stack.push(MoveNodeCommand(d, "c", (700.0, 300.0)))
    assert d.graph.node("c").pos == (700.0, 300.0)
    assert start.node("c").pos is None  # the graph before the move was not touched
    d.undo_stack.undo()
    assert d.graph == start and d.graph.node("c").pos is None
    assert d.undo_stack.isClean()
    assert window.scene.positions() == places


def test_a_node_edit_keeps_the_programs_comments(window, qtbot):
    text = "# the notebook's example\na = 2  # first input\nb = 3\n\n" \
           "# b fans out\ne = (a + b) * (b + 1)\n"
    _type_program(qtbot, window, text)
    assert window.document.program == text
    dialog = window.wiring.edit_node("a")
    dialog.name_edit.setText("alpha")
    dialog.value_edit.setText("2.5")
    dialog.accept()
    # The renamed input's line and the line that uses it change; the comments stay.
    assert window.document.program == (
        "# the notebook's example\nalpha = 2.5  # first input\nb = 3\n"
        "c = alpha + b\nd = b + 1\n\n# b fans out\ne = c * d\n")
    assert window.program_panel.editor.toPlainText() == window.document.program
    window.document.undo_stack.undo()
    assert window.document.program == text


def test_a_value_change_keeps_the_editors_cursor_and_the_steps_rows(window, qtbot):
    editor = window.program_panel.editor
    cursor = editor.textCursor()
    cursor.setPosition(len("a = 2\nb = 3\ne = (a"))
    editor.setTextCursor(cursor)
    with qtbot.assertNotEmitted(window.steps_list.model().modelReset):
        window.inputs_panel.row("b").spin.setValue(5)
    assert editor.toPlainText() == "a = 2\nb = 5\ne = (a + b) * (b + 1)\n"
    assert editor.textCursor().position() == len("a = 2\nb = 5\ne = (a")
    press(qtbot, window, Qt.Key.Key_End)
    assert window.steps_list.model().data(window.steps_list.model().index(3)) == \
        "3. e = c · d = 7 · 6 = 42"


def test_undoing_a_drag_after_a_value_change_moves_nothing_else(window, qtbot):
    window.inputs_panel.row("a").spin.setValue(995031868940.698)  # boxes grow
    drawn = window.scene.positions()
    drag(qtbot, window, "a", 100, 0)
    assert window.document.graph.node("a").pos is not None
    window.document.undo_stack.undo()
    assert window.document.graph.node("a").pos is None
    assert window.scene.positions() == drawn  # every node where it was drawn
