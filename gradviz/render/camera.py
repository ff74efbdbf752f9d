"""Where a camera looks at one step: the step's nodes and their direct neighbours, at a
zoom where the node text is legible.

Pure geometry shared by the app's canvas (which animates towards the view) and the
exports (a deck page of a big graph shows the view of its step). No widgets here.

Zoom is in screen pixels per scene unit. Node text is ``theme.base_point_size`` points
at zoom 1 (scene units are 96 per inch), so text of ``pt`` points on screen needs zoom
``pt / theme.base_point_size``.
"""
from __future__ import annotations

from itertools import chain, islice
from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF, QSizeF

from ..core.evaluation import Evaluation
from ..core.graph import Graph
from ..core.steps import BackwardStep, ForwardStep, SeedStep

MIN_TEXT_PT = 14.0
"""The smallest node text a camera shows, in points on screen."""
MAX_TEXT_PT = 28.0
"""The largest: beyond it the camera would show less context than it could."""
COMFORT_TEXT_PT = 18.0
"""What the camera aims for when the step's nodes fit at that size."""
MARGIN = 0.06
"""Room left on each side of the viewport, as a fraction of its size."""


class View(NamedTuple):
    """A camera: the scene point at the viewport's centre, and the zoom."""

    centre: QPointF
    zoom: float

    def visible(self, viewport: QSizeF) -> QRectF:
        """The scene rectangle a viewport of ``viewport`` pixels shows."""
        w, h = viewport.width() / self.zoom, viewport.height() / self.zoom
        return QRectF(self.centre.x() - w / 2, self.centre.y() - h / 2, w, h)


def zoom_for_points(points: float, base_point_size: float) -> float:
    """The zoom at which node text of ``base_point_size`` shows as ``points``."""
    return points / base_point_size


def step_nodes(graph: Graph, run: Evaluation | None, index: int) -> set[str]:
    """The nodes step ``index`` is about (the start shows the first step's, the end the
    last's): a forward step's node and its inputs, the seed's output, a backward
    step's two ends."""
    if run is None or not run.timeline.steps:
        return set(graph.nx)
    steps = run.timeline.steps
    step = steps[max(1, min(index, len(steps))) - 1]
    if isinstance(step, ForwardStep):
        return {step.node, *step.inputs}
    if isinstance(step, SeedStep):
        return {step.node}
    assert isinstance(step, BackwardStep)
    return {step.parent, step.child}


def updated_node(graph: Graph, run: Evaluation | None, index: int) -> str | None:
    """The node whose number step ``index`` writes (a forward step's value, the seed's,
    a backward step's parent's gradient): what the camera keeps in view first."""
    if run is None or not run.timeline.steps:
        return None
    steps = run.timeline.steps
    step = steps[max(1, min(index, len(steps))) - 1]
    return step.parent if isinstance(step, BackwardStep) else step.node


def first_that_fits(rects: list[QRectF], viewport: QSizeF, base_point_size: float) -> QRectF:
    """The first of ``rects`` that fits in ``viewport`` at `MIN_TEXT_PT` (else the last):
    the step's nodes, or where an edge spans more than a screen, the node it updates."""
    lo = zoom_for_points(MIN_TEXT_PT, base_point_size)
    usable = QSizeF(viewport.width() * (1 - 2 * MARGIN), viewport.height() * (1 - 2 * MARGIN))
    rects = [r for r in rects if not r.isEmpty()]
    for r in rects:
        if _fit_zoom(r, usable) >= lo:
            return r
    return rects[-1] if rects else QRectF()


FOCUS_NEIGHBOURS = 50
"""A step's node with more neighbours than this (a value that feeds thousands of nodes)
brings none of them into focus: so many could never be legible in one view, and
gathering them (then measuring where they all are) was a pass over the whole graph at
every step of a 50,000-way fan-out."""


def focus_nodes(graph: Graph, run: Evaluation | None, index: int) -> set[str]:
    """`step_nodes` and their direct neighbours (those of a node with at most
    `FOCUS_NEIGHBOURS`): what the camera keeps in view."""
    g = graph.nx
    nodes = step_nodes(graph, run, index)
    around = set(nodes)
    for n in nodes:
        if n in g:
            near = list(islice(chain(g.predecessors(n), g.successors(n)),
                               FOCUS_NEIGHBOURS + 1))  # (not all 50,000 to count them)
            if len(near) <= FOCUS_NEIGHBOURS:
                around.update(near)
    return around


