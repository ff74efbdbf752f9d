"""Groups in the window: a double-click opens a collapsed group, → steps over its inside
in one stop, and a saved document opens with the same groups collapsed. Collapsing is
view state: it is no undo step and does not make the document modified."""
from PySide6.QtCore import Qt

from gradviz.app.launch import make_window
from gradviz.core.trace import graph_from_value
from tests.render.test_groups_drawn import network


def open_grouped(qtbot):
    graph = graph_from_value(network()[0])
    w = make_window(graph, None, "grouped network")
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    w.view.setFocus()
    qtbot.waitUntil(lambda: w.isActiveWindow())
    w.player.animations_enabled = False
    return w


def group_id(window, name):
    return next(g.id for g in window.document.graph.groups() if g.name == name)


def test_a_double_click_opens_a_collapsed_group_and_nothing_is_undone_or_modified(qtbot):
    w = open_grouped(qtbot)
    history = w.document.undo_stack.count()
    w.document.set_collapsed([group_id(w, "h1")])
    (box,) = w.scene.group_items()
    assert box.isVisible()
    w.view.centerOn(box)
    at = w.view.mapFromScene(box.sceneBoundingRect().center())
    qtbot.mouseDClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.waitUntil(lambda: not w.scene.group_items())
    assert w.document.collapsed == ()
    assert w.document.undo_stack.count() == history and not w.document.modified
    assert not w.isWindowModified()


def test_right_arrow_steps_over_the_inside_of_a_collapsed_neuron_in_one_press(qtbot):
    w = open_grouped(qtbot)
    run = w.document.evaluation
    presses_open = len(w.player.stops()) - 1
    w.document.set_collapsed([group_id(w, "h1"), group_id(w, "h2")])
    w.view.setFocus()
    presses = 0
    while w.document.step < len(run.timeline):
        qtbot.keyClick(w.view, Qt.Key.Key_Right)
        presses += 1
        assert presses < 100
    # Each neuron's forward pass (5 steps) and its backward pass inside are one stop each.
    assert presses < presses_open - 2 * 4
    # The explanation says where the step happened: its nodes are inside the box.
    assert "inside h2 (collapsed" in w.explanation.position_label.text()
    assert w.scene.group_items()[0].look.outputs[0].grad_known


def test_at_a_collapsed_neuron_s_stop_the_explanation_says_what_the_box_did(qtbot):
    """Its nodes are not drawn, so the step's own arithmetic (h2 = tanh(h2_d) …) would
    name a hidden node: the panel says what the box computed, and going back what it
    passed on, in the run's numbers."""
    from gradviz.core.notation import format_number

    w = open_grouped(qtbot)
    run, graph = w.document.evaluation, w.document.graph
    w.document.set_collapsed([group_id(w, "h1"), group_id(w, "h2")])
    w.view.setFocus()
    said = []
    while w.document.step < len(run.timeline):
        qtbot.keyClick(w.view, Qt.Key.Key_Right)
        said.append(w.explanation.step_label.text())
        assert len(said) < 100
    h1 = next(n.id for n in graph.nodes() if n.label == "h1")
    assert f"computed h1 = {format_number(run.values[h1])}" in " ".join(said)
    assert any("passed the gradient back through it" in t for t in said)
    assert not any(t.startswith(("h1 = tanh(", "h2 = tanh(")) for t in said)  # hidden


def test_a_saved_document_opens_with_its_groups_collapsed(qtbot, tmp_path):
    w = open_grouped(qtbot)
    w.document.set_collapsed([group_id(w, "loss")])
    path = tmp_path / "grouped.gradviz"
    assert w.file_actions.write_to(path)
    w.document.set_collapsed([])
    assert w.file_actions.open_file(path)
    assert [b.name for b in w.scene.group_items()] == ["loss"]
    assert w.document.collapsed == (group_id(w, "loss"),)


def test_the_view_menu_collapses_and_expands_every_group(qtbot):
    w = open_grouped(qtbot)
    menus = w.menus
    assert menus.collapse_all in w.menus.view.actions()
    assert menus.collapse_all.isEnabled() and not menus.expand_all.isEnabled()
    menus.collapse_all.trigger()
    # The outermost groups: the hidden layer, the output neuron and the loss.
    assert sorted(b.name for b in w.scene.group_items()) == ["layer 1", "loss", "out"]
    assert not menus.collapse_all.isEnabled() and menus.expand_all.isEnabled()
    menus.expand_all.trigger()
    assert not w.scene.group_items() and w.document.collapsed == ()


def test_a_graph_without_groups_offers_no_group_actions(window):
    assert not window.menus.collapse_all.isEnabled()
    assert not window.menus.expand_all.isEnabled()


def test_presenting_a_collapsed_network_the_camera_follows_the_boxes(qtbot):
    w = open_grouped(qtbot)
    w.document.set_collapsed([group_id(w, "layer 1")])
    qtbot.keyClick(w.view, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: w.presentation.active)
    (box,) = w.scene.group_items()
    seen_box = False
    while w.document.step < w.document.last_step:
        qtbot.keyClick(w.view, Qt.Key.Key_Right)
        qtbot.waitUntil(lambda: not w.camera.moving, timeout=3000)
        if box.look.emphasis == "current":
            seen = w.view.mapToScene(w.view.viewport().rect()).boundingRect()
            assert seen.contains(box.sceneBoundingRect())
            seen_box = True
    assert seen_box
    qtbot.keyClick(w.view, Qt.Key.Key_Escape)


def _labels(menu):
    return [a.text() for a in menu.actions() if a.text()]


def test_right_click_on_a_node_offers_its_groups_innermost_first_and_collapses(qtbot):
    w = open_grouped(qtbot)
    d = w.document
    node = d.graph.by_label("h1")
    item = w.scene.node_item(node)
    w.view.centerOn(item)
    at = w.view.mapFromScene(item.sceneBoundingRect().center())
    menu = w.group_menu.menu_at(at)
    assert _labels(menu)[:2] == ["Collapse “h1”", "Collapse “layer 1”"]
    menu.actions()[1].trigger()
    assert [b.name for b in w.scene.group_items()] == ["layer 1"]
    assert not d.modified
    (box,) = w.scene.group_items()
    w.view.centerOn(box)
    menu = w.group_menu.menu_at(w.view.mapFromScene(box.sceneBoundingRect().center()))
    assert _labels(menu)[0] == "Open “layer 1”"
    menu.actions()[0].trigger()
    assert not w.scene.group_items()


def test_an_open_group_whose_nodes_lie_together_has_a_tab_that_collapses_it(qtbot):
    from gradviz.core.engine import Value, group

    x = Value(3.0, label="x")
    with group("square plus one"):
        y = x * x
        z = y + 1
    graph = graph_from_value(z * 2)
    w = make_window(graph, None, "framed")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    (frame,) = w.scene.group_frames()
    assert frame.name == "square plus one"
    w.view.centerOn(frame.tab_rect().center())
    at = w.view.mapFromScene(frame.tab_rect().center())
    qtbot.mouseDClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.waitUntil(lambda: bool(w.scene.group_items()))
    assert [b.name for b in w.scene.group_items()] == ["square plus one"]
    assert not w.scene.group_frames()  # collapsed: the box instead of the frame
