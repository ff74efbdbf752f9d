"""The .gradviz format: round trips keep every number, broken files are refused with a place."""
from __future__ import annotations

import copy
import json
import math
import os

import pytest

from gradviz.core import fileformat
from gradviz.core.errors import DocumentError, GraphError
from gradviz.core.evaluation import evaluate
from gradviz.core.fileformat import GraphDocument, dumps, loads, read, write
from gradviz.core.graph import Graph


def notebook_graph() -> Graph:
    """e = (a + b) * (b + 1) with pinned positions, as a lecturer might save it."""
    g = Graph()
    a = g.add_input("a", 2, id="a", pos=(0, 0))
    b = g.add_input("b", 3.0, id="b", pos=(0, 120.5))
    c = g.add_op("add", "c", id="c", pos=(200, 0), auto=True)
    one = g.add_constant(1, id="k1")
    d = g.add_op("add", "d", id="d", auto=True)
    e = g.add_op("mul", "e", id="e", pos=(400, -60.25))
    for src, dst, port in ((a, c, 0), (b, c, 1), (b, d, 0), (one, d, 1), (c, e, 0), (d, e, 1)):
        g.connect(src, dst, port)
    g.output = e
    return g


def notebook_doc() -> GraphDocument:
    return GraphDocument(notebook_graph(), "the notebook's example",
                         {"theme": "dark", "step": 7, "zoom": 1.25, "center": [3, 4.5],
                          "fullscreen": False, "note": None},
                         "a = 2\nb = 3\ne = (a + b) * (b + 1)\n")


def base() -> dict:
    return json.loads(dumps(notebook_doc()))


def refused(data_or_text, where: str, *words: str) -> DocumentError:
    text = data_or_text if isinstance(data_or_text, str) else json.dumps(data_or_text)
    with pytest.raises(DocumentError) as info:
        loads(text)
    err = info.value
    assert err.where == where, str(err)
    for word in words:
        assert word in err.message, err.message
    return err


# --- round trips ------------------------------------------------------------------------
def test_round_trip_keeps_ids_labels_values_positions_edges_output_and_view(tmp_path):
    doc = notebook_doc()
    path = tmp_path / "lecture.gradviz"
    write(path, doc)
    again = read(path)
    assert again.graph == doc.graph  # ids, attributes, node order, edges, output
    assert again.description == doc.description
    assert again.view == doc.view
    assert again.program == doc.program
    assert [n.pos for n in again.graph.nodes()] == [n.pos for n in doc.graph.nodes()]
    assert type(again.graph.node("a").value) is int  # 2 stays 2, not 2.0
    before, after = evaluate(doc.graph), evaluate(again.graph)
    assert before.values == after.values and before.grads == after.grads
    assert after.value == 20 and after.input_grads() == {"a": 4, "b": 9}
    write(path, again)
    assert read(path) == again
    assert dumps(again) == path.read_text(encoding="utf-8")


def test_awkward_numbers_and_labels_survive_exactly(tmp_path):
    g = Graph()
    x = g.add_input("x₁ ünïcode \"quoted\"", 0.1 + 0.2, id="x")
    y = g.add_input("y", -1.2345678901234567e-300, id="y")
    z = g.add_op("mul", "z", id="z")
    g.connect(x, z, 0)
    g.connect(y, z, 1)
    doc = GraphDocument(g, "line one ∂", {}, None)
    path = tmp_path / "awkward.gradviz"
    write(path, doc)
    again = read(path)
    assert again.graph.node("x").value == 0.1 + 0.2
    assert again.graph.node("y").value == -1.2345678901234567e-300
    assert again.graph.node("x").label == "x₁ ünïcode \"quoted\""
    assert again.program is None and "program" not in json.loads(path.read_text("utf-8"))
    assert evaluate(again.graph).value == evaluate(g).value


def test_unfinished_graph_loads_but_cannot_be_evaluated():
    data = base()
    data["edges"] = [e for e in data["edges"] if e["target"] != "d"]
    doc = loads(json.dumps(data))
    assert doc.graph.operands("d") == [None, None]
    with pytest.raises(GraphError, match="nothing connected"):
        evaluate(doc.graph)


