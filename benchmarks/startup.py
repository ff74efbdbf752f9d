"""How fast does ``gradviz`` open? Against a bare PySide6 window, in the same run.

Run from the repository root::

    python benchmarks/startup.py             # offscreen unless DISPLAY is set
    python benchmarks/startup.py --runs 11 --series 4
    python benchmarks/startup.py --instructions   # needs valgrind; about a minute

Each sample is a fresh Python process, timed from just before it is started until its
first window has been shown and the event loop has nothing left to do: everything the
start-up queued has run and every widget has been painted (the last time the loop was
about to wait before it stayed idle for a tenth of a second). That is the moment the
window is there, ready for a key press. The process then quits; quitting is timed too
and shown apart ("with quitting"), as it is not start-up. The baseline imports PySide6's
widgets and networkx and shows an empty QMainWindow; gradviz opens on the notebook's
example, exactly as the ``gradviz`` command does (`gradviz.app.launch.open_app`). The two
are interleaved so that a busy machine slows both alike, and their medians are compared
with the budget: gradviz at most 1.6x the baseline's median elapsed time (with
``--series``, the median of the series' ratios is). Both run with bytecode caching on, as
an installed package would (PYTHONDONTWRITEBYTECODE is dropped for the samples). On Linux
the settings and the autosave folder are real files in a fresh temporary folder (as on a
first run); elsewhere the settings are kept in memory, so the user's own are never touched.

Elapsed times on a shared machine vary by a tenth of a second from one series to the
next; ``--series`` repeats the whole comparison. ``--instructions`` counts instead the
machine instructions each program executes until its window is shown (valgrind's
callgrind, one run each): the same count every run, so a change of a few percent shows,
though it leaves out time spent waiting on files. The budget is on elapsed time, so the
count's ratio is shown for comparison, without a verdict. It adds a program for
reference: the bare window showing one line of text, which, like any real window, makes
PySide6 build the `Qt` namespace's enums and makes Qt load its font database.

Both modes also run, for reference and without a verdict, the same kinds of widgets and
docks as gradviz's first window (menus with 70 shortcuts, a graphics view with ten boxes,
the program editor with a highlighter, the inputs' spin boxes and sliders, the palette,
the steps, values and descent panels, tabbed docks) made in bare Qt with no gradviz code:
what the screen alone costs, so that the rest is what gradviz's own code adds.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

BUDGET = 1.6
"""gradviz's median elapsed start-up over the bare window's, at most."""
SETTLE_MS = 100
"""How long the event loop must stay idle for start-up to count as over. Nothing the
start-up queues waits on a timer, so the first such pause comes once all of it (painting
too) has run."""
SETTLE_MS_COUNTING = 5000  # under valgrind, work takes ~50 times longer; timers do not

_SHOWN = """
import time
from PySide6.QtCore import QAbstractEventDispatcher, QTimer
from PySide6.QtWidgets import QApplication
_idle = [0.0]
_settle = QTimer()
_settle.setSingleShot(True)
_settle.setInterval(SETTLE_MS)
def _waiting():  # the event loop has nothing left to do and is about to wait
    _idle[0] = time.monotonic()
    _settle.start()  # started anew each time: it fires once the loop stayed idle
def _shown():  # the start-up's queued work and painting are over
    QAbstractEventDispatcher.instance().aboutToBlock.disconnect(_waiting)
    print(_idle[0], time.monotonic(), flush=True)
    QApplication.instance().quit()
_settle.timeout.connect(_shown)
QAbstractEventDispatcher.instance().aboutToBlock.connect(_waiting)
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

ONE_LABEL = """
import networkx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1280, 800)
window.setCentralWidget(QLabel("gradviz", alignment=Qt.AlignmentFlag.AlignCenter))
window.show()
""" + _SHOWN

