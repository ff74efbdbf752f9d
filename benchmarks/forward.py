"""How long does forward mode take? One dual-number pass per input, against reverse mode.

Run from the repository root::

    python benchmarks/forward.py
    python benchmarks/forward.py --inputs 20 --layers 2000 --repeats 7

The graph is a chain of ``--layers`` neurons ``h = tanh(h * x_k + 0.1)`` cycling through
``--inputs`` inputs (three operations each). Timed, each the median of ``--repeats``
runs: the reverse-mode run (`evaluate`: forward and backward, recorded), forward mode's
first pass (what showing forward mode needs) and every pass (what Skip to results and
``gradviz grad --mode forward`` need). The dual arithmetic of a step is written only when
it is read, so it is not in these times; writing every step's text is timed apart.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from gradviz.core.evaluation import evaluate  # noqa: E402
from gradviz.core.forward import forward_mode_of  # noqa: E402
from gradviz.core.language import parse  # noqa: E402


def program(inputs: int, layers: int) -> str:
    lines = [f"x{i} = {0.1 * i!r}" for i in range(1, inputs + 1)]
    acc = "x1"
    for j in range(layers):
        lines.append(f"h{j} = tanh({acc} * x{j % inputs + 1} + 0.1)")
        acc = f"h{j}"
    return "\n".join(lines)


def median_ms(work, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        work()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--inputs", type=int, default=10)
    p.add_argument("--layers", type=int, default=500)
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    graph = parse(program(args.inputs, args.layers))
    reverse = evaluate(graph)
    print(f"{len(graph)} nodes, {args.inputs} inputs, {reverse.timeline.forward_count} "
          "operations per pass")
    print(f"reverse mode (forward + backward, recorded): "
          f"{median_ms(lambda: evaluate(graph), args.repeats):8.1f} ms")
    print(f"forward mode, first pass:                    "
          f"{median_ms(lambda: forward_mode_of(reverse).pass_at(0), args.repeats):8.1f} ms")
    print(f"forward mode, every pass:                    "
          f"{median_ms(lambda: forward_mode_of(reverse).passes(), args.repeats):8.1f} ms")
    one = forward_mode_of(reverse).pass_at(0)
    print(f"writing one pass's dual arithmetic:          "
          f"{median_ms(lambda: [s.text for s in one.steps], args.repeats):8.1f} ms")


if __name__ == "__main__":
    main()
