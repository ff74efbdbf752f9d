"""``gradviz.draw``: micrograd's ``draw_dot`` habit without Graphviz.

The returned `Drawing` shows inline in Jupyter (``_repr_svg_``, ``_repr_png_``) and can
be written to a file; the format follows the suffix and its defaults are those of
``gradviz export`` and the app's Export dialog (all three write through `formats`).

Showing a drawing never fails and stays small whatever the graph: Jupyter keeps every
picture a repr returns in the notebook, so the SVG is offered only up to `INLINE_SVG_BYTES`
(past it Jupyter shows the PNG) and the PNG is scaled down until it is within
`INLINE_LONG_SIDE` and `INLINE_PNG_BYTES` (an overview that says so, for a graph too
big to read whole).
Saving warns (`ExportWarning`) about what it changed so that the file always opens.
"""
from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

from ..core.evaluation import Evaluation, evaluate
from ..core.foreign import grads_that_differ, is_foreign_value, read_foreign, recorded_groups
from ..core.graph import Graph
from ..core.groups import groups_to_collapse
from ..core.trace import graph_of
from . import formats
from .theme import theme_named

INLINE_SVG_BYTES = 1_000_000
"""The largest SVG a notebook is given inline; a bigger one is left to the PNG."""
INLINE_PNG_BYTES = 1_000_000
"""The largest PNG a notebook is given: with the SVG, at most about 2 MB a picture."""
INLINE_LONG_SIDE = 2_400
"""The long side of the PNG a notebook is given: a notebook's column is about 1,000 px
wide, so more would only be shrunk again (a file keeps the 8,000 of a saved PNG)."""
SVG_BYTES_PER_NODE = 2_000
"""Fewer SVG bytes than a node ever takes (about 6,000 measured): a graph with more
nodes than the SVG budget holds at this rate is not drawn as SVG just to be dropped."""


class ExportWarning(UserWarning):
    """A change `Drawing.save` made so that the file opens and reads: a PNG scaled down,
    deck pages that follow the step, a GIF's steps sampled (the command line prints the
    same lines)."""


class GradientWarning(UserWarning):
    """A micrograd value's gradients are not those of a backward pass from the value
    drawn (the drawing shows that pass): they were accumulated over several passes, or
    the pass was run from another output."""


class Drawing:
    """A graph at one step, ready to be shown or saved.

    ``scale`` None draws each format at its own default (see `formats`); ``collapse``
    names the groups drawn as one box each (see `draw`).
    """

    def __init__(self, graph: Graph, run: Evaluation | None, step: int | None,
                 theme: str = formats.EXPORT_THEME, scale: float | None = None,
                 page: str | None = None, collapse: str | Sequence[str] | None = None):
        self.graph, self.run, self.theme, self.scale = graph, run, theme, scale
        self.page, self.collapse = page, collapse
        last = len(run.timeline) if run else 0
        self.step = last if step is None else max(0, min(step, last))
        self.adjustments: list[formats.Adjustment] = []
        """What the last `save` changed so that its file always opens (also warned)."""

    def _export(self, page: str | None) -> formats.Export:
        return formats.Export(self.graph, self.run, self.step, theme=self.theme,
                              scale=self.scale, page=page, collapse=self.collapse)

    def _scene(self):
        from .offscreen import ensure_application
        from .scene import GraphScene

        ensure_application()
        scene = GraphScene(theme_named(self.theme))
        scene.set_collapsed(self._export(self.page).collapsed_groups(), redraw=False)
        scene.set_graph(self.graph, self.run, step=self.step)
        return scene

    def _with_scene(self, action):
        scene = self._scene()
        try:
            return action(scene)
        finally:
            scene.clear()
            scene.deleteLater()

    def _repr_svg_(self) -> str | None:
        """The SVG Jupyter shows, or None (it then shows the PNG) past `INLINE_SVG_BYTES`."""
        from .export import svg_bytes

        if self.graph.nx.number_of_nodes() * SVG_BYTES_PER_NODE > INLINE_SVG_BYTES:
            return None
        svg = self._with_scene(svg_bytes)
        return svg.decode("utf-8") if len(svg) <= INLINE_SVG_BYTES else None

    def _repr_png_(self) -> bytes:
        """The PNG Jupyter shows: at most the drawing's scale, `INLINE_LONG_SIDE` (an
        overview that says so for a graph too big to read whole) and `INLINE_PNG_BYTES`."""
        from .export import png_within

        scale = formats.FORMATS[".png"].scale_for(self.scale)
        return self._with_scene(lambda s: png_within(s, scale, INLINE_LONG_SIDE,
                                                     INLINE_PNG_BYTES))

    def caption(self) -> str:
        return self._with_scene(lambda s: s.caption_text())

    def save(self, path: str | Path, page: str | None = None) -> Path:
        """Write the picture (a GIF: every step) or, to a .gradviz file, the graph; the
        formats and their defaults are those of ``gradviz export`` (see `formats`).
        ``page`` is a PDF's page size (default: the drawing's). Each change made so that
        the file opens and reads is an `ExportWarning`, and kept in `adjustments`."""
        path = Path(path)
        _, self.adjustments = formats.write(self._export(page or self.page), path)
        for adjustment in self.adjustments:
            warnings.warn(adjustment.for_python(), ExportWarning, stacklevel=2)
        return path


