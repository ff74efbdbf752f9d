"""Undoable graph-building edits made on the canvas: add, remove, connect, disconnect
and rename.

Each command checks its edit when it is made (a refused edit raises GraphError before
anything is pushed) and makes it when it first runs, on a copy of the document's graph
as it is then (`commands.DocumentCommand`). Undo restores the graph before the edit
exactly, ids, attributes, edges, node order and output (``Graph.__eq__``), which
re-adding a removed node in place could not (it would come back last). The program
text follows every edit, statement by statement (`core.program_edit`), and is never
parsed back, so the graph stays the source of truth. None of these commands pushes
another. Values are set with `commands.SetValueCommand`.
"""
from __future__ import annotations

from typing import Callable

from ..core.errors import GraphError
from ..core.graph import Graph
from ..core.language_text import is_usable_name, names_of
from ..core.naming import new_node_name
from ..core.ops import OPS
from .commands import UNFINISHED, DocumentCommand, edited_program, program_for, with_program
from .document import Document, State

Positions = dict[str, tuple[float, float]]

INPUT, CONSTANT = "input", "const"
DEFAULT_VALUE = 1.0
__all__ = ["UNFINISHED", "program_for", "push_commands", "AddNodeCommand",
           "RemoveNodesCommand", "ConnectCommand", "DisconnectCommand", "RenameCommand"]


def push_commands(stack, *commands, macro: str = "") -> None:
    """Push ``commands`` as one undo step (a macro when ``macro`` names it)."""
    if macro:
        stack.beginMacro(macro)
    for cmd in commands:
        stack.push(cmd)
    if macro:
        stack.endMacro()


class GraphEditCommand(DocumentCommand):
    """One edit of the graph: ``edit`` changes a copy of the document's graph (and may
    raise GraphError to refuse).

    ``pinned``: where the canvas draws the nodes when the edit is asked for; nodes the
    layout placed are pinned there, so that adding or wiring one node does not move all
    the others.
    """

    def __init__(self, document: Document, text: str, edit: Callable[[Graph], None],
                 pinned: Positions | None = None) -> None:
        super().__init__(document, text)
        self._edit = edit
        self._pinned = dict(pinned or {})

    def change(self, state: State) -> State:
        after = state.graph.copy()
        for node_id, pos in self._pinned.items():
            if node_id in after and after.node(node_id).pos is None:
                after.set_attrs(node_id, pos=(float(pos[0]), float(pos[1])))
        self._edit(after)
        return with_program(state, after, edited_program(state.program, state.graph, after))


def _keep_output(graph: Graph) -> None:
    # A new node nothing consumes yet must not become the result by being the last sink.
    if graph.output is None:
        graph.output = graph.resolved_output()


class AddNodeCommand(GraphEditCommand):
    """A node from the palette: ``kind`` is "input", "const" or an op id."""

    def __init__(self, document: Document, kind: str, pos: tuple[float, float] | None = None,
                 pinned: Positions | None = None) -> None:
        self.node_id = ""
        if kind not in (INPUT, CONSTANT) and kind not in OPS:
            raise GraphError(f"there is no operation {kind!r}")
        title = {INPUT: "input", CONSTANT: "constant"}.get(kind) or OPS[kind].title.lower()

        def edit(g: Graph) -> None:
            _keep_output(g)
            p = (float(pos[0]), float(pos[1])) if pos is not None else None
            if kind == CONSTANT:
                self.node_id = g.add_constant(DEFAULT_VALUE, pos=p)
                return
            # An operation's name never looks like one more input (see core.naming).
            taken = {name for n in g.nodes() for name in (n.label, *names_of(n.label))}
            label = new_node_name(taken, [n.label for n in g.inputs()], kind == INPUT)
            if kind == INPUT:
                self.node_id = g.add_input(label, DEFAULT_VALUE, pos=p)
            else:  # named by gradviz, written as a statement so the text shows the name
                self.node_id = g.add_op(kind, label, pos=p)

        super().__init__(document, f"Add {title}", edit, pinned)


class RemoveNodesCommand(GraphEditCommand):
    """The selected nodes, with every edge into or out of them."""

    def __init__(self, document: Document, node_ids: list[str],
                 pinned: Positions | None = None) -> None:
        ids = [n for n in dict.fromkeys(node_ids) if n in document.graph]
        if not ids:
            raise GraphError("nothing is selected")
        names = ", ".join(document.graph.node(n).label for n in ids[:3])
        more = f" and {len(ids) - 3} more" if len(ids) > 3 else ""

        def edit(g: Graph) -> None:
            # A constant belongs to its uses (a program writes one per use): it goes
            # with the last node it fed.
            gone = set(ids)
            for n in ids:
                for source in set(g.nx.predecessors(n)):
                    if g.node(source).kind == CONSTANT and \
                            set(g.nx.successors(source)) <= gone:
                        gone.add(source)
            for n in [n for n in g.nx.nodes if n in gone]:
                g.remove_node(n)

        super().__init__(document, f"Delete {names}{more}", edit, pinned)


class ConnectCommand(GraphEditCommand):
    """``source`` into input ``port`` of ``target``; GraphError says why it cannot be."""

    def __init__(self, document: Document, source: str, target: str, port: int,
                 pinned: Positions | None = None) -> None:
        g0 = document.graph
        problem = g0.connection_problem(source, target, port)
        if problem:
            raise GraphError(problem, target)

        def edit(g: Graph) -> None:
            g.connect(source, target, port)  # refuses with connection_problem's reason
            if g.output == source:  # wiring the result onward: the new end is the result
                g.output = target

        label = g0.node(source).label if source in g0 else source
        tlabel = g0.node(target).label if target in g0 else target
        super().__init__(document, f"Connect {label} → {tlabel}", edit, pinned)


class DisconnectCommand(GraphEditCommand):
    """Remove the edge into ``target``'s input ``port``."""

    def __init__(self, document: Document, target: str, port: int,
                 pinned: Positions | None = None) -> None:
        source = document.graph.source_of(target, port) if target in document.graph else None
        if source is None:
            raise GraphError(f"nothing is connected to input {port + 1} there", target)

        def edit(g: Graph) -> None:
            g.disconnect(target, port)

        g0 = document.graph
        super().__init__(document, f"Disconnect {g0.node(source).label} → "
                                   f"{g0.node(target).label}", edit, pinned)


class RenameCommand(GraphEditCommand):
    """A new name for an input or an operation (a constant's name is its value)."""

    def __init__(self, document: Document, node_id: str, label: str) -> None:
        label = label.strip()
        node = document.graph.node(node_id)
        problem = rename_problem(document.graph, node_id, label)
        if problem:
            raise GraphError(problem, node_id)

        def edit(g: Graph) -> None:
            g.set_attrs(node_id, label=label, auto=False)

        super().__init__(document, f"Rename {node.label} to {label}", edit)


def rename_problem(graph: Graph, node_id: str, label: str) -> str | None:
    """Why ``node_id`` cannot be called ``label``, or None when it can."""
    node = graph.node(node_id)
    if node.kind == CONSTANT:
        return "a constant is named by its value: change the value instead"
    if not label:
        return "a name cannot be empty"
    if not is_usable_name(label):
        return (f"{label!r} cannot be a name: use letters, digits and _, not starting "
                "with a digit, and not a Python keyword or an operation's name")
    other = graph.by_label(label)
    if other is not None and other != node_id:
        return f"another node is called {label} already"
    return None
