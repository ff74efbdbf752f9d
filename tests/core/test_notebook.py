"""The teaching notebook's example runs unchanged on gradviz's DiffScalar."""
from gradviz import DiffScalar


def test_notebook_example_prints_4_and_9(capsys):
    # The notebook's cell, as written there (only the class now comes from gradviz).
    # Define a and b
    a = DiffScalar(2, requires_grad=True)
    b = DiffScalar(3, requires_grad=True)

    # Compute e = (a + b) * (b + 1)
    e = (a + b) * (b + 1)

    # Perform backward pass
    e.backward()

    # Print gradients
    print(a.grad)
    print(b.grad)

    assert capsys.readouterr().out == "4\n9\n"
    assert e.value == 20


def test_scalars_without_requires_grad_keep_grad_none():
    a = DiffScalar(2, requires_grad=True)
    k = DiffScalar(5)  # the notebook's default: no gradient wanted
    e = a * k + 1
    e.backward()
    assert a.grad == 5
    assert k.grad is None
    assert e.value == 11 and e.requires_grad


def test_value_is_writable_like_the_notebook_attribute():
    a = DiffScalar(2, requires_grad=True)
    a.value = 7
    assert a.data == 7 and (a * a).value == 49
