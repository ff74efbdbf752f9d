"""Getting a graph from what a user names: program text, a program file or a .gradviz file,
and the input values set on the command line (``--set NAME=VALUE``)."""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import NamedTuple

from .errors import DocumentError, GradvizError, ProgramError
from .graph import Graph

PROGRAM_SUFFIXES = (".txt", ".py", ".gv", ".prog")


class Source(NamedTuple):
    """A loaded graph and where it came from."""

    graph: Graph
    name: str
    program: str | None
    path: Path | None = None
    description: str = ""


def looks_like_path(arg: str) -> bool:
    return "\n" not in arg and "=" not in arg and (
        arg.endswith(".gradviz") or arg.endswith(PROGRAM_SUFFIXES) or "/" in arg)


def load_source(arg: str, overrides: dict[str, float] | None = None) -> Source:
    """``arg`` is program text, ``-`` for standard input, or a path to a program or document.

    ``overrides`` (``--set``) give a program's inputs their values, and a name the program
    uses without defining it a value (it becomes an input)."""
    from . import fileformat, language

    if arg == "-":
        text = sys.stdin.read()
        return Source(language.parse(text, overrides), "stdin", text)
    path = Path(arg)
    if looks_like_path(arg) or (len(arg) < 4096 and _is_file(path)):
        if not _is_file(path):
            raise DocumentError(_why_not_a_file(path), arg)
        if path.suffix == ".gradviz":
            doc = fileformat.read(path)
            return Source(doc.graph, path.stem, doc.program, path, doc.description)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DocumentError(f"cannot read the file: {exc}", arg) from None
        return Source(language.parse(text, overrides), path.stem, text, path)
    return Source(language.parse(arg, overrides), "program", arg)


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
                        type=assignment, default=[], help="set an input's value (repeatable)")


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


__all__ = ["Source", "load_source", "parse_assignment", "add_set_option", "ProgramError",
           "DocumentError"]
