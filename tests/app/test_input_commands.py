"""Undo of input values: a quick run of changes is one step, separate entries are two.
The value lives in the graph, and the program's line for the input says it too."""
import pytest

from gradviz.app.commands import MoveNodeCommand, SetValueCommand, program_for
from gradviz.app.document import Document, _difference
from gradviz.core.evaluation import evaluate
from gradviz.core.graph import Graph
from gradviz.core.language import parse

NOTEBOOK = "a = 2\nb = 3\ne = (a + b) * (b + 1)\n"


@pytest.fixture
def doc(qtbot):
    return Document(parse(NOTEBOOK), NOTEBOOK, "notebook")


def test_separate_entries_are_separate_undo_steps(doc, monkeypatch):
    clock = iter([100.0, 105.0])
    monkeypatch.setattr("gradviz.app.commands.time.monotonic", lambda: next(clock))
    doc.undo_stack.push(SetValueCommand(doc, "b", 5))
    doc.undo_stack.push(SetValueCommand(doc, "b", 7))
    assert doc.undo_stack.count() == 2
    assert doc.program == "a = 2\nb = 7\ne = (a + b) * (b + 1)\n"
    doc.undo_stack.undo()
    assert doc.input_value("b") == 5 and doc.evaluation.value == 42
    assert doc.program == "a = 2\nb = 5\ne = (a + b) * (b + 1)\n"


def test_a_quick_run_of_changes_is_one_undo_step(doc, monkeypatch):
    clock = iter([100.0, 100.1, 100.2, 100.3])
    monkeypatch.setattr("gradviz.app.commands.time.monotonic", lambda: next(clock))
    for v in (4, 5, 6, 7):
        doc.undo_stack.push(SetValueCommand(doc, "b", v))
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText() == "Set b = 7"
    doc.undo_stack.undo()
    assert doc.input_value("b") == 3 and doc.evaluation.value == 20
    assert doc.program == NOTEBOOK


# --- what a value command tells the document, and what the document then does -----------
def _signals(doc):
    heard = []
    doc.structureChanged.connect(lambda origin: heard.append("structure"))
    doc.valuesChanged.connect(lambda: heard.append("values"))
    doc.nodeMoved.connect(lambda n: heard.append(f"moved {n}"))
    return heard


def _compared(before, after):
    return _difference(before.graph, after.graph)


def _named_constant():
    graph = Graph()
    graph.add_input("a", 2.0, id="a")
    graph.add_constant(3.0, id="k", label="k")
    graph.add_op("mul", "e", id="e")
    graph.connect("a", "e", 0)
    graph.connect("k", "e", 1)
    return graph


@pytest.mark.parametrize("graph, label, value", [
    (parse(NOTEBOOK), "b", 5.0),  # an input
    (parse(NOTEBOOK), "b", 3.0),  # an input, given the value it has
    (parse("a = 2\ne = a * 3\n"), "3", 4.0),  # a constant: its label is its number
    (_named_constant(), "k", 4.0),  # a constant with a name
])
def test_a_value_commands_change_is_what_comparing_the_graphs_finds(qtbot, graph, label,
                                                                   value):
    doc = Document(graph, program_for(graph), "test")
    command = SetValueCommand(doc, graph.by_label(label), value)
    doc.undo_stack.push(command)
    assert command.known_change() == _compared(command._before, command._after)


def test_a_value_change_is_a_new_run_of_the_same_structure(doc, monkeypatch):
    clock = iter([100.0, 100.1, 105.0])
    monkeypatch.setattr("gradviz.app.commands.time.monotonic", lambda: next(clock))
    heard = _signals(doc)
    doc.set_step(3)
    for v in (4, 5):  # merged into one undo step
        doc.undo_stack.push(SetValueCommand(doc, "b", v))
    doc.undo_stack.push(SetValueCommand(doc, "a", -1.5))
    assert heard == ["values"] * 3 and doc.step == 3
    fresh = evaluate(doc.graph)
    run = doc.evaluation
    assert (run.values, run.grads, run.timeline.steps) == \
        (fresh.values, fresh.grads, fresh.timeline.steps)
    assert doc.program == "a = -1.5\nb = 5\ne = (a + b) * (b + 1)\n"


