"""The rules of a .gradviz document: parsed JSON in, a checked GraphDocument out.

Nothing from a file is trusted. Every field is checked and the first problem is refused
with a `DocumentError` whose ``where`` names its place (``nodes[3].op``,
``edges[1].target``, ``groups[0].parent``, ``version``). An operation with an empty input is allowed, since a
lecturer may save a graph half wired; evaluating it is what refuses it (GraphError).
"""
from __future__ import annotations

import math

import networkx as nx

from .errors import DocumentError
from .graph import KINDS, Graph
from .ops import OPS

FORMAT = "gradviz"
VERSION = 1

COLLAPSED = "collapsed"
"""The view setting that lists the ids of the groups drawn collapsed."""
FIXED, RATE = "fixed", "rate"
"""The view settings of descent: the ids of the inputs held fixed, the learning rate."""

_TOP_FIELDS = ("format", "version", "description", "program", "groups", "nodes", "edges",
               "output", "view")
_GROUP_FIELDS = ("id", "name", "parent")
_NODE_FIELDS = ("id", "kind", "op", "label", "value", "pos", "auto", "group")
_EDGE_FIELDS = ("source", "target", "port")


class GraphDocument:
    """What a .gradviz file holds.

    ``view`` is a flat dict of simple values (theme, step, zoom …) for the app to restore,
    ``view["collapsed"]`` the ids of the groups drawn collapsed; ``program`` is the text
    the graph was typed as, when it was typed.
    """

    __slots__ = ("graph", "description", "view", "program")

    def __init__(self, graph: Graph, description: str = "", view: dict | None = None,
                 program: str | None = None) -> None:
        self.graph = graph
        self.description = description
        self.view = {} if view is None else view
        self.program = program

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GraphDocument):
            return NotImplemented
        return all(getattr(self, a) == getattr(other, a) for a in self.__slots__)

    def __repr__(self) -> str:
        return f"GraphDocument({self.graph!r}, description={self.description!r})"


def document_from_json(data) -> GraphDocument:
    """The document ``data`` (parsed JSON) describes; DocumentError if it is not one."""
    if not isinstance(data, dict):
        raise DocumentError(f"a gradviz document is a JSON object, not {_what(data)}")
    if data.get("format") != FORMAT:
        if "format" not in data:
            raise DocumentError('this is not a gradviz document (it has no "format")', "format")
        raise DocumentError(f'this is not a gradviz document: "format" is '
                            f'{_show(data["format"])}, not "gradviz"', "format")
    _known_fields(data, _TOP_FIELDS, "")
    version = _require(data, "version", "")
    if not _is_int(version):
        raise DocumentError(f"the version must be a whole number, not {_what(version)}",
                            "version")
    if version != VERSION:
        raise DocumentError(f"this file is gradviz format version {_show(version)}; this gradviz "
                            f"reads version {VERSION}", "version")
    description = data.get("description", "")
    _check_type(description, str, "description", "a string")
    program = data.get("program")
    if program is not None:
        _check_type(program, str, "program", "a string")
    nodes = _require(data, "nodes", "")
    edges = _require(data, "edges", "")
    groups = data.get("groups", [])  # files from before groups have none
    _check_type(groups, list, "groups", "a list")
    _check_type(nodes, list, "nodes", "a list")
    _check_type(edges, list, "edges", "a list")
    graph = Graph()
    made: dict[str, int] = {}  # group id -> its index in the file
    for i, group in enumerate(groups):
        made[_add_group(graph, group, f"groups[{i}]", made)] = i
    for i, node in enumerate(nodes):
        _add_node(graph, node, f"nodes[{i}]", made)
    _check_groups_filled(graph)
    _add_edges(graph, edges)
    output = data.get("output")
    if output is not None:
        _check_type(output, str, "output", "a node id")
        if output not in graph:
            raise DocumentError(f"there is no node with id {output!r}", "output")
        graph.output = output
    view = data.get("view", {})
    _check_view(view, graph)
    return GraphDocument(graph, description, dict(view), _agreeing(program, graph))


