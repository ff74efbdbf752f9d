"""The .gradviz document: a graph, its description and view settings, as checked JSON.

A file looks like this (one node or edge per line, so versions diff well)::

    {
      "format": "gradviz",
      "version": 1,
      "description": "e = (a + b) * (b + 1) at a = 2, b = 3",
      "program": "a = 2\\nb = 3\\ne = (a + b) * (b + 1)\\n",
      "groups": [
        {"id": "g1", "name": "sum", "parent": null},
        ...
      ],
      "nodes": [
        {"id": "a", "kind": "input", "label": "a", "value": 2.0, "pos": null, "auto": false},
        {"id": "c", "kind": "op", "op": "add", "label": "c", "pos": [0, 1], "auto": true,
         "group": "g1"},
        {"id": "d:1", "kind": "const", "label": "1", "value": 1.0, "pos": null, "auto": false},
        ...
      ],
      "edges": [
        {"source": "a", "target": "c", "port": 0},
        ...
      ],
      "output": "e",
      "view": {"theme": "dark", "step": 4, "collapsed": ["g1"]}
    }

Groups are optional, and so is a node's ``group`` (the innermost group it is in): files
from before groups read as they did. A group comes after the group it is in
(``parent``), and every group has nodes. ``view.collapsed`` lists the ids of the
groups drawn collapsed. ``view.fixed`` lists the ids of the inputs that gradient descent
holds fixed (data and targets; without it every input is a parameter) and ``view.rate``
is its learning rate.

Loading trusts nothing: every field is checked and the first problem is refused with a
`DocumentError` naming its place (``nodes[3].op``, ``edges[1].target``, ``line 4,
column 2``). A document may hold an *unfinished* graph, an operation with an empty input,
because a lecturer saves in the middle of wiring; evaluating it (``gradviz grad``, the
player) refuses it later with a GraphError. Files are only ever parsed as JSON: no
pickle, no eval. Reading never modifies the file; writing replaces it atomically.
"""
from __future__ import annotations

import json
import os
import stat

from .document import COLLAPSED, FIXED, FORMAT, VERSION, GraphDocument, document_from_json
from .errors import DocumentError
from .graph import Graph

__all__ = ["FORMAT", "VERSION", "MAX_BYTES", "GraphDocument", "dumps", "loads", "read",
           "write"]

MAX_BYTES = 20 * 1024 * 1024
"""Larger files are refused before they are read: no real lecture graph comes close."""


# --- writing ----------------------------------------------------------------------------
def dumps(doc: GraphDocument) -> str:
    """The document as .gradviz text. Refuses (DocumentError) what `loads` would refuse."""
    g = doc.graph
    nodes = [_node_data(g, n) for n in g.nx.nodes]
    edges = [{"source": u, "target": v, "port": k} for u, v, k in g.edges()]
    data = {"format": FORMAT, "version": VERSION, "description": doc.description}
    if doc.program is not None:
        data["program"] = doc.program
    groups = [{"id": gr.id, "name": gr.name, "parent": gr.parent}
              for gr in g.groups() if gr.nodes]  # a group being filled has none yet
    if groups:  # a file without groups reads as it did before there were any
        data["groups"] = groups
    view = {k: list(v) if isinstance(v, tuple) else v for k, v in doc.view.items()}
    if COLLAPSED in view:
        view[COLLAPSED] = _collapsed(view[COLLAPSED], groups)
    if isinstance(view.get(FIXED), list):  # inputs since removed are held no more
        view[FIXED] = [n for n in view[FIXED] if n in g and g.node(n).kind == "input"]
    data.update(nodes=nodes, edges=edges, output=g.output, view=view)
    # Never write a file we could not read back: run the loader's checks on it first.
    try:
        document_from_json(data)
    except DocumentError as exc:
        raise DocumentError(f"cannot save this document: {exc.message}", exc.where) from None
    text = _format(data)
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise DocumentError(f"cannot save this document: it would exceed {_mb(MAX_BYTES)}")
    return text


