"""Graphs of values made by another engine: micrograd's ``Value`` and its look-alikes.

Any object with ``data``, ``grad``, ``_prev`` (the values it was made from, a set in
micrograd) and ``_op`` (a string: ``+``, ``*``, ``**2``, ``ReLU``, ``tanh``, ``exp`` …)
is read, and an optional ``label`` (the lecture version of micrograd has one) names its
node. The graph is the one the other engine built: micrograd's ``a - b`` is ``a + b * -1``
with the ``-1`` a leaf of its own, and every leaf is an input, with a gradient.

An operation gradviz does not know (or one whose recorded result is not what gradviz's
operation of that name gives) is kept as a *recorded* operation: the value and the local
derivatives the other engine had, measured by running its own ``_backward`` once with a
unit gradient. It is drawn as a group named after the operation, holding the exact
tangent ``y0 + d·(x − x0)`` (``x0``, ``d``, ``y0`` constants): at the recorded inputs
its value is exactly ``y0`` and its local derivatives exactly ``d``, so the forward and
backward passes and every explanation are gradviz's own, over operations it knows.
Collapsed, the group is one box with those values (`recorded_groups`).

The walk is iterative and bounded by `MAX_NODES`, so a deep chain needs no recursion.
"""
from __future__ import annotations

import math

from .graph import Graph, is_finite_number
from .naming import value_names
from .ops import OPS, Op

MAX_NODES = 200_000
"""The most values one graph is read with (the app and the exports are made for far
fewer; a bigger graph is refused with a clear message rather than filling memory)."""

RECORDED = " (recorded)"
"""How the name of a recorded operation's group ends."""

_NAMES: dict[str, str] = {(op.infix or op.function or op.id): op.id for op in OPS.values()}
"""micrograd's ``_op`` strings (lower-cased) and gradviz's op ids: micrograd writes an
operation by its operator (``+``, ``**`` before the exponent) or its function's name
(``ReLU``, ``tanh``); the prefix minus, which has neither, goes by its id (``neg``)."""


def is_foreign_value(obj) -> bool:
    """Whether ``obj`` looks like a micrograd value: ``data``, ``grad``, ``_prev`` and a
    string ``_op``."""
    return (all(hasattr(obj, name) for name in ("data", "grad", "_prev"))
            and isinstance(getattr(obj, "_op", None), str))


def graph_from_foreign(root) -> Graph:
    return read_foreign(root)[0]


def read_foreign(root) -> tuple[Graph, dict[str, object]]:
    """The graph of everything the micrograd-like value ``root`` depends on.

    Nodes are named by ``label`` where the value has one, else by the rule of
    `naming.value_names`, in the order a depth-first walk from the output meets them (a,
    b … for the inputs, then c, d … or ``o_a`` …). Raises TypeError for a value whose
    ``data`` is not a real number or whose ``_prev`` holds something else, and for a
    graph of more than `MAX_NODES` values.

    >>> from micrograd.engine import Value  # doctest: +SKIP
    >>> a, b = Value(2.0), Value(3.0)  # doctest: +SKIP
    >>> graph_from_foreign(a * b - a).output  # doctest: +SKIP
    'f'

    `read_foreign` also gives the other engine's leaf of each input node (by node id).
    """
    order, kids = _postorder(root)
    names = _names(order, kids)
    graph = Graph()
    ids: dict[int, str] = {}
    values: dict[int, float] = {}  # what gradviz's forward pass will give each value

    def new_id(label: str) -> str:
        return label if label not in graph else graph.new_id(label + "_")

    for v in order:
        children = kids[id(v)]
        if not all(id(c) in ids for c in children):
            raise TypeError("the values form a cycle (one is made from itself)")
        given = _label(v)
        label, auto = (given, False) if given else (names[id(v)], True)
        if not children:
            values[id(v)] = _number(v.data)
            ids[id(v)] = graph.add_input(label, values[id(v)], id=new_id(label), auto=auto)
            continue
        known = _known(v, children)
        if known is None:
            values[id(v)] = _number(v.data)
            ids[id(v)] = _add_recorded(graph, v, children, ids, values, label, auto, new_id)
            continue
        op, operands = known
        values[id(v)] = op.forward(*(p if isinstance(p, float | int) else values[id(p)]
                                     for p in operands))
        node = ids[id(v)] = graph.add_op(op.id, label, id=new_id(label), auto=auto)
        for port, p in enumerate(operands):
            source = ids[id(p)] if not isinstance(p, float | int) else \
                graph.add_constant(p, id=graph.new_id("k"))
            graph.nx.add_edge(source, node, key=port)
    graph.output = ids[id(root)]
    leaves = {ids[id(v)]: v for v in order if not kids[id(v)]}
    return graph, leaves


