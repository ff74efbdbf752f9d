"""Writing a file so that a failure never costs the file that was there.

Every save and every export goes through `write_bytes`: the bytes go to a temporary file
beside the target, are flushed to disk (``os.fsync``) and only then renamed over it
(``os.replace`` is atomic). A full disk, a crash or an interruption mid-write leaves the
previous file as it was.

What is at the target is looked at before anything is opened (`check_target`):

- a symbolic link is followed: its target is written and the link stays a link;
- a folder, a FIFO, a device or a socket is refused (a FIFO would block, and replacing
  a device node with a regular file breaks the system);
- a read-only file is refused with `ReadOnlyFile` unless the caller says to replace it
  (the app asks its user first; the command line refuses).

Temporary files are named ``.NAME.gradviz-tmp-PID-XXXXXXXX`` (NAME shortened so the
whole name stays within the file system's 255 bytes), so that one left by a killed
process is recognised: each write into a folder first removes those whose process is
gone or that are more than a day old (`remove_stale`).
"""
from __future__ import annotations

import os
import re
import secrets
import stat
import time
from pathlib import Path

from .errors import DocumentError

NAME_MAX = 255
"""The longest file name, in bytes, on the file systems people save to."""
TEMP_MARK = ".gradviz-tmp-"
STALE_AFTER_S = 24 * 3600
"""A temporary file this old is stale whatever its process (process ids are reused)."""
_TEMP_NAME = re.compile(r"^\..*" + re.escape(TEMP_MARK) + r"(\d+)-[0-9a-f]{8}$", re.DOTALL)


class ReadOnlyFile(DocumentError):
    """The target exists and is read-only: replacing it needs the user's say-so
    (``replace_read_only=True``)."""


def check_target(path: str | os.PathLike, replace_read_only: bool = False) -> Path:
    """The file that writing ``path`` writes (a link's target); DocumentError when it is a
    folder or a special file, `ReadOnlyFile` when it is read-only (unless
    ``replace_read_only``). Opens nothing."""
    where = str(path)
    try:
        real = Path(os.path.realpath(path))
        info = os.stat(real)
    except FileNotFoundError:
        return real  # a new file (or a link to one not yet made)
    except (OSError, ValueError) as exc:
        raise DocumentError(f"cannot write there: {_reason(exc)}", where) from None
    if stat.S_ISDIR(info.st_mode):
        raise DocumentError("this is a folder; give a file name", where)
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError("this is not a regular file (a device, pipe or socket): "
                            "gradviz writes only regular files", where)
    if not replace_read_only and _read_only(real, info):
        raise ReadOnlyFile("the file is read-only; make it writable or choose another "
                           "name", where)
    return real


def _read_only(path: Path, info: os.stat_result) -> bool:
    # No write bit at all counts for root too, who may write anything (os.access says yes).
    return not info.st_mode & 0o222 or not os.access(path, os.W_OK)


def write_bytes(path: str | os.PathLike, data: bytes, failure: str = "cannot write the file",
                replace_read_only: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically (see the module docstring); the file
    written (a link's target). Errors are DocumentErrors at ``path``, ``failure`` first."""
    where = str(path)
    target = check_target(path, replace_read_only)
    folder = target.parent
    remove_stale(folder)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)  # keep the permissions people chose
    except OSError:
        mode = None  # a new file: as the umask says
    tmp = folder / temp_name(target.name)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except (OSError, ValueError) as exc:
        raise DocumentError(f"{failure}: {_reason(exc)}", where) from None
    try:
        try:
            view = memoryview(data)
            while view:  # os.write may write less than asked: a full disk says so here
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        _remove_quietly(tmp)
        if isinstance(exc, OSError):
            raise DocumentError(f"{failure}: {_reason(exc)}", where) from None
        raise
    _sync_folder(folder)
    return target


def temp_name(name: str, pid: int | None = None) -> str:
    """The temporary file's name for a target named ``name``: recognisable as gradviz's
    and within `NAME_MAX` bytes however long ``name`` is."""
    tail = f"{TEMP_MARK}{os.getpid() if pid is None else pid}-{secrets.token_hex(4)}"
    room = NAME_MAX - 1 - len(tail.encode())
    raw = os.fsencode(name)[:room]
    while raw:  # never end in the middle of a character
        try:
            raw.decode("utf-8")
            break
        except UnicodeDecodeError:
            raw = raw[:-1]
    return "." + os.fsdecode(raw) + tail


def remove_stale(folder: Path) -> list[Path]:
    """Remove gradviz's temporary files in ``folder`` left by a process that is gone, or
    older than a day; the files removed. Every write does this first: a restarted app
    cleans up after the one that was killed, whichever folder it saves to."""
    now = time.time()
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if not match:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        pid = int(match.group(1))
        if pid != os.getpid() and (not _alive(pid) or now - info.st_mtime > STALE_AFTER_S):
            _remove_quietly(entry.path)
            removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill there would interrupt the process: the age rule decides
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process: leave it to the age rule
    return True


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _remove_quietly(path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _sync_folder(folder: Path) -> None:
    # The rename itself is durable only once the folder is synced (POSIX; not on Windows).
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
