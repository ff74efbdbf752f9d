"""The Descent panel in the real window: ticks, the learning rate, Descend, undo, the plot."""
import pytest
from PySide6.QtCore import Qt

from gradviz.core.evaluation import evaluate
from gradviz.core.steps import ForwardStep


@pytest.fixture
def line(window):
    """The window on the shipped line-fitting example (w, b ticked; data unticked)."""
    window.file_actions.open_example("linear_regression")
    window.descent_panel.replay.setChecked(False)
    window.descent_dock.raise_()  # its tab, in front of the values
    return window


def values(window):
    return {n.label: n.value for n in window.document.graph.inputs()}


def test_the_example_comes_with_its_data_and_targets_unticked(line):
    panel = line.descent_panel
    assert panel.ticked == ["w", "b"]
    assert panel.rate_edit.text() == "0.05"
    assert panel.plot.values == ()


def test_descend_moves_the_ticked_inputs_exactly_and_undo_takes_it_back(line, qtbot):
    panel, d = line.descent_panel, line.document
    before = values(line)
    grads = evaluate(d.graph).grads
    start = d.evaluation.value
    qtbot.mouseClick(panel.descend_button, Qt.MouseButton.LeftButton)
    after = values(line)
    assert after["w"] == before["w"] - 0.05 * grads["w"]
    assert after["b"] == before["b"] - 0.05 * grads["b"]
    assert {k: v for k, v in after.items() if k not in "wb"} == \
        {k: v for k, v in before.items() if k not in "wb"}
    assert panel.plot.values == (start, d.evaluation.value) and d.evaluation.value < start
    assert line.inputs_panel.row("w").spin.value() == after["w"]  # the inputs follow
    assert "w = 1.3" in d.program  # (0 + 0.05·26) the program's number follows too
    assert d.undo_stack.undoText() == "Descend"
    line.menus.undo.trigger()
    assert values(line) == before and panel.plot.values == ()
    assert d.evaluation.value == start
    line.menus.redo.trigger()
    assert values(line) == after and len(panel.plot.values) == 2


def test_twenty_steps_in_one_press_the_loss_falls_and_the_data_stays(line):
    panel, d = line.descent_panel, line.document
    data = {k: v for k, v in values(line).items() if k not in "wb"}
    panel.steps_box.setValue(20)
    line.descend_action.trigger()
    losses = panel.plot.values
    assert len(losses) == 21
    assert all(b < a for a, b in zip(losses, losses[1:], strict=False))
    assert {k: v for k, v in values(line).items() if k not in "wb"} == data
    assert d.undo_stack.count() == 1  # one undo step
    d.undo_stack.undo()
    assert panel.plot.values == ()


def click_tick(qtbot, panel, label):
    """Click ``label``'s check box in the list, as a lecturer does."""
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    item = panel.item(label)
    view = panel.params
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualItemRect(item)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    box = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator,
                                      option, view)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=box.center())


def test_unticking_holds_an_input_fixed_and_is_undoable(line, qtbot):
    panel, d = line.descent_panel, line.document
    qtbot.waitUntil(panel.params.isVisible)
    click_tick(qtbot, panel, "b")
    assert panel.ticked == ["w"] and "b" in d.descent.fixed and d.modified
    assert d.undo_stack.undoText() == "Hold b fixed"
    b = d.input_value("b")
    panel.descend()
    assert d.input_value("b") == b and d.input_value("w") != 0
    d.undo_stack.undo()  # the Descend
    d.undo_stack.undo()  # the untick
    assert panel.ticked == ["w", "b"] and not d.modified
    click_tick(qtbot, panel, "x1")
    assert panel.ticked == ["w", "b", "x1"]
    assert d.undo_stack.undoText() == "Descend on x1"


def test_a_rate_that_is_not_a_number_is_refused_and_nothing_moves(line, qtbot):
    panel, d = line.descent_panel, line.document
    before = values(line)
    panel.rate_edit.setFocus()
    panel.rate_edit.selectAll()
    qtbot.keyClicks(panel.rate_edit, "fast")
    qtbot.keyClick(panel.rate_edit, Qt.Key.Key_Return)
    assert panel.message.isVisible()
    assert "Learning rate: “fast” is not a number" in panel.message.text()
    assert d.descent.rate == 0.05
    assert panel.descend() is False and values(line) == before
    panel.rate_edit.setText("nan")
    assert panel.descend() is False and "must be a finite number" in panel.message.text()
    panel.rate_edit.setText("0.01")
    assert panel.descend() is True and not panel.message.isVisible()
    assert d.descent.rate == 0.01


def test_a_step_that_diverges_says_why_and_changes_nothing(line):
    panel, d = line.descent_panel, line.document
    panel.rate_edit.setText("1e300")
    panel.steps_box.setValue(5)
    before, depth = values(line), d.undo_stack.index()
    assert panel.descend() is False
    assert "Cannot descend: step 1: at the new values" in panel.message.text()
    assert "smaller learning rate" in panel.message.text()
    assert values(line) == before and panel.plot.values == ()
    assert d.undo_stack.index() == depth + 1  # the rate alone was taken
    assert d.undo_stack.undoText() == "Learning rate 1e+300"


def test_every_input_unticked_is_refused(window):
    panel = window.descent_panel
    for label in ("a", "b"):
        panel.item(label).setCheckState(Qt.CheckState.Unchecked)
    assert panel.descend() is False
    assert "every input is held fixed" in panel.message.text()


