"""Lines a lecture's code holds that gradviz takes but does not do (print, the engine's
class, a manual backward pass) are listed under the program, and on the command line
on standard error, each with its line and column."""
import json
import subprocess
import sys

from .test_editing import _type_program

LECTURE = ("from micrograd.engine import Value\n"
           "a = Value(2.0, label='a')\n"
           "b = a.tanh(); b.label = 'b'\n"
           "b.backward()\n"
           "print(a.grad)\n")


def test_the_notes_of_a_typed_program_are_listed_under_it_and_go_with_the_line(window,
                                                                              qtbot):
    panel = window.program_panel
    _type_program(qtbot, window, LECTURE)
    qtbot.waitUntil(lambda: window.document.program == LECTURE, timeout=3000)
    assert panel.notes_label.isVisible()
    assert panel.notes_text.startswith("5:1: print(...)")
    assert window.document.graph.by_label("b") is not None
    _type_program(qtbot, window, LECTURE.replace("print(a.grad)\n", ""))
    qtbot.waitUntil(lambda: "print" not in window.document.program, timeout=3000)
    assert not panel.notes_label.isVisible() and panel.notes_text == ""
    window.document.undo_stack.undo()  # the text with print again, and its note
    assert "print" in window.document.program and panel.notes_text.startswith("5:1: print")


def test_the_command_line_writes_notes_on_standard_error_and_keeps_json_clean():
    done = subprocess.run([sys.executable, "-m", "gradviz", "grad", LECTURE, "--json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["grads"]["a"] == 1 - __import__("math").tanh(2.0) ** 2
    assert "gradviz: note: line 5, column 1: print(...)" in done.stderr
