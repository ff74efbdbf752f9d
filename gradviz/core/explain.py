"""The chain rule in words and numbers, for every step of a recorded run.

Everything here reads recorded steps and the graph's labels; no number is computed
again except the products and sums the step already states.
"""
from __future__ import annotations

from collections.abc import Mapping

from .evaluation import Evaluation
from .graph import Graph
from .notation import format_number as fmt
from .ops import OPS
from .steps import BackwardStep, ForwardStep, SeedStep, Step, Timeline


def partial(of: str, wrt: str) -> str:
    """``∂of/∂wrt``, parenthesising labels that are not a single name."""
    return f"∂{_wrap(of)}/∂{_wrap(wrt)}"


def _wrap(label: str) -> str:
    return label if label.replace("_", "").isalnum() else f"({label})"


def describe(step: Step | None, graph: Graph, output: str,
             labels: Mapping[str, str] | None = None) -> str:
    """One line stating the step with its real numbers.

    Forward: ``c = a + b = 2 + 3 = 5``. Seed: ``∂e/∂e = 1``. Backward:
    ``∂e/∂b += ∂e/∂d · ∂d/∂b = 5 · 1 = 5  →  ∂e/∂b = 4 + 5 = 9``.

    ``labels`` is ``graph.labels()`` when the caller has it already: describing every
    step of a large run would otherwise collect all the labels once per step.
    """
    if step is None:
        return "Inputs set. Step forward to compute the values."
    if labels is None:
        labels = graph.labels()
    out = labels[output]
    if isinstance(step, ForwardStep):
        op = OPS[step.op]
        names = [labels[n] for n in step.inputs]
        numbers = [operand(x) for x in step.input_values]
        symbolic = op.expression(*names)
        numeric = op.expression(*numbers)
        return f"{labels[step.node]} = {symbolic} = {numeric} = {fmt(step.value)}"
    if isinstance(step, SeedStep):
        return f"{partial(out, labels[step.node])} = {fmt(step.grad)}  (the seed: the output's gradient with respect to itself)"
    child, parent = labels[step.child], labels[step.parent]
    local = local_partial(graph, step.child, step.parent, output, labels)
    head = (f"{partial(out, parent)} += {partial(out, child)} · {local} = "
            f"{operand(step.upstream)} · {operand(step.local)} = {fmt(step.contribution)}")
    if step.before == 0:
        return f"{head}  →  {partial(out, parent)} = {fmt(step.after)}"
    return (f"{head}  →  {partial(out, parent)} = {fmt(step.before)} + "
            f"{operand(step.contribution)} = {fmt(step.after)}")


def local_partial(graph: Graph, child: str, parent: str, output: str,
                  labels: Mapping[str, str] | None = None) -> str:
    """The local factor ∂child/∂parent as a symbol: ``∂d/∂b``.

    For the output's own inputs, ∂e/∂c would read exactly like the gradient being
    computed (∂e/∂c += ∂e/∂e · ∂e/∂c); the operation is named instead: ∂(c · d)/∂c.
    ``labels`` as for `describe`.
    """
    if labels is None:
        labels = graph.labels()
    if child != output:
        return partial(labels[child], labels[parent])
    op = OPS[graph.node(child).op]
    expression = op.expression(*(labels[n] if n else "?" for n in graph.operands(child)))
    if op.function is None:
        expression = f"({expression})"
    return f"∂{expression}/∂{_wrap(labels[parent])}"


def operand(x: float) -> str:
    """A number as an operand in written arithmetic: negatives in parentheses, ``(-1)``."""
    text = fmt(x)
    return f"({text})" if text.startswith("-") else text


def local_rule(step: BackwardStep, graph: Graph) -> str:
    """The local derivative as a rule: ``∂d/∂b = 1`` or ``∂e/∂c = d = 4``."""
    labels = graph.labels()
    head = partial(labels[step.child], labels[step.parent])
    value = fmt(step.local)
    if step.formula == value:
        return f"{head} = {value}"
    return f"{head} = {step.formula} = {value}"


def gradient_expansion(evaluation: Evaluation, node: str) -> str:
    """A node's gradient as the sum over the nodes it feeds.

    ``∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 4·1 + 5·1 = 9``.
    """
    graph = evaluation.graph
    labels = graph.labels()
    out = labels[evaluation.output]
    me = labels[node]
    if node == evaluation.output:
        return f"{partial(out, me)} = 1  (the output itself)"
    n = graph.node(node)
    if n.kind == "const":
        return f"{me} is a constant: it has no gradient"
    steps = [s for s in evaluation.timeline.steps
             if isinstance(s, BackwardStep) and s.parent == node]
    if not steps:
        return f"{partial(out, me)} = 0  ({out} does not depend on {me})"
    symbolic = " + ".join(
        f"{partial(out, labels[s.child])}·"
        f"{local_partial(graph, s.child, node, evaluation.output, labels)}"
        for s in steps)
    numeric = " + ".join(f"{operand(s.upstream)}·{operand(s.local)}" for s in steps)
    total = fmt(evaluation.grads.get(node, 0))
    return f"{partial(out, me)} = {symbolic} = {numeric} = {total}"


def caption(evaluation: Evaluation, index: int) -> str:
    """The caption line for step ``index`` of the run (0 = before the first step)."""
    timeline = evaluation.timeline
    current = timeline.steps[index - 1] if 0 < index <= len(timeline) else None
    text = describe(current, evaluation.graph, evaluation.output)
    if index == 0:
        return text
    return f"{position(timeline, index)}: {text}"


def position(timeline: Timeline, index: int) -> str:
    """Where step ``index`` stands, counted within its phase: ``Backward step 3 of 6``."""
    forward = timeline.forward_count
    if index <= 0:
        return "Start"
    if index <= forward:
        return f"Forward step {index} of {forward}"
    return f"Backward step {index - forward} of {len(timeline) - forward}"


def gradient_at(evaluation: Evaluation, node: str, index: int) -> str:
    """A node's gradient as far as step ``index`` has computed it.

    Complete: the whole sum (`gradient_expansion`). Part way: what has arrived so far and
    how much is still to come; before the backward pass reaches the node: when it will.
    """
    graph, timeline = evaluation.graph, evaluation.timeline
    label = graph.node(node).label
    head = partial(graph.node(evaluation.output).label, label)
    if graph.node(node).kind == "const" or node == evaluation.output:
        return gradient_expansion(evaluation, node)
    into = [i for i, s in enumerate(timeline.steps, start=1)
            if isinstance(s, BackwardStep) and s.parent == node]
    done = [i for i in into if i <= index]
    if len(done) == len(into):
        return gradient_expansion(evaluation, node)
    if not done:
        return (f"{head} is not known yet: the backward pass reaches {label} "
                f"at step {into[0]}")
    so_far = timeline.state(index).grads.get(node, 0)
    left = len(into) - len(done)
    more = "1 more contribution comes" if left == 1 else f"{left} more contributions come"
    return f"{head} = {fmt(so_far)} so far; {more} (the next at step {into[len(done)]})"
