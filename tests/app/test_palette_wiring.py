"""Building a graph on the canvas: palette drops, wires dragged with the mouse, refusals
shown where they happen, selection and Delete, the node editor."""
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QToolTip

from gradviz.app.node_editor import NodeEditor
from gradviz.app.palette import NODE_MIME, node_mime
from gradviz.core.evaluation import evaluate
from gradviz.core.ops import OPS

LEFT = Qt.MouseButton.LeftButton


def _screen(window, scene_point: QPointF) -> QPoint:
    return window.view.mapFromScene(scene_point)


def _drop(window, kind: str, at: QPoint) -> None:
    """What the canvas receives when a palette entry is dropped at ``at`` (viewport)."""
    _send_drop(window, node_mime(kind), at)


def _send_drop(window, mime: QMimeData, at: QPoint) -> bool:
    # Qt delivers a drop only to the widget that accepted the drag entering it.
    vp, copy, none = window.view.viewport(), Qt.DropAction.CopyAction, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(at, copy, mime, LEFT, none)
    QApplication.sendEvent(vp, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(QPointF(at), copy, mime, LEFT, none)
    QApplication.sendEvent(vp, drop)
    return drop.isAccepted()


def _drag_wire(qtbot, window, start: QPointF, end: QPointF) -> None:
    vp = window.view.viewport()
    a, b = _screen(window, start), _screen(window, end)
    qtbot.mousePress(vp, LEFT, pos=a)
    qtbot.mouseMove(vp, (a + b) / 2)
    qtbot.mouseMove(vp, b)
    qtbot.mouseRelease(vp, LEFT, pos=b)


def _item(window, label: str):
    return window.scene.node_item(window.document.graph.by_label(label))


def test_the_palette_lists_inputs_constants_and_every_op_of_the_table(window):
    assert window.palette.kinds() == ["input", "const", *OPS]
    texts = [window.palette.item(i).text() for i in range(window.palette.count())]
    for op, text in zip(OPS.values(), texts[2:], strict=True):
        assert op.symbol in text and op.title in text
    assert window.palette.mimeData([window.palette.item(4)]).hasFormat(NODE_MIME)


def test_a_drop_adds_the_node_where_it_was_dropped(window, qtbot):
    at = QPoint(window.view.viewport().width() // 2, 40)
    _drop(window, "tanh", at)
    g = window.document.graph
    node = next(n for n in g.nodes() if n.op == "tanh")
    assert node.label == "f"  # a, b, c, d, e are taken
    # There, and the view did not jump to fit (a pixel of rounding aside).
    assert (_screen(window, window.scene.node_item(node.id).pos()) - at).manhattanLength() <= 2
    assert window.document.undo_stack.undoText() == "Add hyperbolic tangent"
    # Something that is not a palette entry is ignored.
    junk = QMimeData()
    junk.setText("rm -rf /")
    _send_drop(window, junk, at)
    assert window.document.graph == g


def test_an_operation_added_beside_the_neurons_inputs_is_named_like_no_input(window, qtbot):
    window.file_actions.open_example("neuron")
    at = QPoint(window.view.viewport().width() // 2, 40)
    _drop(window, "mul", at)
    added = [n for n in window.document.graph.nodes()
             if n.op == "mul" and n.label not in ("n_a", "n_b")]
    assert [n.label for n in added] == ["t_a"]  # not a, which would read as an input
    assert "t_a" in window.scene.node_item(added[0].id).texts()
    _drop(window, "tanh", at)
    assert window.document.graph.by_label("t_b") is not None
    # An input is named as inputs are: the first free letter.
    pal = window.palette
    entry = pal.visualItemRect(pal.item(0)).center()
    qtbot.mouseClick(pal.viewport(), LEFT, pos=entry)
    qtbot.mouseDClick(pal.viewport(), LEFT, pos=entry)
    assert window.document.graph.inputs()[-1].label == "a"


def test_double_click_on_a_palette_entry_adds_at_the_centre(window, qtbot):
    pal = window.palette
    at = pal.visualItemRect(pal.item(0)).center()
    qtbot.mouseClick(pal.viewport(), LEFT, pos=at)  # a real double-click starts pressed
    qtbot.mouseDClick(pal.viewport(), LEFT, pos=at)
    inputs = window.document.graph.inputs()
    assert [n.label for n in inputs] == ["a", "b", "f"]
    assert inputs[-1].value == 1.0
    assert window.document.graph.node(window.wiring.selected[0]).label == "f"
    centre = window.view.mapToScene(window.view.viewport().rect().center())
    pos = window.scene.node_item(inputs[-1].id).pos()  # below the centre if it is taken
    assert abs(pos.x() - centre.x()) < 3 and pos.y() >= centre.y() - 1
    # Enter on an entry does the same; a second node does not land on the first.
    pal.setCurrentRow(2)
    qtbot.keyClick(pal, Qt.Key.Key_Return)
    added = window.document.graph.node(window.wiring.selected[0])
    assert (added.op, added.label) == ("add", "g")
    assert window.scene.node_item(added.id).pos() != window.scene.node_item(inputs[-1].id).pos()


def test_wiring_by_dragging_from_an_output_to_an_input_port(window, qtbot):
    w = window
    w.wiring.add_node("neg", QPointF(600, 0))
    f = _item(w, "f")
    assert w.document.problem_nodes()  # an empty port: marked, and the player says why
    assert not w.player_bar.backward_action.isEnabled()
    assert "nothing connected" in w.player_bar.position_label.text()
    _drag_wire(qtbot, w, _item(w, "e").output_anchor(), f.input_anchor(0))
    g = w.document.graph
    assert g.source_of(f.node_id, 0) == g.by_label("e")
    assert w.document.problem == "" and w.player_bar.backward_action.isEnabled()
    assert not w.player_bar.position_label.text().startswith("Player off")
    assert g.output == f.node_id  # the wire carried the result on
    assert w.document.program.endswith("f = -e\n")
    assert evaluate(g).values[f.node_id] == -20


def test_a_refused_cycle_says_why_at_the_mouse_and_changes_nothing(window, qtbot):
    w = window
    w.wiring.add_node("neg", QPointF(600, 0))
    _drag_wire(qtbot, w, _item(w, "e").output_anchor(), _item(w, "f").input_anchor(0))
    before, steps = w.document.graph.copy(), w.document.undo_stack.count()
    w.wiring.add_node("mul", QPointF(600, 300))  # g, with two free ports
    steps += 1
    before = w.document.graph.copy()
    # f depends on e; wiring f's result back into c = a + b is a cycle, but c's ports are
    # taken: that is said first.
    _drag_wire(qtbot, w, _item(w, "f").output_anchor(), _item(w, "c").input_anchor(1))
    assert "taken already" in w.wiring.last_refusal
    _drag_wire(qtbot, w, _item(w, "f").output_anchor(), _item(w, "g").input_anchor(0))
    _drag_wire(qtbot, w, _item(w, "g").output_anchor(), _item(w, "f").input_anchor(0))
    assert "taken already" in w.wiring.last_refusal
    g_item = _item(w, "g")
    _drag_wire(qtbot, w, _item(w, "g").output_anchor(), g_item.input_anchor(1))
    assert "own result" in w.wiring.last_refusal
    w.wiring.add_node("exp", QPointF(900, 300))  # h
    _drag_wire(qtbot, w, _item(w, "g").output_anchor(), _item(w, "h").input_anchor(0))
    middle = w.document.graph.copy()
    _drag_wire(qtbot, w, _item(w, "h").output_anchor(), _item(w, "g").input_anchor(1))
    assert w.wiring.last_refusal == ("Cannot connect: connecting h to g would make a cycle: "
                                     "h already depends on g")
    assert w.statusBar().currentMessage() == w.wiring.last_refusal
    assert w.document.graph == middle
    _drag_wire(qtbot, w, _item(w, "h").output_anchor(), _item(w, "a").pos())
    assert "a is an input: it takes no inputs" in w.wiring.last_refusal
    assert w.document.graph == middle
    assert before != middle


def test_dragging_a_connected_input_moves_or_removes_its_wire(window, qtbot):
    w = window
    w.wiring.add_node("neg", QPointF(600, 0))
    f = _item(w, "f")
    _drag_wire(qtbot, w, _item(w, "e").output_anchor(), f.input_anchor(0))
    connected = w.document.graph.copy()
    _drag_wire(qtbot, w, _item(w, "f").input_anchor(0), QPointF(800, 500))  # empty canvas
    assert w.document.graph.source_of(f.node_id, 0) is None
    w.menus.undo.trigger()
    assert w.document.graph == connected


def test_click_selects_and_delete_removes_the_node_with_its_edges(window, qtbot):
    w = window
    start = w.document.graph.copy()
    d = _item(w, "d")  # d = b + 1
    qtbot.mouseClick(w.view.viewport(), LEFT, pos=_screen(w, d.pos()))
    assert w.wiring.selected == [d.node_id]
    assert _item(w, "d").selected_look and not _item(w, "e").selected_look
    assert not _item(w, "d").childItems()  # the node draws its own look: no marker item
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_Delete)
    g = w.document.graph
    assert g.by_label("d") is None
    assert g.by_label("1") is None  # its constant went with it
    assert len(g.operands(g.by_label("e"))) == 2 and g.operands(g.by_label("e"))[1] is None
    assert "nothing connected to input 2" in w.document.problem
    w.menus.undo.trigger()
    assert w.document.graph == start
    # Delete in the program editor edits text, it does not delete nodes.
    w.wiring.select([g.by_label("c")])
    w.program_panel.editor.setFocus()
    qtbot.keyClick(w.program_panel.editor, Qt.Key.Key_Delete)
    assert w.document.graph.by_label("c") is not None


def test_double_click_renames_and_edits_values(window, qtbot):
    w = window
    c = _item(w, "c")
    qtbot.mouseDClick(w.view.viewport(), LEFT, pos=_screen(w, c.pos()))
    dialog = w.findChild(NodeEditor)
    assert dialog is not None and dialog.isVisible()
    dialog.name_edit.setText("b")
    dialog.accept()
    assert dialog.isVisible() and "another node is called b" in dialog.error_text
    dialog.name_edit.setText("lambda")
    dialog.accept()
    assert "cannot be a name" in dialog.error_text
    dialog.name_edit.setText("total")
    dialog.accept()
    assert not dialog.isVisible()
    assert w.document.graph.node(c.node_id).label == "total"
    # b + 1 stays d: the text names it, since a parser would now call it c.
    assert w.program_panel.editor.toPlainText() == \
        "a = 2\nb = 3\ntotal = a + b\nd = b + 1\ne = total * d\n"
    editor = w.wiring.edit_node(w.document.graph.by_label("b"))
    editor.value_edit.setText("nan")
    editor.accept()
    assert "not a finite number" in editor.error_text
    editor.value_edit.setText("-1.5")
    editor.accept()
    assert w.document.input_value("b") == -1.5
    assert w.document.evaluation.values[w.document.graph.by_label("e")] == 0.5 * -0.5
    w.menus.undo.trigger()
    w.menus.undo.trigger()
    assert w.program_panel.editor.toPlainText() == "a = 2\nb = 3\ne = (a + b) * (b + 1)\n"


def test_input_ports_show_on_hover_and_while_a_wire_is_dragged(window, qtbot):
    w = window
    w.wiring.add_node("mul", QPointF(600, 300))
    g_item, c_item = _item(w, "f"), _item(w, "c")
    assert not g_item.ports_shown and not c_item.ports_shown
    QToolTip.hideText()  # an earlier test's refusal may still be up, over the canvas
    vp = w.view.viewport()
    qtbot.mouseClick(vp, LEFT, pos=QPoint(2, 2))  # on empty canvas, then onto the node
    qtbot.mouseMove(vp, QPoint(3, 3))
    qtbot.mouseMove(vp, _screen(w, g_item.sceneBoundingRect().center()) + QPoint(1, 0))
    qtbot.mouseMove(vp, _screen(w, g_item.sceneBoundingRect().center()))
    qtbot.waitUntil(lambda: g_item.ports_shown, timeout=2000)  # hovered: where to wire
    assert not c_item.ports_shown
    start = _screen(w, _item(w, "e").output_anchor())
    qtbot.mousePress(vp, LEFT, pos=start)
    qtbot.mouseMove(vp, start + QPoint(40, 40))
    # While the wire follows the mouse, every operation shows where it could go;
    # c's ports are both taken (drawn filled), f's are free.
    assert all(i.ports_shown for i in w.scene.node_items() if i.node.kind == "op")
    assert w.scene.taken_ports(c_item.node_id) == {0, 1}
    assert w.scene.taken_ports(g_item.node_id) == set()
    qtbot.mouseRelease(vp, LEFT, pos=start + QPoint(40, 40))
    assert not c_item.ports_shown
