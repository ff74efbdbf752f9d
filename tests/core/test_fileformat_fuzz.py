"""Whatever a .gradviz file holds, loading it gives a document or a DocumentError, never a crash.

Hypothesis mutates a valid document field by field (wrong types, missing keys, huge
numbers, NaN, deep nesting), structurally (duplicate ids, dangling edges, cycles, many
nodes) and as raw text and bytes. Every document that does load must save and load back
unchanged. Example counts: 400 + 200 + 300 + 150 (about 10 s on one core).
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradviz.core.errors import DocumentError
from gradviz.core.examples import load_example
from gradviz.core.fileformat import GraphDocument, dumps, loads, read

BASE_TEXT = dumps(load_example("micrograd_more_ops"))
BASE = json.loads(BASE_TEXT)
DEEP = "@@DEEP@@"  # replaced in the text by deeply nested brackets

FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None,
                derandomize=True)


def paths(obj, prefix=()) -> list[tuple]:
    """Every place in a JSON value: a tuple of keys and indices."""
    found = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            found += paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            found += paths(v, prefix + (i,))
    return found


PLACES = paths(BASE)[1:]

nasty = st.one_of(
    st.none(), st.booleans(), st.integers(),
    st.integers(min_value=10**300, max_value=10**320),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.sampled_from(["", "a", "add", "tanh", "input", "op", "const",
                                           "gradviz", "k4", "g₁"]),
    st.lists(st.one_of(st.integers(), st.floats(), st.text(max_size=3)), max_size=4),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=3),
    st.just(DEEP),
)


def check(text: str) -> None:
    """The property: a document (which then round-trips) or a DocumentError."""
    try:
        doc = loads(text)
    except DocumentError as err:
        assert err.message
        return
    assert isinstance(doc, GraphDocument)
    again = loads(dumps(doc))
    assert again.graph == doc.graph and again.view == doc.view
    assert again.description == doc.description and again.program == doc.program


def render(data, depth: int) -> str:
    text = json.dumps(data, ensure_ascii=False)  # writes NaN and Infinity as JSON5 does
    return text.replace(json.dumps(DEEP), "[" * depth + "]" * depth)


def at(data, place: tuple):
    for key in place:
        data = data[key]
    return data


@settings(FAST, max_examples=400)
@given(place=st.sampled_from(PLACES), action=st.sampled_from(["replace", "delete", "add"]),
       value=nasty, depth=st.sampled_from([3, 900, 5_000, 200_000]))
def test_field_mutations_load_or_raise_document_error(place, action, value, depth):
    data = json.loads(BASE_TEXT)
    parent, key = at(data, place[:-1]), place[-1]
    if action == "replace":
        parent[key] = value
    elif action == "delete":
        del parent[key]
    elif isinstance(parent, dict):
        parent[f"{key}x"] = value
    else:
        parent.insert(key, value)
    check(render(data, depth))


@settings(FAST, max_examples=200)
@given(data=st.data())
def test_structural_mutations_load_or_raise_document_error(data):
    doc = json.loads(BASE_TEXT)
    nodes, edges = doc["nodes"], doc["edges"]
    ids = [n["id"] for n in nodes]
    for _ in range(data.draw(st.integers(1, 3))):
        kind = data.draw(st.sampled_from(["duplicate_id", "dangling", "cycle", "rewire",
                                          "many_nodes", "drop_node", "shuffle"]))
        if kind == "duplicate_id" and len(nodes) > 1:
            i, j = data.draw(st.lists(st.integers(0, len(nodes) - 1), min_size=2, max_size=2,
                                      unique=True))
            nodes[j]["id"] = nodes[i]["id"]
        elif kind == "dangling" and edges:
            e = data.draw(st.sampled_from(edges))
            e[data.draw(st.sampled_from(["source", "target"]))] = data.draw(st.text(max_size=3))
        elif kind in ("cycle", "rewire"):
            # An edge from a later node into an earlier one closes a loop when it can.
            i, j = sorted(data.draw(st.lists(st.integers(0, len(ids) - 1), min_size=2,
                                             max_size=2)))
            source, target = (ids[j], ids[i]) if kind == "cycle" else (ids[i], ids[j])
            edges.append({"source": source, "target": target,
                          "port": data.draw(st.integers(-1, 2))})
        elif kind == "many_nodes":
            n = data.draw(st.integers(1, 3000))
            nodes += [{"id": f"x{i}", "kind": "input", "label": f"x{i}", "value": i}
                      for i in range(n)]
        elif kind == "drop_node" and nodes:
            nodes.pop(data.draw(st.integers(0, len(nodes) - 1)))
        elif kind == "shuffle":
            data.draw(st.randoms()).shuffle(data.draw(st.sampled_from([nodes, edges])))
    check(json.dumps(doc, ensure_ascii=False))


@settings(FAST, max_examples=300)
@given(edits=st.lists(st.tuples(st.integers(0, len(BASE_TEXT)), st.integers(0, 8),
                                st.text(max_size=4)), min_size=1, max_size=4))
def test_text_mutations_load_or_raise_document_error(edits):
    text = BASE_TEXT
    for pos, cut, insert in edits:
        text = text[:pos] + insert + text[pos + cut:]
    check(text)


FOLDER = Path(tempfile.mkdtemp(prefix="gradviz-fuzz-"))


@settings(FAST, max_examples=150)
@given(raw=st.one_of(st.binary(max_size=200),
                     st.tuples(st.integers(0, len(BASE_TEXT)), st.binary(min_size=1, max_size=3))
                     .map(lambda t: BASE_TEXT.encode()[:t[0]] + t[1] + BASE_TEXT.encode()[t[0]:])))
def test_any_bytes_in_a_file_load_or_raise_document_error(raw):
    path = FOLDER / "fuzz.gradviz"
    path.write_bytes(raw)
    try:
        read(path)
    except DocumentError as err:
        assert err.where.startswith(str(path))
    assert path.read_bytes() == raw
