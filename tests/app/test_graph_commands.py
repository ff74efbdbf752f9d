"""The graph-editing commands on a Document: each edit, its refusals, and undo/redo
chains that restore the model exactly (ids, attributes, edges, node order, output)."""
import random

import pytest

from gradviz.app.commands import SetValueCommand
from gradviz.app.document import Document
from gradviz.app.graph_commands import (
    AddNodeCommand,
    ConnectCommand,
    DisconnectCommand,
    RemoveNodesCommand,
    RenameCommand,
)
from gradviz.core import language
from gradviz.core.errors import GraphError
from gradviz.core.evaluation import evaluate

NOTEBOOK = "a = 2\nb = 3\ne = (a + b) * (b + 1)\n"


@pytest.fixture
def doc(qapp):
    d = Document(language.parse(NOTEBOOK), NOTEBOOK)
    yield d
    d.deleteLater()


def _push(doc, cmd):
    doc.undo_stack.push(cmd)
    return cmd


def _id(doc, label):
    return doc.graph.by_label(label)


def test_building_e_by_hand_gives_the_notebook_numbers(qapp):
    doc = Document()
    a = _push(doc, AddNodeCommand(doc, "input", (0, 0))).node_id
    b = _push(doc, AddNodeCommand(doc, "input", (0, 100))).node_id
    _push(doc, SetValueCommand(doc, a, 2))
    _push(doc, SetValueCommand(doc, b, 3))
    c = _push(doc, AddNodeCommand(doc, "add", (200, 0))).node_id
    one = _push(doc, AddNodeCommand(doc, "const", (0, 200))).node_id
    d = _push(doc, AddNodeCommand(doc, "add", (200, 100))).node_id
    e = _push(doc, AddNodeCommand(doc, "mul", (400, 50))).node_id
    for src, dst, port in ((a, c, 0), (b, c, 1), (b, d, 0), (one, d, 1), (c, e, 0), (d, e, 1)):
        _push(doc, ConnectCommand(doc, src, dst, port))
    g = doc.graph
    assert [g.node(n).label for n in (a, b, c, d, e)] == ["a", "b", "c", "d", "e"]
    run = evaluate(g)
    assert run.values[e] == 20 and run.grads[a] == 4 and run.grads[b] == 9
    # The text follows the canvas, and reads back as the same computation.
    assert doc.program == "a = 2\nb = 3\nc = a + b\nd = b + 1\ne = c * d\n"
    assert language.parse(doc.program).signature() == g.signature()
    # Undo all the way: the empty document again; redo all the way: the same graph.
    end = g.copy()
    while doc.undo_stack.canUndo():
        doc.undo_stack.undo()
    assert len(doc.graph) == 0 and doc.program == "" and not doc.modified
    while doc.undo_stack.canRedo():
        doc.undo_stack.redo()
    assert doc.graph == end


def test_refused_connections_raise_before_anything_is_pushed(doc):
    a, c, e = _id(doc, "a"), _id(doc, "c"), _id(doc, "e")
    f = _push(doc, AddNodeCommand(doc, "neg")).node_id
    g = _push(doc, AddNodeCommand(doc, "exp")).node_id
    _push(doc, ConnectCommand(doc, e, f, 0))
    _push(doc, ConnectCommand(doc, f, g, 0))
    before, count = doc.graph.copy(), doc.undo_stack.count()
    for (src, dst, port), message in (
            ((g, c, 0), "input 1 of c is taken already"),
            ((f, f, 0), "f cannot take its own result"),
            ((e, a, 0), "a is an input: it takes no inputs"),
            ((a, f, 1), r"f \(Negate\) has 1 input, not 2")):
        with pytest.raises(GraphError, match=message):
            ConnectCommand(doc, src, dst, port)
    _push(doc, DisconnectCommand(doc, f, 0))
    with pytest.raises(GraphError, match="connecting g to f would make a cycle: g already "
                                         "depends on f"):
        ConnectCommand(doc, g, f, 0)
    with pytest.raises(GraphError, match="nothing is connected"):
        DisconnectCommand(doc, f, 0)
    assert doc.undo_stack.count() == count + 1
    doc.undo_stack.undo()
    assert doc.graph == before


