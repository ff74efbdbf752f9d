"""Program text after a graph edit: only the changed statements are rewritten, and the
result always reads back as the edited graph's computation."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradviz.core.examples import list_examples, load_example
from gradviz.core.language import parse
from gradviz.core.language_text import number_text, to_text
from gradviz.core.program_edit import rewrite_program, with_new_number

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


# --- with_new_number: an input's new value, the fast and certain edit --------------------
SPELLED = ("# the ä weights: ∂e/∂a\n"
           "a = Value({a})  # first input\n"
           "b = {b}; c = {c}\n"
           "d = Value(({d}), label='d')\n"
           "\n"
           "e = (a + b) * (c + d)\n")


def _spelled(values):
    return SPELLED.format(**{k: number_text(v) for k, v in values.items()})


def test_a_new_number_keeps_the_statements_spelling_and_comments():
    text = "a = Value(2.0)  # first input\nb = -3  # the bias\ne = a * b\n"
    assert with_new_number(text, "b", 5.0) == \
        "a = Value(2.0)  # first input\nb = 5  # the bias\ne = a * b\n"
    assert with_new_number(text, "a", -0.25) == \
        "a = Value(-0.25)  # first input\nb = -3  # the bias\ne = a * b\n"


def test_a_name_given_two_numbers_is_two_inputs_each_with_its_number():
    text = "a = 2\na = 3\ne = a * 2\n"
    assert with_new_number(text, "a", 5.0) == "a = 5\na = 3\ne = a * 2\n"
    assert with_new_number(text, "a₁", 5.0) == "a = 2\na = 5\ne = a * 2\n"
    assert with_new_number("a = 2\na += 1\ne = a * 2\n", "a", 7.0) == \
        "a = 7\na += 1\ne = a * 2\n"


def test_an_input_made_in_a_comprehension_edits_its_number_in_the_list():
    text = ("xs = [2.0, -1.5]  # the data\nws = [Value(x) for x in xs]\n"
            "total = ws[0] * ws[1]\n")
    g = parse(text)
    assert [n.label for n in g.inputs()] == ["ws[0]", "ws[1]"]
    edited = with_new_number(text, "ws[1]", 4.0)
    assert edited == text.replace("-1.5", "4")
    h = g.copy()
    h.set_attrs(g.inputs()[1].id, value=4.0)
    assert rewrite_program(text, g, h) == edited


def test_one_of_the_inputs_a_loop_makes_from_one_literal_writes_the_program_out():
    text = "x = 1.5\nfor i in range(3):\n    w = Value(0.5)\n    x = x * w\n"
    g = parse(text)
    ws = [n for n in g.inputs() if n.label.startswith("w")]
    assert [n.label for n in ws] == ["w", "w₁", "w₂"]
    assert with_new_number(text, "w₁", 2.0) is None  # the literal is all three's
    h = g.copy()
    h.set_attrs(ws[1].id, value=2.0)
    edited = rewrite_program(text, g, h)
    assert edited.startswith("# Written out in full: w's number was written once for 3 "
                             "inputs (w, w₁, w₂),")
    assert "for" not in edited.split("\n", 2)[2]
    assert parse(edited).signature() == h.signature()
    assert with_new_number(text, "x", 3.0) == text.replace("1.5", "3")  # x's is its own


@pytest.mark.parametrize("text", [
    "a = 1 + 1\ne = a * 2\n",  # not a number
    "e = 2 * 2\n",  # no such name
    "a = (2\n",  # does not parse
])
def test_no_new_number_where_the_name_is_not_written_once_as_a_number(text):
    assert with_new_number(text, "a", 5.0) is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcd"),
                          st.floats(-1e20, 1e20, allow_nan=False)), min_size=1, max_size=12))
def test_a_run_of_new_numbers_writes_each_where_it_belongs(edits):
    values = {"a": 2.0, "b": 3.0, "c": 1.0, "d": 4.0}
    text = _spelled(values)
    other = "a = 7\ne = a * 2\n"  # another program between edits: places of another text
    for i, (name, value) in enumerate(edits):
        values[name] = value
        text = with_new_number(text, name, value)
        assert text == _spelled(values)
        assert parse(text).node(name).value == value
        if i % 3 == 2:
            assert with_new_number(other, "a", value) == f"a = {number_text(value)}\ne = a * 2\n"


def test_a_run_of_new_values_through_rewrite_program_keeps_every_other_line():
    values = {"a": 2.0, "b": 3.0, "c": 1.0, "d": 4.0}
    text = _spelled(values)
    for name, value in [("b", -12.5), ("b", 1e-7), ("d", 3.0), ("a", 123456.0)]:
        before = parse(text)
        after = before.copy()
        after.set_attrs(name, value=value)
        values[name] = value
        text = rewrite_program(text, before, after)
        assert text == _spelled(values)
