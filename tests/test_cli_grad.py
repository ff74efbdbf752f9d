"""`gradviz grad`: values and gradients from the command line, and its errors."""
import json
import subprocess
import sys

import pytest

from gradviz.cli import main

NOTEBOOK = "a = 2; b = 3; e = (a + b) * (b + 1)"


def run(capsys, *args):
    code = main(["grad", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_notebook_example(capsys):
    code, out, err = run(capsys, NOTEBOOK)
    assert code == 0 and err == ""
    assert out.splitlines() == ["e = 20", "∂e/∂a = 4", "∂e/∂b = 9"]


def test_json_with_set(capsys):
    code, out, _ = run(capsys, NOTEBOOK, "--set", "b=5", "--json")
    doc = json.loads(out)
    assert code == 0
    assert doc["output"] == "e" and doc["value"] == 42
    assert doc["grads"] == {"a": 6, "b": 13}
    assert doc["values"]["c"] == 7


def test_check_agrees_and_reports(capsys):
    code, out, _ = run(capsys, NOTEBOOK, "--check")
    assert code == 0
    assert "check b: engine 9, finite difference 9" in out
    assert "MISMATCH" not in out


def test_check_of_an_op_pytorch_lacks_says_so_in_one_line(capsys, monkeypatch):
    pytest.importorskip("torch")
    from gradviz.core import ops

    monkeypatch.setitem(ops.OPS, "tanh", ops.OPS["tanh"]._replace(torch=None))
    code, out, err = run(capsys, "x = 0.5; y = tanh(x) * 2", "--check")
    assert code == 0 and err == ""
    assert "check x: engine 1.5729, finite difference 1.5729: ok" in out
    assert out.splitlines()[-1] == ("(PyTorch has no counterpart for Hyperbolic tangent "
                                    "(tanh): compared with finite differences only)")


def test_an_input_the_output_ignores_gets_zero(capsys):
    code, out, _ = run(capsys, "a = 1; z = 5; y = a * 3")
    assert code == 0 and "∂y/∂z = 0" in out


def test_stdin_and_file(tmp_path, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("x = 3\ny = x * x\n"))
    assert run(capsys, "-")[1].splitlines() == ["y = 9", "∂y/∂x = 6"]
    path = tmp_path / "prog.txt"
    path.write_text("x = 0.5\ny = tanh(x)\n", encoding="utf-8")
    code, out, _ = run(capsys, str(path))
    assert code == 0 and out.startswith("y = 0.46212")


@pytest.mark.parametrize("args, message", [
    (["e = __import__('os').system('touch x')"], "line 1, column 5"),
    (["x = 0; y = log(x)"], "y = log(0): log is defined only for positive numbers"),
    (["missing.gradviz"], "missing.gradviz: no such file"),
    ([NOTEBOOK, "--set", "q=1"], "no input named q"),
    (["a = 1\nb = a +"], "line 2"),
])
def test_errors_are_one_line_without_traceback(capsys, args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()


def test_console_script_runs_without_qt_imports():
    code = ("import sys; from gradviz.cli import main; main(['grad', 'x = 2; y = x * x']);"
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["y = 4", "∂y/∂x = 4", "False"]


@pytest.mark.parametrize("assignment, message", [
    ("a", "expected NAME=VALUE (e.g. a=2), got 'a'"),
    ("=2", "expected NAME=VALUE (e.g. a=2), got '=2'"),
    ("a=two", "a=two: 'two' is not a number"),
    ("a=inf", "a=inf: the value must be a finite number"),
    ("a=nan", "a=nan: the value must be a finite number"),
])
def test_grad_and_export_refuse_a_bad_set_with_the_same_message(capsys, tmp_path, assignment,
                                                                message):
    errors = []
    for command, prog in ((["grad", NOTEBOOK], "grad"),
                          (["export", NOTEBOOK, "-o", str(tmp_path / "e.svg")], "export")):
        code = main([*command, "--set", assignment])
        assert code == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1  # no usage block
        assert err.strip().endswith(f"(see gradviz {prog} --help)")
        errors.append(err.strip().removesuffix(f" (see gradviz {prog} --help)"))
    assert errors[0] == errors[1] == f"gradviz: argument --set: {message}"
    assert not (tmp_path / "e.svg").exists()


def test_set_reads_names_and_numbers_the_same_way_everywhere(capsys, tmp_path):
    code, out, _ = run(capsys, NOTEBOOK, "--set", " b = 5 ", "--set", "a=-1e0")
    assert code == 0 and out.splitlines()[0] == "e = 24"


@pytest.mark.parametrize("make, message", [
    (lambda tmp: str(tmp), "is a directory, not a program or .gradviz file"),
    (lambda tmp: "/dev/null", "is not a regular file (a device, pipe or socket)"),
    (lambda tmp: str(tmp / "gone.txt"), "no such file"),
])
def test_a_path_that_is_not_a_file_says_what_it_is(capsys, tmp_path, make, message):
    import os

    path = make(tmp_path)
    if path == "/dev/null" and not os.path.exists(path):
        pytest.skip("no /dev/null here")
    code, out, err = run(capsys, path)
    assert code == 2 and out == ""
    assert err.strip() == f"gradviz: {path}: {message}"