def test_undo_and_redo_of_value_changes_restore_each_state_exactly(doc, monkeypatch):
    clock = iter([100.0, 100.1, 105.0])
    monkeypatch.setattr("gradviz.app.commands.time.monotonic", lambda: next(clock))
    states = [doc.state]
    for node, v in (("b", 4), ("b", 5), ("a", 7)):
        doc.undo_stack.push(SetValueCommand(doc, node, v))
        states.append(doc.state)
    del states[1]  # b = 4 and b = 5 are one step
    heard = _signals(doc)
    for expected in (states[1], states[0]):
        doc.undo_stack.undo()
        assert doc.state == expected and doc.graph is expected.graph
        assert doc.evaluation.value == evaluate(doc.graph).value
    for expected in states[1:]:
        doc.undo_stack.redo()
        assert doc.state == expected
        assert doc.evaluation.value == evaluate(doc.graph).value
    assert heard == ["values"] * 4
    assert doc.undo_stack.isClean() is False
    assert states[0].graph.node("b").value == 3  # nothing changed a graph in place


def test_a_constants_number_is_its_name_so_a_new_one_is_a_new_structure(qtbot):
    doc = Document(parse("a = 2\ne = a * 3\n"), "a = 2\ne = a * 3\n", "test")
    heard = _signals(doc)
    const = doc.graph.by_label("3")
    doc.undo_stack.push(SetValueCommand(doc, const, 4))
    assert heard == ["structure"] and doc.evaluation.value == 8
    assert doc.program == "a = 2\ne = a * 4\n"
    doc.undo_stack.undo()
    assert heard == ["structure"] * 2 and doc.evaluation.value == 6


def test_a_move_tells_which_node_moved_and_undo_moves_it_back(doc):
    heard = _signals(doc)
    move = MoveNodeCommand(doc, "a", (10, 20))
    doc.undo_stack.push(move)
    assert move.known_change() == _compared(move._before, move._after)
    doc.undo_stack.undo()
    assert heard == ["moved a", "moved a"] and doc.graph.node("a").pos is None
    again = MoveNodeCommand(doc, "a", (10, 20))
    doc.undo_stack.push(again)
    doc.undo_stack.push(MoveNodeCommand(doc, "a", (10, 20)))  # where it is: no move
    assert heard == ["moved a"] * 3


def test_a_command_undone_out_of_turn_lets_the_document_compare(doc):
    """The known change holds between the command's own states; from any other graph
    (a document restarted under the stack's feet, say) the document compares."""
    command = SetValueCommand(doc, "b", 5)
    doc.undo_stack.push(command)
    doc.apply(command._before._replace(graph=parse("x = 1\ny = x * 2\n")))
    heard = _signals(doc)
    command.undo()
    assert heard == ["structure"] and doc.input_value("b") == 3


@pytest.mark.parametrize("program", [
    "a = 2\nb = 3.0  # the bias\ne = (a + b) * (b + 1)\n",
    "a = 2\nb = Value(3.0)\ne = (a + b) * (b + 1)\n",
])
def test_a_new_value_writes_its_number_and_keeps_the_rest_of_the_line(qtbot, program):
    doc = Document(parse(program), program, "test", description="The notebook's example")
    doc.undo_stack.push(SetValueCommand(doc, "b", 3))  # the value it has: nothing to write
    assert doc.program == program and doc.description
    doc.undo_stack.push(SetValueCommand(doc, "b", -2.5))
    assert doc.program == program.replace("3.0", "-2.5") and not doc.description
    assert parse(doc.program) == doc.graph
    doc.undo_stack.undo()
    assert doc.program == program
