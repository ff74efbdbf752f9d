"""What every node and edge shows at one step: texts and emphasis, as plain data.

This is the pure function of (graph, run, step index) that the scene draws; it reads the
recorded `State` and formats numbers for people, nothing more. Node sizes are fixed per
graph from `texts_ever_shown`, so nothing moves while stepping: a box shows numbers and
short accumulations (``9 = 4 + 5``); a long one is a note drawn beside it.
"""
from __future__ import annotations

from typing import NamedTuple

from ..core.evaluation import Evaluation
from ..core.explain import operand
from ..core.graph import Graph, Node
from ..core.notation import format_number as fmt
from ..core.steps import BackwardStep, ForwardStep, SeedStep, State

UNKNOWN = "?"
INLINE_CHARS = 10
"""An accumulation this long or shorter (``9 = 4 + 5``) is written in the box, which is
sized for it; a longer one (``-0.24921 = -0.1 + -0.14921``) is a note beside the box."""

# Emphasis, from loud to quiet.
CURRENT = "current"      # the step being shown
SOURCE = "source"        # the node whose gradient flows back along the current edge
DONE = "done"            # computed in an earlier step
FUTURE = "future"        # not reached yet
BACKWARD_DONE = "backward"  # an edge the backward pass has crossed


class NodeLook(NamedTuple):
    value: str
    grad: str
    value_known: bool
    grad_known: bool
    emphasis: str
    value_current: bool = False
    grad_current: bool = False
    note: str = ""
    """How the gradient just added up when that is too long for the box (see
    `INLINE_CHARS`), drawn beside it; "" if none."""
    grad_key: str = "grad"
    """The name written before the second number ("" in forward mode, whose nodes
    show one dual number and no gradient)."""


class EdgeLook(NamedTuple):
    emphasis: str
    label: str = ""
    backward: bool = False


def accumulation(step: BackwardStep) -> str:
    """The receiving node's gradient before and after: ``9 = 4 + 5``."""
    if step.before == 0:
        return fmt(step.after)
    return f"{fmt(step.after)} = {fmt(step.before)} + {operand(step.contribution)}"


def inline_gradient(step: BackwardStep) -> str:
    """What the receiving node's box shows: the accumulation when it is short, else the
    new gradient alone (the accumulation is then a note beside the box)."""
    after = fmt(step.after)
    # ``a = b + c`` has at least len(a) + 8 characters: most accumulations are too long
    # for the box without writing them out (a scene asks for every step's).
    if step.before == 0 or len(after) + 8 > INLINE_CHARS:
        return after
    text = accumulation(step)
    return text if len(text) <= INLINE_CHARS else after


def edge_label(step: BackwardStep) -> str:
    """What the current edge carries back, as arithmetic: the child's gradient times the
    local derivative, ``4 × 1 = 4``."""
    return f"{operand(step.upstream)} × {operand(step.local)} = {fmt(step.contribution)}"


def texts_ever_shown(graph: Graph, run: Evaluation | None,
                     nodes: list[Node] | None = None) -> dict[str, tuple[str, str]]:
    """For every node the widest value and gradient texts its box shows at any step (its
    size): numbers and short accumulations, since a long one is a note beside the box.

    One pass over the run's steps, so building a scene stays linear in the graph.
    ``nodes`` is ``graph.nodes()`` when the caller has it already.
    """
    value_texts: dict[str, str] = {}
    grad_texts: dict[str, str] = dict.fromkeys(graph.nx, UNKNOWN)
    for n in graph.nodes() if nodes is None else nodes:
        value_texts[n.id] = _longer(UNKNOWN, fmt(n.value))
        if run is not None:
            value = run.values.get(n.id)
            if value != n.value:
                value_texts[n.id] = _longer(value_texts[n.id], fmt(value))
            grad_texts[n.id] = _longer(UNKNOWN, fmt(run.grads.get(n.id, 0)))
    if run is not None:
        for s in run.timeline.steps:
            if isinstance(s, BackwardStep):
                grad_texts[s.parent] = _longer(grad_texts[s.parent], inline_gradient(s))
            elif isinstance(s, SeedStep):
                grad_texts[s.node] = _longer(grad_texts[s.node], fmt(s.grad))
    return {n: (value_texts[n], grad_texts[n]) for n in value_texts}


def _longer(a: str, b: str) -> str:
    """The longer text, the first of the two when they are as long."""
    return b if len(b) > len(a) else a


