"""Running the real command line in a child process, within a memory and a time limit."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 500 * 1024 * 1024
"""Address space a command may use: more fails it with MemoryError (an unbounded read)."""
TIME_LIMIT = 120
"""Seconds before a command counts as hung: generous, this is no speed test."""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(args: list, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            timeout: float = TIME_LIMIT, **env: str) -> subprocess.CompletedProcess:
    """``python -m gradviz *args`` (str or bytes arguments), offscreen, in memory and time
    limits, with ``env`` added to the environment; raises subprocess.TimeoutExpired when
    it hangs."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
           "GRADVIZ_SETTINGS": "memory", **env}
    return subprocess.run([sys.executable, "-m", "gradviz", *args], stdin=stdin,
                          stdout=stdout, stderr=subprocess.PIPE, timeout=timeout, env=env,
                          preexec_fn=_limit_memory, cwd=ROOT)


def one_line_failure(done: subprocess.CompletedProcess) -> str:
    """The one line a failed command printed (asserting it is one line, not a traceback)."""
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode not in (0, 1), (done.returncode, err)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert err.startswith("gradviz: "), err
    return err.strip()
