"""The engine: scalar values that remember how they were made and backpropagate.

A `Value` holds a number, its gradient, the values it was made from (``_prev``, in input
order, so ``a * a`` has ``a`` twice) and the `Op` that made it. Unlike micrograd there is
no ``_backward`` closure per value: the op table gives each local derivative, so values
form no reference cycles and are freed at once by reference counting instead of waiting
for the cyclic garbage collector (which dominates micrograd's run time on large graphs).
"""
from __future__ import annotations

from typing import Callable, Iterable

from .errors import EvaluationError
from .ops import OPS, Op

Recorder = Callable[["Value", int, "Value", float, float, float, float], None]
"""Called once per edge during a recorded backward pass:
``(child, port, parent, local, upstream, grad_before, grad_after)``."""

_ADD, _SUB, _MUL, _DIV, _POW = OPS["add"], OPS["sub"], OPS["mul"], OPS["div"], OPS["pow"]
_NEG = OPS["neg"]


def _fail(op: Op, args: tuple, message: str) -> EvaluationError:
    return EvaluationError(op.function or op.id, args, message)


def apply(op: Op, *args: "Value") -> "Value":
    """Apply ``op`` to values, checking that the result is a finite real number."""
    datas = tuple(a.data for a in args)
    try:
        out = op.forward(*datas)
    except (ValueError, ZeroDivisionError) as exc:
        raise _fail(op, datas, op.domain or str(exc)) from None
    except OverflowError:
        raise _fail(op, datas, "the result is too large to represent (overflow)") from None
    if out.__class__ is complex:
        raise _fail(op, datas, op.domain or "the result is not a real number")
    if out - out != 0:  # inf or nan; x - x == 0 for every finite x
        raise _fail(op, datas, _why_not_finite(datas))
    cls = args[0].__class__
    return cls(out, args, op, requires_grad=any(a.requires_grad for a in args))


def _why_not_finite(datas: tuple) -> str:
    if any(d - d != 0 for d in datas):
        return "an input is not a finite number"
    return "the result is too large to represent (overflow)"


