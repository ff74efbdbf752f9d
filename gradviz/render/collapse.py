"""What the scene draws when some groups are collapsed: each as one box in place of its
nodes, with the wires that cross its border going into and out of the box.

Plain data worked out from the graph and the collapsed group ids (view state: collapsing
changes no node and no number); no Qt here. A wire into a box enters at the row of the
node outside that feeds it (one wire per such node, however many nodes inside it feeds);
a wire out of a box leaves at the row of the output inside it comes from.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import networkx as nx

from ..core.graph import Graph
from ..core.groups import collapsed_box_of, group_boundary
from ..core.notation import format_number
from ..core.steps import BackwardStep
from .step_look import CURRENT, DONE, FUTURE, NodeLook

EdgeKey = tuple[str, str, int]


class Box(NamedTuple):
    """One collapsed group as drawn: its name, what feeds it, what it gives out."""

    id: str
    name: str
    members: frozenset[str]
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]


class CollapsedView:
    """The drawn graph: the nodes left, the boxes, and the wires between them.

    ``drawn_of[e]`` is the drawn wire an edge of the graph is part of (None inside a
    box); ``source_port[w]`` the output row a wire leaves a box at (0 for a node).
    ``layout_graph`` is what the layout places: the nodes left and one node per box.
    """

    def __init__(self, graph: Graph, collapsed: Iterable[str]) -> None:
        known = {g.id for g in graph.groups()}
        self.collapsed = tuple(g for g in collapsed if g in known)
        self.box_of = collapsed_box_of(graph, self.collapsed)
        self.boxes: dict[str, Box] = {}
        for gid in dict.fromkeys(self.box_of.values()):
            group = graph.group(gid)
            inputs, outputs = group_boundary(graph, group)
            self.boxes[gid] = Box(gid, group.name, frozenset(group.nodes), inputs, outputs)
        self.drawn_of: dict[EdgeKey, EdgeKey | None] = {}
        self.source_port: dict[EdgeKey, int] = {}
        self.members_of: dict[EdgeKey, list[EdgeKey]] = {}  # drawn wire -> its edges
        for u, v, k in graph.edges():
            ru, rv = self.box_of.get(u, u), self.box_of.get(v, v)
            if ru == rv:
                self.drawn_of[(u, v, k)] = None
                continue
            port = self.boxes[rv].inputs.index(u) if rv in self.boxes else k
            wire = (ru, rv, port)
            self.drawn_of[(u, v, k)] = wire
            self.source_port[wire] = self.boxes[ru].outputs.index(u) if ru in self.boxes else 0
            self.members_of.setdefault(wire, []).append((u, v, k))
        self.layout_graph = self._layout_graph(graph)

    @property
    def active(self) -> bool:
        return bool(self.boxes)

    def drawn_nodes(self, graph: Graph) -> list[str]:
        """The nodes drawn as themselves, in the graph's order."""
        return [n for n in graph.order() if n not in self.box_of]

    def _layout_graph(self, graph: Graph) -> Graph:
        if not self.boxes:
            return graph
        g = nx.MultiDiGraph()
        order = graph.order()
        for n in order:
            box = self.box_of.get(n)
            if box is None:
                g.add_node(n, **graph.nx.nodes[n])
            elif box not in g:
                g.add_node(box, kind="group", label=self.boxes[box].name, op=None, value=None,
                           group=graph.group(box).parent)
        for wire in self.members_of:
            g.add_edge(*wire[:2], key=wire[2])
        output = graph.resolved_output()
        laid = Graph(g, self.box_of.get(output, output) if output else None)
        # The groups too (parents first), so the layout keeps each open group together
        # and a box sits in the group around it.
        for group in graph.groups():
            laid.add_group(group.name, parent=group.parent, id=group.id)
        return laid

    def step_box(self, step) -> str | None:
        """The box a step happens inside (both of its ends there), or None. A step that
        computes one node (a forward step, the seed, a forward-mode pass's `DualStep`)
        happens where that node is."""
        if not isinstance(step, BackwardStep):
            return self.box_of.get(step.node)
        box = self.box_of.get(step.child)
        return box if box is not None and self.box_of.get(step.parent) == box else None

    def touched_box(self, step) -> str | None:
        """The box a step is about (inside it, or on a wire into it), or None."""
        if step is None:
            return None
        if not isinstance(step, BackwardStep):
            return self.box_of.get(step.node)
        return self.box_of.get(step.child) or self.box_of.get(step.parent)

    def skipped(self, steps) -> set[int]:
        """Step indices a player passes over: a run of steps inside one box is one stop,
        at its last step (the box then shows what the run did). ``steps`` are a reverse
        run's timeline's or a forward-mode pass's."""
        out: set[int] = set()
        for i in range(1, len(steps)):
            box = self.step_box(steps[i - 1])
            if box is not None and self.step_box(steps[i]) == box:
                out.add(i)
        return out


# --- what boxes and the wires around them show at one step ---------------------------
class InputRow(NamedTuple):
    label: str
    derivative: str = ""  # "∂o/∂x1 = -1.5" while the box is current going backward


class OutputRow(NamedTuple):
    label: str
    value: str
    grad: str
    value_known: bool
    grad_known: bool


class BoxLook(NamedTuple):
    """What a collapsed group shows at one step."""

    emphasis: str
    inputs: tuple[InputRow, ...]
    outputs: tuple[OutputRow, ...]


_LOUDNESS = {"current": 4, "backward": 3, "done": 2, "future": 1}


def wire_look(edge_looks: list):
    """A drawn wire standing for several edges looks like the loudest of them."""
    return max(edge_looks, key=lambda look: _LOUDNESS.get(look.emphasis, 0))


def derivative_texts(graph: Graph, box: Box, derivatives: dict[tuple[str, str], float]
                     ) -> list[str]:
    """For each input of ``box``: d output / d input for each output, as text."""
    out = []
    for i in box.inputs:
        terms = [f"∂{graph.node(o).label}/∂{graph.node(i).label} = "
                 f"{format_number(derivatives[(o, i)])}"
                 for o in box.outputs if (o, i) in derivatives]
        out.append("; ".join(terms))
    return out


def box_look(view: CollapsedView, box_id: str, graph: Graph, current,
             node_looks: dict[str, NodeLook], derivatives: list[str]) -> BoxLook:
    """What box ``box_id`` shows while step ``current`` (None: the start) is the current
    one: its outputs as their nodes' looks say, and, while a step inside it is current
    going backward, each input's ``derivatives`` text (from `derivative_texts`)."""
    box = view.boxes[box_id]
    here = view.touched_box(current) == box_id
    backward = here and current is not None and current.phase == "backward"
    texts = derivatives if backward else [""] * len(box.inputs)
    inputs = tuple(InputRow(graph.node(i).label, t)
                   for i, t in zip(box.inputs, texts, strict=True))
    outputs = tuple(OutputRow(graph.node(o).label, look.value, look.grad,
                              look.value_known, look.grad_known)
                    for o, look in ((o, node_looks[o]) for o in box.outputs))
    if here:
        emphasis = CURRENT
    elif not any(r.value_known for r in outputs):
        emphasis = FUTURE
    else:
        emphasis = DONE
    return BoxLook(emphasis, inputs, outputs)
