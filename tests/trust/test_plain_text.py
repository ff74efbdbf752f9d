"""Names, descriptions, group names and messages from a document are shown as typed,
never read as HTML (issue 14, item 1): a label ``<img src='/dev/zero'>`` must not make
Qt load an image, a ``[*]`` in a file name is not the modified mark, an ``&`` is not a
mnemonic. The walk opens a hostile document and visits every place the app shows such a
string."""
from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsSceneHelpEvent,
    QLabel,
    QMessageBox,
    QWidget,
)

from gradviz.app import autosave, file_actions
from gradviz.app.launch import make_window
from gradviz.core import fileformat, language
from gradviz.core.document import GraphDocument
from gradviz.core.graph import Graph
from gradviz.render import scene as scene_module
from gradviz.render.plain_text import shown_text

IMG = "<img src='/dev/zero'>"
BOLD = "<b>x</b>"
LINK = "<a href=x>y</a>"
ENTITY = "&lt; a&b"
RLO = "\u202e<i>rlo</i>"
LONG = "<b>" + "L" * 400 + "</b>"
DESCRIPTION = f"<img src='/dev/zero' width=100000> {LINK} {LONG}"
GROUP, INNER = "<b>grp</b> &lt;", RLO
STEM = "<img src=doc> [*] a&b"  # a file name holds no "/"
HOSTILE = (IMG, BOLD, LINK, ENTITY, RLO, LONG, GROUP, INNER, STEM)
MARKS = ("<", "&", "\u202e", "[*]")


def _graph() -> Graph:
    g = Graph()
    outer = g.add_group(GROUP)
    inner = g.add_group(INNER, parent=outer)
    a = g.add_input(IMG, 2.0, id="a")
    b = g.add_input(BOLD, 3.0, id="b")
    c = g.add_op("add", ENTITY, id="c", group=inner)
    g.connect(a, c, 0)
    g.connect(b, c, 1)
    d = g.add_op("mul", LINK, id="d", group=outer)
    g.connect(c, d, 0)
    g.connect(b, d, 1)
    e = g.add_op("tanh", LONG, id="e")
    g.connect(d, e, 0)
    g.output = e
    return g


def _open(qtbot, tmp_path):
    path = tmp_path / f"{STEM}.gradviz"
    fileformat.write(path, GraphDocument(_graph(), DESCRIPTION, {}, None))
    w = make_window(language.parse("a = 1"), "a = 1", "start")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert w.file_actions.open_file(path)
    return w


def _everything(w) -> list[QWidget]:
    """``w``, its children and every top-level widget (a dialog, a tooltip), once each."""
    found = [w, *w.findChildren(QWidget), *QApplication.topLevelWidgets()]
    return list({id(x): x for x in found}.values())


def _rich_labels_with_user_text(w) -> list[str]:
    """Texts of labels that Qt may read as HTML and that hold a hostile string."""
    found = []
    for label in (x for x in _everything(w) if isinstance(x, QLabel)):
        text = label.text()
        if any(m in text for m in MARKS) and label.textFormat() != Qt.TextFormat.PlainText:
            found.append(text)
    return found


def _plain_labels_with_user_text(w) -> int:
    return sum(1 for x in _everything(w) if isinstance(x, QLabel)
               and any(h in x.text() for h in HOSTILE))


def test_every_label_tooltip_and_title_of_a_hostile_document_shows_it_as_typed(
        qtbot, tmp_path, monkeypatch):
    w = _open(qtbot, tmp_path)
    d = w.document
    # The window title: the file's name as typed, [*] and all.
    assert STEM in w.windowHandle().title()
    # The inputs panel, a refusal under it, and the arrow-keys hint naming a field.
    panel = w.inputs_panel
    panel.show_refusal(panel.labels[0], "not a number")
    panel.row(panel.labels[0]).spin.setFocus()
    qtbot.waitUntil(lambda: IMG in w.key_focus.hint)
    # The step explanation, the node under the mouse, the caption: at the last step.
    w.player.go_to(d.last_step, animate=False)
    d.set_selection(["c"])  # the explanation panel says the chosen node's gradient
    # The program panel's error line (a program that quotes a hostile name).
    w.program_panel.show_error(f"cannot use {IMG}", 1, 1)
    assert _plain_labels_with_user_text(w) >= 3  # the walk does reach user text
    assert _rich_labels_with_user_text(w) == []

    # Tooltips: the values table, the steps list, the canvas.
    model = w.values_table.model()
    tips = [shown_text(model.index(r, 3).data(Qt.ItemDataRole.ToolTipRole))
            for r in range(model.rowCount())]
    assert any(ENTITY in t and IMG in t and BOLD in t for t in tips)
    steps = w.steps_list.steps
    for row in range(steps.rowCount()):
        tip = steps.index(row).data(Qt.ItemDataRole.ToolTipRole)
        assert shown_text(tip) == w.steps_list.text(row)
    shown = []
    monkeypatch.setattr(scene_module.QToolTip, "showText",
                        lambda pos, text, *rest: shown.append(text))
    for node_id in ("a", "c", "d", "e"):
        item = w.scene.node_item(node_id)
        event = QGraphicsSceneHelpEvent(QGraphicsSceneHelpEvent.Type.GraphicsSceneHelp)
        event.setScenePos(item.sceneBoundingRect().center())
        w.scene.helpEvent(event)
        assert shown_text(shown[-1]) == w.scene.tooltip_for(node_id)
    assert any(IMG in t for t in map(shown_text, shown))
    # Collapsed, the group's box says its name in a tooltip.
    [outer] = [g.id for g in d.graph.groups() if g.name == GROUP]
    d.set_collapsed([outer])
    assert GROUP in shown_text(w.scene.group_item(outer).toolTip())
    assert w.scene.tooltip_for(outer).startswith(GROUP)
    d.set_collapsed([])
    # Every widget's own tooltip keeps what it quotes.
    for widget in _everything(w):
        tip = widget.toolTip()
        if any(h in tip for h in HOSTILE) and shown_text(tip) != tip:
            raise AssertionError(f"{widget!r}'s tooltip is read as HTML: {tip!r}")
    d.undo_stack.setClean()


