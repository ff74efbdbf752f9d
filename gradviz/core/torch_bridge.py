"""The graph computed by PyTorch (float64 scalars), for checking only.

Importing this module imports torch; it raises ImportError where torch is absent, which
callers take as "no PyTorch check".
"""
from __future__ import annotations

import torch

from .graph import Graph

TORCH_OPS = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / y,
    "pow": lambda x, y: x ** y,
    "neg": lambda x: -x,
    "exp": torch.exp,
    "log": torch.log,
    "sqrt": torch.sqrt,
    "sin": torch.sin,
    "cos": torch.cos,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
    "abs": torch.abs,
}
"""Each op id of the op table as a torch function (a test keeps the two in step)."""


def gradients(graph: Graph, values: dict[str, float]) -> dict[str, float]:
    """d(output)/d(input) for every input label, by torch.autograd."""
    made: dict[str, torch.Tensor] = {}
    leaves: dict[str, torch.Tensor] = {}
    for node in graph.nodes():
        if node.kind == "input":
            t = torch.tensor(float(values.get(node.label, node.value)), dtype=torch.float64,
                             requires_grad=True)
            leaves[node.label] = t
        elif node.kind == "const":
            t = torch.tensor(float(node.value), dtype=torch.float64)
        else:
            t = TORCH_OPS[node.op](*(made[s] for s in graph.operands(node.id)))
        made[node.id] = t
    out = made[graph.resolved_output()]
    inputs = list(leaves.values())
    if not out.requires_grad:
        return {label: 0.0 for label in leaves}
    grads = torch.autograd.grad(out, inputs, allow_unused=True)
    return {label: (0.0 if g is None else g.item()) for label, g in zip(leaves, grads, strict=True)}
