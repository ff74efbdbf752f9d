"""Recorded passes: the steps the screen replays, and the timeline that orders them.

A step is plain frozen data recorded while the engine really ran (see
`evaluation.evaluate`); nothing here computes a value or a gradient again. The state at
step index ``k`` is what is known after the first ``k`` steps: index 0 shows only the
inputs, the last index shows every value and gradient.

Records here are named tuples and slotted classes, not dataclasses: the app imports this
module at start-up, where a frozen dataclass costs about a millisecond to generate its
methods (see docs/startup.md).
"""
from __future__ import annotations

import math
from types import MappingProxyType
from typing import NamedTuple, Sequence


class ForwardStep(NamedTuple):
    """One operation computed: ``node = op(inputs) = value``."""

    node: str
    op: str
    inputs: tuple[str, ...]
    input_values: tuple[float, ...]
    value: float
    phase = "forward"  # of the class, not a field


class SeedStep(NamedTuple):
    """The backward pass begins: d(output)/d(output) = 1."""

    node: str
    grad: float = 1
    phase = "backward"


class BackwardStep(NamedTuple):
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
    phase = "backward"

    @property
    def edge(self) -> tuple[str, str, int]:
        return (self.parent, self.child, self.port)


Step = ForwardStep | SeedStep | BackwardStep


class State:
    """What is known at one step index: the view draws exactly this.

    A timeline keeps some of its states, hands each to everyone who asks for its index
    and builds later states from it, so the mappings are read-only.
    """

    __slots__ = ("index", "values", "grads", "current", "done_edges", "grad_terms")

    def __init__(self, index: int, values: MappingProxyType[str, float],
                 grads: MappingProxyType[str, float], current: Step | None,
                 done_edges: frozenset[tuple[str, str, int]],
                 grad_terms: MappingProxyType[str, tuple[float, ...]]) -> None:
        self.index = index
        self.values = values
        self.grads = grads
        self.current = current
        self.done_edges = done_edges
        self.grad_terms = grad_terms

    @property
    def phase(self) -> str:
        return self.current.phase if self.current else "start"


def _after(state: State, steps: Sequence[Step]) -> State:
    """The state once ``steps``, those that follow ``state``'s index, are done.

    The values are shared with ``state`` unless a forward step is among them: in the
    backward pass every state has the same values, and a checkpoint need not copy them.
    """
    forward = any(isinstance(s, ForwardStep) for s in steps)
    values = state.values.copy() if forward else state.values
    grads, terms = state.grads.copy(), state.grad_terms.copy()
    done: set[tuple[str, str, int]] = set()
    added: dict[str, list[float]] = {}  # each node's new terms, joined to its tuple once
    for s in steps:
        if isinstance(s, ForwardStep):
            values[s.node] = s.value
        elif isinstance(s, SeedStep):
            grads[s.node] = s.grad
        else:
            grads[s.parent] = s.after
            added.setdefault(s.parent, []).append(s.contribution)
            done.add(s.edge)
    for node, more in added.items():
        # (A tuple grown a term at a time was quadratic: a value that fans out to 50,000
        # nodes took 6 s to reach the last step.)
        terms[node] = terms.get(node, ()) + tuple(more)
    return State(state.index + len(steps),
                 MappingProxyType(values) if forward else state.values,
                 MappingProxyType(grads), steps[-1],
                 state.done_edges | done if done else state.done_edges,
                 MappingProxyType(terms))


CHECKPOINTS = 16
"""At most this many states (besides the start) a timeline keeps at even spacing, so that
its memory stays a small multiple of one state's (see `Timeline.state`)."""
CHECKPOINT_SPACING = 256
"""The fewest steps between two checkpoints (more on a timeline of over 4,096 steps)."""
RECENT = 4
"""How many of the states last asked for a timeline keeps besides its checkpoints."""


class Timeline:
    """Every step of one run, in the order the engine took them."""

    __slots__ = ("steps", "leaf_values", "output", "forward_count", "_spacing",
                 "_checkpoints", "_recent")

    def __init__(self, steps: tuple[Step, ...], leaf_values: dict[str, float],
                 output: str) -> None:
        self.steps = steps
        self.leaf_values = leaf_values
        self.output = output
        self.forward_count = sum(1 for s in steps if s.phase == "forward")
        """How many steps the forward pass takes (counted once: every caption asks)."""
        self._spacing = max(CHECKPOINT_SPACING, math.ceil(len(steps) / CHECKPOINTS))
        start = State(0, MappingProxyType(dict(leaf_values)), MappingProxyType({}), None,
                      frozenset(), MappingProxyType({}))
        # _checkpoints[i] is the state at index i * _spacing; they are made in order,
        # the first time a state at or past that index is asked for.
        self._checkpoints = [start]
        self._recent: list[State] = []

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def last(self) -> int:
        return len(self.steps)

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
        """The state after the first ``index`` steps (clamped to the timeline).

        Built from the nearest state already known at or below ``index`` (one of the
        last few asked for, or a checkpoint) by applying the steps in between, so that
        stepping costs one step and a jump at most the spacing of the checkpoints.
        """
        index = max(0, min(index, len(self.steps)))
        spacing, checkpoints = self._spacing, self._checkpoints
        known = [s for s in self._recent if s.index <= index]
        known.append(checkpoints[min(index // spacing, len(checkpoints) - 1)])
        state = max(known, key=lambda s: s.index)
        while state.index < index:
            stop = min(index, (state.index // spacing + 1) * spacing)
            state = _after(state, self.steps[state.index:stop])
            if stop == len(checkpoints) * spacing:
                checkpoints.append(state)
        if state not in self._recent:
            self._recent.append(state)
            del self._recent[:-RECENT]
        return state
