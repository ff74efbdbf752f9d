"""A room of students at the real main window: hypothesis drives it through random sequences
of typing programs (valid and not), adding, wiring and deleting nodes, undo and redo,
stepping forward and back with the keys, changing inputs, saving and reopening.

After every step: no exception reached Qt's event loop, the canvas shows exactly the
model's nodes and edges, the program text parses to the model (when the graph can be
written as a program), and one undo followed by one redo gives the same graph back. At the
end of every run, undoing every edit restores the graph the run started from, exactly.
Counts: 25 examples of up to 15 steps (about 40 s on one core).
"""
from __future__ import annotations

import math
from collections import Counter

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QMessageBox

from gradviz.app.graph_commands import UNFINISHED
from gradviz.app.launch import NOTEBOOK_PROGRAM, make_window
from gradviz.core import language
from gradviz.core.errors import ProgramError
from gradviz.core.ops import OPS

from .test_language_fuzz import VALID, near_valid

EXAMPLES, STEPS = 25, 15
KINDS = ["input", "const", *OPS]
UNFINISHED_START = UNFINISHED.split("{", 1)[0]
RAN: Counter = Counter()
"""How often each rule ran: every kind must have run, or the test proves little."""


def shown(document):
    """The computation the window shows: the graph with the inputs' shown values."""
    g = document.graph.copy()
    for node in g.inputs():
        g.set_attrs(node.id, value=document.input_value(node.label))
    return g.signature()