def _agreeing(program: str | None, graph: Graph) -> str | None:
    """The stored program text if it describes the stored graph, else None.

    The nodes are what the file says; text that has drifted from them (edited by hand,
    or values changed after typing) would show one graph in the editor and another on
    the canvas, so it is dropped and whoever shows the document writes the text anew.
    """
    if program is None:
        return None
    from .errors import GradvizError
    from .language import parse

    try:
        typed = parse(program)
    except (GradvizError, RecursionError, MemoryError):
        return None
    # The names gradviz invented for unnamed parts are not in the text, and older
    # versions invented others (``a`` for the neuron's ``x1·w1``, now ``n_a``): the text
    # still describes the graph, whose stored names stay until the text is next edited.
    same = typed.signature(invented=False) == graph.signature(invented=False)
    return program if same else None


def _add_group(graph: Graph, group, at: str, made: dict[str, int]) -> str:
    if not isinstance(group, dict):
        raise DocumentError(f"a group is a JSON object, not {_what(group)}", at)
    _known_fields(group, _GROUP_FIELDS, at)
    group_id = _require(group, "id", at)
    if not isinstance(group_id, str) or not group_id:
        raise DocumentError(f"an id is a non-empty string, not {_what(group_id)}", f"{at}.id")
    if group_id in made:
        raise DocumentError(f"the id {group_id!r} is used already by "
                            f"groups[{made[group_id]}]", f"{at}.id")
    name = _require(group, "name", at)
    if not isinstance(name, str) or not name:
        raise DocumentError(f"a group's name is a non-empty string, not {_what(name)}",
                            f"{at}.name")
    parent = group.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise DocumentError(f"a parent is null or a group id (a string), not "
                            f"{_what(parent)}", f"{at}.parent")
    if parent is not None and parent not in made:
        raise DocumentError(f"there is no group {parent!r} before this one (a group comes "
                            f"after the group it is in)", f"{at}.parent")
    return graph.add_group(name, parent=parent, id=group_id)


