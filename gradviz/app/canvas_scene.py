"""The render layer's graph scene as the app shows it: following the open document.

The scene subscribes to the `Document` (as Orange canvas-core's scene follows its
scheme): a new structure is drawn and laid out once, new values are written into the
items in place, a moved node moves, the selection is drawn on its nodes. The step is
the player's to show, since it animates the way there. The caption stays hidden: in the
window the explanation panel under the canvas says what the step does, in larger type
than a caption scaled with the graph (exports keep the caption; they use a scene of
their own). Only public items of the render layer are touched here.
"""
from __future__ import annotations

from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QGraphicsScene

from ..render.scene import MARGIN, BuildCancelled, GraphScene
from .document import OPENED, TYPED, Document
from .opening import keep_going

CANVAS_ASPECT = 2.2
"""The shape a long graph is wrapped for on the canvas: a 16:9 screen in presentation
mode, less the explanation under the canvas (1280x720 leaves about 1280x580). The
window's own shape is not followed: a graph re-flowing whenever a panel grows or the
window is resized would lose the lecturer's place; exports wrap for their 16:9 pages."""


SPREAD_LIMIT = 40.0
"""When the edges' bounding boxes together cover more than this many times the graph's
area (a wide fan-out: thousands of long edges across the whole graph), the scene is not
indexed: Qt's BSP index of such items took minutes to build (each long edge lies in
most of its cells) and would save nothing, every edge being in sight everywhere."""
SPREAD_SAMPLE = 5_000
"""Past this many edges the area they cover is estimated from this many, evenly spread
(measuring all 150,000 edges of a 50,000-way fan-out took a third of a second)."""


class CanvasScene(GraphScene):
    """A `GraphScene` drawing ``document``; its content is the graph alone."""

    relaidOut = Signal(str, bool)
    """A new structure was drawn: its origin (see `document`) and whether nodes that
    were there before moved (a new shape the view may want to fit; always, for a
    document opened)."""

    def __init__(self, document: Document, theme=None, parent=None) -> None:
        super().__init__(theme, parent)
        # Indexed (unlike an export's scene, which draws everything once): a canvas
        # showing part of a big graph then paints, and hit-tests, only what is in sight.
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.set_target_aspect(CANVAS_ASPECT)
        self.document = document
        self.set_caption_visible(False)
        self.set_nodes_movable(True)
        document.structureChanged.connect(self._on_structure)
        document.valuesChanged.connect(self._on_values)
        document.nodeMoved.connect(self._on_node_moved)
        document.selectionChanged.connect(self._show_selection)
        document.collapsedChanged.connect(self._on_collapsed)
        document.modeChanged.connect(self._on_mode)
        document.passChanged.connect(self._on_mode)
        self.groupDoubleClicked.connect(document.toggle_group)
        self._draw()

    def _draw(self) -> None:
        d = self.document
        # A graph that ran has no problems to mark (evaluating it validated it).
        self.set_problem_nodes(d.problem_nodes() if d.evaluation is None else {})
        self.set_collapsed(d.collapsed, redraw=False)
        self._follow_mode(redraw=False)
        # Not indexed while the items are made: Qt would keep its index up to date at
        # every paint in between, which a build with progress lets happen.
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        try:
            self.set_graph(d.graph, d.evaluation, step=d.step)
        except BuildCancelled:
            return  # the opener puts the document back
        self._choose_index()
        self._show_selection()

    def _on_collapsed(self) -> None:
        """Groups collapsed or opened: a new layout, at the same step, fitted anew."""
        self.set_collapsed(self.document.collapsed)
        self._choose_index()
        self._show_selection()
        self.relaidOut.emit(TYPED, True)

    def _on_structure(self, origin: str) -> None:
        if origin == OPENED:  # another document: nothing to compare with
            self._draw()
            self.relaidOut.emit(origin, True)  # (the view fitted first: then it turns)
            keep_going()
            return
        before = self.positions()
        self._draw()
        now = self.positions()
        common = before.keys() & now.keys()
        moved = any(abs(before[n][0] - now[n][0]) > 0.5 or abs(before[n][1] - now[n][1]) > 0.5
                    for n in common) or (not common and bool(before) and bool(now))
        self.relaidOut.emit(origin, moved)

    def _follow_mode(self, redraw: bool) -> None:
        """Draw the document's mode: in forward mode its pass shown."""
        d = self.document
        forward = d.forward_run if d.mode == "forward" else None
        self.set_forward(forward, d.forward_pass, redraw=redraw)

    def _on_mode(self, *_) -> None:
        """Another mode or pass: boxes sized for its numbers, from its start."""
        self._follow_mode(redraw=True)
        self._show_selection()
        self.relaidOut.emit(TYPED, True)

    def _on_values(self) -> None:
        d = self.document
        self._follow_mode(redraw=False)
        self.update_run(d.graph, d.evaluation)  # at the step shown
        if d.step != self.step_index:
            self.show_step(d.step)

    def _on_node_moved(self, node_id: str) -> None:
        if node_id in self.document.graph:
            self.place_node(node_id, self.document.graph.node(node_id).pos)

    def _show_selection(self) -> None:
        chosen = set(self.document.selection)
        for item in self.node_items():
            if item.selected_look or item.node_id in chosen:  # (most are neither)
                item.set_selected_look(item.node_id in chosen)

    def _choose_index(self) -> None:
        """Indexed unless the edges spread over the whole graph (see `SPREAD_LIMIT`)."""
        rect = self.graph_rect()
        edges = self.edge_items()
        every = max(1, len(edges) // SPREAD_SAMPLE)  # each edge measured stands for these
        limit = SPREAD_LIMIT * rect.width() * rect.height() / every
        covered, spread = 0.0, False
        for e in edges[::every]:
            r = e.boundingRect()
            covered += r.width() * r.height()
            if covered > limit:  # as soon as it is known (the rest is not measured)
                spread = True
                break
        method = QGraphicsScene.ItemIndexMethod.NoIndex if spread else \
            QGraphicsScene.ItemIndexMethod.BspTreeIndex
        if method != self.itemIndexMethod():
            self.setItemIndexMethod(method)

    def content_rect(self) -> QRectF:
        """The graph without the caption (the explanation panel says it), plus a margin."""
        return self.graph_rect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
