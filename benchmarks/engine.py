"""How fast is gradviz's engine? Forward + backward against micrograd (and torch).

Run from the repository root::

    python benchmarks/engine.py            # needs: pip install micrograd
    python benchmarks/engine.py --repeats 15

Three workloads, each built and differentiated from scratch with Python's default
garbage collector left on (it is part of the real cost: micrograd's ``_backward``
closures make reference cycles that only the collector frees):

* ``sum``   a balanced sum of 20,000 products ``x_i * y_i``;
* ``chain`` a 300-step chain ``x = (x * 1.01 + 0.01).relu()``;
* ``mlp``   micrograd's demo loss: ``MLP(2, [16, 16, 1])`` on 100 two-moons points, svm
  max-margin loss plus L2 regularisation (as in micrograd's demo.ipynb).

Two tables. The first times one forward + backward starting from a clean heap, the
graph freed after the clock stops. The second times runs in a row, as a training loop
does, so each engine also pays for freeing its own graphs: gradviz's values are freed by
reference counting at once, micrograd's (closures make cycles) by the collector, later.
Each time is the median of several timings taken in the same run, with the engines
interleaved so that a noisy neighbour slows all of them alike. torch scalar tensors are
shown for context when torch is installed.
"""
from __future__ import annotations

import argparse
import gc
import math
import random
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from gradviz.core.engine import Value  # noqa: E402

try:
    from micrograd.engine import Value as MicroValue
    from micrograd.nn import MLP as MicroMLP
except ImportError:
    sys.exit("This benchmark compares with micrograd, which is not installed.\n"
             "Install it with:  pip install micrograd")

try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns when NumPy is absent: not used here
        import torch
except ImportError:
    torch = None

SUM_TERMS = 20_000
CHAIN_STEPS = 300
MLP_POINTS = 100


# --- the workloads, written once over any micrograd-like Value class ----------------

def balanced_sum(values: list):
    """Pairwise sum, so the graph is a balanced tree rather than a deep chain."""
    while len(values) > 1:
        pairs = [values[i] + values[i + 1] for i in range(0, len(values) - 1, 2)]
        if len(values) % 2:
            pairs.append(values[-1])
        values = pairs
    return values[0]


def sum_of_products(make: Callable, numbers: list[tuple[float, float]]):
    xs = [make(x) for x, _ in numbers]
    ys = [make(y) for _, y in numbers]
    return balanced_sum([x * y for x, y in zip(xs, ys, strict=True)])


def relu_chain(make: Callable, steps: int = CHAIN_STEPS):
    x = make(0.5)
    for _ in range(steps):
        x = (x * 1.01 + 0.01).relu()
    return x


class TinyMLP:
    """micrograd's nn.MLP over any Value class: relu hidden layers, linear output."""

    def __init__(self, make: Callable, weights: list[list[list[float]]]):
        # weights[layer][neuron] = [w_1, ..., w_n, b]
        self.layers = [[[make(w) for w in neuron] for neuron in layer] for layer in weights]

    def __call__(self, x: list):
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            out = []
            for neuron in layer:
                act = sum((w * xi for w, xi in zip(neuron[:-1], x, strict=True)), neuron[-1])
                out.append(act if i == last else act.relu())
            x = out
        return x[0]

    def parameters(self) -> list:
        return [p for layer in self.layers for neuron in layer for p in neuron]


def mlp_weights(sizes: list[int], seed: int = 1337) -> list[list[list[float]]]:
    rng = random.Random(seed)
    return [[[rng.uniform(-1, 1) for _ in range(nin)] + [0.0] for _ in range(nout)]
            for nin, nout in zip(sizes, sizes[1:], strict=False)]


def two_moons(n: int, noise: float = 0.1, seed: int = 1) -> tuple[list, list]:
    """sklearn's make_moons without sklearn; labels are -1 and 1 as in the demo."""
    rng = random.Random(seed)
    outer, inner = n // 2, n - n // 2
    points, labels = [], []
    for i in range(outer):
        t = math.pi * i / (outer - 1)
        points.append([math.cos(t), math.sin(t)])
        labels.append(-1)
    for i in range(inner):
        t = math.pi * i / (inner - 1)
        points.append([1 - math.cos(t), 1 - math.sin(t) - 0.5])
        labels.append(1)
    points = [[x + rng.gauss(0, noise), y + rng.gauss(0, noise)] for x, y in points]
    return points, labels


