"""The command line: ``gradviz`` (the app), ``gradviz grad …`` and ``gradviz export …``.

Every error ends as one line on stderr and a non-zero exit, never a traceback: `failure`
is the one place an exception leaving a command becomes that line and its exit code.
Every line printed goes through `terminal.emit`, which escapes what a terminal would obey.
"""
from __future__ import annotations

import argparse
import json
import sys

from .core.errors import GradvizError
from .core.notation import format_number

EXIT_ERROR = 2
EXIT_CHECK_FAILED = 1
EXIT_INTERNAL = 3
"""A failure gradviz has no message for (a bug): still one line, never a traceback."""


def grad_parser() -> argparse.ArgumentParser:
    """The arguments of ``gradviz grad``."""
    from .core.loading import CommandParser, add_set_option

    p = CommandParser(prog="gradviz grad",
                                description="Print the output's value and every input's gradient.")
    p.add_argument("program", metavar="PROGRAM",
                   help='program text (e.g. "a = 2; b = 3; e = (a + b) * (b + 1)"), '
                        "- for standard input, or a path to a program or .gradviz file")
    add_set_option(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--mode", choices=("reverse", "forward"),
                   help="reverse mode (one backward pass, the default) or forward mode "
                        "(dual numbers: one pass per input); given, the text output says "
                        "the passes")
    p.add_argument("--check", action="store_true",
                   help="compare with finite differences and, when installed, PyTorch")
    return p


def run_grad(argv: list[str]) -> int:
    """``gradviz grad``: print the output's value and each input's gradient (and the
    check against finite differences and PyTorch); returns the exit code."""
    from .core.check import check_gradients
    from .core.evaluation import evaluate
    from .core.loading import apply_assignments, load_source
    from .core.report import input_gradients, inputs_report, value_names
    from .core.terminal import distinct_names, emit, emit_notes

    args = grad_parser().parse_args(argv)
    source = load_source(args.program, dict(args.assignments))  # names it lacks, too
    graph = apply_assignments(source.graph, args.assignments)
    result = evaluate(graph)
    emit_notes(source.notes)
    out_label = graph.node(result.output).label
    grads = input_gradients(graph, result)
    mode, passes, counts, forward_grads = args.mode or "reverse", 1, None, None
    if mode == "forward":
        from .core.forward import compare, forward_mode_of
        from .core.report import input_names

        run = forward_mode_of(result)
        forward_grads = run.gradients()  # by input id
        grads = {name: forward_grads.get(n, 0) for n, name in input_names(graph).items()}
        passes, counts = len(run), compare(run, result)
    # In forward mode the check is of forward mode's gradients.
    checks = check_gradients(graph, grads=forward_grads) if args.check else []
    if args.json:
        inputs = inputs_report(graph, result)
        if forward_grads is not None:
            for row in inputs:
                row["gradient"] = forward_grads.get(row["id"], 0)
        doc = {"output": out_label, "value": result.value, "mode": mode, "passes": passes,
               "grads": grads, "inputs": inputs, "values": value_names(graph, result)}
        if args.check:
            doc["check"] = [{"input": c.input, "engine": c.engine,
                             "finite_difference": c.finite_difference, "torch": c.torch,
                             "ok": c.ok, "checked": c.checked, "note": c.note,
                             "no_torch": c.no_torch}
                            for c in checks]
        emit(json.dumps(doc, indent=2, ensure_ascii=False), lines=True)
    else:
        shown = distinct_names([out_label, *grads])
        out = shown[out_label]
        emit(f"{out} = {format_number(result.value)}")
        for name, g in grads.items():
            emit(f"∂{out}/∂{shown[name]} = {format_number(g)}")
        if counts is not None:
            emit(f"forward mode: {passes} pass{'' if passes == 1 else 'es'}, one per "
                 f"input ({counts.text()})")
        elif args.mode:
            emit("reverse mode: 1 backward pass")
        for c in checks:
            fd = "n/a" if c.finite_difference is None else format_number(c.finite_difference)
            torch = "" if c.torch is None else f", PyTorch {format_number(c.torch)}"
            emit(f"check {shown.get(c.input, c.input)}: engine {format_number(c.engine)}, "
                 f"finite difference {fd}{torch}: {c.verdict()}"
                 f"{'  (' + c.note + ')' if c.note else ''}")
        if checks and all(c.torch is None for c in checks):
            emit(f"({checks[0].no_torch}: compared with finite differences only)")
    return EXIT_CHECK_FAILED if any(not c.ok for c in checks) else 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] == "grad":
            return run_grad(argv[1:])
        if argv and argv[0] == "descend":
            from .descend_command import run_descend
            return run_descend(argv[1:])
        if argv and argv[0] == "export":
            from .render.export_command import run_export
            return run_export(argv[1:])
        from .app.launch import run_app
        return run_app(argv)
    except BaseException as exc:  # noqa: BLE001 (the edge: everything ends here as one line)
        return failure(exc)


def failure(exc: BaseException) -> int:
    """The exit code for ``exc`` leaving a command, after its one line on stderr."""
    from .core.terminal import OutputError, emit

    if isinstance(exc, SystemExit):  # --help, or a code a command chose
        raise exc
    if isinstance(exc, KeyboardInterrupt):
        return 130
    if isinstance(exc, OutputError):
        _silence_stdout()  # Python's own flush at exit would fail the same way again
    code, message = EXIT_ERROR, str(exc)
    if isinstance(exc, UnicodeError):
        message = f"the text is not valid UTF-8 ({exc})"
    elif isinstance(exc, MemoryError):
        message = "out of memory: the input is too large to work with"
    elif isinstance(exc, RecursionError):
        message = "the input is nested too deeply to work with"
    elif isinstance(exc, OSError):
        message = f"{exc.filename}: {exc.strerror}" if exc.filename else (exc.strerror or message)
    elif not isinstance(exc, GradvizError):
        code = EXIT_INTERNAL
        message = (f"internal error ({type(exc).__name__}: {exc}); please report it with the "
                   "command that caused it")
    try:
        emit(f"gradviz: {' '.join(message.split())}", err=True)
    except OutputError:
        pass  # nowhere left to say it: the exit code does
    return code


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test's capture): nothing to flush at exit


if __name__ == "__main__":
    sys.exit(main())
