"""``gradviz descend``: steps of gradient descent on a program, the output after each.

The parameters are the inputs named by ``--params``; without it, a .gradviz file's own
marks (every input it does not hold fixed) or, for program text, every input. The
learning rate is ``--rate``, else the file's, else `descent.DEFAULT_RATE`.
"""
from __future__ import annotations

import argparse
import json
import math

from .core.descent import (
    DEFAULT_RATE,
    MAX_STEPS,
    DescentError,
    descend,
    parameters,
    parameters_named,
)
from .core.document import FIXED, RATE
from .core.loading import (
    CommandParser,
    add_set_option,
    apply_assignments,
    load_source,
)
from .core.notation import format_number
from .core.report import input_names
from .core.terminal import emit, emit_notes


def _rate(text: str) -> float:
    try:
        rate = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number (e.g. 0.1)") from None
    if not math.isfinite(rate):
        raise argparse.ArgumentTypeError(f"{text!r}: the learning rate must be a finite "
                                         "number")
    return rate


def _steps(text: str) -> int:
    try:
        steps = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= steps <= MAX_STEPS:
        raise argparse.ArgumentTypeError(
            f"the number of steps must be from 1 to {MAX_STEPS:,}, not {steps}")
    return steps


def descend_parser() -> argparse.ArgumentParser:
    """The arguments of ``gradviz descend``."""
    p = CommandParser(prog="gradviz descend",
                      description="Take steps of gradient descent, p ← p − rate·∂out/∂p for "
                                  "each parameter p, and print the output after each step.")
    p.add_argument("program", metavar="PROGRAM",
                   help="program text, - for standard input, or a path to a program or "
                        ".gradviz file")
    p.add_argument("--rate", type=_rate, default=None, metavar="R",
                   help=f"the learning rate (default: the file's, else {DEFAULT_RATE})")
    p.add_argument("--steps", type=_steps, default=1, metavar="N",
                   help="how many steps (default 1)")
    p.add_argument("--params", default=None, metavar="a,b",
                   help="the inputs to move, by name (default: every input a .gradviz "
                        "file does not hold fixed; for program text, every input)")
    add_set_option(p)
    p.add_argument("--json", action="store_true",
                   help='print JSON: {"history": [...], "inputs": {...}, ...}')
    return p


def run_descend(argv: list[str]) -> int:
    """``gradviz descend``: print the output before and after each step (or JSON)."""
    args = descend_parser().parse_args(argv)
    source = load_source(args.program, dict(args.assignments))  # names it lacks, too
    emit_notes(source.notes)
    view = source.view or {}  # a .gradviz file's marks and rate
    graph = apply_assignments(source.graph, args.assignments)  # by name or id
    if args.params is not None:
        params = parameters_named(graph, args.params.split(","))
    else:
        fixed = view.get(FIXED, [])
        params = parameters(graph, fixed)
        if not params:
            raise DescentError("every input is held fixed: name the parameters with "
                               "--params")
    rate = args.rate if args.rate is not None else view.get(RATE, DEFAULT_RATE)
    run = descend(graph, params, rate, args.steps)
    out = graph.node(run.run.output).label
    # Every input's final value by a name no other input has (a repeated label gets
    # its id: x#x_2), so two inputs that share a label are both reported.
    names = input_names(run.graph)
    inputs = {names[n.id]: n.value for n in run.graph.inputs()}
    if args.json:
        doc = {"output": out, "rate": rate, "params": [names[p] for p in params],
               "start": run.start, "history": list(run.history), "inputs": inputs}
        emit(json.dumps(doc, indent=2, ensure_ascii=False), lines=True)
        return 0
    emit(f"step 0: {out} = {format_number(run.start)}")
    for k, value in enumerate(run.history, 1):
        emit(f"step {k}: {out} = {format_number(value)}")
    moved = ", ".join(f"{names[p]} = {format_number(run.graph.node(p).value)}"
                      for p in params)
    emit(f"after {args.steps} step{'s' if args.steps != 1 else ''} at rate "
         f"{format_number(rate)}: {moved}")
    return 0