def demo_loss(make: Callable, model, points: list, labels: list):
    """micrograd demo.ipynb's loss: svm max-margin data loss + 1e-4 * L2 of parameters."""
    inputs = [[make(c) for c in row] for row in points]
    scores = [model(x) for x in inputs]
    losses = [(1 + -yi * si).relu() for yi, si in zip(labels, scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    return data_loss + reg_loss


# --- one engine = how to make a leaf and how to run backward -----------------------

class Engine:
    def __init__(self, name: str, make: Callable, backward: Callable, mlp: Callable):
        self.name, self.make, self.backward, self.mlp = name, make, backward, mlp


def engines() -> list[Engine]:
    sizes = [2, 16, 16, 1]
    weights = mlp_weights(sizes)

    def micro_mlp():
        model = MicroMLP(2, sizes[1:])
        flat = [w for layer in weights for neuron in layer for w in neuron]
        for p, w in zip(model.parameters(), flat, strict=True):
            p.data = w
        return model

    found = [
        Engine("gradviz", Value, lambda v: v.backward(), lambda: TinyMLP(Value, weights)),
        Engine("micrograd", MicroValue, lambda v: v.backward(), micro_mlp),
    ]
    if torch is not None:
        def tensor(x):
            return torch.tensor(float(x), dtype=torch.float64, requires_grad=True)
        found.append(Engine("torch scalars", tensor, lambda v: v.backward(),
                            lambda: TinyMLP(tensor, weights)))
    return found


def workloads() -> dict[str, Callable[[Engine], Callable[[], object]]]:
    rng = random.Random(0)
    numbers = [(rng.uniform(-1, 1), rng.uniform(-1, 1)) for _ in range(SUM_TERMS)]
    points, labels = two_moons(MLP_POINTS)

    def forward_backward(e: Engine, build: Callable[[], object]) -> Callable[[], object]:
        def run():
            root = build()
            e.backward(root)
            return root  # kept alive until the clock stops: freeing is not timed
        return run

    def sum_run(e: Engine):
        return forward_backward(e, lambda: sum_of_products(e.make, numbers))

    def chain_run(e: Engine):
        return forward_backward(e, lambda: relu_chain(e.make))

    def mlp_run(e: Engine):
        model = e.mlp()  # built once, as in training; the loss graph is built each run
        return forward_backward(e, lambda: demo_loss(e.make, model, points, labels))

    return {f"sum of {SUM_TERMS:,} products": sum_run,
            f"{CHAIN_STEPS}-step relu chain": chain_run,
            f"MLP(2,[16,16,1]) loss, {MLP_POINTS} points": mlp_run}


def timed(run: Callable[[], object], times: int) -> float:
    """Seconds per run for ``times`` runs in a row, starting from a clean heap.

    With ``times == 1`` the graph is freed after the clock stops: forward + backward
    only. With more, every run but the last frees its predecessor's graph on the clock,
    as in a training loop: gradviz by reference counting, micrograd by the collector.
    """
    gc.collect()  # so no engine pays for the garbage the previous one left
    start = time.perf_counter()
    result = run()
    for _ in range(times - 1):
        result = run()
    elapsed = time.perf_counter() - start
    del result
    return elapsed / times


def measure(repeats: dict[str, int], times: dict[str, int]) -> list[tuple[str, dict]]:
    """Median seconds per run for every workload and engine."""
    found = engines()
    rows = []
    for title, make_run in workloads().items():
        runs = {e.name: make_run(e) for e in found}
        samples: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(repeats[title]):
            for name, run in runs.items():  # interleaved: noise hits every engine alike
                samples[name].append(timed(run, times[title]))
        rows.append((title, {name: statistics.median(t) for name, t in samples.items()}))
    return rows


def print_table(heading: str, rows: list[tuple[str, dict[str, float]]]) -> None:
    names = list(rows[0][1])
    print(heading)
    header = f"{'workload':<36}" + "".join(f"{n:>15}" for n in names) + f"{'ratio':>8}"
    print(header)
    print("-" * len(header))
    for title, t in rows:
        cells = "".join(f"{t[n] * 1e3:>12.2f} ms" for n in names)
        print(f"{title:<36}{cells}{t['gradviz'] / t['micrograd']:>8.2f}")
    print()


def check_same_numbers() -> None:
    """The engines must agree, or the timing compares different work."""
    points, labels = two_moons(MLP_POINTS)
    losses = {}
    for e in engines()[:2]:
        model = e.mlp()
        loss = demo_loss(e.make, model, points, labels)
        loss.backward()
        losses[e.name] = (loss.data, [p.grad for p in model.parameters()])
    (a, ga), (b, gb) = losses.values()
    assert abs(a - b) < 1e-9 and all(abs(x - y) < 1e-9 for x, y in zip(ga, gb, strict=True)), \
        "gradviz and micrograd disagree on the demo loss"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7,
                        help="timings per engine and workload (the short chain gets 10x)")
    args = parser.parse_args(argv)
    check_same_numbers()
    titles = list(workloads())
    chain = titles[1]
    # The chain takes a millisecond or two, so it gets more timings for a steady median.
    repeats = {t: args.repeats * (10 if t == chain else 1) for t in titles}
    print(f"Python {sys.version.split()[0]}, garbage collector on; medians of {args.repeats} "
          f"timings ({10 * args.repeats} for the chain); ratio = gradviz / micrograd\n")
    print_table("One forward + backward from a clean heap (goal: ratio <= 0.5)",
                measure(repeats, dict.fromkeys(titles, 1)))
    print_table("Runs in a row, each engine freeing its own graphs (chain x20, others x2)",
                measure(repeats, {t: 20 if t == chain else 2 for t in titles}))


if __name__ == "__main__":
    main()
