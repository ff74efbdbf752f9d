"""What every node and edge shows at one step of a forward-mode pass, as plain data.

The forward counterpart of `step_look`: each node shows its dual number ``value +
tangent·ε`` once the pass has computed it (a leaf from the start: the seeded input
``2 + 1ε``, the others ``3 + 0ε``) on the value row of its box, and on the row below what
the tangent is, the derivative with respect to the seeded input (``∂c/∂a = 1``).
Everything is read from the recorded pass.
"""
from __future__ import annotations

from ..core.explain import partial
from ..core.forward import DualState, ForwardPass, ForwardRun, node_text
from ..core.graph import Graph
from ..core.notation import format_number as fmt
from .step_look import CURRENT, DONE, FUTURE, SOURCE, UNKNOWN, EdgeLook, NodeLook

SIZE_OVER_ALL_PASSES = 8
"""Up to this many passes, a box is sized for the widest dual number of every pass (so
nothing moves when another pass is chosen); beyond, for the pass shown (running every
pass of a graph of many inputs only to size its boxes would be slow)."""


def texts_ever_shown(graph: Graph, run: ForwardRun, k: int) -> dict[str, tuple[str, str]]:
    """For every node the widest text its box shows in forward mode (its size)."""
    passes = run.passes() if len(run) <= SIZE_OVER_ALL_PASSES else [run.pass_at(k)]
    labels = graph.labels()
    widest = {n: (UNKNOWN, UNKNOWN) for n in graph.nx}
    for p in passes:
        end = p.state(p.last)
        for n in end.values:
            value, tangent = widest[n]
            text, meaning = node_text(end, n), _derivative(end, n, labels, p.seed_label)
            widest[n] = (text if len(text) > len(value) else value,
                         meaning if len(meaning) > len(tangent) else tangent)
    return widest


def _derivative(state: DualState, n: str, labels: dict[str, str], seed: str) -> str:
    """What the tangent is: ``∂c/∂a = 1`` (``a`` the seeded input)."""
    return f"{partial(labels[n], seed)} = {fmt(state.tangents[n])}"


def looks_at(graph: Graph, p: ForwardPass, index: int) -> tuple[dict[str, NodeLook], dict]:
    """Every node's and edge's look after the first ``index`` steps of pass ``p``."""
    state = p.state(index)
    cur = state.current
    operands = set(cur.inputs) if cur is not None else set()
    alike: dict[NodeLook, NodeLook] = {}
    nodes: dict[str, NodeLook] = {}
    labels = graph.labels()
    for n in graph.nx:
        look = _node_look(n, state, cur, operands, p, labels)
        nodes[n] = alike.setdefault(look, look)
    edges: dict[tuple[str, str, int], EdgeLook] = {}
    for e in graph.edges():
        _, target, _ = e
        if cur is not None and cur.node == target:
            edges[e] = _CURRENT
        elif target in state.values:
            edges[e] = _DONE
        else:
            edges[e] = _FUTURE
    return nodes, edges


def _node_look(n: str, state: DualState, cur, operands: set[str], p: ForwardPass,
               labels: dict[str, str]) -> NodeLook:
    known, seed = n in state.values, p.seed
    text = node_text(state, n) if known else UNKNOWN
    meaning = _derivative(state, n, labels, p.seed_label) if known else UNKNOWN
    if cur is not None and cur.node == n:
        emphasis = CURRENT
    elif n in operands or (cur is None and n == seed):
        emphasis = SOURCE  # what the current step reads (at the start: the seed)
    elif known:
        emphasis = DONE
    else:
        emphasis = FUTURE
    current = emphasis == CURRENT
    return NodeLook(text, meaning, known, known, emphasis, value_current=current,
                    grad_current=current, grad_key="")


def step_nodes(p: ForwardPass, index: int) -> set[str]:
    """The nodes step ``index`` of the pass is about (the start: the first step's)."""
    if not p.steps:
        return {p.seed}
    step = p.steps[max(1, min(index, len(p.steps))) - 1]
    return {step.node, *step.inputs}


def updated_node(p: ForwardPass, index: int) -> str:
    """The node whose dual number step ``index`` writes (the start: the seed)."""
    if not p.steps or index <= 0:
        return p.seed
    return p.steps[min(index, len(p.steps)) - 1].node


def step_node_sets(scene_pass: ForwardPass, index: int) -> tuple[set[str], set[str]]:
    """What a camera keeps in view first at step ``index``: the step's nodes, then the
    node it writes (as `camera.step_nodes` and `camera.updated_node` say in reverse
    mode)."""
    return step_nodes(scene_pass, index), {updated_node(scene_pass, index)}


_CURRENT = EdgeLook(CURRENT)
_DONE = EdgeLook(DONE)
_FUTURE = EdgeLook(FUTURE)
