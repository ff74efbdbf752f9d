"""Exports and saves never cost the file that was there, and never write where they must not.

Every export and save writes a temporary file beside the target, flushes it and renames it
into place only once all of it is written: a full disk (simulated in the writer, and a
real small tmpfs where this machine lets a test mount one) leaves the previous file as it
was and ends in one line and a non-zero exit. A FIFO, a device or a folder is refused
before anything is opened; a symbolic link is followed; a read-only file is refused; a
255-byte file name saves; temporary files left by a killed process are removed.
"""
from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gradviz.cli import main
from gradviz.core import fileformat
from gradviz.core.errors import DocumentError
from tests.core.notebook_graph import notebook_graph

PROGRAM = "a = 2; b = 3; e = (a + b) * (b + 1)"
FORMATS = [".png", ".svg", ".pdf", ".gif", ".dot", ".gradviz"]
OLD = b"the previous file, which must survive\n"
ROOT = Path(__file__).resolve().parents[2]


def export(capsys, out: Path, *more: str) -> tuple[int, str, str]:
    code = main(["export", PROGRAM, "-o", str(out), *more])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line_error(code: int, out: str, err: str) -> str:
    assert code != 0 and "wrote" not in out
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err.strip()


def doc():
    return fileformat.GraphDocument(notebook_graph(), "notebook")


