"""Every input is shown even when labels repeat (issue 14, item 6): a function called
twice makes two inputs named ``x``; the inputs panel and the values table list each
one, told apart by id, and editing one changes that one only."""
from __future__ import annotations

from gradviz.app.launch import make_window
from gradviz.core.graph import Graph


def _twice() -> Graph:
    g = Graph()
    first = g.add_input("x", 2.0, id="x1")
    second = g.add_input("x", 5.0, id="x2")
    y = g.add_op("mul", "y", id="y")
    g.connect(first, y, 0)
    g.connect(second, y, 1)
    return g


def _window(qtbot):
    w = make_window(_twice(), "", "twice")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_the_inputs_panel_lists_both_inputs_named_x_and_edits_each_alone(qtbot):
    w = _window(qtbot)
    panel = w.inputs_panel
    assert panel.labels == ["x (#x1)", "x (#x2)"]
    first, second = panel.row("x (#x1)"), panel.row("x (#x2)")
    assert first.name.text() == "x (#x1)" and second.name.text() == "x (#x2)"
    assert (first.spin.value(), second.spin.value()) == (2.0, 5.0)
    second.spin.setValue(7.0)
    g = w.document.graph
    assert (g.node("x1").value, g.node("x2").value) == (2.0, 7.0)
    assert w.document.evaluation.values["y"] == 14.0
    w.document.undo_stack.undo()
    assert panel.row("x (#x2)").spin.value() == 5.0
    w.document.undo_stack.setClean()


def test_randomise_gives_each_of_the_repeated_inputs_a_value(qtbot):
    w = _window(qtbot)
    panel = w.inputs_panel
    panel.rng.seed(3)
    panel.randomise()
    g = w.document.graph
    shown = [panel.row(label).spin.value() for label in panel.labels]
    assert shown == [g.node("x1").value, g.node("x2").value]
    assert (g.node("x1").value, g.node("x2").value) != (2.0, 5.0)
    assert g.node("x1").value != 2.0 and g.node("x2").value != 5.0
    w.document.undo_stack.setClean()


def test_the_values_table_has_a_row_for_each_input_named_x(qtbot):
    w = _window(qtbot)
    w.player.go_to(w.document.last_step, animate=False)
    table = w.values_table
    model = table.model()
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert names == ["x (#x1)", "x (#x2)", "y"]
    assert table.shown("x (#x1)", "Value") == "2" and table.shown("x (#x2)", "Value") == "5"
    # ∂y/∂x1 = x2 = 5 and ∂y/∂x2 = x1 = 2: two gradients, not one.
    assert table.shown("x (#x1)", "Gradient") == "5"
    assert table.shown("x (#x2)", "Gradient") == "2"
    assert model.index(2, 3).data() == "x (#x1) · x (#x2)"