def test_optional_fields_have_defaults():
    data = base()
    for key in ("description", "view", "output", "program"):
        del data[key]
    for node in data["nodes"]:
        del node["pos"], node["auto"]
    doc = loads(json.dumps(data))
    assert doc.description == "" and doc.view == {} and doc.program is None
    assert evaluate(doc.graph).value == 20


def test_byte_order_mark_is_tolerated(tmp_path):
    path = tmp_path / "bom.gradviz"
    path.write_bytes(b"\xef\xbb\xbf" + dumps(notebook_doc()).encode())
    assert read(path).graph == notebook_graph()


# --- broken documents -------------------------------------------------------------------
def test_not_json_names_line_and_column():
    err = refused('{\n  "format": "gradviz",\n  oops\n}', "line 3, column 3", "not valid JSON")
    assert str(err).startswith("line 3, column 3: ")


def test_not_an_object():
    refused("[1, 2]", "", "JSON object", "a list")


@pytest.mark.parametrize("fmt, words", [("graphviz", ['"graphviz"']), (1, ["1"])])
def test_wrong_format(fmt, words):
    data = base()
    data["format"] = fmt
    refused(data, "format", "not a gradviz document", *words)


def test_missing_format():
    data = base()
    del data["format"]
    refused(data, "format", "not a gradviz document")


def test_unknown_version_is_refused_clearly():
    data = base()
    data["version"] = 7
    err = refused(data, "version")
    assert err.message == "this file is gradviz format version 7; this gradviz reads version 1"


@pytest.mark.parametrize("version", ["1", 1.0, True, None])
def test_version_of_wrong_type(version):
    data = base()
    data["version"] = version
    refused(data, "version", "whole number")


CASES = [
    # (what to do with the document, where, words in the message)
    (lambda d: d.pop("nodes"), "nodes", ["missing"]),
    (lambda d: d.pop("version"), "version", ["missing"]),
    (lambda d: d["nodes"][0].pop("label"), "nodes[0].label", ["missing"]),
    (lambda d: d["nodes"][0].pop("id"), "nodes[0].id", ["missing"]),
    (lambda d: d["nodes"][0].pop("value"), "nodes[0].value", ["missing"]),
    (lambda d: d["nodes"][2].pop("op"), "nodes[2].op", ["missing"]),
    (lambda d: d["edges"][1].pop("port"), "edges[1].port", ["missing"]),
    (lambda d: d.update(nodes={}), "nodes", ["a list", "an object"]),
    (lambda d: d.update(edges="none"), "edges", ["a list"]),
    (lambda d: d.update(description=3), "description", ["a string"]),
    (lambda d: d.update(program=["a"]), "program", ["a string"]),
    (lambda d: d["nodes"].__setitem__(1, [1, 2]), "nodes[1]", ["JSON object"]),
    (lambda d: d["edges"].__setitem__(2, "a->c"), "edges[2]", ["JSON object"]),
    (lambda d: d["nodes"][0].update(label=5), "nodes[0].label", ["a string", "5"]),
    (lambda d: d["nodes"][2].update(auto="yes"), "nodes[2].auto", ["true or false"]),
    (lambda d: d["nodes"][3].update(id=""), "nodes[3].id", ["non-empty string"]),
    (lambda d: d["nodes"][3].update(id=4), "nodes[3].id", ["non-empty string"]),
    (lambda d: d["nodes"][1].update(id="a"), "nodes[1].id", ["'a'", "used already by nodes[0]"]),
    (lambda d: d["nodes"][2].update(op="ad"), "nodes[2].op", ["unknown operation 'ad'", "'add'"]),
    (lambda d: d["nodes"][2].update(op="tan"), "nodes[2].op", ["'tanh'"]),
    (lambda d: d["nodes"][2].update(op="*"), "nodes[2].op", ["did you mean 'mul'"]),
    (lambda d: d["nodes"][2].update(op=None), "nodes[2].op", ["operation id", "null"]),
    (lambda d: d["nodes"][0].update(kind="variable"), "nodes[0].kind", ["'input'", '"variable"']),
    (lambda d: d["nodes"][0].update(op="add"), "nodes[0].op", ["only operations"]),
    (lambda d: d["nodes"][2].update(value=5), "nodes[2].value", ["computed"]),
    (lambda d: d["nodes"][0].update(vale=2), "nodes[0].vale", ["unknown field", "'value'"]),
    (lambda d: d.update(descripton="x"), "descripton", ["did you mean 'description'"]),
    (lambda d: d["edges"][0].update(weight=1), "edges[0].weight", ["unknown field"]),
    (lambda d: d["edges"][1].update(target="zz"), "edges[1].target", ["no node", "'zz'"]),
    (lambda d: d["edges"][0].update(source="zz"), "edges[0].source", ["no node", "'zz'"]),
    (lambda d: d["edges"][0].update(source=None), "edges[0].source", ["node id"]),
    (lambda d: d["edges"][0].update(port=2), "edges[0].port", ["'c'", "0 to 1, not 2"]),
    (lambda d: d["edges"][0].update(port=-1), "edges[0].port", ["not -1"]),
    (lambda d: d["edges"][0].update(port="0"), "edges[0].port", ["whole number"]),
    (lambda d: d["edges"][0].update(port=True), "edges[0].port", ["whole number"]),
    (lambda d: d["edges"][0].update(port=0.0), "edges[0].port", ["whole number"]),
    (lambda d: d["edges"][1].update(port=0), "edges[1].port", ["fed already by edges[0]"]),
    (lambda d: d["edges"][0].update(target="a"), "edges[0].target", ["'a' is an input"]),
    (lambda d: d["edges"][0].update(target="k1"), "edges[0].target", ["a constant"]),
    (lambda d: d["edges"].append({"source": "c", "target": "c", "port": 0}) or
     d["edges"].pop(0), "edges[5]", ["its own result"]),
    (lambda d: d.update(output="zz"), "output", ["no node", "'zz'"]),
    (lambda d: d.update(output=3), "output", ["node id"]),
    (lambda d: d.update(view=[1]), "view", ["JSON object"]),
    (lambda d: d["view"].update(inner={"a": 1}), "view.inner", ["an object"]),
    (lambda d: d["view"].update(deep=[[1]]), "view.deep", ["a list"]),
]


