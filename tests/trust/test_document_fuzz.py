"""What tests/core/test_fileformat_fuzz.py leaves out: what happens *after* a mutated file loads.

A document that loads is then run (the player), written as a program (the editor) and
opened as a source (``gradviz FILE``): each must give its result or a gradviz error
(GraphError, EvaluationError, DocumentError), never another exception. And a very large
file just under the size limit loads or is refused within seconds. Example counts:
300 + 150.

The size-limit tests time CPU (time.process_time), not the wall clock, so that a loaded
2-core CI machine does not fail them: reading a 20 MiB file takes about 0.1 s of CPU
and 100,000 nodes about 1.7 s; the limits (5 s and 10 s of CPU) leave room for slower
machines and still catch a reader that goes quadratic.
"""
from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradviz.core import fileformat, language
from gradviz.core.errors import DocumentError, GradvizError
from gradviz.core.evaluation import evaluate
from gradviz.core.loading import load_source
from tests.core.test_fileformat_fuzz import BASE_TEXT, PLACES, at, nasty, render

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None,
                derandomize=True)
FOLDER = Path(tempfile.mkdtemp(prefix="gradviz-trust-"))


def use(text: str) -> None:
    """Load; when that works, run, write back as a program and open as a source."""
    try:
        doc = fileformat.loads(text)
    except DocumentError:
        return
    try:
        run = evaluate(doc.graph)
    except GradvizError as err:
        assert str(err)
    else:
        assert run.output in doc.graph
        assert all(v - v == 0 for v in run.values.values()), "a run never holds nan or inf"
    try:
        program = language.to_text(doc.graph)
    except GradvizError as err:
        assert str(err)
    else:
        assert language.parse(program) is not None
    path = FOLDER / "doc.gradviz"
    path.write_text(text, encoding="utf-8")
    try:
        source = load_source(str(path))
    except GradvizError:
        return
    assert source.graph == doc.graph


@settings(FUZZ, max_examples=300)
@given(place=st.sampled_from(PLACES), action=st.sampled_from(["replace", "delete"]),
       value=nasty)
def test_mutated_documents_that_load_run_write_and_open(place, action, value):
    data = json.loads(BASE_TEXT)
    parent, key = at(data, place[:-1]), place[-1]
    if action == "replace":
        parent[key] = value
    else:
        del parent[key]
    use(render(data, 3))


@settings(FUZZ, max_examples=150)
@given(value=st.one_of(st.floats(allow_nan=False, allow_infinity=False),
                       st.sampled_from([0.0, -0.0, 5e-324, -5e-324, 1e308, -1e308,
                                        1.7976931348623157e308, 2.2250738585072014e-308])),
       which=st.integers(0, 50))
def test_any_finite_input_value_in_a_file_runs_or_is_refused_with_a_reason(value, which):
    data = json.loads(BASE_TEXT)
    inputs = [n for n in data["nodes"] if n["kind"] in ("input", "const")]
    inputs[which % len(inputs)]["value"] = value
    use(json.dumps(data))


def test_a_file_just_under_the_size_limit_loads_in_seconds():
    data = json.loads(BASE_TEXT)
    data["description"] = "x" * (fileformat.MAX_BYTES - len(BASE_TEXT) - 1024)
    path = FOLDER / "large.gradviz"
    path.write_text(json.dumps(data), encoding="utf-8")
    start = time.process_time()
    doc = fileformat.read(path)
    assert time.process_time() - start < 5
    assert len(doc.description) > 19 * 1024 * 1024


def test_a_file_of_many_nodes_under_the_limit_loads_or_is_refused_in_seconds():
    nodes = [{"id": f"x{i}", "kind": "input", "label": f"x{i}", "value": i, "pos": None,
              "auto": False} for i in range(100_000)]
    data = json.loads(BASE_TEXT)
    data["nodes"] += nodes
    text = json.dumps(data)
    assert len(text) < fileformat.MAX_BYTES
    start = time.process_time()
    try:
        fileformat.loads(text)
    except DocumentError as err:
        assert err.message
    assert time.process_time() - start < 10
