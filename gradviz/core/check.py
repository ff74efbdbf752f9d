"""Checking the engine's gradients: central finite differences and, if installed, PyTorch."""
from __future__ import annotations

import math
import sys
from collections import Counter
from dataclasses import dataclass
from typing import Callable

from .errors import GradvizError
from .evaluation import Evaluation, evaluate, output_at
from .graph import Graph
from .notation import format_number
from .report import input_names


@dataclass(frozen=True)
class GradientCheck:
    """One input's gradient by the engine, by finite differences and by PyTorch."""

    input: str
    engine: float
    finite_difference: float | None
    torch: float | None
    ok: bool
    note: str = ""
    no_torch: str = ""
    """Why there is no PyTorch number, for people ("PyTorch is not installed")."""
    checked: bool = True
    """False where nothing could check the engine here (``note`` says why: a step too
    small to take, finite differences that do not settle, and no PyTorch): not a
    mismatch, and not a pass either."""

    def verdict(self) -> str:
        """``ok``, ``MISMATCH`` or ``cannot check here``, for people."""
        if not self.checked:
            return "cannot check here"
        return "ok" if self.ok else "MISMATCH"


def step_for(x: float) -> float:
    """A difference step: relative to large inputs, and far smaller than small nonzero
    ones (so that ``sqrt`` at 1e-7 is neither stepped below 0 nor bent within a step)."""
    h = 1e-6 * max(1.0, abs(x))
    return min(h, abs(x) * 1e-4) if x != 0 else h


def can_step(x: float) -> bool:
    """Whether a difference step can be taken at ``x``: not where it underflows to
    nothing (``x`` = 1e-320) or is lost in ``x``'s rounding."""
    h = step_for(x)
    return h > 0 and x + h != x and x - h != x


def _output_at(run: Evaluation, node_id: str, x: float) -> float | None:
    try:
        return output_at(run, {node_id: x})
    except GradvizError:
        return None  # the function is not defined there


@dataclass(frozen=True)
class Slopes:
    """The output's slope at an input from the left, the right and both sides (None where
    the function is not defined a step away), and ``resolution``: the smallest slope the
    differences can tell from none (the rounding of the outputs over the step)."""

    left: float | None
    right: float | None
    central: float | None
    resolution: float = 0.0

    def is_kink(self) -> bool:
        """Left and right slopes disagree: the function has a corner here (relu at 0)."""
        if self.left is None or self.right is None:
            return False
        return not _close(self.left, self.right, 1e-3, 1e-3)


def slopes(run: Evaluation, node_id: str, h: float | None = None) -> Slopes:
    """The output's slopes at input ``node_id`` (its value in ``run``), a step ``h``
    (default `step_for`) either side."""
    x = run.values[node_id]
    h = step_for(x) if h is None else h
    mid = run.value
    up = _output_at(run, node_id, x + h)
    down = _output_at(run, node_id, x - h)
    left = _slope(mid, down, h)
    right = _slope(up, mid, h)
    central = _slope(up, down, 2 * h)
    largest = max(abs(v) for v in (mid, up, down) if v is not None)
    return Slopes(left, right, central, ROUNDING * sys.float_info.epsilon * largest / h)


def _slope(high: float | None, low: float | None, run: float) -> float | None:
    if high is None or low is None:
        return None
    slope = (high - low) / run
    return slope if math.isfinite(slope) else None


def _settled(run: Evaluation, node_id: str, s: Slopes) -> bool:
    """Whether the central difference stays put with a quarter of the step, as it does
    wherever it can judge the engine; where it does not (``sin`` at 1e300, where a step
    spans many periods) a disagreement says nothing of the engine."""
    if s.central is None or s.is_kink():
        return True
    finer = slopes(run, node_id, step_for(run.values[node_id]) / 4).central
    return finer is not None and _close(s.central, finer, 1e-3, 0.0)


def _close(a: float, b: float, rel: float, abs_: float) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


ROUNDING = 64
"""How many units of rounding of the output a difference is allowed (each of the many
operations before the output rounds too)."""