@pytest.mark.parametrize("mutate, where, words", CASES,
                         ids=[f"{w}-{i}" for i, (_, w, _) in enumerate(CASES)])
def test_broken_document_is_refused_with_its_place(mutate, where, words):
    data = base()
    mutate(data)
    refused(data, where, *words)


def test_cycle_is_refused_naming_its_edges():
    data = base()
    # e feeds back into the empty-able port of c: c -> e -> c.
    data["edges"] = [e for e in data["edges"] if not (e["target"] == "c" and e["port"] == 0)]
    data["edges"].append({"source": "e", "target": "c", "port": 0})
    err = refused(data, "edges[5]", "cycle")
    assert "c → e → c" in err.message or "e → c → e" in err.message


@pytest.mark.parametrize("raw, words", [
    ("NaN", ["NaN"]), ("Infinity", ["Infinity"]), ("-Infinity", ["-Infinity"]),
    ("1e400", ["Infinity"]), ("1" + "0" * 400, ["too large"]), ('"2"', ['the string "2"']),
    ("true", ["true"]), ("null", ["null"]), ("[2]", ["a list"]),
])
def test_values_must_be_finite_numbers(raw, words):
    text = dumps(notebook_doc()).replace('"value": 2,', f'"value": {raw},', 1)
    refused(text, "nodes[0].value", *words)


@pytest.mark.parametrize("pos, where", [
    ("[1]", "nodes[0].pos"), ("[1, 2, 3]", "nodes[0].pos"), ('"1,2"', "nodes[0].pos"),
    ('{"x": 1, "y": 2}', "nodes[0].pos"), ('[1, "2"]', "nodes[0].pos[1]"),
    ("[NaN, 0]", "nodes[0].pos[0]"), ("[0, 1e999]", "nodes[0].pos[1]"),
    ("[true, 0]", "nodes[0].pos[0]"),
])
def test_positions_must_be_two_finite_numbers(pos, where):
    text = dumps(notebook_doc()).replace('"pos": [0, 0]', f'"pos": {pos}', 1)
    refused(text, where)


