"""Undoable gradient descent: a Descend, and the choice of parameters and learning rate.

`DescendCommand` is one undo step however many descent steps it takes: at its first
redo it takes them from the document as it is then (`core.descent.descend`, with the
document's parameters and rate), gives the parameters their new values (the program's
numbers follow) and adds the outputs to the document's history; undo puts the values
and the history back. `SetDescentCommand` holds an input fixed or frees it, or sets the
learning rate: the document's file keeps both, so they are edits too.
"""
from __future__ import annotations

import math

from PySide6.QtGui import QUndoCommand

from ..core.descent import DEFAULT_RATE, check_steps, descend, parameters
from ..core.document import FIXED, RATE
from ..core.errors import GradvizError, GraphError
from ..core.notation import format_number
from .commands import DocumentCommand, edited_program, with_program
from .document import Change, Descent, Document, State


def descent_of(view: dict) -> Descent:
    """The descent settings a document's (checked) view holds: none fixed and the default
    rate where it says nothing."""
    fixed, rate = view.get(FIXED), view.get(RATE)
    return Descent(tuple(fixed) if isinstance(fixed, list) else (),
                   rate if isinstance(rate, (int, float)) else DEFAULT_RATE)


def descent_view(descent: Descent) -> dict:
    """What a file's view keeps of ``descent``: what differs from a file without it (the
    history is not kept)."""
    view: dict = {}
    if descent.fixed:
        view[FIXED] = list(descent.fixed)  # (those no longer inputs are left out on saving)
    if descent.rate != DEFAULT_RATE:
        view[RATE] = descent.rate
    return view


class DescendCommand(DocumentCommand):
    """``steps`` steps of p ← p − rate·∂out/∂p on the parameters, as one undo step.

    A descent that cannot be made (every input held fixed, a step leaving the finite
    numbers) makes the command obsolete with its reason in ``refusal``, and nothing
    changes.
    """

    def __init__(self, document: Document, steps: int = 1) -> None:
        self.steps = check_steps(steps)
        super().__init__(document, "Descend" if steps == 1 else f"Descend {steps} steps")
        self._history: tuple[tuple[float, ...], tuple[float, ...]] | None = None
        """The document's history before and after (set at the first redo)."""

    def change(self, state: State) -> State:
        setup = self._document.descent
        params = parameters(state.graph, setup.fixed)
        if not params:
            raise GraphError("every input is held fixed: tick the parameters to move"
                             if state.graph.inputs() else "the graph has no inputs to move")
        try:
            run = descend(state.graph, params, setup.rate, self.steps)
        except GradvizError as exc:  # a step that leaves the numbers, a graph that won't run
            raise GraphError(str(exc)) from None
        before = setup.history
        start = before if before and before[-1] == run.start else (*before, run.start)
        self._history = (before, (*start, *run.history))
        program = edited_program(state.program, state.graph, run.graph)
        return with_program(state, run.graph, program)

    def known_change(self) -> Change | None:
        return Change(structure=False, values=True)

    def redo(self) -> None:
        super().redo()
        if self._history is not None and not self.isObsolete():
            self._set_history(self._history[1])

    def undo(self) -> None:
        super().undo()
        if self._history is not None:
            self._set_history(self._history[0])

    def _set_history(self, history: tuple[float, ...]) -> None:
        d = self._document
        d.set_descent(d.descent._replace(history=history))


class SetDescentCommand(QUndoCommand):
    """Hold input ``node_id`` fixed or free it (``fixed``), or set the learning rate."""

    def __init__(self, document: Document, *, node_id: str | None = None,
                 fixed: bool | None = None, rate: float | None = None) -> None:
        if (node_id is None) == (rate is None) or (node_id is None) != (fixed is None):
            raise ValueError("give an input and whether it is fixed, or a rate")
        if rate is not None:
            if isinstance(rate, bool) or not isinstance(rate, (int, float)) \
                    or not math.isfinite(rate):
                raise GraphError("the learning rate must be a finite number")
            text = f"Learning rate {format_number(rate)}"
        else:
            if node_id not in document.graph or document.graph.node(node_id).kind != "input":
                raise GraphError("only an input can be a parameter", node_id)
            label = document.graph.node(node_id).label
            text = f"Hold {label} fixed" if fixed else f"Descend on {label}"
        super().__init__(text)
        self._document = document
        self.node_id, self.fixed, self.rate = node_id, fixed, rate
        self._before: Descent | None = None

    def redo(self) -> None:
        d = self._document
        now = d.descent
        if self._before is None:
            self._before = now
        if self.rate is not None:
            d.set_descent(now._replace(rate=float(self.rate)))
            return
        held = tuple(n for n in now.fixed if n != self.node_id)
        d.set_descent(now._replace(fixed=(*held, self.node_id) if self.fixed else held))

    def undo(self) -> None:
        d = self._document
        if self._before is not None:
            d.set_descent(d.descent._replace(fixed=self._before.fixed, rate=self._before.rate))
