"""Every operation's rule with its numbers: the derivative the caption writes is the one
the engine used, for every entry of the op table."""
import math

import pytest

from gradviz.core.evaluation import evaluate
from gradviz.core.explain import rule_text
from gradviz.core.language import parse
from gradviz.core.notation import MINUS, format_number
from gradviz.core.op_code import as_maths, fill, rule_numbers
from gradviz.core.ops import OPS
from gradviz.core.steps import BackwardStep

POINTS = {"log": (1.7,), "sqrt": (2.3,), "div": (1.5, -0.8), "pow": (1.3, 2.5),
          "relu": (-0.6,)}


def _python(template: str, x, y, out) -> float:
    # The op table's own templates with numbers (test only; never user text).
    return eval(fill(template, x=f"({x!r})", y=f"({y!r})", out=f"({out!r})"), {"math": math})


@pytest.mark.parametrize("op_id", list(OPS))
def test_every_op_has_code_and_its_derivative_is_the_engines(op_id):
    op = OPS[op_id]
    x, y = POINTS.get(op_id, (0.7, -1.9))[0], POINTS.get(op_id, (0.7, -1.9))[-1]
    args = (x, y) if op.arity == 2 else (x,)
    out = op.forward(*args)
    assert _python(op.code.forward, x, y, out) == pytest.approx(out, rel=1e-12)
    for port in range(op.arity):
        local = op.partials[port](x, y if op.arity == 2 else None, out)
        assert _python(op.code.partials[port], x, y, out) == pytest.approx(local, abs=1e-12)
        shown = rule_numbers(op_id, port, x, y if op.arity == 2 else None, out)
        assert shown and "-" not in shown and "^" not in shown and "((" not in shown


@pytest.mark.parametrize("op_id", list(OPS))
def test_every_backward_step_states_the_rule_with_numbers(op_id):
    op = OPS[op_id]
    x, y = POINTS.get(op_id, (0.7, -1.9))[0], POINTS.get(op_id, (0.7, -1.9))[-1]
    expr = f"x {op.infix} y" if op.infix else ("-x" if op_id == "neg" else f"{op.function}(x)")
    run = evaluate(parse(f"x = {x!r}\ny = {y!r}\nz = {expr}\nw = z * 1"))
    for step in (s for s in run.timeline.steps if isinstance(s, BackwardStep) and run.graph.node(s.child).label == "z"):
        text = rule_text(step, run.graph, run.output, None, run.values)
        parts = text.split(" = ")
        assert parts[0].startswith("∂z/∂") and parts[-1] == format_number(step.local)
        assert step.formula in parts  # the rule itself, then its numbers


def test_maths_from_code():
    assert as_maths("1 - 0.5 ** 2") == f"1 {MINUS} 0.5²"
    assert as_maths("{y} * {x} ** ({y} - 1)") == f"{{y}} · {{x}}**({{y}} {MINUS} 1)"
    assert as_maths("math.log(x)") == "ln(x)"
