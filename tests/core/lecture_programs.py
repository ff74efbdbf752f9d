"""Lecture code as it is pasted in: the teaching notebook's cells, Karpathy's micrograd
lecture and micrograd's own engine tests, verbatim (the texts of the tests in
test_lecture_programs)."""

SEED_FIRST_CELL = '''class DiffScalar:
    def __init__(self, value, requires_grad=False):
        """
        Initialize a scalar value that supports automatic differentiation.

        Arguments:
        - value: The numerical value of the scalar.
        - requires_grad: Whether this scalar requires gradient computation.

        Attributes:
        - grad: Stores the gradient of L (final output) wrt to this variable (set to 0 if differentiation is needed).
        - _backward: A function that defines how gradients should be propagated.
        - _prev: Tracks the dependent variables (parents in computation graph).
        """
        self.value = value
        self.requires_grad = requires_grad
        self.grad = 0 if requires_grad else None  # Initialize gradient
        self._backward = lambda: None  # Placeholder for gradient propagation
        self._prev = set()  # Store references to parent nodes in computation graph

    def __add__(self, other):
        """
        Define addition operation while maintaining the computation graph.

        If self and other are differentiable (requires_grad=True),
        then their gradients must be tracked for backpropagation.
        """
        other = other if isinstance(other, DiffScalar) else DiffScalar(other)  # Ensure other is a DiffScalar
        out = DiffScalar(self.value + other.value, requires_grad=self.requires_grad or other.requires_grad)

        def _backward():
            """
            Compute the gradient for self and other using the chain rule.

            Since d/dx (x + y) = 1, we propagate out.grad directly to both.

            We use += because the variable might be involved in multiple operations,
            so its gradient accumulates contributions from multiple sources.
            """
            if self.requires_grad:
                self.grad += out.grad  # ∂L/∂self += ∂L/∂out * ∂out/∂self (which is 1)
            if other.requires_grad:
                other.grad += out.grad  # ∂L/∂other += ∂L/∂out * ∂out/∂other (which is 1)

        out._backward = _backward  # Store the backward function for this operation
        out._prev = {self, other}  # Track dependencies
        return out

    def __mul__(self, other):
        """
        Define multiplication operation while maintaining the computation graph.

        If self and other are differentiable (requires_grad=True),
        then their gradients must be tracked for backpropagation.
        """
        other = other if isinstance(other, DiffScalar) else DiffScalar(other)  # Ensure other is a DiffScalar
        out = DiffScalar(self.value * other.value, requires_grad=self.requires_grad or other.requires_grad)

        def _backward():
            """
            Compute the gradient for self and other using the chain rule.

            Since d/dx (x * y) = y and d/dy (x * y) = x, we propagate:
                - other.value * out.grad to self.grad
                - self.value * out.grad to other.grad

            We use += because a variable might be used in multiple operations,
            meaning its gradient needs to accumulate from multiple contributions.
            """
            if self.requires_grad:
                self.grad += other.value * out.grad  # ∂L/∂self += ∂L/∂out * ∂out/∂self (which is other.value)
            if other.requires_grad:
                other.grad += self.value * out.grad  # ∂L/∂other += ∂L/∂out * ∂out/∂other (which is self.value)

        out._backward = _backward  # Store the backward function for this operation
        out._prev = {self, other}  # Track dependencies
        return out

    def backward(self):
        """
        Perform backpropagation to compute gradients of all dependent variables.
        """
        # Reset all gradients in the computation graph
        def reset_grads(node):
            if node.grad is not None:
                node.grad = 0
            for parent in node._prev:
                reset_grads(parent)

        reset_grads(self)  # Clear previous gradients
        self.grad = 1  # Seed gradient for the output (∂L/∂self = 1)

        topo = []  # Store nodes in topological order
        visited = set()

        def build_topo(node):
            """ Perform depth-first traversal to build a valid topological order """
            if node not in visited:
                visited.add(node)
                for parent in node._prev:
                    build_topo(parent)
                topo.append(node)

        build_topo(self)  # Construct topological order

        for node in reversed(topo):
            node._backward()  # Apply stored _backward function to propagate gradients

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
'''
"""The notebook's first code cell: its DiffScalar class, then its use."""

SEED_USAGE_CELL = '''# Define a and b
a = DiffScalar(2, requires_grad=True)
b = DiffScalar(3, requires_grad=True)

# Compute e = (a + b) * (b + 1)
e = (a + b) * (b + 1)

# Perform backward pass
e.backward()

# Print gradients
print(a.grad)
print(b.grad)
'''
"""The part of that cell that uses the class."""

