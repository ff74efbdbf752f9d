"""Numbers at the edges: each gives a defined, explained result or a clear error, never a
silent nan, a crash or a frozen window.

The core cases run through `evaluate`; the app cases through the real main window (the
program editor and the inputs panel's spin boxes), with any exception that reaches Qt's
event loop failing the test (pytest-qt captures them).
"""
from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt

from gradviz.core.errors import EvaluationError
from gradviz.core.evaluation import evaluate
from gradviz.core.language import parse

NOTEBOOK = "a = {a}\nb = 3\ne = (a + b) * (b + 1)\n"


def run(program: str, **overrides):
    return evaluate(parse(program), overrides)


def finite(ev) -> bool:
    numbers = list(ev.values.values()) + list(ev.grads.values())
    return all(math.isfinite(x) for x in numbers)


# --- core --------------------------------------------------------------------------------
@pytest.mark.parametrize("a", [0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308])
def test_tiny_inputs_give_the_notebook_numbers(a):
    ev = run(NOTEBOOK.format(a=a))
    assert ev.value == pytest.approx((a + 3) * 4)
    assert ev.input_grads() == {"a": 4, "b": pytest.approx(a + 3 + 4)}
    assert finite(ev)


def test_largest_input_that_still_fits_runs():
    ev = run("a = -1e308\nb = 3\ne = a + b")
    assert ev.value == -1e308 and ev.input_grads() == {"a": 1, "b": 1}


@pytest.mark.parametrize("a", [1e308, -1e308, 1.7976931348623157e308])
def test_overflow_is_refused_naming_the_node_and_the_operation(a):
    with pytest.raises(EvaluationError) as info:
        run(NOTEBOOK.format(a=a))
    assert str(info.value).startswith("e = mul(")
    assert "too large to represent (overflow)" in str(info.value)


def test_dividing_by_a_denormal_overflows_with_a_reason():
    with pytest.raises(EvaluationError, match=r"e = div\(1, 5e−324\): the result is too "
                                              r"large"):
        run("a = 5e-324\ne = 1 / a")


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_nan_or_infinite_input_is_refused_not_propagated(value):
    with pytest.raises(EvaluationError, match="an input is not a finite number"):
        run("a = 2\ne = a * 2", a=value)


def test_relu_at_exactly_zero_is_zero_with_gradient_zero_by_its_formula():
    ev = run("x = 0\ny = x.relu()")
    assert ev.value == 0 and ev.input_grads() == {"x": 0}
    (step,) = [s for s in ev.timeline.steps if hasattr(s, "formula")]
    assert step.formula == "1 if x > 0 else 0" and step.local == 0


@pytest.mark.parametrize("program", ["x = 0\ny = x ** 0.5", "x = 0\ny = sqrt(x)"])
def test_square_root_at_zero_has_no_finite_derivative_and_says_so(program):
    with pytest.raises(EvaluationError) as info:
        run(program)
    assert "derivative for input 1 is not finite" in str(info.value)
    assert "(0" in str(info.value)  # names the operation at 0


def test_square_root_just_above_zero_is_defined():
    ev = run("x = 1e-300\ny = x ** 0.5")
    assert ev.value == pytest.approx(1e-150) and finite(ev)


def test_output_that_does_not_depend_on_an_input_gives_it_gradient_zero():
    ev = run("a = 2\nb = 3\ne = a * 2")
    assert ev.value == 4 and ev.input_grads() == {"a": 2, "b": 0}


# --- the app -------------------------------------------------------------------------------
def type_program(qtbot, window, text: str) -> None:
    """Select all and type ``text`` key by key (QTest types no newline: Return does)."""
    editor = window.program_panel.editor
    editor.setFocus()
    editor.selectAll()
    for i, line in enumerate(text.split("\n")):
        if i:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.keyClicks(editor, line)
    editor.flush()


def type_into_spin(qtbot, window, label: str, text: str) -> None:
    spin = window.inputs_panel.row(label).spin
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def shows_problem(window, *words: str) -> None:
    problem = window.document.problem
    assert all(w in problem for w in words), problem
    assert problem in window.explanation.text
    assert not window.player_bar.isEnabled() or "Player off" in \
        window.player_bar.position_label.text()


