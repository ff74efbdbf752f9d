"""The steps list: every step of the run as a line of arithmetic, clickable; or, for a
graph that cannot run yet, why not."""
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFontMetrics

from gradviz.app.steps_list import StepsList
from gradviz.core import explain
from gradviz.core.evaluation import evaluate
from gradviz.core.graph import Graph
from gradviz.core.language import parse

from .test_values_table import NOTEBOOK, _chain, _shown


def _steps(qtbot, width: int = 420, height: int = 400) -> StepsList:
    return _shown(qtbot, StepsList(), width, height)


def _click(qtbot, steps: StepsList, row: int) -> None:
    rect = steps.visualRect(steps.model().index(row, 0))
    qtbot.mouseClick(steps.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_each_row_is_the_state_after_that_many_steps(qtbot):
    steps = _steps(qtbot)
    run = evaluate(parse(NOTEBOOK))
    steps.set_evaluation(run)
    assert steps.model().rowCount() == len(run.timeline) + 1
    assert steps.text(0) == ("0. Inputs a = 2, b = 3. The program computes c = a + b, d = b + 1, "
                             "e = c · d. Step forward to compute the values.")
    assert steps.text(1) == "1. c = a + b = 2 + 3 = 5"
    assert steps.text(9) == ("9. ∂d/∂b = 1;  ∂e/∂b += ∂e/∂d · ∂d/∂b = 5 · 1 = 5  →  "
                             "∂e/∂b = 4 + 5 = 9")
    assert steps.model().index(9, 0).data(Qt.ItemDataRole.ToolTipRole) == steps.text(9)


def test_the_step_shown_is_selected_without_choosing_it_again(qtbot):
    steps = _steps(qtbot, height=120)
    steps.set_evaluation(evaluate(parse(NOTEBOOK)))
    with qtbot.assertNotEmitted(steps.stepChosen):
        steps.show_index(8)
    assert steps.currentIndex().row() == 8
    assert steps.viewport().rect().intersects(steps.visualRect(steps.currentIndex()))


def test_clicking_a_row_chooses_its_step(qtbot):
    steps = _steps(qtbot)
    steps.set_evaluation(evaluate(parse(NOTEBOOK)))
    with qtbot.waitSignal(steps.stepChosen) as chosen:
        _click(qtbot, steps, 4)
    assert chosen.args == [4]


def test_a_long_step_wraps_onto_more_lines(qtbot):
    steps = _steps(qtbot, width=220)
    steps.set_evaluation(evaluate(parse(NOTEBOOK)))
    line = QFontMetrics(steps.font()).height()
    assert steps.visualRect(steps.model().index(9, 0)).height() >= 2 * line


def test_an_unfinished_graph_says_why_in_one_whole_row(qtbot):
    graph = Graph()
    x = graph.add_input("x", 2.0)
    y = graph.add_op("mul", "y")
    graph.connect(x, y, 0)
    (_, problem), = graph.problems()
    steps = _steps(qtbot, width=200)
    steps.set_evaluation(None, problem)
    assert steps.model().rowCount() == 1
    assert steps.text(0) == ("No steps until the graph can run: "
                             "y (Multiply) has nothing connected to input 2.")
    line = QFontMetrics(steps.font()).height()
    assert steps.visualRect(steps.model().index(0, 0)).height() >= 3 * line  # all of it
    with qtbot.assertNotEmitted(steps.stepChosen):
        _click(qtbot, steps, 0)
        steps.show_index(0)
    steps.set_evaluation(None)
    assert steps.model().rowCount() == 0  # nothing to say: nothing listed


def test_a_node_added_unwired_in_the_window_is_said_in_the_list(window, qtbot):
    window.wiring.add_node("neg", QPointF(600, 0))  # as the palette adds it: input empty
    problem = window.document.problem
    assert "nothing connected" in problem
    assert window.steps_list.model().rowCount() == 1
    assert window.steps_list.text(0) == f"No steps until the graph can run: {problem}."
    window.menus.undo.trigger()
    assert window.steps_list.model().rowCount() == len(window.document.evaluation.timeline) + 1


def test_five_thousand_nodes_are_listed_and_only_the_rows_in_sight_described(qtbot, monkeypatch):
    described = []

    def counted(step, graph, output, labels=None, values=None):
        described.append(step)
        return plain(step, graph, output, labels, values)

    plain = explain.describe
    monkeypatch.setattr(explain, "describe", counted)
    monkeypatch.setattr(Graph, "labels", _counting(Graph.labels, collected := []))
    steps = _steps(qtbot)
    run = evaluate(parse(_chain(5000)))
    collected.clear()
    steps.set_evaluation(run)
    steps.show_index(run.timeline.last)
    qtbot.wait(10)  # painted
    assert steps.model().rowCount() == len(run.timeline) + 1 > 8000
    assert steps.currentIndex().row() == run.timeline.last
    assert steps.text(run.timeline.last).startswith(f"{run.timeline.last}. ∂")
    assert 0 < len(described) < 200
    assert len(collected) == 1  # the labels once for the run, not once a step
    with qtbot.waitSignal(steps.stepChosen) as chosen:
        _click(qtbot, steps, steps.indexAt(steps.viewport().rect().center()).row())
    assert chosen.args[0] > run.timeline.last - 100


def _counting(function, calls: list):
    def counted(*args):
        calls.append(args)
        return function(*args)
    return counted
