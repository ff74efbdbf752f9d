"""Reading programs with def, for and lists: how long a refusal of an over-budget program
takes (it is refused from the text, before anything is built) and how long building up to
the node budget takes.

Run: python benchmarks/language.py. CPU time of ``parse`` (time.process_time), the best of
three runs, and the peak memory Python allocated during it (tracemalloc, one more run).
"""
from __future__ import annotations

import time
import tracemalloc

from gradviz.core.errors import ProgramError
from gradviz.core.language import parse

CASES = {
    "loop of 10**6 steps (refused)":
        "x = Value(0.5)\nfor i in range(10**6):\n    x = x * 1.0001\n",
    "1000 x 1000 nested loops (refused)":
        "x = Value(0.5)\nfor i in range(1000):\n    for j in range(1000):\n        x = x + j\n",
    "calls doubling 30 times (refused)":
        "def f0(x):\n    return x * 2\n" + "".join(
            f"def f{k}(x):\n    return f{k - 1}(x) + f{k - 1}(x)\n" for k in range(1, 30))
        + "a = 1\ny = f29(a)\n",
    "calls nested 200 deep (refused)":
        "def f0(x):\n    return x * 2\n" + "".join(
            f"def f{k}(x):\n    return f{k - 1}(x)\n" for k in range(1, 200))
        + "a = 1\ny = f199(a)\n",
    "loop building 80,000 nodes":
        "x = Value(0.5)\nfor i in range(16000):\n    x = (x * 0.5 + i).tanh()\n",
    "1,000 neurons of 8 inputs (def, zip, sum)":
        "def neuron(xs, ws, b):\n    return sum((x * w for x, w in zip(xs, ws)), b).tanh()\n"
        "xs = [Value(0.1 * k) for k in range(8)]\nws = [0.5, -0.25, 0.125, 1.0, -1.0, 0.75, "
        "0.3, -0.6]\nhs = [neuron(xs, ws, Value(0.1)) for _ in range(1000)]\n"
        "out = sum(hs)\n",
}


def run(text: str) -> tuple[float, str]:
    start = time.process_time()
    try:
        graph = parse(text)
        what = f"{len(graph):,} nodes"
    except ProgramError as err:
        what = f"refused at {err.line}:{err.col}: {err.message[:50]}…"
    return time.process_time() - start, what


def main() -> None:
    for name, text in CASES.items():
        best = min(run(text)[0] for _ in range(3))
        tracemalloc.start()
        _, what = run(text)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"{name:44} {best * 1000:8.1f} ms CPU  peak {peak / 1e6:6.1f} MB  {what}")


if __name__ == "__main__":
    main()
