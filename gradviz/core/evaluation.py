"""Running a graph through the engine, recording every step as it happens.

`evaluate` checks the graph's structure, then runs it. A graph that differs from one
already run in its leaf values alone (an input set to a new number) has a structure that
was checked then: `evaluate_new_values` runs it in the order found that time.
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from .engine import Value, apply
from .errors import EvaluationError, GraphError
from .graph import Graph, is_finite_number
from .ops import OPS
from .steps import BackwardStep, ForwardStep, SeedStep, Step, Timeline


class Evaluation(NamedTuple):
    """A finished run: every node's value and gradient, and the timeline of steps."""

    graph: Graph
    output: str
    values: dict[str, float]
    grads: dict[str, float]
    timeline: Timeline
    order: tuple[str, ...]
    """Every node, each after its inputs: the order the run went in."""
    labels: Mapping[str, str]
    """Every node's label by id, as the run read them: collected once per run, so that
    explaining a step looks up its few names instead of collecting them all."""

    @property
    def value(self) -> float:
        return self.values[self.output]

    def input_grads(self) -> dict[str, float]:
        """Gradient of the output for every input, by label (0 where it does not depend)."""
        return {n.label: self.grads.get(n.id, 0) for n in self.graph.inputs()}


def input_values(graph: Graph, overrides: dict[str, float] | None = None) -> dict[str, float]:
    """The value of every leaf, with ``overrides`` (by input label) applied."""
    overrides = dict(overrides or {})
    result: dict[str, float] = {}
    for n, a in graph.nx.nodes(data=True):
        if a["kind"] == "input" and a["label"] in overrides:
            result[n] = overrides.pop(a["label"])
        elif a["kind"] != "op":
            result[n] = a["value"]
    if overrides:
        names = ", ".join(sorted(overrides))
        known = ", ".join(n.label for n in graph.inputs()) or "none"
        raise GraphError(f"no input named {names} (inputs: {known})")
    return result


def evaluate(graph: Graph, overrides: dict[str, float] | None = None) -> Evaluation:
    """Forward and backward through the engine, recording each operation and edge.

    Raises GraphError for a graph that cannot run and EvaluationError (with the node's
    label) for an operation with no finite result.
    """
    order = graph.validate()
    output = graph.resolved_output()
    if output is None:
        raise GraphError("the graph has no output")
    return _run(graph, tuple(order), output, input_values(graph, overrides))


def evaluate_new_values(previous: Evaluation, graph: Graph) -> Evaluation:
    """``evaluate(graph)``, for a graph that differs from ``previous.graph`` in the
    values of its leaves alone (the same nodes, edges, names, operations and output).

    Its structure is the one checked when ``previous`` was run, so only the new values
    are checked (GraphError for one that is not a finite number) before the run.
    """
    leaves = input_values(graph)
    for n, value in leaves.items():
        if not is_finite_number(value):
            label = graph.node(n).label
            raise GraphError(f"the value of {label} is not a finite number", n)
    return _run(graph, previous.order, previous.output, leaves)


def output_at(previous: Evaluation, moved: dict[str, float]) -> float:
    """The output of ``previous``'s graph with the inputs in ``moved`` (by id) at new,
    finite values and every other leaf as it was: a run in ``previous``'s checked order,
    with no copy of the graph and no second check of its structure (what a finite
    difference needs, many times over). EvaluationError where an operation has no finite
    result."""
    leaves = {**input_values(previous.graph), **moved}
    return _run(previous.graph, previous.order, previous.output, leaves).value


def _run(graph: Graph, order: tuple[str, ...], output: str,
         leaves: dict[str, float]) -> Evaluation:
    """Forward in ``order`` (a checked one) and backward from ``output``, recorded."""
    steps: list[Step] = []
    made: dict[str, Value] = {}
    attrs = graph.nx.nodes
    for n in order:
        a = attrs[n]
        kind, label = a["kind"], a["label"]
        if kind == "input":
            v = Value(leaves[n], label=label)
        elif kind == "const":
            v = Value.constant(leaves[n])
            v.label = label
        else:
            operands = tuple(graph.operands(n))
            try:
                v = apply(OPS[a["op"]], *(made[s] for s in operands))
            except EvaluationError as exc:
                exc.node = label
                raise
            v.label = label
            steps.append(ForwardStep(n, a["op"], operands,
                                     tuple(made[s].data for s in operands), v.data))
        made[n] = v

    node_of = {v: n for n, v in made.items()}
    labels = graph.labels()
    steps.append(SeedStep(output))
    groups: dict[str, int] = {}

    def record(child: Value, port: int, parent: Value, local, upstream, before, after):
        c, p = node_of[child], node_of[parent]
        group = groups.setdefault(c, len(groups))
        op = child._op
        names = {"x": labels[node_of[child._prev[0]]],
                 "y": labels[node_of[child._prev[1]]] if len(child._prev) > 1 else "",
                 "out": labels[c]}
        steps.append(BackwardStep(c, p, port, op.id, op.formula(port, names), local,
                                  upstream, local * upstream, before, after, group))

    root = made[output]
    try:
        root.backward(recorder=record)
    except EvaluationError as exc:
        where = node_of.get(exc.at) if exc.at is not None else None
        exc.node = exc.node or (labels[where] if where else "the backward pass")
        raise
    values = {n: v.data for n, v in made.items()}
    grads = {n: v.grad for n, v in made.items() if v.requires_grad}
    timeline = Timeline(tuple(steps), {n: x for n, x in leaves.items()}, output)
    return Evaluation(graph, output, values, grads, timeline, order, MappingProxyType(labels))
