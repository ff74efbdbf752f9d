"""The names gradviz invents for unnamed parts never look like inputs: the notebook's
letters continue after its inputs' (c, d), the neuron's parts are named after their
statement (n_a, n_b …), and no invented name is one the program uses anywhere."""
import doctest
import re

import pytest

from gradviz.core import naming
from gradviz.core.engine import Value
from gradviz.core.evaluation import evaluate
from gradviz.core.examples import _SOURCES, load_example
from gradviz.core.explain import caption
from gradviz.core.language import parse, to_text
from gradviz.core.trace import graph_from_value

from . import lecture_programs as lp

NEURON = "x1 = 2\nx2 = 0\nw1 = -3\nw2 = 1\nb = 6.8813735870195432\n" \
         "n = x1 * w1 + x2 * w2 + b\no = tanh(n)\n"


def _captions(graph) -> list[str]:
    run = evaluate(graph)
    return [caption(run, i) for i in range(1, run.timeline.last + 1)]


def _invented(graph) -> list[str]:
    return [n.label for n in graph.nodes() if n.auto]


def test_the_neuron_example_names_its_parts_after_n_never_a_single_letter():
    graph = load_example("neuron").graph
    assert _invented(graph) == ["n_a", "n_b", "n_c"]
    assert {n.label for n in graph.inputs()} == {"x1", "x2", "w1", "w2", "b"}
    captions = _captions(graph)
    # The only one-letter names on screen are the program's own: b, n and o.
    labels = {n.label for n in graph.nodes()}
    shown = {name for text in captions for name in re.findall(r"\w+", text)} & labels
    assert {name for name in shown if len(name) == 1} == {"b", "n", "o"}
    forward = captions[:5]
    assert forward == [
        "Forward step 1 of 5: n_a = x1 · w1 = 2 · (−3) = −6",
        "Forward step 2 of 5: n_b = x2 · w2 = 0 · 1 = 0",
        "Forward step 3 of 5: n_c = n_a + n_b = (−6) + 0 = −6",
        "Forward step 4 of 5: n = n_c + b = (−6) + 6.8814 = 0.88137",
        "Forward step 5 of 5: o = tanh(n) = tanh(0.88137) = 0.70711"]


def test_the_notebook_still_names_a_plus_b_c_and_b_plus_1_d():
    graph = load_example("notebook").graph
    assert _invented(graph) == ["c", "d"]
    assert _captions(graph)[:3] == ["Forward step 1 of 3: c = a + b = 2 + 3 = 5",
                                    "Forward step 2 of 3: d = b + 1 = 3 + 1 = 4",
                                    "Forward step 3 of 3: e = c · d = 5 · 4 = 20"]
    for program in (lp.SEED_FIRST_CELL, lp.SEED_USAGE_CELL, lp.SEED_TORCH_CELL):
        assert _invented(parse(program)) == ["c", "d"]


def test_a_name_a_later_statement_uses_is_never_invented_earlier():
    # Letters: c is the next letter after b, but the last line assigns it.
    g = parse("a = 2\nb = 3\ne = (a + b) * (b + 1)\nc = e * 2\n")
    assert g.operands("e") == ["d", "f"]
    # Parts: n_a is the first part name of n, but a later line assigns it.
    g = parse("x1 = 2\nw1 = 3\nn = x1 * w1 + 1\nn_a = n * 2\n")
    assert _invented(g) == ["n_b"]
    # A label given later is a name too.
    g = parse("x1 = 2\nw1 = 3\nn = x1 * w1 + 1\nx1.label = 'n_a'\n")
    assert _invented(g) == ["n_b"]


def test_letters_that_would_come_before_an_input_or_run_out_give_way_to_parts():
    # z, an input made after the parts, comes after every letter left.
    g = parse("a = 2\nb = 3\ne = (a + b) * (b + 1)\nz = 4\ny = e * z + 1\n")
    assert _invented(g) == ["e_a", "e_b", "y_a"]
    # micrograd's sanity check has the one input x: nothing after it but y and z, taken.
    assert _invented(load_example("micrograd_sanity_check").graph) == [
        "z_a", "z_b", "q_a", "q_b", "h_a", "y_a", "y_b"]
    # Its more-ops test has inputs a and b: h … v are after them, and enough.
    assert _invented(load_example("micrograd_more_ops").graph)[:3] == ["h", "i", "j"]


def test_parts_are_lettered_so_they_never_read_as_versions():
    g = parse("x1 = 2\nw1 = 3\nn = x1 * w1 + 1\nn = n * w1 + x1\n")
    labels = [n.label for n in g.nodes() if n.kind == "op"]
    assert labels == ["n_a", "n", "n_b", "n₁"]


