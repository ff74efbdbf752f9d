"""An opened example or document says what it is about in the explanation panel, where
the lecturer and the class look, until the first step is taken."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from gradviz.core import fileformat
from gradviz.core.examples import load_example
from gradviz.core.fileformat import GraphDocument
from tests.app.conftest import press


def _discard_changes(window):
    window.file_actions.ask_unsaved = lambda name: QMessageBox.StandardButton.Discard


def test_an_opened_example_shows_its_description_until_the_first_step(window, qtbot):
    _discard_changes(window)
    window.file_actions.example_actions["logistic_regression"].trigger()
    description = load_example("logistic_regression").description
    assert description in window.explanation.text
    assert "Inputs w = −0.5, x = 1.5, b = 0.25, y = 1." in window.explanation.text
    assert window.explanation.step_label.isVisibleTo(window)
    press(qtbot, window, Qt.Key.Key_Right)
    assert description not in window.explanation.text
    assert "Forward step 1 of" in window.explanation.text
    press(qtbot, window, Qt.Key.Key_Home)  # back at the start, it is said again
    assert description in window.explanation.text


def test_a_description_that_gives_the_answer_waits_for_the_last_step(window, qtbot):
    _discard_changes(window)
    window.file_actions.example_actions["neuron"].trigger()
    description = load_example("neuron").description  # … o ≈ 0.7071
    assert description not in window.explanation.text
    assert description not in window.statusBar().currentMessage()
    assert window.explanation.text.splitlines()[1].startswith("Inputs x1 = 2, x2 = 0")
    press(qtbot, window, Qt.Key.Key_End)
    assert description in window.explanation.text
    press(qtbot, window, Qt.Key.Key_Left)
    assert description not in window.explanation.text


def test_a_document_with_a_description_shows_it_and_new_clears_it(window, tmp_path):
    _discard_changes(window)
    example = load_example("square")
    path = tmp_path / "lecture.gradviz"
    fileformat.write(path, GraphDocument(example.graph, "Why a value used twice adds up",
                                         {}, example.program))
    assert window.file_actions.open_file(path)
    assert "Why a value used twice adds up" in window.explanation.text
    window.file_actions.new_document()
    assert "Why a value used twice adds up" not in window.explanation.text