def view_of(focus: QRectF, whole: QRectF, viewport: QSizeF, base_point_size: float,
            current: View | None = None, core: QRectF | None = None) -> View:
    """The view that shows ``focus`` (scene rectangle) in ``viewport`` (pixels).

    - When ``whole`` (the entire graph) fits at legible text, the whole graph is shown
      and the camera never moves while stepping (unless the graph grows out of view).
    - Otherwise the zoom shows ``focus`` with its text between `MIN_TEXT_PT` and
      `COMFORT_TEXT_PT` points (more context rather than larger type), and it never
      goes below the minimum even when ``focus`` is too big to fit then.
    - A camera already showing ``focus`` at a legible zoom (``current``) stays where
      it is: stepping along a row does not make the picture swim.
    - Where ``focus`` does not fit at the minimum, ``core`` (the step's own nodes,
      inside ``focus``) stays in view and the neighbours around it are cut, not the step.
    """
    lo = zoom_for_points(MIN_TEXT_PT, base_point_size)
    hi = zoom_for_points(MAX_TEXT_PT, base_point_size)
    comfort = zoom_for_points(COMFORT_TEXT_PT, base_point_size)
    usable = QSizeF(viewport.width() * (1 - 2 * MARGIN), viewport.height() * (1 - 2 * MARGIN))
    whole_zoom = _fit_zoom(whole, usable)
    if whole_zoom >= lo:
        if current is not None and lo <= current.zoom <= hi and \
                current.visible(viewport).contains(whole):
            return current  # a note grown beside a box into the margin: no jump
        return View(whole.center(), min(whole_zoom, hi))
    if current is not None and lo <= current.zoom <= hi and \
            current.visible(usable).contains(focus):
        return current
    zoom = max(lo, min(_fit_zoom(focus, usable), comfort))
    centre = focus.center()
    if _fit_zoom(focus, usable) < lo <= _fit_zoom(focus, viewport):
        pass  # it fits only without the margins: centred, it fits
    elif current is not None and abs(current.zoom - zoom) < 1e-9:
        centre = _nearest_centre(current, focus, usable)
    if core is not None and not core.isEmpty() and _fit_zoom(focus, viewport) < lo:
        centre = _keeping(centre, core, zoom, usable)
    # (whole and focus: a note drawn beside a box may reach past what whole measured;
    # and a margin, so that rounding the view to whole pixels cuts nothing at an edge)
    m = viewport.width() * MARGIN / zoom
    bounds = whole.united(focus).adjusted(-m, -m, m, m)
    return View(_clamped(centre, zoom, bounds, viewport), zoom)


def whole_view(whole: QRectF, viewport: QSizeF, base_point_size: float) -> View:
    """The whole graph fitted (Home, End, Ctrl+0), never magnified past `MAX_TEXT_PT`."""
    usable = QSizeF(viewport.width() * (1 - 2 * MARGIN), viewport.height() * (1 - 2 * MARGIN))
    hi = zoom_for_points(MAX_TEXT_PT, base_point_size)
    return View(whole.center(), min(_fit_zoom(whole, usable), hi))


def text_points(zoom: float, base_point_size: float) -> float:
    """The size node text shows at on screen, in points, at ``zoom``."""
    return zoom * base_point_size


def _fit_zoom(rect: QRectF, usable: QSizeF) -> float:
    if rect.width() <= 0 or rect.height() <= 0:
        return float("inf")
    return min(usable.width() / rect.width(), usable.height() / rect.height())


def _nearest_centre(current: View, focus: QRectF, usable: QSizeF) -> QPointF:
    """The centre closest to the current one that brings ``focus`` into view: the
    camera pans only as far as it has to."""
    seen = current.visible(usable)
    x, y = current.centre.x(), current.centre.y()
    if focus.width() > seen.width():
        x = focus.center().x()
    elif focus.left() < seen.left():
        x -= seen.left() - focus.left()
    elif focus.right() > seen.right():
        x += focus.right() - seen.right()
    if focus.height() > seen.height():
        y = focus.center().y()
    elif focus.top() < seen.top():
        y -= seen.top() - focus.top()
    elif focus.bottom() > seen.bottom():
        y += focus.bottom() - seen.bottom()
    return QPointF(x, y)


def _keeping(centre: QPointF, core: QRectF, zoom: float, usable: QSizeF) -> QPointF:
    """The centre nearest ``centre`` whose view (``usable`` pixels) shows all of
    ``core``, or is centred on it where it is larger than that."""
    w, h = usable.width() / zoom / 2, usable.height() / zoom / 2

    def keep(c: float, lo: float, hi: float, half: float) -> float:
        if hi - lo > 2 * half:
            return (lo + hi) / 2
        return max(hi - half, min(c, lo + half))
    return QPointF(keep(centre.x(), core.left(), core.right(), w),
                   keep(centre.y(), core.top(), core.bottom(), h))


def _clamped(centre: QPointF, zoom: float, whole: QRectF, viewport: QSizeF) -> QPointF:
    """Keep the view on the graph: no half-empty screen beside its edge."""
    w, h = viewport.width() / zoom / 2, viewport.height() / zoom / 2
    x, y = centre.x(), centre.y()
    if whole.width() > 2 * w:
        x = max(whole.left() + w, min(x, whole.right() - w))
    else:
        x = whole.center().x()
    if whole.height() > 2 * h:
        y = max(whole.top() + h, min(y, whole.bottom() - h))
    else:
        y = whole.center().y()
    return QPointF(x, y)


__all__ = ["View", "view_of", "whole_view", "focus_nodes", "step_nodes", "text_points",
           "updated_node", "first_that_fits",
           "zoom_for_points", "MIN_TEXT_PT", "MAX_TEXT_PT", "COMFORT_TEXT_PT"]
