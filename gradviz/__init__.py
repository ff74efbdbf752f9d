"""gradviz: see reverse-mode automatic differentiation step by step.

>>> from gradviz import Value
>>> a, b = Value(2.0), Value(3.0)
>>> e = (a + b) * (b + 1)
>>> e.backward()
>>> a.grad, b.grad
(4.0, 9.0)

``gradviz.draw(e)`` gives a picture (shown inline in Jupyter); ``gradviz.show(e)`` opens
the app on that graph; both take micrograd's values too (drawn as micrograd built them).
Qt is imported only by those two. Values made inside
``with gradviz.group("neuron 1"):`` are drawn as one named group; groups nest.
"""
from __future__ import annotations

from .core.engine import DiffScalar, Value, group
from .core.errors import DocumentError, EvaluationError, GraphError, ProgramError

__version__ = "0.1.0"
__all__ = ["Value", "DiffScalar", "group", "draw", "show", "ProgramError", "EvaluationError",
           "GraphError", "DocumentError"]


def draw(value_or_graph, path=None, step=None, theme: str = "light", **options):
    """A picture of the graph of a gradviz or micrograd Value, or of a Graph (at
    ``step``, default: the final state); see render.notebook."""
    from .render.notebook import draw as _draw

    return _draw(value_or_graph, path=path, step=step, theme=theme, **options)


def show(value_or_graph) -> int:
    """Open the app on this graph (of a gradviz or micrograd Value, or a Graph); returns
    when its window is closed. TypeError for anything else."""
    from .app.launch import show as _show
    from .core.trace import graph_of

    return _show(graph_of(value_or_graph, "show"))
