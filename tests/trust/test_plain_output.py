"""What the command line prints is read, never obeyed, and names that look alike print
apart; Value's errors are clear and always format."""
from __future__ import annotations

import json

import pytest

from gradviz.cli import main
from gradviz.core import fileformat
from gradviz.core.engine import Value
from gradviz.core.errors import EvaluationError, GradvizError
from gradviz.core.graph import Graph

HOSTILE = "x\x1b]0;owned\x07\x1b[2J\u202e\x9b31m"


def document_with_label(tmp_path, label: str) -> str:
    g = Graph()
    g.add_input(label, 2.0, id="x")
    g.add_op("mul", "e", id="e")
    g.connect("x", "e", 0)
    g.connect("x", "e", 1)
    g.output = "e"
    path = tmp_path / "hostile.gradviz"
    fileformat.write(path, fileformat.GraphDocument(g))
    return str(path)


def test_a_label_with_terminal_escapes_is_printed_escaped(capsys, tmp_path):
    path = document_with_label(tmp_path, HOSTILE)
    for args in (["grad", path], ["grad", path, "--check"], ["grad", path, "--set", "q=1"]):
        main(args)
        out, err = capsys.readouterr()
        for control in ("\x1b", "\x07", "\u202e", "\x9b"):
            assert control not in out + err, (args, out, err)
    main(["grad", path])
    assert capsys.readouterr().out.splitlines()[1] == (
        "∂e/∂x\\u001b]0;owned\\u0007\\u001b[2J\\u202e\\u009b31m = 4")


def test_json_output_holds_a_hostile_label_exactly(capsys, tmp_path):
    main(["grad", document_with_label(tmp_path, HOSTILE), "--json"])
    out = capsys.readouterr().out
    assert "\x9b" not in out and "\u202e" not in out
    assert json.loads(out)["inputs"][0]["label"] == HOSTILE


def test_names_that_look_alike_print_apart(capsys):
    main(["grad", "a = 2; \u0430 = 3; e = a * \u0430"])  # Latin a, Cyrillic а
    assert capsys.readouterr().out.splitlines() == [
        "e = 6", "∂e/∂a = 3", "∂e/∂\u0430 [U+0430 CYRILLIC] = 2"]


def test_a_huge_integer_in_arithmetic_is_a_clear_error():
    for make in (lambda: Value(2.0) + 10 ** 400, lambda: Value(2.0) * 10 ** 400,
                 lambda: 10 ** 400 - Value(2.0)):
        with pytest.raises(GradvizError, match="too large to represent") as info:
            make()
        assert "1e+400" in str(info.value)


@pytest.mark.parametrize("inputs", [(10 ** 400,), (10 ** 5000, 2.0), (1j,), ("two", None),
                                    (float("nan"), -0.0)])
def test_every_evaluation_error_formats(inputs):
    text = str(EvaluationError("pow", inputs, "the result is too large", node="e"))
    assert text.startswith("e = pow(") and text.endswith("): the result is too large")


@pytest.mark.parametrize("data", [1j, "2", None, [2.0]])
def test_a_value_that_is_not_a_real_number_is_refused(data):
    with pytest.raises(TypeError, match="Value takes a real number"):
        Value(data)


def test_values_of_every_real_kind_are_taken():
    from fractions import Fraction

    assert (Value(2) * Value(Fraction(1, 2)) + Value(True)).data == 2
