"""How smooth is the camera? Milliseconds per frame of a camera move in the real window.

Run from the repository root::

    python benchmarks/camera.py                  # offscreen unless DISPLAY is set
    python benchmarks/camera.py --nodes 100 1000 5000 --moves 20

The window is `gradviz.app.launch.make_window`'s on `app.program(n)` (a chain of
micrograd-style neurons), in presentation mode at 1280x720 (the window left full screen
for that size, the presentation's panels hidden), following the step. What is timed:

- **frame**: one frame of a camera move between the views of two steps a few steps
  apart, as the animation draws it: the view set to a point between the two (`between`),
  then the canvas and the overview painted at once (``repaint``). The median and the
  slowest over every frame of ``--moves`` moves of 20 frames each. Goal: 33 ms (30
  frames a second) at 1,000 nodes.
- **overview picture**: drawing the overview's cached picture of the whole graph once
  (after a new structure or, when idle, new values; never per frame).
- **moves a second**: a real move (the camera's own animation, 300 ms at speed 1) run in
  the event loop, counting the canvas's paints: the frames a viewer sees.

Nothing here asserts a time: the goal is printed beside the results.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GRADVIZ_SETTINGS", "memory")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from app import program  # noqa: E402  (the sibling benchmark's graphs)
from PySide6.QtCore import QElapsedTimer, QEvent, QEventLoop, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gradviz.app.launch import make_window  # noqa: E402
from gradviz.app.step_camera import between  # noqa: E402
from gradviz.core import language  # noqa: E402

SLIDE = (1280, 720)
FRAMES = 20
GOAL_MS = 33.0


class _Paints(QObject):
    def __init__(self, widget) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, _watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def settle(app: QApplication, ms: int = 100) -> None:
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)


def presented(app: QApplication, nodes: int):
    text = program(nodes)
    w = make_window(language.parse(text), text, "benchmark")
    w.show()
    settle(app)
    w.presentation.enter()
    settle(app)
    w.showNormal()
    w.resize(*SLIDE)
    settle(app, 300)
    return w


def measure(app: QApplication, nodes: int, moves: int) -> dict[str, float]:
    w = presented(app, nodes)
    cam, view = w.camera, w.view
    last = w.player.last
    stops = [round(last * (k + 1) / (moves + 2)) for k in range(moves + 1)]
    frames: list[float] = []
    for a, b in zip(stops, stops[1:], strict=False):
        start, end = cam.target(a), cam.target(b)
        for i in range(1, FRAMES + 1):
            t0 = time.perf_counter()
            view.set_view(between(start, end, i / FRAMES))
            view.viewport().repaint()
            if w.minimap.isVisible():
                w.minimap.repaint()
            frames.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    w.minimap.structure_changed()
    w.minimap._render()  # noqa: SLF001  (the one-off picture, timed alone)
    picture_ms = (time.perf_counter() - t0) * 1000
    # A real move through the event loop: the frames a viewer gets.
    w.player.animations_enabled = False
    w.player.go_to(stops[0])
    cam.finish()
    settle(app)
    paints = _Paints(view.viewport())
    clock = QElapsedTimer()
    clock.start()
    w.player.go_to(stops[len(stops) // 2])
    moved = cam.moving
    while cam.moving:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    app.processEvents()  # the last frame's paint
    elapsed = clock.elapsed() if moved else 0
    w.player.finish()
    cam.stop()
    w.document.undo_stack.setClean()
    w.close()
    return {"nodes": len(w.document.graph.nx), "median": statistics.median(frames),
            "worst": max(frames), "picture": picture_ms,
            "fps": paints.count * 1000 / max(1, elapsed), "move_ms": elapsed}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--nodes", type=int, nargs="+", default=[100, 1000])
    p.add_argument("--moves", type=int, default=10)
    args = p.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    print(f"{'nodes':>6} {'frame median':>13} {'slowest':>8} {'overview':>9} "
          f"{'real move':>10}   (ms; goal {GOAL_MS:g} ms a frame at 1,000 nodes)")
    for n in args.nodes:
        r = measure(app, n, args.moves)
        print(f"{r['nodes']:>6} {r['median']:>10.1f} ms {r['worst']:>5.1f} ms "
              f"{r['picture']:>6.1f} ms {r['fps']:>5.0f} fps in {r['move_ms']:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
