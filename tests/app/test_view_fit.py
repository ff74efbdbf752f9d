"""The canvas fits the view to a new graph, and keeps still while a graph is edited by hand
(and while those edits are undone and redone)."""
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QMessageBox

from tests.app.conftest import press


def _view_state(window):
    v = window.view
    centre = v.mapToScene(v.viewport().rect().center())
    return round(v.transform().m11(), 6), round(centre.x(), 1), round(centre.y(), 1)


def _all_in_sight(window) -> bool:
    v = window.view
    seen = v.mapToScene(v.viewport().rect()).boundingRect()
    return seen.contains(window.scene.itemsBoundingRect())


def _look_elsewhere(window):
    """What a lecturer does before editing: zoom in on a part of the graph."""
    v = window.view
    v.zoom_by(1.7)
    v.centerOn(window.scene.node_item(window.document.graph.by_label("a")).pos())


def test_canvas_edits_and_their_undo_and_redo_keep_the_view_still(window):
    w = window
    _look_elsewhere(w)
    still = _view_state(w)
    f = w.wiring.add_node("neg", QPointF(900, -200))
    w.wiring.connect_nodes(w.document.graph.by_label("e"), f, 0)
    assert _view_state(w) == still
    for act in (w.menus.undo, w.menus.undo, w.menus.redo, w.menus.redo, w.menus.undo):
        act.trigger()
        assert _view_state(w) == still, act.text()
    w.wiring.select([w.document.graph.by_label("d")])
    w.wiring.delete_selection()
    w.menus.undo.trigger()
    assert _view_state(w) == still


def test_stepping_and_new_input_values_keep_the_view_still(window, qtbot):
    _look_elsewhere(window)
    still = _view_state(window)
    press(qtbot, window, Qt.Key.Key_Right, 3)
    window.inputs_panel.row("a").spin.setValue(7)
    assert _view_state(window) == still


def test_an_opened_example_and_a_new_graph_are_fitted(window):
    w = window
    w.file_actions.ask_unsaved = lambda name: QMessageBox.StandardButton.Discard
    _look_elsewhere(w)
    assert not _all_in_sight(w)
    w.file_actions.example_actions["mlp_2_2_1"].trigger()
    assert _all_in_sight(w)
    _look_elsewhere_on(w, "x1")
    assert not _all_in_sight(w)
    w.file_actions.example_actions["neuron"].trigger()
    assert _all_in_sight(w)


def test_a_typed_program_that_replaces_the_graph_is_fitted(window, qtbot):
    w = window
    _look_elsewhere(w)
    assert not _all_in_sight(w)
    editor = w.program_panel.editor
    editor.setPlainText("a = 2.0\nb = 3.0\nc = a + b\nd = b + 1.0\ne = c * d\n"
                        "f = e * e\ng = f + a\nh = g.tanh()\n")
    editor.flush()
    assert w.document.graph.by_label("h") is not None
    assert _all_in_sight(w)


def _look_elsewhere_on(window, label):
    v = window.view
    v.zoom_by(2.0)
    v.centerOn(window.scene.node_item(window.document.graph.by_label(label)).pos())


def test_a_pinch_zooms_the_canvas(window):
    """A trackpad pinch (a native zoom gesture) and a touch-screen pinch gesture both zoom."""
    from PySide6.QtGui import QNativeGestureEvent, QPointingDevice
    from PySide6.QtWidgets import QApplication, QPinchGesture

    v = window.view
    before = v.zoom
    at = QPointF(v.viewport().rect().center())
    event = QNativeGestureEvent(Qt.NativeGestureType.ZoomNativeGesture,
                                QPointingDevice.primaryPointingDevice(), 2, at, at,
                                QPointF(v.viewport().mapToGlobal(at.toPoint())), 0.25,
                                QPointF(0, 0))
    QApplication.sendEvent(v.viewport(), event)
    assert abs(v.zoom / before - 1.25) < 1e-9

    class TouchPinch:  # what a QGestureEvent hands over: the pinch and accept()
        accepted = False

        def __init__(self, factor):
            self.pinch = QPinchGesture()
            self.pinch.setScaleFactor(factor)

        def gesture(self, kind):
            return self.pinch if kind == Qt.GestureType.PinchGesture else None

        def accept(self):
            self.accepted = True

    pinch = TouchPinch(0.5)
    assert v._gesture(pinch) and pinch.accepted
    assert abs(v.zoom / before - 0.625) < 1e-9


def test_the_window_fits_a_1280_px_wide_projector_with_every_panel_shown(window):
    # Panels added since (Descent, forward mode's controls) had pushed its smallest
    # width past 1,280 px: on a projector the window ran off the screen.
    assert window.minimumSizeHint().width() <= 1280
