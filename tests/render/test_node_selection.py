"""A selected node looks selected: a dashed ring of its own colour around it, apart from
the current step's yellow halo, in every theme."""

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from gradviz.render.node_item import SELECTED_COLOUR
from gradviz.render.step_look import CURRENT
from gradviz.render.theme import THEMES


def _picture(scene, rect: QRectF) -> QImage:
    image = QImage(int(rect.width()), int(rect.height()), QImage.Format.Format_ARGB32)
    image.fill(QColor(scene.theme.background))
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    return image


def _ring_pixels(image: QImage) -> int:
    want = QColor(SELECTED_COLOUR)
    return sum(1 for x in range(image.width()) for y in range(image.height())
               if _near(image.pixelColor(x, y), want))


def _near(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 40


@pytest.mark.parametrize("name", list(THEMES))
def test_a_selected_node_has_a_ring_the_current_step_does_not(qapp, name):
    from gradviz.core.evaluation import evaluate
    from gradviz.render.scene import GraphScene
    from tests.core.notebook_graph import notebook_graph

    graph = notebook_graph()
    scene = GraphScene(THEMES[name])
    scene.set_graph(graph, evaluate(graph))
    scene.show_step(len(evaluate(graph).timeline))
    item = scene.node_item(graph.by_label("d"))
    rect = item.sceneBoundingRect().adjusted(-4, -4, 4, 4)
    plain = _ring_pixels(_picture(scene, rect))
    item.set_selected_look(True)
    selected = _picture(scene, rect)
    ring = _ring_pixels(selected)
    assert item.selected_look and plain == 0 and ring > 60
    # The ring lies outside the node's own outline, so it never hides a number.
    inside = item.mapRectToScene(item.geometry.rect).translated(-rect.topLeft())
    assert all(not _near(selected.pixelColor(x, y), QColor(SELECTED_COLOUR))
               for x in range(int(inside.left()) + 1, int(inside.right()) - 1, 3)
               for y in range(int(inside.top()) + 1, int(inside.bottom()) - 1, 3))
    # The current step's look does not use the ring's colour: the two never mix up.
    item.set_selected_look(False)
    item.set_look(item.look._replace(emphasis=CURRENT))
    assert _ring_pixels(_picture(scene, rect)) == 0
    scene.clear()


def test_the_ring_stays_visible_when_the_graph_is_zoomed_out(qapp):
    from gradviz.core.evaluation import evaluate
    from gradviz.render.scene import GraphScene
    from tests.core.notebook_graph import notebook_graph

    graph = notebook_graph()
    scene = GraphScene(THEMES["projector"])
    scene.set_graph(graph, evaluate(graph))
    item = scene.node_item(graph.by_label("b"))
    item.set_selected_look(True)
    rect = item.sceneBoundingRect().adjusted(-4, -4, 4, 4)
    small = QImage(int(rect.width() * 0.4), int(rect.height() * 0.4), QImage.Format.Format_ARGB32)
    small.fill(QColor("white"))
    painter = QPainter(small)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(small.rect()), rect)  # a graph fitted at 40 %
    painter.end()
    assert _ring_pixels(small) > 40
    scene.clear()
