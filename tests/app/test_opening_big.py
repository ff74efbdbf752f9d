"""A graph too big to read whole opens on its start, at legible text, and says so; past
`OVERVIEW_NODES` it opens on the whole graph as an overview, saying that instead. A
teaching-sized graph opens whole, with no line on the canvas. A big graph seen so small
that its text is a blur is sketched, a slice at a time; a program too long
to colour is shown plain. (The progress dialogs of a big opening: tests/trust.)"""
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from gradviz.app import canvas_view, step_camera
from gradviz.render.camera import MIN_TEXT_PT, step_nodes
from tests.windows import open_main_window


def _chain(neurons: int) -> str:
    """A chain of ``neurons`` tanh units (8 nodes each), as a lecturer would write it."""
    lines = ["x0 = 0.5", "x1 = -1.5"]
    last = "x1"
    for i in range(neurons):
        lines += [f"w{i} = 0.3", f"u{i} = -0.2", f"b{i} = 0.1",
                  f"h{i} = tanh(w{i} * {last} + u{i} * x0 + b{i})"]
        last = f"h{i}"
    return "\n".join(lines + [f"loss = ({last} - 1) ** 2"]) + "\n"


def _seen(window):
    v = window.view
    return v.mapToScene(v.viewport().rect()).boundingRect()


def _open(qtbot, program: str):
    w = open_main_window(qtbot, program, "big")
    w.resize(1600, 1000)
    qtbot.waitUntil(lambda: w.camera.hint.isVisible() or w.camera.opened is None)
    return w


def test_a_big_graph_opens_on_its_start_at_legible_text_and_says_so(qtbot):
    w = _open(qtbot, _chain(125))  # about 1,000 nodes
    assert w.camera.opened == step_camera.START
    assert w.camera.hint.isVisible() and "too big to read whole" in w.camera.hint.text()
    assert w.view.transform().m11() * w.scene.theme.base_point_size >= MIN_TEXT_PT - 1e-6
    d, seen = w.document, _seen(w)
    for n in step_nodes(d.graph, d.evaluation, 0):
        assert seen.contains(w.scene.node_item(n).sceneBoundingRect())
    assert w.minimap.isVisible()  # it shows where the start is
    qtbot.keyClick(w.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert _seen(w).contains(w.scene.content_rect())  # Ctrl+0: all of it
    assert not w.camera.hint.isVisible() and w.camera.opened is None
    w.document.undo_stack.setClean()


def test_past_the_overview_size_a_graph_opens_whole_and_says_so(qtbot, monkeypatch):
    monkeypatch.setattr(step_camera, "OVERVIEW_NODES", 500)
    w = _open(qtbot, _chain(125))
    assert w.camera.opened == step_camera.OVERVIEW
    assert w.camera.hint.isVisible() and "overview" in w.camera.hint.text()
    assert _seen(w).contains(w.scene.content_rect())
    w.view.zoom_in()  # a move by hand: the overview is over
    assert not w.camera.hint.isVisible()
    w.document.undo_stack.setClean()


def test_a_teaching_graph_opens_whole_with_nothing_said(qtbot):
    w = _open(qtbot, "a = 2\nb = 3\ne = (a + b) * (b + 1)\n")
    assert w.camera.opened is None and not w.camera.hint.isVisible()
    assert _seen(w).contains(w.scene.content_rect())


def _background_only(image: QImage, background: QColor) -> bool:
    return all(image.pixelColor(x, y) == background for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7))


def test_a_big_graph_seen_small_is_sketched_a_slice_at_a_time(qtbot, monkeypatch):
    from gradviz.render import sketch

    monkeypatch.setattr(canvas_view, "SKETCH_NODES", 100)
    monkeypatch.setattr(sketch, "CHUNK", 50)
    monkeypatch.setattr(sketch, "SLICE_S", 0.0)  # a chunk a slice: many, even here
    slices = []
    real = sketch.Sketch.draw_some
    monkeypatch.setattr(sketch.Sketch, "draw_some",
                        lambda self, *a: slices.append(1) or real(self, *a))
    w = _open(qtbot, _chain(125))
    qtbot.keyClick(w.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)  # all of it
    assert w.view.sketched  # about 1,000 boxes, a pixel or two high
    w.view.viewport().repaint()  # the sketch starts with a paint
    qtbot.waitUntil(lambda: w.view.sketch_done)
    assert len(slices) > 1  # drawn in slices, the event loop turning between them
    shot = w.view.viewport().grab().toImage()
    assert not _background_only(shot, QColor(w.scene.theme.background))
    while w.view.sketched:
        w.view.zoom_in()  # by hand, until the boxes are big enough to read
    assert w.view.sketch_done  # items are drawn again: no sketch under way
    w.document.undo_stack.setClean()


