"""Groups: made by `gradviz.group` blocks, kept valid through edits, saved and loaded, and
a collapsed group's net derivatives, checked against finite differences and PyTorch."""
from __future__ import annotations

import json
import math

import pytest

import gradviz
from gradviz import Value
from gradviz.core.errors import DocumentError, GraphError
from gradviz.core.evaluation import evaluate
from gradviz.core.fileformat import GraphDocument, dumps, loads
from gradviz.core.graph import Graph
from gradviz.core.groups import (
    collapsed_box_of,
    group_boundary,
    groups_to_collapse,
    net_derivatives,
)
from gradviz.core.ops import OPS
from gradviz.core.trace import graph_from_value

B = 6.8813735870195432  # Karpathy's bias: the neuron's output is then about 0.7071


def leaves(**values: float) -> dict[str, Value]:
    return {name: Value(x, label=name) for name, x in values.items()}


def karpathy_neuron() -> Graph:
    """o = tanh(x1*w1 + x2*w2 + b), the operations in a group 'neuron', the leaves not."""
    v = leaves(x1=2.0, x2=0.0, w1=-3.0, w2=1.0, b=B)
    with gradviz.group("neuron"):
        n = v["x1"] * v["w1"] + v["x2"] * v["w2"] + v["b"]
        n.label = "n"
        o = n.tanh()
        o.label = "o"
    return graph_from_value(o)


def network_2_2_1() -> Graph:
    """Two tanh neurons in a group 'hidden layer', one each, feeding a tanh output neuron;
    the loss (out - 1)² is in no group."""
    v = leaves(x1=0.5, x2=-1.5, w11=0.3, w12=-0.8, b1=0.1, w21=1.2, w22=0.4, b2=-0.2,
               u1=-0.7, u2=0.9, c=0.05)
    hidden = []
    with gradviz.group("hidden layer"):
        for k in (1, 2):
            with gradviz.group(f"neuron {k}"):
                h = (v["x1"] * v[f"w{k}1"] + v["x2"] * v[f"w{k}2"] + v[f"b{k}"]).tanh()
                h.label = f"h{k}"
                hidden.append(h)
    with gradviz.group("output neuron"):
        out = (hidden[0] * v["u1"] + hidden[1] * v["u2"] + v["c"]).tanh()
        out.label = "out"
    loss = (out - 1) ** 2
    loss.label = "loss"
    return graph_from_value(loss)


def group_named(graph: Graph, name: str):
    (group,) = [g for g in graph.groups() if g.name == name]
    return group


# --- gradviz.group ----------------------------------------------------------------------
def test_values_made_in_a_block_are_its_group():
    g = karpathy_neuron()
    (neuron,) = g.groups()
    assert (neuron.id, neuron.name, neuron.parent) == ("g1", "neuron", None)
    ops = {n.id for n in g.nodes() if n.kind == "op"}
    assert set(neuron.nodes) == ops  # the products, the sums, n and o
    for name in ("x1", "x2", "w1", "w2", "b"):  # made before the block: not in it
        assert g.node(name).group is None and g.group_path(name) == ()
    assert g.node("o").group == "g1" and g.group_path("o") == ("g1",)
    assert gradviz.group is gradviz.core.engine.group and "group" in gradviz.__all__


def test_blocks_nest_and_each_run_of_a_block_is_a_group_of_its_own():
    g = network_2_2_1()
    names = [(gr.id, gr.name, gr.parent) for gr in g.groups()]
    assert names == [("g1", "hidden layer", None), ("g2", "neuron 1", "g1"),
                     ("g3", "neuron 2", "g1"), ("g4", "output neuron", None)]
    layer, n1, n2, out = g.groups()
    assert set(layer.nodes) == set(n1.nodes) | set(n2.nodes)  # a layer holds its neurons
    assert not set(n1.nodes) & set(n2.nodes)
    assert g.group_path("h2") == ("g1", "g3") and g.node("h2").group == "g3"
    assert "h1" not in out.nodes and "out" in out.nodes
    assert g.node("loss").group is None


