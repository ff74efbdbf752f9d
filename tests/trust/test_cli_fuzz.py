"""Fuzzing the real command line: hostile programs, documents and options, each run in a
child process held to 500 MB of address space and a generous time limit.

Inputs: program text with bytes that are not UTF-8 spliced in; documents whose every text
field (labels, description, program, group names) holds HTML, terminal escape sequences,
bidirectional overrides, lone surrogates or long strings, and whose positions are huge;
options with odd names and numbers. Whatever comes in, a command ends with its result
(exit 0, or 1 for a check that found a mismatch) or one ``gradviz:`` line and exit 2, prints
no character a terminal would obey, stays within the memory limit and does not hang (the
time limit, `cli_run.TIME_LIMIT`, is for hangs only, not a speed test). Example counts:
25 + 25 + 15 (each is a process start, about half a second to two seconds).
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from .cli_run import run_cli

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None,
                derandomize=True)
FOLDER = Path(tempfile.mkdtemp(prefix="gradviz-cli-fuzz-"))
PROGRAM = b"a = 2\nb = 3\nc = a + b\nd = b + 1\ne = c * d\n"

HOSTILE = ["<img src='/dev/zero' width=100000>", "<b>bold</b>&amp;", "\x1b]0;owned\x07",
           "\x1b[2J\x1b[31m", "\u202eevil", "\x9b31m", "\udcff", "\ud800", "a\u200bb",
           "\u0430", "x" * 300, "", " ", "\n\r\t", "\x00", "e", "a"]
hostile = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20))
huge = st.sampled_from([1e308, -1e308, 1.7976931348623157e308, 1e300, 5e-324, 0.0, 1e9,
                        -1e10, 123.25])
option = st.sampled_from([[], ["--json"], ["--check"], ["--check", "--json"]])


def base_document() -> dict:
    return {
        "format": "gradviz", "version": 1, "description": "d", "program": None,
        "groups": [{"id": "g1", "name": "sum", "parent": None}],
        "nodes": [
            {"id": "a", "kind": "input", "label": "a", "value": 2.0, "pos": None,
             "auto": False, "group": "g1"},
            {"id": "b", "kind": "input", "label": "b", "value": 3.0, "pos": None,
             "auto": False, "group": "g1"},
            {"id": "c", "kind": "op", "op": "add", "label": "c", "pos": None, "auto": False,
             "group": "g1"},
            {"id": "e", "kind": "op", "op": "mul", "label": "e", "pos": None, "auto": False},
        ],
        "edges": [{"source": "a", "target": "c", "port": 0},
                  {"source": "b", "target": "c", "port": 1},
                  {"source": "c", "target": "e", "port": 0},
                  {"source": "b", "target": "e", "port": 1}],
        "output": "e", "view": {},
    }


def check_ended_well(done, output: Path | None = None) -> None:
    """Its result, or one line and exit 2; nothing a terminal obeys; no memory blow-up."""
    err = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    assert done.returncode in (0, 1, 2), (done.returncode, err)
    if done.returncode == 2:
        assert err.startswith("gradviz: ") and len(err.strip().splitlines()) == 1, err
        assert "out of memory" not in err and "internal error" not in err, err
    for stream in (done.stdout, done.stderr):
        text = stream.decode("utf-8", "replace")
        assert not any(c < " " and c != "\n" or "\x7f" <= c <= "\x9f" or c == "\u202e"
                       for c in text), text
    if output is not None and done.returncode == 0:
        assert output.exists()


@settings(FUZZ, max_examples=25)
@given(where=st.integers(0, len(PROGRAM)), junk=st.binary(min_size=1, max_size=6),
       options=option, stdin=st.booleans())
def test_programs_with_bytes_that_are_not_text(where, junk, options, stdin):
    program = PROGRAM[:where] + junk + PROGRAM[where:]
    if not stdin:
        assume(b"\0" not in program)  # no command line can hold one
        check_ended_well(run_cli(["grad", program, *options]))
        return
    path = FOLDER / "stdin.txt"
    path.write_bytes(program)
    with open(path, "rb") as f:
        check_ended_well(run_cli(["grad", "-", *options], stdin=f))


@settings(FUZZ, max_examples=25)
@given(label=hostile, description=hostile, program=st.one_of(st.none(), hostile),
       group=hostile, pos=st.one_of(st.none(), st.tuples(huge, huge)),
       which=st.integers(0, 3), command=st.sampled_from(
           [["grad"], ["grad", "--json"], ["grad", "--check"], ["export", ".svg"],
            ["export", ".png"], ["export", ".pdf"], ["export", ".gradviz"], ["export", ".dot"]]))
def test_documents_with_hostile_text_and_huge_positions(label, description, program, group,
                                                         pos, which, command):
    data = base_document()
    data["nodes"][which]["label"] = label
    data["nodes"][which]["pos"] = list(pos) if pos else None
    data["description"], data["program"] = description, program
    data["groups"][0]["name"] = group
    path = FOLDER / "hostile.gradviz"
    path.write_text(json.dumps(data, ensure_ascii=True), encoding="ascii")  # \udcff survives
    if command[0] == "grad":
        check_ended_well(run_cli([command[0], str(path), *command[1:]]))
        return
    out = FOLDER / f"out{command[1]}"
    check_ended_well(run_cli(["export", str(path), "-o", str(out)]), out)


@settings(FUZZ, max_examples=15)
@given(name=hostile, value=st.sampled_from(["5", "nan", "1e400", "-1e308", "0x10", "", "٣"]),
       scale=st.sampled_from([None, "nan", "inf", "1e400", "-1", "0", "1e-300", "20", "٣"]),
       step=st.sampled_from([None, "-1", "99999999999999999999", "3"]))
def test_odd_options(name, value, scale, step):
    assume("\x00" not in name)  # no command line can hold one
    assignment = f"{name}={value}".encode("utf-8", "surrogatepass")  # a surrogate: bad bytes
    args = ["export", PROGRAM, "-o", str(FOLDER / "opt.png"), "--set", assignment]
    if scale is not None:
        args += ["--scale", scale]
    if step is not None:
        args += ["--step", step]
    check_ended_well(run_cli(args))
