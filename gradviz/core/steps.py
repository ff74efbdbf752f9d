"""Recorded passes: the steps the screen replays, and the timeline that orders them.

A step is plain frozen data recorded while the engine really ran (see
`evaluation.evaluate`); nothing here computes a value or a gradient again. The state at
step index ``k`` is what is known after the first ``k`` steps: index 0 shows only the
inputs, the last index shows every value and gradient.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ForwardStep:
    """One operation computed: ``node = op(inputs) = value``."""

    node: str
    op: str
    inputs: tuple[str, ...]
    input_values: tuple[float, ...]
    value: float
    phase: str = field(default="forward", init=False)


@dataclass(frozen=True)
class SeedStep:
    """The backward pass begins: d(output)/d(output) = 1."""

    node: str
    grad: float = 1
    phase: str = field(default="backward", init=False)


@dataclass(frozen=True)
class BackwardStep:
    """One edge of the backward pass: ``parent.grad += local · child.grad``.

    ``formula`` is the local derivative d(child)/d(parent) as text in the graph's names
    (``d`` for d(c·d)/dc), ``local`` its value, ``upstream`` the child's gradient,
    ``contribution`` their product, ``before``/``after`` the parent's gradient around
    the addition. ``group`` numbers the child nodes in the order the engine handled them.
    """

    child: str
    parent: str
    port: int
    op: str
    formula: str
    local: float
    upstream: float
    contribution: float
    before: float
    after: float
    group: int
    phase: str = field(default="backward", init=False)

    @property
    def edge(self) -> tuple[str, str, int]:
        return (self.parent, self.child, self.port)


Step = ForwardStep | SeedStep | BackwardStep


@dataclass(frozen=True)
class State:
    """What is known at one step index: the view draws exactly this."""

    index: int
    values: dict[str, float]
    grads: dict[str, float]
    current: Step | None
    done_edges: frozenset[tuple[str, str, int]]
    grad_terms: dict[str, tuple[float, ...]]

    @property
    def phase(self) -> str:
        return self.current.phase if self.current else "start"


@dataclass(frozen=True)
class Timeline:
    """Every step of one run, in the order the engine took them."""

    steps: tuple[Step, ...]
    leaf_values: dict[str, float]
    output: str

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def last(self) -> int:
        return len(self.steps)

    @property
    def forward_count(self) -> int:
        return sum(1 for s in self.steps if s.phase == "forward")

    @property
    def backward_start(self) -> int:
        """The index at which the seed step has just been shown."""
        return self.forward_count + 1

    def stops(self, granularity: str = "edge") -> list[int]:
        """Step indices a player stops at: every step, or (``node``) one per node.

        At node granularity a forward stop is one operation and a backward stop is all
        the edges out of one child node at once.
        """
        if granularity == "edge":
            return list(range(len(self.steps) + 1))
        result = [0]
        for i, s in enumerate(self.steps, start=1):
            nxt = self.steps[i] if i < len(self.steps) else None
            if (isinstance(s, BackwardStep) and isinstance(nxt, BackwardStep)
                    and nxt.group == s.group):
                continue
            result.append(i)
        return result

    def state(self, index: int) -> State:
        """The state after the first ``index`` steps (clamped to the timeline)."""
        index = max(0, min(index, len(self.steps)))
        values = dict(self.leaf_values)
        grads: dict[str, float] = {}
        terms: dict[str, list[float]] = {}
        done: set[tuple[str, str, int]] = set()
        for s in self.steps[:index]:
            if isinstance(s, ForwardStep):
                values[s.node] = s.value
            elif isinstance(s, SeedStep):
                grads[s.node] = s.grad
            else:
                grads[s.parent] = s.after
                terms.setdefault(s.parent, []).append(s.contribution)
                done.add(s.edge)
        current = self.steps[index - 1] if index > 0 else None
        return State(index, values, grads, current, frozenset(done),
                     {k: tuple(v) for k, v in terms.items()})

