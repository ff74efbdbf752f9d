"""The graph computed by PyTorch (float64 scalars), for checking only.

Each operation's torch function is the one its op table entry names (``Op.torch``), so
there is no second list of operations to keep in step. Importing this module imports
torch; it raises ImportError where torch is absent, which callers take as "no PyTorch
check".
"""
from __future__ import annotations

import torch

from .errors import GradvizError
from .graph import Graph
from .ops import OPS, Op


class NoTorchCounterpart(GradvizError):
    """An operation of the graph that PyTorch cannot compute, so no PyTorch check."""

    def __init__(self, op: Op):
        super().__init__(f"PyTorch has no counterpart for {op.title} ({op.id})")
        self.op = op


def function_for(op_id: str):
    """The torch function that computes the operation ``op_id``; NoTorchCounterpart when
    its entry names none (or a name this torch does not have)."""
    op = OPS[op_id]
    function = getattr(torch, op.torch, None) if op.torch else None
    if not callable(function):
        raise NoTorchCounterpart(op)
    return function


def gradients(graph: Graph, values: dict[str, float]) -> dict[str, float]:
    """d(output)/d(input) for every input label, by torch.autograd.

    Raises NoTorchCounterpart, before computing anything, when an operation of the graph
    has no torch function.
    """
    functions = {n.op: function_for(n.op) for n in graph.nodes() if n.kind == "op"}
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
            t = functions[node.op](*(made[s] for s in graph.operands(node.id)))
        made[node.id] = t
    out = made[graph.resolved_output()]
    inputs = list(leaves.values())
    if not out.requires_grad:
        return {label: 0.0 for label in leaves}
    grads = torch.autograd.grad(out, inputs, allow_unused=True)
    return {label: (0.0 if g is None else g.item()) for label, g in zip(leaves, grads, strict=True)}
