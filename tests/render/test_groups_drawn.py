"""Collapsed groups as drawn: one box with its inputs and outputs, the wires across its
border, stepping over it, the net local derivatives it shows (checked against finite
differences of the same network)."""
import re

import pytest

from gradviz.core.engine import Value, group
from gradviz.core.evaluation import evaluate
from gradviz.core.trace import graph_from_value
from gradviz.render.theme import THEMES

WEIGHTS = {"w11": 0.3, "w12": -0.1, "b1": 0.2, "w21": -0.4, "w22": 0.25, "b2": 0.1,
           "v1": 0.7, "v2": -0.6, "c": 0.05}


def network(x1=1.0, x2=-2.0, **changed):
    """A 2-2-1 network's squared error, each neuron a group, the hidden layer around
    its two neurons, the loss a group of its own."""
    w = {**WEIGHTS, **changed}

    def neuron(name, xs, ws, b):
        # The parameters come from outside, as a function's arguments would.
        params = [Value(w[n], label=n) for n in ws]
        bias = Value(w[b], label=b)
        with group(name):
            s = bias
            for x, p in zip(xs, params, strict=True):
                s = s + x * p
            o = s.tanh()
            o.label = name
        return o

    a, b = Value(x1, label="x1"), Value(x2, label="x2")
    with group("layer 1"):
        h1 = neuron("h1", [a, b], ["w11", "w12"], "b1")
        h2 = neuron("h2", [a, b], ["w21", "w22"], "b2")
    out = neuron("out", [h1, h2], ["v1", "v2"], "c")
    with group("loss"):
        loss = (out - 0.5) ** 2
        loss.label = "loss"
    return loss, {"h1": h1, "h2": h2, "out": out}


@pytest.fixture
def grouped(qapp):
    from gradviz.render.scene import GraphScene

    loss, _ = network()
    graph = graph_from_value(loss)
    run = evaluate(graph)
    scene = GraphScene(THEMES["projector"])
    scene.set_graph(graph, run, step=0)
    yield scene, graph, run
    scene.clear()


def ids(graph, *names):
    return [g.id for g in graph.groups() if g.name in names]


def test_a_collapsed_neuron_is_one_box_with_its_inputs_and_its_output(grouped):
    scene, graph, run = grouped
    scene.set_collapsed(ids(graph, "h1"))
    (box,) = scene.group_items()
    inside = set(graph.group(box.group_id).nodes)
    drawn = {i.node_id for i in scene.node_items()}
    assert not inside & drawn and drawn | inside == set(graph.nx)
    scene.show_step(len(run.timeline))
    texts = box.texts()
    assert texts[0] == "h1  (5 nodes)"
    # Its inputs are the nodes outside feeding it; its output shows value and gradient.
    assert {"x1", "x2", "w11", "w12", "b1"} <= set(texts)
    h1 = graph.by_label("h1")
    row = box.look.outputs[0]
    assert (row.label, row.value_known, row.grad_known) == ("h1", True, True)
    assert float(row.value) == pytest.approx(run.values[h1], rel=1e-4)
    assert float(row.grad) == pytest.approx(run.grads[h1], rel=1e-4)
    # Every wire across the border is drawn once, into the row of the node feeding it.
    into = [e for e in scene.edge_items() if e.target is box]
    assert sorted(graph.node(e.source.node_id).label for e in into) == \
        ["b1", "w11", "w12", "x1", "x2"]
    out = [e for e in scene.edge_items() if e.source is box]
    assert len(out) == len(list(graph.nx.successors(h1)))


def test_the_box_keeps_its_size_and_place_through_every_step(grouped):
    scene, graph, run = grouped
    scene.set_collapsed(ids(graph, "h1", "h2", "loss"))
    shapes = [(b.geometry, b.pos()) for b in scene.group_items()]
    for k in range(len(run.timeline) + 1):
        scene.show_step(k)
        assert [(b.geometry, b.pos()) for b in scene.group_items()] == shapes


def test_stepping_passes_over_the_inside_of_a_collapsed_group_in_one_stop(grouped):
    scene, graph, run = grouped
    scene.set_collapsed(ids(graph, "h1"))
    inside = set(graph.group(ids(graph, "h1")[0]).nodes)
    skipped = scene.skipped_steps()
    steps = run.timeline.steps
    forward_inside = [i for i, s in enumerate(steps, 1)
                      if s.phase == "forward" and s.node in inside]
    assert len(forward_inside) == 5
    # Four of the neuron's five forward steps are passed over, the last is its stop.
    assert set(forward_inside[:-1]) <= skipped and forward_inside[-1] not in skipped
    scene.show_step(forward_inside[-1])
    (box,) = scene.group_items()
    assert box.look.emphasis == "current"


