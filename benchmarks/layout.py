"""Edge crossings: gradviz's layout against a plain layered layout and Graphviz ``dot``.

Run: python benchmarks/layout.py. Crossings are counted the same way for all three
(`gradviz.core.layout.count_crossings`: straight segments between node centres, ending at
the input port's side), on the shipped examples and on random expression DAGs.
"""
from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from gradviz.core.graph import Graph
from gradviz.core.layout import count_crossings, layout, plain_layered_layout

EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"


OPS_MIX = ("add", "mul", "sub", "tanh", "exp", "mul", "add")
BOUNDED_MIX = ("add", "mul", "tanh", "sub", "tanh", "sigmoid")
"""Operations that keep values finite over thousands of nodes (for drawing benchmarks)."""


def random_dag(seed: int, n: int, ops: tuple[str, ...] = OPS_MIX) -> Graph:
    """An expression DAG as programs make them: operands mostly from recent results."""
    rng = random.Random(seed)
    g = Graph()
    ids = [g.add_input(f"x{i}", 0.1 * (i + 1), id=f"x{i}") for i in range(4)]
    for i in range(n):
        op = rng.choice(ops)
        node = g.add_op(op, f"v{i}", id=f"v{i}")
        for port in range(1 if op in ("tanh", "exp", "sigmoid") else 2):
            g.connect(rng.choice(ids[-10:] if rng.random() < 0.75 else ids), node, port)
        ids.append(node)
    return g


def dot_positions(graph: Graph) -> dict[str, tuple[float, float]] | None:
    exe = shutil.which("dot")
    if exe is None:
        return None
    names = {n: f"n{i}" for i, n in enumerate(graph.nx)}
    back = {v: k for k, v in names.items()}
    lines = ["digraph g { rankdir=LR; node [shape=box];"]
    lines += [f"{names[n]} [label=\"{graph.node(n).label}\"];" for n in graph.nx]
    lines += [f"{names[u]} -> {names[v]};" for u, v, _ in graph.edges()]
    lines.append("}")
    out = subprocess.run([exe, "-Tplain"], input="\n".join(lines), capture_output=True,
                         text=True, check=True).stdout
    pos = {}
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] == "node":
            pos[back[parts[1]]] = (float(parts[2]) * 72, -float(parts[3]) * 72)
    return pos


def row(name: str, graph: Graph) -> tuple[int, int, int | None, float]:
    start = time.perf_counter()
    ours = count_crossings(graph, layout(graph))
    ms = (time.perf_counter() - start) * 1000
    plain = count_crossings(graph, plain_layered_layout(graph))
    dp = dot_positions(graph)
    theirs = None if dp is None else count_crossings(graph, dp)
    print(f"| {name} | {len(graph)} | {plain} | {ours} | {'–' if theirs is None else theirs} "
          f"| {ms:.0f} |")
    return plain, ours, theirs, ms


def main() -> int:
    from gradviz.core import fileformat

    print("| graph | nodes | plain layered | gradviz | dot | gradviz layout + count ms |")
    print("|---|---:|---:|---:|---:|---:|")
    totals = [0, 0, 0]
    for path in sorted(EXAMPLES.glob("*.gradviz")):
        r = row(path.stem, fileformat.read(path).graph)
        totals = [t + (x or 0) for t, x in zip(totals, r[:3], strict=True)]
    for n in (30, 100, 300):
        for seed in range(3):
            r = row(f"random {n} #{seed}", random_dag(seed, n))
            totals = [t + (x or 0) for t, x in zip(totals, r[:3], strict=True)]
    print(f"| **total** | | {totals[0]} | {totals[1]} | {totals[2]} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