def recorded_groups(graph: Graph) -> tuple[str, ...]:
    """The ids of the groups that stand for recorded operations (to draw collapsed)."""
    return tuple(g.id for g in graph.groups() if g.name.endswith(RECORDED))


def grads_that_differ(root, leaves: dict[str, object], graph: Graph,
                      grads: dict[str, float]) -> list[str]:
    """The labels of the inputs whose ``grad`` in the other engine is not the gradient
    gradviz computed (``grads`` by node id), when that engine's backward pass was run
    from ``root`` (its ``grad`` is 1); otherwise none. They differ when its gradients
    were accumulated over several passes, or come from a pass from another output.
    ``leaves`` is what `read_foreign` gives with ``graph``."""
    if _number(root.grad) != 1:
        return []
    return [graph.node(n).label for n, v in leaves.items()
            if not math.isclose(_number(v.grad), grads.get(n, 0), rel_tol=1e-9,
                                abs_tol=1e-12)]


# --- reading the other engine's values ----------------------------------------------
def _names(order: list, kids: dict[int, list]) -> dict[int, str]:
    """The name of every value (by ``id``; see `naming.value_names`)."""
    index = {id(v): i for i, v in enumerate(order)}
    consumers: list[list[int]] = [[] for _ in order]
    for i, v in enumerate(order):
        for c in kids[id(v)]:
            consumers[index[id(c)]].append(i)
    found = value_names([_label(v) or None for v in order],
                        [not kids[id(v)] for v in order], consumers)
    return {id(v): name for v, name in zip(order, found, strict=True)}


def _postorder(root) -> tuple[list, dict[int, list]]:
    """Every value ``root`` depends on, each after the values it was made from, and the
    children of each (by ``id``: the values stay alive in the list while it is used)."""
    order: list = []
    kids: dict[int, list] = {}
    stack: list = [(root, False)]
    while stack:
        v, expanded = stack.pop()
        if expanded:
            order.append(v)
            continue
        if id(v) in kids:
            continue
        if len(kids) >= MAX_NODES:
            raise TypeError(f"the graph has more than {MAX_NODES:,} values; gradviz reads "
                            "graphs up to that size")
        children = kids[id(v)] = _children(v)
        stack.append((v, True))
        for child in reversed(children):
            if id(child) not in kids:
                stack.append((child, False))
    return order, kids


def _children(v) -> list:
    """The distinct values ``v`` was made from: in their order where ``_prev`` has one (a
    tuple or list), else (micrograd's set) in one fixed order: computed values first,
    then by label."""
    prev = v._prev
    seen: set[int] = set()
    try:
        children = [c for c in prev if not (id(c) in seen or seen.add(id(c)))]
    except TypeError:
        raise TypeError(f"a value's _prev should hold the values it was made from, not "
                        f"{type(prev).__name__}") from None
    for c in children:
        if not is_foreign_value(c):
            raise TypeError(f"a value's _prev holds {type(c).__name__}, not a value")
    if len(children) > 1 and _unordered(v):
        children.sort(key=lambda c: (not c._prev, _label(c), id(c)))
    return children


def _unordered(v) -> bool:
    return isinstance(v._prev, set | frozenset)


def _label(v) -> str:
    label = getattr(v, "label", "")
    return label if isinstance(label, str) else ""


def _number(x) -> float | int:
    """``x`` as a Python number (numpy's and torch's scalars too); TypeError otherwise."""
    if is_finite_number(x) or isinstance(x, float):
        return x
    try:
        return float(x)
    except (TypeError, ValueError):
        raise TypeError(f"a value's data should be a number, not {type(x).__name__}") \
            from None