@pytest.mark.parametrize("big", ["1e308", "-1e308", "1e8", "123456789012"])
def test_window_opens_on_huge_inputs_and_says_what_overflows(open_window, big):
    w = open_window(NOTEBOOK.format(a=big))
    if abs(float(big)) > 1e300:
        shows_problem(w, "e = mul(", "too large to represent")
    else:
        assert w.document.evaluation is not None
        assert w.document.input_value("a") == float(big)


def test_typing_a_huge_input_shows_the_reason_and_keeps_the_window(open_window, qtbot):
    w = open_window(NOTEBOOK.format(a=2))
    type_program(qtbot, w, NOTEBOOK.format(a="1e308"))
    shows_problem(w, "too large to represent")
    type_program(qtbot, w, NOTEBOOK.format(a="5e-324"))
    assert w.document.problem == ""
    assert w.values_table.shown("e", "Value") in ("–", "12")
    qtbot.keyClick(w.view, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: not w.player.animating, timeout=3000)
    assert w.values_table.shown("e", "Value") == "12"


def test_nan_typed_in_a_spin_box_is_not_taken(open_window, qtbot):
    w = open_window(NOTEBOOK.format(a=2))
    type_into_spin(qtbot, w, "a", "nan")
    assert w.document.input_value("a") == 2
    assert w.document.evaluation is not None and finite(w.document.evaluation)
    assert not math.isnan(w.inputs_panel.row("a").spin.value())


def test_zero_typed_in_a_spin_box_gives_the_notebook_numbers_at_zero(open_window, qtbot):
    w = open_window(NOTEBOOK.format(a=2))
    type_into_spin(qtbot, w, "a", "0")
    assert w.document.input_value("a") == 0
    assert w.document.evaluation.value == 12
    assert w.document.evaluation.input_grads() == {"a": 4, "b": 7}


def test_square_root_at_zero_in_the_app_names_the_step(open_window, qtbot):
    w = open_window("x = 0\ny = x ** 0.5\n")
    shows_problem(w, "pow(0, 0.5)", "not finite")
    type_into_spin(qtbot, w, "x", "4")
    assert w.document.problem == "" and w.document.evaluation.value == 2


def test_relu_at_zero_in_the_app_explains_the_zero_gradient(open_window, qtbot):
    w = open_window("x = 0\ny = x.relu()\n")
    qtbot.keyClick(w.view, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: not w.player.animating, timeout=3000)
    assert w.values_table.shown("x", "Gradient") == "0"
    assert "1 if x > 0 else 0" in w.explanation.text or w.player.index == w.player.last


def test_output_independent_of_an_input_shows_gradient_zero(open_window, qtbot):
    w = open_window("a = 2\nb = 3\ne = a * 2\n")
    qtbot.keyClick(w.view, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: not w.player.animating, timeout=3000)
    assert w.values_table.shown("a", "Gradient") == "2"
    assert w.values_table.shown("b", "Gradient") in ("0", "–")


def test_a_number_with_thousands_of_digits_is_refused_in_gradviz_words():
    # Python's own message advised sys.set_int_max_str_digits(), which a program cannot do.
    import pytest

    from gradviz.core.errors import ProgramError
    from gradviz.core.language import parse

    with pytest.raises(ProgramError) as caught:
        parse("a = " + "9" * 5000 + "\nb = a * 2")
    assert "5,000 digits" in str(caught.value) and "sys." not in str(caught.value)
    assert caught.value.line == 1


def test_a_flat_sum_of_ten_thousand_terms_is_not_called_nested():
    # It was refused as "nested too deeply", which a flat sum is not.
    import pytest

    from gradviz.core.errors import ProgramError
    from gradviz.core.language import parse

    with pytest.raises(ProgramError) as caught:
        parse("a = 1\ne = " + " + ".join(["a"] * 10_000))
    message = str(caught.value)
    assert "nested" not in message and "10,000 terms" in message and "split it" in message
    assert caught.value.line == 2
    assert "nested" in str(pytest.raises(ProgramError, parse, "a = 1\ne = " + "-" * 100_000
                                         + "a").value)  # signs do nest