SAME_WIDGETS = """
import networkx
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (QAction, QColor, QFont, QKeySequence, QPen, QStandardItem,
                           QStandardItemModel, QSyntaxHighlighter, QUndoStack)
from PySide6.QtWidgets import (QApplication, QCheckBox, QComboBox, QDockWidget,
                               QDoubleSpinBox, QFormLayout, QGraphicsRectItem, QGraphicsScene,
                               QGraphicsSimpleTextItem, QGraphicsView, QHBoxLayout, QHeaderView,
                               QLabel, QListWidget, QMainWindow, QPlainTextEdit, QPushButton,
                               QSlider, QTableView, QToolButton, QUndoView, QVBoxLayout, QWidget)
app = QApplication([])
window = QMainWindow()
window.resize(1280, 800)
menus = [window.menuBar().addMenu(n) for n in ("&File", "&Edit", "&View", "&Step", "&Tools",
                                                 "&Help")]
for i in range(70):
    act = QAction(f"Action {i}", window)
    act.setShortcut(QKeySequence(f"Ctrl+{chr(65 + i % 26)}"))
    menus[i % 6].addAction(act)
scene = QGraphicsScene()
for i in range(10):
    box = QGraphicsRectItem(QRectF(i * 120, (i % 3) * 90, 100, 70))
    box.setPen(QPen(QColor("black"), 2))
    scene.addItem(box)
    text = QGraphicsSimpleTextItem(f"node {i}", box)
    text.setFont(QFont("", 14))
    text.setPos(i * 120 + 10, (i % 3) * 90 + 10)
central = QWidget()
column = QVBoxLayout(central)
column.addWidget(QGraphicsView(scene))
caption = QLabel("Inputs a = 2, b = 3.")
caption.setWordWrap(True)
column.addWidget(QLabel("Start · 9 steps"))
column.addWidget(caption)
player = QHBoxLayout()
column.addLayout(player)
for i in range(6):
    player.addWidget(QToolButton())
for name in ("Reverse", "1x speed", "by edge"):
    choice = QComboBox()
    choice.addItems([name, "other"])
    player.addWidget(choice)
window.setCentralWidget(central)
def dock(title, widget, area, behind=None):
    d = QDockWidget(title, window)
    d.setWidget(widget)
    window.addDockWidget(area, d)
    menus[2].addAction(d.toggleViewAction())
    if behind is not None:
        window.tabifyDockWidget(behind, d)
        behind.raise_()
    return d
left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
editor = QPlainTextEdit("a = 2\\nb = 3\\ne = (a + b) * (b + 1)\\n")
class Highlighter(QSyntaxHighlighter):
    def highlightBlock(self, text):
        pass
highlighter = Highlighter(editor.document())
dock("Program", editor, left)
inputs = QWidget()
form = QFormLayout(inputs)
for name in "ab":
    row = QHBoxLayout()
    row.addWidget(QDoubleSpinBox())
    row.addWidget(QSlider(Qt.Orientation.Horizontal))
    form.addRow(name, row)
form.addRow(QPushButton("Randomise"))
dock("Inputs", inputs, left)
palette = QListWidget()
palette.addItems([f"op {i}" for i in range(20)])
dock("Palette", palette, left)
steps_list = QListWidget()
steps_list.addItems([f"{i}. step" for i in range(10)])
steps = dock("Steps", steps_list, right)
dock("Code", QPlainTextEdit("class DiffScalar:\\n    pass\\n"), right, behind=steps)
dock("History", QUndoView(QUndoStack(window)), right, behind=steps)
model = QStandardItemModel(6, 4)
for r in range(6):
    for c in range(4):
        model.setItem(r, c, QStandardItem(str(r * c)))
table = QTableView()
table.setModel(model)
table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
values = dock("Values", table, right)
descent = QWidget()
descent_column = QVBoxLayout(descent)
for w in (QCheckBox("a"), QDoubleSpinBox(), QPushButton("Descend")):
    descent_column.addWidget(w)
dock("Descent", descent, right, behind=values)
window.statusBar().showMessage("← → step the graph")
window.show()
""" + _SHOWN

_STOP_WHEN_SHOWN = (  # for counting: end the process right there, without quitting
    "    print(_idle[0], time.monotonic(), flush=True)\n",
    "    print(_idle[0], time.monotonic(), flush=True)\n    import os\n    os._exit(0)\n")