def draw(value_or_graph, path=None, step: int | None = None,
         theme: str = formats.EXPORT_THEME, scale: float | None = None,
         page: str | None = None, collapse: str | Sequence[str] | None = None,
         **options) -> Drawing:
    """A picture of ``value_or_graph`` at ``step``: a gradviz `Value`, a `Graph`, or a
    value of micrograd (or any object with its ``data``, ``grad``, ``_prev`` and ``_op``;
    see `core.foreign`), drawn as micrograd built it.

    ``step`` None shows the final state: every value and gradient. Gradients are those
    of a fresh backward pass from this output, whatever ``.grad`` the values hold; for a
    micrograd value whose ``backward()`` was run, they are micrograd's, and a
    `GradientWarning` names the inputs where micrograd's differ (accumulated over two
    passes, or from another output).
    ``scale`` is pixels per scene unit of a PNG or GIF (None: 2, as ``gradviz export``).
    ``page`` is a PDF's page size (``16:9``, ``4:3``, ``a4``, ``letter``, ``fit``; None: the
    default of ``gradviz export``). ``collapse`` draws groups (``with gradviz.group(...)``
    blocks) as one box each: ``"all"``, a group's name (every group of that name), a
    group's id, or a list of these; None collapses none but the operations of a
    micrograd value that gradviz does not know (each drawn as one box with the value and
    the derivatives micrograd recorded). A deck or GIF of every step then
    passes over the steps inside a collapsed group, as the app's player does.
    ``path`` also writes the picture to that file.

    Raises TypeError for a ``collapse`` that is not a string or a list of strings, and
    GraphError for one that names no group of the graph.

    Examples
    --------
    >>> gradviz.draw(loss, "net.svg", collapse="neuron 1")  # doctest: +SKIP
    >>> gradviz.draw(loss, "net.pdf", collapse="all")  # doctest: +SKIP
    """
    if options:
        raise TypeError(f"draw() got unknown options: {', '.join(sorted(options))}")
    foreign = is_foreign_value(value_or_graph)
    if foreign:
        graph, leaves = read_foreign(value_or_graph)
    else:
        graph = graph_of(value_or_graph, "draw")
    theme_named(theme)  # an unknown theme fails here, not when Jupyter shows it
    formats.check_scale(scale)
    from .pages import check_page

    check_page(page)
    collapse = _collapse_names(collapse)
    if collapse is None and foreign:
        collapse = recorded_groups(graph) or None
    run = evaluate(graph) if not graph.problems() else None
    if foreign and run is not None:
        _warn_of_other_grads(grads_that_differ(value_or_graph, leaves, graph, run.grads))
    drawing = Drawing(graph, run, step, theme, scale, page, collapse)
    groups_to_collapse(graph, collapse)  # a group it lacks fails here, not in Jupyter
    if path is not None:
        drawing.save(path)
    return drawing


def _warn_of_other_grads(labels: list[str]) -> None:
    if labels:
        shown = ", ".join(labels[:5]) + (f" and {len(labels) - 5} more" if len(labels) > 5
                                         else "")
        warnings.warn(f"micrograd's .grad of {shown} differ from a backward pass from this "
                      "value (accumulated over several backward() calls, or from another "
                      "output?); the drawing shows a backward pass from this value",
                      GradientWarning, stacklevel=3)


def _collapse_names(collapse) -> str | tuple[str, ...] | None:
    """``collapse`` as `groups_to_collapse` reads it; TypeError for anything but None, a
    string or an iterable of strings (a number would otherwise collapse nothing, or fail
    later with a message about iteration)."""
    if collapse is None or isinstance(collapse, str):
        return collapse
    wrong = "draw() collapse= takes 'all', a group's name or id, or a list of them, not"
    if isinstance(collapse, bytes | dict) or not hasattr(collapse, "__iter__"):
        raise TypeError(f"{wrong} {type(collapse).__name__}")
    names = tuple(collapse)
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"{wrong} a list holding {type(name).__name__} ({name!r})")
    return names
