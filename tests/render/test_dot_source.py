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