def test_going_backward_the_box_shows_its_net_local_derivatives(grouped):
    """d h1 / d input through the neuron, as the box writes it, equals the finite
    difference of h1 when that input moves (the engine's recorded locals multiplied
    along the paths inside, not a ratio of gradients)."""
    scene, graph, run = grouped
    scene.set_collapsed(ids(graph, "h1"))
    (box,) = scene.group_items()
    h1 = graph.by_label("h1")
    last_inside = max(i for i, s in enumerate(run.timeline.steps, 1)
                      if s.phase == "backward" and getattr(s, "child", None) == h1)
    scene.show_step(last_inside)
    shown = {row.label: row.derivative for row in box.look.inputs}
    eps = 1e-6
    for name in ("w11", "w12", "b1"):
        up = network(**{name: WEIGHTS[name] + eps})[1]["h1"].data
        down = network(**{name: WEIGHTS[name] - eps})[1]["h1"].data
        written = re.fullmatch(rf"∂h1/∂{name} = (\S+)", shown[name])
        assert written, shown
        assert float(written.group(1).replace("−", "-")) == pytest.approx((up - down) / (2 * eps), rel=1e-3)
    x1 = network(x1=1 + eps)[1]["h1"].data - network(x1=1 - eps)[1]["h1"].data
    assert float(shown["x1"].split("= ")[1].replace("−", "-")) == pytest.approx(x1 / (2 * eps), rel=1e-3)
    scene.show_step(0)  # before the backward pass, no derivative is shown
    assert all(row.derivative == "" for row in box.look.inputs)


def test_a_collapsed_layer_hides_its_neurons_and_gives_both_outputs(grouped):
    scene, graph, run = grouped
    scene.set_collapsed(ids(graph, "layer 1", "h1"))  # h1 is inside the layer
    (box,) = scene.group_items()
    assert box.name == "layer 1"
    scene.show_step(len(run.timeline))
    assert [row.label for row in box.look.outputs] == ["h1", "h2"]
    assert [row.label for row in box.look.inputs] == ["x1", "x2"]


def test_opening_a_group_again_draws_its_nodes(grouped):
    scene, graph, run = grouped
    scene.set_collapsed(ids(graph, "h1"))
    scene.set_collapsed(())
    assert not scene.group_items()
    assert {i.node_id for i in scene.node_items()} == set(graph.nx)


def test_the_layout_keeps_each_groups_nodes_together_in_every_column(grouped):
    from gradviz.core.layout import layered_layout

    _, graph, _ = grouped
    positions = layered_layout(graph).positions  # one row, so a column is a layer
    columns: dict[float, list[str]] = {}
    for n, (x, _) in positions.items():
        columns.setdefault(round(x), []).append(n)
    for column in columns.values():
        column.sort(key=lambda n: positions[n][1])
        for g in graph.groups():
            rows = [i for i, n in enumerate(column) if n in set(g.nodes)]
            if rows:  # one run: no other node between two of the group's
                assert rows == list(range(rows[0], rows[0] + len(rows))), (
                    g.name, [graph.node(n).label for n in column])


def test_every_open_group_has_an_outline_that_takes_in_no_other_node(grouped):
    scene, graph, _ = grouped
    frames = {f.group_id: f for f in scene.group_frames()}
    assert set(frames) == {g.id for g in graph.groups()}
    for gid, frame in frames.items():
        outline = frame.outline()
        members = set(graph.group(gid).nodes)
        for item in scene.node_items():
            box = item.mapRectToScene(item.geometry.rect)
            if item.node_id in members:
                assert outline.contains(box.center()), (frame.name, item.node_id)
            else:
                assert not outline.intersects(box), (frame.name, graph.node(item.node_id).label)


def test_each_groups_name_is_written_where_it_hides_no_node_and_no_other_name(grouped):
    scene, graph, _ = grouped
    tabs = [(f.name, t) for f in scene.group_frames() for t in f.tab_rects()]
    assert {name for name, _ in tabs} == {g.name for g in graph.groups()}
    boxes = [i.mapRectToScene(i.geometry.rect) for i in scene.node_items()]
    for i, (name, tab) in enumerate(tabs):
        assert not any(tab.intersects(b) for b in boxes), name
        assert not any(tab.intersects(t) for _, t in tabs[i + 1:]), name


def test_a_group_member_placed_far_away_is_framed_without_a_hang(qapp):
    # A document may pin a node anywhere (the file fuzz found 1e308 hanging the frames).
    from gradviz.render.scene import GraphScene

    loss, _ = network()
    graph = graph_from_value(loss)
    member = graph.group([g.id for g in graph.groups() if g.name == "h1"][0]).nodes[0]
    scene = GraphScene(THEMES["projector"])
    scene.set_graph(graph, evaluate(graph), positions={member: (0.0, -1e300)})
    assert scene.group_frames()  # the other groups are still outlined
    scene.clear()