def _group_of(node: dict, at: str, known: dict[str, int]) -> str | None:
    group = node.get("group")
    if group is None:
        return None
    if not isinstance(group, str):
        raise DocumentError(f"a node's group is null or a group id (a string), not "
                            f"{_what(group)}", at)
    if group not in known:
        close = _close_matches(group, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        where = "in this file" if known else "in this file: it has no groups"
        raise DocumentError(f"there is no group {group!r} {where}{hint}", at)
    return group


def _check_groups_filled(graph: Graph) -> None:
    for i, group in enumerate(graph.groups()):
        if not group.nodes:
            raise DocumentError(f"the group {group.name!r} has no nodes", f"groups[{i}]")


def _add_node(graph: Graph, node, at: str, groups: dict[str, int]) -> None:
    if not isinstance(node, dict):
        raise DocumentError(f"a node is a JSON object, not {_what(node)}", at)
    _known_fields(node, _NODE_FIELDS, at)
    node_id = _require(node, "id", at)
    if not isinstance(node_id, str) or not node_id:
        raise DocumentError(f"an id is a non-empty string, not {_what(node_id)}", f"{at}.id")
    if node_id in graph:
        first = list(graph.nx.nodes).index(node_id)
        raise DocumentError(f"the id {node_id!r} is used already by nodes[{first}]",
                            f"{at}.id")
    kind = _require(node, "kind", at)
    if kind not in KINDS:
        raise DocumentError(f"kind must be one of {', '.join(map(repr, KINDS))}, not "
                            f"{_show(kind)}", f"{at}.kind")
    label = _require(node, "label", at)
    _check_type(label, str, f"{at}.label", "a string")
    pos = _position(node.get("pos"), f"{at}.pos")
    auto = node.get("auto", False)
    _check_type(auto, bool, f"{at}.auto", "true or false")
    group = _group_of(node, f"{at}.group", groups)
    if kind == "op":
        if "value" in node:
            raise DocumentError("an operation's value is computed, not stored: remove it",
                                f"{at}.value")
        op_id = _require(node, "op", at)
        _check_op(op_id, f"{at}.op")
        graph.add_op(op_id, label, id=node_id, pos=pos, auto=auto, group=group)
        return
    if node.get("op") is not None:
        raise DocumentError(f"only operations have an op; this node is {kind!r}", f"{at}.op")
    value = _number(_require(node, "value", at), f"{at}.value")
    if kind == "input":
        graph.add_input(label, value, id=node_id, pos=pos, auto=auto, group=group)
    else:
        graph.add_constant(value, id=node_id, pos=pos, label=label, group=group)
        if auto:
            graph.set_attrs(node_id, auto=True)


def _check_op(op_id, at: str) -> None:
    if not isinstance(op_id, str):
        raise DocumentError(f"an op is an operation id (a string), not {_what(op_id)}", at)
    if op_id in OPS:
        return
    aliases = {}
    for op in OPS.values():
        for name in (op.title.lower(), op.function, op.infix, op.symbol):
            if name:
                aliases.setdefault(name, op.id)
    hint = aliases.get(op_id.strip().lower())
    hint = [hint] if hint else _close_matches(op_id.lower(), list(OPS), n=3, cutoff=0.5)
    suggestion = f" (did you mean {' or '.join(map(repr, hint))}?)" if hint else ""
    raise DocumentError(f"unknown operation {op_id!r}{suggestion}; gradviz knows "
                        f"{', '.join(OPS)}", at)


def _add_edges(graph: Graph, edges: list) -> None:
    index: dict[tuple[str, str, int], int] = {}
    fed: dict[tuple[str, int], int] = {}
    for i, edge in enumerate(edges):
        at = f"edges[{i}]"
        if not isinstance(edge, dict):
            raise DocumentError(f"an edge is a JSON object, not {_what(edge)}", at)
        _known_fields(edge, _EDGE_FIELDS, at)
        ends = {}
        for end in ("source", "target"):
            node_id = _require(edge, end, at)
            if not isinstance(node_id, str):
                raise DocumentError(f"the {end} is a node id (a string), not "
                                    f"{_what(node_id)}", f"{at}.{end}")
            if node_id not in graph:
                raise DocumentError(f"there is no node with id {node_id!r}", f"{at}.{end}")
            ends[end] = node_id
        source, target = ends["source"], ends["target"]
        port = _require(edge, "port", at)
        if not _is_int(port):
            raise DocumentError(f"a port is a whole number, not {_what(port)}", f"{at}.port")
        t = graph.node(target)
        if t.kind != "op":
            raise DocumentError(f"{t.label!r} is {'an input' if t.kind == 'input' else 'a constant'}"
                                " and takes no inputs", f"{at}.target")
        arity = OPS[t.op].arity
        if not 0 <= port < arity:
            raise DocumentError(f"{t.label!r} ({OPS[t.op].title}) has input ports 0 to "
                                f"{arity - 1}, not {port}", f"{at}.port")
        if (target, port) in fed:
            raise DocumentError(f"input {port} of {t.label!r} is fed already by "
                                f"edges[{fed[target, port]}]", f"{at}.port")
        if source == target:
            raise DocumentError(f"{t.label!r} cannot take its own result as an input", at)
        fed[target, port] = i
        index[source, target, port] = i
        # Checked here and for cycles once below: Graph.connect's per-edge path search
        # would make loading a large file quadratic.
        graph.nx.add_edge(source, target, key=port)
    if not nx.is_directed_acyclic_graph(graph.nx):
        cycle = nx.find_cycle(graph.nx)
        names = [graph.node(u).label for u, _, _ in cycle] + [graph.node(cycle[0][0]).label]
        last = max(index[u, v, k] for u, v, k in cycle)  # the edge that closed it
        raise DocumentError(f"the edges make a cycle: {' → '.join(names)}", f"edges[{last}]")


def _check_view(view, graph: Graph) -> None:
    if not isinstance(view, dict):
        raise DocumentError(f"the view is a JSON object, not {_what(view)}", "view")
    for key, value in view.items():
        if not isinstance(key, str):
            raise DocumentError(f"view settings are named by strings, not {_what(key)}", "view")
        items = value if isinstance(value, list) else [value]
        for item in items:
            if not _is_simple(item):
                raise DocumentError(f"view settings are strings, numbers, true/false or "
                                    f"lists of them, not {_what(item)}", f"view.{key}")
    if COLLAPSED in view:
        _check_collapsed(view[COLLAPSED], graph)
    if FIXED in view:
        _check_fixed(view[FIXED], graph)
    if RATE in view:
        rate = view[RATE]
        if isinstance(rate, bool) or not isinstance(rate, (int, float)):
            raise DocumentError(f"the learning rate is a number, not {_what(rate)}",
                                f"view.{RATE}")


def _check_fixed(fixed, graph: Graph) -> None:
    """``view.fixed``: ids of inputs (held fixed by descent: data and targets)."""
    at = f"view.{FIXED}"
    _check_type(fixed, list, at, "a list of input ids")
    for i, node_id in enumerate(fixed):
        if not isinstance(node_id, str):
            raise DocumentError(f"an input held fixed is named by its id (a string), not "
                                f"{_what(node_id)}", f"{at}[{i}]")
        if node_id not in graph or graph.node(node_id).kind != "input":
            raise DocumentError(f"there is no input {node_id!r} to hold fixed", f"{at}[{i}]")


def _check_collapsed(collapsed, graph: Graph) -> None:
    at = f"view.{COLLAPSED}"
    _check_type(collapsed, list, at, "a list of group ids")
    known = {g.id for g in graph.groups()}
    for i, group_id in enumerate(collapsed):
        if not isinstance(group_id, str):
            raise DocumentError(f"a collapsed group is named by its id (a string), not "
                                f"{_what(group_id)}", f"{at}[{i}]")
        if group_id not in known:
            raise DocumentError(f"there is no group {group_id!r} to collapse", f"{at}[{i}]")


def _is_simple(x) -> bool:
    if x is None or isinstance(x, (str, bool)):
        return True
    if isinstance(x, (int, float)):
        return _finite(x)
    return False


# --- small checks -----------------------------------------------------------------------
# json and difflib are imported where a message needs them: the app imports this module
# on its way to the first frame, which reads no file.
def _close_matches(word: str, known, n: int, cutoff: float = 0.6) -> list[str]:
    from difflib import get_close_matches

    return get_close_matches(word, list(known), n=n, cutoff=cutoff)


def _known_fields(obj: dict, known: tuple[str, ...], at: str) -> None:
    for key in obj:
        if key not in known:
            close = _close_matches(key, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise DocumentError(f"unknown field {key!r}{hint}", f"{at}.{key}" if at else key)


def _require(obj: dict, key: str, at: str):
    if key not in obj:
        raise DocumentError(f"the field {key!r} is missing", f"{at}.{key}" if at else key)
    return obj[key]


def _check_type(x, kind: type, at: str, name: str) -> None:
    if not isinstance(x, kind) or (kind is not bool and isinstance(x, bool)):
        raise DocumentError(f"this must be {name}, not {_what(x)}", at)


def _number(x, at: str) -> float | int:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise DocumentError(f"a value is a number, not {_what(x)}", at)
    if not _finite(x):
        raise DocumentError(f"a value must be a finite number, not {_show(x)}", at)
    return x


def _position(pos, at: str) -> tuple[float, float] | None:
    if pos is None:
        return None
    if not isinstance(pos, list) or len(pos) != 2:
        raise DocumentError(f"a position is null or two numbers [x, y], not {_what(pos)}", at)
    for i, x in enumerate(pos):
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not _finite(x):
            raise DocumentError(f"a coordinate must be a finite number, not {_show(x)}",
                                f"{at}[{i}]")
    return (pos[0], pos[1])


def _finite(x: int | float) -> bool:
    # Integers too large for a float would overflow the moment anything computes with them.
    try:
        return math.isfinite(x)
    except OverflowError:
        return False


def _is_int(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _what(x) -> str:
    if x is None:
        return "null"
    if isinstance(x, bool):
        return f"{str(x).lower()}"
    if isinstance(x, (int, float)):
        return f"the number {_show(x)}"
    if isinstance(x, str):
        return f"the string {_show(x)}"
    if isinstance(x, list):
        return "a list"
    return "an object"


def _show(x) -> str:
    """A short, safe rendering of a value from a file, for a message."""
    if isinstance(x, float) and not math.isfinite(x):
        return {math.inf: "Infinity", -math.inf: "-Infinity"}.get(x, "NaN")
    if isinstance(x, int) and not isinstance(x, bool) and not _finite(x):
        return "a number too large to represent"
    import json

    text = json.dumps(x, ensure_ascii=False) if isinstance(x, (str, int, float, bool)) \
        else _what(x)
    return text if len(text) <= 40 else text[:37] + "…"
