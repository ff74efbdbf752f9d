"""Big programs exported from the command line: ``gradviz export PROGRAM -o out.svg``.

Run from the repository root::

    python benchmarks/export_big.py                          # the figures below
    python benchmarks/export_big.py --statements 1000 20000 --suffix .svg .png

The program is N lines, two inputs and then ``a{i}=a{i-1}*a{i-2}`` (N nodes; 99,998 lines
are 2.0 MB, under the 2 MB a program file may have, and just under the 100,000 nodes a
program may make), written to a file and exported in a fresh process each time, as a
user runs it. What is printed: the elapsed
time, the process's peak memory (its maximum resident set), the size of the file
written, or the one line that refused it (an SVG past `formats.MAX_SVG_NODES` nodes is
refused before the graph is run or drawn; the time is then reading and parsing the
program). One run each; a busy machine shows. Nothing here asserts a time.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def program(statements: int) -> str:
    lines = ["a0=0.5", "a1=0.25"] + [f"a{i}=a{i - 1}*a{i - 2}" for i in range(2, statements)]
    return "\n".join(lines) + "\n"


def export(source: Path, out: Path) -> tuple[float, float, int, str]:
    """(elapsed s, peak memory MB, exit code, the last line on stderr) of one export."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "gradviz", "export", str(source), "-o",
                              str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    err = child.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    lines = err.strip().splitlines()
    return elapsed, usage.ru_maxrss / 1024, child.returncode, lines[-1] if lines else ""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--statements", type=int, nargs="*", default=[1_000, 10_000, 99_998])
    p.add_argument("--suffix", nargs="*", default=[".svg"])
    args = p.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for n in args.statements:
            source = Path(folder) / f"p{n}.txt"
            source.write_text(program(n))
            for suffix in args.suffix:
                out = Path(folder) / f"p{n}{suffix}"
                elapsed, peak, code, said = export(source, out)
                result = f"{out.stat().st_size / 1e6:,.1f} MB" if code == 0 and out.exists() \
                    else f"refused: {said.split(': ', 2)[-1]}"
                rows.append([f"{n:,}", f"{source.stat().st_size / 1e6:.2f} MB", suffix,
                             f"{elapsed:.1f}", f"{peak:,.0f}", result])
                out.unlink(missing_ok=True)
    print(f"load average {os.getloadavg()[0]:.2f}")
    print("| statements (nodes) | program | to | s | peak MB | written |")
    print("|---:|---:|---|---:|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
