"""The shipped examples: they load, compute what their sources compute, and stay generated."""
from __future__ import annotations

import math

import pytest

from gradviz.core.errors import DocumentError
from gradviz.core.evaluation import evaluate
from gradviz.core.examples import example_document, list_examples, load_example
from gradviz.core.fileformat import dumps

EXPECTED = {
    # name: (output value, {input: gradient})
    "notebook": (20, {"a": 4, "b": 9}),
    "micrograd_sanity_check": (-20, {"x": 46}),
    "micrograd_more_ops": (24.70408163265306, {"a": 138.83381924198252,
                                              "b": 645.5772594752186}),
    "neuron": (math.sqrt(0.5), {"x1": -1.5, "w1": 1, "x2": 0.5, "w2": 0, "b": 0.5}),
    "logistic_regression": (-math.log(1 / (1 + math.exp(0.5))),
                            {"w": 1.5 * (1 / (1 + math.exp(0.5)) - 1),
                             "x": -0.5 * (1 / (1 + math.exp(0.5)) - 1),
                             "b": 1 / (1 + math.exp(0.5)) - 1, "y": 0.5}),
    "linear_regression": (35, {"w": -26, "b": -18, "x1": 0, "x2": 0, "x3": 0,
                               "y1": 2, "y2": 6, "y3": 10}),
    "mlp_2_2_1": (0.13799702348404216, None),  # gradients: PyTorch and finite differences
    "square": (9, {"a": 6}),
    "trig_identity": (1, {"x": 0}),
    "forward_vs_reverse": (26, {"x1": 3, "x2": 2, "x3": 5, "x4": 4}),
}


def test_at_least_six_examples_each_with_a_one_line_description():
    examples = list_examples()
    assert len(examples) >= 6
    assert examples[0].name == "notebook"
    assert {e.name for e in examples} == set(EXPECTED)
    for e in examples:
        assert e.title and e.description and "\n" not in e.description
        assert e.path.read_text(encoding="utf-8").startswith('{\n  "format": "gradviz"')
        assert load_example(e.name).program  # the text it was typed as


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_evaluates_to_the_expected_numbers(name):
    value, grads = EXPECTED[name]
    run = evaluate(load_example(name).graph)
    assert run.value == pytest.approx(value, rel=1e-12, abs=1e-12)
    if grads is not None:
        got = run.input_grads()
        assert set(got) == set(grads)
        for label, g in grads.items():
            assert got[label] == pytest.approx(g, rel=1e-9, abs=1e-12), label


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_gradients_match_finite_differences(name):
    graph = load_example(name).graph
    run = evaluate(graph)
    h = 1e-6
    for node in graph.inputs():
        up = evaluate(graph, {node.label: node.value + h}).value
        down = evaluate(graph, {node.label: node.value - h}).value
        numeric = (up - down) / (2 * h)
        assert run.grads[node.id] == pytest.approx(numeric, rel=1e-5, abs=1e-6), node.label


def test_notebook_names_c_and_d_as_the_notebook_does():
    run = evaluate(load_example("notebook").graph)
    by_label = {run.graph.node(n).label: v for n, v in run.values.items()}
    assert by_label == {"a": 2, "b": 3, "c": 5, "1": 1, "d": 4, "e": 20}
    auto = {n.label for n in run.graph.nodes() if n.auto}
    assert auto == {"c", "d"}


def test_micrograd_sanity_check_matches_micrograd():
    engine = pytest.importorskip("micrograd.engine")
    x = engine.Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    run = evaluate(load_example("micrograd_sanity_check").graph)
    assert run.value == y.data
    assert run.input_grads() == {"x": x.grad}


def test_micrograd_more_ops_matches_micrograd():
    engine = pytest.importorskip("micrograd.engine")
    a, b = engine.Value(-4.0), engine.Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    run = evaluate(load_example("micrograd_more_ops").graph)
    tol = 1e-6  # micrograd's own tolerance against PyTorch
    assert abs(run.value - g.data) < tol
    grads = run.input_grads()
    assert abs(grads["a"] - a.grad) < tol and abs(grads["b"] - b.grad) < tol


@pytest.mark.parametrize("name", ["neuron", "logistic_regression", "mlp_2_2_1",
                                  "micrograd_more_ops", "trig_identity"])
def test_example_gradients_match_pytorch(name):
    pytest.importorskip("torch")
    from gradviz.core.torch_bridge import gradients

    graph = load_example(name).graph
    run = evaluate(graph)
    expected = gradients(graph, {})
    for label, g in run.input_grads().items():
        assert g == pytest.approx(expected[label], rel=1e-9, abs=1e-12), label


def test_mlp_matches_a_network_written_out_in_pytorch():
    torch = pytest.importorskip("torch")
    t = lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True)
    x = t([1.0, -2.0])
    w = t([[0.3, -0.1], [-0.4, 0.25]])
    b = t([0.2, 0.1])
    v = t([0.7, -0.6])
    c = t(0.05)
    loss = (v @ torch.tanh(w @ x + b) + c - 0.5) ** 2
    loss.backward()
    run = evaluate(load_example("mlp_2_2_1").graph)
    grads = run.input_grads()
    assert run.value == pytest.approx(loss.item(), rel=1e-12)
    assert [grads["w11"], grads["w12"], grads["w21"], grads["w22"]] == pytest.approx(
        w.grad.flatten().tolist(), rel=1e-9)
    assert [grads["v1"], grads["v2"], grads["c"]] == pytest.approx(
        [*v.grad.tolist(), c.grad.item()], rel=1e-9)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shipped_file_is_what_its_program_generates(name):
    """The file holds exactly what the language makes of its stored program.

    After editing an example in examples.py (or a change in the language's naming), run
    ``python -m gradviz.core.examples`` to regenerate the files.
    """
    shipped = [e for e in list_examples() if e.name == name][0]
    assert shipped.path.read_text(encoding="utf-8") == dumps(example_document(name))


def test_unknown_example_lists_the_known_ones():
    with pytest.raises(DocumentError, match="no example called 'nope'.*notebook"):
        load_example("nope")
    with pytest.raises(DocumentError):
        load_example("../examples/notebook")
