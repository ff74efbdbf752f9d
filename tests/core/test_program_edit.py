"""Program text after a graph edit: only the changed statements are rewritten, and the
result always reads back as the edited graph's computation."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradviz.core.examples import list_examples, load_example
from gradviz.core.language import parse
from gradviz.core.language_text import to_text
from gradviz.core.program_edit import rewrite_program

COMMENTED = ("# the notebook's example\n"
             "a = Value(2.0)  # first input\n"
             "b = 3\n"
             "\n"
             "# b fans out\n"
             "e = (a + b) * (b + 1)\n"
             "e.backward()\n")


def _edited(text, edit):
    before = parse(text)
    after = before.copy()
    edit(after)
    result = rewrite_program(text, before, after)
    assert parse(result).signature() == parse(to_text(after)).signature()
    return result


def test_a_new_value_changes_only_its_number():
    result = _edited(COMMENTED, lambda g: g.set_attrs("a", value=-1.5))
    assert result == COMMENTED.replace("Value(2.0)", "Value(-1.5)")
    result = _edited(COMMENTED, lambda g: g.set_attrs("b", value=5.0))
    assert result == COMMENTED.replace("b = 3", "b = 5")


def test_a_rename_rewrites_the_lines_that_name_it_and_keeps_the_comments():
    result = _edited(COMMENTED, lambda g: g.set_attrs("b", label="bias", auto=False))
    # c and d must now be named to be written (`to_text`): they go in before the line
    # that uses them, under the comments that were there.
    assert result == ("# the notebook's example\na = Value(2.0)  # first input\n"
                      "bias = 3\nc = a + bias\nd = bias + 1\n\n# b fans out\n"
                      "e = c * d\ne.backward()\n")


def test_a_new_input_is_added_after_the_others_on_a_line_of_its_own():
    text = "a = 2; b = 3  # two inputs\ne = (a + b) * (b + 1)\n"
    result = _edited(text, lambda g: g.add_input("x", 1.0))
    assert result.startswith("a = 2; b = 3  # two inputs\n")
    assert "x = 1" in result


def test_statements_on_one_line_stay_on_one_line():
    text = "a = 2; b = 3; e = (a + b) * (b + 1)"
    assert _edited(text, lambda g: g.set_attrs("b", value=4.0)) == \
        "a = 2; b = 4; e = (a + b) * (b + 1)"


def test_a_program_in_another_shape_is_written_anew():
    text = "a = 2\nb = 3\nc = a + b\ne = c * (b + 1)\n"  # c is a statement here
    before = parse(text)
    after = before.copy()
    after.set_attrs("a", value=7.0)
    result = rewrite_program(text, before, after)
    assert parse(result).signature() == parse(to_text(after)).signature()


PROGRAMS = [p for p in (load_example(e.name).program for e in list_examples()) if p]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(PROGRAMS), st.data())
def test_any_value_edit_of_an_example_reads_back_as_the_edited_graph(program, data):
    before = parse(program)
    inputs = before.inputs()
    if not inputs:
        pytest.skip("no inputs")
    node = data.draw(st.sampled_from(inputs))
    value = data.draw(st.floats(-1e6, 1e6, allow_nan=False).filter(lambda x: x != 0))
    after = before.copy()
    after.set_attrs(node.id, value=value)
    result = rewrite_program(program, before, after)
    assert parse(result).node(node.id).value == value
    assert parse(result).signature() == after.signature()
    # Every comment line of the example is still there.
    comments = [line for line in program.splitlines() if line.lstrip().startswith("#")]
    assert all(c in result.splitlines() for c in comments)
