"""How fast does ``gradviz`` open? Against a bare PySide6 window, in the same run.

Run from the repository root::

    python benchmarks/startup.py             # offscreen unless DISPLAY is set
    python benchmarks/startup.py --runs 9

Each sample is a fresh Python process, timed from just before it is started until its
first window has been shown and the event loop has handled everything queued by then
(painting included): the moment the window is there, ready for a key press. The process
then quits; quitting is timed too and shown apart ("with quitting"), as it is not
start-up. The baseline imports PySide6's widgets and networkx and shows an empty
QMainWindow; gradviz opens on the notebook's example, exactly as the ``gradviz`` command
does (`gradviz.app.launch.open_app`). The two are interleaved so that a busy machine
slows both alike; the medians are compared with the budget of issue 4: gradviz at most
1.5x the baseline. Both run with bytecode caching on, as an installed package would
(PYTHONDONTWRITEBYTECODE is dropped for the samples). On Linux the settings and the
autosave folder are real files in a fresh temporary folder (as on a first run); elsewhere
the settings are kept in memory, so the user's own are never touched.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

BUDGET = 1.5

_SHOWN = """
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
def _shown():  # runs once everything queued by the first show (painting too) is done
    print(time.monotonic(), flush=True)
    QApplication.instance().quit()
QTimer.singleShot(0, _shown)
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


def sample(code: str, env: dict[str, str]) -> tuple[float, float]:
    """Seconds until the window was shown, and until the process had quit."""
    start = time.monotonic()  # the same clock in both processes
    done = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    end = time.monotonic()
    return float(done.stdout.split()[-1]) - start, end - start


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=7, help="samples of each (default 7)")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gradviz-startup-") as home:
        return _measure(args.runs, _environment(home))


def _environment(home: str) -> dict[str, str]:
    env = dict(os.environ)
    if sys.platform.startswith("linux"):
        env.pop("GRADVIZ_SETTINGS", None)
        env["XDG_CONFIG_HOME"] = os.path.join(home, "config")
        env["XDG_DATA_HOME"] = os.path.join(home, "data")
    else:
        env["GRADVIZ_SETTINGS"] = "memory"
    # An installed package has its bytecode compiled (as PySide6 and networkx do here);
    # without this, every sample would compile gradviz's sources again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def _measure(runs: int, env: dict[str, str]) -> int:
    sample(BASELINE, env)  # warm the file cache for both
    sample(GRADVIZ, env)
    base, ours = [], []
    for _ in range(runs):
        base.append(sample(BASELINE, env))
        ours.append(sample(GRADVIZ, env))
    b, g = (statistics.median(s for s, _ in xs) for xs in (base, ours))
    bq, gq = (statistics.median(q for _, q in xs) for xs in (base, ours))
    platform = env.get("QT_QPA_PLATFORM", "display " + env.get("DISPLAY", "?"))
    load = f", load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    print(f"platform: {platform}; {runs} runs each, medians{load}")
    print("                                         window shown   with quitting")
    print(f"  PySide6 + networkx, empty QMainWindow:   {b:.3f} s        {bq:.3f} s")
    print(f"  gradviz on the notebook example:         {g:.3f} s        {gq:.3f} s")
    print(f"  ratio {g / b:.2f} (budget {BUDGET})  {'ok' if g / b <= BUDGET else 'OVER BUDGET'}"
          f"   (with quitting {gq / bq:.2f})")
    return 0 if g / b <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
