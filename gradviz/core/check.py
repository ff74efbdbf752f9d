"""Checking the engine's gradients: central finite differences and, if installed, PyTorch."""
from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import GradvizError
from .evaluation import evaluate, input_values
from .graph import Graph


@dataclass(frozen=True)
class GradientCheck:
    """One input's gradient by the engine, by finite differences and by PyTorch."""

    input: str
    engine: float
    finite_difference: float | None
    torch: float | None
    ok: bool
    note: str = ""


def finite_difference(graph: Graph, label: str, values: dict[str, float]) -> float:
    """Central difference of the output with respect to input ``label``.

    The step scales with the input so that large and small inputs both get a
    difference well above rounding noise.
    """
    x = values[label]
    h = 1e-6 * max(1.0, abs(x))
    up = evaluate(graph, {**values, label: x + h}).value
    down = evaluate(graph, {**values, label: x - h}).value
    return (up - down) / (2 * h)


def _close(a: float, b: float, rel: float, abs_: float) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def check_gradients(graph: Graph, overrides: dict[str, float] | None = None,
                    use_torch: bool = True) -> list[GradientCheck]:
    """Compare every input's gradient with finite differences and PyTorch (when importable).

    A finite difference that cannot be taken (the function is not defined a step away,
    e.g. log at 0+) is reported in ``note`` and does not fail the check.
    """
    result = evaluate(graph, overrides)
    leaf = input_values(graph, overrides)
    values = {n.label: leaf[n.id] for n in graph.inputs()}
    torch_grads = torch_gradients(graph, values) if use_torch else None
    checks = []
    for label, g in result.input_grads().items():
        note = ""
        try:
            fd = finite_difference(graph, label, values)
        except GradvizError as exc:
            fd, note = None, f"finite difference not defined here: {exc}"
        scale = max(1.0, abs(g))
        ok = fd is None or _close(g, fd, 1e-4, 1e-5 * scale)
        tg = torch_grads.get(label) if torch_grads else None
        if tg is not None and not _close(g, tg, 1e-9, 1e-12 * scale):
            ok = False
        checks.append(GradientCheck(label, g, fd, tg, ok, note))
    return checks


def torch_gradients(graph: Graph, values: dict[str, float]) -> dict[str, float] | None:
    """The same gradients computed by PyTorch in float64, or None if it is not installed."""
    import warnings

    try:
        with warnings.catch_warnings():
            # torch warns at import when numpy is absent; that is no concern of a check.
            warnings.simplefilter("ignore")
            from . import torch_bridge
    except ImportError:
        return None
    return torch_bridge.gradients(graph, values)
