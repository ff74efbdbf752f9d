"""The graph at one step as a QGraphicsScene: nodes, edges and the caption.

The picture is a function of (graph, run, step index): `set_graph` builds the items once
(sizes fixed from the widest texts any step shows, positions from the layout or the
user), `show_step` only changes what they show. The app puts this scene in its canvas;
exports render it without a window.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QToolTip

from ..core import explain
from ..core.evaluation import Evaluation
from ..core.graph import Graph
from ..core.layout import GAP_Y, layered_layout
from ..core.notation import full_precision
from ..core.ops import OPS
from .camera import focus_nodes
from .caption_item import CaptionItem
from .collapse import BoxLook, CollapsedView, box_look, derivative_texts, wire_look
from .edge_item import EdgeItem
from .group_item import GroupFrame, GroupItem, measure_box
from .group_outline import BoxIndex, Outline, group_outline
from .node_geometry import measure
from .node_item import NodeItem
from .plain_text import plain_tooltip
from .step_look import (
    changed_between,
    looks_at,
    structure_looks,
    texts_ever_shown,
)
from .theme import DEFAULT_THEME, THEMES, Theme
from .typeface import fonts_for

MARGIN = 24.0
MAX_FRAMES = 200
"""Open groups framed at most (each frame is checked against every node drawn)."""
SLIDE_ASPECT = 16 / 9
"""The shape a graph is laid out for unless told otherwise: a slide, and most screens."""


PROGRESS_EVERY = 500
"""Nodes or edges dealt with between two reports of a build's progress (about 0.05 s)."""

T = TypeVar("T")


class BuildCancelled(Exception):
    """Raised by a build's progress to stop the build (the scene is then incomplete:
    the caller draws something else)."""


class BuildProgress(Protocol):
    """What a scene's build reports to, and hands its long computations to (the app's
    progress dialog); either may raise `BuildCancelled`."""

    def report(self, stage: str, done: float) -> None:
        """The build is at ``stage``, ``done`` of the way (0 to 1)."""

    def compute(self, stage: str, work: Callable[[Callable[[float], None]], T]) -> T:
        """``work(progress)``'s result: a computation that touches no Qt object (it may
        run in another thread), reporting how far it is (0 to 1) to ``progress``."""


