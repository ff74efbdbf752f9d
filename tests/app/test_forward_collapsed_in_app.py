"""Collapsed groups in forward mode, in the window: the 2-2-1 network's neurons
collapsed in reverse mode stay collapsed in forward mode, → passes over each neuron's
inside in one press, the explanation says what the box computed, and a double-click
opens a box in forward mode as in reverse."""
from PySide6.QtCore import Qt

from gradviz.core.examples import example_document

from ..windows import open_main_window
from .conftest import press


def open_network(qtbot):
    w = open_main_window(qtbot, example_document("mlp_2_2_1").program, "2-2-1 network")
    w.resize(1280, 720)
    w.player.animations_enabled = False
    neurons = [g.id for g in w.document.graph.groups()]
    assert len(neurons) == 2
    w.document.set_collapsed(neurons)
    return w


def box_names(w) -> list[str]:
    return sorted(b.name for b in w.scene.group_items())


def test_switching_to_forward_mode_keeps_the_neurons_collapsed(qtbot):
    w = open_network(qtbot)
    collapsed = w.document.collapsed
    assert box_names(w) == ["neuron 1", "neuron 2"]
    w.player_bar.mode_actions["forward"].trigger()
    assert w.document.mode == "forward" and w.document.collapsed == collapsed
    assert box_names(w) == ["neuron 1", "neuron 2"]
    inside = {n for g in w.document.graph.groups() for n in g.nodes}
    assert not inside & {i.node_id for i in w.scene.node_items()}
    w.player_bar.mode_actions["reverse"].trigger()  # and back: still collapsed
    assert box_names(w) == ["neuron 1", "neuron 2"]


def test_right_arrow_passes_over_a_neuron_in_one_press_and_says_what_it_computed(qtbot):
    w = open_network(qtbot)
    w.player_bar.mode_actions["forward"].trigger()
    w.view.setFocus()
    press(qtbot, w, Qt.Key.Key_Right)
    assert w.document.step == 5  # neuron 1's five operations in one stop
    text = w.explanation.text
    assert "inside neuron 1 (collapsed" in text
    assert "h1 = 0.60437 + 0.19042ε" in text
    neuron_1 = next(b for b in w.scene.group_items() if b.name == "neuron 1")
    assert neuron_1.look.emphasis == "current"
    assert "0.60437 + 0.19042ε" in neuron_1.texts()
    presses = 1
    while w.document.step < w.document.last_step:
        press(qtbot, w, Qt.Key.Key_Right)
        presses += 1
    assert presses == 16 - 8  # each neuron's five steps are one stop
    assert w.player_bar.position_label.text() == "Pass 1 / 12 · step 16 / 16"


def test_a_double_click_opens_a_box_in_forward_mode(qtbot):
    w = open_network(qtbot)
    w.player_bar.mode_actions["forward"].trigger()
    box = next(b for b in w.scene.group_items() if b.name == "neuron 2")
    w.view.centerOn(box)
    at = w.view.mapFromScene(box.sceneBoundingRect().center())
    qtbot.mouseDClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.waitUntil(lambda: box_names(w) == ["neuron 1"])
    assert w.document.mode == "forward"
    h2 = w.scene.node_item(w.document.graph.by_label("h2"))
    assert "?" in h2.texts()  # drawn as its own node, in forward mode's dual numbers
    w.player.end()
    assert "−0.66404 − 0.22362ε" in h2.texts()


def test_the_export_dialog_draws_forward_mode_with_the_boxes_the_window_shows(qtbot,
                                                                            tmp_path):
    import xml.etree.ElementTree as ET

    w = open_network(qtbot)
    w.player_bar.mode_actions["forward"].trigger()
    w.player.end()
    dialog = w.export_dialog()
    assert dialog.all_steps.text() == "Every step (9 pictures)"  # a stop per box
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(".svg"))
    out = tmp_path / "net.svg"
    dialog.path_edit.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.written == [out]
    root = ET.parse(out).getroot()
    texts = ["".join(el.itertext()) for el in root.iter() if el.tag.endswith("text")]
    assert {"neuron 1  (5 nodes)", "neuron 2  (5 nodes)"} <= set(texts)
    assert "0.60437 + 0.19042ε" in texts and "h1_a" not in texts