def _collapsed(collapsed, groups: list[dict]):
    """The collapsed groups that still exist, in the graph's order (collapsing is view
    state: a group its nodes' removal took away is simply not collapsed any more)."""
    if isinstance(collapsed, str) or not hasattr(collapsed, "__iter__"):
        return collapsed  # not a list of ids: the loader's check refuses it
    wanted = set(collapsed)
    return [gr["id"] for gr in groups if gr["id"] in wanted]


def _node_data(g: Graph, node_id: str) -> dict:
    n = g.node(node_id)
    d: dict = {"id": n.id, "kind": n.kind}
    if n.kind == "op":
        d["op"] = n.op
    d["label"] = n.label
    if n.kind != "op":
        d["value"] = n.value
    d["pos"] = list(n.pos) if n.pos is not None else None
    d["auto"] = n.auto
    if n.group is not None:
        d["group"] = n.group
    return d


def _format(data: dict) -> str:
    def one(x) -> str:
        text = json.dumps(x, ensure_ascii=False, allow_nan=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (a file's "\udcff"): kept as written
            text = json.dumps(x, ensure_ascii=True, allow_nan=False)
        return text

    lines = ["{"]
    for key, value in data.items():
        if key in ("groups", "nodes", "edges") and value:
            items = ",\n".join(f"    {one(item)}" for item in value)
            lines.append(f'  "{key}": [\n{items}\n  ],')
        else:
            lines.append(f'  "{key}": {one(value)},')
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines) + "\n}\n"


def write(path: str | os.PathLike, doc: GraphDocument, replace_read_only: bool = False) -> None:
    """Save ``doc`` to ``path`` atomically (`safe_write.write_bytes`).

    The text goes to a temporary file in the same folder, is flushed to disk and then
    renamed over ``path`` (``os.replace`` is atomic), so a crash or a full disk mid-save
    leaves the old file as it was and no temporary file behind. A link is followed (its
    target is saved); a folder or special file is refused, and a read-only file too
    (`safe_write.ReadOnlyFile`) unless ``replace_read_only`` (the user said so).
    """
    from .safe_write import write_bytes

    data = dumps(doc).encode("utf-8")  # fails before anything on disk is touched
    write_bytes(path, data, "cannot save", replace_read_only)


# --- reading ----------------------------------------------------------------------------
def read(path: str | os.PathLike) -> GraphDocument:
    """Load the document at ``path``; DocumentError (never a traceback) if it cannot be."""
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DocumentError("there is no such file", name) from None
    except OSError as exc:
        raise DocumentError(f"cannot open it: {exc.strerror or exc}", name) from None
    if stat.S_ISDIR(info.st_mode):
        raise DocumentError("this is a folder, not a .gradviz file", name)
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError("this is not a regular file", name)
    if info.st_size > MAX_BYTES:
        raise DocumentError(f"the file is {_mb(info.st_size)}; gradviz opens files up to "
                            f"{_mb(MAX_BYTES)}", name)
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)  # the file may have grown since stat
    except OSError as exc:
        raise DocumentError(f"cannot read it: {exc.strerror or exc}", name) from None
    if len(raw) > MAX_BYTES:
        raise DocumentError(f"the file is larger than {_mb(MAX_BYTES)}", name)
    try:
        text = raw.decode("utf-8-sig")  # tolerate the BOM some Windows editors add
    except UnicodeDecodeError as exc:
        raise DocumentError(f"the file is not UTF-8 text (byte {exc.start} is "
                            f"0x{raw[exc.start]:02x})", name) from None
    return loads(text, where=name)


def loads(text: str, where: str = "") -> GraphDocument:
    """Parse and check .gradviz text; ``where`` (a file name) prefixes every error's place."""
    try:
        if len(text) > MAX_BYTES:
            raise DocumentError(f"the text is larger than {_mb(MAX_BYTES)}")
        data = _parse_json(text)
        return document_from_json(data)
    except DocumentError as exc:
        if not where:
            raise
        place = f"{where}, {exc.where}" if exc.where else where
        raise DocumentError(exc.message, place) from None


def _parse_json(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocumentError(f"this is not valid JSON: {exc.msg}",
                            f"line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise DocumentError("the JSON is nested too deeply to be a gradviz document") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python will parse
        raise DocumentError(f"this is not valid JSON: {exc}") from None


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} bytes"
