"""Shared pieces for render tests: the notebook's graph and its run."""
import pytest

from gradviz.core.evaluation import evaluate
from tests.core.notebook_graph import notebook_graph


@pytest.fixture
def notebook_run():
    graph = notebook_graph()
    return graph, evaluate(graph)


@pytest.fixture
def scene(qapp, notebook_run):
    from gradviz.render.scene import GraphScene
    from gradviz.render.theme import THEMES

    s = GraphScene(THEMES["light"])
    s.set_graph(*notebook_run)
    yield s
    s.clear()
