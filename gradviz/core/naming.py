"""Names for the nodes nobody named, made so that they never look like inputs.

A class reads a single letter beside inputs as one more input: in the neuron
``n = x1 * w1 + x2 * w2 + b`` a part called ``a`` or ``c`` sits beside the input ``b``.
So gradviz invents names in one of two ways:

- **Letters**, when every input has a single-letter name (the notebook's style): the
  parts take the letters after the last input's letter, never one before or among them.
  ``e = (a + b) * (b + 1)`` names ``a + b`` c and ``b + 1`` d, as the notebook does.
  This holds only where the letters left are enough for every part.
- **Parts** otherwise: a part is named after the statement it is part of, ``n_a``,
  ``n_b`` … for the parts of ``n = …``, so that the name says what the part is for
  (lecture code names such parts by hand, as Karpathy's ``x1w1 = x1*w1``). The suffix is
  a letter, not a digit: ``n_1`` would read as the version ``n₁`` that a reassignment
  makes (which the Code panel writes ``n_1``). A part with no statement to belong to (a
  value traced from Python that feeds several others, a node added on the canvas) is
  ``t_a``, ``t_b`` … (``t`` for temporary).

Every sequence skips the names it is given as taken, so an invented name is never one
the user wrote, earlier or later. Inputs nobody named (``Value(2.0)`` traced from
Python) are named a, b, c … z, then v1, v2 … (an input may look like one).
"""
from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Container, Iterable, Iterator

FREE_STEM = "t"
"""The stem of the parts that belong to no statement: t_a, t_b …"""

_VERSION = re.compile(r"[₀-₉]+$")
_ALIASES = re.compile(r" \([^()]*\)$")


def is_letter(name: str) -> bool:
    """Whether ``name`` is one of the letters a … z."""
    return len(name) == 1 and "a" <= name <= "z"


def base_name(label: str) -> str:
    """The name a label is made from: ``x₁ (xpt)`` -> ``x`` (no aliases, no version)."""
    return _VERSION.sub("", _ALIASES.sub("", label)) or label


def letters_after(last: str | None, taken: Container[str]) -> list[str]:
    """The letters after ``last`` (all of them for None) that are not ``taken``."""
    start = ord(last) + 1 if last else ord("a")
    return [chr(c) for c in range(start, ord("z") + 1) if chr(c) not in taken]


def suffixes() -> Iterator[str]:
    """a … z, aa … zz, aaa …: every suffix once, shortest first."""
    width = 1
    while True:
        for n in range(26 ** width):
            digits = []
            for _ in range(width):
                n, r = divmod(n, 26)
                digits.append(chr(ord("a") + r))
            yield "".join(reversed(digits))
        width += 1


def part_names(stem: str, taken: Container[str]) -> Iterator[str]:
    """``stem_a``, ``stem_b`` …, skipping ``taken`` (read as each name is made)."""
    for suffix in suffixes():
        name = f"{stem}_{suffix}"
        if name not in taken:
            yield name


def input_names(taken: Container[str]) -> Iterator[str]:
    """Names for inputs nobody named: a, b, c … z, then v1, v2 …, skipping ``taken``."""
    for code in range(ord("a"), ord("z") + 1):
        if chr(code) not in taken:
            yield chr(code)
    n = 1
    while True:
        if f"v{n}" not in taken:
            yield f"v{n}"
        n += 1


def stem_of(label: str | None) -> str:
    """The stem for the parts of a value labelled ``label``: its name where that makes
    names a program can use (``n``, ``n₁`` -> ``n``), else `FREE_STEM` (``x1*w1``)."""
    if label is None:
        return FREE_STEM
    stem = base_name(label)
    name = f"{stem}_a"
    if (name.isidentifier() and unicodedata.normalize("NFKC", name) == name
            and not keyword.iskeyword(name) and not name.startswith("__")):
        return stem
    return FREE_STEM