def test_group_menu_and_recent_files_show_ampersands_and_marks_as_typed(qtbot, tmp_path):
    w = _open(qtbot, tmp_path)
    item = w.scene.node_item("c")
    at = w.view.mapFromScene(item.sceneBoundingRect().center())
    menu = w.group_menu.menu_at(at)
    texts = [a.iconText() for a in menu.actions()]  # what a menu shows: mnemonics gone
    assert f"Collapse “{INNER}”" in texts and f"Collapse “{GROUP}”" in texts
    w.file_actions._fill_recent()
    assert f"{STEM}.gradviz" in [a.iconText() for a in w.file_actions.recent_menu.actions()]


def test_a_node_editor_dialog_titles_a_hostile_name_as_typed(qtbot, tmp_path):
    from gradviz.app.node_editor import NodeEditor

    w = _open(qtbot, tmp_path)
    editor = NodeEditor(w.document, "a", w)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    assert IMG in editor.windowHandle().title()
    editor._show(f"{IMG} is taken")
    assert _rich_labels_with_user_text(editor) == []
    editor.reject()


def test_a_refused_connection_quotes_names_as_typed(qtbot, tmp_path, monkeypatch):
    from gradviz.app import wiring

    w = _open(qtbot, tmp_path)
    shown = []
    monkeypatch.setattr(wiring.QToolTip, "showText", lambda pos, text, *rest: shown.append(text))
    assert not w.wiring.connect_nodes("e", "c", 0)  # refused, naming the node
    assert shown and ENTITY in shown_text(shown[-1])


def _boxes(w) -> list[QMessageBox]:
    return [b for b in w.findChildren(QMessageBox) if b.isVisible()]


def test_a_rejected_file_quoting_a_hostile_field_is_said_in_plain_text(qtbot, tmp_path):
    bad = tmp_path / "bad.gradviz"
    doc = json.loads(fileformat.dumps(GraphDocument(_graph(), "", {}, None)))
    doc["nodes"][0][IMG] = 1  # a field gradviz does not know, named in the message
    bad.write_text(json.dumps(doc))
    w = make_window(language.parse("a = 1"), "a = 1", "start")
    qtbot.addWidget(w)
    assert not w.file_actions.open_file(bad)
    [box] = _boxes(w)
    assert box.textFormat() == Qt.TextFormat.PlainText and IMG in box.text()
    box.close()


def test_message_boxes_quoting_names_are_plain_text(qtbot, tmp_path):
    w = make_window(language.parse("a = 1"), "a = 1", "start")
    qtbot.addWidget(w)
    g = Graph()
    g.add_op("add", IMG, id="s")  # nothing connected: the check cannot run, and says why
    w.file_actions.load(g, None, None, BOLD, "")
    w.check_gradients()
    boxes = _boxes(w)
    assert boxes and all(b.textFormat() == Qt.TextFormat.PlainText for b in boxes)
    assert any(IMG in b.text() for b in boxes)
    for b in boxes:
        b.close()
    question = file_actions.unsaved_question(w, BOLD)
    assert question.textFormat() == Qt.TextFormat.PlainText and BOLD in question.text()
    offer = autosave.restore_question(w, "2026-01-01 10:00", IMG)
    assert offer.textFormat() == Qt.TextFormat.PlainText and IMG in offer.text()


def test_the_caption_and_drawn_texts_quote_names_as_typed(qtbot, tmp_path):
    w = _open(qtbot, tmp_path)
    w.player.go_to(w.document.last_step, animate=False)
    texts = " ".join(w.scene.texts())
    assert IMG in texts and ENTITY in texts
    assert not any(type(i).__name__ == "QGraphicsTextItem" for i in w.scene.items())
