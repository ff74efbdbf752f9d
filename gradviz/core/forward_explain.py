"""Forward mode in words and numbers: the caption of every step of every pass.

Everything here reads recorded passes (`forward.ForwardPass`) and the reverse run's
counts; no value or tangent is computed again.
"""
from __future__ import annotations

from collections.abc import Collection

from .evaluation import Evaluation
from .explain import partial
from .forward import ForwardPass, ForwardRun, compare, results_text
from .forward_text import dual
from .groups import box_run, group_boundary
from .notation import format_number as fmt


def seeds_text(p: ForwardPass, labels: dict[str, str]) -> str:
    """The leaves as dual numbers at the start of a pass: ``a = 2 + 1ε, b = 3 + 0ε``."""
    inputs = [n for n in p.leaf_values if labels.get(n) is not None
              and n in p.leaf_tangents]
    return ", ".join(f"{labels[n]} = {dual(p.leaf_values[n], p.leaf_tangents[n])}"
                     for n in inputs)


def collected(p: ForwardPass) -> str:
    """What the end of a pass gives: ``∂e/∂a = 4 (the ε part of e)``."""
    return (f"{partial(p.output_label, p.seed_label)} = {fmt(p.derivative)} "
            f"(the ε part of {p.output_label})")


def caption(run: ForwardRun, k: int, index: int, reverse: Evaluation | None = None,
            collapsed: Collection[str] = ()) -> str:
    """The caption of step ``index`` of pass ``k`` (0-based): the pass counter, then
    what `step_text` says (with the ``collapsed`` groups drawn as boxes)."""
    if len(run) == 0:
        return step_text(run, k, index, reverse)
    p = run.pass_at(k)
    head = p.counter()
    head = head[0].upper() + head[1:]
    text = step_text(run, k, index, reverse, collapsed=collapsed)
    if index <= 0 or p.last == 0:
        return f"{head}. {text}"
    return f"{head}, step {min(index, p.last)} of {p.last}: {text}"


def step_text(run: ForwardRun, k: int, index: int, reverse: Evaluation | None = None,
              summary: bool = True, collapsed: Collection[str] = ()) -> str:
    """What step ``index`` of pass ``k`` does: at the start, the leaves as dual numbers;
    then the step's dual arithmetic, or for a step inside one of the ``collapsed``
    groups (ids) what its box computed (`box_text`); at the end of a pass the
    derivative it collected, and (``summary``) at the end of the last pass
    `summary_text`."""
    if len(run) == 0:
        return "Forward mode has no pass to make: the graph has no input."
    p = run.pass_at(k)
    if index <= 0 or p.last == 0:
        labels = run.graph.labels()
        seeds = seeds_text(p, {n: labels[n] for n in run.inputs})
        text = f"Each input is a dual number v + tε: {seeds} (ε² = 0)."
        if p.last == 0:
            return f"{text} Pass done: {collected(p)}."
        return f"{text} Step forward to compute the values and tangents."
    index = min(index, p.last)
    inside = box_run(run.graph, set(collapsed), p.steps, index) if collapsed else None
    text = box_text(run, k, index, *inside) if inside else p.steps[index - 1].text
    if index < p.last:
        return text
    text += f". Pass done: {collected(p)}."
    if summary and p.number == p.of:
        text += f" {summary_text(run, reverse)}"
    return text


def box_text(run: ForwardRun, k: int, index: int, box: str, first: int) -> str:
    """What the box of collapsed group ``box`` computed in steps ``first`` to ``index``
    of pass ``k``: the outputs of the box among the nodes they computed (those its wires
    carry out, or the graph's output), each as its dual number and what its ε part is
    (``neuron 1 (collapsed, steps 1 to 5) computed h1 = 0.60437 + 0.19042ε: ∂h1/∂x1 =
    0.19042, its ε part``); when they computed no output, the last node they did."""
    p = run.pass_at(k)
    graph = run.graph
    computed = [s.node for s in p.steps[first - 1:index]]
    outputs = set(group_boundary(graph, box).outputs)
    state = p.state(index)
    parts = []
    for n in [n for n in computed if n in outputs] or computed[-1:]:
        label = graph.node(n).label
        parts.append(f"{label} = {dual(state.values[n], state.tangents[n])}: "
                     f"{partial(label, p.seed_label)} = {fmt(state.tangents[n])}, "
                     "its ε part")
    steps = f"step {index}" if first == index else f"steps {first} to {index}"
    return f"{graph.group(box).name} (collapsed, {steps}) computed {'; '.join(parts)}"


def summary_text(run: ForwardRun, reverse: Evaluation | None = None) -> str:
    """Every derivative the passes collected and (``reverse``, the reverse-mode run,
    when given) the comparison of both modes' operations."""
    text = f"All {len(run)} passes: {results_text(run)}."
    return f"{text} {comparison_text(run, reverse)}" if reverse is not None else text


def comparison_text(run: ForwardRun, reverse: Evaluation) -> str:
    """``Operations: forward: 4 passes × 3 operations = 12 dual operations; reverse: 3
    forward + 6 backward steps.``"""
    return f"Operations: {compare(run, reverse).text()}."


def node_text_at(run: ForwardRun, k: int, index: int, node: str) -> str:
    """A node in pass ``k`` after ``index`` steps: its dual number and what its ε part
    is (``c = 5 + 1ε: ∂c/∂a = 1, its ε part``), or the step that computes it."""
    p = run.pass_at(k)
    label = run.graph.labels()[node]
    state = p.state(index)
    if node not in state.values:
        at = next(i for i, s in enumerate(p.steps, start=1) if s.node == node)
        return f"{label} is not computed yet: step {at} of this pass computes it"
    d = dual(state.values[node], state.tangents[node])
    return (f"{label} = {d}: {partial(label, p.seed_label)} = "
            f"{fmt(state.tangents[node])}, its ε part")
