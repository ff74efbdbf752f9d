"""Graph.copy: the same graph as networkx's own copy makes, and independent of it."""
import networkx as nx

from gradviz.core.examples import list_examples, load_example
from gradviz.core.graph import Graph
from gradviz.core.language import parse


def _grouped() -> Graph:
    g = Graph()
    layer = g.add_group("layer")
    neuron = g.add_group("neuron", parent=layer)
    g.add_input("a", 2.0, id="a", pos=(10.0, 20.0))
    g.add_input("w", -1.0, id="w", group=neuron)
    g.add_constant(3.0, id="k")
    g.add_op("mul", "p", id="p", group=neuron)
    g.add_op("mul", "sq", id="sq", group=layer)  # a * a: two parallel edges
    g.add_op("add", "out", id="out")
    g.connect("w", "p", 1)  # ports connected out of order
    g.connect("a", "p", 0)
    g.connect("a", "sq", 0)
    g.connect("a", "sq", 1)
    g.connect("sq", "out", 1)
    g.connect("p", "out", 0)
    g.output = "out"
    return g


def _everything(g: nx.MultiDiGraph):
    """Nodes, attributes, adjacency in both directions, keys and their data, in order."""
    def ends(adjacency):
        return [(n, [(m, [(k, dict(d)) for k, d in keys.items()])
                     for m, keys in adjacency[n].items()]) for n in g]

    return ([(n, dict(a)) for n, a in g.nodes(data=True)], dict(g.graph),
            ends(g.succ), ends(g.pred))


def test_a_copy_is_what_networkx_copies():
    graphs = [_grouped(), *(parse(p) for p in (load_example(e.name).program
                                              for e in list_examples()) if p)]
    for g in graphs:
        copy = g.copy()
        assert copy == g
        assert _everything(copy.nx) == _everything(g.nx.copy())
        assert copy.output == g.output and copy.groups() == g.groups()


def test_changing_a_copy_leaves_the_original_as_it_was():
    g = _grouped()
    kept = _everything(g.nx)
    copy = g.copy()
    copy.set_attrs("a", value=5.0, pos=(0.0, 0.0), label="x")
    copy.disconnect("sq", 1)
    copy.connect("k", "sq", 1)
    copy.remove_node("w")  # the neuron group keeps p
    copy.add_op("neg", "n", id="n", group="g2")
    copy.output = "n"
    assert _everything(g.nx) == kept
    assert g.output == "out"
    assert [grp.nodes for grp in g.groups()] == [("w", "p", "sq"), ("w", "p")]
    assert g.node("a").value == 2.0 and g.node("a").label == "a"


def test_a_copys_edges_are_one_edge_seen_from_both_ends():
    copy = _grouped().copy()
    copy.disconnect("sq", 0)
    assert copy.source_of("sq", 0) is None and copy.source_of("sq", 1) == "a"
    assert list(copy.nx.out_edges("a", keys=True)) == [("a", "p", 0), ("a", "sq", 1)]
    copy.nx.edges["a", "sq", 1]["seen"] = True  # edge data is shared by both directions
    assert copy.nx.pred["sq"]["a"][1] == {"seen": True}
