"""``gradviz export``: a graph at one step (or every step) to PNG, SVG, PDF, GIF, DOT or .gradviz.

At the default scale and pages every graph can be written: what was changed so that
the file opens and reads (a PNG scaled down, deck pages that follow the step, a GIF's
steps sampled) is one ``warning:`` line each on stderr.

Step numbers: ``--step N`` alone is a step index of the whole run, 0 being the inputs
only and the last one every value and gradient (the default). With ``--phase forward``
N counts the forward operations (1 = the first one computed); with ``--phase backward``
N counts the backward steps, 1 being the seed ∂out/∂out = 1 and 2 the first edge. The
caption drawn numbers steps the same way, within their phase ("Backward step 3 of 6").

Forward mode: ``--mode forward`` draws forward mode's dual numbers, one pass per input;
``--pass K`` chooses the pass (1 = seeding the first input, the default) and ``--step N``
counts that pass's operations (0 = its start, the default its end). Collapsed groups
are drawn as boxes showing their outputs' dual numbers, as in reverse mode.

Groups: ``--collapse all|NAME|ID`` (repeatable) draws groups as one box each, and every
step then passes over the steps inside a collapsed group, as the app's player does. A
.gradviz file is drawn with the groups its view keeps collapsed unless ``--collapse`` is
given; ``--collapse none`` opens them all.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ..core.errors import DocumentError, GraphError
from . import formats


def export_parser() -> argparse.ArgumentParser:
    from ..core.loading import CommandParser, add_set_option
    from .frames import MAX_GIF_FRAMES
    from .pages import DECK_PAGE, MAX_PAGE_PT, ONE_PAGE, PAGES
    from .theme import THEMES

    suffixes = ", ".join(formats.FORMATS)
    every = "; ".join(f"with {f.suffix}, {f.every_step}" for f in formats.FORMATS.values()
                      if f.every_step and not f.always_every_step)
    always = ", ".join(f.suffix for f in formats.FORMATS.values() if f.always_every_step)
    pixels = " and ".join(f.suffix[1:].upper() for f in formats.FORMATS.values() if f.scale)
    capped = "; ".join(f"a {f.suffix[1:].upper()} at most {f.max_scale:g}"
                       for f in formats.FORMATS.values() if f.max_scale)
    p = CommandParser(
        prog="gradviz export",
        description="Draw a graph at one step (default: the final state) to a file; "
                    "the format follows the suffix of OUT: " + suffixes,
        epilog="--step N alone is a step of the whole run (0 = only the inputs). With "
               "--phase forward, N counts forward operations; with --phase backward, N "
               "counts backward steps, 1 being the seed, as the caption numbers them. "
               f"--all-steps writes every step: {every}; {always} always holds every "
               f"step, starting with the inputs alone (at most {MAX_GIF_FRAMES} frames: "
               "more steps are sampled evenly). By default every graph can be written: "
               "a PNG's long side stays within 8,000 px (a picture too big to read says "
               "it is an overview), GIF frames and deck pages of a graph too big to read "
               "whole follow the step with an overview in a corner, and no PDF page is "
               f"over {MAX_PAGE_PT:,.0f} pt; each such change is a warning line on stderr.")
    p.add_argument("program", metavar="PROGRAM_OR_FILE",
                   help="program text, - for standard input, or a program or .gradviz file")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="the file to write")
    p.add_argument("--step", type=int, metavar="N", help="the step to draw (default: the last)")
    p.add_argument("--phase", choices=("forward", "backward"),
                   help="count --step within this phase")
    p.add_argument("--mode", choices=("reverse", "forward"), default="reverse",
                   help="reverse mode (the default) or forward mode: dual numbers, one "
                        "pass per input")
    p.add_argument("--pass", type=int, metavar="K", dest="pass_number",
                   help="with --mode forward: the pass to draw (1 = seeding the first "
                        "input, the default); --step then counts its operations")
    p.add_argument("--all-steps", action="store_true",
                   help="write every step, to " + ", ".join(
                       f.suffix for f in formats.FORMATS.values() if f.every_step)
                        + " (see below)")
    p.add_argument("--theme", default=formats.EXPORT_THEME,
                   help=f"{', '.join(THEMES)} (default: {formats.EXPORT_THEME})")
    p.add_argument("--scale", type=float, metavar="S",
                   help=f"pixels per scene unit for {pixels} (default "
                        f"{formats.PIXEL_SCALE:g}, lowered to fit the picture's budget; "
                        f"{capped}); a scale given is drawn as given")
    paged = ", ".join(f.suffix for f in formats.FORMATS.values() if f.paged)
    p.add_argument("--page", metavar="SIZE",
                   help=f"the page of {paged}: {', '.join(PAGES)} (default: {DECK_PAGE} "
                        f"for --all-steps, {ONE_PAGE} for one page; {ONE_PAGE} is the "
                        "graph's own size; a4 and letter turn to the graph's shape)")
    p.add_argument("--collapse", action="append", metavar="GROUP",
                   help="draw a group as one box: all, a group's name (every group of that "
                        "name) or its id; repeat for more (a name may hold spaces and "
                        "commas: quote it). A .gradviz file is drawn with the groups it "
                        f"saved collapsed unless --collapse is given; --collapse {OPEN_ALL} "
                        "opens every group. Every step then passes over the steps inside "
                        "a collapsed group, as the app's player does; a .gradviz written "
                        "keeps them collapsed; DOT source holds every node")
    add_set_option(p)
    return p


OPEN_ALL = "none"
"""``--collapse none``: no group collapsed, whatever a .gradviz file saved."""


def collapse_spec(given: list[str] | None, graph, saved: list[str] | None) -> list[str]:
    """The groups to collapse: those ``--collapse`` names (``none``: none), or when it is
    not given those a .gradviz file ``saved`` collapsed; GraphError naming the graph's
    groups for a name it does not have."""
    from ..core.groups import groups_to_collapse

    if given is None:
        return list(saved or [])
    if OPEN_ALL in given:
        if len(given) > 1:
            raise GraphError(f"--collapse {OPEN_ALL} opens every group: give it alone")
        return []
    groups_to_collapse(graph, given)  # one line naming the groups it has
    return given


def load_with_view(arg: str, overrides: dict[str, float] | None = None):
    """What ``arg`` names (see `load_source`) and the group ids its view keeps collapsed
    (None but for a .gradviz file)."""
    from ..core.document import COLLAPSED
    from ..core.loading import load_source

    source = load_source(arg, overrides)
    return source, None if source.view is None else list(source.view.get(COLLAPSED) or [])


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
    fmt = formats.format_for(out)
    formats.check_all_steps(fmt, args.all_steps, str(out))
    try:
        formats.check_scale(args.scale)
        formats.check_page(fmt, args.page, str(out))
    except GraphError as exc:
        raise GraphError(f"--{exc}") from None  # the option, as it was typed
    from .theme import theme_named

    theme_named(args.theme)  # an unknown theme is refused before any work
    from ..core.loading import apply_assignments
    from ..core.terminal import emit, emit_notes

    source, saved = load_with_view(args.program, dict(args.assignments))
    emit_notes(source.notes)
    graph = apply_assignments(source.graph, args.assignments)  # every format holds them
    program = _with_values(source.program, source.graph, graph)
    collapse = collapse_spec(args.collapse, graph, saved)
    job = formats.Export(graph, None, 0, theme=args.theme, scale=args.scale,
                         all_steps=args.all_steps, description=source.description,
                         program=program, page=args.page, collapse=collapse)
    _check_mode(args, fmt)
    formats.check_size(fmt, job, str(out))  # before the run: a refusal comes at once
    if fmt.picture or fmt.every_step:  # a document needs no run: a graph half wired
        # can still be saved; the pictures and the text of the steps need one
        job = _at_step(job, args)
    from .export import PictureTooLarge

    try:
        written, adjustments = formats.write(job, out)
    except PictureTooLarge as exc:  # only a scale given can be too big
        raise DocumentError(f"{exc.reason}; use a smaller --scale (now "
                            f"{fmt.scale_for(args.scale):g}), none (the default fits any "
                            "graph), or export SVG or PDF", str(out)) from None
    for adjustment in adjustments:
        emit(f"gradviz: warning: {adjustment.for_command_line()}", err=True)
    if len(written) > 1:
        emit(f"wrote {len(written)} frames: {written[0]} … {written[-1]}")
    else:
        emit(f"wrote {out}")
    return 0


def _check_mode(args, fmt: formats.ExportFormat) -> None:
    """Refuse options that do not go with ``--mode``, saying which."""
    if args.mode == "reverse":
        if args.pass_number is not None:
            raise GraphError("--pass chooses a forward-mode pass: give --mode forward too")
        return
    if args.phase is not None:
        raise GraphError("--phase counts reverse mode's steps; in forward mode --step "
                         "counts the operations of the pass --pass names")
    if (not fmt.picture and not fmt.every_step) or fmt.suffix == ".dot":
        raise GraphError(f"--mode forward draws a picture or writes the steps; "
                         f"{fmt.suffix} holds the graph only (write .png, .svg, .pdf, "
                         ".gif, .md or .tex)")


def _with_values(program: str | None, before, after) -> str | None:
    """The program text with the numbers ``--set`` gave (its comments and layout kept),
    or None (a document then writes the text anew) where it cannot be edited."""
    if program is None or before is after:
        return program
    from ..core.errors import GradvizError
    from ..core.program_edit import rewrite_program

    try:
        return rewrite_program(program, before, after)
    except GradvizError:
        return None


def _at_step(job: formats.Export, args) -> formats.Export:
    """``job`` with the run of its graph and the step ``--step``/``--phase`` name (in
    forward mode, ``--pass`` and ``--step``)."""
    from ..core.evaluation import evaluate

    run = evaluate(job.graph)  # the values --set gives are the graph's (run_export)
    if args.mode == "forward":
        return _forward_at_step(job._replace(evaluation=run), args)
    timeline = run.timeline
    index = step_index(timeline.last, timeline.forward_count, args.step, args.phase)
    return job._replace(evaluation=run, step=index)


def _forward_at_step(job: formats.Export, args) -> formats.Export:
    """``job`` drawing forward mode at ``--pass K`` and ``--step N`` of that pass."""
    from ..core.forward import forward_mode_of

    forward = forward_mode_of(job.evaluation)
    if len(forward) == 0:
        raise GraphError("--mode forward: the graph has no input, so forward mode has "
                         "no pass")
    k = 1 if args.pass_number is None else args.pass_number
    if not 1 <= k <= len(forward):
        raise GraphError(f"--pass {k}: this graph has passes 1 to {len(forward)} "
                         "(one per input)")
    last = len(forward.pass_at(k - 1))
    step = last if args.step is None else args.step
    if not 0 <= step <= last:
        raise GraphError(f"--step {step}: pass {k} has steps 0 to {last}")
    return job._replace(forward=forward, pass_index=k - 1, step=step)
