"""Every step as text for course notes: ``-o steps.md`` and ``-o steps.tex``."""
import re

import pytest

from gradviz.cli import main
from gradviz.core.evaluation import evaluate
from gradviz.core.language import parse
from gradviz.render.step_text import latex, latex_escape, markdown, markdown_escape

NOTEBOOK = "a = 2\nb = 3\ne = (a + b) * (b + 1)\n"


def test_markdown_is_one_numbered_line_per_step_from_the_command_line(tmp_path):
    out = tmp_path / "steps.md"
    assert main(["export", NOTEBOOK, "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    numbered = [line for line in text.splitlines() if re.match(r"\d+\. ", line)]
    assert [int(line.split(".")[0]) for line in numbered] == list(range(1, 10))
    assert numbered[0] == "1. Forward step 1 of 3: c = a + b = 2 + 3 = 5"
    assert numbered[-1] == ("9. Backward step 6 of 6: ∂d/∂b = 1;  ∂e/∂b += ∂e/∂d · ∂d/∂b = "
                            "5 · 1 = 5  →  ∂e/∂b = 4 + 5 = 9")
    assert text.startswith("Inputs a = 2, b = 3.")


def test_latex_is_an_enumerate_with_one_item_per_step(tmp_path):
    out = tmp_path / "steps.tex"
    assert main(["export", "u = 1\nh = tanh(u)\no = h * -2", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    items = re.findall(r"^  \\item\[(\d+)\.\] (.*)$", text, re.M)
    assert [int(k) for k, _ in items] == list(range(1, 6))
    assert text.count(r"\begin{enumerate}") == text.count(r"\end{enumerate}") == 1
    last = items[-1][1]
    assert (r"\ensuremath{\partial}h/\ensuremath{\partial}u = 1 \ensuremath{-} "
            r"tanh\ensuremath{^{2}}(u) = 1 \ensuremath{-} 0.76159\ensuremath{^{2}} = 0.41997"
            in last)
    assert "−" not in text and "∂" not in text and "·" not in text  # all as LaTeX


def test_a_description_stating_the_result_comes_after_the_steps():
    run = evaluate(parse(NOTEBOOK))
    steps = list(range(run.timeline.last + 1))
    told = "b fans out, so ∂e/∂b = 4 + 5 = 9"
    text = markdown(run, steps, told)
    assert text.index("9. Backward") < text.index("b fans out")
    text = markdown(run, steps, "The notebook's example")
    assert text.index("The notebook") < text.index("1. Forward")


def test_labels_are_not_read_as_markup():
    assert markdown_escape("x_1 * <b>") == r"x\_1 \* \<b\>"
    assert latex_escape("a_1 & 50% #$ {x} ~ ^ \\") == (
        r"a\_1 \& 50\% \#\$ \{x\} \~{} \^{} \textbackslash{}")
    run = evaluate(parse("x_1 = 2\ny = x_1 * x_1"))
    steps = list(range(run.timeline.last + 1))
    assert "x\\_1" in markdown(run, steps) and "x_1" not in markdown(run, steps).replace(
        "x\\_1", "")
    assert "x\\_1" in latex(run, steps)


def test_a_graph_that_cannot_run_has_no_steps_to_write(tmp_path, capsys):
    out = tmp_path / "steps.md"
    assert main(["export", "y = log(x)", "-o", str(out), "--set", "x=-1"]) != 0
    assert not out.exists()
    with pytest.raises(Exception, match="no steps to write"):
        markdown(None, [0])


def test_forward_mode_writes_the_dual_arithmetic_of_the_pass_asked_for(tmp_path):
    out = tmp_path / "pass.md"
    program = "x1 = 2\nx2 = 3\nx3 = 4\nx4 = 5\nf = x1 * x2 + x3 * x4\n"
    assert main(["export", program, "-o", str(out), "--mode", "forward", "--pass", "2"]) == 0
    text = out.read_text(encoding="utf-8")
    numbered = [line for line in text.splitlines() if re.match(r"\d+\. ", line)]
    assert len(numbered) == 3  # the pass's three operations
    assert all("Pass 2 of 4: seeding x2" in line for line in numbered)
    assert "ε" in numbered[0] and "∂f/∂x2 = 2" in numbered[-1]


def test_a_failed_write_keeps_the_previous_notes(tmp_path):
    out = tmp_path / "steps.md"
    out.write_text("my notes", encoding="utf-8")
    out.chmod(0o444)  # read-only: refused, and the file stays as it was
    try:
        assert main(["export", NOTEBOOK, "-o", str(out)]) != 0
        assert out.read_text(encoding="utf-8") == "my notes"
    finally:
        out.chmod(0o644)


def _network() -> str:
    from gradviz.core.examples import _SOURCES

    return next(s.program for s in _SOURCES if "2-2-1" in s.title)


def _numbered(path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines()
            if re.match(r"\d+\. ", line)]


def test_collapsed_groups_are_one_line_each_as_the_player_stops(tmp_path):
    """The notes follow the player and the pictures: the steps inside a collapsed
    neuron are one line, at its last step; in forward mode that line says what the box
    computed, with its dual number."""
    whole, boxed = tmp_path / "whole.md", tmp_path / "boxed.md"
    assert main(["export", _network(), "-o", str(whole)]) == 0
    assert main(["export", _network(), "-o", str(boxed), "--collapse", "all"]) == 0
    assert len(_numbered(boxed)) < len(_numbered(whole))
    assert not any(line.startswith("1. ") for line in _numbered(boxed))  # inside neuron 1
    tex = tmp_path / "forward.tex"
    assert main(["export", _network(), "-o", str(tex), "--collapse", "all",
                 "--mode", "forward"]) == 0
    items = re.findall(r"^  \\item\[(\d+)\.\] (.*)$", tex.read_text(encoding="utf-8"), re.M)
    assert items[0][0] == "5"
    assert "neuron 1 (collapsed, steps 1 to 5) computed h1 = 0.60437 + 0.19042" in items[0][1]
