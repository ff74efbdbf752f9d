"""Documents in the app: save and open, broken files, the unsaved-changes question,
examples and autosave."""
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QMessageBox

from gradviz.app import autosave
from gradviz.app.launch import NOTEBOOK_PROGRAM, make_window
from gradviz.core import explain, fileformat, language
from gradviz.core.evaluation import evaluate
from gradviz.core.examples import list_examples, load_example

Button = QMessageBox.StandardButton


class Answers:
    """Stands in for the file dialogs and message boxes, and records what was asked."""

    def __init__(self, files, unsaved=Button.Cancel, save_path=None, open_path=None):
        self.asked: list[str] = []
        self.errors: list[tuple[str, str]] = []
        self.unsaved, self.save_path, self.open_path = unsaved, save_path, open_path
        files.ask_unsaved = lambda name: self.asked.append(name) or self.unsaved
        files.choose_save_path = lambda suggestion: self.save_path and str(self.save_path)
        files.choose_open_path = lambda: self.open_path and str(self.open_path)
        files.show_error = lambda title, message: self.errors.append((title, message))


def _edit(window):
    """A canvas edit: f = -e, placed by hand."""
    w = window
    f = w.wiring.add_node("neg", QPointF(700, 50))
    w.wiring.connect_nodes(w.document.graph.by_label("e"), f, 0)
    return f


def test_save_then_open_gives_the_same_graph_numbers_and_places(window, qtbot, tmp_path):
    w = window
    _edit(w)
    w.inputs_panel.row("a").spin.setValue(4.0)  # typed into the inputs panel
    ans = Answers(w.file_actions, save_path=tmp_path / "lecture")
    assert w.file_actions.save_document()
    path = tmp_path / "lecture.gradviz"
    assert w.document.path == path and not w.document.modified
    assert "lecture" in w.windowTitle() and not w.isWindowModified()
    before = evaluate(w.document.graph)
    drawn = w.scene.positions()
    saved = fileformat.read(path)
    assert saved.view["theme"] == w.settings.theme
    assert all(n.pos is not None for n in saved.graph.nodes())
    w.file_actions.new_document()
    assert len(w.document.graph) == 0 and w.document.path is None
    assert w.file_actions.open_file(path)
    after = evaluate(w.document.graph)
    assert after.values == before.values and after.grads == before.grads
    assert w.document.input_value("a") == 4.0
    for node_id, (x, y) in w.scene.positions().items():
        assert abs(x - drawn[node_id][0]) < 0.01 and abs(y - drawn[node_id][1]) < 0.01
    assert not ans.errors and not w.document.modified
    assert str(path) in w.settings.recent()


