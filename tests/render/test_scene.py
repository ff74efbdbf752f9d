"""The scene at step k shows what the engine computed by then, and nothing overlaps."""
import pytest
from PySide6.QtCore import QPointF, Qt

from gradviz.core.evaluation import evaluate
from gradviz.core.graph import Graph
from gradviz.render.step_look import CURRENT, FUTURE
from gradviz.render.theme import THEMES, ThemeError, theme_named


def test_final_state_shows_every_value_and_gradient(scene):
    texts = scene.texts()
    for number in ("2", "3", "5", "4", "20", "1"):
        assert number in texts
    assert "9 = 4 + 5" in texts  # the last step is b's second contribution
    assert "?" not in texts
    assert scene.step_index == 9


def test_start_shows_inputs_only(scene):
    scene.show_step(0)
    assert scene.node_item("a").look.value == "2"
    assert scene.node_item("e").look.value == "?"
    assert scene.node_item("e").look.emphasis == FUTURE
    assert scene.caption_text().startswith("Inputs a = 2, b = 3. The program computes")


def test_forward_step_marks_the_node_being_computed(scene):
    scene.show_step(2)
    d = scene.node_item("d")
    assert d.look.value == "4" and d.look.emphasis == CURRENT
    assert scene.node_item("e").look.value == "?"
    assert scene.edge_item("b", "d", 0).look.emphasis == CURRENT
    # How steps are numbered is test_export's (…caption_numbers_the_step…); here: which.
    assert scene.caption_text().startswith("Forward ")
    assert scene.caption_text().endswith(": d = b + 1 = 3 + 1 = 4")


def test_fan_out_step_shows_the_edge_arithmetic_and_the_accumulation(scene):
    scene.show_step(9)  # the edge b -> d: b's gradient becomes 4 + 5
    edge = scene.edge_item("b", "d", 0)
    assert edge.look.emphasis == CURRENT and edge.look.label == "5 × 1 = 5"
    assert scene.node_item("b").look.grad == "9 = 4 + 5"
    scene.show_step(8)
    assert scene.node_item("b").look.grad == "4"
    assert scene.edge_item("b", "d", 0).look.label == ""
    assert scene.edge_item("b", "c", 1).look.label == "4 × 1 = 4"


def test_the_picture_is_a_function_of_the_step(scene):
    scene.show_step(3)
    first = scene.texts()
    scene.show_step(8)
    scene.show_step(3)
    assert scene.texts() == first


def test_node_sizes_never_change_while_stepping(scene):
    sizes = {i.node_id: i.boundingRect() for i in scene.node_items()}
    for k in range(10):
        scene.show_step(k)
        assert {i.node_id: i.boundingRect() for i in scene.node_items()} == sizes


def test_nodes_do_not_overlap_and_labels_fit_between_layers(scene):
    items = scene.node_items()
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            ra = a.mapRectToScene(a.geometry.rect)
            rb = b.mapRectToScene(b.geometry.rect)
            assert not ra.intersects(rb), (a.node_id, b.node_id)
    for k in range(10):
        scene.show_step(k)
        for e in scene.edge_items():
            if e.look.label:
                label = e.boundingRect()  # includes the label plate
                for n in items:
                    if n.node_id not in e.key[:2]:
                        assert not n.mapRectToScene(n.geometry.rect).intersects(
                            e._label_rect), (e.key, n.node_id)
                assert label.isValid()


def test_long_labels_and_small_numbers_fit_inside_their_node(qapp):
    from gradviz.render.scene import GraphScene
    from gradviz.render.typeface import fonts_for

    g = Graph()
    x = g.add_input("a_rather_long_input_name", 1.23456e-05, id="x")
    y = g.add_op("exp", "exponential_of_it", id="y")
    g.connect(x, y, 0)
    run = evaluate(g)
    s = GraphScene(THEMES["projector"])
    s.set_graph(g, run)
    f = fonts_for(THEMES["projector"])
    item = s.node_item("x")
    assert item.look.value == "1.2346e−05"
    assert f.width(f.label, "a_rather_long_input_name") < item.geometry.card_rect.width()
    assert f.width(f.number, "1.2346e−05") < item.geometry.card_rect.width() - 40
    s.clear()


