"""Exporting forward mode: --mode forward with --pass K and --step N draws that step of
that pass, dual numbers on the nodes and the dual arithmetic in the caption."""
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from gradviz.cli import main

PROGRAM = "a = 2\nb = 3\ne = (a + b) * (b + 1)\n"


def export(tmp_path, name, *extra):
    out = tmp_path / name
    assert main(["export", PROGRAM, "-o", str(out), "--mode", "forward", *extra]) == 0
    return out


def svg_parts(path) -> tuple[str, str]:
    """The texts drawn, and the caption the picture states (its description)."""
    root = ET.parse(path).getroot()
    texts = " ".join(t for el in root.iter() if el.tag.endswith("text") for t in el.itertext())
    caption = next(el.text for el in root.iter() if el.tag.endswith("desc"))
    return texts, caption


def test_pass_and_step_pick_the_step_of_that_pass(qapp, tmp_path):
    texts, caption = svg_parts(export(tmp_path, "p2s2.svg", "--pass", "2", "--step", "2"))
    assert caption == "Pass 2 of 2: seeding b, step 2 of 3: d = b + 1 = (3 + 1ε) + (1 + 0ε) = 4 + 1ε"
    assert "3 + 1ε" in texts and "4 + 1ε" in texts and "2 + 0ε" in texts
    assert "∂d/∂b = 1" in texts and "∂a/∂b = 0" in texts  # what each ε part is
    assert "20" not in texts  # e is not computed yet


def test_the_default_is_the_first_pass_at_its_end(qapp, tmp_path):
    texts, caption = svg_parts(export(tmp_path, "end.svg"))
    assert caption.startswith("Pass 1 of 2: seeding a, step 3 of 3: e = c · d = "
                              "(5 + 1ε)(4 + 0ε) = 20 + (5·0 + 1·4)ε + 1·0ε² = 20 + 4ε")
    assert caption.endswith("Pass done: ∂e/∂a = 4 (the ε part of e).")
    assert "20 + 4ε" in texts


def test_the_last_pass_ends_with_the_comparison(qapp, tmp_path):
    _, caption = svg_parts(export(tmp_path, "last.svg", "--pass", "2"))
    assert caption.endswith("All 2 passes: ∂e/∂a = 4, ∂e/∂b = 9. Operations: forward: "
                            "2 passes × 3 operations = 6 dual operations; reverse: 3 "
                            "forward + 5 backward steps.")


def test_a_gif_holds_the_start_and_every_step_of_the_pass(qapp, tmp_path):
    with Image.open(export(tmp_path, "pass.gif", "--pass", "2")) as gif:
        assert gif.n_frames == 4  # the start and three operations


@pytest.mark.parametrize("args, message", [
    (["--mode", "forward", "--pass", "3"], "--pass 3: this graph has passes 1 to 2"),
    (["--mode", "forward", "--step", "4"], "--step 4: pass 1 has steps 0 to 3"),
    (["--mode", "forward", "--phase", "backward"], "--phase counts reverse mode's steps"),
    (["--pass", "1"], "--pass chooses a forward-mode pass: give --mode forward too"),
    (["--mode", "forward", "-o", "x.dot"], "--mode forward draws a picture or writes the "
     "steps; .dot"),
])
def test_bad_forward_requests_are_one_clear_line(qapp, tmp_path, capsys, args, message):
    if "-o" not in args:
        args = [*args, "-o", "x.png"]
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    assert main(["export", PROGRAM, *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1
