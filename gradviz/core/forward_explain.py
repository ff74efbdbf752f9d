"""Forward mode in words and numbers: the caption of every step of every pass.

Everything here reads recorded passes (`forward.ForwardPass`) and the reverse run's
counts; no value or tangent is computed again.
"""
from __future__ import annotations

from .evaluation import Evaluation
from .explain import partial
from .forward import ForwardPass, ForwardRun, compare, results_text
from .forward_text import dual
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


def caption(run: ForwardRun, k: int, index: int, reverse: Evaluation | None = None) -> str:
    """The caption of step ``index`` of pass ``k`` (0-based): the pass counter, then
    what `step_text` says."""
    if len(run) == 0:
        return step_text(run, k, index, reverse)
    p = run.pass_at(k)
    head = p.counter()
    head = head[0].upper() + head[1:]
    if index <= 0 or p.last == 0:
        return f"{head}. {step_text(run, k, index, reverse)}"
    return f"{head}, step {min(index, p.last)} of {p.last}: {step_text(run, k, index, reverse)}"


def step_text(run: ForwardRun, k: int, index: int, reverse: Evaluation | None = None,
              summary: bool = True) -> str:
    """What step ``index`` of pass ``k`` does: at the start, the leaves as dual numbers;
    then the step's dual arithmetic; at the end of a pass the derivative it collected,
    and (``summary``) at the end of the last pass `summary_text`."""
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
    text = p.steps[index - 1].text
    if index < p.last:
        return text
    text += f". Pass done: {collected(p)}."
    if summary and p.number == p.of:
        text += f" {summary_text(run, reverse)}"
    return text


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