def test_a_times_a_is_two_edges_into_two_ports(qapp):
    from gradviz.render.scene import GraphScene

    g = Graph()
    a = g.add_input("a", 3, id="a")
    sq = g.add_op("mul", "s", id="s")
    g.connect(a, sq, 0)
    g.connect(a, sq, 1)
    s = GraphScene()
    s.set_graph(g, evaluate(g))
    e0, e1 = s.edge_item("a", "s", 0), s.edge_item("a", "s", 1)
    assert e0.path().pointAtPercent(1).y() < e1.path().pointAtPercent(1).y()
    assert s.node_item("s").input_anchor(0) != s.node_item("s").input_anchor(1)
    s.clear()


def test_structure_only_when_the_graph_cannot_run(qapp):
    from gradviz.render.scene import GraphScene

    g = Graph()
    g.add_input("a", 2, id="a")
    g.add_op("sub", "c", id="c")
    g.connect("a", "c", 0)
    s = GraphScene()
    s.set_graph(g, None)
    s.set_problem_nodes({"c": "c (Subtract) has nothing connected to input 2"})
    assert s.node_item("c").look.value == "?"
    assert "nothing connected" in s.tooltip_for("c")
    assert s.caption_text() == ""
    s.clear()


def test_tooltips_have_full_precision(qapp):
    from gradviz.render.scene import GraphScene

    g = Graph()
    x = g.add_input("x", 0.1, id="x")
    y = g.add_op("add", "y", id="y")
    g.connect(x, y, 0)
    g.connect(g.add_constant(0.2, id="k"), y, 1)
    s = GraphScene()
    s.set_graph(g, evaluate(g))
    assert "value = 0.30000000000000004" in s.tooltip_for("y")
    assert s.node_item("y").look.value == "0.3"
    s.clear()


def test_positions_given_are_kept_and_drag_emits_one_move(qtbot, scene, notebook_run):
    from PySide6.QtWidgets import QGraphicsView

    scene.set_graph(*notebook_run, positions={"a": (500.0, -300.0)})
    assert scene.positions()["a"] == (500.0, -300.0)
    scene.set_nodes_movable(True)
    view = QGraphicsView(scene)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    moved, clicked = [], []
    scene.nodeMoved.connect(lambda *a: moved.append(a))
    scene.nodeClicked.connect(clicked.append)
    start = view.mapFromScene(scene.node_item("c").pos())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    assert clicked == ["c"]
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    for dx in (10, 20, 40):
        qtbot.mouseMove(view.viewport(), start + type(start)(dx, 5))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start + type(start)(40, 5))
    assert len(moved) == 1 and moved[0][0] == "c"
    assert scene.positions()["c"] == (moved[0][1], moved[0][2])


def test_pulse_and_highlight_are_explicit_properties(scene):
    edge = scene.edge_item("b", "d", 0)
    edge.set_pulse(0.25)
    edge.set_pulse(None)
    scene.set_highlight("b")
    assert edge._highlight
    scene.set_highlight(None)
    assert not edge._highlight
    assert scene.node_item("d").input_anchor(0).x() < scene.node_item("d").output_anchor().x()
    assert isinstance(scene.node_item("d").output_anchor(), QPointF)


@pytest.mark.parametrize("name", ["projector", "light", "dark"])
def test_themes_are_readable_and_switchable(scene, name):
    theme = theme_named(name)
    assert theme.base_point_size >= 14
    assert theme.value.upper() in ("#0072B2", "#56B4E9") and theme.gradient.upper() in (
        "#D55E00", "#E69F00")
    scene.show_step(5)
    scene.set_theme(theme)
    assert scene.step_index == 5 and scene.theme is theme
    assert scene.backgroundBrush().color().name().upper() == theme.background.upper()


def test_unknown_theme_names_the_known_ones():
    with pytest.raises(ThemeError, match="projector, light, dark"):
        theme_named("neon")


