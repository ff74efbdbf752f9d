"""Random programs written with def, for, lists, zip, sum, comprehensions and aliases: their
gradients agree with central finite differences, and their graphs write back to text that
reads as the same graph."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gradviz.core.errors import EvaluationError
from gradviz.core.evaluation import evaluate
from gradviz.core.language import parse, to_text
from tests.core.test_language import INPUTS, _render, _smooth_enough, trees, values

SHAPES = {
    # the expression over p, q, r as a function, called twice with other arguments
    "def": "def f(p, q, r=0.75):\n    t = {expr}\n    return t\n"
           "out = f(p, q, r) + f(q, r)\n",
    # a loop feeding each step into the next, through the loop's number
    "for": "out = p * 0\nfor i in range(3):\n    p = p * 0.5 + i * 0.25\n"
           "    out = out + {expr}\n",
    # lists of the inputs, zip and sum, indexing by the loop's number
    "lists": "vs = [p, q, r]\nws = [0.5, -1.25, 2.0]\n"
             "s = sum((v * w for v, w in zip(vs, ws)), {expr})\n"
             "out = s\nfor i in range(len(vs)):\n    out = out + vs[i] * vs[-1 - i]\n",
    # aliases and tuple assignment, with a comprehension
    "alias": "pp, qq = p, q\nr2 = r\nts = [{expr} for k in range(2)]\n"
             "out = ts[0] * pp + ts[1] * qq + r2\n",
}


def program(tree, start: dict[str, float], shape: str) -> str:
    head = "".join(f"{name} = {start[name]!r}\n" for name in INPUTS)
    return head + SHAPES[shape].format(expr=_render(tree))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(trees, st.fixed_dictionaries({n: values for n in INPUTS}), st.sampled_from(sorted(SHAPES)))
def test_structured_programs_gradients_match_finite_differences(tree, start, shape):
    text = program(tree, start, shape)
    graph = parse(text)
    try:
        ev = evaluate(graph)
    except EvaluationError:
        assume(False)
    assume(_smooth_enough(graph, ev))
    grads = ev.input_grads()
    for node in graph.inputs():  # by label, which may be "p (pp)"
        h = 1e-6
        try:
            up = evaluate(parse(text, {node.label: node.value + h})).value
            down = evaluate(parse(text, {node.label: node.value - h})).value
        except EvaluationError:
            assume(False)
        numeric = (up - down) / (2 * h)
        assert grads[node.label] == pytest.approx(numeric, rel=1e-4, abs=1e-4), (text,
                                                                               node.label)


@settings(max_examples=80, deadline=None)
@given(trees, st.fixed_dictionaries({n: values for n in INPUTS}), st.sampled_from(sorted(SHAPES)))
def test_structured_programs_write_back_flat_as_the_same_graph(tree, start, shape):
    graph = parse(program(tree, start, shape))
    text = to_text(graph)
    assert "def " not in text and "for " not in text
    again = parse(text)
    assert again.signature() == graph.signature(), text
    assert to_text(again) == text
