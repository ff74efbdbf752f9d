"""The example graphs shipped with gradviz, and how they were made.

The examples are .gradviz files in ``gradviz.resources/examples``. Each was generated
from the program below it here (`write_examples`), built with the engine's `Value`
exactly as the program reads, so the stored ``program`` text and the graph agree; a test
regenerates them and compares.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Callable

from .engine import Value
from .errors import DocumentError
from .fileformat import GraphDocument, loads, write
from .trace import graph_from_value

SUFFIX = ".gradviz"


@dataclass(frozen=True)
class Example:
    """One shipped example: ``name`` is its file name without ``.gradviz``."""

    name: str
    title: str
    description: str
    path: Traversable


@dataclass(frozen=True)
class _Source:
    name: str
    title: str
    description: str
    program: str
    build: Callable[[], Value]


def _v(label: str, data: float) -> Value:
    return Value(data, label=label)


def _named(v: Value, label: str) -> Value:
    v.label = label
    return v


def _notebook() -> Value:
    a, b = _v("a", 2), _v("b", 3)
    return _named((a + b) * (b + 1), "e")


def _sanity_check() -> Value:
    x = _v("x", -4)
    z = _named(2 * x + 2 + x, "z")
    q = _named(z.relu() + z * x, "q")
    h = _named((z * z).relu(), "h")
    return _named(h + q + q * x, "y")


def _more_ops() -> Value:
    a, b = _v("a", -4), _v("b", 2)
    c = _named(a + b, "c")
    d = _named(a * b + b ** 3, "d")
    c1 = _named(c + (c + 1), "c₁")
    c2 = _named(c1 + (1 + c1 + (-a)), "c₂")
    d1 = _named(d + (d * 2 + (b + a).relu()), "d₁")
    d2 = _named(d1 + (3 * d1 + (b - a).relu()), "d₂")
    e = _named(c2 - d2, "e")
    f = _named(e ** 2, "f")
    g = _named(f / 2.0, "g")
    return _named(g + 10.0 / f, "g₁")


def _neuron() -> Value:
    x1, x2 = _v("x1", 2), _v("x2", 0)
    w1, w2 = _v("w1", -3), _v("w2", 1)
    b = _v("b", 6.8813735870195432)
    n = _named(x1 * w1 + x2 * w2 + b, "n")
    return _named(n.tanh(), "o")


def _logistic() -> Value:
    w, x, b, y = _v("w", -0.5), _v("x", 1.5), _v("b", 0.25), _v("y", 1)
    z = _named(w * x + b, "z")
    p = _named(z.sigmoid(), "p")
    return _named(-(y * p.log() + (1 - y) * (1 - p).log()), "loss")


def _mlp() -> Value:
    x1, x2, y = _v("x1", 1), _v("x2", -2), _v("y", 0.5)
    w11, w12, b1 = _v("w11", 0.3), _v("w12", -0.1), _v("b1", 0.2)
    w21, w22, b2 = _v("w21", -0.4), _v("w22", 0.25), _v("b2", 0.1)
    v1, v2, c = _v("v1", 0.7), _v("v2", -0.6), _v("c", 0.05)
    h1 = _named((w11 * x1 + w12 * x2 + b1).tanh(), "h1")
    h2 = _named((w21 * x1 + w22 * x2 + b2).tanh(), "h2")
    out = _named(v1 * h1 + v2 * h2 + c, "out")
    return _named((out - y) ** 2, "loss")


def _square() -> Value:
    a = _v("a", 3)
    return _named(a * a, "b")


def _trig() -> Value:
    x = _v("x", 0.7)
    return _named(x.sin() ** 2 + x.cos() ** 2, "y")


_SOURCES: tuple[_Source, ...] = (
    _Source("notebook", "The notebook's example",
            "e = (a + b) * (b + 1) at a = 2, b = 3: b fans out, so ∂e/∂b = 4 + 5 = 9",
            "a = 2\nb = 3\ne = (a + b) * (b + 1)\n", _notebook),
    _Source("micrograd_sanity_check", "micrograd: sanity check",
            "micrograd's test_sanity_check: one input x = -4 through mul, add and relu",
            "x = -4\nz = 2 * x + 2 + x\nq = relu(z) + z * x\nh = relu(z * z)\n"
            "y = h + q + q * x\n", _sanity_check),
    _Source("micrograd_more_ops", "micrograd: more ops",
            "micrograd's test_more_ops: add, mul, pow, sub, div, relu and negation on a and b",
            "a = -4\nb = 2\nc = a + b\nd = a * b + b ** 3\nc = c + (c + 1)\n"
            "c = c + (1 + c + (-a))\nd = d + (d * 2 + relu(b + a))\n"
            "d = d + (3 * d + relu(b - a))\ne = c - d\nf = e ** 2\ng = f / 2.0\n"
            "g = g + 10.0 / f\n", _more_ops),
    _Source("neuron", "A tanh neuron",
            "The neuron of micrograd's lecture: o = tanh(x1·w1 + x2·w2 + b), o ≈ 0.7071",
            "x1 = 2\nx2 = 0\nw1 = -3\nw2 = 1\nb = 6.8813735870195432\n"
            "n = x1 * w1 + x2 * w2 + b\no = tanh(n)\n", _neuron),
    _Source("logistic_regression", "Logistic regression loss",
            "The cross-entropy loss of one logistic-regression prediction p = σ(w·x + b)",
            "w = -0.5\nx = 1.5\nb = 0.25\ny = 1\nz = w * x + b\np = sigmoid(z)\n"
            "loss = -(y * log(p) + (1 - y) * log(1 - p))\n", _logistic),
    _Source("mlp_2_2_1", "A 2-2-1 network",
            "The squared error of a tiny network: two inputs, two tanh units, one output",
            "x1 = 1\nx2 = -2\ny = 0.5\nw11 = 0.3\nw12 = -0.1\nb1 = 0.2\n"
            "w21 = -0.4\nw22 = 0.25\nb2 = 0.1\nv1 = 0.7\nv2 = -0.6\nc = 0.05\n"
            "h1 = tanh(w11 * x1 + w12 * x2 + b1)\nh2 = tanh(w21 * x1 + w22 * x2 + b2)\n"
            "out = v1 * h1 + v2 * h2 + c\nloss = (out - y) ** 2\n", _mlp),
    _Source("square", "A value used twice",
            "b = a * a: two edges from a into one node, so ∂b/∂a = 3 + 3 = 6",
            "a = 3\nb = a * a\n", _square),
    _Source("trig_identity", "sin² + cos²",
            "y = sin(x)² + cos(x)² is always 1, so its gradient is 0: two paths cancel",
            "x = 0.7\ny = sin(x) ** 2 + cos(x) ** 2\n", _trig),
)
_BY_NAME = {s.name: s for s in _SOURCES}


def _folder() -> Traversable:
    return resources.files("gradviz.resources").joinpath("examples")


def list_examples() -> list[Example]:
    """Every shipped example, in teaching order (the notebook first)."""
    found = [f for f in _folder().iterdir() if f.name.endswith(SUFFIX)]
    rank = {s.name: i for i, s in enumerate(_SOURCES)}
    found.sort(key=lambda f: (rank.get(f.name[:-len(SUFFIX)], len(rank)), f.name))
    examples = []
    for f in found:
        name = f.name[:-len(SUFFIX)]
        source = _BY_NAME.get(name)
        title = source.title if source else name.replace("_", " ").capitalize()
        examples.append(Example(name, title, load_example(name).description, f))
    return examples


def load_example(name: str) -> GraphDocument:
    """The example called ``name`` (a file name without ``.gradviz``)."""
    f = _folder().joinpath(name + SUFFIX)
    if "/" in name or os.sep in name or not f.is_file():
        known = ", ".join(sorted(e.name[:-len(SUFFIX)] for e in _folder().iterdir()
                                 if e.name.endswith(SUFFIX)))
        raise DocumentError(f"there is no example called {name!r} (examples: {known})")
    return loads(f.read_text(encoding="utf-8"), where=f"example {name}")


def example_document(name: str) -> GraphDocument:
    """The document the generator makes for ``name`` (what its file should hold)."""
    s = _BY_NAME[name]
    return GraphDocument(graph_from_value(s.build()), s.description, {}, s.program)


def write_examples(folder: str | os.PathLike) -> list[Path]:
    """Regenerate every example file into ``folder`` (run when an example changes)."""
    paths = []
    for s in _SOURCES:
        path = Path(folder) / (s.name + SUFFIX)
        write(path, example_document(s.name))
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in write_examples(Path(__file__).parents[2] / "resources" / "examples"):
        print(p)
