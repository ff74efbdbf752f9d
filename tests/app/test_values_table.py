"""The values table: every node's value and gradient at the step shown, in a narrow
panel, for five nodes or five thousand."""
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from gradviz.app.values_table import COMPUTES, GRAD, NODE, VALUE, ValuesTable
from gradviz.core.evaluation import evaluate
from gradviz.core.language import parse
from gradviz.core.notation import format_number

from .conftest import press

NOTEBOOK = "a = 2\nb = 3\ne = (a + b) * (b + 1)\n"


def _shown(qtbot, widget, width: int, height: int):
    """``widget`` alone on screen at this size (qtbot closes it after the test)."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _table(qtbot, width: int = 360, height: int = 400) -> ValuesTable:
    return _shown(qtbot, ValuesTable(), width, height)


def _chain(nodes: int, a: float = 0.5) -> str:
    """A program of about ``nodes`` nodes: a = tanh(a · w + 0.1), again and again."""
    lines, previous = [f"a = {a}", "w = -1.5"], "a"
    for i in range(-(-(nodes - 2) // 4)):  # four nodes a line, rounded up
        lines.append(f"v{i} = tanh({previous} * w + 0.1)")
        previous = f"v{i}"
    return "\n".join(lines) + "\n"


def test_the_numbers_are_those_of_the_step_shown(qtbot):
    table = _table(qtbot)
    run = evaluate(parse(NOTEBOOK))
    table.show_state(run, 0)
    assert [table.shown(n, "Value") for n in "abcde"] == ["2", "3", "–", "–", "–"]
    assert table.shown("b", "Gradient") == "–"
    table.show_state(run, 1)
    assert table.shown("c", "Value") == "5" and table.shown("d", "Value") == "–"
    table.show_state(run, run.timeline.last)
    assert [table.shown(n, "Gradient") for n in "abcde"] == ["4", "9", "4", "5", "1"]
    assert table.shown("e", "Computes") == "c · d"
    assert table.shown("a", "Node") == "a"
    table.show_state(None, 0)
    assert table.model().rowCount() == 0


def test_rows_follow_the_forward_pass_and_constants_have_no_gradient(qtbot):
    table = _table(qtbot)
    run = evaluate(parse("x = 2\ny = x * 3 + 1\n"))
    table.show_state(run, run.timeline.last)
    labels = [table.model().index(r, NODE).data() for r in range(table.model().rowCount())]
    assert labels == [n.label for n in run.graph.nodes()]
    constant = run.graph.node("z:1").label  # x * 3 is z, after x
    assert table.shown(constant, "Value") == "3"
    assert table.shown(constant, "Gradient") == "–"
    assert table.shown(constant, "Computes") == "const"


def test_tooltips_give_every_digit_and_the_operations_name(qtbot):
    table = _table(qtbot)
    run = evaluate(parse("x = 0.123456789\ny = tanh(x)\n"))
    table.show_state(run, run.timeline.last)
    y = [table.model().index(r, NODE).data() for r in range(table.model().rowCount())].index("y")
    assert table.model().index(y, VALUE).data() == "0.12283"
    assert table.model().index(y, VALUE).data(Qt.ItemDataRole.ToolTipRole) == repr(run.values["y"])
    assert table.model().index(y, COMPUTES).data(Qt.ItemDataRole.ToolTipRole) == "Hyperbolic tangent: y = tanh(x)"
    numbers = table.model().index(y, GRAD).data(Qt.ItemDataRole.TextAlignmentRole)
    assert numbers == Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    tip = table.model().headerData(GRAD, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Its gradient")


def test_a_new_step_and_a_new_value_change_numbers_not_rows(qtbot):
    table = _table(qtbot)
    model = table.model()
    run = evaluate(parse(NOTEBOOK))
    table.show_state(run, 3)
    with qtbot.assertNotEmitted(model.modelReset), \
            qtbot.waitSignal(model.dataChanged) as changed:
        table.show_state(run, 9)
    assert (changed.args[0].column(), changed.args[1].column()) == (VALUE, GRAD)
    assert table.shown("b", "Gradient") == "9"
    with qtbot.assertNotEmitted(model.modelReset), \
            qtbot.waitSignal(model.dataChanged) as changed:
        table.show_state(evaluate(parse(NOTEBOOK.replace("a = 2", "a = 5"))), 9)
    assert (changed.args[0].column(), changed.args[1].column()) == (VALUE, GRAD)
    assert table.shown("e", "Value") == "32" and table.shown("b", "Gradient") == "12"


def test_a_new_graph_gets_new_rows(qtbot):
    table = _table(qtbot)
    table.show_state(evaluate(parse(NOTEBOOK)), 9)
    with qtbot.waitSignal(table.model().modelReset):
        table.show_state(evaluate(parse("x = 3\ny = x * x + 1\n")), 0)
    assert table.model().rowCount() == 4 and table.shown("x", "Value") == "3"


def test_the_same_names_wired_anew_say_what_they_compute_now(qtbot):
    table = _table(qtbot)
    table.show_state(evaluate(parse("a = 2\nb = 3\nc = a + b\n")), 1)
    assert table.shown("c", "Computes") == "a + b"
    table.show_state(evaluate(parse("a = 2\nb = 3\nc = b + a\n")), 1)
    assert table.shown("c", "Computes") == "b + a"


def _used(table: ValuesTable) -> int:
    header = table.horizontalHeader()
    return sum(header.sectionSize(c) for c in range(table.model().columnCount()))


def test_the_columns_fit_a_narrow_panel_and_the_numbers_fit_their_column(qtbot):
    table = _table(qtbot, width=320)  # the minus sign − is wider than a hyphen
    run = evaluate(parse("x = -0.000123456\nweight = 123456.5\ny = x * weight\n"))
    table.show_state(run, run.timeline.last)
    assert _used(table) <= table.viewport().width() + 1
    assert not table.horizontalScrollBar().isVisible()
    metrics = QFontMetrics(table.font())
    for column in (NODE, VALUE, GRAD):
        texts = [table.model().index(r, column).data() for r in range(table.model().rowCount())]
        assert table.horizontalHeader().sectionSize(column) > max(
            map(metrics.horizontalAdvance, texts))


def test_projector_type_in_a_narrower_panel_still_never_scrolls_sideways(qtbot):
    table = _table(qtbot, width=300)
    font = table.font()
    font.setPointSize(18)
    table.setFont(font)
    table.show_state(evaluate(parse("x = -0.000123456\nweight = 123456.5\ny = x * weight\n")), 3)
    assert _used(table) <= table.viewport().width() + 1
    table.resize(200, 400)  # the panel narrowed by hand
    assert _used(table) <= table.viewport().width() + 1
    assert not table.horizontalScrollBar().isVisible()
    assert table.model().index(0, VALUE).data(Qt.ItemDataRole.ToolTipRole) == "-0.000123456"  # every digit, elided or not


def test_a_table_of_five_thousand_rows_is_shown_and_stepped(qtbot):
    table = _table(qtbot)
    run = evaluate(parse(_chain(5000)))
    table.show_state(run, run.timeline.last)
    assert table.model().rowCount() == len(run.graph) >= 5000
    last = table.model().index(table.model().rowCount() - 1, NODE).data()
    assert last == run.graph.node(run.output).label
    assert table.shown(last, "Value") == format_number(run.value)
    table.show_state(run, 0)
    assert table.shown(last, "Value") == "–"
    table.show_state(evaluate(parse(_chain(5000, a=0.7))), run.timeline.last)
    assert table.shown("v0", "Value") != "–"
    assert not table.horizontalScrollBar().isVisible()


def test_changing_an_input_in_the_window_keeps_the_rows(window, qtbot):
    press(qtbot, window, Qt.Key.Key_End)
    model = window.values_table.model()
    spin = window.inputs_panel.row("a").spin
    spin.setFocus()
    spin.selectAll()
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged):
        qtbot.keyClicks(spin, "5")
        qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert window.values_table.shown("e", "Value") == "32"
