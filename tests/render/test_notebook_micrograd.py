"""``gradviz.draw`` and ``gradviz.show`` on micrograd's own Value objects."""
import re
import warnings
import xml.etree.ElementTree as ET

import pytest

import gradviz
from gradviz.render.notebook import GradientWarning
from tests.core import lecture_value as lecture
from tests.core.test_micrograd_values import karpathy_neuron

micrograd = pytest.importorskip("micrograd.engine")
nn = pytest.importorskip("micrograd.nn")


def _texts(svg: str) -> str:
    root = ET.fromstring(svg)
    return " ".join(t for t in root.itertext() if t.strip())


def _sanity_check():
    x = micrograd.Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    return x, y


def test_micrograds_sanity_check_draws_to_svg_and_png_with_its_gradients(qapp, tmp_path):
    x, y = _sanity_check()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # micrograd's gradients are a pass from y: no warning
        drawing = gradviz.draw(y, tmp_path / "sanity.svg")
    texts = _texts((tmp_path / "sanity.svg").read_text())
    assert "−20" in texts or "-20" in texts  # y's value
    assert "46" in texts  # x's gradient, micrograd's and PyTorch's
    png = drawing._repr_png_()
    assert png.startswith(b"\x89PNG") and len(png) > 5_000
    gradviz.draw(y, tmp_path / "sanity.png")
    assert (tmp_path / "sanity.png").read_bytes().startswith(b"\x89PNG")


def test_karpathys_neuron_shows_his_labels_in_the_picture(qapp):
    texts = _texts(gradviz.draw(karpathy_neuron())._repr_svg_())
    for label in ("x1", "w1", "x1*w1", "x1*w1 + x2*w2", "n", "o", "0.70711"):
        assert label in texts, label
    assert re.search(r"x1 value 2 grad [-−]1\.5\b", texts)  # his ∂o/∂x1


def test_an_mlp_output_draws(qapp, tmp_path):
    model = nn.MLP(2, [2, 1])
    out = model([1.0, 2.0])
    out.backward()
    drawing = gradviz.draw(out, tmp_path / "mlp.png")
    assert len(drawing.graph.inputs()) >= len(model.parameters())
    assert (tmp_path / "mlp.png").stat().st_size > 5_000


def test_an_unknown_op_is_one_box_with_micrograds_numbers(qapp):
    x = lecture.Value(0.3, label='x')
    s = (x * 2).softplus()
    s.label = 's'
    s.backward()
    drawing = gradviz.draw(s)
    assert drawing.collapse == ("g1",)
    texts = _texts(drawing._repr_svg_())
    assert "softplus (recorded)" in texts
    assert f"{s.data:.5g}" in texts
    opened = _texts(gradviz.draw(s, collapse=[])._repr_svg_())
    assert "s_dx" in opened  # open, the tangent it is drawn as shows


def test_gradients_summed_over_two_backward_passes_are_warned_of(qapp):
    x, y = _sanity_check()
    y.backward()  # micrograd does not zero: every gradient is now doubled
    y.grad = 1
    with pytest.warns(GradientWarning, match=r"micrograd's \.grad of .* differ"):
        drawing = gradviz.draw(y)
    assert "46" in _texts(drawing._repr_svg_())  # what a pass from y gives


def test_draw_and_show_refuse_other_things_naming_both_kinds(qapp):
    with pytest.raises(TypeError, match=re.escape(
            "draw() takes a gradviz or micrograd Value or a Graph, not str")):
        gradviz.draw("e = a * b")
    with pytest.raises(TypeError, match=re.escape(
            "show() takes a gradviz or micrograd Value or a Graph, not list")):
        gradviz.show([1, 2])


def test_show_opens_the_app_on_a_micrograd_value(qapp, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from gradviz.app.main_window import MainWindow

    x, y = _sanity_check()
    seen = {}

    def run_once(app):
        (window,) = [w for w in QApplication.topLevelWidgets()
                     if isinstance(w, MainWindow) and w.isVisible()]
        seen["value"] = window.document.evaluation.value
        seen["grads"] = sorted(window.document.evaluation.input_grads().values())
        window.close()
        window.deleteLater()
        return 0

    monkeypatch.setattr(QApplication, "exec", run_once)
    monkeypatch.setenv("GRADVIZ_SETTINGS", "memory")
    assert gradviz.show(y) == 0
    assert seen["value"] == y.data == -20.0
    assert 46.0 in seen["grads"]
