"""``gradviz grad`` with ``--set`` for names a program uses without defining them."""
from gradviz.cli import main


def test_set_gives_undefined_names_their_values(capsys):
    code = main(["grad", "e = (a + b) * (b + 1)", "--set", "a=2", "--set", "b=3", "--check"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[:3] == ["e = 20", "∂e/∂a = 4", "∂e/∂b = 9"]
    assert "MISMATCH" not in out


def test_without_set_the_error_names_the_missing_input(capsys):
    code = main(["grad", "e = (a + b) * (b + 1)"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == ("gradviz: line 1, column 6: a is not defined; give it a value "
                           "first (a = 1.0)")


def test_set_of_a_defined_input_still_sets_it(capsys):
    code = main(["grad", "a = 2; e = a * b", "--set", "b=5", "--set", "a=3"])
    assert code == 0 and capsys.readouterr().out.splitlines()[0] == "e = 15"