def test_a_sketch_under_way_is_started_again_when_the_graph_is_drawn_anew(qtbot, monkeypatch):
    from gradviz.render import sketch

    monkeypatch.setattr(canvas_view, "SKETCH_NODES", 100)
    monkeypatch.setattr(sketch, "CHUNK", 20)
    w = _open(qtbot, _chain(125))
    qtbot.keyClick(w.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    w.view.viewport().repaint()  # a sketch started, hardly drawn
    assert w.view.sketched and not w.view.sketch_done
    w.document.type_program(_chain(130))  # every item made anew
    qtbot.keyClick(w.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.view.sketched and w.view.sketch_done)
    assert len(w.scene.node_items()) > 1000
    w.document.undo_stack.setClean()


def test_a_program_too_long_to_colour_is_shown_plain_and_a_short_one_coloured(qtbot,
                                                                             monkeypatch):
    from gradviz.app import editor

    monkeypatch.setattr(editor, "COLOURED_LINES", 5)
    w = _open(qtbot, "a = 2\nb = 3\ne = (a + b) * (b + 1)\n")
    text = w.program_panel.editor

    def coloured() -> bool:
        return bool(text.document().firstBlock().layout().formats())

    assert coloured()
    w.document.type_program(_chain(2))  # 11 lines
    assert not coloured()
    w.document.undo_stack.undo()  # the short program again
    qtbot.waitUntil(coloured)  # (the highlighter colours a document given it at once after)
    w.document.undo_stack.setClean()


def _fan_out(n: int) -> str:
    """One value fed to ``n`` tanh units, summed: the shape of a wide fan-out."""
    return "x = 0.5\n" + "".join(f"y{i} = tanh(x)\n" for i in range(n)) + \
        "s = " + " + ".join(f"y{i}" for i in range(n)) + "\n"


def test_from_the_overview_a_big_graph_s_first_step_is_a_jump_not_a_slow_zoom(
        qtbot, monkeypatch):
    """Frames between the overview and legible text would draw thousands of items each
    (seconds a frame on a 50,000-way fan-out): the camera goes there at once."""
    monkeypatch.setattr(step_camera, "OVERVIEW_NODES", 500)
    monkeypatch.setattr(step_camera, "SKETCH_NODES", 500)
    w = _open(qtbot, _chain(125))
    assert w.camera.opened == step_camera.OVERVIEW
    w.camera.set_enabled(True)
    w.player.next()
    w.player.finish()
    assert not w.camera.moving  # there already
    assert w.view.transform().m11() * w.scene.theme.base_point_size >= MIN_TEXT_PT - 1e-6
    w.player.next()  # along the graph at the same zoom: a move, animated as ever
    assert w.camera.moving
    w.camera.finish()
    w.document.undo_stack.setClean()


def test_a_step_at_a_value_fed_to_hundreds_frames_the_step_not_all_it_feeds(qtbot):
    """The camera keeps a step's neighbours in view, but not the hundreds a wide
    fan-out's value feeds: the step ``y0 = tanh(x)`` is shown at legible text."""
    w = _open(qtbot, _fan_out(300))
    d = w.document
    w.camera.set_enabled(True)
    w.player.go_to(1, animate=False)
    w.camera.finish()
    focus = w.scene.focus_rect(1)
    assert focus.contains(w.scene.node_item("x").sceneBoundingRect())
    far = [w.scene.node_item(f"y{i}").sceneBoundingRect() for i in (150, 299)]
    assert not any(focus.contains(r) for r in far)
    assert w.view.transform().m11() * w.scene.theme.base_point_size >= MIN_TEXT_PT - 1e-6
    assert d.step == 1
    d.undo_stack.setClean()