def test_view_values_must_be_finite():
    text = dumps(notebook_doc()).replace('"zoom": 1.25', '"zoom": NaN')
    refused(text, "view.zoom", "NaN")


@pytest.mark.parametrize("depth", [100_000, 3_000])
def test_deep_nesting_is_refused_not_crashed(depth):
    with pytest.raises(DocumentError):
        loads("[" * depth + "]" * depth)
    text = dumps(notebook_doc()).replace('"note": null', '"note": ' + "[" * depth + "]" * depth)
    with pytest.raises(DocumentError):
        loads(text)


def test_text_over_the_size_limit_is_refused():
    text = dumps(notebook_doc()).replace('"theme"', " " * fileformat.MAX_BYTES + '"theme"')
    refused(text, "", "larger than 20 MB")


# --- files ------------------------------------------------------------------------------
def test_errors_from_a_file_name_the_file(tmp_path):
    data = base()
    data["nodes"][2]["op"] = "ad"
    path = tmp_path / "broken.gradviz"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DocumentError) as info:
        read(path)
    assert info.value.where == f"{path}, nodes[2].op"
    assert str(info.value).startswith(f"{path}, nodes[2].op: unknown operation 'ad'")


def test_missing_file_and_folder_get_clear_messages(tmp_path):
    with pytest.raises(DocumentError, match="no such file") as info:
        read(tmp_path / "nope.gradviz")
    assert info.value.where == str(tmp_path / "nope.gradviz")
    with pytest.raises(DocumentError, match="folder"):
        read(tmp_path)


def test_non_utf8_bytes_are_refused(tmp_path):
    path = tmp_path / "latin1.gradviz"
    path.write_bytes(dumps(notebook_doc()).replace("notebook's", "caf\u00e9").encode("latin-1"))
    with pytest.raises(DocumentError, match="not UTF-8") as info:
        read(path)
    assert info.value.where == str(path)


def test_huge_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.gradviz"
    with open(path, "wb") as f:
        f.truncate(fileformat.MAX_BYTES + 1024 * 1024)  # sparse: costs no disk
    def never(*args, **kwargs):
        raise AssertionError("the file was opened")
    monkeypatch.setattr(fileformat, "open", never, raising=False)
    with pytest.raises(DocumentError, match="21 MB; gradviz opens files up to 20 MB"):
        read(path)


@pytest.mark.parametrize("broken", [False, True])
def test_reading_never_modifies_the_file(tmp_path, broken):
    text = dumps(notebook_doc())
    if broken:
        text = text.replace('"mul"', '"multiply!"')
    path = tmp_path / "lecture.gradviz"
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    try:
        read(path)
    except DocumentError:
        assert broken
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(os.listdir(tmp_path)) == ["lecture.gradviz"]


# --- atomic saving ----------------------------------------------------------------------
@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "lecture.gradviz"
    write(path, notebook_doc())
    os.chmod(path, 0o640)
    return path, path.read_bytes()


def changed_doc() -> GraphDocument:
    g = notebook_graph()
    g.set_attrs("a", value=-5)
    return GraphDocument(g, "changed")


@pytest.mark.parametrize("failing", ["fsync", "replace", "chmod"])
def test_failed_save_leaves_the_old_file_and_no_temporary(saved, monkeypatch, failing):
    path, old = saved

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(DocumentError, match="cannot save: No space left on device") as info:
        write(path, changed_doc())
    monkeypatch.undo()
    assert info.value.where == str(path)
    assert path.read_bytes() == old
    assert os.listdir(path.parent) == [path.name]
    assert read(path).graph == notebook_graph()


def test_interrupted_save_leaves_the_old_file(saved, monkeypatch):
    path, old = saved

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write(path, changed_doc())
    monkeypatch.undo()
    assert path.read_bytes() == old
    assert os.listdir(path.parent) == [path.name]


