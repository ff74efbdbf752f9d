"""The chain rule in words and numbers, for every step of a recorded run.

Everything here reads recorded steps and the graph's labels; no number is computed
again except the products and sums the step already states.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from .evaluation import Evaluation
from .graph import Graph
from .groups import box_run, fed_from_outside, group_boundary
from .notation import format_number as fmt
from .op_code import number, rule_numbers
from .ops import OPS
from .steps import BackwardStep, ForwardStep, SeedStep, Step, Timeline


def partial(of: str, wrt: str) -> str:
    """``∂of/∂wrt``, parenthesising labels that are not a single name."""
    return f"∂{_wrap(of)}/∂{_wrap(wrt)}"


def _wrap(label: str) -> str:
    return label if label.replace("_", "").isalnum() else f"({label})"


def describe(step: Step | None, graph: Graph, output: str,
             labels: Mapping[str, str] | None = None,
             values: Mapping[str, float] | None = None, rule: bool = True) -> str:
    """One line stating the step with its real numbers.

    Forward: ``c = a + b = 2 + 3 = 5``. Seed: ``∂e/∂e = 1``. Backward: the local rule
    with its numbers, then what it adds: ``∂d/∂b = 1;  ∂e/∂b += ∂e/∂d · ∂d/∂b = 5 · 1
    = 5  →  ∂e/∂b = 4 + 5 = 9`` (``∂h/∂u = 1 − tanh²(u) = 1 − 0.76159² = 0.41997;  …``).

    ``labels`` is ``graph.labels()`` when the caller has it already: describing every
    step of a large run would otherwise collect all the labels once per step.
    ``values`` (the run's values) puts the numbers into the rule; without them the rule
    is its formula and value. ``rule`` False leaves the rule out (for a caller that
    writes it apart, `rule_text`).
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
    parent = labels[step.parent]
    local = local_partial(graph, step.child, step.parent, output, labels)
    said = f"{rule_text(step, graph, output, labels, values)};  " if rule else ""
    head = (f"{said}{partial(out, parent)} += {partial(out, labels[step.child])} · "
            f"{local} = {operand(step.upstream)} · {operand(step.local)} = "
            f"{fmt(step.contribution)}")
    if step.before == 0:
        return f"{head}  →  {partial(out, parent)} = {fmt(step.after)}"
    return (f"{head}  →  {partial(out, parent)} = {fmt(step.before)} + "
            f"{operand(step.contribution)} = {fmt(step.after)}")


def rule_text(step: BackwardStep, graph: Graph, output: str,
              labels: Mapping[str, str] | None = None,
              values: Mapping[str, float] | None = None) -> str:
    """The local derivative's rule, with its numbers when ``values`` are given:
    ``∂h/∂u = 1 − tanh²(u) = 1 − 0.76159² = 0.41997``, ``∂e/∂c = d = 4``, ``∂c/∂a = 1``.

    A part that says the same as the one before it is left out (``d = 4``, not
    ``d = 4 = 4``).
    """
    if labels is None:
        labels = graph.labels()
    parts = [local_partial(graph, step.child, step.parent, output, labels), step.formula]
    if values is not None:
        operands = [values.get(n) if n else None for n in graph.operands(step.child)]
        if operands and operands[0] is not None and step.child in values:
            y = operands[1] if len(operands) > 1 else None
            parts.append(rule_numbers(step.op, step.port, operands[0], y,
                                      values[step.child]))
    parts.append(fmt(step.local))
    kept = [parts[0]]
    for p in parts[1:]:
        if p != kept[-1]:
            kept.append(p)
    return " = ".join(kept)


def opening(graph: Graph, output: str, labels: Mapping[str, str] | None = None,
            order: tuple[str, ...] | None = None, most: int = 4) -> str:
    """What step 0 says: the inputs and what the program computes, no result yet.

    ``Inputs a = 2, b = 3. The program computes c = a + b, d = b + 1, e = c · d.
    Step forward to compute the values.`` Past ``most`` operations they are counted,
    and the last (the output's) is written: ``… 5 operations, the last o = tanh(n).``
    """
    attrs = graph.nx.nodes
    # (A few lines are written: not every label collected, nor a Node made per node.)
    label = labels.__getitem__ if labels is not None else (lambda n: attrs[n]["label"])

    def line(n: str) -> str:
        operands = (label(o) if o else "?" for o in graph.operands(n))
        return f"{label(n)} = {OPS[attrs[n]['op']].expression(*operands)}"

    inputs = [f"{n.label} = {fmt(n.value)}" for n in graph.inputs()]
    if len(inputs) > 2 * most:
        inputs = [*inputs[:most], f"… ({len(inputs)} inputs)"]
    kinds = dict(graph.nx.nodes(data="kind"))
    ops = [n for n in (order or graph.order()) if kinds[n] == "op"]
    if len(ops) <= most:
        program = f"The program computes {', '.join(map(line, ops))}." if ops else ""
    else:
        program = f"The program computes {len(ops)} operations, the last {line(ops[-1])}."
    start = f"Inputs {', '.join(inputs)}." if inputs else "No inputs."
    return " ".join(p for p in (start, program, "Step forward to compute the values.") if p)


_NUMBER = re.compile(r"(?<![\w.])[−-]?\d+(?:\.\d+)?(?:e[−+-]?\d+)?")


def states_result(description: str, evaluation: Evaluation) -> bool:
    """Whether ``description`` gives away what the run finds: it writes a derivative
    (∂), or a number that is the output's value or a gradient (to the digits it
    writes) and not an input's. Such a description is shown at the end, not at step 0.
    """
    if "∂" in description:
        return True
    found = [m.group().replace("−", "-") for m in _NUMBER.finditer(description)]
    if not found:
        return False
    given = {fmt(v) for n, v in evaluation.timeline.leaf_values.items()}
    results = {evaluation.value, *evaluation.grads.values()}
    rounded: dict[int, set[float]] = {}  # the results to so many digits (a set per count)
    for text in found:
        if fmt(float(text)) in given:
            continue
        digits = len(text.split("e")[0].lstrip("-").replace(".", "").lstrip("0")) or 1
        if digits not in rounded:
            rounded[digits] = {float(f"{r:.{digits}g}") for r in results}
        if float(text) in results or float(text) in rounded[digits]:
            return True
    return False


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
    # Written close, as one symbol (∂(c·d)/∂c): a line never breaks inside it.
    return f"∂{expression.replace(' ', '')}/∂{_wrap(labels[parent])}"


def operand(x: float) -> str:
    """A number as an operand in written arithmetic: negatives in parentheses, ``(−1)``."""
    return number(x)


def local_rule(step: BackwardStep, graph: Graph,
               values: Mapping[str, float] | None = None) -> str:
    """The local derivative as a rule of the child alone: ``∂d/∂b = 1``,
    ``∂e/∂c = d = 4`` (`rule_text` with no output to name differently)."""
    return rule_text(step, graph, "", None, values)


def gradient_expansion(evaluation: Evaluation, node: str) -> str:
    """A node's gradient as the sum over the nodes it feeds.

    ``∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 4·1 + 5·1 = 9``.
    """
    graph = evaluation.graph
    labels = evaluation.labels
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
    rules = [rule_text(s, graph, evaluation.output, labels, evaluation.values)
             for s in steps]
    told = [r for r in rules if r.count(" = ") > 1]  # not the plain ∂c/∂b = 1
    where = f",  where {';  '.join(told)}" if told else ""
    return f"{partial(out, me)} = {symbolic} = {numeric} = {total}{where}"


def caption(evaluation: Evaluation, index: int, labels: dict[str, str] | None = None,
            collapsed: Collection[str] = ()) -> str:
    """The caption line for step ``index`` of the run (0 = before the first step);
    ``labels`` (the graph's, see `describe`) saves collecting them for each caption.
    A step inside one of the ``collapsed`` groups (ids) says what its box did
    (`box_summary`)."""
    timeline = evaluation.timeline
    current = timeline.steps[index - 1] if 0 < index <= len(timeline) else None
    if current is None:
        return opening(evaluation.graph, evaluation.output, order=evaluation.order)
    text = box_summary(evaluation, index, collapsed) if collapsed else None
    if text is None:
        text = describe(current, evaluation.graph, evaluation.output,
                        evaluation.labels if labels is None else labels, evaluation.values)
    return f"{position(timeline, index)}: {text}"


def box_summary(evaluation: Evaluation, index: int, collapsed: Collection[str]) -> str | None:
    """What the steps inside a collapsed group did, up to step ``index`` (the player
    stops once for them all, at their last): in the forward pass the values its outputs
    took, ``neuron 1 (collapsed, steps 1 to 5) computed h1 = 0.60437``; in the backward
    pass the gradients it has passed back to the nodes fed from outside it,
    ``… passed the gradient back through it: ∂loss/∂h1_a = 0.2, …``. None for a step
    that is not inside one (it is drawn and said on its own)."""
    steps, graph = evaluation.timeline.steps, evaluation.graph
    inside = box_run(graph, set(collapsed), steps, index)
    if inside is None:
        return None
    box, first = inside
    labels, name = evaluation.labels, graph.group(box).name
    back = 0 if steps[index - 1].phase == "forward" else evaluation.timeline.forward_count
    when = f"step {index - back}" if first == index else \
        f"steps {first - back} to {index - back}"  # counted within the phase, as above
    run = steps[first - 1:index]
    if steps[index - 1].phase == "forward":
        made = [s.node for s in run]
        outputs = set(group_boundary(graph, box).outputs)
        shown = [n for n in made if n in outputs] or made[-1:]
        parts = [f"{labels[n]} = {fmt(evaluation.values[n])}" for n in shown]
        return f"{name} (collapsed, {when}) computed {', '.join(parts)}"
    grads = evaluation.timeline.state(index).grads
    out = labels[evaluation.output]
    reached = list(dict.fromkeys(s.parent for s in run if isinstance(s, BackwardStep)))
    parts = [f"{partial(out, labels[n])} = {fmt(grads.get(n, 0))}"
             for n in fed_from_outside(graph, box, reached) or reached[-1:]]
    if not parts:  # the seed alone: said as it is
        return None
    return f"{name} (collapsed, {when}) passed the gradient back through it: " \
           f"{', '.join(parts)}"


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
