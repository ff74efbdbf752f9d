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
    window.file_actions.example_actions["neuron"].trigger()
    description = load_example("neuron").description
    assert description in window.explanation.text
    assert window.explanation.step_label.isVisibleTo(window)
    press(qtbot, window, Qt.Key.Key_Right)
    assert description not in window.explanation.text
    assert "Forward step 1 of" in window.explanation.text
    press(qtbot, window, Qt.Key.Key_Home)  # back at the start, it is said again
    assert description in window.explanation.text


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
