"""The names a program uses without giving them a value, to offer them as inputs.

``e = (a + b) * (b + 1)`` typed alone uses a and b before they have values. The language
refuses it at the first such name (`UndefinedNameError`); `missing_inputs` finds them
all by parsing again with ``name = 1`` written before the program for each name found,
until no name is missing (at most `MAX_NAMES` parses). `with_inputs` writes those lines.
"""
from __future__ import annotations

from .errors import ProgramError, UndefinedNameError

MAX_NAMES = 50
"""The most names looked for in one program (each is one more parse)."""

INPUT_VALUE = 1
"""The value a missing name is given (as Desmos gives a new slider)."""


def with_inputs(text: str, names: list[str] | tuple[str, ...]) -> str:
    """``text`` with a line ``name = 1`` for each of ``names`` written before it.

    >>> with_inputs("e = a * b", ["a", "b"])
    'a = 1\\nb = 1\\ne = a * b'
    """
    return "".join(f"{name} = {INPUT_VALUE}\n" for name in names) + text


def missing_inputs(text: str) -> list[str]:
    """The names ``text`` uses before giving them a value, in the order the language
    meets them; empty when its first problem is another one (or it has none).

    A name that cannot be an input (one the language keeps for itself, such as an
    operation's name) ends the search: the names before it are still given.

    >>> missing_inputs("e = (a + b) * (b + 1)")
    ['a', 'b']
    >>> missing_inputs("a = 2; e = a * 3")
    []
    """
    from . import language

    names: list[str] = []
    while len(names) < MAX_NAMES:
        try:
            language.parse(with_inputs(text, names))
        except UndefinedNameError as exc:
            if exc.name in names or exc.line <= len(names):
                break  # giving it a value did not define it: it cannot be an input
            names.append(exc.name)
            continue
        except ProgramError as exc:
            if names and exc.line <= len(names):
                names = names[:exc.line - 1]  # the line written for this name is refused
            break
        break
    return names
