"""The open document: the graph, its program text, the step shown, the selection.

The model of the app, observed by everything on screen. The graph is the one home of
input values; the program text is the graph written out (typed by the user, or edited
statement by statement after a canvas edit); the evaluation is the engine's run of the
graph, kept here so every view shows the same run. Widgets change the document only by
pushing commands (`commands.py`, `graph_commands.py`) onto ``undo_stack``, or by moving
the step and the selection, which are not undoable. Each change is announced by the
narrowest signal that says it, so a view does only the work that change needs: a new
value updates texts in place, a new structure is laid out once.
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..core.descent import DEFAULT_RATE
from ..core.errors import GradvizError, ProgramError, UndefinedNameError
from ..core.evaluation import Evaluation, evaluate, evaluate_new_values
from ..core.graph import Graph

OPENED, TYPED, EDITED = "opened", "typed", "edited"
"""Where a new structure came from: a document opened or started, program text (typed,
or its undo), an edit on the canvas (whose nodes keep their places)."""


class ProgramMistake(NamedTuple):
    """Why the text in the editor was not taken; ``line``/``col`` are 1-based or None."""

    message: str
    line: int | None = None
    col: int | None = None
    missing: tuple[str, ...] = ()
    """Names the text uses without a value, to offer as inputs (core.missing_inputs)."""


class Change(NamedTuple):
    """How one graph differs from another: in structure (nodes, edges, names,
    operations, output), in leaf values, and which nodes were pinned elsewhere."""

    structure: bool
    values: bool
    moved: tuple[str, ...] = ()


class State(NamedTuple):
    """What an undoable command changes: the graph, its text, its description and its
    name (an example's menu name, or "untitled"; a file is called by its file name)."""

    graph: Graph
    program: str
    description: str
    name: str = "untitled"


class Descent(NamedTuple):
    """Gradient descent's settings and record: the inputs held fixed (ids; every other
    input is a parameter), the learning rate, and the output's history (the output
    before the first Descend and after each step since). Saved in the file's view but
    for the history; a new structure starts the history afresh."""

    fixed: tuple[str, ...] = ()
    rate: float = DEFAULT_RATE
    history: tuple[float, ...] = ()


class Run(NamedTuple):
    """A graph's run through the engine, or why it cannot run (``evaluation`` None)."""

    evaluation: Evaluation | None
    problem: str = ""


def run_graph(graph: Graph) -> Run:
    """``graph`` run through the engine. No Qt is touched: a big document opened is run
    in the worker thread that read it (see `opening`)."""
    try:
        return Run(evaluate(graph))
    except GradvizError as exc:
        return Run(None, str(exc))


class Document(QObject):
    """One graph being looked at, edited and stepped through."""

    aboutToChange = Signal()
    """The graph or its values are about to change (animations finish before it)."""
    structureChanged = Signal(str)
    """New nodes, edges, labels or output (OPENED, TYPED or EDITED): lay out again. The
    step is back at 0 and the selection keeps only nodes still there; neither says so
    apart (a view redraws all of itself on this signal)."""
    valuesChanged = Signal()
    """Only input or constant values changed (same structure): a new run, same places."""
    nodeMoved = Signal(str)
    """A node was pinned somewhere else, or unpinned (its ``pos`` says which)."""
    programChanged = Signal(str)
    """The program text changed."""
    mistakeChanged = Signal()
    """The typed text was refused, or is fine again (see ``mistake``)."""
    notesChanged = Signal()
    """The program's notes (lines taken but not done, see ``notes``) may differ."""
    stepChanged = Signal(int)
    """Another step is shown (the state after that many steps)."""
    selectionChanged = Signal()
    collapsedChanged = Signal()
    """Other groups are drawn collapsed (view state: not undone, not a modification)."""
    titleChanged = Signal()
    """The name, the file or the description changed."""
    modeChanged = Signal(str)
    """Reverse or forward mode is shown now (view state: not undone); the step is 0."""
    passChanged = Signal(int)
    """Another forward-mode pass is shown (0-based); the step is 0."""
    descentChanged = Signal()
    """Other inputs are held fixed, another learning rate, or a new history (`descent`)."""

    def __init__(self, graph: Graph | None = None, program: str = "", name: str = "untitled",
                 path: Path | None = None, description: str = "",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._state = State(graph if graph is not None else Graph(), program,
                            " ".join(description.split()), name)
        self._path = Path(path) if path else None
        self._step = 0
        self._selection: tuple[str, ...] = ()
        self._collapsed: tuple[str, ...] = ()
        self._mistake: ProgramMistake | None = None
        self._notes: dict[str, tuple] = {}  # program texts typed lately -> their notes
        self._descent = Descent()
        self._evaluation: Evaluation | None = None
        self._problem = ""
        self._mode = "reverse"
        self._pass = 0
        self._forward = None  # the forward-mode run of the evaluation, made when asked for
        self._reevaluate()

    # --- reading ----------------------------------------------------------------------
    @property
    def graph(self) -> Graph:
        """The current graph. Never change it in place: commands replace it."""
        return self._state.graph

    @property
    def program(self) -> str:
        return self._state.program

    @property
    def description(self) -> str:
        """The opened example's or file's one line about it (empty once edited)."""
        return self._state.description

    @property
    def state(self) -> State:
        return self._state

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def name(self) -> str:
        """What the title bar calls the document: the file's name, else the example's
        menu name or "untitled"."""
        return self._path.name if self._path else self._state.name

    @property
    def evaluation(self) -> Evaluation | None:
        """The run of the current graph, or None (see ``problem``)."""
        return self._evaluation

    @property
    def problem(self) -> str:
        """Why there is no evaluation (empty when there is one)."""
        return self._problem

    @property
    def step(self) -> int:
        """The step shown: the state after that many steps of the run (0: none yet)."""
        return self._step

    @property
    def last_step(self) -> int:
        timeline = self.timeline
        return len(timeline) if timeline is not None else 0

    # --- forward mode -------------------------------------------------------------------
    @property
    def mode(self) -> str:
        """"reverse" (the run's forward and backward pass) or "forward" (dual numbers,
        one pass per input, see `core.forward`)."""
        return self._mode

    @property
    def forward_run(self):
        """The forward-mode run (`core.forward.ForwardRun`) of the evaluation, or None;
        made the first time it is asked for, its passes when they are."""
        if self._forward is None and self._evaluation is not None:
            from ..core.forward import forward_mode_of

            self._forward = forward_mode_of(self._evaluation)
        return self._forward

    @property
    def forward_pass(self) -> int:
        """The forward-mode pass shown (0-based)."""
        return self._pass

    @property
    def timeline(self):
        """What the player steps through: the run's timeline in reverse mode, the pass
        shown (a `core.forward.ForwardPass`) in forward mode; None when there is none."""
        if self._evaluation is None or self._mode == "reverse":
            return self._evaluation.timeline if self._evaluation else None
        return self.forward_run.pass_or_problem(self._pass)[0]

    def forward_problem(self) -> str:
        """Why forward mode has nothing to step through ("" when it has)."""
        if self._mode != "forward" or self._evaluation is None:
            return ""
        return self.forward_run.pass_or_problem(self._pass)[1]

    def set_mode(self, mode: str) -> None:
        """Show reverse or forward mode, from its start."""
        from ..core.forward import MODES

        if mode not in MODES:
            raise ValueError(f"mode is one of {MODES}")
        if mode != self._mode:
            self.aboutToChange.emit()
            self._mode = mode
            self._step = 0
            self.modeChanged.emit(mode)

    def set_forward_pass(self, k: int) -> None:
        """Show forward-mode pass ``k`` (0-based, clamped), from its start."""
        run = self.forward_run
        k = max(0, min(int(k), len(run) - 1 if run is not None and len(run) else 0))
        if k != self._pass:
            self.aboutToChange.emit()
            self._pass = k
            self._step = 0
            self.passChanged.emit(k)

    @property
    def selection(self) -> tuple[str, ...]:
        """The chosen nodes, in the order they were chosen."""
        return self._selection

    @property
    def collapsed(self) -> tuple[str, ...]:
        """The groups drawn as one box each, by id, in the graph's order."""
        return self._collapsed

    @property
    def descent(self) -> Descent:
        """What gradient descent moves, at what rate, and the output's history."""
        return self._descent

    @property
    def mistake(self) -> ProgramMistake | None:
        """Why the editor's text was refused (the graph stays the last good one)."""
        return self._mistake

    @property
    def notes(self) -> tuple:
        """What the program says that gradviz takes but does not do (``print``, a class
        of the engine being taught, a manual backward pass), each a note with its line
        and column, for a program text typed lately (a text read otherwise has none)."""
        return self._notes.get(self.program, ())

    NOTED_TEXTS = 32
    """Program texts whose notes are kept (so undoing back to one shows them again)."""

    def set_notes(self, text: str, notes) -> None:
        """The notes of program ``text`` (as parsing it gave them)."""
        self._notes.pop(text, None)
        self._notes[text] = tuple(notes)
        while len(self._notes) > self.NOTED_TEXTS:
            del self._notes[next(iter(self._notes))]  # the oldest
        self.notesChanged.emit()

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    def input_value(self, label: str) -> float | None:
        """An input's value, or None when there is no input called ``label``."""
        node_id = self.graph.by_label(label)
        return None if node_id is None else self.graph.node(node_id).value

    def problem_nodes(self) -> dict[str, str]:
        """Nodes that keep the graph from running, with why (for the scene to mark)."""
        found: dict[str, str] = {}
        for node, message in self.graph.problems():
            if node is not None:
                found.setdefault(node, message)
        return found

    # --- undoable changes (for commands only) -------------------------------------------
    def apply(self, state: State, origin: str = TYPED, change: Change | None = None) -> None:
        """Make ``state`` current and say what changed, as narrowly as it can be said.

        ``change`` is how ``state.graph`` differs from the current graph, when the caller
        knows (a command that set one value); else the two graphs are compared.
        """
        old = self._state
        if change is None:
            change = _difference(old.graph, state.graph)
        self.aboutToChange.emit()
        self._state = state
        if change.structure or change.values:
            self._reevaluate(same_structure=not change.structure)
        if change.structure:
            self._step = 0
            self._selection = tuple(n for n in self._selection if n in state.graph)
            self._collapsed = _existing(state.graph, self._collapsed)
            history, self._descent = self._descent.history, self._descent._replace(history=())
            self.structureChanged.emit(origin)
            if history:  # the output is another function now: its history starts afresh
                self.descentChanged.emit()
        elif change.values:
            self._step = min(self._step, self.last_step)
            self.valuesChanged.emit()
        for node_id in change.moved:
            self.nodeMoved.emit(node_id)
        if state.program != old.program:
            self._set_mistake(None)
            self.programChanged.emit(state.program)
            self.notesChanged.emit()
        if (state.description, state.name) != (old.description, old.name):
            self.titleChanged.emit()

    # --- changes that are not undone ------------------------------------------------------
    def reset(self, graph: Graph, program: str, name: str = "untitled",
              path: Path | None = None, description: str = "", run: Run | None = None) -> None:
        """Start over on another graph (File → New / Open): not undoable, the history
        is cleared and the document is unmodified. ``run`` is ``graph``'s run when the
        caller has made it (`run_graph`); None: it is run here."""
        self.undo_stack.clear()
        self._path = Path(path) if path else None
        self._selection = ()
        self._collapsed = ()
        self._descent = Descent()
        self.aboutToChange.emit()
        self._state = State(graph, program, " ".join(description.split()), name)
        if run is None:
            self._reevaluate()
        else:
            self._take_run(run)
        self._step = 0
        self._set_mistake(None)
        self.structureChanged.emit(OPENED)
        self.programChanged.emit(program)
        self.notesChanged.emit()
        self.titleChanged.emit()
        self.descentChanged.emit()

    def set_descent(self, descent: Descent) -> None:
        """Other descent settings or history (for the descent commands, and on opening)."""
        if descent != self._descent:
            self._descent = descent
            self.descentChanged.emit()

    def set_step(self, index: int) -> None:
        """Show the state after ``index`` steps (clamped to the run)."""
        index = max(0, min(int(index), self.last_step))
        if index != self._step:
            self._step = index
            self.stepChanged.emit(index)

    def set_selection(self, node_ids) -> None:
        chosen = tuple(n for n in dict.fromkeys(node_ids) if n in self.graph)
        if chosen != self._selection:
            self._selection = chosen
            self.selectionChanged.emit()

    def set_collapsed(self, group_ids) -> None:
        """Draw these groups (ids) as one box each; ids of no group are left out."""
        chosen = _existing(self.graph, group_ids)
        if chosen != self._collapsed:
            self.aboutToChange.emit()  # the scene draws other items: animations end
            self._collapsed = chosen
            self.collapsedChanged.emit()

    def toggle_group(self, group_id: str) -> None:
        """Collapse an open group, or open a collapsed one (a double-click on either)."""
        if group_id in self._collapsed:
            self.set_collapsed(g for g in self._collapsed if g != group_id)
        else:
            self.set_collapsed([*self._collapsed, group_id])

    def set_path(self, path: Path | None, name: str | None = None) -> None:
        """Where the document lives (after Save As, or a restored copy)."""
        self._path = Path(path) if path else None
        if name:
            self._state = self._state._replace(name=name)
        self.titleChanged.emit()

    def type_program(self, text: str) -> bool:
        """The user typed ``text``: rebuild the graph from it (one undo step), or keep the
        last good graph and say why not. True when the text was taken."""
        from ..core import language
        from .commands import ReplaceGraphCommand

        try:
            parsed = language.parse_program(text)
        except ProgramError as exc:
            missing = ()
            if isinstance(exc, UndefinedNameError):
                from ..core.missing_inputs import missing_inputs

                missing = tuple(missing_inputs(text))
            self._set_mistake(ProgramMistake(exc.message, exc.line, exc.col, missing))
            return False
        except GradvizError as exc:
            self._set_mistake(ProgramMistake(str(exc)))
            return False
        self._set_mistake(None)
        if text != self.program:
            self.undo_stack.push(ReplaceGraphCommand(self, parsed.graph, text))
        self.set_notes(text, parsed.notes)
        return True

    def _set_mistake(self, mistake: ProgramMistake | None) -> None:
        if mistake != self._mistake:
            self._mistake = mistake
            self.mistakeChanged.emit()

    # --- evaluation ---------------------------------------------------------------------
    def _reevaluate(self, same_structure: bool = False) -> None:
        """Run the graph; ``same_structure``: it differs from the last run's graph in
        leaf values alone, so that run's checked structure is run again."""
        previous = self._evaluation
        if not (same_structure and previous is not None):
            self._take_run(run_graph(self.graph))
            return
        try:
            self._take_run(Run(evaluate_new_values(previous, self.graph)))
        except GradvizError as exc:
            self._take_run(Run(None, str(exc)))

    def _take_run(self, run: Run) -> None:
        self._evaluation, self._problem = run
        self._forward = None
        inputs = len(self.graph.inputs())
        self._pass = min(self._pass, max(0, inputs - 1))


def _existing(graph: Graph, group_ids) -> tuple[str, ...]:
    """``group_ids`` that name a group of ``graph``, in the graph's order of groups."""
    wanted = set(group_ids)
    return tuple(g.id for g in graph.groups() if g.id in wanted)


def _difference(old: Graph, new: Graph) -> Change:
    """How ``new`` differs from ``old``: in structure (nodes, edges, names, operations,
    output), in leaf values only, or in where nodes are pinned only."""
    if old is new:
        return Change(False, False)
    a, b = old.nx, new.nx
    if (old.output != new.output or list(a.nodes) != list(b.nodes)
            or sorted(a.edges(keys=True)) != sorted(b.edges(keys=True))):
        return Change(True, True)
    values, moved = False, []
    for n, x in a.nodes(data=True):
        y = b.nodes[n]
        if (x["kind"], x["label"], x.get("op"), x.get("auto"), x.get("group")) != \
                (y["kind"], y["label"], y.get("op"), y.get("auto"), y.get("group")):
            return Change(True, True)
        if x.get("value") != y.get("value"):
            values = True
        if _pos(x) != _pos(y):
            moved.append(n)
    return Change(False, values, tuple(moved))


def _pos(attrs: dict) -> tuple[float, float] | None:
    p = attrs.get("pos")
    return None if p is None else (float(p[0]), float(p[1]))
