"""`gradviz grad --mode forward|reverse`: the same gradients, and how many passes."""
import json

from gradviz.cli import main

NOTEBOOK = "a = 2; b = 3; e = (a + b) * (b + 1)"
COMPANION = "x1 = 2; x2 = 3; x3 = 4; x4 = 5; f = x1 * x2 + x3 * x4"


def run(capsys, *args):
    code = main(["grad", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_forward_mode_prints_the_gradients_and_its_passes(capsys):
    code, out, err = run(capsys, NOTEBOOK, "--mode", "forward")
    assert code == 0 and err == ""
    assert out.splitlines() == [
        "e = 20", "∂e/∂a = 4", "∂e/∂b = 9",
        "forward mode: 2 passes, one per input (forward: 2 passes × 3 operations = 6 dual "
        "operations; reverse: 3 forward + 5 backward steps)"]


def test_reverse_mode_named_says_its_one_pass(capsys):
    code, out, _ = run(capsys, NOTEBOOK, "--mode", "reverse")
    assert code == 0
    assert out.splitlines()[-1] == "reverse mode: 1 backward pass"


def test_json_says_the_mode_and_the_passes(capsys):
    _, out, _ = run(capsys, COMPANION, "--mode", "forward", "--json")
    doc = json.loads(out)
    assert doc["mode"] == "forward" and doc["passes"] == 4
    assert doc["grads"] == {"x1": 3, "x2": 2, "x3": 5, "x4": 4}
    _, out, _ = run(capsys, COMPANION, "--json")
    doc = json.loads(out)
    assert doc["mode"] == "reverse" and doc["passes"] == 1
    assert doc["grads"] == {"x1": 3, "x2": 2, "x3": 5, "x4": 4}


def test_forward_mode_with_set_and_check(capsys):
    code, out, _ = run(capsys, NOTEBOOK, "--mode", "forward", "--set", "b=5", "--check")
    assert code == 0
    assert "∂e/∂a = 6" in out and "∂e/∂b = 13" in out and "MISMATCH" not in out


def test_an_unknown_mode_is_one_clear_line(capsys):
    code, _, err = run(capsys, NOTEBOOK, "--mode", "sideways")
    assert code == 2
    assert "invalid choice: 'sideways'" in err and "Traceback" not in err


def test_check_compares_forward_modes_own_gradients(capsys, monkeypatch):
    from gradviz.core import forward

    def off_by_one(self):  # a broken forward mode must fail the check
        return {node: g + 1 for node, g in real(self).items()}

    real = forward.ForwardRun.gradients
    monkeypatch.setattr(forward.ForwardRun, "gradients", off_by_one)
    code, out, _ = run(capsys, NOTEBOOK, "--mode", "forward", "--check")
    assert code == 1 and "check a: engine 5, finite difference 4" in out and "MISMATCH" in out
    code, out, _ = run(capsys, NOTEBOOK, "--check")  # reverse mode is not affected
    assert code == 0 and "MISMATCH" not in out
