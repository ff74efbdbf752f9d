"""How fast does the app answer? Five things a user does, timed in the real main window.

Each is timed in milliseconds until the window has painted and its event loop has
nothing left to do, with the values table shown.

Run from the repository root::

    python benchmarks/app.py                   # offscreen unless DISPLAY is set
    python benchmarks/app.py --nodes 1000 --repeats 3
    python benchmarks/app.py --only input step --values-hidden   # the rest without the table
    python benchmarks/app.py --only open --nodes 5000 10000

The window is `gradviz.app.launch.make_window`'s, 1600x1000, shown, on generated programs
the way a lecturer writes them: a chain of micrograd-style neurons
(``h7 = tanh(w7 * h6 + u7 * h4 + b7)``, each weight and bias an input) ending in a
squared error, about 100, 1,000 or 5,000 nodes. What is timed:

- **open**: a program opened in the running app (a first small window, not timed, has
  loaded the app's modules): parsed, the main window made on it, resized and shown (its
  values panel shown, as a new window has it); until the canvas has painted and the
  loop is idle. Each sample is a new window on another program of that size. Goals 2 s
  at 5,000 nodes and 4 s at 10,000.
- **input change**: one input's number box in the inputs panel gets a new value (the
  first input, upstream of every neuron), as when the user types it and presses Return;
  until every value is redrawn. Goal 50 ms at 1,000 nodes.
- **typed program**: the editor holds a new program of the same size (another seed, so
  the wiring differs) and the typing pause ends (``flush()``); until the new graph is laid
  out and drawn. Setting the editor's text is not timed: that is the typing. Goal 500 ms.
- **one step**: the player's next step (what → does), animations off, from the middle of
  the timeline (the jump there is not timed). Goal 30 ms at 1,000 nodes. (A graph of
  1,000 nodes opens on its start, too big to read whole: a step out of sight changes
  nothing on the canvas, and the sample says "not drawn".)
- **values table shown**: with a program just opened while the values panel was hidden,
  the panel is shown (View → Panels); until the table is painted. The goal is that it
  never blocks at 5,000 nodes: no stretch of work longer than 100 ms, in which a key press
  would wait.

When it is over, and what a stall is. During a sample a zero-interval timer runs on every
turn of the event loop, so the loop never waits and each turn's work shows as the time
between two of its ticks. A turn that used more than `WORK_CPU_MS` of this thread's CPU
time did work (a turn that only lost the processor to another program did not); the
operation is over at the tick after the last such turn, once `SETTLE_MS` have passed with
no more work, and the canvas's viewport (or, for the table, the table's) must have painted
by then, else the sample is marked "not drawn". Painting is included; with a real display,
what the window system does after Qt has handed over the picture is not. The "longest
stall" is the longest time between two ticks: the longest a key press would have waited
for the loop. Work that never returns to the loop is one stall as long as the operation.

Each time is the median of the repeats (elapsed time, so a busy machine shows). Each
operation at each size runs in a fresh Python process with a budget (`BUDGET_S`, opening
the window included), so that the run takes minutes however slow the app is: what does
not finish in time is shown as "over"; a first sample longer than `LONG_SAMPLE_S` is not
repeated, and then the larger sizes of that operation are not tried. Settings
are kept in memory (``GRADVIZ_SETTINGS=memory``), so the user's own are never touched and
nothing is autosaved. Nothing here asserts a time: the goals are printed beside the
results.
"""
from __future__ import annotations

import argparse
import os
import queue
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import partial
from itertools import count
from typing import Callable, Iterator

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GRADVIZ_SETTINGS", "memory")

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QDockWidget, QWidget  # noqa: E402

from gradviz.app.launch import make_window  # noqa: E402
from gradviz.core import language  # noqa: E402

SETTLE_MS = 100
"""How long the loop must do no work for an operation to count as over."""
WORK_CPU_MS = 0.5
"""A turn of the loop using more CPU time than this did work (a bare tick uses ~0.02 ms)."""
GIVE_UP_S = 60.0
"""A sample that never settles (a running animation, say) is abandoned after this."""
STALL_GOAL_MS = 100.0
"""Longer than this without the loop turning, a key press visibly waits: a block."""
SIZE = (1600, 1000)
NODES_PER_NEURON = 8  # three inputs, two products, two sums, one tanh


