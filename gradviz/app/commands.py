"""Undoable edits of the document: typing a program, setting a value, moving a node.

Every command works out its change when it first runs (``redo``), from the document as it
is then, never when it is built: two commands built before the first is pushed both
apply. It keeps the states before and after, so undo and redo restore them exactly, and
it never pushes another command. Graph-building edits (add, connect, delete, rename) live
in `graph_commands.py` on the same base.
"""
from __future__ import annotations

import math
import time

from PySide6.QtGui import QUndoCommand

from ..core.errors import GraphError
from ..core.graph import Graph
from ..core.language_text import to_text
from ..core.notation import format_number
from ..core.program_edit import rewrite_program, with_new_number
from .document import EDITED, TYPED, Change, Document, State

SET_VALUE_ID = 1001
UNFINISHED = "# The graph on the canvas is not finished yet: {reason}.\n" \
             "# Its program appears here once it can be written.\n"


def program_for(graph: Graph) -> str:
    """The program text of ``graph``, or a comment saying why it has none yet."""
    try:
        return to_text(graph)
    except GraphError as exc:
        return UNFINISHED.format(reason=exc.message)


def edited_program(program: str, before: Graph, after: Graph) -> str:
    """``program`` (the text of ``before``) rewritten for ``after``, statement by statement."""
    try:
        return rewrite_program(program, before, after)
    except GraphError as exc:
        return UNFINISHED.format(reason=exc.message)


class DocumentCommand(QUndoCommand):
    """A change of the document's `State`, computed by ``change`` at the first redo.

    ``change`` gets the state as it is and returns the new one; a GraphError it raises
    (the document changed since the edit was asked for) makes the command obsolete, so
    the stack drops it and nothing changes. ``refusal`` then says why. A command that
    knows what it changes (one value, one node's place) says so in ``known_change``, and
    the document need not compare every node of the two graphs to find it.
    """

    origin = EDITED

    def __init__(self, document: Document, text: str) -> None:
        super().__init__(text)
        self._document = document
        self._before: State | None = None
        self._after: State | None = None
        self.refusal = ""

    def change(self, state: State) -> State:
        raise NotImplementedError

    def known_change(self) -> Change | None:
        """How the graphs before and after differ (either way round), when the command
        can say it without comparing them; None: the document compares them."""
        return None

    def redo(self) -> None:
        d = self._document
        if self._after is None:
            self._before = d.state
            try:
                self._after = self.change(d.state)
            except GraphError as exc:
                self.refusal = str(exc)
                self.setObsolete(True)
                return
        d.apply(self._after, self.origin, self._change_from(self._before))

    def undo(self) -> None:
        if self._before is not None:
            self._document.apply(self._before, self.origin, self._change_from(self._after))

    def _change_from(self, state: State) -> Change | None:
        """The known change, when the document's graph is ``state``'s (as the undo stack
        keeps it); else None, and the document compares."""
        return self.known_change() if self._document.graph is state.graph else None


def with_program(state: State, graph: Graph, program: str) -> State:
    """The state with a new graph and text; a description goes once the text changes
    (it was about the program as opened, numbers included)."""
    description = state.description if program == state.program else ""
    return State(graph, program, description, state.name)


class ReplaceGraphCommand(DocumentCommand):
    """The graph rebuilt from new program text (typing, pasting, a restored copy).

    Nodes that survive, matched by label, keep the position the user gave them. A new
    program is no longer the example that was open: it is "untitled" (a file keeps its
    name, which comes from its path), and the example's description goes.
    """

    origin = TYPED

    def __init__(self, document: Document, graph: Graph, program: str,
                 text: str = "Edit program", description: str | None = None) -> None:
        super().__init__(document, text)
        self._graph, self._program, self._description = graph, program, description

    def change(self, state: State) -> State:
        graph = _with_kept_positions(self._graph, state.graph)
        if self._description is not None:
            return State(graph, self._program, " ".join(self._description.split()),
                         state.name)
        if self._program == state.program:
            return with_program(state, graph, self._program)
        return State(graph, self._program, "", "untitled")