def test_constants_and_values_made_inside_belong_too_and_a_decorator_groups_each_call():
    x = Value(3.0, label="x")

    @gradviz.group("square plus one")
    def f(v):
        return v * v + 1

    with gradviz.group("outer"):
        w = Value(2.0, label="w")  # constructed inside: a member
    y = f(x) * w + f(w)
    g = graph_from_value(y)
    outer, first, second = g.groups()
    assert (outer.name, first.name, second.name) == ("outer", "square plus one",
                                                     "square plus one")
    assert outer.nodes == ("w",) and first.parent is None
    assert any(g.node(n).kind == "const" for n in first.nodes)  # the 1 made in the call
    assert first.nodes != second.nodes and "x" not in first.nodes


def test_a_block_is_closed_by_an_exception_and_unused_blocks_make_no_group():
    with pytest.raises(ZeroDivisionError):
        with gradviz.group("broken"):
            raise ZeroDivisionError
    with gradviz.group("unused"):
        Value(1.0) * 2
    assert graph_from_value(Value(1.0) + 2).groups() == []
    for bad in ("", None, 3):
        with pytest.raises(TypeError, match="non-empty string"):
            gradviz.group(bad)


def test_the_same_group_object_may_nest_in_itself():
    block = gradviz.group("block")
    with block:
        a = Value(1.0, label="a")
        with block:
            b = Value(2.0, label="b")
        c = a * b
    g = graph_from_value(c)
    assert [(gr.name, gr.parent) for gr in g.groups()] == [("block", None), ("block", "g1")]
    assert g.group_path("b") == ("g1", "g2") and g.group_path(g.output) == ("g1",)


# --- edits keep groups valid ------------------------------------------------------------
def test_removing_nodes_takes_them_out_and_an_empty_group_disappears():
    g = network_2_2_1()
    n2 = group_named(g, "neuron 2")
    for n in n2.nodes[:-1]:
        g.remove_node(n)
        assert n not in group_named(g, "hidden layer").nodes
    assert [gr.name for gr in g.groups()].count("neuron 2") == 1
    g.remove_node(n2.nodes[-1])
    assert [gr.name for gr in g.groups()] == ["hidden layer", "neuron 1", "output neuron"]
    for n in group_named(g, "neuron 1").nodes:
        g.remove_node(n)
    assert [gr.name for gr in g.groups()] == ["output neuron"]  # the layer went with it


def test_copy_equality_and_set_group():
    g = karpathy_neuron()
    h = g.copy()
    assert h == g and h.groups() == g.groups()
    h.remove_node("o")
    assert g.group("g1").nodes != h.group("g1").nodes and h != g
    k = g.copy()
    k.set_group("x1", "g1")
    assert k != g and "x1" in k.group("g1").nodes
    k.set_group("x1", None)
    assert k == g
    inner = k.add_group("products", parent="g1")
    k.set_group("n", inner)
    assert k.group_path("n") == ("g1", inner) and inner == "g2"
    assert "n" in k.group("g1").nodes  # still in the group around it
    k.set_group("n", None)
    assert [gr.id for gr in k.groups()] == ["g1"]  # products became empty


def test_bad_group_edits_are_refused():
    g = karpathy_neuron()
    with pytest.raises(GraphError, match="no group"):
        g.add_op("add", "z", group="g7")
    assert "z" not in g
    with pytest.raises(GraphError, match="no group"):
        g.set_group("x1", "nope")
    with pytest.raises(GraphError, match="no group"):
        g.add_group("layer", parent="g9")
    with pytest.raises(GraphError, match="exists already"):
        g.add_group("again", id="g1")
    with pytest.raises(GraphError, match="non-empty string"):
        g.add_group("")