def structure_looks(graph: Graph) -> tuple[dict[str, NodeLook], dict]:
    """A graph that cannot run: leaves show the values typed, operations nothing yet."""
    nodes = {}
    for n in graph.nodes():
        known = n.is_leaf and n.value is not None
        nodes[n.id] = NodeLook(fmt(n.value) if known else UNKNOWN, UNKNOWN, known, False,
                               DONE if n.is_leaf else FUTURE)
    edges = {e: EdgeLook(DONE) for e in graph.edges()}
    return nodes, edges


def looks_at(graph: Graph, run: Evaluation, state: State, node_ids=None,
             edge_keys=None) -> tuple[dict[str, NodeLook], dict]:
    """Every node's and edge's look at ``state`` of ``run``.

    ``node_ids``/``edge_keys`` limit the work to those (see `changed_between`).
    """
    cur = state.current
    backward = state.phase == "backward"
    nodes: dict[str, NodeLook] = {}
    # Equal looks share one object (early in a run most nodes look alike): every look
    # kept is one more object for Python's cycle collector to walk.
    alike: dict[NodeLook, NodeLook] = {}
    for n in graph.nx if node_ids is None else node_ids:
        look = _node_look(n, state, cur)
        nodes[n] = alike.setdefault(look, look)
    edges: dict[tuple[str, str, int], EdgeLook] = {}
    for e in graph.edges() if edge_keys is None else edge_keys:
        edges[e] = _edge_look(e, state, cur, backward)
    return nodes, edges


def changed_between(run: Evaluation, a: int, b: int,
                    in_edges: dict[str, tuple[tuple[str, str, int], ...]]) -> tuple[set, set]:
    """The nodes and edges whose look can differ between step indices ``a`` and ``b``.

    A look depends on the node's own value and gradient, the edge's target's value,
    whether the backward pass crossed the edge, and which step is current; so only the
    steps between the two indices and the two current steps matter. ``in_edges`` maps a
    node to the edges into it. Stepping through a big graph then costs per step, not per
    node.
    """
    steps = run.timeline.steps
    lo, hi = sorted((a, b))
    picked = list(steps[lo:hi])
    for i in (a, b):
        if 0 < i <= len(steps):
            picked.append(steps[i - 1])
    nodes: set[str] = set()
    edges: set[tuple[str, str, int]] = set()
    for s in picked:
        if isinstance(s, ForwardStep):
            nodes.add(s.node)
            edges.update(in_edges.get(s.node, ()))
        elif isinstance(s, SeedStep):
            nodes.add(s.node)
        else:
            nodes.update((s.parent, s.child))
            edges.add(s.edge)
    return nodes, edges


def _node_look(node: str, state: State, cur) -> NodeLook:
    value_known = node in state.values
    grad_known = node in state.grads
    value = fmt(state.values[node]) if value_known else UNKNOWN
    grad = fmt(state.grads[node]) if grad_known else UNKNOWN
    value_current = grad_current = False
    note = ""
    if isinstance(cur, ForwardStep) and cur.node == node:
        emphasis, value_current = CURRENT, True
    elif isinstance(cur, SeedStep) and cur.node == node:
        emphasis, grad_current = CURRENT, True
    elif isinstance(cur, BackwardStep) and cur.parent == node:
        emphasis, grad_current, grad = CURRENT, True, inline_gradient(cur)
        if cur.before != 0 and len(grad) < len(accumulation(cur)):
            note = accumulation(cur)
    elif isinstance(cur, BackwardStep) and cur.child == node:
        emphasis = SOURCE
    elif not value_known:
        emphasis = FUTURE
    else:
        emphasis = DONE
    return NodeLook(value, grad, value_known, grad_known, emphasis, value_current,
                    grad_current, note)


def _edge_look(edge, state: State, cur, backward: bool) -> EdgeLook:
    source, target, port = edge
    if isinstance(cur, BackwardStep) and cur.edge == edge:
        return EdgeLook(CURRENT, edge_label(cur), backward=True)
    if isinstance(cur, ForwardStep) and cur.node == target:
        return _FORWARD_CURRENT
    if edge in state.done_edges:
        return _BACKWARD_DONE
    if target not in state.values:
        return _FUTURE
    return _DONE


# The looks without a label, shared (they are immutable): a big graph has thousands of
# edges and most of them look alike at any step.
_FORWARD_CURRENT = EdgeLook(CURRENT)
_BACKWARD_DONE = EdgeLook(BACKWARD_DONE, backward=True)
_FUTURE = EdgeLook(FUTURE)
_DONE = EdgeLook(DONE)
