"""Graphviz source: which ports are marked x and y comes from the op table."""
import re

from gradviz.core.language import parse
from gradviz.core.ops import OPS
from gradviz.render.dot_source import dot_source


def test_commutative_says_whether_swapping_the_inputs_changes_the_result():
    pairs = [(2.0, 3.0), (-1.5, 0.25), (4.0, 0.5)]
    for op in OPS.values():
        if op.arity != 2:
            assert not op.commutative, op.id
            continue
        swaps = all(op.forward(x, y) == op.forward(y, x) for x, y in pairs)
        assert op.commutative == swaps, op.id


def test_only_non_commutative_operations_mark_their_ports():
    graph = parse("a = 2; b = 3; s = a + b; m = a * b; d = a - b; q = a / b; p = a ** b\n"
                  "e = s + m + d + q + p")
    text = dot_source(graph, None)
    marked = {v for v in re.findall(r'-> "(\w+)" \[headlabel=', text)}
    assert marked == {"d", "q", "p"}
    for target in ("d", "q", "p"):
        assert f'"a" -> "{target}" [headlabel="x"' in text
        assert f'"b" -> "{target}" [headlabel="y"' in text


def test_groups_are_nested_clusters_holding_their_own_nodes():
    from gradviz.core.engine import Value, group
    from gradviz.core.trace import graph_from_value

    x = Value(2.0, label="x")
    with group("layer 1"):
        with group("neuron 1"):
            h = (x * 3).tanh()
            h.label = "h"
    out = h + 1
    out.label = "out"
    graph = graph_from_value(out)
    lines = dot_source(graph, None).splitlines()

    def line_of(fragment):
        return next(i for i, line in enumerate(lines) if fragment in line)

    layer = line_of('label="layer 1"')
    neuron = line_of('label="neuron 1"')
    assert lines[layer - 1].strip().startswith("subgraph") and layer < neuron
    h_line = next(i for i, line in enumerate(lines) if "{h tanh" in line)
    x_line = next(i for i, line in enumerate(lines) if "{x |" in line)
    out_line = next(i for i, line in enumerate(lines) if "{out +" in line)
    # h sits in neuron 1's cluster; x and out sit in no cluster (before the first one
    # opens or after the outermost one closes).
    closes = [i for i, line in enumerate(lines) if line.strip() == "}"]
    assert neuron < h_line < closes[0]
    assert x_line < layer - 1 and out_line < layer - 1
    assert text_is_balanced("\n".join(lines))


def text_is_balanced(text: str) -> bool:
    depth = 0
    for ch in re.sub(r'"(\\.|[^"\\])*"', "", text):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0