class PartNames:
    """Hands out the names of the parts: `next` with the stem of their statement, each
    stem's names in turn, none of them ``taken``."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self.stems: dict[str, Iterator[str]] = {}

    def next(self, stem: str | None) -> str:
        stem = stem or FREE_STEM
        names = self.stems.get(stem)
        if names is None:
            names = self.stems[stem] = part_names(stem, self.taken)
        return next(names)


def lettering(inputs: Iterable[str], count: int, taken: Container[str]) -> list[str] | None:
    """The letters for ``count`` parts beside ``inputs`` (their names), in turn: the
    letters after the last input's, not ``taken``; None when an input's name is no single
    letter or too few letters are left.

    >>> lettering(["a", "b"], 2, {"a", "b", "e"}), lettering(["x1", "b"], 2, set())
    (['c', 'd'], None)
    """
    names = [base_name(n) for n in inputs]
    if not all(is_letter(n) for n in names):
        return None
    free = letters_after(max(names, default=None), taken)
    return free[:count] if len(free) >= count else None


def value_names(labels: list[str | None], leaves: list[bool],
                consumers: list[list[int]]) -> list[str]:
    """Names for a graph of values in the order they were made (traced from Python):
    ``labels`` are the names given (None: none), ``leaves`` say which are inputs and
    ``consumers`` list, for each, the values made from it (by index; constants left out).

    Given names stay. Unnamed inputs are named first (a, b … see `input_names`); then the
    unnamed operations are lettered after the inputs when every input has a letter,
    otherwise each is a part of the named value it alone feeds, through unnamed ones
    (``o_a`` for a part of ``o``), or ``t_a`` … where there is none.

    >>> value_names([None, None, None, None, None], [True, True, False, False, False],
    ...             [[2], [2, 3], [4], [4], []])
    ['a', 'b', 'c', 'd', 'e']
    >>> value_names(["x1", "w1", None, "b", None, "n"], [True, True, False, True, False,
    ...             False], [[2], [2], [4], [4], [5], []])
    ['x1', 'w1', 'n_a', 'b', 'n_b', 'n']
    """
    taken = {label for label in labels if label}
    names = [label or "" for label in labels]
    fresh = input_names(taken)
    for i in range(len(names)):
        if leaves[i] and not names[i]:
            names[i] = next(fresh)
            taken.add(names[i])
    unnamed = [i for i, name in enumerate(names) if not name]
    letters = lettering([n for n, leaf in zip(names, leaves, strict=True) if leaf],
                        len(unnamed), taken)
    if letters is not None:
        for i, letter in zip(unnamed, letters, strict=True):
            names[i] = letter
        return names
    parts = PartNames(taken)
    for i in unnamed:
        names[i] = parts.next(stem_of(_target(i, labels, consumers)))
    return names


def _target(i: int, labels: list[str | None], consumers: list[list[int]]) -> str | None:
    """The label of the named value that value ``i`` alone feeds, through unnamed values
    that each feed one other; None where it feeds several or none."""
    while len(set(consumers[i])) == 1:  # a * a feeds one value twice
        i = consumers[i][0]
        if labels[i]:
            return labels[i]
    return None


def new_node_name(taken: set[str], inputs: Iterable[str], input: bool) -> str:
    """The name of a node added to a graph by hand, none of ``taken`` (the graph's names):
    an input's is a letter (see `input_names`); an operation's is the letter after the
    last of ``inputs`` (the inputs' names) where they are all letters, else ``t_a`` ….

    >>> new_node_name({"a", "b", "c"}, ["a", "b"], input=False)
    'd'
    >>> new_node_name({"x1", "w1", "t_a"}, ["x1", "w1"], input=False)
    't_b'
    """
    if input:
        return next(input_names(taken))
    letters = lettering(inputs, 1, taken)
    return letters[0] if letters else next(part_names(FREE_STEM, taken))


class Relettering(Exception):
    """The letters a program's parts were given break the rule, which only the rest of
    the program showed: read it again with ``names``."""

    def __init__(self, names: ProgramNames) -> None:
        super().__init__("the program is read again with other names")
        self.names = names


class ProgramNames:
    """The names of a program's unnamed nodes, handed out as it is read (`invent`).

    The inputs are known only once the whole program is read, so the first reading
    (``letters`` True) tries the letters after the inputs made so far. Where that turns
    out wrong (`input_made`, `invent` and `settled` say so), the program is read again
    with the names of the rule, known by then: ``letters`` the letters to hand out in
    turn, or None for parts. ``taken`` are every name the program uses.
    """

    def __init__(self, taken: set[str], letters: list[str] | None | bool = True) -> None:
        self.taken = taken
        self.trying = letters is True  # the first reading: letters after what is known
        self.letters = letters is not None
        self.given: list[str] = list(letters) if isinstance(letters, list) else []
        self.last: str | None = None  # the last letter of an input or a part, so far
        self.invented: list[str] = []
        self.parts = PartNames(taken)

    def input_made(self, name: str) -> None:
        """The program made an input called ``name``."""
        if not self.trying:
            return
        base = base_name(name)
        if not is_letter(base):
            if self.invented:
                raise Relettering(ProgramNames(self.taken, None))
            self.letters = self.trying = False  # nothing lettered yet: parts from here
        elif self.last is None or base > self.last:
            self.last = base

    def invent(self, stem: str | None) -> str:
        """A name for a node nobody named, made by the statement assigning ``stem``."""
        if not self.letters:
            return self.parts.next(stem)
        if self.trying:
            free = letters_after(self.last, self.taken)
            if not free:
                raise Relettering(ProgramNames(self.taken, None))
            self.last = free[0]
            self.invented.append(free[0])
            return free[0]
        if not self.given:  # cannot be: the letters were counted on a whole reading
            raise Relettering(ProgramNames(self.taken, None))
        return self.given.pop(0)

    def settled(self, inputs: list[str]) -> ProgramNames | None:
        """None where the names handed out hold for the program read, whose inputs'
        labels (those gradviz did not name) are ``inputs``; else the names to read it
        again with."""
        if not self.trying or not self.invented:
            return None
        letters = lettering(inputs, len(self.invented), self.taken)
        if letters == self.invented:
            return None
        return ProgramNames(self.taken, letters)
