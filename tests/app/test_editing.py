"""Typing programs, changing inputs and undoing it all, through the real widgets."""
from pathlib import Path

from PySide6.QtCore import Qt

from .conftest import drag, press


def _type_program(qtbot, window, text: str) -> None:
    editor = window.program_panel.editor
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    _type(qtbot, editor, text)


def _type(qtbot, widget, text: str) -> None:
    """Type ``text`` key by key; QTest has no key for "\n", so lines end with Return."""
    for i, line in enumerate(text.split("\n")):
        if i:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(widget, line)


def test_typing_a_program_rebuilds_the_graph_after_a_pause(window, qtbot):
    _type_program(qtbot, window, "x = 3\ny = x * x + 1")
    qtbot.waitUntil(lambda: window.document.graph.by_label("y") is not None, timeout=3000)
    assert window.document.program == "x = 3\ny = x * x + 1"
    assert window.inputs_panel.row("x").spin.value() == 3
    press(qtbot, window, Qt.Key.Key_End)
    assert window.values_table.shown("y", "Value") == "10"
    assert window.values_table.shown("x", "Gradient") == "6"
    assert window.program_panel.error_text == ""


def test_an_invalid_program_shows_its_place_and_keeps_the_graph(window, qtbot):
    before = window.document.graph
    _type_program(qtbot, window, "a = 2\nb = (a +\n")
    qtbot.waitUntil(lambda: window.program_panel.error_text != "", timeout=3000)
    text = window.program_panel.error_text
    assert text.split(":")[0].isdigit() and text.split(":")[1].isdigit(), text  # line:col
    assert "last good graph" in text
    assert window.program_panel.editor.extraSelections()  # the place is underlined
    assert window.document.graph is before
    assert window.document.graph.by_label("e") is not None
    assert len(window.scene.node_items()) == len(before)
    # Fixing it clears the message.
    _type(qtbot, window.program_panel.editor, "1)\ne = b * 2")
    qtbot.waitUntil(lambda: window.program_panel.error_text == "", timeout=3000)
    assert not window.program_panel.editor.extraSelections()


def test_undo_restores_the_program_and_graph(window, qtbot):
    old_graph, old_text = window.document.graph, window.document.program
    _type_program(qtbot, window, "p = 1\nq = p + p")
    qtbot.waitUntil(lambda: window.document.graph.by_label("q") is not None, timeout=3000)
    assert window.document.modified
    assert "[*]" in window.windowTitle() and window.isWindowModified()
    window.view.setFocus()
    window.menus.undo.trigger()
    assert window.document.graph == old_graph
    assert window.document.program == old_text
    assert window.program_panel.editor.toPlainText() == old_text
    assert not window.document.modified
    window.menus.redo.trigger()
    assert window.document.graph.by_label("q") is not None


def test_changing_an_input_recomputes_at_once(window, qtbot):
    press(qtbot, window, Qt.Key.Key_End)
    spin = window.inputs_panel.row("a").spin
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "5")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert window.document.input_value("a") == 5
    # e = (a + b)(b + 1) = 8 · 4; ∂e/∂b = (b + 1) + (a + b) = 4 + 8
    assert window.values_table.shown("e", "Value") == "32"
    assert window.values_table.shown("b", "Gradient") == "12"
    assert window.player.index == window.player.last  # the step shown stays
    assert window.inputs_panel.row("a").slider.value() == 500


def test_slider_moves_are_one_undo_step(window, qtbot):
    slider = window.inputs_panel.row("b").slider
    for v in (310, 320, 350, 400):
        slider.setValue(v)
    assert window.document.input_value("b") == 4
    assert window.document.undo_stack.count() == 1
    window.menus.undo.trigger()
    assert window.document.input_value("b") == 3
    assert window.inputs_panel.row("b").spin.value() == 3


def test_randomise_sets_every_input_and_undoes_as_one(window, qtbot):
    window.inputs_panel.rng.seed(4)
    qtbot.mouseClick(window.inputs_panel.randomise_button, Qt.MouseButton.LeftButton)
    values = {k: window.document.input_value(k) for k in ("a", "b")}
    assert values != {"a": 2, "b": 3}
    assert all(-3 <= v <= 3 for v in values.values())
    window.menus.undo.trigger()
    assert window.document.input_value("a") == 2 and window.document.input_value("b") == 3


def test_a_dragged_node_stays_and_undo_moves_it_back(window, qtbot):
    node = window.document.graph.by_label("c")
    item = window.scene.node_item(node)
    start = item.pos()
    drag(qtbot, window, node, 80, 30)
    moved = window.document.graph.node(node).pos
    assert moved is not None and moved[0] > start.x()
    # New input values redraw the graph: the node stays where it was put.
    window.inputs_panel.row("a").spin.setValue(7)
    assert window.scene.node_item(node).pos().x() == moved[0]
    window.document.undo_stack.undo()  # the input
    window.document.undo_stack.undo()  # the move
    assert window.scene.node_item(node).pos() == start


def test_typing_keeps_positions_of_nodes_that_survive(window, qtbot):
    node = window.document.graph.by_label("a")
    window.scene.nodeMoved.emit(node, 11.0, 22.0)
    _type_program(qtbot, window, "a = 2\nb = 3\ne = (a + b) * (b + 2)")
    qtbot.waitUntil(lambda: window.document.program.endswith("+ 2)"), timeout=3000)
    new_a = window.document.graph.by_label("a")
    assert window.scene.node_item(new_a).pos().toTuple() == (11.0, 22.0)


