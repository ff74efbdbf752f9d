"""A graph too big to read whole opens on its start, at legible text, and says so; past
`OVERVIEW_NODES` it opens on the whole graph as an overview, saying that instead. A
teaching-sized graph opens whole, with no line on the canvas."""
from PySide6.QtCore import Qt

from gradviz.app import step_camera
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
