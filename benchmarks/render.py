"""How fast does gradviz draw? Layout, scene build, PNG and SVG for 100, 1,000 and 5,000
nodes, beside a bare QGraphicsScene (one ellipse, one text, one path per node) in the
same run.

Run: python benchmarks/render.py [--repeats 3] [--clock wall|cpu]. PNGs are 1920x1080 with the whole scene
fitted in, for gradviz and the bare scene alike; SVG is the whole scene at 1:1. Each
time is the median of the repeats, in milliseconds. Every repeat measures its texts
afresh (the text-width caches are emptied), as a first export does.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from layout import BOUNDED_MIX, random_dag  # noqa: E402  (the sibling benchmark's graphs)
from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath  # noqa: E402
from PySide6.QtWidgets import QGraphicsScene  # noqa: E402

from gradviz.core.evaluation import evaluate  # noqa: E402
from gradviz.core.layout import layered_layout  # noqa: E402
from gradviz.render import export  # noqa: E402
from gradviz.render.offscreen import ensure_application  # noqa: E402
from gradviz.render.scene import GraphScene  # noqa: E402
from gradviz.render.theme import THEMES  # noqa: E402
from gradviz.render.typeface import fonts_for  # noqa: E402

W, H = 1920, 1080


CLOCK = time.perf_counter
"""Elapsed time by default; ``--clock cpu`` measures this process's CPU time, steadier
on a shared machine (waiting for a core is not drawing)."""


def timed(fn):
    start = CLOCK()
    result = fn()
    return (CLOCK() - start) * 1000, result


def render_fitted(scene: QGraphicsScene, rect: QRectF) -> QImage:
    image = QImage(W, H, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    scene.render(painter, QRectF(0, 0, W, H), rect, Qt.AspectRatioMode.KeepAspectRatio)
    painter.end()
    return image


def bare_scene(n: int) -> QGraphicsScene:
    scene = QGraphicsScene()
    cols = max(1, int(n ** 0.5))
    prev = QPointF(0, 0)
    for i in range(n):
        p = QPointF((i % cols) * 160.0, (i // cols) * 90.0)
        scene.addEllipse(p.x(), p.y(), 40, 40)
        scene.addSimpleText(f"v{i} = {i * 0.5}").setPos(p.x() + 45, p.y())
        path = QPainterPath(prev)
        path.cubicTo(prev + QPointF(40, 0), p - QPointF(40, 0), p)
        scene.addPath(path)
        prev = p
    return scene


def measure(n: int) -> dict[str, float]:
    graph = random_dag(0, n - 4, BOUNDED_MIX)
    t = {}
    t["evaluate"], run = timed(lambda: evaluate(graph))
    t["layout"], _ = timed(lambda: layered_layout(graph))
    fonts_for.cache_clear()  # every repeat measures its texts afresh, as a first export does
    scene = GraphScene(THEMES["projector"])
    t["scene"], _ = timed(lambda: scene.set_graph(graph, run))  # measures, lays out, builds
    rect = scene.content_rect()
    t["png"], _ = timed(lambda: render_fitted(scene, rect))
    t["svg"], _ = timed(lambda: export.svg_bytes(scene))
    t["step"], _ = timed(lambda: scene.show_step(len(run.timeline) // 2))
    scene.clear()
    t["bare build"], bare = timed(lambda: bare_scene(n))
    brect = bare.itemsBoundingRect()
    t["bare png"], _ = timed(lambda: render_fitted(bare, brect))
    bare.clear()
    return t


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 5000])
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    args = parser.parse_args()
    global CLOCK
    CLOCK = time.process_time if args.clock == "cpu" else time.perf_counter
    ensure_application()
    cols = ["evaluate", "layout", "scene", "png", "svg", "step", "bare build", "bare png"]
    print("| nodes | " + " | ".join(cols) + " | gradviz scene + png | bare build + png | ratio |")
    print("|---:|" + "---:|" * (len(cols) + 3))
    for n in args.sizes:
        runs = [measure(n) for _ in range(args.repeats)]
        med = {c: statistics.median(r[c] for r in runs) for c in cols}
        ours = med["scene"] + med["png"]
        bare = med["bare build"] + med["bare png"]
        print(f"| {n} | " + " | ".join(f"{med[c]:.0f}" for c in cols)
              + f" | {ours:.0f} | {bare:.0f} | {ours / bare:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
