"""``gradviz export``: a graph at one step (or every step) to PNG, SVG, PDF, GIF, DOT or .gradviz.

Step numbers: ``--step N`` alone is a step index of the whole run, 0 being the inputs
only and the last one every value and gradient (the default). With ``--phase forward``
N counts the forward operations (1 = the first one computed); with ``--phase backward``
N counts the backward steps, 1 being the seed ∂out/∂out = 1 and 2 the first edge. The
caption drawn numbers steps the same way, within their phase ("Backward step 3 of 6").
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ..core.errors import DocumentError, GraphError

SUFFIXES = (".png", ".svg", ".pdf", ".gif", ".dot", ".gradviz")
GIF_MAX_SCALE = 2.0
"""A GIF is drawn at most at this scale (every step is a frame held in memory)."""


def export_parser() -> argparse.ArgumentParser:
    from ..core.loading import CommandParser, add_set_option
    from .theme import DEFAULT_THEME, THEMES

    p = CommandParser(
        prog="gradviz export",
        description="Draw a graph at one step (default: the final state) to a file; "
                    "the format follows the suffix of OUT: " + ", ".join(SUFFIXES),
        epilog="--step N alone is a step of the whole run (0 = only the inputs). With "
               "--phase forward, N counts forward operations; with --phase backward, N "
               "counts backward steps, 1 being the seed, as the caption numbers them. "
               "--all-steps with .pdf gives a "
               "deck (one page per step), with .png numbered frames OUT-001.png …; a "
               ".gif always holds every step, starting with the inputs alone.")
    p.add_argument("program", metavar="PROGRAM_OR_FILE",
                   help="program text, - for standard input, or a program or .gradviz file")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="the file to write")
    p.add_argument("--step", type=int, metavar="N", help="the step to draw (default: the last)")
    p.add_argument("--phase", choices=("forward", "backward"),
                   help="count --step within this phase")
    p.add_argument("--all-steps", action="store_true",
                   help="every step: a PDF deck or numbered PNG frames")
    p.add_argument("--theme", default=DEFAULT_THEME,
                   help=f"{', '.join(THEMES)} (default: {DEFAULT_THEME})")
    p.add_argument("--scale", type=float, default=2.0, metavar="S",
                   help="pixels per scene unit for PNG and GIF (default 2)")
    add_set_option(p)
    return p


def step_index(last: int, forward_count: int, step: int | None, phase: str | None) -> int:
    """The timeline index that ``--step``/``--phase`` name; a clear error when there is none."""
    if step is None:
        if phase == "forward":
            return forward_count
        return last
    if phase is None:
        if not 0 <= step <= last:
            raise GraphError(f"--step {step}: this run has steps 0 to {last}")
        return step
    count = forward_count if phase == "forward" else last - forward_count
    if not 1 <= step <= count:
        raise GraphError(f"--step {step}: the {phase} phase has steps 1 to {count}")
    return step if phase == "forward" else forward_count + step


def run_export(argv: list[str]) -> int:
    args = export_parser().parse_args(argv)
    out = Path(args.output)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise DocumentError(f"cannot export {suffix or 'a file without a suffix'}: "
                            f"use one of {', '.join(SUFFIXES)}", str(out))
    if args.scale <= 0 or args.scale > 20:
        raise GraphError(f"--scale {args.scale}: use a number above 0 and at most 20")
    if args.all_steps and suffix not in (".pdf", ".png", ".gif"):
        raise GraphError(f"--all-steps works with .pdf (a deck), .png (frames) and .gif, not {suffix}")
    from ..core.evaluation import evaluate
    from ..core.loading import load_source
    from .theme import theme_named

    theme = theme_named(args.theme)
    source = load_source(args.program)
    if suffix == ".gradviz":
        return _export_document(source, out)
    run = evaluate(source.graph, dict(args.assignments))
    timeline = run.timeline
    index = step_index(timeline.last, timeline.forward_count, args.step, args.phase)

    from . import export
    from .offscreen import ensure_application
    from .scene import GraphScene

    ensure_application()
    scene = GraphScene(theme)
    try:
        return _draw(scene, source, run, index, suffix, out, args)
    except export.PictureTooLarge as exc:
        scale = min(args.scale, GIF_MAX_SCALE) if suffix == ".gif" else args.scale
        raise DocumentError(f"{exc.reason}; use a smaller --scale (now {scale:g}) or "
                            f"export SVG or PDF", str(out)) from None
    finally:
        scene.clear()
        scene.deleteLater()


def _draw(scene, source, run, index: int, suffix: str, out: Path, args) -> int:
    """Draw the step (or every step) the arguments name to ``out``."""
    from . import export

    scene.set_graph(source.graph, run)
    scene.show_step(index)
    every = list(range(run.timeline.last + 1))
    if suffix == ".png" and args.all_steps:
        written = export.write_frames(scene, out, args.scale, every)
        print(f"wrote {len(written)} frames: {written[0]} … {written[-1]}")
        return 0
    if suffix == ".png":
        export.write_png(scene, out, args.scale)
    elif suffix == ".svg":
        export.write_svg(scene, out)
    elif suffix == ".pdf":
        export.write_pdf(scene, out, every if args.all_steps else None)
    elif suffix == ".gif":
        export.write_gif(scene, out, min(args.scale, GIF_MAX_SCALE), every)
    else:
        export.write_dot(scene, out)
    print(f"wrote {out}")
    return 0


def _export_document(source, out: Path) -> int:
    from ..core import fileformat

    doc = fileformat.GraphDocument(graph=source.graph, description=source.description,
                                   view={}, program=source.program)
    fileformat.write(out, doc)
    print(f"wrote {out}")
    return 0
