"""Whatever a student types, the parser answers with a graph or a ProgramError at a place in
the text, and answers within a second.

Hypothesis writes arbitrary text (any unicode, and text made of the program language's own
characters) and near-valid programs: a valid program (every shipped example, the notebook's,
generated ones, lecture code with def, for and lists) with one token changed, deleted or
duplicated. Example counts: 400 + 600 + 1200 + 300 (about 15 s on one core). A million-step
loop and calls nested or multiplied past the node budget are refused before anything is
built, within bounded memory.

"Within a second" is checked as CPU time of the parse alone (time.process_time), not wall
time and not hypothesis's deadline (which also counts generating the example): on a loaded
2-core CI machine the wall clock measures the neighbours. The slowest inputs here (2,000
augmented assignments, 50,000 terms in one sum) take about 0.25 s CPU, so one CPU second
per example leaves four times that as headroom and still catches anything quadratic.
"""
from __future__ import annotations

import io
import re
import time
import tokenize

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradviz.core.errors import ProgramError
from gradviz.core.examples import list_examples, load_example
from gradviz.core.graph import Graph
from gradviz.core.language import parse

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None,
                derandomize=True)
CPU_SECONDS_PER_PARSE = 1.0

VALID = [load_example(e.name).program for e in list_examples()] + [
    "a = 2; b = 3; e = (a + b) * (b + 1)",
    "x = DiffScalar(0.5, requires_grad=True)\ny = x ** 2 + sin(x)\ny.backward()\n",
    "a = Value(2.0, label='a')\nb = a.tanh()\nb += a * -1.5\nb = b.relu()\n",
    "w = 0.5\nx = -2\nn = sigmoid(w * x + 1)\nl = log(n) - sqrt(abs(w)) / exp(x)\n",
    # lecture code: labels, aliases, notes, def, for, lists
    "from micrograd.engine import Value\nx1 = Value(2.0, label='x1')\nw1 = Value(-3.0)\n"
    "x1w1 = x1*w1; x1w1.label = 'x1*w1'\no = x1w1.tanh(); o.backward()\nxmg, omg = x1, o\n"
    "print(x1.grad, o.data)\no.grad = 1.0\no._backward()\ndraw_dot(o)\n",
    "import torch\na = torch.tensor(2.0, requires_grad=True)\nb = DiffScalar(3)\n"
    "e = (a + b) * (b + 1)\ne.backward()\nprint(a.grad)\n",
    "def neuron(xs, ws, b=0.0):\n    n = sum((x * w for x, w in zip(xs, ws)), b)\n"
    "    return n.tanh()\nxs = [Value(1.0), Value(-2.0)]\nws = [0.5, 0.25]\n"
    "h = [neuron(xs, ws) for _ in range(2)]\nout = neuron(h, ws, b=Value(0.1))\n",
    "x = Value(0.5)\nys = []\nfor i in range(3):\n    x = (x * 1.5 + i).tanh()\n"
    "zs = [x * k for k in range(len([1, 2]))]\nout = zs[0] + zs[-1]\n",
    "class Value:\n    def __init__(self, data):\n        self.data = data\n"
    "a = Value(2.0)\nb = a * a\n",
]
VALID = [p for p in VALID if p]

# What a replaced token becomes: the language's own pieces and the mistakes people make.
TOKENS = ["a", "b", "e", "x", "y", "_", "Value", "DiffScalar", "tanh", "relu", "exp", "log",
          "sqrt", "backward", "print", "math", "np", "__import__", "__class__", "lambda",
          "import", "def", "if", "for", "while", "not", "and", "or", "is", "in", "None", "True",
          "0", "1", "-1", "0.5", "1e308", "1e999", "9" * 400, "0x1F", "1j", "5e-324", "'s'",
          '"""', "'", "f'{a}'", "b''", "+", "-", "*", "/", "//", "%", "**", "@", "~", "<<",
          "&", "|", "^", "==", "<", "=", "+=", "-=", "*=", "/=", "**=", "//=", ":=", "->",
          "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "...", "\\", "#", "!", "?", "$",
          "`", "\n", "\r", "\r\n", "\t", " ", "  ", "\x0c", "\x0b", "\x00", "\u2028", "\x85",
          "\ufeff", "é", "ä", "∂", "𝑥", "ａ", "e₁", "\U0001F600", "\u200b",
          "range", "zip", "sum", "len", "list", "return", "def f(x):", "for i in range(3):",
          "    ", ".label", ".grad", "._backward()", "draw_dot", "class", "import torch",
          "10**6", "10**99", "range(10**6)", "[1, 2]", "xs[0]", "xs[-1]", "f(f(x))",
          "torch.tensor", "requires_grad=True", "label='x'", "[x for x in xs]", "assert",
          ".requires_grad = True", "torch.Tensor([2.0]).double()"]

