"""The Code panel: the engine as the notebook writes it, the line doing the step lit with
its numbers, beside the canvas in presentation mode."""
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFontInfo

from gradviz.app.code_panel import LARGE_POINTS
from gradviz.app.document import Document
from gradviz.app.main_window import MainWindow
from gradviz.core.graph import Graph
from gradviz.core.language import parse
from tests.app.conftest import press
from tests.app.test_camera import _present


def _panel(window):
    window.code_dock.show()
    window.code_dock.raise_()
    return window.code_panel


def test_the_notebooks_steps_light_their_lines_with_the_numbers(window, qtbot):
    panel = _panel(window)
    assert panel.lit() == []  # the start: nothing computed yet
    assert "class DiffScalar:" in panel.text and "def backward(self):" in panel.text
    press(qtbot, window, Qt.Key.Key_Right)
    assert panel.lit() == [
        ("        out = DiffScalar(self.value + other.value, (self, other))   # 2 + 3 = 5",
         True),
        ("c = a + b   # c = 5", False)]
    press(qtbot, window, Qt.Key.Key_Right, 3)  # the seed
    assert panel.lit()[0] == ("        self.grad = 1  # the seed: ∂e/∂e = 1", True)
    press(qtbot, window, Qt.Key.Key_Right)
    assert panel.lit() == [
        ("            self.grad += other.value * out.grad   # 0 += 4 · 1 → 4", True),
        ("            node._backward()   # node = e", False)]
    press(qtbot, window, Qt.Key.Key_End)
    assert panel.lit() == [("            self.grad += out.grad   # 4 += 5 → 9", True),
                           ("            node._backward()   # node = d", False)]
    assert panel.text.count("# 4 += 5 → 9") == 1  # the numbers of the earlier steps are gone
    press(qtbot, window, Qt.Key.Key_Home)
    assert panel.lit() == [] and "→" not in panel.text


def test_the_lit_line_is_in_sight_and_the_listing_is_monospace(window, qtbot):
    panel = _panel(window)
    press(qtbot, window, Qt.Key.Key_End)
    editor = panel.editor
    rect = editor.cursorRect(editor.textCursor())
    assert editor.viewport().rect().contains(rect.center())
    assert editor.textCursor().block().text().replace("\u00a0", " ").endswith("# 4 += 5 → 9")
    assert QFontInfo(editor.font()).fixedPitch()


def test_a_new_program_is_listed_with_the_rules_numbers(window, qtbot):
    panel = _panel(window)
    window.document.type_program("x = 2\ny = tanh(x)\n")
    assert "y = x.tanh()" in panel.text
    press(qtbot, window, Qt.Key.Key_End)
    strong = [t for t, s in panel.lit() if s][0]
    assert strong.strip() == ("self.grad += (1 - out.value ** 2) * out.grad   "
                              "# 0 += (1 − 0.96403²) · 1 → 0.070651")


def test_labels_are_shown_as_written_never_as_markup(qtbot):
    g = Graph()
    x = g.add_input("<b>x</b>", 2.0, id="x")
    y = g.add_op("tanh", "<i>y</i>", id="y")
    g.connect(x, y, 0)
    g.output = y
    w = MainWindow(Document(g, "", name="labels"))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    panel = _panel(w)
    w.player.go_to(w.player.last, animate=False)
    assert ("            node._backward()   # node = <i>y</i>", False) in panel.lit()
    assert "<i>y</i>" in panel.editor.document().toPlainText()
    # and the program's names are Python names made from the labels
    assert "b_x_b = DiffScalar(2.0)" in panel.text


def test_forward_mode_lists_the_dual_numbers(window, qtbot):
    panel = _panel(window)
    panel.set_mode("forward")
    assert "class DualNumber:" in panel.text and "DiffScalar" not in panel.text
    assert "return DualNumber(out, other.real * self.dual + self.real * other.dual)" in \
        panel.text
    assert "seed = 'a'" in panel.text
    panel.set_mode("forward", seed=window.document.graph.by_label("b"))
    assert "seed = 'b'" in panel.text
    panel.set_mode("reverse")
    assert "class DiffScalar:" in panel.text


def test_in_presentation_mode_the_panel_sits_beside_the_canvas_in_large_type(window, qtbot):
    beside = next(a for a in window.menus.view.actions() if a.text().startswith("&Code"))
    assert not beside.isChecked()
    beside.trigger()
    assert window.settings.code_in_presentation
    _present(qtbot, window)
    dock = window.code_dock
    assert dock.isVisible() and window.view.isVisible()
    canvas = window.view.geometry()
    placed = dock.geometry()
    assert placed.left() >= canvas.right() - 2 or placed.right() <= canvas.left() + 2
    assert placed.width() >= 300
    assert window.code_panel.editor.font().pointSize() == LARGE_POINTS >= 14
    press(qtbot, window, Qt.Key.Key_Right)
    assert window.code_panel.lit()[0][0].endswith("# 2 + 3 = 5")
    press(qtbot, window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.presentation.active)
    assert window.code_panel.editor.font().pointSize() < 14


def test_presentation_without_the_choice_hides_the_panel(window, qtbot):
    _panel(window)
    _present(qtbot, window)
    assert not window.code_dock.isVisible()


def test_a_graph_being_built_has_the_engine_and_no_program(window, qtbot):
    panel = _panel(window)
    window.document.type_program("")
    window.wiring.add_node("neg", QPointF(0, 0))
    assert "class DiffScalar:" in panel.text and "# the program" not in panel.text
    assert parse  # the panel reads the document only


def test_forward_mode_of_the_document_lights_the_dual_rule_of_each_step(window, qtbot):
    panel = _panel(window)
    d = window.document
    d.set_mode("forward")
    assert "class DualNumber:" in panel.text and "seed = 'a'" in panel.text
    window.player.go_to(1, animate=False)  # c = a + b = (2 + 1ε) + (3 + 0ε)
    assert panel.lit() == [
        ("        return DualNumber(out, self.dual + other.dual)   # 1 · 1 + 1 · 0 = 1", True),
        ("        out = self.real + other.real   # 2 + 3 = 5", False),
        ("c = a + b   # c = 5 + 1ε", False)]
    d.set_forward_pass(1)  # seeding b
    assert "seed = 'b'" in panel.text
    window.player.go_to(3, animate=False)  # e = c · d, both tangents 1
    strong = panel.lit()[0][0]
    assert strong.endswith("# 4 · 1 + 5 · 1 = 9")
    d.set_mode("reverse")
    assert "class DiffScalar:" in panel.text


def test_a_graph_too_big_to_list_is_counted_and_its_steps_still_light_the_engine(
        window, qtbot, monkeypatch):
    from gradviz.app import code_panel

    monkeypatch.setattr(code_panel, "LISTED_NODES", 4)
    panel = _panel(window)
    window.document.type_program("a = 2\nb = 3\nc = a * b\nd = c + a\ne = d * b\n")
    assert "# the program: 5 nodes, too many to list here (up to 4 are)" in panel.text
    assert "a = DiffScalar(2.0)" not in panel.text
    press(qtbot, window, Qt.Key.Key_Right)
    assert panel.lit() == [
        ("        out = DiffScalar(self.value * other.value, (self, other))   # 2 · 3 = 6",
         True)]
