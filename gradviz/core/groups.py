"""Groups seen from outside: a collapsed group's wires in and out, and its net derivatives.

A collapsed group is drawn as one box. Its *inputs* are the nodes outside it that feed a
node inside; its *outputs* are the nodes inside whose value is used outside it (or that
are the graph's output). Stepping over the box shows, for each output ``o`` and input
``i``, the net local derivative d o / d i through the group's nodes alone: the sum over
the paths from ``i`` to ``o`` inside the group of the products of the local derivatives
along them. That sum is taken from the locals the engine recorded in the run's backward
steps, by a reverse sweep over the group's nodes; it is never worked out by dividing one
gradient by another (which fails wherever a gradient is 0, and is not what the engine did).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, NamedTuple

import networkx as nx

from .errors import GraphError
from .graph import Graph, Group
from .steps import BackwardStep

if TYPE_CHECKING:
    from .evaluation import Evaluation


class Boundary(NamedTuple):
    """The wires of a group seen from outside, each list in the graph's order."""

    inputs: tuple[str, ...]  # nodes outside the group feeding a node inside
    outputs: tuple[str, ...]  # nodes inside used outside, or the graph's output


def group_boundary(graph: Graph, group: str | Group) -> Boundary:
    """The inputs and outputs of ``group`` (a group id, or the `Group` itself).

    Examples
    --------
    >>> from gradviz.core.engine import Value, group
    >>> from gradviz.core.trace import graph_from_value
    >>> x, w = Value(2.0, label="x"), Value(-3.0, label="w")
    >>> with group("neuron"):
    ...     o = (x * w).tanh(); o.label = "o"
    >>> g = graph_from_value(o * 2)
    >>> g.groups()[0].name, group_boundary(g, "g1")
    ('neuron', Boundary(inputs=('x', 'w'), outputs=('o',)))
    """
    members = set(_group(graph, group).nodes)
    pred, succ = graph.nx._pred, graph.nx._succ
    output = graph.resolved_output()
    order = graph.order()
    inputs = {p for m in members for p in pred[m] if p not in members}
    return Boundary(tuple(n for n in order if n in inputs),
                    tuple(n for n in order if n in members and (
                        n == output or any(s not in members for s in succ[n]))))


def net_derivatives(run: Evaluation, group: str | Group) -> dict[tuple[str, str], float]:
    """d output / d input through ``group``'s nodes only, for every output and input.

    Parameters
    ----------
    run : a finished run: its ``graph``, its ``grads`` and the ``timeline`` it recorded
    group : a group id or `Group` of ``run.graph``

    Returns
    -------
    ``{(output, input): derivative}``, for every output of the group that the backward
    pass reached (outputs on a branch that does not lead to the graph's output have no
    recorded locals, so no entries) and every input that has a gradient (not constants).
    An output that does not depend on an input inside the group gives 0.
    """
    graph = run.graph
    members = set(_group(graph, group).nodes)
    inputs, outputs = group_boundary(graph, group)
    locals_into: dict[str, list[tuple[str, float]]] = {}  # child -> [(parent, local)]
    for s in run.timeline.steps:
        if isinstance(s, BackwardStep) and s.child in members:
            locals_into.setdefault(s.child, []).append((s.parent, s.local))
    reached = nx.ancestors(graph.nx, run.timeline.output) | {run.timeline.output}
    with_grad = [i for i in inputs if i in run.grads]
    inner = [n for n in reversed(graph.order()) if n in locals_into]  # consumers first
    result: dict[tuple[str, str], float] = {}
    for o in outputs:
        if o not in reached:
            continue
        # Reverse sweep from o: adjoint[n] = d o / d n through the group's nodes.
        adjoint: dict[str, float] = {o: 1.0}
        for n in inner:
            a = adjoint.get(n)
            if a is None:
                continue
            for parent, local in locals_into[n]:  # a * a: both ports, so both terms
                adjoint[parent] = adjoint.get(parent, 0.0) + a * local
        for i in with_grad:
            result[o, i] = adjoint.get(i, 0.0)
    return result


def groups_to_collapse(graph: Graph, spec: str | Iterable[str] | None) -> list[str]:
    """The ids of the groups ``--collapse all|NAME`` (or ``collapse=``) means.

    ``spec`` is ``"all"``, a group's name (every group of that name: each call of one
    function), a group's id, or a list of these; None collapses nothing. GraphError
    when something names no group.
    """
    if spec is None:
        return []
    groups = graph.groups()
    wanted = [spec] if isinstance(spec, str) else list(spec)
    chosen: set[str] = set()
    for w in wanted:
        found = {g.id for g in groups if w == "all" or w in (g.id, g.name)}
        if not found:
            names = sorted({g.name for g in groups})
            known = f"its groups are {', '.join(map(repr, names))}" if names \
                else "it has no groups"
            raise GraphError(f"there is no group {w!r} to collapse: {known}")
        chosen |= found
    return [g.id for g in groups if g.id in chosen]


def collapsed_box_of(graph: Graph, collapsed: Iterable[str]) -> dict[str, str]:
    """For every node inside a collapsed group, the outermost collapsed group it is in:
    the box it is drawn as (a collapsed layer hides its neurons, collapsed or not)."""
    closed = set(collapsed)
    box: dict[str, str] = {}
    for n in graph.nx:
        found = box_around(graph, closed, n)
        if found is not None:
            box[n] = found
    return box


def box_around(graph: Graph, collapsed: set[str], node: str) -> str | None:
    """The outermost of the ``collapsed`` groups ``node`` is in, or None."""
    for g in graph.group_path(node):  # outermost first
        if g in collapsed:
            return g
    return None


def step_box(graph: Graph, collapsed: set[str], step) -> str | None:
    """The outermost of the ``collapsed`` groups ``step`` happens inside, or None. A step
    that computes one node (a forward step, the seed, a forward-mode pass's `DualStep`)
    happens where that node is; a backward step only where both of its ends are (one on
    a wire into a box is drawn, and said, on its own)."""
    if not isinstance(step, BackwardStep):
        return box_around(graph, collapsed, step.node)
    box = box_around(graph, collapsed, step.child)
    return box if box is not None and box_around(graph, collapsed, step.parent) == box \
        else None


def box_run(graph: Graph, collapsed: set[str], steps, index: int) -> tuple[str, int] | None:
    """The collapsed group step ``index`` (1-based, of ``steps``: a run's timeline's or
    a forward-mode pass's) happens inside, and the first of the steps of its phase
    leading up to it inside that group: ``(group id, first)``. The player stops once
    for them all, at their last. None for a step that happens outside every box."""
    box = step_box(graph, collapsed, steps[index - 1])
    if box is None:
        return None
    phase, first = steps[index - 1].phase, index
    while first > 1 and steps[first - 2].phase == phase \
            and step_box(graph, collapsed, steps[first - 2]) == box:
        first -= 1
    return box, first


def fed_from_outside(graph: Graph, group: str | Group, nodes: Iterable[str]) -> list[str]:
    """Those of ``nodes`` (in ``group``) that a node outside the group feeds: where a
    gradient leaves the group, going back."""
    members = set(_group(graph, group).nodes)
    return [n for n in nodes if any(p not in members for p in graph.nx.predecessors(n))]


def _group(graph: Graph, group: str | Group) -> Group:
    return graph.group(group.id if isinstance(group, Group) else group)