def _compare(g: float, s: Slopes) -> tuple[float | None, bool, str]:
    """(the difference shown, whether the engine agrees, a note for people).

    Small gradients are compared down to what the differences resolve (`Slopes`), not
    to a fixed 1e-5: with an output near 1 that is about 1e-8, so a gradient of 5e-6
    where the slope is 1e-7 is a mismatch, not "ok"."""
    scale = max(1.0, abs(g))
    if s.is_kink():
        low, high = sorted((s.left, s.right))
        ok = low - 1e-4 * scale <= g <= high + 1e-4 * scale
        note = (f"not differentiable here: the slope is {format_number(s.left)} from the left "
                f"and {format_number(s.right)} from the right; the engine takes "
                f"{format_number(g)}")
        return s.central, ok, note
    if s.central is not None:
        return s.central, _close(g, s.central, 1e-4, min(1e-5 * scale, s.resolution)), ""
    one_sided = s.right if s.right is not None else s.left
    if one_sided is not None:
        side = "right" if s.right is not None else "left"
        note = f"defined on one side only: compared with the slope from the {side}"
        return one_sided, _close(g, one_sided, 1e-3,
                                 min(1e-4 * scale, 2 * s.resolution)), note
    return None, True, "no finite difference here: the function is not defined a step away"


def check_gradients(graph: Graph, use_torch: bool = True,
                    grads: dict[str, float] | None = None,
                    progress: Callable[[int, int], None] | None = None) -> list[GradientCheck]:
    """Compare every input's gradient with finite differences and PyTorch (when importable).

    ``grads`` (by input id) are the gradients to check, such as forward mode's; by
    default the engine's reverse-mode ones.

    ``progress``, if given, is called with (inputs checked so far, inputs in all) before
    each input is checked: (0, n), (1, n), … (n − 1, n). The finite differences cost a few
    runs of the whole graph per input, seconds on a big graph; an exception the callback
    raises stops the check there (how a cancelled caller stops it).

    Where the output has a corner (relu or abs at 0), the engine's gradient passes when it
    lies between the left and right slopes; where it is defined on one side only, the
    one-sided slope is used; each case is said in ``note``.
    """
    result = evaluate(graph)
    values = {n.label: n.value for n in graph.inputs()}
    labels = Counter(n.label for n in graph.inputs())
    torch_grads, no_torch = torch_gradients(graph, values) if use_torch else \
        (None, "PyTorch was not asked")
    checks = []
    names = input_names(graph)
    for done, (node_id, name) in enumerate(names.items()):
        if progress is not None:
            progress(done, len(names))
        g = (result.grads if grads is None else grads).get(node_id, 0)
        label = graph.node(node_id).label
        # PyTorch's numbers are by label: of no use for a label two inputs share.
        tg = torch_grads.get(label) if torch_grads and labels[label] == 1 else None
        why_no_torch = "" if tg is not None else (
            no_torch if labels[label] == 1 else "two inputs share this name")
        torch_ok = tg is None or _close(g, tg, 1e-9, 1e-12 * max(1.0, abs(g)))
        x = graph.node(node_id).value
        s = slopes(result, node_id) if can_step(x) else None
        fd, ok, note = _compare(g, s) if s is not None else (None, True, "")
        if s is None or (not ok and not _settled(result, node_id, s)):
            why = ("the input is too small for a difference step" if s is None else
                   "finite differences do not settle (a step spans wild changes)")
            note = f"cannot check here by finite differences: {why}"
            checks.append(GradientCheck(name, g, None, tg, torch_ok, note, why_no_torch,
                                        checked=tg is not None))
            continue
        checks.append(GradientCheck(name, g, fd, tg, ok and torch_ok, note, why_no_torch))
    return checks


def torch_gradients(graph: Graph, values: dict[str, float]) -> tuple[dict[str, float] | None, str]:
    """The same gradients computed by PyTorch in float64, or None and why there are none:
    PyTorch is not installed, or it has no counterpart for an operation of the graph."""
    import warnings

    try:
        with warnings.catch_warnings():
            # torch warns at import when numpy is absent; that is no concern of a check.
            warnings.simplefilter("ignore")
            from . import torch_bridge
    except ImportError:
        return None, "PyTorch is not installed"
    except (MemoryError, OSError) as exc:  # installed but cannot load here (a memory cap)
        return None, f"PyTorch could not be loaded here ({type(exc).__name__})"
    try:
        return torch_bridge.gradients(graph, values), ""
    except torch_bridge.NoTorchCounterpart as exc:
        return None, str(exc)