@pytest.fixture
def full_disk(monkeypatch):
    """Every os.write writes a few bytes of what it is given, then the disk is full."""
    real = os.write

    def write(fd, data):
        if len(data) > 8:
            real(fd, bytes(data[:8]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", write)


# --- item 3: atomic exports ------------------------------------------------------------
@pytest.mark.parametrize("suffix", FORMATS)
def test_an_export_on_a_full_disk_keeps_the_previous_file_and_says_so(
        capsys, tmp_path, full_disk, suffix):
    out = tmp_path / f"graph{suffix}"
    out.write_bytes(OLD)
    line = one_line_error(*export(capsys, out))
    assert "No space left on device" in line and str(out) in line
    assert out.read_bytes() == OLD
    assert os.listdir(tmp_path) == [out.name]  # no temporary file left behind


def test_numbered_frames_on_a_full_disk_keep_the_previous_frame(capsys, tmp_path, full_disk):
    first = tmp_path / "graph-001.png"
    first.write_bytes(OLD)
    line = one_line_error(*export(capsys, tmp_path / "graph.png", "--all-steps"))
    assert "No space left on device" in line
    assert first.read_bytes() == OLD and os.listdir(tmp_path) == [first.name]


@pytest.fixture
def tiny_disk(tmp_path):
    """A 1 MB tmpfs filled but for one page (skipped where mounting is not allowed)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        previous = {s: disk / f"graph{s}" for s in FORMATS}
        for path in previous.values():
            path.write_bytes(OLD)
        space = os.statvfs(disk)
        (disk / "filler").write_bytes(b"\0" * (space.f_bavail * space.f_frsize - 4096))
        yield disk, previous
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf", ".gif"])
def test_an_export_on_a_real_full_disk_keeps_the_previous_file(capsys, tiny_disk, suffix):
    disk, previous = tiny_disk
    line = one_line_error(*export(capsys, previous[suffix]))
    assert "No space left on device" in line
    assert previous[suffix].read_bytes() == OLD
    assert sorted(os.listdir(disk)) == sorted(["filler", *(p.name for p in previous.values())])


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "gradviz", *args], capture_output=True,
                          timeout=timeout, env=env, stdin=subprocess.DEVNULL)


def make_special(kind: str, path: Path) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        try:  # the null device's numbers: harmless if something writes to it anyway
            os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except (PermissionError, AttributeError):
            pytest.skip("cannot make a device node here")
    else:
        path.mkdir()


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
@pytest.mark.parametrize("suffix", [".svg", ".pdf", ".gradviz"])
def test_an_export_to_a_special_file_is_refused_before_it_is_opened(tmp_path, kind, suffix):
    out = tmp_path / f"graph{suffix}"
    make_special(kind, out)
    done = run_cli("export", PROGRAM, "-o", str(out))  # a FIFO opened would block here
    err = done.stderr.decode()
    assert done.returncode == 2 and b"wrote" not in done.stdout
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert ("folder" if kind == "folder" else "not a regular file") in err
    kept = os.lstat(out).st_mode
    assert {"fifo": stat.S_ISFIFO, "device": stat.S_ISCHR, "folder": stat.S_ISDIR}[kind](kept)


# --- item 7: saving and exporting over links, special and read-only files ----------------
@pytest.mark.parametrize("suffix", [".gradviz", ".svg"])
def test_saving_through_a_symbolic_link_writes_its_target_and_keeps_the_link(
        capsys, tmp_path, suffix):
    real = tmp_path / "real" / f"graph{suffix}"
    real.parent.mkdir()
    real.write_bytes(OLD)
    link = tmp_path / f"link{suffix}"
    link.symlink_to(real)
    code, out, _ = export(capsys, link)
    assert code == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() != OLD
    if suffix == ".gradviz":
        assert fileformat.read(link).graph.node("a").value == 2


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_saving_a_document_onto_a_special_file_refuses_and_keeps_it(tmp_path, kind):
    path = tmp_path / "lecture.gradviz"
    make_special(kind, path)
    with pytest.raises(DocumentError) as info:
        fileformat.write(path, doc())
    assert info.value.where == str(path)
    mode = os.lstat(path).st_mode
    assert {"fifo": stat.S_ISFIFO, "device": stat.S_ISCHR, "folder": stat.S_ISDIR}[kind](mode)


def test_a_read_only_file_is_not_replaced_without_a_word(capsys, tmp_path):
    from gradviz.core.safe_write import ReadOnlyFile

    path = tmp_path / "lecture.gradviz"
    path.write_bytes(OLD)
    path.chmod(0o444)
    with pytest.raises(ReadOnlyFile, match="read-only"):
        fileformat.write(path, doc())
    assert path.read_bytes() == OLD
    line = one_line_error(*export(capsys, path))
    assert "read-only" in line and path.read_bytes() == OLD
    fileformat.write(path, doc(), replace_read_only=True)  # the app, once its user agreed
    assert fileformat.read(path).description == "notebook"
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


@pytest.mark.parametrize("suffix", [".gradviz", ".svg"])
def test_a_255_byte_file_name_saves(capsys, tmp_path, suffix):
    out = tmp_path / ("é" * ((255 - len(suffix)) // 2) + "x" * ((255 - len(suffix)) % 2)
                      + suffix)
    assert len(os.fsencode(out.name)) == 255
    code, _, err = export(capsys, out)
    assert code == 0, err
    assert os.listdir(tmp_path) == [out.name]


def test_temporary_files_left_by_a_killed_save_are_removed_by_the_next_save(tmp_path):
    path = tmp_path / "lecture.gradviz"
    fileformat.write(path, doc())
    # A save that hangs once its temporary file is written, killed there.
    code = ("import os, sys, time\n"
            "os.fsync = lambda fd: time.sleep(120)\n"
            "from gradviz.core import fileformat\n"
            "from tests.core.notebook_graph import notebook_graph\n"
            "fileformat.write(sys.argv[1], fileformat.GraphDocument(notebook_graph()))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    saver = subprocess.Popen([sys.executable, "-c", code, str(path)], env=env, cwd=ROOT)
    try:
        for _ in range(600):
            if len(os.listdir(tmp_path)) > 1:
                break
            time.sleep(0.05)
    finally:
        saver.send_signal(signal.SIGKILL)
        saver.wait()
    left = sorted(os.listdir(tmp_path))
    assert len(left) == 2, left  # the killed save's temporary file
    stranger = tmp_path / ".lecture.gradviz.notes"  # not gradviz's: kept
    stranger.write_bytes(b"mine")
    fileformat.write(path, doc())
    assert sorted(os.listdir(tmp_path)) == [stranger.name, path.name]
    assert fileformat.read(path).description == "notebook"


def test_old_temporary_files_are_removed_and_young_ones_of_live_processes_kept(tmp_path):
    from gradviz.core.safe_write import temp_name

    alive = os.getppid()  # a live process that is not this one
    old, young = (tmp_path / temp_name("lecture.gradviz", alive) for _ in range(2))
    for stale in (old, young):
        stale.write_bytes(b"half a save")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    fileformat.write(tmp_path / "lecture.gradviz", doc())
    assert sorted(os.listdir(tmp_path)) == sorted([young.name, "lecture.gradviz"])


def test_a_document_holding_a_lone_surrogate_saves_and_reads_back(tmp_path):
    text = json.dumps({"format": "gradviz", "version": 1, "description": "caf\udce9",
                       "nodes": [{"id": "a", "kind": "input", "label": "a\udcff",
                                  "value": 2.0, "pos": None, "auto": False}],
                       "edges": [], "output": "a", "view": {}})
    loaded = fileformat.loads(text)
    path = tmp_path / "odd.gradviz"
    fileformat.write(path, loaded)  # the app saves what it opened
    again = fileformat.read(path)
    assert again.graph.node("a").label == "a\udcff" and again.description == "caf\udce9"
