"""Forward mode: dual numbers pushed through the graph, one pass per input.

Every value becomes a dual number ``v + tε`` with ε² = 0. A pass seeds one input's
tangent with 1 (every other leaf's with 0) and computes each operation's value and
tangent from the op table: the value by the operation's forward function, the tangent
by the chain rule, Σ ∂out/∂operandᵢ · tangentᵢ, with the table's local derivatives. At
the end of the pass the output's tangent is d(output)/d(seeded input): one derivative
per pass, so a function of n inputs takes n passes where reverse mode takes one.

Each operation is recorded as a `DualStep` while the pass really runs, so the screen
replays what was computed and never computes it again. A `ForwardRun` makes its passes
when they are first asked for (a graph of many inputs need not run every pass to show
the first), and `ForwardRun.derivatives` runs them all.
"""
from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple

from .engine import _fail, _local
from .errors import EvaluationError, GraphError
from .evaluation import Evaluation, input_values
from .forward_text import arithmetic, dual
from .graph import Graph
from .ops import OPS
from .steps import BackwardStep

MODES = ("reverse", "forward")
"""The two ways to differentiate a graph that gradviz shows."""


class DualStep(NamedTuple):
    """One operation of a forward-mode pass: ``node = op(inputs)`` on dual numbers.

    ``input_values``/``input_tangents`` are the operands' real and ε parts,
    ``partials`` the local derivatives ∂node/∂operand the tangent was made from (None
    for an operand made of constants alone, whose tangent is always 0),
    ``value``/``tangent`` the result, ``expression`` the operation in the graph's names
    (``c = a + b``). `text` writes the dual arithmetic out.
    """

    node: str
    op: str
    inputs: tuple[str, ...]
    input_values: tuple[float, ...]
    input_tangents: tuple[float, ...]
    partials: tuple[float | None, ...]
    value: float
    tangent: float
    expression: str
    phase = "forward"  # of the class, not a field

    @property
    def text(self) -> str:
        """``c = a + b = (2 + 1ε) + (3 + 0ε) = 5 + 1ε``: written when asked for (a pass
        of a big graph need not format every step), from the recorded numbers."""
        return f"{self.expression} = " + arithmetic(
            self.op, self.input_values, self.input_tangents, self.partials, self.value,
            self.tangent)


class DualState(NamedTuple):
    """What is known after the first ``index`` steps of one pass: each known node's
    value and tangent, and the step just done (None at the start)."""

    index: int
    values: MappingProxyType
    tangents: MappingProxyType
    current: DualStep | None

    @property
    def phase(self) -> str:
        return "forward" if self.current is not None else "start"


class ForwardPass:
    """One forward-mode pass: the input ``seed`` has tangent 1, every other leaf 0.

    ``number`` counts passes from 1, ``of`` is how many passes the run has;
    ``derivative`` is the output's tangent at the end, d(output)/d(seed).
    """

    __slots__ = ("seed", "seed_label", "number", "of", "steps", "leaf_values",
                 "leaf_tangents", "output", "output_label", "derivative")

    def __init__(self, seed: str, seed_label: str, number: int, of: int,
                 steps: tuple[DualStep, ...], leaf_values: dict[str, float],
                 leaf_tangents: dict[str, float], output: str, output_label: str,
                 derivative: float) -> None:
        self.seed, self.seed_label, self.number, self.of = seed, seed_label, number, of
        self.steps = steps
        self.leaf_values, self.leaf_tangents = leaf_values, leaf_tangents
        self.output, self.output_label = output, output_label
        self.derivative = derivative

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def last(self) -> int:
        return len(self.steps)

    @property
    def forward_count(self) -> int:
        return len(self.steps)

    def stops(self, granularity: str = "edge") -> list[int]:
        """Every step index: one operation is one stop at either granularity."""
        return list(range(len(self.steps) + 1))

    def counter(self) -> str:
        """``pass 2 of 4: seeding x2``."""
        return f"pass {self.number} of {self.of}: seeding {self.seed_label}"

    def state(self, index: int) -> DualState:
        """The values and tangents known after the first ``index`` steps (clamped)."""
        index = max(0, min(index, len(self.steps)))
        values, tangents = dict(self.leaf_values), dict(self.leaf_tangents)
        for s in self.steps[:index]:
            values[s.node] = s.value
            tangents[s.node] = s.tangent
        return DualState(index, MappingProxyType(values), MappingProxyType(tangents),
                         self.steps[index - 1] if index else None)


