"""Checking the engine's gradients: central finite differences and, if installed, PyTorch."""
from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import GradvizError
from .evaluation import evaluate, input_values
from .graph import Graph
from .notation import format_number


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


def step_for(x: float) -> float:
    """A difference step: relative to large inputs, and far smaller than small nonzero
    ones (so that ``sqrt`` at 1e-7 is neither stepped below 0 nor bent within a step)."""
    h = 1e-6 * max(1.0, abs(x))
    return min(h, abs(x) * 1e-4) if x != 0 else h


def _output_at(graph: Graph, values: dict[str, float], label: str, x: float) -> float | None:
    try:
        return evaluate(graph, {**values, label: x}).value
    except GradvizError:
        return None  # the function is not defined there


def finite_difference(graph: Graph, label: str, values: dict[str, float]) -> float:
    """Central difference of the output with respect to input ``label``."""
    x = values[label]
    h = step_for(x)
    up = evaluate(graph, {**values, label: x + h}).value
    down = evaluate(graph, {**values, label: x - h}).value
    return (up - down) / (2 * h)


@dataclass(frozen=True)
class Slopes:
    """The output's slope at an input from the left, the right and both sides (None where
    the function is not defined a step away)."""

    left: float | None
    right: float | None
    central: float | None

    def is_kink(self) -> bool:
        """Left and right slopes disagree: the function has a corner here (relu at 0)."""
        if self.left is None or self.right is None:
            return False
        return not _close(self.left, self.right, 1e-3, 1e-3)


def slopes(graph: Graph, label: str, values: dict[str, float]) -> Slopes:
    x = values[label]
    h = step_for(x)
    mid = _output_at(graph, values, label, x)
    up = _output_at(graph, values, label, x + h)
    down = _output_at(graph, values, label, x - h)
    left = (mid - down) / h if mid is not None and down is not None else None
    right = (up - mid) / h if mid is not None and up is not None else None
    central = (up - down) / (2 * h) if up is not None and down is not None else None
    return Slopes(left, right, central)


def _close(a: float, b: float, rel: float, abs_: float) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def _compare(g: float, s: Slopes) -> tuple[float | None, bool, str]:
    """(the difference shown, whether the engine agrees, a note for people)."""
    scale = max(1.0, abs(g))
    if s.is_kink():
        low, high = sorted((s.left, s.right))
        ok = low - 1e-4 * scale <= g <= high + 1e-4 * scale
        note = (f"not differentiable here: the slope is {format_number(s.left)} from the left "
                f"and {format_number(s.right)} from the right; the engine takes "
                f"{format_number(g)}")
        return s.central, ok, note
    if s.central is not None:
        return s.central, _close(g, s.central, 1e-4, 1e-5 * scale), ""
    one_sided = s.right if s.right is not None else s.left
    if one_sided is not None:
        side = "right" if s.right is not None else "left"
        note = f"defined on one side only: compared with the slope from the {side}"
        return one_sided, _close(g, one_sided, 1e-3, 1e-4 * scale), note
    return None, True, "no finite difference here: the function is not defined a step away"


def check_gradients(graph: Graph, overrides: dict[str, float] | None = None,
                    use_torch: bool = True,
                    grads: dict[str, float] | None = None) -> list[GradientCheck]:
    """Compare every input's gradient with finite differences and PyTorch (when importable).

    ``grads`` (by input label) are the gradients to check, such as forward mode's; by
    default the engine's reverse-mode ones.

    Where the output has a corner (relu or abs at 0), the engine's gradient passes when it
    lies between the left and right slopes; where it is defined on one side only, the
    one-sided slope is used; each case is said in ``note``.
    """
    result = evaluate(graph, overrides)
    leaf = input_values(graph, overrides)
    values = {n.label: leaf[n.id] for n in graph.inputs()}
    torch_grads, no_torch = torch_gradients(graph, values) if use_torch else \
        (None, "PyTorch was not asked")
    checks = []
    for label, g in (result.input_grads() if grads is None else grads).items():
        fd, ok, note = _compare(g, slopes(graph, label, values))
        tg = torch_grads.get(label) if torch_grads else None
        if tg is not None and not _close(g, tg, 1e-9, 1e-12 * max(1.0, abs(g))):
            ok = False
        checks.append(GradientCheck(label, g, fd, tg, ok, note, "" if tg is not None else no_torch))
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
    try:
        return torch_bridge.gradients(graph, values), ""
    except torch_bridge.NoTorchCounterpart as exc:
        return None, str(exc)