def test_stepping_in_any_order_shows_what_the_step_alone_shows(qapp):
    """show_step only recomputes what the steps in between touch; the picture must not
    depend on the way a step was reached."""
    from gradviz.render.scene import GraphScene
    from gradviz.render.step_look import looks_at
    from tests.core.test_layout import random_graph

    g = random_graph(5, 25)
    run = evaluate(g)
    s = GraphScene()
    s.set_graph(g, run)
    last = len(run.timeline)
    for index in (0, last // 2, 3, last, 1, last - 1, last // 3, last // 3 + 1, 0):
        s.show_step(index)
        nodes, edges = looks_at(g, run, run.timeline.state(index))
        assert {i.node_id: i.look for i in s.node_items()} == nodes, index
        assert {e.key: e.look for e in s.edge_items()} == edges, index
        current = [e.key for e in s.edge_items() if e.zValue() > 0]
        assert current == [k for k, look in edges.items() if look.emphasis == CURRENT]
        assert all(e.boundingRect().contains(e._label_rect) for e in s.edge_items()
                   if e.look.label)
    s.clear()


def test_edges_follow_a_node_moved_by_dragging_or_by_code(qtbot, scene):
    from PySide6.QtWidgets import QGraphicsView

    item, edge = scene.node_item("c"), scene.edge_item("c", "e", 0)
    scene.set_nodes_movable(True)
    view = QGraphicsView(scene)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    before = item.pos()
    start = view.mapFromScene(before)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    for dy in (10, 30, 60):
        qtbot.mouseMove(view.viewport(), start + type(start)(5, dy))
        assert edge.path().pointAtPercent(0) == item.output_anchor()
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start + type(start)(5, 60))
    assert item.pos() != before
    assert edge.path().pointAtPercent(0) == item.output_anchor()
    item.setPos(before)  # as undoing the move does
    assert edge.path().pointAtPercent(0) == item.output_anchor()


# --- lecture-sized graphs: compact boxes, notes beside them, a slide's shape ----------
def _example_scene(name: str):
    from gradviz.core.examples import example_document
    from gradviz.render.scene import GraphScene

    graph = example_document(name).graph
    run = evaluate(graph)
    s = GraphScene(THEMES["projector"])
    s.set_graph(graph, run, step=0)
    return s, run


def test_the_2_2_1_network_is_laid_out_for_a_slide_not_a_strip(qapp):
    s, _ = _example_scene("mlp_2_2_1")
    r = s.content_rect()
    assert 1.0 < r.width() / r.height() < 2.5  # it was 7:1 before it wrapped
    items = s.node_items()
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            assert not a.mapRectToScene(a.geometry.rect).intersects(
                b.mapRectToScene(b.geometry.rect)), (a.node_id, b.node_id)
    s.clear()


def test_a_long_accumulation_is_a_note_beside_a_box_that_keeps_its_size(qapp):
    from gradviz.core.steps import BackwardStep

    s, run = _example_scene("mlp_2_2_1")
    sizes = {i.node_id: i.geometry for i in s.node_items()}
    longest = max((k for k, st in enumerate(run.timeline.steps, 1)
                   if isinstance(st, BackwardStep) and st.before != 0),
                  key=lambda k: len(str(run.timeline.steps[k - 1].after)))
    step = run.timeline.steps[longest - 1]
    for k in range(len(run.timeline) + 1):
        s.show_step(k)
        assert {i.node_id: i.geometry for i in s.node_items()} == sizes
    s.show_step(longest)
    item = s.node_item(step.parent)
    note = item.look.note
    assert note.startswith(item.look.grad + " = ")  # the box: the new gradient alone
    assert note in s.texts()
    # The note is drawn outside the box, above every other item.
    for other in s.items(item.mapRectToScene(item.boundingRect())):
        assert other is item or other.zValue() < item.zValue()
    s.show_step(0)
    assert note not in s.texts() and item.zValue() == 0
    s.clear()


def test_node_text_is_at_least_14_pt_at_full_size(qapp):
    from gradviz.render.typeface import fonts_for

    for theme in THEMES.values():
        f = fonts_for(theme)
        for font in (f.label, f.number, f.key):
            assert font.pixelSize() * 72 / 96 >= 14 - 0.5, theme.name
