"""Names people can tell apart: a label that several nodes share (a function called twice
makes two inputs ``x``) is shown with the node's id, ``x (#x2)``.

Labels are not unique in a graph, and must not be treated as if they were: the panels
that list nodes by name key them by id and show these names.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .graph import Graph


def distinct_labels(graph: Graph, node_ids: Iterable[str] | None = None,
                    form: str = "{label} (#{id})") -> dict[str, str]:
    """Each node's label, written in ``form`` (`` (#id)`` after it, by default) where more
    than one of ``node_ids`` (every node when None) has it; in the order given.

    >>> g = Graph()
    >>> _ = g.add_input("x", 1.0, id="x1"), g.add_input("x", 2.0, id="x2")
    >>> _ = g.add_input("y", 3.0, id="y")
    >>> distinct_labels(g)
    {'x1': 'x (#x1)', 'x2': 'x (#x2)', 'y': 'y'}
    """
    nodes = graph.nx.nodes
    ids = list(nodes) if node_ids is None else list(node_ids)
    if len(ids) > 1000:  # one pass over the graph's labels, cheaper than a look-up each
        every = dict(nodes(data="label"))
        labels = [every[n] for n in ids]
    else:
        labels = [nodes[n]["label"] for n in ids]
    counts = Counter(labels)
    if len(counts) == len(labels):  # every label once, as in most graphs
        return dict(zip(ids, labels, strict=True))
    return {n: label if counts[label] == 1 else form.format(label=label, id=n)
            for n, label in zip(ids, labels, strict=True)}
