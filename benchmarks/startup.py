"""How fast does ``gradviz`` open? Against a bare PySide6 window, in the same run.

Run from the repository root::

    python benchmarks/startup.py             # offscreen unless DISPLAY is set
    python benchmarks/startup.py --runs 9

Each sample is a fresh Python process, timed from its start until its first window has
been shown and painted, then it quits. The baseline imports PySide6's widgets and
networkx and shows an empty QMainWindow; gradviz opens on the notebook's example, exactly
as the ``gradviz`` command does (`gradviz.app.launch.open_app`). The two are interleaved
so that a busy machine slows both alike; the medians are compared with the budget of
issue 4: gradviz at most 1.5x the baseline. Both run with bytecode caching on, as an
installed package would (PYTHONDONTWRITEBYTECODE is dropped for the samples).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

BUDGET = 1.5

_SHOWN = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
QTimer.singleShot(0, QApplication.instance().quit)  # after the first show and paint
QApplication.instance().exec()
"""

BASELINE = """
import networkx
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1280, 800)
window.show()
""" + _SHOWN

GRADVIZ = """
from gradviz.app.launch import open_app
app, window = open_app([])
""" + _SHOWN


def sample(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=7, help="samples of each (default 7)")
    args = p.parse_args(argv)
    env = {**os.environ, "GRADVIZ_SETTINGS": "memory"}
    # An installed package has its bytecode compiled (as PySide6 and networkx do here);
    # without this, every sample would compile gradviz's sources again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    sample(BASELINE, env)  # warm the file cache for both
    sample(GRADVIZ, env)
    base, ours = [], []
    for _ in range(args.runs):
        base.append(sample(BASELINE, env))
        ours.append(sample(GRADVIZ, env))
    b, g = statistics.median(base), statistics.median(ours)
    platform = env.get("QT_QPA_PLATFORM", "display " + env.get("DISPLAY", "?"))
    print(f"platform: {platform}; {args.runs} runs each, median time to first shown window")
    print(f"  PySide6 + networkx, empty QMainWindow: {b:.3f} s")
    print(f"  gradviz on the notebook example:       {g:.3f} s")
    print(f"  ratio {g / b:.2f} (budget {BUDGET})  {'ok' if g / b <= BUDGET else 'OVER BUDGET'}")
    return 0 if g / b <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