PROGRAM_ALPHABET = st.sampled_from(list("abexy_VDt()[]{}+-*/%.,:;=<>!#'\"\\ \t\n\r0123456789")
                                   + ["Value", "tanh", "relu", ".backward()", "**", "1e308",
                                      "\x0c", "é", "∂", "\u2028", "\x00"])


def lines_of(text: str) -> list[str]:
    """The text's lines as Python (and so the parser) counts them."""
    return re.split(r"\r\n|\r|\n", text)


def check(text: str, seconds: float = CPU_SECONDS_PER_PARSE) -> None:
    """The property: a graph, or a ProgramError whose place is inside the text, within
    one CPU second (``seconds``)."""
    start = time.process_time()
    try:
        graph = parse(text)
    except ProgramError as err:
        took = time.process_time() - start
        lines = lines_of(text)
        assert err.message.strip(), "a refusal must say why"
        assert 1 <= err.line <= len(lines), (err.line, len(lines), str(err))
        assert 1 <= err.col <= len(lines[err.line - 1]) + 1, (err.col, lines[err.line - 1],
                                                               str(err))
    else:
        took = time.process_time() - start
        assert isinstance(graph, Graph)
        assert graph.output in graph
    assert took < seconds, f"parse took {took:.2f} s of CPU time"


