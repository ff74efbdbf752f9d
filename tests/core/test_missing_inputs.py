"""Finding every name a program uses without a value, to offer them as inputs."""
import pytest

from gradviz.core import language
from gradviz.core.errors import UndefinedNameError
from gradviz.core.missing_inputs import MAX_NAMES, missing_inputs, with_inputs


def test_every_missing_name_is_found_in_the_order_it_is_met():
    text = "e = (a + b) * (b + 1)"
    with pytest.raises(UndefinedNameError) as exc:
        language.parse(text)
    assert exc.value.name == "a"  # the language stops at the first
    assert missing_inputs(text) == ["a", "b"]
    graph = language.parse(with_inputs(text, ["a", "b"]))
    assert {n.label: n.value for n in graph.inputs()} == {"a": 1, "b": 1}
    from gradviz.core.evaluation import evaluate

    assert evaluate(graph).value == 4


def test_names_in_later_lines_and_in_calls_are_found_too():
    text = "h = tanh(x) * w\nout = h + y ** 2\n"
    assert missing_inputs(text) == ["x", "w", "y"]
    assert language.parse(with_inputs(text, missing_inputs(text))).output is not None


def test_a_program_whose_first_problem_is_another_has_none():
    assert missing_inputs("e = (a + ") == []  # a syntax error comes first
    assert missing_inputs("a = 2\ne = a * 3") == []  # nothing is missing
    assert missing_inputs("") == []


def test_a_name_that_cannot_be_an_input_is_not_offered():
    # print is not defined, but "print = 1" is refused: nothing to offer for it.
    assert missing_inputs("e = print + a") == []
    # exp is an operation, not a missing value: a and b are still offered.
    assert missing_inputs("e = a * b + exp") == ["a", "b"]


def test_the_search_is_bounded():
    text = "e = " + " + ".join(f"x{i}" for i in range(MAX_NAMES + 10))
    found = missing_inputs(text)
    assert found == [f"x{i}" for i in range(MAX_NAMES)]