BROKEN = {
    "not JSON": ("{nodes: [", "not valid JSON", "line 1, column 2"),
    "wrong format": ('{"format": "graphviz", "version": 1}', "not a gradviz document",
                     "format"),
    "unknown version": ('{"format": "gradviz", "version": 9, "nodes": [], "edges": []}',
                        "version 9", "version"),
    "unknown op": ('{"format": "gradviz", "version": 1, "nodes": [{"id": "x", "kind": "op",'
                   ' "op": "times", "label": "x"}], "edges": []}', "unknown operation",
                   "nodes[0].op"),
    "a cycle": ('{"format": "gradviz", "version": 1, "nodes": ['
                '{"id": "p", "kind": "op", "op": "neg", "label": "p"},'
                '{"id": "q", "kind": "op", "op": "neg", "label": "q"}], "edges": ['
                '{"source": "p", "target": "q", "port": 0},'
                '{"source": "q", "target": "p", "port": 0}]}', "cycle", "edges[1]"),
    "not a number": ('{"format": "gradviz", "version": 1, "nodes": [{"id": "a", '
                     '"kind": "input", "label": "a", "value": "2"}], "edges": []}',
                     "a value is a number", "nodes[0].value"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_file_says_what_and_where_and_changes_nothing(window, tmp_path, case):
    text, what, where = BROKEN[case]
    path = tmp_path / "broken.gradviz"
    path.write_text(text, encoding="utf-8")
    stamp = path.stat().st_mtime_ns
    w = window
    graph, program = w.document.graph, w.document.program
    ans = Answers(w.file_actions)
    assert not w.file_actions.open_file(path)
    [(title, message)] = ans.errors
    assert title == "Cannot open broken.gradviz"
    assert what in message and f"{path}, {where}" in message
    assert w.document.graph is graph and w.document.program == program
    assert path.read_text(encoding="utf-8") == text and path.stat().st_mtime_ns == stamp


def test_unsaved_changes_are_asked_about_save_discard_cancel(window, tmp_path):
    w = window
    files = w.file_actions
    f = _edit(w)
    ans = Answers(files, unsaved=Button.Cancel)
    files.new_document()
    assert ans.asked == ["notebook example"] and f in w.document.graph  # cancelled
    assert not w.close() and w.isVisible()
    ans.unsaved = Button.Discard
    files.open_example("square")
    assert w.document.graph == load_example("square").graph and not w.document.modified
    _edit_square = w.wiring.add_node("exp", QPointF(500, 0))
    assert _edit_square and w.document.modified
    ans.unsaved, ans.save_path = Button.Save, tmp_path / "kept.gradviz"
    files.new_document()
    assert len(w.document.graph) == 0
    kept = fileformat.read(tmp_path / "kept.gradviz").graph
    assert any(n.op == "exp" for n in kept.nodes())
    # Save chosen but the save dialog cancelled: nothing is lost, nothing changes.
    w.wiring.add_node("input")
    ans.save_path = None
    files.new_document()
    assert len(w.document.graph) == 1 and w.document.modified
    ans.unsaved = Button.Discard
    assert w.close()


def test_file_menu_examples_open_each_with_its_description(window):
    w = window
    Answers(w.file_actions, unsaved=Button.Discard)
    examples = list_examples()
    assert len(w.file_actions.example_actions) == len(examples) >= 6
    for ex in examples:
        a = w.file_actions.example_actions[ex.name]
        assert a.text() == ex.title
        a.trigger()
        assert w.document.graph == load_example(ex.name).graph
        assert w.document.description == ex.description
        answer = explain.states_result(ex.description, w.document.evaluation)
        # A description that gives the answer waits for the last step (no answers early).
        assert w.statusBar().currentMessage() == ("" if answer else ex.description)
        assert w.program_panel.editor.toPlainText() == load_example(ex.name).program
        assert w.document.evaluation is not None and not w.document.modified
        assert w.windowTitle().replace("[*]", "") == f"{ex.title} — gradviz"


def test_autosave_keeps_a_copy_and_offers_it_after_a_crash(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("GRADVIZ_AUTOSAVE_DIR", str(tmp_path))
    w = make_window(language.parse(NOTEBOOK_PROGRAM), NOTEBOOK_PROGRAM, "notebook example")
    qtbot.addWidget(w)
    qtbot.wait(10)  # its start-up look for copies left behind: none
    assert w.autosave.write_now() is None  # nothing unsaved, nothing written
    _edit(w)
    copy = w.autosave.write_now()
    assert copy is not None and copy.parent == tmp_path
    edited = w.document.graph.copy()
    # Saving removes the copy; another edit brings it back.
    Answers(w.file_actions, save_path=tmp_path / "doc.gradviz")
    assert w.file_actions.save_document() and not copy.exists()
    w.wiring.add_node("input")
    assert w.autosave.write_now() == copy
    edited = w.document.graph.copy()
    # A crash: the copy stays behind under a process that is gone.
    crashed = tmp_path / "autosave-999999999.gradviz"
    copy.rename(crashed)
    offered = []
    monkeypatch.setattr(autosave, "ask_restore",
                        lambda parent, when, name: offered.append(name) or True)
    w2 = make_window(language.parse(NOTEBOOK_PROGRAM), NOTEBOOK_PROGRAM, "notebook example")
    qtbot.addWidget(w2)
    qtbot.waitUntil(lambda: bool(offered), timeout=2000)
    assert offered == ["doc.gradviz"]  # as its title bar called it
    assert w2.document.graph.signature() == edited.signature()
    assert w2.document.modified and w2.document.path == Path(tmp_path / "doc.gradviz")
    assert not crashed.exists()
    w2.document.undo_stack.undo()  # back to what the window opened with
    assert w2.document.graph == language.parse(NOTEBOOK_PROGRAM)
    # A normal close removes the window's own copy.
    w2.document.undo_stack.redo()
    assert w2.autosave.write_now().exists()
    Answers(w2.file_actions, unsaved=Button.Discard)
    assert w2.close()
    assert not list(tmp_path.glob("autosave-*"))
    Answers(w.file_actions, unsaved=Button.Discard)


def test_saving_over_a_read_only_file_asks_first_and_no_keeps_it(window, tmp_path):
    import os
    import stat

    w = window
    path = tmp_path / "lecture.gradviz"
    path.write_text("old", encoding="utf-8")
    os.chmod(path, stat.S_IRUSR)
    asked = []
    w.file_actions.ask_replace_read_only = lambda p: asked.append(p.name) or False
    w.file_actions.show_error = lambda title, message: None
    assert not w.file_actions.write_to(path)
    assert asked == ["lecture.gradviz"] and path.read_text(encoding="utf-8") == "old"
    w.file_actions.ask_replace_read_only = lambda p: True
    assert w.file_actions.write_to(path)
    assert '"format": "gradviz"' in path.read_text(encoding="utf-8")


def test_a_check_that_cannot_be_made_is_not_called_agreement(qapp):
    from gradviz.app.check_dialog import CheckDialog
    from gradviz.core.language import parse

    dialog = CheckDialog(parse("a = 1e-320\nb = a * 2"), "b")
    try:
        texts = [dialog.table.item(r, 4).text() for r in range(dialog.table.rowCount())]
        assert texts and all("cannot check here" in t for t in texts), texts
        summary = dialog.summary.text()
        if any(c.torch is not None for c in dialog.checks):  # PyTorch checked it alone
            assert "only with PyTorch: finite differences cannot be taken" in summary
        else:
            assert summary.startswith("No gradient can be checked"), summary
    finally:
        dialog.close()
