"""The chain rule written out: the texts people read, with the real numbers."""
import pytest

from gradviz.core.evaluation import evaluate
from gradviz.core.explain import caption, describe, gradient_expansion, local_rule
from gradviz.core.steps import BackwardStep

from .notebook_graph import notebook_graph


def test_every_step_of_the_notebook_example_reads_as_arithmetic():
    run = evaluate(notebook_graph())
    texts = [caption(run, i) for i in range(run.timeline.last + 1)]
    assert texts[1] == "Forward step 1 of 3: c = a + b = 2 + 3 = 5"
    assert texts[3] == "Forward step 3 of 3: e = c · d = 5 · 4 = 20"
    assert texts[4].startswith("Backward step 1 of 6: ∂e/∂e = 1")
    assert texts[7] == ("Backward step 4 of 6: ∂c/∂a = 1;  ∂e/∂a += ∂e/∂c · ∂c/∂a = 4 · 1 = 4"
                        "  →  ∂e/∂a = 4")
    assert texts[9] == ("Backward step 6 of 6: ∂d/∂b = 1;  ∂e/∂b += ∂e/∂d · ∂d/∂b = 5 · 1 = 5"
                        "  →  ∂e/∂b = 4 + 5 = 9")


def test_step_0_states_the_program_and_its_inputs_not_the_answer():
    run = evaluate(notebook_graph())
    assert caption(run, 0) == ("Inputs a = 2, b = 3. The program computes c = a + b, "
                               "d = b + 1, e = c · d. Step forward to compute the values.")


def test_a_description_that_gives_the_result_is_recognised():
    from gradviz.core.examples import _SOURCES, example_document
    from gradviz.core.explain import states_result

    run = evaluate(notebook_graph())
    assert states_result("e = (a + b) * (b + 1) at a = 2, b = 3: b fans out, so "
                         "∂e/∂b = 4 + 5 = 9", run)
    assert states_result("so e comes to 20", run)
    assert not states_result("e = (a + b) * (b + 1) at a = 2, b = 3", run)
    held = {s.name for s in _SOURCES
            if states_result(s.description, evaluate(example_document(s.name).graph))}
    assert {"notebook", "neuron", "square", "trig_identity"} <= held
    assert "logistic_regression" not in held


def test_gradient_expansion_is_the_sum_over_children():
    run = evaluate(notebook_graph())
    assert gradient_expansion(run, "b") == "∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 4·1 + 5·1 = 9"
    assert gradient_expansion(run, "e").startswith("∂e/∂e = 1")
    assert "constant" in gradient_expansion(run, "d:1")


def test_local_rule_shows_formula_and_value():
    run = evaluate(notebook_graph())
    first = next(s for s in run.timeline.steps if isinstance(s, BackwardStep))
    assert local_rule(first, run.graph) == "∂e/∂c = d = 4"
    assert local_rule(first, run.graph, run.values) == "∂e/∂c = d = 4"


def test_the_rule_with_its_numbers_for_tanh():
    from gradviz.core.language import parse

    run = evaluate(parse("u = 1\nh = tanh(u)\no = h * 2"))
    assert caption(run, run.timeline.last) == (
        "Backward step 3 of 3: ∂h/∂u = 1 − tanh²(u) = 1 − 0.76159² = 0.41997;  "
        "∂o/∂u += ∂o/∂h · ∂h/∂u = 2 · 0.41997 = 0.83995  →  ∂o/∂u = 0.83995")
    assert gradient_expansion(run, "u").endswith(
        "where ∂h/∂u = 1 − tanh²(u) = 1 − 0.76159² = 0.41997")


def test_negative_numbers_are_parenthesised():
    run = evaluate(notebook_graph(a=-7))
    assert describe(run.timeline.steps[0], run.graph, "e") == "c = a + b = (−7) + 3 = −4"