def test_remove_restores_ids_attributes_edges_order_and_output_exactly(doc):
    start = doc.graph.copy()
    start_text = doc.program
    _push(doc, RemoveNodesCommand(doc, [_id(doc, "b")]))
    g = doc.graph
    assert g.by_label("b") is None and g.edges() and len(g.problems()) == 2
    assert doc.problem  # c and d lost an input: no run, and the reason
    assert doc.evaluation is None
    doc.undo_stack.undo()
    assert doc.graph == start and doc.program == start_text
    assert list(doc.graph.nx.nodes) == list(start.nx.nodes)
    _push(doc, RemoveNodesCommand(doc, [_id(doc, "e")]))
    assert doc.graph.output is None and doc.graph.by_label("c") is not None
    doc.undo_stack.undo()
    assert doc.graph == start and doc.graph.output == _id(doc, "e")


def test_rename_refuses_duplicates_and_bad_names_and_keeps_the_value(doc):
    _push(doc, SetValueCommand(doc, "a", 5.0))
    for bad, message in (("b", "another node is called b"), ("", "cannot be empty"),
                         ("2x", "cannot be a name"), ("tanh", "cannot be a name"),
                         ("for", "cannot be a name")):
        with pytest.raises(GraphError, match=message):
            RenameCommand(doc, _id(doc, "a"), bad)
    with pytest.raises(GraphError, match="named by its value"):
        RenameCommand(doc, _id(doc, "1"), "one")
    _push(doc, RenameCommand(doc, _id(doc, "a"), "alpha"))
    assert doc.input_value("alpha") == 5.0 and doc.program.startswith("alpha = 5\n")
    assert doc.evaluation.values[_id(doc, "e")] == (5 + 3) * 4
    doc.undo_stack.undo()
    assert doc.input_value("a") == 5.0


def test_set_value_of_a_constant_relabels_it_and_of_an_input_rewrites_its_line(doc):
    one = _id(doc, "1")
    _push(doc, SetValueCommand(doc, one, 0.5))
    assert doc.graph.node(one).label == "0.5"
    assert doc.program == "a = 2\nb = 3\ne = (a + b) * (b + 0.5)\n"
    _push(doc, SetValueCommand(doc, _id(doc, "b"), 4))
    assert doc.input_value("b") == 4
    assert doc.program == "a = 2\nb = 4\ne = (a + b) * (b + 0.5)\n"
    assert doc.evaluation.values[_id(doc, "e")] == 6 * 4.5
    with pytest.raises(GraphError, match="finite"):
        SetValueCommand(doc, one, float("inf"))
    with pytest.raises(GraphError, match="computed"):
        SetValueCommand(doc, _id(doc, "e"), 1)
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.graph == language.parse(NOTEBOOK) and doc.program == NOTEBOOK


def test_random_edit_chains_undo_and_redo_exactly(doc):
    rng = random.Random(5)
    kinds = ["input", "const", "add", "mul", "neg", "tanh", "pow"]
    states = [doc.graph.copy()]
    for _ in range(60):
        g = doc.graph
        nodes = list(g.nx.nodes)
        choice = rng.random()
        try:
            if choice < 0.3 or not nodes:
                cmd = AddNodeCommand(doc, rng.choice(kinds), (rng.uniform(0, 500), 0))
            elif choice < 0.7:
                cmd = ConnectCommand(doc, rng.choice(nodes), rng.choice(nodes), rng.randrange(2))
            elif choice < 0.8 and g.edges():
                _, target, port = rng.choice(g.edges())
                cmd = DisconnectCommand(doc, target, port)
            else:
                cmd = RemoveNodesCommand(doc, rng.sample(nodes, min(len(nodes), 2)))
        except GraphError:
            assert doc.graph == states[-1]  # a refusal changes nothing
            continue
        doc.undo_stack.push(cmd)
        states.append(doc.graph.copy())
    assert len(states) > 25
    for state in reversed(states[:-1]):
        doc.undo_stack.undo()
        assert doc.graph == state
    for state in states[1:]:
        doc.undo_stack.redo()
        assert doc.graph == state
