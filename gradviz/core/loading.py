"""Getting a graph from what a user names: program text, a program file or a .gradviz file,
and the input values set on the command line (``--set NAME=VALUE``)."""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import NamedTuple

from .errors import DocumentError, GradvizError, GraphError, ProgramError
from .graph import Graph

PROGRAM_SUFFIXES = (".txt", ".py", ".gv", ".prog")
MAX_PROGRAM_BYTES = 2 * 1024 * 1024
"""Program files and standard input longer than this are refused, before they are read
whole (a lecture's program is a few kilobytes; a document may be larger, see
`fileformat.MAX_BYTES`)."""


class Source(NamedTuple):
    """A loaded graph and where it came from."""

    graph: Graph
    name: str
    program: str | None
    path: Path | None = None
    description: str = ""
    notes: tuple = ()  # what the program says that gradviz takes but does not do
    view: dict | None = None  # a .gradviz file's view (collapsed groups, marks); else None


def looks_like_path(arg: str) -> bool:
    return "\n" not in arg and "=" not in arg and (
        arg.endswith(".gradviz") or arg.endswith(PROGRAM_SUFFIXES) or "/" in arg)


def load_source(arg: str, overrides: dict[str, float] | None = None) -> Source:
    """``arg`` is program text, ``-`` for standard input, or a path to a program or document.

    ``overrides`` (``--set``) give the names a program uses without defining them a
    value (they become inputs); `apply_assignments` sets the inputs it defines."""
    from . import fileformat

    if arg == "-":
        text = _stdin_text()
        graph, notes = _parse(text, overrides)
        return Source(graph, "stdin", text, notes=notes)
    path = Path(arg)
    if looks_like_path(arg) or (len(arg) < 4096 and _is_file(path)):
        if not _is_file(path):
            raise DocumentError(_why_not_a_file(path), arg)
        if path.suffix == ".gradviz":
            doc = fileformat.read(path)
            return Source(doc.graph, path.stem, doc.program, path, doc.description,
                          view=doc.view)
        text = _decoded(_read_file(path, arg), arg)
        graph, notes = _parse(text, overrides)
        return Source(graph, path.stem, text, path, notes=notes)
    graph, notes = _parse(check_program_text(arg), overrides)
    return Source(graph, "program", arg, notes=notes)


def _parse(text: str, overrides: dict[str, float] | None):
    """The program's graph and notes; ``overrides`` (``--set``) give the names it uses
    without defining them, and `apply_assignments` then sets the others (by name or id)."""
    from . import language

    program = language.parse_program(text, overrides, missing_only=True)
    return program.graph, tuple(program.notes)


def check_program_text(text: str, where: str = "") -> str:
    """``text`` if it is text a program can be (Unicode without lone surrogates, within
    `MAX_PROGRAM_BYTES`); otherwise a DocumentError at ``where`` naming the line and
    column of the first character that is not. Bytes that were not UTF-8 reach Python
    (command-line arguments, file names) as lone surrogates: they are refused here, by
    the byte they stood for."""
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        what = (f"byte 0x{code - 0xDC00:02x} is not UTF-8" if 0xDC80 <= code <= 0xDCFF
                else f"U+{code:04X} is a lone surrogate, not a character")
        raise DocumentError(f"{_place(text, exc.start)}: {what}", where) from None
    if size > MAX_PROGRAM_BYTES:
        raise DocumentError(f"the program is {_size(size)}; gradviz reads "
                            f"programs up to {_size(MAX_PROGRAM_BYTES)}", where)
    return text