def test_the_ticks_and_the_rate_are_saved_with_the_document(line, tmp_path):
    panel = line.descent_panel
    panel.item("w").setCheckState(Qt.CheckState.Unchecked)
    panel.rate_edit.setText("0.02")
    panel.take_rate()
    path = tmp_path / "line.gradviz"
    assert line.file_actions.write_to(path)
    line.file_actions.open_example("notebook")
    assert panel.ticked == ["a", "b"] and panel.rate_edit.text() == "0.1"
    line.file_actions.open_file(path)
    assert panel.ticked == ["b"] and panel.rate_edit.text() == "0.02"


def test_descend_replays_the_forward_pass_up_to_the_seed(line, qtbot):
    panel, d = line.descent_panel, line.document
    panel.replay.setChecked(True)
    line.player.go_to(d.last_step, animate=False)
    assert panel.descend()
    forward = sum(isinstance(s, ForwardStep) for s in d.evaluation.timeline.steps)
    assert line.player.playing
    qtbot.waitUntil(lambda: not line.player.playing, timeout=20000)
    line.player.finish()
    assert d.step == forward


def test_a_new_program_starts_the_history_afresh(line):
    panel, d = line.descent_panel, line.document
    panel.descend()
    assert len(panel.plot.values) == 2
    d.type_program("w = 1\nloss = w * w\n")
    assert panel.plot.values == () and panel.ticked == ["w"]


def test_the_menu_and_the_view_toggle(line):
    assert line.descend_action in line.menus.step.actions()
    assert line.descend_action.shortcut().toString() == "Ctrl+D"
    toggle = line.descent_dock.toggleViewAction()
    assert toggle in line.menus.panels.actions()
    line.descend_action.trigger()
    assert line.descent_dock.isVisible()
    toggle.trigger()
    assert not line.descent_dock.isVisible()


def test_the_ticks_of_a_hidden_tab_follow_once_it_is_shown(window, qtbot):
    window.values_dock.raise_()  # the Descent tab behind the values
    window.file_actions.open_example("linear_regression")
    params = window.descent_panel.params
    window.descent_dock.raise_()
    qtbot.waitUntil(params.isVisible)
    shown = {params.item(i).text(): params.item(i).checkState() == Qt.CheckState.Checked
             for i in range(params.count())}
    assert shown == {"w": True, "b": True, "x1": False, "y1": False, "x2": False,
                     "y2": False, "x3": False, "y3": False}


def test_descend_from_the_menu_with_the_tab_hidden_uses_the_examples_rate(window):
    window.values_dock.raise_()
    window.file_actions.open_example("linear_regression")
    window.descent_panel.replay.setChecked(False)
    window.descend_action.trigger()
    d = window.document
    assert d.descent.rate == 0.05 and d.input_value("w") == 0.05 * 26
    assert d.input_value("x1") == 0  # the data stays, ticks made or not
    assert window.descent_dock.isVisible()  # a Descend shows its panel


def test_an_autosave_copy_brings_back_the_ticks_and_the_rate(qtbot, tmp_path, monkeypatch):
    import subprocess

    from gradviz.app import autosave
    from gradviz.app.launch import NOTEBOOK_PROGRAM, make_window
    from gradviz.core import language

    monkeypatch.setenv("GRADVIZ_AUTOSAVE_DIR", str(tmp_path))
    w = make_window(language.parse(NOTEBOOK_PROGRAM), NOTEBOOK_PROGRAM, "notebook example")
    qtbot.addWidget(w)
    qtbot.wait(10)  # its own look for copies left behind, before there is one
    w.file_actions.open_example("linear_regression")
    w.descent_panel.item("w").setCheckState(Qt.CheckState.Unchecked)
    w.descent_panel.rate_edit.setText("0.03")
    assert w.descent_panel.take_rate()
    gone = subprocess.Popen(["true"])
    gone.wait()  # a process that is over: its copy is offered
    w.autosave.write_now().rename(tmp_path / f"autosave-{gone.pid}-1.gradviz")
    w.document.undo_stack.setClean()
    monkeypatch.setattr(autosave, "ask_restore", lambda parent, when, name: True)
    w2 = make_window(language.parse(NOTEBOOK_PROGRAM), NOTEBOOK_PROGRAM, "notebook example")
    qtbot.addWidget(w2)
    qtbot.waitUntil(lambda: w2.document.modified, timeout=2000)
    assert w2.document.descent.fixed[-1] == "w" and w2.document.descent.rate == 0.03
    assert w2.descent_panel.ticked == ["b"]
    w2.document.undo_stack.setClean()


def test_a_big_graph_takes_fewer_steps_per_press(window):
    program = "\n".join(f"x{i} = {i}" for i in range(600)) + "\ny = " + \
        " + ".join(f"x{i}" for i in range(600)) + "\n"
    window.document.type_program(program)
    box = window.descent_panel.steps_box
    assert box.maximum() == 100_000 // len(window.document.graph) < 1000
    window.document.type_program("a = 1\ny = a * a\n")
    assert box.maximum() == 1000


def _pixels_of(image, colour: str) -> int:
    from PySide6.QtGui import QColor

    want = QColor(colour)
    return sum(1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
               if image.pixelColor(x, y) == want)


def test_the_plot_draws_the_history_and_says_what_it_is(line, qtbot):
    from gradviz.app.history_plot import LINE_COLOUR, POINT_COLOUR

    plot = line.descent_panel.plot
    qtbot.waitUntil(plot.isVisible)
    empty = plot.grab().toImage()
    assert _pixels_of(empty, LINE_COLOUR) == 0 and "Press Descend" in plot.toolTip()
    line.descent_panel.steps_box.setValue(5)
    line.descent_panel.descend()
    drawn = plot.grab().toImage()
    assert _pixels_of(drawn, LINE_COLOUR) > 20 and _pixels_of(drawn, POINT_COLOUR) > 5
    assert plot.toolTip().startswith("loss: 35 before, ") and "after 5 steps" in plot.toolTip()