def program(nodes: int, seed: int = 0) -> str:
    """A chain of neurons of about ``nodes`` nodes, in gradviz's program language."""
    rng = random.Random(seed)
    lines = ["x0 = 0.5", "x1 = -1.5", "x2 = 2.0"]
    earlier = ["x0", "x1", "x2"]
    for i in range(max(1, round((nodes - 7) / NODES_PER_NEURON))):
        w, u, b = (rng.uniform(-1, 1) for _ in range(3))
        lines += [f"w{i} = {w:.2f}", f"u{i} = {u:.2f}", f"b{i} = {b / 2:.2f}"]
        skip = earlier[-rng.randint(2, min(4, len(earlier)))]
        lines.append(f"h{i} = tanh(w{i} * {earlier[-1]} + u{i} * {skip} + b{i})")
        earlier.append(f"h{i}")
    lines.append(f"loss = ({earlier[-1]} - 1) ** 2")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Sample:
    ms: float
    """From the start of the operation to the end of its last work."""
    stall_ms: float
    """The longest time between two turns of the event loop."""
    drawn: bool
    """The widget that shows the result painted."""


class _Paints(QObject):
    """Counts the paint events of one widget."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.count = 0
        self._widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False

    def remove(self) -> None:
        self._widget.removeEventFilter(self)


def measure(operation: Callable[[], object],
            painted: QWidget | Callable[[object], QWidget] | None = None) -> Sample:
    """Run ``operation`` from the event loop and time it until the loop is idle again.

    ``painted`` is the widget that must have painted by then, or a function giving it
    from what ``operation`` returned (the window an opening makes).
    """
    loop = QEventLoop()
    tick = QTimer()
    tick.setInterval(0)
    watched: list[_Paints] = [_Paints(painted)] if isinstance(painted, QWidget) else []
    clock, cpu = time.perf_counter, time.thread_time
    state = {"start": 0.0, "last": 0.0, "cpu": 0.0, "end": 0.0, "stall": 0.0, "paints": 0}

    def start() -> None:
        state["start"] = state["last"] = state["end"] = clock()
        state["cpu"] = cpu()
        for paints in watched:
            paints.count = 0
        made = operation()
        if callable(painted):  # made just now: watched before the loop turns again
            watched.append(_Paints(painted(made)))
        tick.start()

    def on_tick() -> None:
        now, used = clock(), cpu()
        state["stall"] = max(state["stall"], now - state["last"])
        if (used - state["cpu"]) * 1000 > WORK_CPU_MS:
            state["end"] = now
            state["paints"] = watched[0].count if watched else 1
        state["last"], state["cpu"] = now, used
        if (now - state["end"]) * 1000 >= SETTLE_MS or now - state["start"] > GIVE_UP_S:
            tick.stop()
            loop.quit()

    tick.timeout.connect(on_tick)
    QTimer.singleShot(0, start)
    loop.exec()
    for paints in watched:
        paints.remove()
    return Sample((state["end"] - state["start"]) * 1000, state["stall"] * 1000,
                  painted is None or state["paints"] > 0)


def settle() -> None:
    """Let the window finish whatever it has to do (not timed)."""
    measure(lambda: None)


VALUES_SHOWN = True
"""Whether the values panel is in view while the other operations are timed
(``--values-hidden`` shows what they cost without it)."""


def new_window(text: str):
    """The main window on ``text``, parsed, made and shown (what opening a file does)."""
    window = make_window(language.parse(text), text, "benchmark")
    window.resize(*SIZE)
    window.show()
    return window


def open_window(text: str):
    """The main window on ``text``, shown and idle, with the values panel in view."""
    window = new_window(text)
    window.player.animations_enabled = False
    settle()
    set_values_panel(window, VALUES_SHOWN)
    settle()
    return window


def values_dock(window) -> QDockWidget | None:
    """The dock that holds the values table, found from the table itself."""
    widget = window.values_table
    while widget is not None and not isinstance(widget, QDockWidget):
        widget = widget.parentWidget()
    return widget


def set_values_panel(window, shown: bool) -> None:
    dock = values_dock(window)
    if dock is None:
        window.values_table.setVisible(shown)
        return
    if dock.isVisible() != shown:
        dock.toggleViewAction().trigger()  # what View → Panels does
    if shown:
        dock.raise_()  # in front, should it share a tab with another panel


def close(window) -> None:
    window.document.undo_stack.setClean()  # closing must not ask about unsaved changes
    window.close()
    window.deleteLater()
    settle()


# --- the operations: each yields samples for as long as asked -------------------------
def opening(nodes: int) -> Iterator[Sample]:
    close(open_window(program(10)))  # the app's modules loaded, as in a running app
    opened = []

    def canvas_of(window):
        opened.append(window)
        return window.view.viewport()

    for i in count():
        sample = measure(partial(new_window, program(nodes, seed=i % 2)), canvas_of)
        close(opened.pop())
        yield sample


def input_change(nodes: int) -> Iterator[Sample]:
    window = open_window(program(nodes))
    try:
        first = next(iter(window.document.graph.inputs())).label
        box = window.inputs_panel.row(first).spin
        base = box.value()
        for i in count():
            value = base + 0.1 * (1 + i % 2)  # always a new value
            yield measure(partial(box.setValue, value), window.view.viewport())
    finally:
        close(window)


def typed_program(nodes: int) -> Iterator[Sample]:
    window = open_window(program(nodes, seed=0))
    editor = window.program_panel.editor
    flushed = []
    editor.programEdited.connect(lambda _text: flushed.append(True))
    try:
        for i in count():
            text = program(nodes, seed=1 + i % 2)  # always another program
            flushed.clear()
            measure(partial(editor.setPlainText, text))  # the typing, not timed
            if flushed:
                raise RuntimeError("the typing pause ended before it could be skipped")
            yield measure(editor.flush, window.view.viewport())
    finally:
        close(window)


def one_step(nodes: int) -> Iterator[Sample]:
    window = open_window(program(nodes))
    player = window.player
    try:
        for i in count():
            if i % 20 == 0:  # from the middle of the timeline, far from its end
                set_values_panel(window, False)  # the jump changes every row: not timed
                measure(lambda: player.go_to(player.last // 2, animate=False))
                set_values_panel(window, VALUES_SHOWN)
                settle()
            yield measure(player.next, window.view.viewport())
    finally:
        close(window)


def values_table_shown(nodes: int) -> Iterator[Sample]:
    window = open_window(program(nodes, seed=0))
    try:
        for i in count():
            set_values_panel(window, False)
            text = program(nodes, seed=1 + i % 2)  # opened with the panel hidden
            measure(partial(window.document.reset, language.parse(text), text, "benchmark"))
            yield measure(lambda: set_values_panel(window, True),
                          window.values_table.viewport())
    finally:
        close(window)


@dataclass(frozen=True)
class Operation:
    key: str
    """What ``--only`` calls it."""
    name: str
    run: Callable[[int], Iterator[Sample]]
    goal: str
    goals: tuple[tuple[int, float | None], ...]
    """(nodes, ms) for each size a goal is set for (other sizes are shown without a
    verdict); ms None: the goal is about stalls, not the whole time."""

    def verdict(self, nodes: int, median_ms: float, stall_ms: float) -> str:
        for goal_nodes, goal_ms in self.goals:
            if abs(nodes - goal_nodes) <= goal_nodes // 10:
                ok = stall_ms <= STALL_GOAL_MS if goal_ms is None else median_ms <= goal_ms
                return "ok" if ok else "over"
        return ""


OPERATIONS = (
    Operation("open", "open", opening, "2 s at 5,000 nodes, 4 s at 10,000",
              ((5000, 2000.0), (10000, 4000.0))),
    Operation("input", "input change", input_change, "50 ms at 1,000 nodes", ((1000, 50.0),)),
    Operation("typed", "typed program", typed_program, "500 ms at 1,000 nodes",
              ((1000, 500.0),)),
    Operation("step", "one step", one_step, "30 ms at 1,000 nodes", ((1000, 30.0),)),
    Operation("values", "values table shown", values_table_shown,
              f"no stall > {STALL_GOAL_MS:.0f} ms at 5,000 nodes", ((5000, None),)),
)
LONG_SAMPLE_S = 5.0
"""A first sample longer than this is not repeated, and larger programs are not tried for
that operation."""
BUDGET_S = 60.0
"""Each operation at each size runs in a process of its own, ended after this long: work
that never returns to the event loop cannot be stopped otherwise, and the whole run must
stay within minutes however slow the app is."""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--nodes", type=int, nargs="+", default=[100, 1000, 5000],
                   help="program sizes, about (default 100 1000 5000)")
    p.add_argument("--repeats", type=int, default=5,
                   help="samples of each operation at each size (default 5)")
    p.add_argument("--only", choices=[op.key for op in OPERATIONS], nargs="+",
                   help="only these operations")
    p.add_argument("--values-hidden", action="store_true",
                   help="time the other operations with the values panel hidden")
    p.add_argument("--budget", type=float, default=BUDGET_S,
                   help=f"seconds for one operation at one size (default {BUDGET_S:.0f})")
    p.add_argument("--child", nargs=2, metavar=("OPERATION", "NODES"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        return _child(args.child[0], int(args.child[1]), args.repeats, args.values_hidden)
    chosen = [op for op in OPERATIONS if not args.only or op.key in args.only]
    platform = os.environ.get("QT_QPA_PLATFORM") or "display " + os.environ.get("DISPLAY", "?")
    load = f", load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    panel = "hidden" if args.values_hidden else "shown"
    print(f"platform: {platform}; window {SIZE[0]}x{SIZE[1]}, values panel {panel}; "
          f"medians of {args.repeats}{load}")
    print("| operation | nodes | median ms | longest stall ms | goal | |")
    print("|---|---:|---:|---:|---|---|")
    for op in chosen:
        too_slow = ""
        for n in sorted(args.nodes):
            nodes = len(language.parse(program(n)).nodes())
            if too_slow:
                print(f"| {op.name} | {nodes} | not run: {too_slow} | | {op.goal} | |")
                continue
            samples, failure = _in_child(op, n, args)
            if not samples:
                too_slow = f"{nodes} nodes {failure}"
                print(f"| {op.name} | {nodes} | {failure} | | {op.goal} | |", flush=True)
                continue
            if samples[0].ms / 1000 > LONG_SAMPLE_S:
                too_slow = f"{nodes} nodes took {samples[0].ms / 1000:.0f} s"
            ms = statistics.median(s.ms for s in samples)
            stall = statistics.median(s.stall_ms for s in samples)
            notes = "" if all(s.drawn for s in samples) else " (not drawn)"
            if len(samples) < args.repeats:
                notes += f" ({len(samples)} run{'s' if len(samples) > 1 else ''})"
            print(f"| {op.name} | {nodes} | {ms:.0f}{notes} | {stall:.0f} | {op.goal} "
                  f"| {op.verdict(nodes, ms, stall)} |", flush=True)
    return 0


def _child(key: str, nodes: int, repeats: int, values_hidden: bool) -> int:
    """Print one line per sample of one operation at one size."""
    global VALUES_SHOWN
    VALUES_SHOWN = not values_hidden
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("gradviz")
    runs = next(op for op in OPERATIONS if op.key == key).run(nodes)
    for i in range(repeats):
        sample = next(runs)
        print(sample.ms, sample.stall_ms, int(sample.drawn), flush=True)
        if i == 0 and sample.ms / 1000 > LONG_SAMPLE_S:
            break
    runs.close()  # closes the window
    return 0


def _in_child(op: Operation, nodes: int, args) -> tuple[list[Sample], str]:
    """The samples a process of its own measured, and what went wrong if none."""
    command = [sys.executable, __file__, "--child", op.key, str(nodes),
               "--repeats", str(args.repeats)] + (["--values-hidden"] if args.values_hidden else [])
    with tempfile.TemporaryFile("w+") as errors:
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True)
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_read_lines, args=(child.stdout, lines), daemon=True).start()
        samples, deadline = [], time.monotonic() + args.budget
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            try:
                ms, stall, drawn = line.split()
                samples.append(Sample(float(ms), float(stall), drawn == "1"))
            except ValueError:  # something else the app printed
                continue
        timed_out = child.poll() is None
        if timed_out:
            child.kill()
        child.wait()
        errors.seek(0)
        said = [x for x in errors.read().splitlines() if x.strip()]
    if samples:
        return samples, ""
    if timed_out:
        return [], f"over {args.budget:.0f} s"
    return [], "failed: " + (said[-1] if said else f"exit code {child.returncode}")


def _read_lines(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


if __name__ == "__main__":
    sys.exit(main())