class GraphScene(QGraphicsScene):
    """A graph's nodes, edges and caption at one step of its run, for the canvas and exports."""

    nodeClicked = Signal(str)
    nodeDoubleClicked = Signal(str)
    nodeMoved = Signal(str, float, float)
    groupDoubleClicked = Signal(str)
    """A collapsed group's box was double-clicked (the app expands it)."""

    def __init__(self, theme: Theme | None = None, parent=None):
        super().__init__(parent)
        # No BSP index: exports render everything once, and building the index cost
        # more than that render's item look-ups (hit tests on a canvas are linear then,
        # which stays well under a millisecond for teaching-sized graphs).
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self._theme = theme or THEMES[DEFAULT_THEME]
        self.build_progress: BuildProgress | None = None
        """What a build reports to as it goes, and hands its layout to; None (the
        default): builds report nothing and compute everything here."""
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
        self._in_edges: dict[str, tuple[tuple[str, str, int], ...]] = {}
        self._out_edges: dict[str, tuple[tuple[str, str, int], ...]] = {}
        self._placed: dict[str, tuple[float, float]] = {}
        self._aspect = SLIDE_ASPECT
        self._collapsed: tuple[str, ...] = ()  # group ids drawn as one box each
        self._view: CollapsedView | None = None  # what is drawn, when groups are collapsed
        self._boxes: dict[str, GroupItem] = {}
        self._frames: dict[str, GroupFrame] = {}  # open groups' frames
        self._tabs_placed: list[QRectF] = []  # the frames' name tabs, kept apart
        self._box_index = BoxIndex({})  # the boxes the frames keep clear of (moved on drag)
        # the nodes each frame is around, and how many levels of groups are inside it
        self._framed: dict[str, tuple[tuple[str, ...], int]] = {}
        self._derivatives: dict[str, list[str]] = {}  # each box's, as its inputs show them
        self._graph_ids: list[str] = []  # the graph's nodes when it was drawn
        self._noted: set[str] = set()  # nodes showing a note beside their box now
        self._forward = None  # a core.forward.ForwardRun when forward mode is drawn
        self._pass = 0  # the forward-mode pass drawn (0-based)
        self._revision = 0  # counts the builds and the nodes moved or resized
        self._building = False
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
        self._building = True
        self._revision += 1
        try:
            self._make_items(graph, evaluation, positions, step)
        finally:
            self._building = False
            self._revision += 1

    @property
    def building(self) -> bool:
        """Whether the items are being made now (a build that reports its progress
        lets the event loop turn meanwhile: a view then has half a picture to show)."""
        return self._building

    def _make_items(self, graph: Graph, evaluation: Evaluation | None,
                    positions: dict[str, tuple[float, float]] | None,
                    step: int | None) -> None:
        self.clear()
        self._nodes, self._edges, self._boxes, self._highlight = {}, {}, {}, None
        self._frames, self._framed, self._noted = {}, {}, set()
        self._graph, self._run = graph, evaluation
        self._graph_ids = list(graph.nx)
        self._shown_at = None  # no look computed yet
        forward = self.forward_pass
        view = CollapsedView(graph, self._collapsed) if self._collapsed else None
        self._view = view if view is not None and view.active else None
        self._tick("measuring", 0.0)
        if forward is None:
            def texts(progress):  # the nodes sorted (once per build), their widest texts
                nodes = graph.nodes()
                return nodes, texts_ever_shown(graph, evaluation, nodes)

            nodes, widest = self._compute("measuring", 0.0, 0.02, texts)
        else:  # (forward mode's modules are read when it is first drawn: not at start-up)
            from . import forward_look

            nodes = graph.nodes()
            widest = forward_look.texts_ever_shown(graph, self._forward, self._pass)
        pinned = {n.id: n.pos for n in nodes if n.pos is not None}
        pinned.update({n: tuple(p) for n, p in (positions or {}).items() if n in graph})
        self._pinned = pinned
        f = self._fonts
        if self._view is not None:
            nodes = [n for n in nodes if n.id not in self._view.box_of]
        geometry = {}
        for i, n in enumerate(nodes):
            if i % PROGRESS_EVERY == 0:
                self._tick("measuring", 0.02 + 0.03 * i / len(nodes))
            geometry[n.id] = measure(n, f, *widest[n.id])
        sizes = {n: (g.width, g.height) for n, g in geometry.items()}
        boxes = self._measure_boxes(widest) if self._view is not None else {}
        sizes.update({b: (g.width, g.height) for b, g in boxes.items()})
        # No room is kept for edge labels: the current edge's label is a plate drawn
        # over the gap (one edge at a time carries one).
        laid = self._view.layout_graph if self._view is not None else graph
        aspect = self._aspect
        placed = self._compute("laying out", 0.05, 0.6, lambda progress: layered_layout(
            laid, pinned, sizes, aspect=aspect, progress=progress))
        self._placed = dict(placed.positions)  # where the layout put each node
        # Items are made with the looks of the step shown first, so none of them has a
        # change to announce; `show_step` below then only adds the caption.
        last = self.step_count
        index = last if step is None else max(0, min(step, last))
        node_looks, edge_looks = self._compute("drawing the nodes", 0.6, 0.6,
                                               lambda progress: self._looks(index, None))
        tick = self._tick
        for i, n in enumerate(nodes):
            if i % PROGRESS_EVERY == 0:
                tick("drawing the nodes", 0.6 + 0.15 * i / len(nodes))
            # Placed before its flags are set: no position notifications to Python.
            item = NodeItem(n, geometry[n.id], self._theme, f, movable=self._movable,
                            pos=placed.positions[n.id], look=node_looks[n.id])
            self._nodes[n.id] = item
            self.addItem(item)
        for gid, g in boxes.items():
            box = self._view.boxes[gid]
            item = GroupItem(gid, box.name, len(box.members), g, self._theme, f,
                             self._box_look(gid, index, node_looks), placed.positions[gid])
            self._boxes[gid] = item
            self.addItem(item)
        into: dict[str, list[tuple[str, str, int]]] = {}
        out_of: dict[str, list[tuple[str, str, int]]] = {}
        wires = graph.edges() if self._view is None else list(self._view.members_of)
        for i, wire in enumerate(wires):
            if i % PROGRESS_EVERY == 0:
                tick("drawing the edges", 0.75 + 0.25 * i / len(wires))
            u, v, k = wire
            look = edge_looks[wire] if self._view is None else self._wire_look(wire, edge_looks)
            edge = EdgeItem(self._item(u), self._item(v), k, self._theme, f,
                            placed.routes.get(wire), look,
                            source_port=self._view.source_port[wire] if self._view else 0)
            self._edges[wire] = edge
            into.setdefault(v, []).append(wire)
            out_of.setdefault(u, []).append(wire)
            self.addItem(edge)
        # Kept as tuples: Python's cycle collector stops tracking a tuple of strings and
        # numbers, so these cost no time in its passes (lists would, two per node).
        self._in_edges = {v: tuple(w) for v, w in into.items()}
        self._out_edges = {u: tuple(w) for u, w in out_of.items()}
        for item in self._nodes.values():
            if item.look.note:
                item.place_note()
        self._add_frames(graph)
        self._graph_rect = self._measured_rect()
        width = max(self.graph_rect().width(), f.height(f.caption) * 24)
        self._caption = CaptionItem(self._theme, f, width)
        self.addItem(self._caption)
        for node, message in self._problems.items():
            if node in self._nodes:
                self._nodes[node].set_problem(message)
        self._shown_at = index if evaluation else None
        self.show_step(index)

    # --- forward mode ---------------------------------------------------------------
    def set_forward(self, run, k: int = 0, redraw: bool = True) -> None:
        """Draw forward mode: pass ``k`` (0-based) of ``run`` (a `core.forward.ForwardRun`
        of the graph drawn), each node showing its dual number; None draws reverse mode.
        Boxes are sized anew for the dual numbers (``redraw`` False: from the next
        `set_graph` on), from the pass's start."""
        if run is self._forward and k == self._pass:
            return
        self._forward, self._pass = run, k
        if redraw and self._graph is not None:
            self._build(self._graph, self._run, self._pinned, 0)

    @property
    def forward_pass(self):
        """The forward-mode pass drawn (`core.forward.ForwardPass`), or None."""
        if self._forward is None or self._run is None:
            return None
        return self._forward.pass_or_problem(self._pass)[0]

    def _tick(self, stage: str, done: float) -> None:
        if self.build_progress is None:
            return
        try:
            self.build_progress.report(stage, done)
        except BuildCancelled:
            self._cancelled()
            raise

    def _compute(self, stage: str, start: float, end: float,
                 work: Callable[[Callable[[float], None]], T]) -> T:
        """``work(progress)``, handed to `build_progress` (``start`` to ``end`` of the
        build), else run here."""
        if self.build_progress is None:
            return work(lambda done: None)
        try:
            return self.build_progress.compute(
                stage, lambda progress: work(lambda done: progress(start + (end - start) * done)))
        except BuildCancelled:
            self._cancelled()
            raise

    def _cancelled(self) -> None:
        # Incomplete: steps shown meanwhile change nothing until the next build.
        self._graph = self._run = None

    # --- collapsed groups ------------------------------------------------------------
    def set_collapsed(self, group_ids, redraw: bool = True) -> None:
        """Draw these groups as one box each (the others as their nodes), laid out anew
        (``redraw`` False: from the next `set_graph` on). View state: no node and no
        number changes."""
        ids = tuple(group_ids)
        if ids == self._collapsed:
            return
        self._collapsed = ids
        if redraw and self._graph is not None:
            self._build(self._graph, self._run, self._pinned, self._index)

    @property
    def collapsed(self) -> tuple[str, ...]:
        """The collapsed groups that are drawn as boxes now."""
        return tuple(self._boxes)

    def group_item(self, group_id: str) -> GroupItem:
        return self._boxes[group_id]

    def group_items(self) -> list[GroupItem]:
        return list(self._boxes.values())

    def skipped_steps(self) -> set[int]:
        """Step indices a player passes over: inside a collapsed group, a run of steps
        is one stop (at its last step), in either mode."""
        timeline = self.timeline
        if self._view is None or timeline is None:
            return set()
        return self._view.skipped(timeline.steps)

    def _add_frames(self, graph: Graph) -> None:
        """An outline around each open group whose nodes are all drawn (one inside a
        collapsed group is hidden with it), following its nodes and never taking in a
        node of another group (see group_outline); where no such outline exists (a
        node dragged into the group's run) there is none, and the group still
        collapses from the View menu. Past `MAX_FRAMES` groups none are framed."""
        groups = graph.groups()
        if not groups or len(groups) > MAX_FRAMES:
            return
        below = _levels_below(groups)
        self._tabs_placed = []
        self._box_index = BoxIndex({**{n: i.mapRectToScene(i.geometry.rect)
                                       for n, i in self._nodes.items()},
                                    **{b: i.mapRectToScene(i.geometry.rect)
                                       for b, i in self._boxes.items()}})
        for group in groups:
            members = set(group.nodes)
            if not members or not members.issubset(self._nodes):
                continue
            outline = self._frame_outline(group.id, group.nodes, below[group.id])
            if outline is None:
                continue
            depth = len(graph.group_path(group.nodes[0])) if group.parent else 0
            frame = GroupFrame(group.id, group.name, outline, self._theme, self._fonts, depth)
            self._frames[group.id] = frame
            self._framed[group.id] = (group.nodes, below[group.id])
            self._tabs_placed.extend(outline.tabs)
            self.addItem(frame)

    def _frame_outline(self, group_id: str, members, levels_below: int) -> Outline | None:
        """The outline around ``members``, wider by a step for each level of groups
        nested in it, so that a layer's outline stays clear of its neurons'."""
        boxes = [self._nodes[n].mapRectToScene(self._nodes[n].geometry.rect) for n in members]
        inside = set(members)
        f = self._fonts
        step = f.height(f.key) * 0.6
        tab_height = f.height(f.key) * 1.3
        tab = QSizeF(f.width(f.key, self._graph.group(group_id).name) + tab_height, tab_height)
        index = self._box_index
        return group_outline(boxes, lambda rect: index.covers(rect, inside),
                             pad=step * (1 + levels_below), join=GAP_Y * 2, tab=tab,
                             taken=lambda rect: index.covers(rect) or any(
                                 rect.intersects(t) for t in self._tabs_placed))

    def boxes_covering(self, rect: QRectF, besides=()) -> int:
        """How many node and group boxes (not their margins) ``rect`` overlaps, leaving
        out the ids in ``besides``: where a label, a note or a frame would hide them."""
        # Bounding rectangles, not shapes: asking every edge there for its stroked
        # shape is what made this slow, and the boxes are tested exactly below.
        found = self.items(rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect)
        return sum(1 for item in found if isinstance(item, NodeItem | GroupItem)
                   and item.node_id not in besides
                   and item.mapRectToScene(item.geometry.rect).intersects(rect))

    def group_frames(self) -> list[GroupFrame]:
        return list(self._frames.values())

    def _item(self, drawn_id: str):
        return self._nodes.get(drawn_id) or self._boxes[drawn_id]

    def _measure_boxes(self, widest: dict[str, tuple[str, str]]) -> dict:
        """Each box's size, and (kept for the steps) its net derivatives as text: those
        the backward pass shows (forward mode has no backward pass, so none)."""
        from ..core.groups import net_derivatives

        view, graph, run = self._view, self._graph, self._run
        backward = run is not None and self._forward is None
        self._derivatives = {}
        out = {}
        for gid, box in view.boxes.items():
            derivatives = net_derivatives(run, gid) if backward else {}
            self._derivatives[gid] = texts = derivative_texts(graph, box, derivatives)
            out[gid] = measure_box(
                self._fonts, f"{box.name}  ({len(box.members)} nodes)",
                [graph.node(i).label for i in box.inputs], texts,
                [graph.node(o).label for o in box.outputs],
                [widest[o][0] for o in box.outputs], [widest[o][1] for o in box.outputs])
        return out

    def _box_look(self, gid: str, index: int, node_looks: dict) -> BoxLook:
        """What box ``gid`` shows at step ``index``, from its outputs' looks."""
        timeline = self.timeline
        current = timeline.steps[index - 1] if timeline is not None and index > 0 else None
        return box_look(self._view, gid, self._graph, current, node_looks,
                        self._derivatives[gid])

    def _wire_look(self, wire, edge_looks: dict):
        return wire_look([edge_looks[e] for e in self._view.members_of[wire]])

    def set_target_aspect(self, aspect: float) -> None:
        """The width over height of the window or page the graph is laid out for (a
        long graph wraps into rows that fit it), from the next structure on."""
        self._aspect = aspect

    def update_run(self, graph: Graph, evaluation: Evaluation | None) -> None:
        """The same structure with new values: the items show them in place, nothing is
        laid out again. A box keeps its size unless a new number no longer fits: then
        that box alone grows, where it is (a new structure sizes them all anew)."""
        if self._graph is None or list(graph.nx) != self._graph_ids or self._view is not None \
                or self._forward is not None:  # (forward mode: sized for its dual numbers)
            # (A collapsed group's net derivatives and sizes follow the numbers: anew.)
            self._build(graph, evaluation, self._pinned, self._index)
            return
        self._graph, self._run = graph, evaluation
        nodes = [graph.node(n) for n in self._graph_ids]  # any order: no sort needed
        widest = texts_ever_shown(graph, evaluation, nodes)
        for n in nodes:
            item = self._nodes[n.id]
            item.set_node(n)
            needed = measure(n, self._fonts, *widest[n.id])
            if needed.width > item.geometry.width or needed.height > item.geometry.height:
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
    def timeline(self):
        """What the steps shown are steps of: the run's `Timeline`, or in forward mode
        the pass drawn (a `core.forward.ForwardPass`, with the same ``steps`` and
        ``last``); None when there is nothing to step (the graph cannot run, or forward
        mode has no pass)."""
        if self._run is None:
            return None
        return self._run.timeline if self._forward is None else self.forward_pass

    @property
    def step_count(self) -> int:
        """The last step index (0 when the graph cannot run)."""
        timeline = self.timeline
        return timeline.last if timeline is not None else 0

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
        timeline = self.timeline
        self._index = max(0, min(index, timeline.last)) if timeline is not None else 0
        if timeline is None:
            caption = ""
        elif self._forward is not None:
            from ..core.forward_explain import caption as forward_caption

            collapsed = self._view.collapsed if self._view is not None else ()
            caption = forward_caption(self._forward, self._pass, self._index, self._run,
                                      collapsed)
        else:
            caption = explain.caption(self._run, self._index, collapsed=self._view.collapsed
                                      if self._view is not None else ())
        if self._view is not None:
            self._show_collapsed()
            self._set_caption(caption)
            return
        nodes, edges = self._looks(self._index, self._shown_at)
        if self._run is not None:
            self._shown_at = self._index
        for n, look in nodes.items():
            self._nodes[n].set_look(look)
            if look.note:
                self._noted.add(n)
            else:
                self._noted.discard(n)
        for e, look in edges.items():
            self._edges[e].set_look(look)
        self._set_caption(caption)

    def _show_collapsed(self) -> None:
        """Every look at the step shown, with groups collapsed: the nodes drawn, the
        boxes from their outputs, each wire as the loudest of the edges it stands for
        (a few boxes and their wires: no need to work out what changed)."""
        nodes, edges = self._looks(self._index, None)
        self._noted = set()
        for n, item in self._nodes.items():
            item.set_look(nodes[n])
            if nodes[n].note:
                self._noted.add(n)
        for gid, item in self._boxes.items():
            item.set_look(self._box_look(gid, self._index, nodes))
        for wire, item in self._edges.items():
            item.set_look(self._wire_look(wire, edges))

    def _looks(self, index: int, before: int | None) -> tuple[dict, dict]:
        """The looks at step ``index``: all of them, or with ``before`` (the step the
        items show now) only those the steps in between touch."""
        forward = self.forward_pass
        if forward is not None:
            from . import forward_look

            return forward_look.looks_at(self._graph, forward, index)
        if self._run is None or self._forward is not None:
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
        """The item drawing the graph's edge (with groups collapsed, the wire it is part
        of; KeyError inside a box)."""
        key = (source, target, port)
        if self._view is not None:
            key = self._view.drawn_of[key]
        return self._edges[key]

    def node_items(self) -> list[NodeItem]:
        return list(self._nodes.values())

    @property
    def node_count(self) -> int:
        """How many nodes are drawn (a collapsed group's are not)."""
        return len(self._nodes)

    @property
    def revision(self) -> int:
        """A number that changes whenever the items are made anew or a node moves or
        grows: a picture drawn from the items (a `sketch.Sketch`) is out of date."""
        return self._revision

    def edge_items(self) -> list[EdgeItem]:
        return list(self._edges.values())

    def positions(self) -> dict[str, tuple[float, float]]:
        return {n: (i.pos().x(), i.pos().y()) for n, i in self._nodes.items()}

    def content_rect(self) -> QRectF:
        """Everything drawn, plus a margin: what exports render."""
        return self.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)

    def _measured_rect(self) -> QRectF:
        """What `graph_rect` measures, reporting as it goes (a build's last stage)."""
        rect = QRectF()
        items = [*self._nodes.values(), *self._boxes.values(), *self._frames.values(),
                 *self._edges.values()]
        for i, item in enumerate(items):
            if self._building and i % (PROGRESS_EVERY * 4) == 0:
                self._tick("measuring the picture", 0.99)
            rect = rect.united(item.sceneBoundingRect())
        return rect

    def graph_rect(self) -> QRectF:
        """The nodes and edges without the caption, measured once per structure and again
        only after a node moved or changed size (a view asks for it at every fit, every
        camera move and for the overview; 10,000 items take ~40 ms to measure)."""
        if self._graph_rect is None:
            self._graph_rect = self._measured_rect()
        rect = QRectF(self._graph_rect)
        for n in self._noted:  # a note drawn now may reach past the nodes
            rect = rect.united(self._nodes[n].sceneBoundingRect())
        return rect

    def focus_rect(self, index: int | None = None) -> QRectF:
        """The scene rectangle of step ``index``'s nodes and their direct neighbours
        (default: the step shown), what a camera keeps in view (see `camera`)."""
        if self._graph is None:
            return QRectF()
        step = self._index if index is None else index
        forward = self.forward_pass
        if forward is not None:
            from .forward_look import step_nodes

            return self.drawn_rect(step_nodes(forward, step))
        return self.drawn_rect(focus_nodes(self._graph, self._run, step))

    def drawn_rect(self, node_ids) -> QRectF:
        """Where these nodes of the graph are drawn: each one's own item, or the box of
        the collapsed group it is inside (ids the graph has not are left out)."""
        rect = QRectF()
        box_of = self._view.box_of if self._view is not None else {}
        for n in node_ids:
            item = self._nodes.get(n) or self._boxes.get(box_of.get(n))
            if item is not None:
                rect = rect.united(item.sceneBoundingRect())
        return rect

    def texts(self) -> list[str]:
        """Every text the picture shows now: node texts, edge labels, the caption."""
        out = [t for item in self._nodes.values() for t in item.texts()]
        out += [t for item in self._boxes.values() for t in item.texts()]
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
        keys = self._in_edges.get(node_id, ()) + self._out_edges.get(node_id, ())
        return [self._edges[k] for k in keys]

    def node_moved(self, node_id: str) -> None:
        """Re-route ``node_id``'s edges (called by the item while it is dragged)."""
        self._graph_rect = None
        self._revision += 1
        if self._frames and self._graph is not None and node_id in self._graph:
            item = self._nodes[node_id]
            self._box_index.move(node_id, item.mapRectToScene(item.geometry.rect))
            for gid in self._graph.group_path(node_id):
                frame = self._frames.get(gid)
                if frame is not None:
                    own = frame.tab_rects()
                    self._tabs_placed = [t for t in self._tabs_placed if t not in own]
                    outline = self._frame_outline(gid, *self._framed[gid])
                    if outline is not None:
                        frame.set_outline(outline)
                    self._tabs_placed.extend(frame.tab_rects())
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
        if node_id in self._boxes:
            return self._boxes[node_id].tip
        node = self._graph.node(node_id)
        kind = OPS[node.op].title if node.kind == "op" else node.kind.replace("const", "constant")
        lines = [f"{node.label}  ({kind})"]
        if node_id in self._problems:
            lines.append(self._problems[node_id])
        look = self._nodes[node_id].look
        forward = self.forward_pass
        if forward is not None:
            state = forward.state(self._index)
            if node_id in state.values:
                lines.append(f"value = {full_precision(state.values[node_id])}")
                lines.append(f"tangent = {full_precision(state.tangents[node_id])}  "
                             f"(∂{node.label}/∂{forward.seed_label})")
        elif self._run is not None:
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
        item = self._node_at(event.scenePos()) or next(
            (i for i in self.items(event.scenePos()) if isinstance(i, GroupItem)), None)
        if item is None:
            QToolTip.hideText()
            return
        QToolTip.showText(event.screenPos(), plain_tooltip(self.tooltip_for(item.node_id)),
                          event.widget())
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
        for found in self.items(event.scenePos()):
            if isinstance(found, GroupItem | GroupFrame):
                self.groupDoubleClicked.emit(found.group_id)
                event.accept()
                return
            if isinstance(found, NodeItem):
                break
        item = self._node_at(event.scenePos())
        if item is not None:
            self.nodeDoubleClicked.emit(item.node_id)
        super().mouseDoubleClickEvent(event)



def _levels_below(groups) -> dict[str, int]:
    """For each group, how deep the groups nested inside it go (0: none)."""
    below = {g.id: 0 for g in groups}
    for g in reversed(groups):  # each group comes after its parent: children first here
        if g.parent is not None:
            below[g.parent] = max(below[g.parent], below[g.id] + 1)
    return below
