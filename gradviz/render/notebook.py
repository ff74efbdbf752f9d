"""``gradviz.draw``: micrograd's ``draw_dot`` habit without Graphviz.

The returned `Drawing` shows inline in Jupyter (``_repr_svg_``, ``_repr_png_``) and can
be written to a file; the format follows the suffix and its defaults are those of
``gradviz export`` and the app's Export dialog (all three write through `formats`).
"""
from __future__ import annotations

from pathlib import Path

from ..core.engine import Value
from ..core.evaluation import Evaluation, evaluate
from ..core.graph import Graph
from ..core.trace import graph_from_value
from . import formats
from .theme import theme_named


class Drawing:
    """A graph at one step, ready to be shown or saved.

    ``scale`` None draws each format at its own default (see `formats`).
    """

    def __init__(self, graph: Graph, run: Evaluation | None, step: int | None,
                 theme: str = formats.EXPORT_THEME, scale: float | None = None):
        self.graph, self.run, self.theme, self.scale = graph, run, theme, scale
        last = len(run.timeline) if run else 0
        self.step = last if step is None else max(0, min(step, last))

    def _export(self) -> formats.Export:
        return formats.Export(self.graph, self.run, self.step, theme=self.theme,
                              scale=self.scale)

    def _scene(self):
        from .offscreen import ensure_application
        from .scene import GraphScene

        ensure_application()
        scene = GraphScene(theme_named(self.theme))
        scene.set_graph(self.graph, self.run, step=self.step)
        return scene

    def _with_scene(self, action):
        scene = self._scene()
        try:
            return action(scene)
        finally:
            scene.clear()
            scene.deleteLater()

    def _repr_svg_(self) -> str:
        from .export import svg_bytes

        return self._with_scene(svg_bytes).decode("utf-8")

    def _repr_png_(self) -> bytes:
        from .export import png_bytes

        scale = formats.FORMATS[".png"].scale_for(self.scale)
        return self._with_scene(lambda s: png_bytes(s, scale))

    def caption(self) -> str:
        return self._with_scene(lambda s: s.caption_text())

    def save(self, path: str | Path) -> Path:
        """Write the picture (a GIF: every step) or, to a .gradviz file, the graph; the
        formats and their defaults are those of ``gradviz export`` (see `formats`)."""
        path = Path(path)
        formats.write(self._export(), path)
        return path


def draw(value_or_graph, path=None, step: int | None = None,
         theme: str = formats.EXPORT_THEME, scale: float | None = None,
         **options) -> Drawing:
    """A picture of ``value_or_graph`` (a `Value` or a `Graph`) at ``step``.

    ``step`` None shows the final state: every value and gradient. Gradients are those
    of a fresh backward pass from this output, whatever ``.grad`` the values hold.
    ``scale`` is pixels per scene unit of a PNG or GIF (None: 2, as ``gradviz export``).
    ``path`` also writes the picture to that file.
    """
    if options:
        raise TypeError(f"draw() got unknown options: {', '.join(sorted(options))}")
    if isinstance(value_or_graph, Value):
        graph = graph_from_value(value_or_graph)
    elif isinstance(value_or_graph, Graph):
        graph = value_or_graph
    else:
        raise TypeError(f"draw() takes a Value or a Graph, not {type(value_or_graph).__name__}")
    theme_named(theme)  # an unknown theme fails here, not when Jupyter shows it
    formats.check_scale(scale)
    run = evaluate(graph) if not graph.problems() else None
    drawing = Drawing(graph, run, step, theme, scale)
    if path is not None:
        drawing.save(path)
    return drawing
