"""Every step as text for course notes: Markdown (``.md``) and LaTeX (``.tex``).

One numbered line per step, the caption's words and numbers (`explain.caption`), after
a paragraph saying what the program is and its inputs (step 0). A description that
states the result comes after the steps (see `explain.states_result`), any other one
before them. Labels come from users: each format escapes what it would otherwise read
as markup.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import explain
from ..core.errors import GraphError
from ..core.safe_write import write_bytes

if TYPE_CHECKING:
    from ..core.evaluation import Evaluation


def step_lines(run: Evaluation, steps: list[int],
               collapsed: Collection[str] = ()) -> list[tuple[int, str]]:
    """``(k, caption of step k)`` for every step index ``k`` in ``steps`` but 0 (a step
    inside one of the ``collapsed`` groups says what its box did)."""
    return [(k, explain.caption(run, k, collapsed=collapsed)) for k in steps if k > 0]


def forward_lines(forward, k: int, steps: list[int], run: Evaluation,
                  collapsed: Collection[str] = ()) -> list[tuple[int, str]]:
    """Forward mode, pass ``k`` (0-based): ``(i, caption of step i)``, the pass counter
    then the step's dual arithmetic (or what the box of one of the ``collapsed`` groups
    computed), for every step index ``i`` in ``steps`` but 0."""
    from ..core.forward_explain import caption

    return [(i, caption(forward, k, i, run, collapsed)) for i in steps if i > 0]


def _parts(run: Evaluation | None, description: str, steps: list[int], forward=None,
           k: int = 0, collapsed: Collection[str] = ()):
    if run is None:
        raise GraphError("there are no steps to write: the graph cannot run yet")
    held = bool(description) and explain.states_result(description, run)
    before = [description] if description and not held else []
    before.append(explain.caption(run, 0))
    if forward is not None:
        from ..core.forward_explain import caption

        before.append(caption(forward, k, 0, run))
        lines = forward_lines(forward, k, steps, run, collapsed)
    else:
        lines = step_lines(run, steps, collapsed)
    return before, lines, [description] if held else []


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#{}!])")


def markdown_escape(text: str) -> str:
    """``text`` with every character Markdown reads as markup escaped by a backslash."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def markdown(run: Evaluation | None, steps: list[int], description: str = "",
             forward=None, k: int = 0, collapsed: Collection[str] = ()) -> str:
    """The steps as a Markdown numbered list (``1. Forward step 1 of 3: …``); with
    ``forward`` (a `core.forward.ForwardRun`) those of its pass ``k`` (0-based), where
    a step inside one of the ``collapsed`` groups says what its box computed."""
    before, lines, after = _parts(run, description, steps, forward, k, collapsed)
    out = [markdown_escape(p) + "\n" for p in before]
    out.append("\n".join(f"{k}. {markdown_escape(t)}" for k, t in lines) + "\n")
    out += [markdown_escape(p) + "\n" for p in after]
    return "\n".join(out)


_LATEX_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "%": r"\%",
    "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}", "<": r"\ensuremath{<}",
    ">": r"\ensuremath{>}", "|": r"\ensuremath{|}",
}
_LATEX_MATHS = {
    "∂": r"\partial", "·": r"\cdot", "−": "-", "→": r"\rightarrow", "×": r"\times",
    "÷": r"\div", "σ": r"\sigma", "√": r"\surd", "≈": r"\approx", "∞": r"\infty",
    "≥": r"\geq", "≤": r"\leq", "ε": r"\varepsilon", "α": r"\alpha", "β": r"\beta",
    "γ": r"\gamma", "δ": r"\delta", "η": r"\eta", "θ": r"\theta", "λ": r"\lambda",
    "μ": r"\mu", "π": r"\pi", "ρ": r"\rho", "τ": r"\tau", "φ": r"\phi", "ω": r"\omega",
}
_SUPER = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-", strict=True))
_SUB = dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789", strict=True))


def latex_escape(text: str) -> str:
    """``text`` as LaTeX text: specials escaped, maths signs as maths, ``b³`` as a
    superscript and ``c₁`` as a subscript; other characters as they are (UTF-8)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c in _SUPER or c in _SUB:
            table = _SUPER if c in _SUPER else _SUB
            j = i
            while j < len(text) and text[j] in table:
                j += 1
            digits = "".join(table[ch] for ch in text[i:j])
            out.append(f"\\ensuremath{{{'^' if table is _SUPER else '_'}{{{digits}}}}}")
            i = j
            continue
        if c in _LATEX_ESCAPES:
            out.append(_LATEX_ESCAPES[c])
        elif c in _LATEX_MATHS:
            out.append(f"\\ensuremath{{{_LATEX_MATHS[c]}}}")
        elif c == "…":
            out.append(r"\ldots{}")
        else:
            out.append(c)
        i += 1
    return "".join(out)


def latex(run: Evaluation | None, steps: list[int], description: str = "",
          forward=None, k: int = 0, collapsed: Collection[str] = ()) -> str:
    """The steps as a LaTeX fragment to ``\\input`` into notes: an ``enumerate``, one
    ``\\item`` a step, numbered as the steps are (``\\item[1.]``); ``forward``, ``k``
    and ``collapsed`` as for `markdown`."""
    before, lines, after = _parts(run, description, steps, forward, k, collapsed)
    out = [latex_escape(p) + "\n" for p in before]
    items = "\n".join(f"  \\item[{k}.] {latex_escape(t)}" for k, t in lines)
    out.append(f"\\begin{{enumerate}}\n{items}\n\\end{{enumerate}}\n")
    out += [latex_escape(p) + "\n" for p in after]
    return "\n".join(out)


def write_markdown(job, path: Path, steps: list[int], collapsed: Collection[str] = ()) -> None:
    """``job`` (a `formats.Export`) as `markdown` to ``path``, atomically (`safe_write`)."""
    text = markdown(job.evaluation, steps, job.description, job.forward, job.pass_index,
                    collapsed)
    write_bytes(path, text.encode("utf-8"))


def write_latex(job, path: Path, steps: list[int], collapsed: Collection[str] = ()) -> None:
    """``job`` (a `formats.Export`) as `latex` to ``path``, atomically (`safe_write`)."""
    text = latex(job.evaluation, steps, job.description, job.forward, job.pass_index,
                 collapsed)
    write_bytes(path, text.encode("utf-8"))