@pytest.mark.parametrize("value, where", [(math.nan, "nodes[0].value"),
                                          (None, "nodes[0].value"), ("2", "nodes[0].value")])
def test_unsavable_document_is_refused_before_the_disk_is_touched(saved, value, where):
    path, old = saved
    g = notebook_graph()
    g.set_attrs("a", value=value)
    with pytest.raises(DocumentError, match="cannot save this document") as info:
        write(path, GraphDocument(g))
    assert info.value.where == where
    assert path.read_bytes() == old
    assert os.listdir(path.parent) == [path.name]


def test_unsavable_view_is_refused(saved):
    path, old = saved
    with pytest.raises(DocumentError, match="cannot save") as info:
        write(path, GraphDocument(notebook_graph(), view={"font": object()}))
    assert info.value.where == "view.font"
    assert path.read_bytes() == old


def test_save_replaces_and_keeps_permissions(saved):
    path, _ = saved
    write(path, changed_doc())
    assert read(path).graph.node("a").value == -5
    assert (path.stat().st_mode & 0o777) == 0o640
    assert os.listdir(path.parent) == [path.name]


def test_saving_a_document_does_not_change_it():
    doc = notebook_doc()
    snapshot = copy.deepcopy(doc.view), doc.graph.copy()
    dumps(doc)
    assert (doc.view, doc.graph) == snapshot


def test_large_graph_loads_quickly():
    g = Graph()
    prev = g.add_input("x", 0.5, id="x")
    for i in range(5_000):
        nxt = g.add_op("sin", f"s{i}", id=f"s{i}")
        g.connect(prev, nxt, 0)
        prev = nxt
    text = dumps(GraphDocument(g))
    doc = loads(text)
    assert len(doc.graph) == 5_001 and doc.graph == g


def test_view_names_must_be_strings(saved):
    path, old = saved
    with pytest.raises(DocumentError, match="named by strings") as info:
        write(path, GraphDocument(notebook_graph(), view={3: "three"}))
    assert info.value.where == "view"
    assert path.read_bytes() == old


def test_program_text_that_disagrees_with_the_nodes_is_dropped():
    from gradviz.core.document import GraphDocument
    from gradviz.core.fileformat import dumps, loads
    from gradviz.core.language import parse

    graph = parse("a = 2\nb = 3\ne = (a + b) * (b + 1)\n")
    text = dumps(GraphDocument(graph, "", {}, "x = 7\ny = x * x\n"))
    assert loads(text).program is None
    kept = dumps(GraphDocument(graph, "", {}, "a = 2\nb = 3\ne = (a + b) * (b + 1)\n"))
    assert loads(kept).program.startswith("a = 2")


def test_shipped_examples_read_and_write_back_unchanged_groups_or_not():
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "resources" / "examples"
    paths = sorted(folder.glob("*.gradviz"))
    assert paths
    grouped = []
    for path in paths:
        doc = read(path)
        assert "collapsed" not in doc.view  # every example opens with its groups open
        if doc.graph.groups():
            grouped.append(path.stem)
        else:  # a file from before groups holds no trace of them
            assert '"groups"' not in path.read_text(encoding="utf-8")
        assert dumps(doc) == path.read_text(encoding="utf-8"), path.name
    assert grouped == ["mlp_2_2_1"]  # its neuron(...) is called twice


def test_large_grouped_graph_loads_quickly():
    g = Graph()
    prev = g.add_input("x", 0.5, id="x")
    for i in range(1_000):  # a thousand groups of five nodes each
        group = g.add_group(f"block {i}")
        for j in range(5):
            nxt = g.add_op("sin", f"s{i}_{j}", id=f"s{i}_{j}", group=group)
            g.connect(prev, nxt, 0)
            prev = nxt
    doc = GraphDocument(g, view={"collapsed": ["g1", "g1000"]})
    again = loads(dumps(doc))
    assert again == doc and len(again.graph.groups()) == 1_000


def test_a_group_in_a_node_of_a_file_without_groups_is_refused():
    data = base()
    data["nodes"][0]["group"] = "g1"
    refused(data, "nodes[0].group", "no group 'g1'", "no groups")
