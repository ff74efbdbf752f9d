"""The open document: the graph, its program text, input overrides, its path and undo stack.

The model of the app. Widgets read it and listen to its signals; they change it only by
pushing commands (`commands.py`, and the graph-editing commands of `graph_commands.py`)
onto ``undo_stack``. The setters below are for commands alone: each changes the model and
announces it, nothing else. The document also keeps the evaluation of the current graph
(through the core's `evaluate`) so that every view shows the same run.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..core.errors import GradvizError
from ..core.evaluation import Evaluation, evaluate
from ..core.graph import Graph


class Document(QObject):
    """One graph being looked at, edited and stepped through."""

    graphChanged = Signal()
    """The graph was replaced or edited (structure, labels or values)."""
    programChanged = Signal(str)
    """The program text changed (the editor follows unless it is the one that typed it)."""
    inputsChanged = Signal()
    """An input's value override changed."""
    nodeMoved = Signal(str, float, float)
    """A node was pinned at a new position (scene coordinates)."""
    evaluationChanged = Signal()
    """A new evaluation (or a new reason why there is none); emitted after the above."""
    pathChanged = Signal()
    """The file path or the name changed (the window title follows)."""

    def __init__(self, graph: Graph | None = None, program: str = "", name: str = "untitled",
                 path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._graph = graph if graph is not None else Graph()
        self._program = program
        self._overrides: dict[str, float] = {}
        self._path = path
        self._name = name
        self.description = ""
        self._evaluation: Evaluation | None = None
        self._problem = ""
        self._reevaluate()

    # --- reading ----------------------------------------------------------------------
    @property
    def graph(self) -> Graph:
        """The current graph. Treat it as read-only outside commands."""
        return self._graph

    @property
    def program(self) -> str:
        return self._program

    @property
    def overrides(self) -> dict[str, float]:
        return dict(self._overrides)

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def name(self) -> str:
        return self._path.stem if self._path else self._name

    @property
    def evaluation(self) -> Evaluation | None:
        """The run of the current graph, or None (see ``problem``)."""
        return self._evaluation

    @property
    def problem(self) -> str:
        """Why there is no evaluation (empty when there is one)."""
        return self._problem

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    def input_value(self, label: str) -> float | None:
        """An input's current value: its override, else the graph's value."""
        if label in self._overrides:
            return self._overrides[label]
        node_id = self._graph.by_label(label)
        return None if node_id is None else self._graph.node(node_id).value

    def graph_as_set(self) -> Graph:
        """The graph with the inputs' current values written in (what the panels show),
        for drawing a graph that cannot run: the canvas must not show stale values."""
        if not self._overrides:
            return self._graph
        shown = self._graph.copy()
        for label, value in self._overrides.items():
            node_id = shown.by_label(label)
            if node_id is not None:
                shown.set_attrs(node_id, value=value)
        return shown

    def problem_nodes(self) -> dict[str, str]:
        """Nodes that keep the graph from running, with why (for the scene to mark)."""
        found: dict[str, str] = {}
        for node, message in self._graph.problems():
            if node is not None:
                found.setdefault(node, message)
        return found

    # --- changing (for commands only) ---------------------------------------------------
    def set_graph(self, graph: Graph, program: str | None = None,
                  overrides: dict[str, float] | None = None) -> None:
        """Replace the graph (and the program text and overrides, when given)."""
        self._graph = graph
        if overrides is not None:
            self._overrides = dict(overrides)
        self._reevaluate()
        self.graphChanged.emit()
        if program is not None and program != self._program:
            self._program = program
            self.programChanged.emit(program)
        self.evaluationChanged.emit()

    def reset(self, graph: Graph, program: str, name: str = "untitled",
              path: Path | None = None, description: str = "") -> None:
        """Start over on another graph (File → New / Open): not undoable, the history
        is cleared and the document is unmodified."""
        self.undo_stack.clear()
        self._overrides = {}
        self._path = Path(path) if path else None
        self._name = name
        self.description = description
        self._graph = graph
        self._program = program
        self._reevaluate()
        self.graphChanged.emit()
        self.programChanged.emit(program)
        self.evaluationChanged.emit()
        self.pathChanged.emit()

    def set_override(self, label: str, value: float | None) -> None:
        """Set an input's value (None: back to the graph's own value)."""
        if value is None:
            self._overrides.pop(label, None)
        else:
            self._overrides[label] = value
        self._reevaluate()
        self.inputsChanged.emit()
        self.evaluationChanged.emit()

    def set_node_position(self, node_id: str, pos: tuple[float, float] | None) -> None:
        self._graph.set_attrs(node_id, pos=pos)
        if pos is not None:
            self.nodeMoved.emit(node_id, float(pos[0]), float(pos[1]))

    def set_path(self, path: Path | None, name: str | None = None) -> None:
        """Where the document lives (file actions call this after Save As or Open)."""
        self._path = Path(path) if path else None
        if name:
            self._name = name
        self.pathChanged.emit()

    # --- evaluation ---------------------------------------------------------------------
    def _reevaluate(self) -> None:
        overrides = {k: v for k, v in self._overrides.items()
                     if self._graph.by_label(k) is not None}
        try:
            self._evaluation = evaluate(self._graph, overrides)
            self._problem = ""
        except GradvizError as exc:
            self._evaluation = None
            self._problem = str(exc)