def _known(v, children: list) -> tuple[Op, tuple] | None:
    """gradviz's operation for ``v`` and its operands in port order (a number for a
    power's exponent), or None when it has none that gives ``v``'s recorded value."""
    text = v._op.strip()
    exponent = None
    if text.startswith("**") and len(text) > 2:
        exponent, text = _exponent(text[2:]), "**"
        if exponent is None:
            return None
    op = OPS.get(_NAMES.get(text.lower(), ""))
    if op is None:
        return None
    if exponent is not None:
        candidates = [(children[0], exponent)] if len(children) == 1 else []
    elif op.arity == 1:
        candidates = [(children[0],)] if len(children) == 1 else []
    elif len(children) == 1:  # a + a, a * a: micrograd's set holds a once
        candidates = [(children[0], children[0])]
    elif len(children) == 2:
        first, second = children
        candidates = [(first, second)] if op.commutative or not _unordered(v) else \
            [(first, second), (second, first)]
    else:
        return None
    matching = [c for c in candidates if _gives(op, c, v.data)]
    # A non-commutative operation whose operands could be either way round (a - b with
    # a = b) would have the wrong derivatives half the time: it is recorded instead.
    return (op, matching[0]) if len(matching) == 1 else None


def _exponent(text: str) -> float | int | None:
    for kind in (int, float):
        try:
            x = kind(text)
        except ValueError:
            continue
        return x if is_finite_number(x) else None
    return None


def _gives(op: Op, operands: tuple, data) -> bool:
    """Whether gradviz's ``op`` on these operands gives ``data`` (up to rounding)."""
    args = [p if isinstance(p, float | int) else _number(p.data) for p in operands]
    try:
        out = op.forward(*args)
        return math.isclose(out, _number(data), rel_tol=1e-9, abs_tol=1e-12)
    except (ArithmeticError, ValueError, TypeError):
        return False


# --- recorded operations ------------------------------------------------------------
def _add_recorded(graph: Graph, v, children: list, ids: dict[int, str],
                  values: dict[int, float], label: str, auto: bool, new_id) -> str:
    """``v`` as its exact tangent ``y0 + Σ dᵢ·(xᵢ − xᵢ₀)`` inside a group of its own; the
    node that gives ``y0`` is named ``label``. Each ``xᵢ₀`` is the value gradviz gives
    the input (``values``), which may differ from the other engine's in the last digit
    (its tanh is not Python's): so ``xᵢ − xᵢ₀`` is exactly 0."""
    partials = _local_derivatives(v, children)
    name = v._op.strip() or "op"
    group = graph.add_group(name + RECORDED)
    terms = []
    for child, d in zip(children, partials, strict=True):
        x0 = graph.add_constant(values[id(child)], id=graph.new_id("k"), group=group)
        shift = graph.add_op("sub", f"{label}_dx", id=new_id(f"{label}_dx"), group=group)
        graph.nx.add_edge(ids[id(child)], shift, key=0)
        graph.nx.add_edge(x0, shift, key=1)
        slope = graph.add_constant(d, id=graph.new_id("k"), group=group)
        term = graph.add_op("mul", f"{label}_dy", id=new_id(f"{label}_dy"), group=group)
        graph.nx.add_edge(slope, term, key=0)
        graph.nx.add_edge(shift, term, key=1)
        terms.append(term)
    total = graph.add_constant(_number(v.data), id=graph.new_id("k"), group=group)
    for i, term in enumerate(terms):
        last = i == len(terms) - 1
        node_label = label if last else f"{label}_sum{i + 1}"
        node = graph.add_op("add", node_label, id=new_id(node_label),
                            auto=auto and last, group=group)
        graph.nx.add_edge(total, node, key=0)
        graph.nx.add_edge(term, node, key=1)
        total = node
    return total


def _local_derivatives(v, children: list) -> list[float]:
    """d v / d child for each child, by the other engine's own ``_backward`` run once
    with ``v.grad = 1`` and the children's at 0; every ``grad`` is put back after."""
    backward = getattr(v, "_backward", None)
    if not callable(backward):
        raise TypeError(f"gradviz does not know the operation {v._op!r}, and the value has "
                        "no _backward to measure its derivatives with")
    saved = [(c, c.grad) for c in [v, *children]]
    try:
        for c in children:
            c.grad = 0
        v.grad = 1
        backward()
        partials = [_number(c.grad) for c in children]
    except Exception as exc:  # the other engine's code: any failure is reported as one
        raise TypeError(f"the operation {v._op!r} failed to give its derivatives: "
                        f"{exc}") from None
    finally:
        for c, g in saved:
            c.grad = g
    return partials