def test_collapse_specs_and_boxes():
    g = network_2_2_1()
    assert groups_to_collapse(g, "all") == ["g1", "g2", "g3", "g4"]
    assert groups_to_collapse(g, "neuron 2") == ["g3"]
    assert groups_to_collapse(g, ["g4", "neuron 1"]) == ["g2", "g4"]
    assert groups_to_collapse(g, None) == []
    with pytest.raises(GraphError, match="'hidden layer'"):
        groups_to_collapse(g, "neuron 3")
    box = collapsed_box_of(g, ["g1", "g2"])  # the layer hides its collapsed neuron
    assert box["h1"] == box["h2"] == "g1" and "out" not in box


# --- saving and loading -----------------------------------------------------------------
def grouped_doc() -> GraphDocument:
    return GraphDocument(network_2_2_1(), "a 2-2-1 network",
                         {"theme": "dark", "collapsed": ["g2", "g4"]})


def test_round_trip_keeps_groups_and_the_collapsed_ones():
    doc = grouped_doc()
    text = dumps(doc)
    again = loads(text)
    assert again == doc and again.graph.groups() == doc.graph.groups()
    assert again.view["collapsed"] == ["g2", "g4"]
    assert dumps(again) == text
    data = json.loads(text)
    assert data["groups"][1] == {"id": "g2", "name": "neuron 1", "parent": "g1"}
    assert list(data).index("groups") < list(data).index("nodes")
    node = next(n for n in data["nodes"] if n["id"] == "h1")
    assert node["group"] == "g2"
    assert '\n    {"id": "g3", "name": "neuron 2", "parent": "g1"},\n' in text  # one a line


def test_files_without_groups_read_as_before():
    g = graph_from_value((Value(2.0) + Value(3.0)) * 4)
    text = dumps(GraphDocument(g))
    assert '"groups"' not in text and '"group"' not in text
    data = json.loads(text)
    data.pop("groups", None)
    assert loads(json.dumps(data)).graph.groups() == []


def test_writing_drops_what_no_longer_exists():
    doc = grouped_doc()
    for n in group_named(doc.graph, "output neuron").nodes:
        doc.graph.remove_node(n)
    doc.graph.add_group("being filled")  # no nodes yet: not written
    doc.view["collapsed"] = ("g4", "g2")
    data = json.loads(dumps(doc))
    assert [gr["name"] for gr in data["groups"]] == ["hidden layer", "neuron 1", "neuron 2"]
    assert data["view"]["collapsed"] == ["g2"]


def refused(change, where: str, *words: str) -> None:
    data = json.loads(dumps(grouped_doc()))
    change(data)
    with pytest.raises(DocumentError) as info:
        loads(json.dumps(data))
    assert info.value.where == where, str(info.value)
    for w in words:
        assert w in info.value.message, info.value.message


def _set(path, value):
    def change(data):
        *outer, last = path
        target = data
        for key in outer:
            target = target[key]
        target[last] = value
    return change


def _node(data, node_id):
    return next(n for n in data["nodes"] if n["id"] == node_id)


