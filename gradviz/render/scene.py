"""The graph at one step as a QGraphicsScene: nodes, edges and the caption.

The picture is a function of (graph, run, step index): `set_graph` builds the items once
(sizes fixed from the widest texts any step shows, positions from the layout or the
user), `show_step` only changes what they show. The app puts this scene in its canvas;
exports render it without a window.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QToolTip

from ..core import explain
from ..core.evaluation import Evaluation
from ..core.graph import Graph
from ..core.layout import layered_layout
from ..core.notation import full_precision
from ..core.ops import OPS
from .camera import focus_nodes
from .caption_item import CaptionItem
from .edge_item import EdgeItem
from .node_geometry import measure
from .node_item import NodeItem
from .step_look import (
    changed_between,
    looks_at,
    structure_looks,
    texts_ever_shown,
)
from .theme import DEFAULT_THEME, THEMES, Theme
from .typeface import fonts_for

MARGIN = 24.0
SLIDE_ASPECT = 16 / 9
"""The shape a graph is laid out for unless told otherwise: a slide, and most screens."""


class GraphScene(QGraphicsScene):
    """A graph's nodes, edges and caption at one step of its run, for the canvas and exports."""

    nodeClicked = Signal(str)
    nodeDoubleClicked = Signal(str)
    nodeMoved = Signal(str, float, float)

    def __init__(self, theme: Theme | None = None, parent=None):
        super().__init__(parent)
        # No BSP index: exports render everything once, and building the index cost
        # more than that render's item look-ups (hit tests on a canvas are linear then,
        # which stays well under a millisecond for teaching-sized graphs).
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self._theme = theme or THEMES[DEFAULT_THEME]
        self._fonts = fonts_for(self._theme)
        self._graph: Graph | None = None
        self._run: Evaluation | None = None
        self._nodes: dict[str, NodeItem] = {}
        self._edges: dict[tuple[str, str, int], EdgeItem] = {}
        self._caption: CaptionItem | None = None
        self._caption_visible = True
        self._graph_rect = QRectF()  # the nodes and edges (no caption), None: to measure
        self._index = 0
        self._pinned: dict[str, tuple[float, float]] = {}
        self._movable = False
        self._highlight: str | None = None
        self._problems: dict[str, str] = {}
        self._pressed: tuple[str, QPointF] | None = None
        self._drag_at: QPointF | None = None  # where the dragged node was last routed
        self._shown_at: int | None = None  # the step index the items' looks are for
        self._in_edges: dict[str, list[tuple[str, str, int]]] = {}
        self._out_edges: dict[str, list[tuple[str, str, int]]] = {}
        self._placed: dict[str, tuple[float, float]] = {}
        self._aspect = SLIDE_ASPECT
        self.setBackgroundBrush(QColor(self._theme.background))

    # --- building ------------------------------------------------------------------
    def set_graph(self, graph: Graph, evaluation: Evaluation | None,
                  positions: dict[str, tuple[float, float]] | None = None,
                  step: int | None = None) -> None:
        """Draw ``graph`` at ``step`` (default: the last); ``evaluation`` None draws the
        structure only (it cannot run)."""
        # (Pausing the cycle collector and freezing what a build made saved a sixth of
        # the build time at 1,000 nodes, but made later collections crash inside PySide.)
        self._build(graph, evaluation, positions, step)

    def _build(self, graph: Graph, evaluation: Evaluation | None,
               positions: dict[str, tuple[float, float]] | None,
               step: int | None = None) -> None:
        self.clear()
        self._nodes, self._edges, self._highlight = {}, {}, None
        self._graph, self._run = graph, evaluation
        self._shown_at = None  # no look computed yet
        nodes = graph.nodes()  # sorts the graph: once per build
        pinned = {n.id: n.pos for n in nodes if n.pos is not None}
        pinned.update({n: tuple(p) for n, p in (positions or {}).items() if n in graph})
        self._pinned = pinned
        f = self._fonts
        widest = texts_ever_shown(graph, evaluation, nodes)
        geometry = {n.id: measure(n, f, *widest[n.id]) for n in nodes}
        sizes = {n: (g.width, g.height) for n, g in geometry.items()}
        # No room is kept for edge labels: the current edge's label is a plate drawn
        # over the gap (one edge at a time carries one).
        placed = layered_layout(graph, pinned, sizes, aspect=self._aspect)
        self._placed = dict(placed.positions)  # where the layout put each node
        # Items are made with the looks of the step shown first, so none of them has a
        # change to announce; `show_step` below then only adds the caption.
        last = len(evaluation.timeline) if evaluation else 0
        index = last if step is None else max(0, min(step, last))
        node_looks, edge_looks = self._looks(index, None)
        for n in nodes:
            # Placed before its flags are set: no position notifications to Python.
            item = NodeItem(n, geometry[n.id], self._theme, f, movable=self._movable,
                            pos=placed.positions[n.id], look=node_looks[n.id])
            self._nodes[n.id] = item
            self.addItem(item)
        self._in_edges, self._out_edges = {}, {}
        for u, v, k in graph.edges():
            edge = EdgeItem(self._nodes[u], self._nodes[v], k, self._theme, f,
                            placed.routes.get((u, v, k)), edge_looks[(u, v, k)])
            self._edges[(u, v, k)] = edge
            self._in_edges.setdefault(v, []).append((u, v, k))
            self._out_edges.setdefault(u, []).append((u, v, k))
            self.addItem(edge)
        self._graph_rect = None
        width = max(self.graph_rect().width(), f.height(f.caption) * 24)
        self._caption = CaptionItem(self._theme, f, width)
        self.addItem(self._caption)
        for node, message in self._problems.items():
            if node in self._nodes:
                self._nodes[node].set_problem(message)
        self._shown_at = index if evaluation else None
        self.show_step(index)

    def set_target_aspect(self, aspect: float) -> None:
        """The width over height of the window or page the next structure is laid out
        for (a long graph wraps into rows that fit it); what is drawn now stays."""
        self._aspect = aspect

    def update_run(self, graph: Graph, evaluation: Evaluation | None) -> None:
        """The same structure with new values: the items show them in place, nothing is
        laid out again. A box takes the size its new numbers need, as a new build would
        give it, and stays where it is."""
        if self._graph is None or list(graph.nx) != list(self._nodes):
            self._build(graph, evaluation, self._pinned)
            return
        self._graph, self._run = graph, evaluation
        nodes = graph.nodes()
        widest = texts_ever_shown(graph, evaluation, nodes)
        for n in nodes:
            item = self._nodes[n.id]
            item.set_node(n)
            needed = measure(n, self._fonts, *widest[n.id])
            if needed != item.geometry:  # sized for these numbers, as a new build would
                item.set_geometry(needed)
                self.node_moved(n.id)
        self._shown_at = None  # every look may differ: the numbers are new
        self.show_step(self._index)

    def place_node(self, node_id: str, pos: tuple[float, float] | None) -> None:
        """Pin ``node_id`` at ``pos``, or (None) give it back to the layout: it goes back
        where the layout put it when this structure was drawn, and nothing else moves
        (laying out again could move every node, since boxes take the size of their
        numbers and other nodes may have been pinned since)."""
        if node_id not in self._nodes:
            return
        if pos is not None:
            self._pinned[node_id] = (float(pos[0]), float(pos[1]))
            item = self._nodes[node_id]
            if (item.pos().x(), item.pos().y()) != self._pinned[node_id]:
                item.setPos(*self._pinned[node_id])
            return
        self._pinned.pop(node_id, None)
        item, placed = self._nodes[node_id], self._placed[node_id]
        if (item.pos().x(), item.pos().y()) != placed:
            item.setPos(*placed)

    def set_theme(self, theme: Theme) -> None:
        """Redraw in ``theme``; sizes change with the type, so unpinned nodes are laid out again."""
        self._theme, self._fonts = theme, fonts_for(theme)
        self.setBackgroundBrush(QColor(theme.background))
        if self._graph is not None:
            self.set_graph(self._graph, self._run, self._pinned, self._index)

    @property
    def theme(self) -> Theme:
        return self._theme

    # --- the step shown --------------------------------------------------------------
    @property
    def step_index(self) -> int:
        return self._index

    @property
    def step_count(self) -> int:
        """The last step index (0 when the graph cannot run)."""
        return len(self._run.timeline) if self._run else 0

    @property
    def graph(self) -> Graph | None:
        return self._graph

    @property
    def evaluation(self) -> Evaluation | None:
        return self._run

    def show_step(self, index: int) -> None:
        """Show the state after the first ``index`` steps (clamped to the run)."""
        if self._graph is None:
            return
        if self._run is None:
            self._index = 0
            caption = ""
        else:
            self._index = max(0, min(index, len(self._run.timeline)))
            caption = explain.caption(self._run, self._index)
        nodes, edges = self._looks(self._index, self._shown_at)
        if self._run is not None:
            self._shown_at = self._index
        for n, look in nodes.items():
            self._nodes[n].set_look(look)
        for e, look in edges.items():
            self._edges[e].set_look(look)
        self._set_caption(caption)

    def _looks(self, index: int, before: int | None) -> tuple[dict, dict]:
        """The looks at step ``index``: all of them, or with ``before`` (the step the
        items show now) only those the steps in between touch."""
        if self._run is None:
            return structure_looks(self._graph)
        state = self._run.timeline.state(index)
        if before is None:
            return looks_at(self._graph, self._run, state)
        changed = changed_between(self._run, before, index, self._in_edges)
        return looks_at(self._graph, self._run, state, *changed)

    def _set_caption(self, text: str) -> None:
        cap = self._caption
        cap.set_text(text)
        cap.setVisible(bool(text) and self._caption_visible)
        h = cap.boundingRect().height()
        # The caption grows upwards from a fixed line above the graph.
        graph = self.graph_rect()
        cap.setPos(graph.left(), graph.top() - MARGIN * 0.5 - h)

    def caption_text(self) -> str:
        return self._caption.text() if self._caption else ""

    def set_caption_visible(self, visible: bool) -> None:
        """Draw the caption above the graph or not (its text is kept either way): the
        app's explanation panel says the same in larger type."""
        self._caption_visible = visible
        if self._caption is not None:
            self._caption.setVisible(visible and bool(self._caption.text()))

    # --- items and geometry ----------------------------------------------------------
    def node_item(self, node_id: str) -> NodeItem:
        return self._nodes[node_id]

    def edge_item(self, source: str, target: str, port: int) -> EdgeItem:
        return self._edges[(source, target, port)]

    def node_items(self) -> list[NodeItem]:
        return list(self._nodes.values())

    def edge_items(self) -> list[EdgeItem]:
        return list(self._edges.values())

    def positions(self) -> dict[str, tuple[float, float]]:
        return {n: (i.pos().x(), i.pos().y()) for n, i in self._nodes.items()}

    def content_rect(self) -> QRectF:
        """Everything drawn, plus a margin: what exports render."""
        return self.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)

    def graph_rect(self) -> QRectF:
        """The nodes and edges without the caption, measured once per structure and again
        only after a node moved or changed size (a view asks for it at every fit, every
        camera move and for the overview; 10,000 items take ~40 ms to measure)."""
        if self._graph_rect is None:
            rect = QRectF()
            for item in self._nodes.values():
                rect = rect.united(item.sceneBoundingRect())
            for item in self._edges.values():
                rect = rect.united(item.sceneBoundingRect())
            self._graph_rect = rect
        return QRectF(self._graph_rect)

    def focus_rect(self, index: int | None = None) -> QRectF:
        """The scene rectangle of step ``index``'s nodes and their direct neighbours
        (default: the step shown), what a camera keeps in view (see `camera`)."""
        if self._graph is None:
            return QRectF()
        step = self._index if index is None else index
        rect = QRectF()
        for n in focus_nodes(self._graph, self._run, step):
            item = self._nodes.get(n)
            if item is not None:
                rect = rect.united(item.sceneBoundingRect())
        return rect

    def texts(self) -> list[str]:
        """Every text the picture shows now: node texts, edge labels, the caption."""
        out = [t for item in self._nodes.values() for t in item.texts()]
        out += [e.look.label for e in self._edges.values() if e.look.label]
        return out + ([self.caption_text()] if self.caption_text() else [])

    # --- interaction ---------------------------------------------------------------
    def set_nodes_movable(self, movable: bool) -> None:
        self._movable = movable
        for item in self._nodes.values():
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, movable)

    def taken_ports(self, node_id: str) -> set[int]:
        """The input ports of ``node_id`` that an edge comes into."""
        return {k for _, _, k in self._in_edges.get(node_id, ())}

    def set_ports_shown(self, shown: bool) -> None:
        """Draw every operation's input ports (while a wire is dragged), or stop."""
        for item in self._nodes.values():
            item.set_ports_shown(shown)

    def edges_of(self, node_id: str) -> list[EdgeItem]:
        keys = self._in_edges.get(node_id, []) + self._out_edges.get(node_id, [])
        return [self._edges[k] for k in keys]

    def node_moved(self, node_id: str) -> None:
        """Re-route ``node_id``'s edges (called by the item while it is dragged)."""
        self._graph_rect = None
        for edge in self.edges_of(node_id):
            edge.drop_waypoints()  # they were routed for the old place
            edge.adjust()

    def set_highlight(self, node_id: str | None) -> None:
        """Make the edges of ``node_id`` stand out (hover); None clears it."""
        if self._highlight in self._nodes:
            for e in self.edges_of(self._highlight):
                e.set_highlighted(False)
        self._highlight = node_id if node_id in self._nodes else None
        if self._highlight:
            for e in self.edges_of(self._highlight):
                e.set_highlighted(True)

    def set_problem_nodes(self, problems: dict[str, str]) -> None:
        """Mark nodes that keep the graph from running; the message becomes their tooltip."""
        self._problems = dict(problems)
        for n, item in self._nodes.items():
            item.set_problem(self._problems.get(n))

    def tooltip_for(self, node_id: str) -> str:
        """The node's numbers at full precision, and how its gradient adds up."""
        node = self._graph.node(node_id)
        kind = OPS[node.op].title if node.kind == "op" else node.kind.replace("const", "constant")
        lines = [f"{node.label}  ({kind})"]
        if node_id in self._problems:
            lines.append(self._problems[node_id])
        look = self._nodes[node_id].look
        if self._run is not None:
            state = self._run.timeline.state(self._index)
            if node_id in state.values:
                lines.append(f"value = {full_precision(state.values[node_id])}")
            if node_id in state.grads:
                lines.append(f"grad = {full_precision(state.grads[node_id])}")
            if self._index == len(self._run.timeline) and node.kind != "const":
                lines.append(explain.gradient_expansion(self._run, node_id))
        elif look.value_known:
            lines.append(f"value = {full_precision(node.value)}")
        return "\n".join(lines)

    def _node_at(self, pos: QPointF) -> NodeItem | None:
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                return item
        return None

    def helpEvent(self, event) -> None:
        item = self._node_at(event.scenePos())
        if item is None:
            QToolTip.hideText()
            return
        QToolTip.showText(event.screenPos(), self.tooltip_for(item.node_id), event.widget())
        event.setAccepted(True)

    def mousePressEvent(self, event) -> None:
        super().mousePressEvent(event)
        # The node pressed is the one Qt will drag: where two nodes' margins overlap,
        # Qt's choice and the exact point's could differ.
        grabbed = self.mouseGrabberItem()
        item = grabbed if isinstance(grabbed, NodeItem) else self._node_at(event.scenePos())
        self._pressed = (item.node_id, item.pos()) if item else None
        self._drag_at = item.pos() if item else None

    def mouseMoveEvent(self, event) -> None:
        super().mouseMoveEvent(event)  # Qt drags a movable node here
        if self._pressed is not None:
            item = self._nodes.get(self._pressed[0])
            if item is not None and item.pos() != self._drag_at:
                self._drag_at = item.pos()
                self.node_moved(item.node_id)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        pressed, self._pressed = self._pressed, None
        if pressed is None:
            return
        node, before = pressed
        item = self._nodes.get(node)
        if item is None:
            return
        if item.pos() != before:
            self._pinned[node] = (item.pos().x(), item.pos().y())
            self.nodeMoved.emit(node, item.pos().x(), item.pos().y())
        else:
            self.nodeClicked.emit(node)

    def mouseDoubleClickEvent(self, event) -> None:
        item = self._node_at(event.scenePos())
        if item is not None:
            self.nodeDoubleClicked.emit(item.node_id)
        super().mouseDoubleClickEvent(event)