def test_a_function_of_a_negative_number_has_one_pair_of_brackets_and_powers_read_b3():
    from gradviz.core.language import parse

    run = evaluate(parse("x = -2\ny = relu(x) + x ** 3 + 2 ** x"))
    forward = [describe(s, run.graph, "y") for s in run.timeline.steps[:4]]
    assert "relu(−2)" in forward[0] and "((" not in forward[0]
    assert "x³ = (−2)³ = −8" in forward[1]
    assert forward[3] == "y_d = 2**x = 2⁻² = 0.25"
    assert all("^" not in t for t in forward)


def test_the_outputs_own_edges_name_the_operation_not_the_gradient():
    run = evaluate(notebook_graph())
    assert caption(run, 5) == ("Backward step 2 of 6: ∂(c·d)/∂c = d = 4;  "
                               "∂e/∂c += ∂e/∂e · ∂(c·d)/∂c = 1 · 4 = 4  →  ∂e/∂c = 4")


def test_function_and_negative_factors_read_plainly():
    from gradviz.core.language import parse

    run = evaluate(parse("x = 2\ny = -x"))
    assert describe(run.timeline.steps[-1], run.graph, "y") == (
        "∂(−x)/∂x = −1;  ∂y/∂x += ∂y/∂y · ∂(−x)/∂x = 1 · (−1) = −1  →  ∂y/∂x = −1")
    run = evaluate(parse("x = 2\ny = tanh(x)"))
    assert "∂tanh(x)/∂x = 1 · 0.070651" in describe(run.timeline.steps[-1], run.graph, "y")


def test_expansion_of_the_outputs_inputs_names_the_operation():
    run = evaluate(notebook_graph())
    assert gradient_expansion(run, "c") == ("∂e/∂c = ∂e/∂e·∂(c·d)/∂c = 1·4 = 4,  "
                                            "where ∂(c·d)/∂c = d = 4")


def test_position_counts_within_the_phase():
    from gradviz.core.explain import position

    tl = evaluate(notebook_graph()).timeline
    assert [position(tl, i) for i in (0, 1, 3, 4, 9)] == [
        "Start", "Forward step 1 of 3", "Forward step 3 of 3", "Backward step 1 of 6",
        "Backward step 6 of 6"]


def test_describe_with_the_labels_given_reads_the_same_and_collects_none(monkeypatch):
    from gradviz.core.graph import Graph
    from gradviz.core.language import parse

    for run in (evaluate(notebook_graph(a=-7)), evaluate(parse("x = 2\ny = tanh(-x) * x"))):
        graph, steps = run.graph, (None, *run.timeline.steps)
        plain = [describe(s, graph, run.output) for s in steps]
        labels = graph.labels()
        monkeypatch.setattr(Graph, "labels", lambda self: pytest.fail("labels collected"))
        assert [describe(s, graph, run.output, labels) for s in steps] == plain
        monkeypatch.undo()


def test_a_collapsed_group_s_stop_says_what_its_box_did_in_both_passes():
    """Where the player stops once for a collapsed neuron, the caption says what the
    box computed (its output's value) and, going back, the gradients it passed on to
    the nodes fed from outside, each the run's own number."""
    from gradviz.core.examples import _SOURCES
    from gradviz.core.language import parse
    from gradviz.core.notation import format_number

    graph = parse(next(s.program for s in _SOURCES if "2-2-1" in s.title))
    run = evaluate(graph)
    neuron = next(g.id for g in graph.groups() if g.name == "neuron 1")
    by = {n.label: n.id for n in graph.nodes()}
    text = caption(run, 5, collapsed=[neuron])
    assert text == (f"Forward step 5 of 16: neuron 1 (collapsed, steps 1 to 5) computed "
                    f"h1 = {format_number(run.values[by['h1']])}")
    backward = [k for k in range(17, len(run.timeline) + 1)
                if "neuron 1 (collapsed" in caption(run, k, collapsed=[neuron])]
    last = caption(run, backward[-1], collapsed=[neuron])
    for part in ("h1_a", "h1_b"):
        assert f"∂loss/∂{part} = {format_number(run.grads[by[part]])}" in last
    assert "passed the gradient back through it" in last
    assert caption(run, 5).startswith("Forward step 5 of 16: h1 = tanh(")  # open