@pytest.mark.parametrize("change, where, words", [
    (_set(["groups"], {"id": "g1"}), "groups", ["must be a list"]),
    (_set(["groups", 0], "g1"), "groups[0]", ["a group is a JSON object", "string"]),
    (_set(["groups", 1, "colour"], "red"), "groups[1].colour", ["unknown field"]),
    (lambda d: d["groups"][1].pop("name"), "groups[1].name", ["missing"]),
    (_set(["groups", 1, "name"], ""), "groups[1].name", ["non-empty string"]),
    (_set(["groups", 2, "id"], "g2"), "groups[2].id", ["used already by groups[1]"]),
    (_set(["groups", 0, "id"], 5), "groups[0].id", ["non-empty string", "number 5"]),
    (_set(["groups", 1, "parent"], "g9"), "groups[1].parent", ["no group 'g9' before"]),
    (_set(["groups", 1, "parent"], "g3"), "groups[1].parent", ["no group 'g3' before"]),
    (_set(["groups", 1, "parent"], ["g1"]), "groups[1].parent", ["a list"]),
    (lambda d: _node(d, "h1").update(group="g8"), None, ["no group 'g8'"]),
    (lambda d: _node(d, "h1").update(group=2), None, ["group id", "number 2"]),
    (lambda d: d["groups"].append({"id": "g5", "name": "loss", "parent": None}),
     "groups[4]", ["'loss' has no nodes"]),
    (_set(["view", "collapsed"], ["g2", "g7"]), "view.collapsed[1]", ["no group 'g7'"]),
    (_set(["view", "collapsed"], "g2"), "view.collapsed", ["list of group ids"]),
    (_set(["view", "collapsed"], [2]), "view.collapsed[0]", ["id", "number 2"]),
])
def test_bad_group_data_is_refused_naming_the_field(change, where, words):
    if where is None:  # a node's place depends on the node order: find it
        data = json.loads(dumps(grouped_doc()))
        where = f"nodes[{[n['id'] for n in data['nodes']].index('h1')}].group"
    refused(change, where, *words)


# --- net derivatives of a collapsed group -----------------------------------------------
def group_function(graph: Graph, group, values: dict[str, float], inputs, apply_op):
    """Every member's value computed from the boundary ``inputs`` alone (as given in
    ``values``): the group as a function of its inputs, for checking."""
    members = set(graph.group(getattr(group, "id", group)).nodes)
    made = {i: values[i] for i in inputs}
    for n in graph.order():
        if n not in members:
            continue
        node = graph.node(n)
        if node.kind != "op":
            made[n] = values[n]
        else:
            made[n] = apply_op(node.op, [made[s] for s in graph.operands(n)])
    return made


def finite_differences(run, group, h=1e-6) -> dict[tuple[str, str], float]:
    graph = run.graph
    inputs, outputs = group_boundary(graph, group)
    result = {}

    def forward(op, args):
        return OPS[op].forward(*args)

    for i in inputs:
        if i not in run.grads:
            continue
        up, down = dict(run.values), dict(run.values)
        up[i] += h
        down[i] -= h
        hi = group_function(graph, group, up, inputs, forward)
        lo = group_function(graph, group, down, inputs, forward)
        for o in outputs:
            result[o, i] = (hi[o] - lo[o]) / (2 * h)
    return result


def close(a: dict, b: dict, tol: float) -> bool:
    return a.keys() == b.keys() and all(math.isclose(a[k], b[k], rel_tol=tol, abs_tol=tol)
                                        for k in a)


def test_the_neuron_as_one_box():
    g = karpathy_neuron()
    run = evaluate(g)
    assert group_boundary(g, "g1") == (("x1", "w1", "x2", "w2", "b"), ("o",))
    net = net_derivatives(run, "g1")
    assert close(net, finite_differences(run, "g1"), 1e-6)
    # The graph's output is the neuron's: its net derivatives are the gradients.
    assert net == {("o", i): run.grads[i] for i in ("x1", "w1", "x2", "w2", "b")}
    assert math.isclose(net["o", "x1"], -1.5, rel_tol=1e-6)  # Karpathy's numbers
    assert math.isclose(net["o", "w1"], 1.0, rel_tol=1e-6)
    assert net["o", "w2"] == 0.0  # x2 is 0: a recorded local of 0, no division by it


def test_nested_groups_of_a_2_2_1_network():
    g = network_2_2_1()
    run = evaluate(g)
    layer, n1, n2, out = g.groups()
    assert group_boundary(g, n1) == (("x1", "w11", "x2", "w12", "b1"), ("h1",))
    assert group_boundary(g, layer).outputs == ("h1", "h2")
    assert group_boundary(g, out).inputs == ("h1", "u1", "h2", "u2", "c")
    for group in g.groups():
        net = net_derivatives(run, group)
        assert close(net, finite_differences(run, group), 1e-6), group.name
    net = net_derivatives(run, layer)
    assert net["h2", "w11"] == 0.0 and net["h1", "w11"] != 0.0  # no path: 0
    assert net["h1", "x1"] == net_derivatives(run, n1)["h1", "x1"]
    # Through the output neuron: d out / d h1 = u1 (1 - out²), while the gradient of the
    # loss at h1 also carries d loss / d out, which is not the group's.
    o = run.values["out"]
    assert math.isclose(net_derivatives(run, out)["out", "h1"], -0.7 * (1 - o * o))


