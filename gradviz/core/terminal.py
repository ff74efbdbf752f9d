"""What the command line prints: lines a terminal shows as they are, never obeys.

A label or a message may hold anything a file can (an escape sequence that retitles the
terminal, a bidirectional override that reorders the line, a byte that was not UTF-8):
`terminal_text` writes every such character as an escape (``\\u001b``), which also keeps
JSON valid. Names that look alike but differ (Latin ``a``, Cyrillic ``а``) are told
apart by `distinct_names`. `emit` is the one way the command line writes a line; a closed
pipe or a full disk there is an `OutputError`, which the command line's edge reports.
"""
from __future__ import annotations

import sys
import unicodedata

from .errors import GradvizError

# Characters that read alike; enough for the letters names are made of (Unicode's full
# confusables table is far larger).
_LOOKALIKE = str.maketrans(
    "аеорсухіјѕԁһԛԝАВЕКМНОРСТХУІЈЅ"  # Cyrillic
    "οινΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",  # Greek
    "aeopcyxijsdhqwABEKMHOPCTXYIJS"
    "oivABEZHIKMNOPTYX")


class OutputError(GradvizError):
    """Standard output or error cannot be written (a closed pipe, a full disk)."""


def _shown(char: str) -> bool:
    """Whether ``char`` leaves a mark (format characters such as a zero-width joiner or a
    bidi override do not)."""
    return char.isprintable() or char.isspace()


def terminal_text(text: str) -> str:
    """``text`` with every control, format, surrogate or unassigned character written as
    an escape: ``\\u001b``, ``\\u202e``, ``\\udcff`` (a byte that was not UTF-8)."""
    if text.isprintable():  # Python's printable leaves out every one of those (and tab)
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def skeleton(name: str) -> str:
    """What ``name`` looks like: compatibility forms folded, look-alike letters made
    Latin, invisible characters dropped."""
    folded = unicodedata.normalize("NFKC", name).translate(_LOOKALIKE)
    return "".join(c for c in folded if _shown(c))


def distinct_names(names: list[str]) -> dict[str, str]:
    """Each of ``names`` as it is best printed: as it is, unless another name looks the
    same, then with its characters outside ASCII named (``а [U+0430 CYRILLIC]``)."""
    skeletons = {name: skeleton(name) for name in names}
    looks: dict[str, set[str]] = {}
    for name, look in skeletons.items():
        looks.setdefault(look, set()).add(name)
    shown = {}
    for name in names:
        text = terminal_text(name)
        if len(looks[skeletons[name]]) > 1 and not name.isascii():
            points = ", ".join(f"U+{ord(c):04X} {_script(c)}" for c in name if not c.isascii())
            text = f"{text} [{points}]"
        shown[name] = text
    return shown


def _script(char: str) -> str:
    """A letter's script (``CYRILLIC``), any other character's name."""
    name = unicodedata.name(char, "")
    if not name:
        return "unnamed"
    return name.split(" ")[0] if unicodedata.category(char).startswith("L") else name


def emit(line: str, err: bool = False, lines: bool = False) -> None:
    """Print one line (escaped, see `terminal_text`) to standard output, or error when
    ``err``; text of several ``lines`` (JSON, whose strings hold no line break) is
    escaped line by line. OutputError when it cannot be written."""
    stream = sys.stderr if err else sys.stdout
    text = "\n".join(map(terminal_text, line.split("\n"))) if lines else terminal_text(line)
    try:
        try:
            print(text, file=stream, flush=True)
        except UnicodeEncodeError:  # a terminal that is not UTF-8: ∂ as \u2202
            encoding = stream.encoding or "ascii"
            print(text.encode(encoding, "backslashreplace").decode(encoding), file=stream,
                  flush=True)
    except (OSError, ValueError) as exc:  # ValueError: the stream was closed
        where = "standard error" if err else "standard output"
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise OutputError(f"cannot write to {where}: {reason}") from None


def emit_notes(notes) -> None:
    """A program's notes (lines gradviz takes but does not do, such as ``print``), one
    line each on standard error, so that standard output stays the result (or JSON)."""
    for note in notes:
        emit(f"gradviz: note: line {note.line}, column {note.col}: {note.message}", err=True)
