"""A run as the command line reports it: every input, even when names repeat.

Names repeat legitimately (a function called twice makes its inputs twice), so a report
keyed by name would merge two inputs into one. `unique_names` keeps a name as it is where
it is the only one, and makes a repeated name unique with its node's id (``x#x_2``);
`inputs_report` lists every input with its id, label, value and gradient. ``gradviz grad
--json`` (and any command reporting a run) uses both.
"""
from __future__ import annotations

from collections.abc import Iterable

from .evaluation import Evaluation
from .graph import Graph
from .labels import distinct_labels


def unique_names(graph: Graph, node_ids: Iterable[str]) -> dict[str, str]:
    """Each of ``node_ids`` by a name no other of them has: its label, or ``label#id``
    where another node of ``node_ids`` has the same label."""
    return distinct_labels(graph, node_ids, form="{label}#{id}")


def input_names(graph: Graph) -> dict[str, str]:
    """Every input's id and its unique name (see `unique_names`), in the graph's order."""
    return unique_names(graph, [n.id for n in graph.inputs()])


def input_gradients(graph: Graph, result: Evaluation) -> dict[str, float]:
    """The output's gradient for every input by its unique name (0 where it does not
    depend on it)."""
    return {name: result.grads.get(n, 0) for n, name in input_names(graph).items()}


def value_names(graph: Graph, result: Evaluation) -> dict[str, float]:
    """The value of every node but the constants, by unique name."""
    ids = [n for n in result.values if graph.node(n).kind != "const"]
    return {name: result.values[n] for n, name in unique_names(graph, ids).items()}


def inputs_report(graph: Graph, result: Evaluation) -> list[dict]:
    """Every input of ``graph`` in its order, with the run's numbers: ``id``, ``label``,
    ``value`` and ``gradient`` (JSON-ready)."""
    return [{"id": n.id, "label": n.label, "value": result.values.get(n.id, n.value),
             "gradient": result.grads.get(n.id, 0)} for n in graph.inputs()]