SEED_TORCH_CELL = """import torch

# Define scalars with requires_grad=True to track gradients
a = torch.tensor(2.0, requires_grad=True)  # Equivalent to DiffScalar(2, requires_grad=True)
b = torch.tensor(3.0, requires_grad=True)  # Equivalent to DiffScalar(1, requires_grad=True)

# Compute e = (a + b) * (b + 1)
e = (a + b) * (b + 1)  # PyTorch automatically tracks computation

# Perform backward pass
e.backward()  # Computes gradients

# Print gradients
print(a.grad)
print(b.grad)
"""

KARPATHY_NEURON = """# inputs x1,x2
x1 = Value(2.0, label='x1')
x2 = Value(0.0, label='x2')
# weights w1,w2
w1 = Value(-3.0, label='w1')
w2 = Value(1.0, label='w2')
# bias of the neuron
b = Value(6.8813735870195432, label='b')
# x1*w1 + x2*w2 + b
x1w1 = x1*w1; x1w1.label = 'x1*w1'
x2w2 = x2*w2; x2w2.label = 'x2*w2'
x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = 'x1*w1 + x2*w2'
n = x1w1x2w2 + b; n.label = 'n'
o = n.tanh(); o.label = 'o'
o.backward()
draw_dot(o)
"""

KARPATHY_MANUAL_BACKPROP = KARPATHY_NEURON + """o.grad = 1.0
o._backward()
n._backward()
b._backward()
x1w1x2w2._backward()
x2w2._backward()
x1w1._backward()
"""

KARPATHY_FIRST = """a = Value(2.0, label='a')
b = Value(-3.0, label='b')
c = Value(10.0, label='c')
e = a*b; e.label='e'
d = e + c; d.label='d'
f = Value(-2.0, label='f')
L = d * f; L.label='L'
"""

MICROGRAD_SANITY_CHECK = """import torch
from micrograd.engine import Value

x = Value(-4.0)
z = 2 * x + 2 + x
q = z.relu() + z * x
h = (z * z).relu()
y = h + q + q * x
y.backward()
xmg, ymg = x, y
"""

MICROGRAD_MORE_OPS = """from micrograd.engine import Value

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
"""

DEF_NEURON = """from gradviz import Value

def neuron(x1, x2, w1, w2, b=0.0):
    n = x1*w1 + x2*w2 + b
    return n.tanh()

x1 = Value(2.0); x2 = Value(-1.0)
w1 = Value(-0.5); w2 = Value(0.25)
h1 = neuron(x1, x2, w1, w2, b=Value(0.1))
h2 = neuron(h1, x1, w2, w1)
loss = (h2 - 0.5) ** 2
loss.backward()
"""

FOR_LOOP = """x = Value(0.5)
w = Value(1.5)
y = x
for i in range(4):
    y = (y * w + i).tanh()
y.backward()
"""

LIST_NEURON = """xs = [2.0, 0.0]
ws = [Value(-3.0), Value(1.0)]
b = Value(6.8813735870195432)
n = sum((wi*xi for wi, xi in zip(ws, xs)), b)
o = n.tanh()
o.backward()
"""

KARPATHY_TORCH = """import torch
x1 = torch.Tensor([2.0]).double()                ; x1.requires_grad = True
x2 = torch.Tensor([0.0]).double()                ; x2.requires_grad = True
w1 = torch.Tensor([-3.0]).double()               ; w1.requires_grad = True
w2 = torch.Tensor([1.0]).double()                ; w2.requires_grad = True
b = torch.Tensor([6.8813735870195432]).double()  ; b.requires_grad = True
n = x1*w1 + x2*w2 + b
o = torch.tanh(n)

print(o.data.item())
o.backward()

print('---')
print('x2', x2.grad.item())
print('w2', w2.grad.item())
print('x1', x1.grad.item())
print('w1', w1.grad.item())
"""
"""Karpathy's lecture: the same neuron in PyTorch."""

MICROGRAD_SANITY_CHECK_BOTH_HALVES = MICROGRAD_SANITY_CHECK + """
x = torch.Tensor([-4.0]).double()
x.requires_grad = True
z = 2 * x + 2 + x
q = z.relu() + z * x
h = (z * z).relu()
y = h + q + q * x
y.backward()
xpt, ypt = x, y
"""
"""micrograd's test_sanity_check down to its asserts: the micrograd half, then the PyTorch
half."""

MICROGRAD_MORE_OPS_WHOLE = """import torch
from micrograd.engine import Value

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

a = torch.Tensor([-4.0]).double()
b = torch.Tensor([2.0]).double()
a.requires_grad = True
b.requires_grad = True
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
# forward pass went well
assert abs(gmg.data - gpt.data.item()) < tol
# backward pass went well
assert abs(amg.grad - apt.grad.item()) < tol
assert abs(bmg.grad - bpt.grad.item()) < tol
"""
"""micrograd's test_more_ops whole: both halves and the asserts (noted, not checked)."""
