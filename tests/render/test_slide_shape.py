"""The pictures a lecture uses are slide-shaped: a PNG of the 2-2-1 network, of micrograd's
test_more_ops and of a long chain of neurons is wider than tall but never a strip."""
import io
import warnings

import pytest
from PIL import Image

import gradviz
from gradviz.core.engine import Value
from gradviz.core.examples import example_document


def _png_shape(tmp_path, graph_or_value, name):
    out = tmp_path / f"{name}.png"
    with warnings.catch_warnings():  # a big one is scaled down, and says so: not tested here
        warnings.simplefilter("ignore")
        gradviz.draw(graph_or_value, out)
    with Image.open(io.BytesIO(out.read_bytes())) as im:
        return im.size


@pytest.mark.parametrize("example", ["mlp_2_2_1", "micrograd_more_ops", "neuron"])
def test_a_lecture_graph_exports_as_a_slide_shaped_picture(qapp, tmp_path, example):
    w, h = _png_shape(tmp_path, example_document(example).graph, example)
    assert 1.0 <= w / h <= 2.6, (w, h)  # before the layout wrapped: 7:1 to 10:1


def test_a_long_chain_of_neurons_wraps_into_a_slide_shaped_picture(qapp, tmp_path):
    h = Value(0.5)
    for i in range(60):
        h = (Value(0.1 * i) * h + Value(-0.2)).tanh()
    w, hgt = _png_shape(tmp_path, h, "chain")
    assert 1.0 <= w / hgt <= 2.6, (w, hgt)
