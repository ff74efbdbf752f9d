"""The messages a program gets for what the language refuses, by construct."""
from __future__ import annotations

import ast

from .ops import FUNCTIONS

SYMBOLS = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<",
           ast.RShift: ">>", ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&"}
"""Operators Python has and gradviz does not, as written."""


def unknown_name(kind: str, name: str) -> str:
    import difflib  # only for a message, not on the way to the app's first frame

    close = difflib.get_close_matches(name, list(FUNCTIONS), n=3, cutoff=0.6)
    if close:
        return f"unknown {kind} {name}; did you mean {' or '.join(close)}?"
    return f"unknown {kind} {name} (known: {', '.join(FUNCTIONS)})"


def constant_refusal(value: object) -> str:
    if isinstance(value, str):
        return "strings are not allowed"
    if isinstance(value, bytes):
        return "bytes are not allowed"
    if isinstance(value, bool):
        return f"{value} is not a number; booleans are not allowed"
    if isinstance(value, complex):
        return "complex numbers are not allowed"
    return f"{value!r} is not a number"


EXPRESSION_REFUSALS: dict[type, str] = {
    ast.Subscript: "subscripts (x[i]) are not allowed",
    ast.Attribute: "reading attributes is not allowed; only method calls like x.tanh() are",
    ast.Lambda: "lambdas are not allowed",
    ast.Compare: "comparisons are not allowed",
    ast.BoolOp: "boolean operators (and, or, not) are not allowed",
    ast.IfExp: "conditional expressions (x if c else y) are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.FormattedValue: "f-strings are not allowed",
    ast.NamedExpr: "the walrus operator := is not allowed; use a line of its own",
    ast.Starred: "starred expressions are not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
    ast.Slice: "slices are not allowed",
}


def expression_refusal(node: ast.expr) -> str:
    if type(node) in EXPRESSION_REFUSALS:
        return EXPRESSION_REFUSALS[type(node)]
    if isinstance(node, (ast.Set, ast.Dict)):
        return "sets and dicts are not allowed (lists and tuples are)"
    if isinstance(node, (ast.SetComp, ast.DictComp)):
        return "set and dict comprehensions are not allowed (list comprehensions are)"
    return f"{type(node).__name__} expressions are not allowed"


STATEMENT_REFUSALS: dict[type, str] = {
    ast.AsyncFor: "async loops are not allowed; use for i in range(n)",
    ast.While: "while loops are not allowed: a loop runs a count known from the text "
               "(for i in range(n))",
    ast.AsyncFunctionDef: "async functions are not allowed; use def",
    ast.Break: "break is not allowed: a loop runs its whole range",
    ast.Continue: "continue is not allowed: a loop runs its whole range",
    ast.Delete: "del is not allowed",
    ast.If: "if statements are not allowed",
    ast.AnnAssign: "annotated assignments are not allowed; write x = …",
    ast.Global: "global is not allowed",
    ast.Nonlocal: "nonlocal is not allowed",
    ast.Pass: "pass is not allowed",
}


def statement_refusal(stmt: ast.stmt) -> str:
    return STATEMENT_REFUSALS.get(
        type(stmt), f"{type(stmt).__name__.lower()} statements are not allowed; only "
                    f"assignments like c = a + b")
