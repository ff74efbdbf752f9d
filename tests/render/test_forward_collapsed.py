"""Forward mode with collapsed groups, on the 2-2-1 network example (its two neurons
collapsed): each neuron is one box showing its output's dual number once the pass has
computed it, stepping passes over the steps inside a box, the caption says what the box
computed, and exports draw it so."""
from pathlib import Path

import pytest

from gradviz.cli import main
from gradviz.core.evaluation import evaluate
from gradviz.core.examples import example_document
from gradviz.core.forward import forward_mode_of
from gradviz.core.forward_text import dual
from gradviz.render import formats
from gradviz.render.theme import THEMES

EXAMPLE = Path(__file__).parents[2] / "resources" / "examples" / "mlp_2_2_1.gradviz"
NEURONS = ("neuron 1", "neuron 2")


@pytest.fixture
def network(qapp):
    """The example in forward mode, pass 1 (seeding x1), its neurons collapsed."""
    from gradviz.render.scene import GraphScene

    graph = example_document("mlp_2_2_1").graph
    run = evaluate(graph)
    forward = forward_mode_of(run)
    scene = GraphScene(THEMES["projector"])
    scene.set_collapsed([g.id for g in graph.groups() if g.name in NEURONS], redraw=False)
    scene.set_forward(forward, 0, redraw=False)
    scene.set_graph(graph, run, step=0)
    yield scene, graph, forward
    scene.clear()


def boxes(scene) -> dict:
    return {b.name: b for b in scene.group_items()}


def test_each_collapsed_neuron_is_one_box_and_none_of_its_nodes_is_drawn(network):
    scene, graph, _ = network
    assert sorted(boxes(scene)) == list(NEURONS)
    inside = {n for g in graph.groups() for n in g.nodes}
    drawn = {i.node_id for i in scene.node_items()}
    assert len(inside) == 10 and not inside & drawn
    assert scene.node_count == len(graph) - 10  # 19 nodes and 2 boxes
    assert drawn | inside == set(graph.nx)


def test_a_box_shows_its_output_as_a_dual_number_once_the_pass_computed_it(network):
    scene, graph, forward = network
    h1, h2 = graph.by_label("h1"), graph.by_label("h2")
    first = forward.pass_at(0)
    end = first.state(first.last)
    assert "?" in boxes(scene)["neuron 1"].texts()  # at the start: not computed yet
    assert boxes(scene)["neuron 1"].look.emphasis == "future"  # drawn faint
    scene.show_step(first.last)
    for name, node in (("neuron 1", h1), ("neuron 2", h2)):
        texts = boxes(scene)[name].texts()
        label = graph.node(node).label
        assert dual(end.values[node], end.tangents[node]) in texts
        assert any(t.startswith(f"∂{label}/∂x1 = ") for t in texts)
    assert "0.60437 + 0.19042ε" in boxes(scene)["neuron 1"].texts()
    # Another pass: seeding w11 (only neuron 1 depends on it).
    k = forward.inputs.index(graph.by_label("w11"))
    scene.set_forward(forward, k)
    p = forward.pass_at(k)
    scene.show_step(p.last)
    end = p.state(p.last)
    assert dual(end.values[h1], end.tangents[h1]) in boxes(scene)["neuron 1"].texts()
    assert "−0.66404 + 0ε" in boxes(scene)["neuron 2"].texts()


def test_stepping_passes_over_the_steps_inside_a_box_and_the_caption_says_what_it_did(
        network):
    scene, graph, forward = network
    p = forward.pass_at(0)
    # h1's five operations are steps 1-5, h2's 6-10: one stop each, at its last step.
    assert scene.skipped_steps() == {1, 2, 3, 4, 6, 7, 8, 9}
    scene.show_step(5)
    assert boxes(scene)["neuron 1"].look.emphasis == "current"
    caption = scene.caption_text()
    assert caption.startswith("Pass 1 of 12: seeding x1, step 5 of 16: ")
    assert "neuron 1" in caption and "h1 = 0.60437 + 0.19042ε" in caption
    assert "∂h1/∂x1 = 0.19042" in caption
    assert "h1_d" not in caption  # a node inside the box is not what it says
    scene.show_step(11)  # out_a = v1 · h1, outside the boxes: its own dual arithmetic
    assert scene.caption_text().endswith(p.steps[10].text)


def test_a_forward_mode_export_with_collapse_draws_fewer_nodes_and_stops(qapp, tmp_path):
    graph = example_document("mlp_2_2_1").graph
    run = evaluate(graph)
    job = formats.Export(graph, run, 0, forward=forward_mode_of(run))
    assert formats.drawn_nodes(job) == 29
    assert formats.drawn_nodes(job._replace(collapse="all")) == 21  # 19 nodes, 2 boxes
    args = [str(EXAMPLE), "--mode", "forward", "--all-steps"]
    assert main(["export", *args, "-o", str(tmp_path / "open.png")]) == 0
    assert main(["export", *args, "-o", str(tmp_path / "shut.png"),
                 "--collapse", "neuron 1", "--collapse", "neuron 2"]) == 0
    opened = sorted(tmp_path.glob("open-*.png"))
    shut = sorted(tmp_path.glob("shut-*.png"))
    assert len(opened) == 17  # the start and 16 operations
    assert len(shut) == 17 - 8  # each neuron's five steps are one frame


def test_an_svg_in_forward_mode_draws_the_box_and_not_its_nodes(qapp, tmp_path):
    import xml.etree.ElementTree as ET

    out = tmp_path / "shut.svg"
    assert main(["export", str(EXAMPLE), "-o", str(out), "--mode", "forward",
                 "--collapse", "neuron 1"]) == 0
    root = ET.parse(out).getroot()
    texts = ["".join(el.itertext()) for el in root.iter() if el.tag.endswith("text")]
    assert "neuron 1  (5 nodes)" in texts and "0.60437 + 0.19042ε" in texts
    assert "h1_a" not in texts and "h2_a" in texts  # neuron 2 is open
