"""`gradviz descend`: the output after each step, the JSON, the file's marks, the errors."""
import json
import subprocess
import sys

import pytest

from gradviz.cli import main
from gradviz.core.descent import descend, parameters_named
from gradviz.core.evaluation import evaluate
from gradviz.core.examples import example_document
from gradviz.core.fileformat import write
from gradviz.core.language import parse

LINE = ("w = 0.3; b = -0.2; x1 = 0; y1 = 1; x2 = 1; y2 = 3; x3 = 2; y3 = 5; "
        "loss = (w * x1 + b - y1) ** 2 + (w * x2 + b - y2) ** 2 + (w * x3 + b - y3) ** 2")
DATA = {"x1": 0, "y1": 1, "x2": 1, "y2": 3, "x3": 2, "y3": 5}


def run(capsys, *args):
    code = main(["descend", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_one_step_prints_the_output_before_and_after(capsys):
    code, out, err = run(capsys, "w = 1; x = 2; y = 6; loss = (w * x - y) ** 2",
                         "--rate", "0.05", "--params", "w")
    assert code == 0 and err == ""
    # ∂loss/∂w = 2(wx − y)x = −16, so w = 1 + 0.05·16 = 1.8 and loss = (3.6 − 6)² = 5.76.
    assert out.splitlines() == ["step 0: loss = 16", "step 1: loss = 5.76",
                                "after 1 step at rate 0.05: w = 1.8"]


def test_json_step_is_exact_and_agrees_with_the_engine(capsys):
    code, out, _ = run(capsys, LINE, "--rate", "0.05", "--params", "w,b", "--json")
    doc = json.loads(out)
    graph = parse(LINE)
    grads = evaluate(graph).grads
    assert code == 0
    assert doc["inputs"]["w"] == 0.3 - 0.05 * grads["w"]
    assert doc["inputs"]["b"] == -0.2 - 0.05 * grads["b"]
    after = evaluate(graph, {"w": doc["inputs"]["w"], "b": doc["inputs"]["b"]}).value
    assert doc["history"] == [after]


def test_json_20_steps_the_loss_falls_and_the_data_stays(capsys):
    code, out, _ = run(capsys, LINE, "--rate", "0.05", "--steps", "20", "--params", "w,b",
                       "--json")
    doc = json.loads(out)
    assert code == 0 and set(doc) >= {"history", "inputs"}
    losses = [doc["start"], *doc["history"]]
    assert len(doc["history"]) == 20
    assert all(b < a for a, b in zip(losses, losses[1:], strict=False))
    assert {k: doc["inputs"][k] for k in DATA} == DATA
    assert set(doc["inputs"]) == {"w", "b", *DATA}
    core = descend(parse(LINE), parameters_named(parse(LINE), ["w", "b"]), 0.05, 20)
    assert doc["history"] == list(core.history)


def test_a_gradviz_file_brings_its_marks_and_rate(capsys, tmp_path):
    path = tmp_path / "line.gradviz"
    write(path, example_document("linear_regression"))
    code, out, _ = run(capsys, str(path), "--steps", "20", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["params"] == ["w", "b"] and doc["rate"] == 0.05
    assert {k: doc["inputs"][k] for k in DATA} == DATA
    assert doc["history"][-1] < doc["start"] / 1000


def test_without_params_program_text_moves_every_input(capsys):
    code, out, _ = run(capsys, "a = 1; b = 2; y = a * b", "--rate", "0.5", "--json",
                       "--set", "a=3")
    doc = json.loads(out)
    # a = 3 − 0.5·2 = 2, b = 2 − 0.5·3 = 0.5
    assert code == 0 and doc["inputs"] == {"a": 2, "b": 0.5} and doc["history"] == [1]


@pytest.mark.parametrize("args, words", [
    (["--rate", "nan"], "argument --rate: 'nan': the learning rate must be a finite number"),
    (["--rate", "fast"], "argument --rate: 'fast' is not a number"),
    (["--steps", "0"], "the number of steps must be from 1"),
    (["--steps", "two"], "'two' is not a whole number"),
    (["--params", "w,q"], "no input named 'q' to descend on (inputs: w, x)"),
    (["--params", "loss"], "loss is computed, not an input"),
    (["--set", "q=1"], "no input named q"),
])
def test_bad_requests_are_one_line_with_exit_code_2(capsys, args, words):
    code, out, err = run(capsys, "w = 0; x = 2; loss = (w * x) ** 2", *args)
    assert code == 2 and out == ""
    assert err.startswith("gradviz: ") and words in err and len(err.splitlines()) == 1


def test_a_diverging_step_is_refused_with_its_step_number(capsys):
    code, _, err = run(capsys, "w = 1; loss = exp(w * 10)", "--rate", "-1", "--steps", "3")
    assert code == 2
    assert err.startswith("gradviz: step 1: ") and "smaller learning rate" in err


def test_the_readme_command_runs_as_written():
    text = "w = 0; b = 0; x = 2; y = 5; loss = (w * x + b - y) ** 2"
    done = subprocess.run([sys.executable, "-m", "gradviz", "descend", text, "--params", "w,b",
                           "--rate", "0.05", "--steps", "3"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "step 0: loss = 25", "step 1: loss = 6.25", "step 2: loss = 1.5625",
        "step 3: loss = 0.39062", "after 3 steps at rate 0.05: w = 1.75, b = 0.875"]
