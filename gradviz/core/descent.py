"""Gradient descent on a graph: each parameter p becomes p − rate·∂out/∂p.

The parameters are the inputs that are not held fixed: every input is one until it is
marked as data or a target. A document keeps the inputs it holds fixed in its view
(``view["fixed"]``, their ids; a file without it holds none fixed) and may keep a
learning rate (``view["rate"]``). One step uses the gradients of the engine's own run
(`evaluation.evaluate`) and runs the graph again at the new values, so the output after
each step is what the engine computes there, and a step that leaves the finite numbers
is refused with a `DescentError` saying where.

>>> from gradviz.core.language import parse
>>> run = descend(parse("w = 1; x = 2; y = 6; loss = (w * x - y) ** 2"), ("w",), 0.05, 2)
>>> [round(v, 6) for v in run.history]
[5.76, 2.0736]
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple

from .errors import EvaluationError, GradvizError, GraphError
from .evaluation import Evaluation, evaluate, evaluate_new_values
from .graph import Graph
from .notation import format_number

DEFAULT_RATE = 0.1
MAX_STEPS = 100_000
"""More steps than anyone watches; a bigger count is surely a typing mistake."""


class DescentError(GradvizError):
    """A descent that cannot be made: a bad rate, step count or parameter name, or a step
    whose result is not a finite number."""


class Step(NamedTuple):
    """One descent step: the graph at the new values and the engine's run of it."""

    graph: Graph
    run: Evaluation


class Descent(NamedTuple):
    """``steps`` descent steps: the output before them, after each, and the last graph."""

    start: float
    history: tuple[float, ...]
    graph: Graph
    run: Evaluation


def parameters(graph: Graph, fixed: Iterable[str] = ()) -> tuple[str, ...]:
    """The ids of the inputs that descent moves: every input not in ``fixed`` (ids), in
    the graph's order."""
    held = set(fixed)
    return tuple(n.id for n in graph.inputs() if n.id not in held)


def parameters_named(graph: Graph, names: Iterable[str]) -> tuple[str, ...]:
    """The ids of the inputs called ``names`` (labels, as ``--params a,b`` gives them);
    DescentError for a name that is no input."""
    found: list[str] = []
    inputs = ", ".join(n.label for n in graph.inputs()) or "none"
    for name in names:
        name = name.strip()
        node_id = graph.by_label(name) if name else None
        if node_id is None:
            raise DescentError(f"no input named {name!r} to descend on (inputs: {inputs})")
        if graph.node(node_id).kind != "input":
            what = "computed" if graph.node(node_id).kind == "op" else "a constant"
            raise DescentError(f"{name} is {what}, not an input: only inputs are "
                               f"parameters (inputs: {inputs})")
        if node_id not in found:
            found.append(node_id)
    if not found:
        raise DescentError(f"name at least one parameter (inputs: {inputs})")
    return tuple(found)


def check_rate(rate) -> float:
    """``rate`` as a float; DescentError unless it is a finite number."""
    if isinstance(rate, bool) or not isinstance(rate, (int, float)):
        raise DescentError(f"the learning rate must be a number, not {rate!r}")
    if not math.isfinite(rate):
        raise DescentError(f"the learning rate must be a finite number, not {rate}")
    return float(rate)


def check_steps(steps) -> int:
    """``steps`` as an int; DescentError unless it is a whole number from 1 to MAX_STEPS."""
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
        raise DescentError(f"the number of steps must be a whole number from 1 to "
                           f"{MAX_STEPS:,}, not {steps!r}")
    return steps


def step(graph: Graph, params: Iterable[str], rate: float,
         run: Evaluation | None = None) -> Step:
    """One step: a copy of ``graph`` where each parameter (an input id) is p − rate·∂out/∂p,
    with the gradients of ``run`` (the engine's run of ``graph``; run now when None), and
    the engine's run of the copy.

    Raises DescentError when a new value or the run at the new values is not finite.
    """
    rate = check_rate(rate)
    if run is None:
        run = evaluate(graph)
    new = graph.copy()
    out = graph.node(run.output).label
    for p in params:
        node = graph.node(p)
        if node.kind != "input":
            raise DescentError(f"{node.label} is not an input, so it is no parameter")
        grad = run.grads.get(p, 0.0)
        value = node.value - rate * grad
        if not math.isfinite(value):
            raise DescentError(
                f"{node.label} − rate·∂{out}/∂{node.label} = {format_number(node.value)} − "
                f"{format_number(rate)}·{format_number(grad)} is not a finite number; "
                "try a smaller learning rate")
        new.set_attrs(p, value=value)
    try:
        after = evaluate_new_values(run, new)
    except (EvaluationError, GraphError) as exc:
        raise DescentError(f"at the new values {exc}; try a smaller learning rate") from None
    return Step(new, after)


def descend(graph: Graph, params: Iterable[str], rate: float, steps: int) -> Descent:
    """``steps`` steps of gradient descent from ``graph`` on ``params`` (input ids).

    Returns the output before the first step, the output after each step (``history``)
    and the graph and run after the last. A step that cannot be made raises
    DescentError naming it (``step 3: …``).
    """
    rate, steps, params = check_rate(rate), check_steps(steps), tuple(params)
    run = evaluate(graph)
    start, history = run.value, []
    for k in range(1, steps + 1):
        try:
            graph, run = step(graph, params, rate, run)
        except DescentError as exc:
            raise DescentError(f"step {k}: {exc}") from None
        history.append(run.value)
    return Descent(start, tuple(history), graph, run)