class Value:
    """A scalar in a computation graph (micrograd-compatible).

    >>> a, b = Value(2.0), Value(3.0)
    >>> e = (a + b) * (b + 1); e.backward()
    >>> e.data, a.grad, b.grad
    (20.0, 4.0, 9.0)
    """

    __slots__ = ("data", "grad", "_prev", "_op", "label", "requires_grad")
    _no_grad: float | None = 0

    def __init__(self, data, _children: tuple = (), _op: Op | None = None, label: str = "",
                 requires_grad: bool = True):
        self.data = data
        self.grad = 0
        self._prev = _children
        self._op = _op
        self.label = label
        self.requires_grad = requires_grad

    @classmethod
    def constant(cls, data) -> "Value":
        """A number used in an expression: it takes part but gets no gradient."""
        if data.__class__ is not float and (
                isinstance(data, bool) or not isinstance(data, (int, float))):
            raise TypeError(f"cannot combine a Value with {type(data).__name__}")
        return cls(data, (), None, "", False)

    def _wrap(self, other) -> "Value":
        return other if isinstance(other, Value) else self.constant(other)

    # Arithmetic. add and mul are written out because they dominate real graphs;
    # the rest go through the op table's generic path.
    def __add__(self, other):
        other = other if isinstance(other, Value) else self.constant(other)
        out = self.data + other.data
        if out - out != 0:
            return apply(_ADD, self, other)  # raises with the reason
        return self.__class__(out, (self, other), _ADD, "",
                              self.requires_grad or other.requires_grad)

    def __mul__(self, other):
        other = other if isinstance(other, Value) else self.constant(other)
        out = self.data * other.data
        if out - out != 0:
            return apply(_MUL, self, other)
        return self.__class__(out, (self, other), _MUL, "",
                              self.requires_grad or other.requires_grad)

    def __sub__(self, other):
        return apply(_SUB, self, self._wrap(other))

    def __truediv__(self, other):
        return apply(_DIV, self, self._wrap(other))

    def __pow__(self, other):
        return apply(_POW, self, self._wrap(other))

    def __radd__(self, other):
        return self.constant(other) + self

    def __rmul__(self, other):
        return self.constant(other) * self

    def __rsub__(self, other):
        return apply(_SUB, self.constant(other), self)

    def __rtruediv__(self, other):
        return apply(_DIV, self.constant(other), self)

    def __rpow__(self, other):
        return apply(_POW, self.constant(other), self)

    def __neg__(self):
        return apply(_NEG, self)

    def __abs__(self):
        return self.abs()

    def __repr__(self) -> str:
        name = f"{self.label}: " if self.label else ""
        return f"{self.__class__.__name__}({name}data={self.data}, grad={self.grad})"

    # Backpropagation.
    def topological_order(self) -> list["Value"]:
        """Every value this one depends on, each after all of its inputs.

        Iterative, so chains of millions of values need no recursion. Inputs are
        visited last-first so that the reversed order handles the first input first.
        """
        # Values hash by identity, which is what visiting needs (no __eq__ is defined).
        order: list[Value] = []
        visited: set[Value] = set()
        stack: list = [self]
        push, pop, append, seen = stack.append, stack.pop, order.append, visited.add
        done = _DONE
        while stack:
            v = pop()
            if v is done:
                append(pop())
                continue
            if v in visited:
                continue
            seen(v)
            push(v)
            push(done)
            for p in v._prev:
                if p not in visited:
                    push(p)
        return order

    def backward(self, recorder: Recorder | None = None) -> None:
        """Set ``grad`` of every value this one depends on to d(self)/d(value).

        Gradients are reset first, so calling it twice gives the same result. A
        ``recorder`` is told of every edge's contribution as it is added; without one
        the loop does no bookkeeping at all.
        """
        order = self.topological_order()
        no_grad = self._no_grad
        for v in order:
            v.grad = 0 if v.requires_grad else no_grad
        self.grad = 1
        for v in reversed(order):
            op = v._op
            if op is None or not v.requires_grad:
                continue
            prev = v._prev
            g = v.grad
            if op is _ADD:
                a, b = prev
                if a.requires_grad:
                    before = a.grad
                    a.grad = before + g
                    if recorder is not None:
                        recorder(v, 0, a, 1, g, before, a.grad)
                if b.requires_grad:
                    before = b.grad
                    b.grad = before + g
                    if recorder is not None:
                        recorder(v, 1, b, 1, g, before, b.grad)
                continue
            if op is _MUL and recorder is None:
                a, b = prev
                if a.requires_grad:
                    a.grad += b.data * g
                if b.requires_grad:
                    b.grad += a.data * g
                if (a.grad - a.grad) or (b.grad - b.grad):
                    raise _fail(op, (a.data, b.data),
                                "the gradient is too large to represent (overflow)")
                continue
            x = prev[0].data
            if len(prev) == 1:
                p = prev[0]
                if p.requires_grad:
                    local = _local(op, 0, x, None, v.data)
                    before = p.grad
                    p.grad = before + local * g
                    if recorder is not None:
                        recorder(v, 0, p, local, g, before, p.grad)
                continue
            y = prev[1].data
            for port, p in enumerate(prev):
                if not p.requires_grad:
                    continue
                local = _local(op, port, x, y, v.data)
                before = p.grad
                contribution = local * g
                if contribution - contribution != 0:
                    raise _fail(op, tuple(q.data for q in prev),
                                "the gradient is too large to represent (overflow)")
                p.grad = before + contribution
                if recorder is not None:
                    recorder(v, port, p, local, g, before, p.grad)


_DONE = object()  # marks, on the visiting stack, that the value below it is finished


def _local(op: Op, port: int, x, y, out):
    """Local derivative of ``op`` for input ``port``, refused where it is not finite."""
    try:
        d = op.partials[port](x, y, out)
    except (ValueError, ZeroDivisionError, OverflowError):
        d = float("inf")
    if d.__class__ is complex or d - d != 0:
        args = (x,) if y is None else (x, y)
        raise _fail(op, args, f"the derivative for input {port + 1} is not finite here")
    return d


def _unary_method(op: Op):
    """A method applying the unary ``op``, without the generic path's overhead."""
    forward = op.forward

    def method(self):
        try:
            out = forward(self.data)
        except (ValueError, ZeroDivisionError, OverflowError):
            return apply(op, self)  # raises with the reason
        if out - out != 0:
            return apply(op, self)
        return self.__class__(out, (self,), op, "", self.requires_grad)

    method.__name__ = op.function
    method.__doc__ = f"{op.title} of this value."
    return method


for _op in OPS.values():
    if _op.arity == 1 and _op.function:
        setattr(Value, _op.function, _unary_method(_op))


class DiffScalar(Value):
    """The teaching notebook's class: ``value``, and ``grad`` None unless required."""

    __slots__ = ()
    _no_grad = None

    def __init__(self, value, _children: tuple = (), _op: Op | None = None, label: str = "",
                 requires_grad: bool = False):
        super().__init__(value, _children, _op, label, requires_grad)
        if not requires_grad:
            self.grad = None

    @property
    def value(self):
        return self.data

    @value.setter
    def value(self, v) -> None:
        self.data = v


def values_of(root: Value) -> Iterable[Value]:
    """Every value ``root`` depends on, inputs first (a convenience for tracing)."""
    return root.topological_order()
