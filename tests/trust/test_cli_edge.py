"""The command line's edge: whatever goes wrong ends in one line and an exit code.

Each case is the real ``python -m gradviz`` in a child process (memory limited, so an
unbounded read fails instead of filling the machine): text that is not UTF-8, outputs that
cannot be written, inputs too large, numbers at the edge of floating point.
"""
from __future__ import annotations

import json
import os

import pytest

from .cli_run import one_line_failure, run_cli

PROGRAM = "a = 2; b = 3; e = (a + b) * (b + 1)"


# --- invalid text ----------------------------------------------------------------------
def test_a_program_argument_that_is_not_utf8_is_refused_at_its_place():
    line = one_line_failure(run_cli(["grad", b"a = 2\xff; e = a * 2"]))
    assert line == "gradviz: line 1, column 6: byte 0xff is not UTF-8"


def test_standard_input_that_is_not_utf8_is_refused_at_its_place():
    done = run_cli(["grad", "-"], stdin=_file(b"a = 2\n# caf\xe9\ne = a * 2\n"))
    assert one_line_failure(done) == ("gradviz: standard input: line 2, column 6: byte 0xe9 "
                                      "is not UTF-8")


def test_a_program_for_the_app_that_is_not_utf8_is_one_line():
    one_line_failure(run_cli(["--program", b"a = \xff"]))


def test_a_program_file_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "prog.txt"
    path.write_bytes(b"\xef\xbb\xbfa = 2\ne = a * 3\n")
    done = run_cli(["grad", str(path)])
    assert done.returncode == 0 and done.stdout.decode().splitlines() == ["e = 6", "∂e/∂a = 3"]


# --- outputs that cannot be written ------------------------------------------------------
def test_a_closed_pipe_on_standard_output_is_one_line():
    read, write = os.pipe()
    os.close(read)  # as `| head -0` does: every write gets EPIPE
    try:
        done = run_cli(["grad", PROGRAM], stdout=write)
    finally:
        os.close(write)
    assert "Broken pipe" in one_line_failure(done)


def test_a_full_disk_on_standard_output_is_one_line():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "wb") as full:
        done = run_cli(["grad", PROGRAM, "--json"], stdout=full)
    assert "No space left on device" in one_line_failure(done)


def test_a_terminal_that_is_not_utf8_gets_escapes_not_an_error():
    done = run_cli(["grad", PROGRAM], PYTHONIOENCODING="ascii")
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("ascii").splitlines()[1] == "\\u2202e/\\u2202a = 4"


# --- item 4: inputs too large are refused at once ----------------------------------------
def test_a_3_gb_sparse_program_file_is_refused_by_its_size(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(3 * 1024 ** 3)
    line = one_line_failure(run_cli(["grad", str(path)]))
    assert line.endswith("huge.txt: the file is 3,072 MB; gradviz reads program files up "
                         "to 2 MB")


def test_endless_standard_input_is_refused_after_the_limit():
    with open("/dev/zero", "rb") as zeros:
        done = run_cli(["grad", "-"], stdin=zeros)
    assert one_line_failure(done) == ("gradviz: standard input: more than 2 MB; gradviz "
                                      "reads programs up to 2 MB")


# --- numbers at the edge ----------------------------------------------------------------
def test_check_at_an_input_that_underflows_its_step_cannot_check_there():
    done = run_cli(["grad", "a = 1e-320; e = a * 2", "--check"])
    out = done.stdout.decode()
    assert done.returncode == 0, done.stderr
    assert "cannot check here" in out and "MISMATCH" not in out


def test_check_of_sin_at_1e300_cannot_check_there_rather_than_mismatch():
    done = run_cli(["grad", "a = 1e300; e = sin(a)", "--check", "--json"])
    assert done.returncode == 0, done.stdout
    (check,) = json.loads(done.stdout)["check"]
    assert check["ok"] and "cannot check here" in check["note"]


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf", ".gif"])
def test_a_node_pinned_at_1e308_is_refused_naming_it(tmp_path, suffix):
    doc = tmp_path / "far.gradviz"
    assert run_cli(["export", "a = 2; e = a * 2", "-o", str(doc)]).returncode == 0
    data = json.loads(doc.read_text())
    data["nodes"][0]["pos"] = [1e308, -1e308]
    doc.write_text(json.dumps(data))
    line = one_line_failure(run_cli(["export", str(doc), "-o", str(tmp_path / f"x{suffix}")]))
    assert "node a is placed at (1e+308, -1e+308)" in line
    assert os.listdir(tmp_path) == ["far.gradviz"]


def _file(data: bytes):
    """A readable file holding ``data``, for a child's standard input."""
    read, write = os.pipe()
    os.write(write, data)
    os.close(write)
    return read


def test_the_edge_reports_an_unexpected_error_in_one_line(monkeypatch, capsys):
    from gradviz import cli

    def broken(argv):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(cli, "run_grad", broken)
    assert cli.main(["grad", PROGRAM]) == cli.EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.startswith("gradviz: internal error (ZeroDivisionError: float division by zero)")
    assert len(err.strip().splitlines()) == 1


def test_help_still_exits_as_argparse_says():
    done = run_cli(["grad", "--help"])
    assert done.returncode == 0 and b"usage: gradviz grad" in done.stdout

