"""Every input is reported, even when two share a name (a function called twice makes its
inputs twice); ``--set`` takes a name or an id and refuses a name two inputs share; and
``--set`` holds for every export, a .gradviz document too."""
from __future__ import annotations

import json

import pytest

from gradviz.cli import main
from gradviz.core import fileformat
from gradviz.core.graph import Graph


def twice(tmp_path):
    """e = x * x' where both inputs are named x (x = 2, x' = 3): de/dx = 3, de/dx' = 2."""
    g = Graph()
    g.add_input("x", 2.0, id="x")
    g.add_input("x", 3.0, id="x_2")
    g.add_op("mul", "e", id="e")
    g.connect("x", "e", 0)
    g.connect("x_2", "e", 1)
    g.output = "e"
    path = tmp_path / "twice.gradviz"
    fileformat.write(path, fileformat.GraphDocument(g))
    return str(path)


def grad(capsys, *args):
    code = main(["grad", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_grad_json_lists_every_input_and_keeps_repeated_names_apart(capsys, tmp_path):
    code, out, _ = grad(capsys, twice(tmp_path), "--json")
    doc = json.loads(out)
    assert code == 0 and doc["value"] == 6
    assert doc["inputs"] == [{"id": "x", "label": "x", "value": 2.0, "gradient": 3.0},
                             {"id": "x_2", "label": "x", "value": 3.0, "gradient": 2.0}]
    assert doc["grads"] == {"x#x": 3.0, "x#x_2": 2.0}


def test_grad_text_prints_both_inputs(capsys, tmp_path):
    _, out, _ = grad(capsys, twice(tmp_path))
    assert out.splitlines() == ["e = 6", "∂e/∂x#x = 3", "∂e/∂x#x_2 = 2"]


def test_set_by_id_sets_that_input_only(capsys, tmp_path):
    code, out, _ = grad(capsys, twice(tmp_path), "--set", "x_2=10", "--json")
    assert code == 0 and json.loads(out)["value"] == 20


def test_set_of_a_shared_name_is_refused_listing_the_ids(capsys, tmp_path):
    code, out, err = grad(capsys, twice(tmp_path), "--set", "x=10")
    assert code == 2 and out == ""
    assert err.strip() == ("gradviz: --set x: 2 inputs are named x (ids x, x_2); set one as "
                           "x#ID, e.g. --set x#x_2=10")
    code, out, _ = grad(capsys, twice(tmp_path), "--set", "x#x=10", "--json")
    assert code == 0 and json.loads(out)["value"] == 30


@pytest.mark.parametrize("suffix", [".gradviz", ".dot"])
def test_set_holds_in_every_export(capsys, tmp_path, suffix):
    out = tmp_path / f"set{suffix}"
    code = main(["export", "# notes\na = 2\nb = 3\ne = (a + b) * (b + 1)\n", "-o", str(out),
                 "--set", "a=5"])
    assert code == 0, capsys.readouterr().err
    if suffix == ".gradviz":
        doc = fileformat.read(out)
        assert doc.graph.node(doc.graph.by_label("a")).value == 5
        assert doc.program == "# notes\na = 5\nb = 3\ne = (a + b) * (b + 1)\n"
    else:
        assert "32" in out.read_text()  # e = (5 + 3) * 4