def test_presentation_mode_on_and_off(window, qtbot):
    assert window.program_dock.isVisible()
    qtbot.keyClick(window.view, Qt.Key.Key_F5)
    assert window.presentation.active
    assert window.isFullScreen()
    assert not window.program_dock.isVisible() and not window.steps_dock.isVisible()
    assert not window.menuBar().isVisible()
    assert window.view.isVisible() and window.explanation.isVisible()
    assert window.explanation.step_label.font().pointSize() >= 24
    press(qtbot, window, Qt.Key.Key_PageDown)  # the clicker still works
    assert window.player.index == 1
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not window.presentation.active
    assert not window.isFullScreen()
    assert window.program_dock.isVisible() and window.menuBar().isVisible()
    assert window.explanation.step_label.font().pointSize() < 24


def test_export_every_step_as_a_pdf_deck_through_the_dialog(window, qtbot, tmp_path: Path):
    qtbot.keyClick(window.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = next(d for d in window.findChildren(object) if d.objectName() == "exportDialog")
    qtbot.waitExposed(dialog)
    target = tmp_path / "deck.pdf"
    dialog.choose_path = lambda: str(target)  # instead of the file chooser
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(".pdf"))
    qtbot.mouseClick(dialog.all_steps, Qt.MouseButton.LeftButton)
    choose = next(b for b in dialog.findChildren(type(dialog.export_button))
                  if b.text() == "Choose…")
    qtbot.mouseClick(choose, Qt.MouseButton.LeftButton)
    assert dialog.path_edit.text() == str(target)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + \
        data.count(b"/Type/Page\n") >= 1
    assert "Exported" in window.statusBar().currentMessage()


def test_export_current_step_png(window, qtbot, tmp_path: Path):
    import io

    from PIL import Image, ImageChops

    press(qtbot, window, Qt.Key.Key_Right, 2)
    assert window.player.index == 2
    dialog = window.export_dialog()
    target = tmp_path / "step.png"
    dialog.path_edit.setText(str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    exported = Image.open(target).convert("RGB")
    colours = exported.getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 50  # text, lines and fills: not blank

    def drawn_at(index: int) -> Image.Image:
        """What the render layer draws of the window's graph, where the canvas has its
        nodes, at step ``index`` in the dialog's (light) theme and scale."""
        from gradviz.render.export import png_bytes
        from gradviz.render.scene import GraphScene
        from gradviz.render.theme import THEMES

        scene = GraphScene(THEMES["light"])
        scene.set_graph(window.document.graph, window.document.evaluation,
                        window.scene.positions())
        scene.show_step(index)
        try:
            return Image.open(io.BytesIO(png_bytes(scene, 2.0))).convert("RGB")
        finally:
            scene.clear()

    assert exported.size == drawn_at(2).size
    assert ImageChops.difference(exported, drawn_at(2)).getbbox() is None  # this step
    for other in (1, 3):
        other_picture = drawn_at(other)
        assert other_picture.size != exported.size or \
            ImageChops.difference(exported, other_picture).getbbox() is not None


def test_check_compares_every_gradient(window, qtbot, monkeypatch):
    from gradviz.app import check_dialog
    from gradviz.core.check import check_gradients

    # PyTorch is tried in its own test (tests/core); here only the dialog is tested.
    monkeypatch.setattr(check_dialog, "run_check",
                        lambda g, grads=None, progress=None:
                        check_gradients(g, use_torch=False, grads=grads, progress=progress))
    dialog = window.check_gradients()
    assert dialog.windowTitle() == "Check gradients"
    assert dialog.table.rowCount() == 2
    cells = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(2)}
    assert cells == {"∂e/∂a": "4", "∂e/∂b": "9"}
    assert "agrees" in dialog.table.item(1, 4).text()
    assert "Every gradient agrees" in dialog.summary.text()
    dialog.close()


def test_in_forward_mode_the_check_is_of_forward_modes_gradients(window, monkeypatch):
    from gradviz.app import check_dialog
    from gradviz.core.check import check_gradients

    checked = []

    def check(graph, grads=None, progress=None):
        checked.append(grads)
        return check_gradients(graph, use_torch=False, grads=grads, progress=progress)

    monkeypatch.setattr(check_dialog, "run_check", check)
    window.document.set_mode("forward")
    dialog = window.check_gradients()
    assert dialog.windowTitle() == "Check gradients — forward mode"
    ids = {n.label: n.id for n in window.document.graph.inputs()}
    assert checked == [{ids["a"]: 4, ids["b"]: 9}]  # the dual-number passes' results
    cells = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(2)}
    assert cells == {"∂e/∂a": "4", "∂e/∂b": "9"}
    assert "Every gradient agrees" in dialog.summary.text()
    dialog.close()


def test_switching_theme_redraws_and_is_remembered(window):
    window.menus.theme_actions["dark"].trigger()
    assert window.scene.theme.name == "dark"
    assert window.settings.theme == "dark"


def test_graph_that_cannot_run_disables_the_player_with_the_reason(window, qtbot):
    _type_program(qtbot, window, "a = 0\ne = log(a)")
    qtbot.waitUntil(lambda: window.document.program.endswith("log(a)"), timeout=3000)
    assert window.document.evaluation is None
    assert not window.player_bar.forward_action.isEnabled()
    assert "Player off" in window.player_bar.position_label.text()
    assert isinstance(window.document.problem, str) and window.document.problem
    qtbot.keyClick(window.view, Qt.Key.Key_Right)  # no crash, nothing happens
    assert window.player.index == 0
