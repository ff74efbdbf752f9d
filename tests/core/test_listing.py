"""The Code panel's listings are real Python: run (here, in the test only, on programs
the test writes) they compute what gradviz's engine computes, for every operation."""
import math

import pytest

from gradviz.core.evaluation import evaluate
from gradviz.core.examples import _SOURCES, example_document
from gradviz.core.language import parse
from gradviz.core.listing import (
    Listing,
    forward_listing,
    lit_lines,
    program,
    reverse_listing,
    with_comment,
)
from gradviz.core.ops import OPS

NOTEBOOK = "a = 2\nb = 3\ne = (a + b) * (b + 1)\n"
POINTS = {"log": "1.7", "sqrt": "2.3", "relu": "-0.6", "div": "1.5", "pow": "1.3"}


def _one_op(op_id: str) -> str:
    """A program using ``op_id`` on inputs, then again with a constant on each side."""
    op = OPS[op_id]
    x = POINTS.get(op_id, "0.7")
    if op.arity == 2:
        return (f"x = {x}\ny = -0.8\nz = x {op.infix} (y * y + 1)\n"
                f"w = 2 {op.infix} z\nv = w {op.infix} 3\n")
    call = "-x" if op_id == "neg" else f"{op.function}(x)"
    return f"x = {x}\nz = {call}\nv = z * x\n"


PROGRAMS = [NOTEBOOK, "a = 3\nb = a * a\n", *(_one_op(o) for o in OPS),
            *(example_document(s.name).program for s in _SOURCES if "Value" not in
              s.program)]


def _run_reverse(text: str):
    run = evaluate(parse(text))
    code, names = program(run.graph, run.order, run.output)
    space: dict = {}
    exec(reverse_listing().text + code.text, space)  # the generated listing; test only
    return run, names, space


@pytest.mark.parametrize("text", PROGRAMS)
def test_the_diffscalar_listing_computes_the_engines_values_and_gradients(text):
    run, names, space = _run_reverse(text)
    for node_id, name in names.items():
        if run.graph.node(node_id).kind == "const":
            continue
        made = space[name]
        assert made.value == pytest.approx(run.values[node_id], rel=1e-12, abs=1e-15)
        assert made.grad == pytest.approx(run.grads.get(node_id, 0), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("text", PROGRAMS)
def test_the_dual_number_listing_gives_each_inputs_derivative_in_one_pass(text):
    run = evaluate(parse(text))
    engine = forward_listing().text
    for node in run.graph.inputs():
        code, names = program(run.graph, run.order, run.output, "forward", seed=node.id)
        space: dict = {}
        exec(engine + code.text, space)  # the generated listing; test only
        out = space[names[run.output]]
        assert out.real == pytest.approx(run.value, rel=1e-12, abs=1e-15)
        assert out.dual == pytest.approx(run.grads.get(node.id, 0), rel=1e-9, abs=1e-12)


def _lit(text: str):
    run = evaluate(parse(text))
    code, _ = program(run.graph, run.order, run.output)
    listing = Listing(reverse_listing().lines + code.lines)
    labels = run.graph.labels()

    def at(index: int):
        step = run.timeline.steps[index - 1]
        return [(listing.lines[i].text.strip(), comment, strong)
                for i, comment, strong in lit_lines(listing, step, run.graph, run.values,
                                                    labels)]
    return run, at


def test_the_notebooks_steps_light_the_line_that_performs_them_with_its_numbers():
    run, at = _lit(NOTEBOOK)
    assert at(1) == [("out = DiffScalar(self.value + other.value, (self, other))", "2 + 3 = 5",
                      True),
                     ("c = a + b", "c = 5", False)]
    assert at(3)[0] == ("out = DiffScalar(self.value * other.value, (self, other))",
                        "5 · 4 = 20", True)
    assert at(4) == [("self.grad = 1  # the seed", "∂e/∂e = 1", True),
                     ("e.backward()", "", False)]
    assert at(5) == [("self.grad += other.value * out.grad", "0 += 4 · 1 → 4", True),
                     ("node._backward()", "node = e", False)]
    assert at(6)[0] == ("other.grad += self.value * out.grad", "0 += 5 · 1 → 5", True)
    assert at(9) == [("self.grad += out.grad", "4 += 5 → 9", True),
                     ("node._backward()", "node = d", False)]


def test_a_rule_with_a_formula_shows_its_numbers_in_the_code_comment():
    run, at = _lit("u = 1\nh = tanh(u)\no = h * 2\n")
    line, comment, _ = at(run.timeline.last)[0]
    assert line == "self.grad += (1 - out.value ** 2) * out.grad"
    assert comment == "0 += (1 − 0.76159²) · 2 → 0.83995"
    assert with_comment(line, comment) == f"{line}   # {comment}"


def test_the_listing_is_the_same_for_every_graph_and_names_are_python():
    run = evaluate(parse("c = 2\nc = c * c\nlambda_ = c + 1\n"))
    code, names = program(run.graph, run.order, run.output)
    assert all(n.isidentifier() for k, n in names.items()
               if run.graph.node(k).kind != "const")
    space: dict = {}
    exec(reverse_listing().text + code.text, space)  # test only
    assert space[names[run.output]].value == 5  # c₁ = 2 · 2, then + 1
    assert math.isclose(space[names[run.graph.inputs()[0].id]].grad, 4)
