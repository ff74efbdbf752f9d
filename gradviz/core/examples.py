"""The example graphs shipped with gradviz, and the programs they were made from.

The examples are .gradviz files in ``gradviz.resources/examples``. Each is generated from
its program text below (`write_examples`) by the language's `parse`, so the graph in the
file is exactly what the editor makes of the stored ``program``: editing the text in the
app keeps every auto name. A test regenerates them and compares.
"""
from __future__ import annotations

import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .errors import DocumentError

if TYPE_CHECKING:  # documents are read when an example is opened, not at start-up
    from .document import GraphDocument

SUFFIX = ".gradviz"


class Example(NamedTuple):
    """One shipped example: ``name`` is its file name without ``.gradviz``."""

    name: str
    title: str
    description: str
    path: Traversable


class _Source(NamedTuple):
    name: str
    title: str
    description: str
    program: str
    fixed: tuple[str, ...] = ()
    """The inputs that descent holds fixed (the data and the targets)."""
    rate: float | None = None
    """A learning rate that descends well, when the example is made for descent."""


_SOURCES: tuple[_Source, ...] = (
    _Source("notebook", "The notebook's example",
            "e = (a + b) * (b + 1) at a = 2, b = 3: b fans out, so ∂e/∂b = 4 + 5 = 9",
            "a = 2\nb = 3\ne = (a + b) * (b + 1)\n"),
    _Source("micrograd_sanity_check", "micrograd: sanity check",
            "micrograd's test_sanity_check, as written there: x = -4 through mul, add, relu",
            """\
x = Value(-4.0)
z = 2 * x + 2 + x
q = z.relu() + z * x
h = (z * z).relu()
y = h + q + q * x
y.backward()
"""),
    _Source("micrograd_more_ops", "micrograd: more ops",
            "micrograd's test_more_ops, as written there: add, mul, pow, sub, div, relu, neg",
            """\
a = Value(-4.0)
b = Value(2.0)
c = a + b
d = a * b + b**3
c += c + 1
c += 1 + c + (-a)
d += d * 2 + (b + a).relu()
d += 3 * d + (b - a).relu()
e = c - d
f = e**2
g = f / 2.0
g += 10.0 / f
g.backward()
"""),
    _Source("neuron", "A tanh neuron",
            "The neuron of micrograd's lecture: o = tanh(x1·w1 + x2·w2 + b), o ≈ 0.7071",
            "x1 = 2\nx2 = 0\nw1 = -3\nw2 = 1\nb = 6.8813735870195432\n"
            "n = x1 * w1 + x2 * w2 + b\no = tanh(n)\n", fixed=("x1", "x2")),
    _Source("logistic_regression", "Logistic regression loss",
            "The cross-entropy loss of one logistic-regression prediction p = σ(w·x + b)",
            "w = -0.5\nx = 1.5\nb = 0.25\ny = 1\nz = w * x + b\np = sigmoid(z)\n"
            "loss = -(y * log(p) + (1 - y) * log(1 - p))\n", fixed=("x", "y"), rate=0.5),
    _Source("linear_regression", "Fitting a line",
            "The squared error of a line w·x + b through three points: descent moves w and "
            "b, the data x and y stay",
            "w = 0\nb = 0\nx1 = 0\ny1 = 1\nx2 = 1\ny2 = 3\nx3 = 2\ny3 = 5\n"
            "e1 = w * x1 + b - y1\ne2 = w * x2 + b - y2\ne3 = w * x3 + b - y3\n"
            "loss = e1 ** 2 + e2 ** 2 + e3 ** 2\n",
            fixed=("x1", "y1", "x2", "y2", "x3", "y3"), rate=0.05),
    _Source("mlp_2_2_1", "A 2-2-1 network",
            "The squared error of a tiny network: two inputs, two tanh units, one output",
            "x1 = 1\nx2 = -2\ny = 0.5\nw11 = 0.3\nw12 = -0.1\nb1 = 0.2\n"
            "w21 = -0.4\nw22 = 0.25\nb2 = 0.1\nv1 = 0.7\nv2 = -0.6\nc = 0.05\n"
            "h1 = tanh(w11 * x1 + w12 * x2 + b1)\nh2 = tanh(w21 * x1 + w22 * x2 + b2)\n"
            "out = v1 * h1 + v2 * h2 + c\nloss = (out - y) ** 2\n", fixed=("x1", "x2", "y"),
            rate=0.2),
    _Source("square", "A value used twice",
            "b = a * a: two edges from a into one node, so ∂b/∂a = 3 + 3 = 6",
            "a = 3\nb = a * a\n"),
    _Source("forward_vs_reverse", "Forward vs reverse",
            "f = x1·x2 + x3·x4 at (2, 3, 4, 5): forward mode needs one pass per input "
            "(four) for ∂f/∂x = 3, 2, 5, 4; reverse mode gets all four in one",
            "x1 = 2\nx2 = 3\nx3 = 4\nx4 = 5\nf = x1 * x2 + x3 * x4\n"),
    _Source("trig_identity", "sin² + cos²",
            "y = sin(x)² + cos(x)² is always 1, so its gradient is 0: two paths cancel",
            "x = 0.7\ny = sin(x) ** 2 + cos(x) ** 2\n"),
)
_BY_NAME = {s.name: s for s in _SOURCES}


NOTEBOOK = _SOURCES[0]
"""The notebook's example (what plain ``gradviz`` opens): name, title, description, program."""


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
    from .fileformat import loads  # JSON, read when an example is opened

    return loads(f.read_text(encoding="utf-8"), where=f"example {name}")


def example_document(name: str) -> GraphDocument:
    """The document the generator makes for ``name`` (what its file should hold)."""
    from .document import FIXED, RATE, GraphDocument
    from .language import parse

    s = _BY_NAME[name]
    graph = parse(s.program)
    view: dict = {}
    if s.fixed:
        view[FIXED] = [graph.by_label(label) for label in s.fixed]
    if s.rate is not None:
        view[RATE] = s.rate
    return GraphDocument(graph, s.description, view, s.program)


def write_examples(folder: str | os.PathLike) -> list[Path]:
    """Regenerate every example file into ``folder`` (run when an example changes)."""
    from .fileformat import write

    paths = []
    for s in _SOURCES:
        path = Path(folder) / (s.name + SUFFIX)
        write(path, example_document(s.name))
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in write_examples(Path(__file__).parents[2] / "resources" / "examples"):
        print(p)