def machine_for(qtbot, folder):
    """The state machine class, bound to this test's qtbot and folder."""

    class Room(RuleBasedStateMachine):
        @initialize(program=st.sampled_from(VALID))
        def open_window(self, program):
            self.window = w = make_window(language.parse(program), program, "room")
            qtbot.addWidget(w)
            files = w.file_actions
            files.ask_unsaved = lambda name: QMessageBox.StandardButton.Discard
            files.show_error = lambda title, message: self.errors.append(message)
            self.errors: list[str] = []
            self.saves = 0
            w.show()
            qtbot.waitExposed(w)
            w.activateWindow()
            w.view.setFocus()
            self.remember_start()

        def remember_start(self):
            d = self.window.document
            self.start = (d.graph.copy(), d.program, d.overrides)

        def act(self, action):
            """Run ``action``; any exception it sends through Qt's event loop fails."""
            with qtbot.captureExceptions() as raised:
                action()
                qtbot.wait(1)  # deliver what was posted (timers, deferred deletes)
            assert not raised, "".join(
                __import__("traceback").format_exception(*raised[0]))

        @property
        def graph(self):
            return self.window.document.graph

        # --- typing ------------------------------------------------------------------------
        @rule(text=st.one_of(st.sampled_from(VALID + [NOTEBOOK_PROGRAM]), near_valid(),
                             st.text(max_size=30)))
        def type_program(self, text):
            RAN['type_program'] += 1
            editor = self.window.program_panel.editor

            def typed():
                editor.setFocus()
                editor.selectAll()
                editor.insertPlainText(text)  # as pasting does: QTest types ASCII only
                editor.flush()
            self.act(typed)
            try:
                language.parse(editor.toPlainText())
            except ProgramError:
                assert self.window.program_panel.error_text, "a refusal must be shown"

        # --- the canvas --------------------------------------------------------------------
        @rule(kind=st.sampled_from(KINDS), x=st.floats(-500, 500), y=st.floats(-500, 500))
        def add_node(self, kind, x, y):
            RAN['add_node'] += 1
            self.act(lambda: self.window.wiring.add_node(kind, QPointF(x, y)))

        @precondition(lambda self: len(self.graph) >= 2)
        @rule(data=st.data())
        def wire(self, data):
            RAN['wire'] += 1
            ids = list(self.graph.nx.nodes)
            source = data.draw(st.sampled_from(ids))
            target = data.draw(st.sampled_from(ids))
            port = data.draw(st.integers(0, 1))
            self.act(lambda: self.window.wiring.connect_nodes(source, target, port))

        @precondition(lambda self: len(self.graph) >= 1)
        @rule(data=st.data())
        def delete(self, data):
            RAN['delete'] += 1
            ids = data.draw(st.lists(st.sampled_from(list(self.graph.nx.nodes)), min_size=1,
                                     max_size=3))
            wiring = self.window.wiring

            def deleted():
                wiring.select(ids)
                wiring.delete_selection()
            self.act(deleted)

        # --- history and stepping (keys, as a lecturer presses them) ------------------------
        @rule(key=st.sampled_from(["undo", "redo"]), times=st.integers(1, 3))
        def undo_or_redo(self, key, times):
            RAN['undo_or_redo'] += 1
            w = self.window
            mods = Qt.KeyboardModifier.ControlModifier
            if key == "redo":
                mods |= Qt.KeyboardModifier.ShiftModifier

            def pressed():
                for _ in range(times):
                    qtbot.keyClick(w.view, Qt.Key.Key_Z, mods)
            self.act(pressed)

        @rule(key=st.sampled_from([Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_End,
                                   Qt.Key.Key_Home, Qt.Key.Key_Space, Qt.Key.Key_B]),
              times=st.integers(1, 4))
        def step(self, key, times):
            RAN['step'] += 1
            w = self.window

            def pressed():
                for _ in range(times):
                    qtbot.keyClick(w.view, key)
                w.player.finish()
            self.act(pressed)
            assert 0 <= w.player.index <= max(0, w.player.last)

        @precondition(lambda self: len(self.graph.inputs()) >= 1)
        @rule(data=st.data(), value=st.one_of(
            st.floats(-1e12, 1e12), st.sampled_from([0.0, -0.0, 5e-324, 1e308, -1e9, 2.5])))
        def change_input(self, data, value):
            RAN['change_input'] += 1
            label = data.draw(st.sampled_from([n.label for n in self.graph.inputs()]))
            spin = self.window.inputs_panel.row(label).spin
            self.act(lambda: spin.setValue(value))
            shown = self.window.document.input_value(label)
            assert shown is not None and math.isfinite(shown)

        # --- files --------------------------------------------------------------------------
        @rule()
        def save_and_reopen(self):
            RAN['save_and_reopen'] += 1
            w, d = self.window, self.window.document
            self.saves += 1
            path = folder / f"room{self.saves}.gradviz"
            w.file_actions.choose_save_path = lambda suggestion: str(path)
            before = (shown(d), d.evaluation is None)
            errors = len(self.errors)

            def saved_and_opened():
                if w.file_actions.save_document_as():
                    w.file_actions.open_file(path)
            self.act(saved_and_opened)
            if len(self.errors) > errors:  # refused with a message (e.g. nothing to save)
                return
            assert path.exists(), "saved"
            # The file keeps the values the inputs show (overrides become the values).
            assert (shown(d), d.evaluation is None) == before
            assert not d.modified
            self.remember_start()  # opening starts a new history

        # --- what must hold after every step ------------------------------------------------
        @invariant()
        def canvas_shows_the_model(self):
            scene, g = self.window.scene, self.graph
            assert {item.node_id for item in scene.node_items()} == set(g.nx.nodes)
            assert len(scene.edge_items()) == len(g.edges())

        @invariant()
        def program_text_is_the_model(self):
            d = self.window.document
            if d.program.startswith(UNFINISHED_START) or not d.program.strip():
                return  # an unfinished canvas graph has no program yet, and says so
            parsed = language.parse(d.program)
            assert parsed.signature() == d.graph.signature(), d.program

        @invariant()
        def undo_then_redo_gives_the_same_graph(self):
            stack = self.window.document.undo_stack
            if not stack.canUndo():
                return
            before = self.graph.copy()
            self.act(stack.undo)
            self.act(stack.redo)
            assert self.graph == before

        def teardown(self):
            if not hasattr(self, "window"):
                return
            d = self.window.document
            self.act(lambda: [d.undo_stack.undo() for _ in range(d.undo_stack.index())])
            graph, program, overrides = self.start
            assert d.graph == graph
            assert d.program == program
            assert d.overrides == overrides
            self.window.player.pause()
            self.window.player.finish()
            self.window.close()

    return Room


def test_random_sessions_keep_window_model_and_text_in_step(qtbot, tmp_path):
    Room = machine_for(qtbot, tmp_path)
    run_state_machine_as_test(Room, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, database=None,
        derandomize=True, suppress_health_check=list(HealthCheck)))
    rules = ["type_program", "add_node", "wire", "delete", "undo_or_redo", "step",
             "change_input", "save_and_reopen"]
    assert all(RAN[r] > 0 for r in rules), RAN
    print(dict(RAN))
