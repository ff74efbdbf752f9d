"""The command line: ``gradviz`` (the app), ``gradviz grad …`` and ``gradviz export …``.

Every error ends as one line on stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys

from .core.errors import GradvizError
from .core.notation import format_number

EXIT_ERROR = 2
EXIT_CHECK_FAILED = 1


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
    from .core.loading import load_source

    args = grad_parser().parse_args(argv)
    overrides = dict(args.assignments)
    source = load_source(args.program)
    result = evaluate(source.graph, overrides)
    graph = source.graph
    out_label = graph.node(result.output).label
    grads = result.input_grads()
    mode, passes, counts = args.mode or "reverse", 1, None
    if mode == "forward":
        from .core.forward import compare, forward_mode_of

        run = forward_mode_of(result)
        grads, passes = run.derivatives(), len(run)
        counts = compare(run, result)
    # In forward mode the check is of forward mode's gradients.
    checks = check_gradients(graph, overrides, grads=grads if counts else None) \
        if args.check else []
    if args.json:
        doc = {"output": out_label, "value": result.value, "mode": mode,
               "passes": passes, "grads": grads,
               "values": {graph.node(n).label: v for n, v in result.values.items()
                          if graph.node(n).kind != "const"}}
        if args.check:
            doc["check"] = [{"input": c.input, "engine": c.engine,
                             "finite_difference": c.finite_difference, "torch": c.torch,
                             "ok": c.ok, "note": c.note, "no_torch": c.no_torch}
                            for c in checks]
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        print(f"{out_label} = {format_number(result.value)}")
        for label, g in grads.items():
            print(f"∂{out_label}/∂{label} = {format_number(g)}")
        if counts is not None:
            print(f"forward mode: {passes} pass{'' if passes == 1 else 'es'}, one per "
                  f"input ({counts.text()})")
        elif args.mode:
            print("reverse mode: 1 backward pass")
        for c in checks:
            fd = "n/a" if c.finite_difference is None else format_number(c.finite_difference)
            torch = "" if c.torch is None else f", PyTorch {format_number(c.torch)}"
            verdict = "ok" if c.ok else "MISMATCH"
            print(f"check {c.input}: engine {format_number(c.engine)}, finite difference {fd}"
                  f"{torch}: {verdict}{'  (' + c.note + ')' if c.note else ''}")
        if checks and all(c.torch is None for c in checks):
            print(f"({checks[0].no_torch}: compared with finite differences only)")
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
    except GradvizError as exc:
        print(f"gradviz: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
