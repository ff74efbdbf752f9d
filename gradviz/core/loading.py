"""Getting a graph from what a user names: program text, a program file or a .gradviz file."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import DocumentError, ProgramError
from .graph import Graph

PROGRAM_SUFFIXES = (".txt", ".py", ".gv", ".prog")


@dataclass(frozen=True)
class Source:
    """A loaded graph and where it came from."""

    graph: Graph
    name: str
    program: str | None
    path: Path | None = None
    description: str = ""


def looks_like_path(arg: str) -> bool:
    return "\n" not in arg and "=" not in arg and (
        arg.endswith(".gradviz") or arg.endswith(PROGRAM_SUFFIXES) or "/" in arg)


def load_source(arg: str) -> Source:
    """``arg`` is program text, ``-`` for standard input, or a path to a program or document."""
    from . import fileformat, language

    if arg == "-":
        text = sys.stdin.read()
        return Source(language.parse(text), "stdin", text)
    path = Path(arg)
    if looks_like_path(arg) or (len(arg) < 4096 and _is_file(path)):
        if not _is_file(path):
            raise DocumentError("no such file", arg)
        if path.suffix == ".gradviz":
            doc = fileformat.read(path)
            return Source(doc.graph, path.stem, doc.program, path, doc.description)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DocumentError(f"cannot read the file: {exc}", arg) from None
        return Source(language.parse(text), path.stem, text, path)
    return Source(language.parse(arg), "program", arg)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


__all__ = ["Source", "load_source", "ProgramError", "DocumentError"]