def test_a_function_s_parts_are_named_after_its_statements_and_its_call():
    g = parse(lp.DEF_NEURON)
    assert _invented(g) == ["h1_a", "n_a", "n_b", "n_c", "n_d", "n_e", "n_f", "loss_a"]


def test_every_example_and_lecture_program_reads_back_with_the_same_names():
    programs = [s.program for s in _SOURCES] + [
        v for k, v in vars(lp).items() if k.isupper() and isinstance(v, str)]
    for program in programs:
        g = parse(program)
        again = parse(to_text(g))
        assert again.signature() == g.signature()  # every label, invented ones too
        assert set(_invented(again)) <= set(_invented(g))


def test_traced_values_are_named_by_the_same_rule():
    a, b = Value(2.0), Value(3.0)
    g = graph_from_value((a + b) * (b + 1))
    assert [n.label for n in g.nodes() if n.kind != "const"] == ["a", "b", "c", "d", "e"]
    x1, w1, bias = Value(2.0, label="x1"), Value(-3.0, label="w1"), Value(6.9, label="b")
    o = (x1 * w1 + bias).tanh()
    o.label = "o"
    g = graph_from_value(o)
    assert _invented(g) == ["o_a", "o_b"]  # parts of the value they make up
    o.label = ""
    assert _invented(graph_from_value(o)) == ["t_a", "t_b", "t_c"]  # no value to belong to


def test_inputs_nobody_named_are_named_before_the_parts():
    a = Value(2.0)
    c = a * 2
    b = Value(3.0)  # made after a part: still an input's letter, before the parts'
    g = graph_from_value(c + b)
    assert [(n.label, n.kind) for n in g.nodes() if n.kind != "const"] == [
        ("a", "input"), ("c", "op"), ("b", "input"), ("d", "op")]


def test_micrograd_values_without_labels_get_the_new_names():
    micrograd = pytest.importorskip("micrograd.engine")
    x1, w1 = micrograd.Value(2.0), micrograd.Value(-3.0)
    g = graph_of_micrograd(x1 * w1 + 1)
    # micrograd's 1 is a leaf, so an input: a, b, c; the parts d and e after them.
    assert [n.label for n in g.nodes()] == ["a", "b", "d", "c", "e"]
    from tests.core import lecture_value as lecture

    x1 = lecture.Value(2.0, label="x1")
    w1 = lecture.Value(-3.0, label="w1")
    b = lecture.Value(6.8813735870195432, label="b")
    n = x1 * w1 + b
    n.label = "n"
    o = n.tanh()
    g = graph_of_micrograd(o)
    assert _invented(g) == ["n_a", "t_a"]  # x1·w1 is part of n; o has no label
    assert "a" not in {node.label for node in g.nodes()}


def graph_of_micrograd(root):
    from gradviz.core.foreign import graph_from_foreign

    return graph_from_foreign(root)


def test_the_examples_of_the_naming_module_hold():
    assert doctest.testmod(naming).failed == 0


def test_a_document_saved_with_the_old_names_keeps_its_program_text():
    """A .gradviz file written before parts were named after their statement holds the
    neuron's parts as ``a``, ``c``, ``d``: its program (comments and all) still describes
    the graph, so it is shown as written, with the names the file holds."""
    from gradviz.core import fileformat
    from gradviz.core.fileformat import GraphDocument

    text = "# one neuron, as in the lecture\n" + NEURON
    graph = parse(text)
    old = {"n_a": "a", "n_b": "c", "n_c": "d", "n_d": "e"}
    for n in graph.nodes():
        if n.auto:
            graph.set_attrs(n.id, label=old[n.label])
    opened = fileformat.loads(fileformat.dumps(GraphDocument(graph, program=text)))
    assert opened.program == text
    assert sorted(_invented(opened.graph)) == ["a", "c", "d"]


def test_a_document_whose_text_names_a_value_differently_is_written_anew():
    """Only invented names may differ: a value the text names ``n`` and the file calls
    ``m`` is a text that drifted, and it is dropped (the app writes the text anew)."""
    from gradviz.core import fileformat
    from gradviz.core.fileformat import GraphDocument

    graph = parse(NEURON)
    n = next(x for x in graph.nodes() if x.label == "n")
    graph.set_attrs(n.id, label="m")
    assert fileformat.loads(fileformat.dumps(GraphDocument(graph, program=NEURON))).program is None