def token_spans(text: str) -> list[tuple[int, int]]:
    """Start and end offsets (in characters) of every token of a valid program."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    spans = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type in (tokenize.ENDMARKER, tokenize.DEDENT, tokenize.INDENT):
            continue
        (r1, c1), (r2, c2) = tok.start, tok.end
        a, b = starts[r1 - 1] + c1, starts[r2 - 1] + c2
        if b > a:
            spans.append((a, b))
    return spans


SPANS = {p: token_spans(p) for p in VALID}


@st.composite
def near_valid(draw) -> str:
    """A valid program with one token changed, deleted or duplicated."""
    program = draw(st.sampled_from(VALID))
    a, b = draw(st.sampled_from(SPANS[program]))
    token = program[a:b]
    how = draw(st.sampled_from(["change", "delete", "duplicate"]))
    if how == "change":
        new = draw(st.one_of(st.sampled_from(TOKENS), st.text(min_size=1, max_size=3)))
    elif how == "delete":
        new = ""
    else:
        new = token + draw(st.sampled_from(["", " "])) + token
    return program[:a] + new + program[b:]


def test_every_valid_seed_program_parses():
    for program in VALID:
        assert isinstance(parse(program), Graph)


@settings(FUZZ, max_examples=400)
@given(st.text(max_size=200))
def test_any_unicode_text_gives_a_graph_or_a_placed_error(text):
    check(text)


@settings(FUZZ, max_examples=600)
@given(st.lists(PROGRAM_ALPHABET, max_size=80).map("".join))
def test_text_of_program_characters_gives_a_graph_or_a_placed_error(text):
    check(text)


@settings(FUZZ, max_examples=1200)
@given(near_valid())
def test_valid_program_with_one_token_changed_deleted_or_duplicated(text):
    check(text)


@settings(FUZZ, max_examples=300)
@given(base=near_valid(), pieces=st.lists(st.tuples(st.integers(0, 10_000),
                                                   st.sampled_from(TOKENS)), max_size=4),
       repeat=st.sampled_from([1, 1, 50, 2_000]))
def test_programs_with_several_mistakes_or_long_repeats(base, pieces, repeat):
    text = base * repeat if repeat < 100 else base + "\n" + "a = a + 1\n" * repeat
    for where, token in pieces:
        where %= len(text) + 1
        text = text[:where] + token + text[where:]
    check(text)


def test_deep_and_long_programs_are_answered_within_a_second():
    for text in ["a = " + "(" * 5_000 + "1" + ")" * 5_000,
                 "a = " + "-" * 100_000 + "1",
                 "a = 1\nb = " + "+".join(["a"] * 50_000),
                 "a = 1\nb = " + "tanh(" * 3_000 + "a" + ")" * 3_000,
                 "a = 1\n" + "a += a * 2\n" * 2_000,
                 "a = 1\nb = " + "a ** " * 100_000 + "a",
                 "# " + "x" * 1_000_000 + "\na = 1",
                 "a = 1" + "\n" * 200_000 + "b = a +"]:
        check(text)


# Characters that str.splitlines() takes for line breaks but Python does not (form feed,
# vertical tab, file/group/record separators, NEL, line and paragraph separators): a
# refusal's column must still point at the construct, on the line Python counts.
NOT_LINE_BREAKS = ["\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def test_form_feed_before_a_mistake_keeps_its_place():
    for text in ["a=1;\x0c b = zz", "a = 1\x0c\nb = zz", "a=1 # \u2028 x\nb = zz",
                 "a = 1\rb = zz", "a = 1\r\nb = zz"]:
        with_place(text, "zz")
    for text in ["a=1\rb=\0", "a=1\r\nb=\0", "a=1\nb=\0"]:
        with_place(text, "\0")


def with_place(text: str, name: str) -> None:
    try:
        parse(text)
    except ProgramError as err:
        line = lines_of(text)[err.line - 1]
        assert line[err.col - 1:].startswith(name), (text, str(err))
    else:
        raise AssertionError(f"{text!r} parsed")


@settings(FUZZ, max_examples=300)
@given(program=st.sampled_from(VALID), where=st.integers(0, 10_000),
       char=st.sampled_from(NOT_LINE_BREAKS), in_comment=st.booleans())
def test_refusal_points_at_the_mistake_whatever_odd_spaces_come_before(program, where,
                                                                        char, in_comment):
    # The odd character goes in a comment (anything is allowed there) or, for the form
    # feed, anywhere Python takes it as a space: after a token.
    spans = SPANS[program]
    cut = spans[where % len(spans)][1]
    in_comment = in_comment or char != "\x0c"
    odd = f"  # {char}" if in_comment else char
    if in_comment:
        rest = program[cut:]
        cut += len(rest.split("\n", 1)[0])  # the end of that line
    text = program[:cut] + odd + program[cut:]
    # A long last line: read against a shorter line, its column would come out short.
    text = text.rstrip("\n") + "\nq = " + "1 + " * 30 + "undefined_name\n"
    with_place(text, "undefined_name")


BIG = [
    "x = Value(0.5)\nfor i in range(10**6):\n    x = x * 1.0001\n",
    "x = Value(0.5)\nfor i in range(1000):\n    for j in range(1000):\n        x = x + j\n",
    "xs = [Value(1.0) for i in range(1000)]\nys = [[x * y for x in xs] for y in xs]\n",
    "def f0(x):\n    return x * 2\n" + "".join(
        f"def f{k}(x):\n    return f{k - 1}(x) + f{k - 1}(x)\n" for k in range(1, 60))
    + "a = 1\ny = f59(a)\n",
    "def f0(x):\n    return x * 2\n" + "".join(
        f"def f{k}(x):\n    return f{k - 1}(x)\n" for k in range(1, 200)) + "a = 1\ny = f199(a)\n",
    "def f(x):\n    return g(x)\ndef g(x):\n    return f(x)\na = 1\ny = f(a)\n",
    # calls through a name the estimate cannot follow: 2**30 calls that build nothing
    "def a0(x):\n    return x\n" + "".join(
        f"def a{k}(x):\n    h = a{k - 1}\n    return h(h(x))\n" for k in range(1, 31))
    + "v = 1\ny = a30(v) * 2\n",
]


def test_huge_loops_and_calls_are_refused_before_building_in_bounded_memory():
    import tracemalloc

    for text in BIG:
        tracemalloc.start()
        try:
            try:
                parse(text)
            except ProgramError as err:
                message = err.message
            else:
                raise AssertionError(f"accepted: {text[:60]!r}")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert any(w in message for w in ("nothing was built", "recursion", "nest",
                                          "times; make it smaller")), message
        assert peak < 20_000_000, (peak, text[:60])
        check(text)


@settings(FUZZ, max_examples=200)
@given(count=st.integers(0, 10 ** 7), depth=st.integers(1, 4), body=st.sampled_from(
    ["x = x * 1.5", "x = (x + i).tanh()", "print(x)", "xs = [x * i, x]", "x = sum([x, x])"]))
def test_generated_loops_are_built_or_refused_in_time(count, depth, body):
    lines = ["x = Value(0.5)"]
    for d in range(depth):
        lines.append("    " * d + f"for i{d} in range({count}):")
    lines.append("    " * depth + body.replace("i", "i0") if "sum" not in body else
                 "    " * depth + body)
    # A loop the estimate lets through may build up to the budget, 100,000 nodes, which
    # takes about 1.3 s of CPU (13 µs a node): the limit here is three CPU seconds.
    check("\n".join(lines), seconds=3.0)
