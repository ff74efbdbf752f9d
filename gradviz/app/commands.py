"""Undoable edits of the document made by this app's own views (typing, inputs, dragging).

Each command acts on the `Document` alone (the views follow its signals), remembers what
it needs to undo itself exactly, and never pushes another command. Graph-building edits
(add, connect, delete, rename) live in `graph_commands.py` in the same style.
"""
from __future__ import annotations

import time

from PySide6.QtGui import QUndoCommand

from ..core.graph import Graph
from ..core.notation import format_number
from .document import Document

SET_INPUT_ID = 1001


class ReplaceGraphCommand(QUndoCommand):
    """The graph rebuilt from new program text (typing, pasting, opening an example).

    Nodes that survive, matched by label, keep the position the user gave them. An input
    override is kept only while the program still gives that input the same value: when
    the text says ``a = 4`` now, the text wins.
    """

    def __init__(self, document: Document, graph: Graph, program: str | None,
                 text: str = "Edit program") -> None:
        super().__init__(text)
        self._document = document
        self._old_graph = document.graph
        self._old_program = document.program
        self._old_overrides = document.overrides
        self._new_graph = _with_kept_positions(graph, document.graph)
        self._new_program = program
        self._new_overrides = _kept_overrides(document.overrides, document.graph, graph)

    def redo(self) -> None:
        self._document.set_graph(self._new_graph, self._new_program, self._new_overrides)

    def undo(self) -> None:
        self._document.set_graph(self._old_graph, self._old_program, self._old_overrides)


def _with_kept_positions(new: Graph, old: Graph) -> Graph:
    result = new.copy()
    pinned = {n.label: n.pos for n in old.nodes() if n.pos is not None}
    for node in result.nodes():
        if node.pos is None and node.label in pinned:
            result.set_attrs(node.id, pos=pinned[node.label])
    return result


def _kept_overrides(overrides: dict[str, float], old: Graph, new: Graph) -> dict[str, float]:
    old_values = {n.label: n.value for n in old.inputs()}
    new_values = {n.label: n.value for n in new.inputs()}
    return {label: v for label, v in overrides.items()
            if label in new_values and new_values[label] == old_values.get(label)}


class SetInputValueCommand(QUndoCommand):
    """An input's value set from the inputs panel.

    A run of changes to one input in quick succession (a slider drag, a held arrow key)
    is one undo step; two separate entries, with a pause between them, are two.
    """

    MERGE_WITHIN = 0.75  # seconds between changes that still count as one gesture

    def __init__(self, document: Document, label: str, value: float) -> None:
        super().__init__(f"Set {label} = {format_number(value)}")
        self._document = document
        self.label = label
        self._old = document.overrides.get(label)
        self.value = float(value)
        self.last_change = time.monotonic()

    def id(self) -> int:
        return SET_INPUT_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetInputValueCommand) or other.label != self.label:
            return False
        if other.last_change - self.last_change > self.MERGE_WITHIN:
            return False
        self.last_change = other.last_change
        self.value = other.value
        self.setText(f"Set {self.label} = {format_number(self.value)}")
        return True

    def redo(self) -> None:
        self._document.set_override(self.label, self.value)

    def undo(self) -> None:
        self._document.set_override(self.label, self._old)


class MoveNodeCommand(QUndoCommand):
    """A node dragged to a new place (one command per drag)."""

    def __init__(self, document: Document, node_id: str, pos: tuple[float, float],
                 old_pos: tuple[float, float] | None = None) -> None:
        """``old_pos``: where the node was drawn before, when the model had not pinned it
        (the layout placed it), so that undo puts it back there."""
        super().__init__("Move node")
        self._document = document
        self.node_id = node_id
        self._old = document.graph.node(node_id).pos or old_pos
        self.pos = (float(pos[0]), float(pos[1]))

    def redo(self) -> None:
        self._document.set_node_position(self.node_id, self.pos)

    def undo(self) -> None:
        self._document.set_node_position(self.node_id, self._old)