class ForwardRun:
    """Forward mode on one graph: one `ForwardPass` per input, in the graph's order of
    inputs, each run the first time it is asked for."""

    def __init__(self, graph: Graph, order: tuple[str, ...], output: str,
                 leaves: dict[str, float]) -> None:
        self.graph = graph
        self.order = order
        self.output = output
        self.leaves = leaves
        self.inputs: tuple[str, ...] = tuple(n.id for n in graph.inputs())
        self._labels = graph.labels()
        self._passes: dict[int, ForwardPass] = {}
        self._depends: set[str] | None = None

    def __len__(self) -> int:
        """How many passes: one per input."""
        return len(self.inputs)

    @property
    def operations(self) -> int:
        """Operations one pass computes (every operation node of the graph)."""
        return sum(1 for n in self.order if self.graph.nx.nodes[n]["kind"] == "op")

    def pass_at(self, k: int) -> ForwardPass:
        """Pass ``k`` (0-based), run now unless it ran before. IndexError past the end."""
        if not 0 <= k < len(self.inputs):
            raise IndexError(f"pass {k + 1}: this run has passes 1 to {len(self.inputs)}")
        if k not in self._passes:
            self._passes[k] = self._run(k)
        return self._passes[k]

    def pass_or_problem(self, k: int) -> tuple[ForwardPass | None, str]:
        """Pass ``k``, or None and why there is none (no input; an operation with no
        finite derivative, off the output's path, which reverse mode never needs)."""
        if not self.inputs:
            return None, "forward mode needs an input: this graph has none"
        try:
            return self.pass_at(k), ""
        except (EvaluationError, IndexError) as exc:
            return None, str(exc)

    def passes(self) -> list[ForwardPass]:
        """Every pass, running those not run yet."""
        return [self.pass_at(k) for k in range(len(self.inputs))]

    def computed(self) -> list[int]:
        """The passes run so far (0-based), in order."""
        return sorted(self._passes)

    def derivatives(self) -> dict[str, float]:
        """d(output)/d(input) for every input, by label: the end of each pass."""
        return {p.seed_label: p.derivative for p in self.passes()}

    def gradients(self) -> dict[str, float]:
        """d(output)/d(input) for every input, by its id (labels may repeat)."""
        return {p.seed: p.derivative for p in self.passes()}

    def _live(self) -> set[str]:
        """The nodes that depend on an input (the others are made of constants)."""
        if self._depends is None:
            attrs, live = self.graph.nx.nodes, set()
            for n in self.order:
                if attrs[n]["kind"] == "input" or (
                        attrs[n]["kind"] == "op"
                        and any(s in live for s in self.graph.operands(n))):
                    live.add(n)
            self._depends = live
        return self._depends

    def _run(self, k: int) -> ForwardPass:
        seed = self.inputs[k]
        attrs = self.graph.nx.nodes
        values: dict[str, float] = {}
        tangents: dict[str, float] = {}
        leaf_values: dict[str, float] = {}
        leaf_tangents: dict[str, float] = {}
        steps: list[DualStep] = []
        labels = self._labels
        live = self._live()
        for n in self.order:
            a = attrs[n]
            if a["kind"] != "op":
                values[n] = leaf_values[n] = self.leaves[n]
                tangents[n] = leaf_tangents[n] = 1 if n == seed else 0
                continue
            op = OPS[a["op"]]
            operands = tuple(self.graph.operands(n))
            xs = tuple(values[s] for s in operands)
            ts = tuple(tangents[s] for s in operands)
            try:
                value = _forward(op, xs)
                x, y = xs[0], (xs[1] if len(xs) > 1 else None)
                # As the reverse engine does, no derivative is taken for an operand made
                # of constants alone: its tangent is 0 in every pass (2 in x ** 2).
                partials = tuple(_local(op, port, x, y, value) if s in live else None
                                 for port, s in enumerate(operands))
            except EvaluationError as exc:
                exc.node = labels[n]
                raise
            tangent = sum(p * t for p, t in zip(partials, ts, strict=True) if p is not None)
            if tangent - tangent != 0:
                exc = _fail(op, xs, "the tangent is too large to represent (overflow)")
                exc.node = labels[n]
                raise exc
            values[n], tangents[n] = value, tangent
            head = f"{labels[n]} = {op.expression(*(labels[s] for s in operands))}"
            steps.append(DualStep(n, op.id, operands, xs, ts, partials, value, tangent, head))
        out = self.output
        return ForwardPass(seed, labels[seed], k + 1, len(self.inputs), tuple(steps),
                           leaf_values, leaf_tangents, out, labels[out], tangents[out])


