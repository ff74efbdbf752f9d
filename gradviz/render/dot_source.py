"""Graphviz source for a graph at one step, with the labels the picture shows.

For people who keep their figures in Graphviz (or want micrograd's ``draw_dot`` look):
inputs are records of name, value and gradient, operations the same with their symbol,
constants plain numbers; the current backward edge carries ``× local → contribution``.
Each group is a ``subgraph cluster_…`` labelled with its name, nested as the groups are,
so ``dot`` draws a neuron or a layer as a framed region.
"""
from __future__ import annotations

from ..core.evaluation import Evaluation
from ..core.graph import Graph
from ..core.ops import OPS
from .step_look import CURRENT, looks_at, structure_looks
from .theme import OKABE_ITO


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _record_field(text: str) -> str:
    """Escape what a record label treats as structure (the quotes come later)."""
    for ch in "\\{}|<>":
        text = text.replace(ch, "\\" + ch)
    return text


def _quote_record(label: str) -> str:
    """Quote a record label, keeping the backslashes `_record_field` put in."""
    return '"' + label.replace('"', '\\"') + '"'


def dot_source(graph: Graph, run: Evaluation | None, index: int | None = None) -> str:
    """The graph as a ``digraph`` laid out left to right, at step ``index`` (default: last)."""
    if run is None:
        nodes, edges = structure_looks(graph)
    else:
        timeline = run.timeline
        state = timeline.state(len(timeline) if index is None else index)
        nodes, edges = looks_at(graph, run, state)
    lines = ["digraph gradviz {", "  rankdir=LR;", '  graph [fontname="DejaVu Sans"];',
             '  node [fontname="DejaVu Sans", shape=record];',
             '  edge [fontname="DejaVu Sans"];']
    node_lines: dict[str, str] = {}
    for n in graph.nodes():
        look = nodes[n.id]
        attrs = []
        if n.kind == "const":
            label = _record_field(look.value)
            attrs.append("shape=box, style=rounded")
        else:
            head = n.label if n.kind == "input" else f"{n.label} {OPS[n.op].symbol}"
            label = "{" + " | ".join(_record_field(t) for t in (
                head, f"value {look.value}", f"grad {look.grad}")) + "}"
        if look.emphasis == CURRENT:
            attrs.append(f'style=filled, fillcolor="{OKABE_ITO["yellow"]}", penwidth=2')
        node_lines[n.id] = (f"{_quote(n.id)} [label={_quote_record(label)}"
                            f"{''.join(', ' + a for a in attrs)}];")
    lines.extend(_clustered(graph, node_lines))
    for (u, v, k), look in edges.items():
        attrs = []
        op = OPS[graph.node(v).op]
        if op.arity == 2 and not op.commutative:
            attrs.append(f"headlabel={_quote('xy'[k])}")
        if look.label:
            attrs.append(f"label={_quote(look.label)}")
        if look.emphasis == CURRENT:
            attrs.append(f'color="{OKABE_ITO["vermillion"]}", penwidth=3')
        attrs.append(f"comment={_quote(f'port {k}')}")
        lines.append(f"  {_quote(u)} -> {_quote(v)} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _clustered(graph: Graph, node_lines: dict[str, str]) -> list[str]:
    """The node lines, each inside the clusters of its groups (outermost first)."""
    children: dict[str | None, list[str]] = {None: []}
    names = {}
    for group in graph.groups():  # each after the group around it
        children.setdefault(group.parent, []).append(group.id)
        children[group.id] = []
        names[group.id] = group.name
    direct: dict[str | None, list[str]] = {}
    for node_id in node_lines:
        path = graph.group_path(node_id)
        direct.setdefault(path[-1] if path else None, []).append(node_id)
    out: list[str] = []
    # An explicit stack rather than recursion: a file may nest groups deeply.
    stack: list[tuple[str | None, int, bool]] = [(None, 1, False)]
    while stack:
        group, depth, closing = stack.pop()
        pad = "  " * depth
        if closing:
            out.append("  " * (depth - 1) + "}")
            continue
        if group is not None:
            out.append(f"{'  ' * (depth - 1)}subgraph {_quote('cluster_' + group)} {{")
            out.append(f"{pad}label={_quote(names[group])}; style=rounded;")
            stack.append((group, depth, True))
        out.extend(pad + node_lines[node_id] for node_id in direct.get(group, ()))
        stack.extend((child, depth + 1, False) for child in reversed(children.get(group, ())))
    return out