def test_a_node_used_twice_inside_a_group():
    a = Value(-1.5, label="a")
    with gradviz.group("square"):
        b = a * a
        b.label = "b"
    with gradviz.group("twice inside"):
        t = a + 1
        u = t * t  # t feeds u twice, and both are in the group
        u.label = "u"
    g = graph_from_value(b * u)
    run = evaluate(g)
    square, inside = g.groups()
    assert net_derivatives(run, square) == {("b", "a"): 2 * -1.5}  # both ports counted
    assert math.isclose(net_derivatives(run, inside)["u", "a"], 2 * (-1.5 + 1))
    for group in (square, inside):
        assert close(net_derivatives(run, group), finite_differences(run, group), 1e-6)


def test_outputs_off_the_backward_pass_and_constant_inputs_have_no_entries():
    g = Graph()
    x = g.add_input("x", 2.0, id="x")
    k = g.add_constant(3.0, id="k")
    grp = g.add_group("box")
    y = g.add_op("mul", "y", id="y", group=grp)
    dead = g.add_op("exp", "dead", id="dead", group=grp)
    z = g.add_op("neg", "z", id="z")
    side = g.add_op("neg", "side", id="side")
    for s, t, p in ((x, y, 0), (k, y, 1), (y, z, 0), (x, dead, 0), (dead, side, 0)):
        g.connect(s, t, p)
    g.output = z
    assert group_boundary(g, grp) == (("x", "k"), ("y", "dead"))
    assert net_derivatives(evaluate(g), grp) == {("y", "x"): 3.0}


def _torch():
    return pytest.importorskip("torch")


def torch_derivatives(run, group) -> dict[tuple[str, str], float]:
    """The group as a function of its inputs in PyTorch, differentiated by autograd."""
    t = _torch()
    from gradviz.core.torch_bridge import function_for

    graph = run.graph
    inputs, outputs = group_boundary(graph, group)
    tensors = {n: t.tensor(float(x), dtype=t.float64, requires_grad=n in inputs)
               for n, x in run.values.items()}
    made = group_function(graph, group, tensors, inputs,
                          lambda op, args: function_for(op)(*args))
    wrt = [i for i in inputs if i in run.grads]
    result = {}
    for o in outputs:
        grads = t.autograd.grad(made[o], [tensors[i] for i in wrt], allow_unused=True,
                                retain_graph=True)
        for i, d in zip(wrt, grads, strict=True):
            result[o, i] = 0.0 if d is None else d.item()
    return result


def test_the_neuron_against_pytorch_written_out():
    t = _torch()
    x1, x2, w1, w2, b = (t.tensor(v, dtype=t.float64, requires_grad=True)
                         for v in (2.0, 0.0, -3.0, 1.0, B))
    o = t.tanh(x1 * w1 + x2 * w2 + b)
    grads = t.autograd.grad(o, [x1, x2, w1, w2, b])
    expected = {i: d.item() for i, d in zip(("x1", "x2", "w1", "w2", "b"), grads, strict=True)}
    net = net_derivatives(evaluate(karpathy_neuron()), "g1")
    assert close(net, {("o", i): d for i, d in expected.items()}, 1e-12)


def test_every_group_against_pytorch():
    for graph in (karpathy_neuron(), network_2_2_1()):
        run = evaluate(graph)
        for group in graph.groups():
            assert close(net_derivatives(run, group), torch_derivatives(run, group),
                         1e-12), group.name