def sample(code: str, env: dict[str, str]) -> tuple[float, float]:
    """Seconds until the window was shown and idle, and that plus the time quitting took
    (the wait in between is left out)."""
    start = time.monotonic()  # the same clock in both processes
    done = subprocess.run([sys.executable, "-c", code.replace("SETTLE_MS", str(SETTLE_MS))],
                          env=env, check=True, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True)
    end = time.monotonic()
    idle, quit_asked = (float(x) for x in done.stdout.split()[-2:])
    return idle - start, (idle - start) + (end - quit_asked)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=7, help="samples of each (default 7)")
    p.add_argument("--series", type=int, default=1,
                   help="comparisons one after another (default 1)")
    p.add_argument("--instructions", action="store_true",
                   help="count instructions under valgrind instead of timing")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gradviz-startup-") as home:
        if args.instructions:
            return _count(_environment(home))
        return _measure(args.runs, args.series, _environment(home))


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


def _measure(runs: int, series: int, env: dict[str, str]) -> int:
    sample(BASELINE, env)  # warm the file cache for both
    sample(GRADVIZ, env)
    ratios = [_series(runs, env) for _ in range(series)]
    ratio = statistics.median(ratios)
    if series > 1:
        print(f"{series} series: ratios {', '.join(f'{r:.2f}' for r in ratios)}; "
              f"median {ratio:.2f} (budget {BUDGET})  "
              f"{'ok' if ratio <= BUDGET else 'OVER BUDGET'}")
    return 0 if ratio <= BUDGET else 1


def _series(runs: int, env: dict[str, str]) -> float:
    """One comparison of ``runs`` interleaved samples each, printed; its ratio."""
    base, widgets, ours = [], [], []
    for _ in range(runs):
        base.append(sample(BASELINE, env))
        widgets.append(sample(SAME_WIDGETS, env))
        ours.append(sample(GRADVIZ, env))
    b, w, g = (statistics.median(s for s, _ in xs) for xs in (base, widgets, ours))
    bq, gq = (statistics.median(q for _, q in xs) for xs in (base, ours))
    platform = env.get("QT_QPA_PLATFORM", "display " + env.get("DISPLAY", "?"))
    load = f", load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    print(f"platform: {platform}; {runs} runs each, medians{load}")
    print("                                         window shown   with quitting")
    print(f"  PySide6 + networkx, empty QMainWindow:   {b:.3f} s        {bq:.3f} s")
    print(f"  the same widgets and docks, bare Qt:     {w:.3f} s        "
          f"(ratio {w / b:.2f}, for reference)")
    print(f"  gradviz on the notebook example:         {g:.3f} s        {gq:.3f} s")
    print(f"  ratio {g / b:.2f} (budget {BUDGET})  {'ok' if g / b <= BUDGET else 'OVER BUDGET'}"
          f"   (with quitting {gq / bq:.2f}; {g / w:.2f}x the same widgets in bare Qt)")
    return g / b


def instructions(code: str, env: dict[str, str]) -> int:
    """Machine instructions ``code`` executes until its window is shown and idle."""
    code = code.replace(*_STOP_WHEN_SHOWN)
    subprocess.run([sys.executable, "-c", code.replace("SETTLE_MS", str(SETTLE_MS))],
                   env=env, check=True,  # compiles bytecode
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    code = code.replace("SETTLE_MS", str(SETTLE_MS_COUNTING))
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           sys.executable, "-c", code], env=env, check=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in done.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1].replace(",", ""))
    raise RuntimeError("valgrind reported no instruction count")


def _count(env: dict[str, str]) -> int:
    if shutil.which("valgrind") is None:
        print("--instructions needs valgrind (apt-get install valgrind)", file=sys.stderr)
        return 2
    programs = {"PySide6 + networkx, empty QMainWindow": BASELINE,
                "the same window showing one label": ONE_LABEL,
                "the same widgets and docks, bare Qt": SAME_WIDGETS,
                "gradviz on the notebook example": GRADVIZ}
    with ThreadPoolExecutor() as pool:  # each count is deterministic: run them side by side
        futures = {name: pool.submit(instructions, code, env) for name, code in programs.items()}
        counts = {name: f.result() for name, f in futures.items()}
    base = counts["PySide6 + networkx, empty QMainWindow"]
    platform = env.get("QT_QPA_PLATFORM", "display " + env.get("DISPLAY", "?"))
    print(f"instructions until the window is shown (valgrind; platform: {platform})")
    for name, n in counts.items():
        print(f"  {name + ':':40s} {n / 1e6:8.0f} M   {n / base:.2f}x")
    print("  (the budget is on elapsed time; run without --instructions to check it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
