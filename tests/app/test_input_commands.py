"""Undo of input values: a quick run of changes is one step, separate entries are two.
The value lives in the graph, and the program's line for the input says it too."""
import pytest

from gradviz.app.commands import SetValueCommand
from gradviz.app.document import Document
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