def _place(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    return f"line {line}, column {index - text.rfind(chr(10), 0, index)}"


def _stdin_text() -> str:
    where = "standard input"
    stream = getattr(sys.stdin, "buffer", None)  # None: a text stream put there (tests)
    if stream is None:
        return check_program_text(_read_limited(sys.stdin, where), where)
    return _decoded(_read_limited(stream, where), where)


def _read_limited(stream, where: str):
    """At most `MAX_PROGRAM_BYTES` of ``stream`` (bytes, or characters of a text
    stream); refused as soon as there is more, without reading the rest."""
    try:
        raw = stream.read(MAX_PROGRAM_BYTES + 1)
    except OSError as exc:
        raise DocumentError(f"cannot read it: {exc.strerror or exc}", where) from None
    if len(raw) > MAX_PROGRAM_BYTES:
        raise DocumentError(f"more than {_size(MAX_PROGRAM_BYTES)}; gradviz reads programs "
                            f"up to {_size(MAX_PROGRAM_BYTES)}", where)
    return raw


def _read_file(path: Path, where: str) -> bytes:
    """A program file's bytes, refused by its size before it is read."""
    try:
        size = path.stat().st_size
        if size > MAX_PROGRAM_BYTES:
            raise DocumentError(f"the file is {_size(size)}; gradviz reads program files "
                                f"up to {_size(MAX_PROGRAM_BYTES)}", where)
        with open(path, "rb") as f:
            return _read_limited(f, where)  # it may have grown since
    except OSError as exc:
        raise DocumentError(f"cannot read the file: {exc.strerror or exc}", where) from None


def _decoded(raw: bytes, where: str) -> str:
    """UTF-8 text (a byte order mark first is dropped, as editors on Windows add one)."""
    try:
        return check_program_text(raw.decode("utf-8-sig"), where)
    except UnicodeDecodeError as exc:
        good = raw[:exc.start].decode("utf-8-sig")
        raise DocumentError(f"{_place(good + '?', len(good))}: byte 0x{raw[exc.start]:02x} "
                            "is not UTF-8", where) from None


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def parse_assignment(text: str) -> tuple[str, float]:
    """One ``NAME=VALUE`` as ``--set`` takes it: the name and a finite number.

    Raises ValueError saying what is wrong, in the words of the command line.

    >>> parse_assignment(" a = 2.5")
    ('a', 2.5)
    """
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise ValueError(f"expected NAME=VALUE (e.g. a=2), got {text!r}")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name}={value.strip()}: {value.strip()!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{name}={value.strip()}: the value must be a finite number")
    return name, number


class CommandParser(argparse.ArgumentParser):
    """An argument parser that reports a mistake as one line (raised as a GradvizError,
    printed by the command line) instead of argparse's usage block and message."""

    def error(self, message: str):  # noqa: D102 (argparse's hook)
        raise GradvizError(f"{message} (see {self.prog} --help)")


def add_set_option(parser: argparse.ArgumentParser) -> None:
    """The repeatable ``--set NAME=VALUE`` option, read with `parse_assignment`."""

    def assignment(text: str) -> tuple[str, float]:
        try:
            return parse_assignment(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parser.add_argument("--set", dest="assignments", metavar="NAME=VALUE", action="append",
                        type=assignment, default=[],
                        help="set an input's value, by its name or id (repeatable)")


def apply_assignments(graph: Graph, assignments: list[tuple[str, float]]) -> Graph:
    """``graph`` with the values ``--set`` gives (a copy; ``graph`` itself when there are
    none), so that every command and every export holds them, a .gradviz file too."""
    if not assignments:
        return graph
    chosen = resolve_assignments(graph, assignments)
    graph = graph.copy()
    for node_id, value in chosen.items():
        graph.set_attrs(node_id, value=value)
    return graph


def resolve_assignments(graph: Graph, assignments: list[tuple[str, float]]) -> dict[str, float]:
    """The input each ``--set NAME=VALUE`` names, by id: NAME is an input's label when
    no other input has it, its name as reports print it (``x#x_2`` where labels repeat)
    or its id. GraphError for a name no input has, or a label several inputs share
    (listing their ids, even when one of them has it as its id)."""
    from .report import input_names

    names = input_names(graph)
    by_name = {name: n for n, name in names.items()}
    chosen: dict[str, float] = {}
    unknown = []
    for name, value in assignments:
        shared = [n for n in names if graph.node(n).label == name]
        if len(shared) > 1:  # even where one of them has it as its id: say which
            raise GraphError(f"--set {name}: {len(shared)} inputs are named {name} (ids "
                             f"{', '.join(shared)}); set one as {name}#ID, e.g. --set "
                             f"{names[shared[-1]]}={value:g}")
        if name in by_name or name in names:
            chosen[by_name.get(name, name)] = value
        elif shared:
            chosen[shared[0]] = value
        else:
            unknown.append(name)
    if unknown:
        known = ", ".join(names.values()) or "none"
        raise GraphError(f"no input named {', '.join(sorted(unknown))} (inputs: {known})")
    return chosen


def _why_not_a_file(path: Path) -> str:
    """What is at ``path`` instead of a file to read, in a few words."""
    try:
        if path.is_dir():
            return "is a directory, not a program or .gradviz file"
        if path.exists():
            return "is not a regular file (a device, pipe or socket)"
    except (OSError, ValueError):
        pass
    return "no such file"


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


__all__ = ["Source", "load_source", "check_program_text", "MAX_PROGRAM_BYTES",
           "apply_assignments", "resolve_assignments", "parse_assignment", "add_set_option", "ProgramError",
           "DocumentError"]
