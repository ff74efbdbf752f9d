"""The inputs panel shows every input's real value and takes any finite number typed."""
import math

import pytest
from PySide6.QtCore import Qt

from gradviz.app.document import Document
from gradviz.app.inputs_panel import InputsPanel
from gradviz.app.number_box import parse_number, stepped
from gradviz.core.language import parse

PROGRAM = ("a = 1e308\nb = 5e-324\nc = 0.5\nd = 20.0\ne = 3.14159265358979\n"
           "out = a + b + c + d + e\n")


@pytest.fixture
def panel(qtbot):
    p = InputsPanel(Document(parse(PROGRAM), PROGRAM))
    qtbot.addWidget(p)
    p.show()
    qtbot.waitExposed(p)
    edits = []
    p.valueEdited.connect(lambda label, v: edits.append((label, v)))
    return p, edits


def type_into(qtbot, panel, label, text):
    box = panel.row(label).spin
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def test_boxes_show_the_real_values(panel):
    p, _ = panel
    shown = {label: p.row(label).spin.text() for label in "abcde"}
    assert shown == {"a": "1e+308", "b": "5e-324", "c": "0.5", "d": "20", "e": "3.1416"}
    assert p.row("a").spin.value() == 1e308 and p.row("b").spin.value() == 5e-324
    assert "3.14159265358979" in p.row("e").spin.toolTip()  # every digit in the tooltip


@pytest.mark.parametrize("text, value, shown", [
    ("1e308", 1e308, "1e+308"), ("-2.5E-300", -2.5e-300, "-2.5e-300"),
    ("5e-324", 5e-324, "5e-324"), ("123456789012", 123456789012.0, "1.2346e+11"),
    ("7", 7.0, "7"), ("-0.25", -0.25, "-0.25")])
def test_typed_values_of_any_magnitude_are_taken(panel, qtbot, text, value, shown):
    p, edits = panel
    type_into(qtbot, p, "c", text)
    assert edits == [("c", value)]
    assert p.row("c").spin.text() == shown
    assert not p.message.isVisibleTo(p)


@pytest.mark.parametrize("text, why", [
    ("nan", "finite"), ("inf", "finite"), ("-inf", "finite"), ("1e999", "too large"),
    ("1e-400", "too close to 0"), ("abc", "not a number"), ("1_000", "not a number")])
def test_what_is_not_a_finite_number_is_refused_with_its_reason(panel, qtbot, text, why):
    p, edits = panel
    type_into(qtbot, p, "c", text)
    assert edits == []
    assert p.row("c").spin.value() == 0.5 and p.row("c").spin.text() == "0.5"
    assert p.message.isVisibleTo(p)
    assert why in p.message.text() and text in p.message.text() and "c:" in p.message.text()
    type_into(qtbot, p, "c", "2")  # the next good value clears the reason
    assert edits == [("c", 2.0)] and not p.message.isVisibleTo(p)


def test_pressing_return_on_an_untouched_box_changes_nothing(panel, qtbot):
    p, edits = panel
    box = p.row("e").spin
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert edits == [] and box.value() == 3.14159265358979


def test_arrow_keys_and_the_wheel_step_sensibly(panel, qtbot):
    p, edits = panel
    box = p.row("c").spin
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Up)
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert box.value() == 0.7 and box.text() == "0.7"  # decimal steps, no 0.7000000000000001
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert edits[-1] == ("c", 0.6)
    assert stepped(20.0, 1) == 21 and stepped(1e308, 1) == 1.1e308
    assert stepped(1.7e308, 1) is None  # past the largest float: no step
    assert stepped(5e-324, 1) == 0.1


def test_the_slider_follows_ordinary_values_and_steps_aside_for_huge_ones(panel, qtbot):
    p, edits = panel
    assert p.row("d").slider.isEnabled() and p.row("d").slider.value() == 2000
    p.row("d").slider.setValue(2150)
    assert edits[-1] == ("d", 21.5)
    assert not p.row("a").slider.isEnabled()
    assert "type" in p.row("a").slider.toolTip()


def test_parse_number_refuses_python_float_extras():
    for text in ("nan", "infinity", "0x10", "1_0", "", "1e", "--1"):
        with pytest.raises(ValueError):
            parse_number(text)
    assert parse_number(" 1.5e3 ") == 1500 and parse_number("−0.25") == -0.25 and math.copysign(1, parse_number("-0")) == -1