def _forward(op, xs: tuple[float, ...]) -> float:
    """The operation's value, refused (as the engine refuses it) where not finite."""
    for d in xs:
        if d - d != 0:
            raise _fail(op, xs, "an input is not a finite number")
    try:
        out = op.forward(*xs)
    except (ValueError, ZeroDivisionError) as exc:
        raise _fail(op, xs, op.domain or str(exc)) from None
    except OverflowError:
        raise _fail(op, xs, "the result is too large to represent (overflow)") from None
    if out.__class__ is complex:
        raise _fail(op, xs, op.domain or "the result is not a real number")
    if out - out != 0:
        raise _fail(op, xs, "the result is too large to represent (overflow)")
    return out


def forward_mode(graph: Graph, overrides: dict[str, float] | None = None) -> ForwardRun:
    """Forward mode on ``graph`` (``overrides`` by input label, as `evaluate` takes
    them). GraphError for a graph that cannot run; a pass's EvaluationError names the
    node whose operation has no finite result."""
    order = graph.validate()
    output = graph.resolved_output()
    if output is None:
        raise GraphError("the graph has no output")
    return ForwardRun(graph, tuple(order), output, input_values(graph, overrides))


def forward_mode_of(evaluation: Evaluation) -> ForwardRun:
    """Forward mode on the graph a reverse-mode run was made of, with its leaf values
    and its checked order (nothing is checked again)."""
    graph = evaluation.graph
    leaves = {n: evaluation.values[n] for n in evaluation.order
              if graph.nx.nodes[n]["kind"] != "op"}
    return ForwardRun(graph, evaluation.order, evaluation.output, leaves)


class Comparison(NamedTuple):
    """The operations each mode did, counted from the real runs."""

    passes: int
    operations: int
    """Dual operations per forward pass."""
    dual_operations: int
    """Dual operations of every pass together (the steps the passes recorded)."""
    reverse_forward: int
    reverse_backward: int
    """Backward steps: one per edge that carried a gradient back."""

    def text(self) -> str:
        """``forward: 4 passes × 3 operations = 12 dual operations; reverse: 3 forward
        + 6 backward steps``."""
        passes = f"{self.passes} pass" + ("" if self.passes == 1 else "es")
        ops = f"{self.operations} operation" + ("" if self.operations == 1 else "s")
        return (f"forward: {passes} × {ops} = {self.dual_operations} dual operations; "
                f"reverse: {self.reverse_forward} forward + {self.reverse_backward} "
                "backward steps")


def compare(run: ForwardRun, reverse: Evaluation) -> Comparison:
    """Count what both engines did: the forward passes' steps (every pass is run) and
    the reverse run's forward and backward steps."""
    passes = run.passes()
    per_pass = len(passes[0].steps) if passes else run.operations
    steps = reverse.timeline.steps
    backward = sum(1 for s in steps if isinstance(s, BackwardStep))
    return Comparison(len(passes), per_pass, sum(len(p.steps) for p in passes),
                      reverse.timeline.forward_count, backward)


def results_text(run: ForwardRun) -> str:
    """Every derivative the passes collected: ``∂e/∂a = 4, ∂e/∂b = 9``."""
    from .explain import partial
    from .notation import format_number as fmt

    return ", ".join(f"{partial(p.output_label, p.seed_label)} = {fmt(p.derivative)}"
                     for p in run.passes())


def node_text(state: DualState, node: str) -> str:
    """What a node shows in forward mode: ``5 + 1ε``, or ? before the pass reaches it."""
    if node not in state.values:
        return "?"
    return dual(state.values[node], state.tangents[node])
