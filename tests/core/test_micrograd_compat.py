"""micrograd's own engine tests (karpathy/micrograd test/test_engine.py), run on gradviz.

The computations are micrograd's, unchanged: the same expressions, the same augmented
assignments, the same comparison with PyTorch in double precision, the same tolerances.
Only the import differs: gradviz's Value stands where micrograd's stood.
"""
import pytest

from gradviz import Value

torch = pytest.importorskip("torch")


def _leaf(x: float):
    t = torch.tensor([x], dtype=torch.float64)
    t.requires_grad = True
    return t


def test_sanity_check():
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    xmg, ymg = x, y

    x = _leaf(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    xpt, ypt = x, y

    assert ymg.data == ypt.data.item()  # forward
    assert xmg.grad == xpt.grad.item()  # backward


def test_more_ops():
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    amg, bmg, gmg = a, b, g

    # torch: the same expressions without in-place updates of tensors autograd needs
    a, b = _leaf(-4.0), _leaf(2.0)
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    apt, bpt, gpt = a, b, g

    tol = 1e-6
    assert abs(gmg.data - gpt.data.item()) < tol
    assert abs(amg.grad - apt.grad.item()) < tol
    assert abs(bmg.grad - bpt.grad.item()) < tol


@pytest.mark.parametrize("name", ["tanh", "exp"])
@pytest.mark.parametrize("x", [-1.0, 0.123, 2.0])
def test_unary_tensor_fns(name, x):
    """micrograd's newer third test: tanh and exp against torch."""
    xv = Value(x)
    yv = getattr(Value, name)(xv)
    yv.backward()
    xt = _leaf(x)
    yt = getattr(torch.Tensor, name)(xt)
    yt.backward()
    assert abs(yv.data - yt.data.item()) < 1e-6
    assert abs(xv.grad - xt.grad.item()) < 1e-6