def _with_kept_positions(new: Graph, old: Graph) -> Graph:
    result = new.copy()
    pinned = {a["label"]: a["pos"] for _, a in old.nx.nodes(data=True)
              if a.get("pos") is not None}
    for n, a in list(result.nx.nodes(data=True)):
        if a.get("pos") is None and a["label"] in pinned:
            result.set_attrs(n, pos=pinned[a["label"]])
    return result


class SetValueCommand(DocumentCommand):
    """The value of an input or a constant (the inputs panel, the node editor, Randomise).

    The graph is where values live, so the program's statement for that node gets the
    new number too. A run of changes to one node in quick succession (a slider drag, a
    held arrow key) is one undo step; two separate entries, with a pause between them,
    are two.
    """

    MERGE_WITHIN = 0.75  # seconds between changes that still count as one gesture

    def __init__(self, document: Document, node_id: str, value: float) -> None:
        if node_id not in document.graph:
            raise GraphError("there is no such node")
        node = document.graph.node(node_id)
        if node.kind == "op":
            raise GraphError(f"{node.label}'s value is computed, it cannot be set", node_id)
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not math.isfinite(value):
            raise GraphError("a value must be a finite number", node_id)
        self.node_id = node_id
        self.label = node.label
        self.value = float(value)
        self.last_change = time.monotonic()
        super().__init__(document, self._title())

    def _title(self) -> str:
        return f"Set {self.label} = {format_number(self.value)}"

    def id(self) -> int:
        return SET_VALUE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802
        if not isinstance(other, SetValueCommand) or other.node_id != self.node_id \
                or other._after is None or self._after is None:
            return False
        if other.last_change - self.last_change > self.MERGE_WITHIN:
            return False
        self.last_change = other.last_change
        self.value = other.value
        self._after = other._after
        self.setText(self._title())
        return True

    def change(self, state: State) -> State:
        if self.node_id not in state.graph:
            raise GraphError(f"{self.label} is not in the graph any more")
        node = state.graph.node(self.node_id)
        graph = state.graph.copy()
        if node.kind == "const" and node.label == format_number(node.value):
            graph.set_attrs(self.node_id, value=self.value, label=format_number(self.value))
        else:
            graph.set_attrs(self.node_id, value=self.value)
        program = None
        if node.kind == "input" and node.value != self.value:  # its number alone changes
            program = with_new_number(state.program, node.label, self.value)
        if program is None:
            program = edited_program(state.program, state.graph, graph)
        return with_program(state, graph, program)

    def known_change(self) -> Change | None:
        """One node's value, and a constant's label that is its number (a new name is a
        new structure): nothing else differs, the graph after being a copy."""
        before = self._before.graph.node(self.node_id)
        after = self._after.graph.node(self.node_id)
        return Change(structure=before.label != after.label,
                      values=before.value != after.value)


class MoveNodeCommand(DocumentCommand):
    """A node dragged to a new place (one command per drag). The graph before the move
    is kept as it was: a node the layout had placed is unpinned again by undo."""

    def __init__(self, document: Document, node_id: str, pos: tuple[float, float]) -> None:
        super().__init__(document, "Move node")
        self.node_id = node_id
        self.pos = (float(pos[0]), float(pos[1]))

    def change(self, state: State) -> State:
        if self.node_id not in state.graph:
            raise GraphError("the node is not in the graph any more")
        graph = state.graph.copy()
        graph.set_attrs(self.node_id, pos=self.pos)
        return state._replace(graph=graph)

    def known_change(self) -> Change | None:
        """Where one node is pinned: nothing else differs, the graph after being a copy."""
        before = self._before.graph.node(self.node_id).pos
        moved = (self.node_id,) if before != self.pos else ()
        return Change(structure=False, values=False, moved=moved)