def test_an_input_typed_as_1e308_reaches_the_model_and_shows(window, qtbot):
    type_into(qtbot, window.inputs_panel, "a", "1e308")
    assert window.document.input_value("a") == 1e308
    assert window.inputs_panel.row("a").spin.text() == "1e+308"
    assert "too large" in window.explanation.text  # the run overflows, and says so
    # The graph cannot run, yet the canvas shows the value the box shows, not the old 2.
    assert "1e+308" in window.scene.tooltip_for("a") or "1e+308" in " ".join(window.scene.texts())


def test_a_refusal_is_dropped_when_the_model_changes(window, qtbot):
    type_into(qtbot, window.inputs_panel, "a", "4")
    type_into(qtbot, window.inputs_panel, "b", "nan")
    assert window.inputs_panel.message.isVisibleTo(window.inputs_panel)
    window.menus.undo.trigger()  # a = 4 undone: what was said about b is old news
    assert window.document.input_value("a") == 2
    assert not window.inputs_panel.message.isVisibleTo(window.inputs_panel)


def test_the_arrows_stop_only_where_a_step_would_pass_the_largest_float(qtbot):
    from PySide6.QtWidgets import QAbstractSpinBox

    from gradviz.app.number_box import NumberBox

    box = NumberBox()
    qtbot.addWidget(box)
    flag = QAbstractSpinBox.StepEnabledFlag
    box.setValue(2.0)
    assert box.stepEnabled() == flag.StepUpEnabled | flag.StepDownEnabled
    box.setValue(1.7e308)  # up would pass the largest float; down is fine
    assert box.stepEnabled() == flag.StepDownEnabled
    box.setValue(-1.7e308)
    assert box.stepEnabled() == flag.StepUpEnabled


def test_hundreds_of_inputs_scroll_instead_of_stretching_the_window(qtbot):
    from tests.windows import open_main_window

    program = "\n".join(f"x{i} = {i}" for i in range(300)) + "\ny = " + \
        " + ".join(f"x{i}" for i in range(300))
    w = open_main_window(qtbot, program, "many inputs")
    assert w.inputs_panel.row("x299").spin.value() == 299
    # The window keeps the size it was given, not the 300 rows' height.
    assert w.minimumSizeHint().height() < 700
    assert w.height() <= w.screen().availableGeometry().height()
    name = w.inputs_panel.row("x299").name  # scrolling is up and down: no name is cut
    assert name.width() >= name.fontMetrics().horizontalAdvance("x299")
    w.document.undo_stack.setClean()


def test_hundreds_of_inputs_come_a_page_at_a_time_as_the_list_scrolls(qtbot):
    from PySide6.QtWidgets import QScrollArea

    text = "".join(f"w{i} = {i}\n" for i in range(300)) + \
        "out = " + " + ".join(f"w{i}" for i in range(300)) + "\n"
    document = Document(parse(text), text)
    p = InputsPanel(document)
    qtbot.addWidget(p)
    p.resize(320, 400)
    p.show()
    qtbot.waitExposed(p)
    assert p.labels == [f"w{i}" for i in range(300)]
    scroll = p.findChild(QScrollArea)
    made = len(scroll.widget().findChildren(type(p.row("w0").spin)))
    assert made < 300  # not every box at once
    bar = scroll.verticalScrollBar()
    for _ in range(20):  # scrolling to the end, as a user dragging the bar would
        bar.setValue(bar.maximum())
        qtbot.wait(1)
    assert len(scroll.widget().findChildren(type(p.row("w0").spin))) == 300
    assert p.row("w299").spin.value() == 299
    # Every input is randomised, made into rows or not.
    p.rng.seed(1)
    p.randomise()
    values = [document.graph.node(document.graph.by_label(f"w{i}")).value for i in range(300)]
    assert sum(v != i for i, v in enumerate(values)) > 290


def test_a_row_far_down_is_made_when_it_is_asked_for(qtbot):
    text = "".join(f"w{i} = {i}\n" for i in range(250)) + "out = w0 + w249\n"
    p = InputsPanel(Document(parse(text), text))
    qtbot.addWidget(p)
    assert p.row("w249").spin.value() == 249
    # A name that no input has is still an error, not an empty row.
    with pytest.raises(KeyError):
        p.row("nope")
