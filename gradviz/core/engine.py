"""The engine: scalar values that remember how they were made and backpropagate.

A `Value` holds a number, its gradient, the values it was made from (``_prev``, in input
order, so ``a * a`` has ``a`` twice) and the `Op` that made it. Unlike micrograd there is
no ``_backward`` closure per value: the op table gives each local derivative, so values
form no reference cycles and are freed at once by reference counting instead of waiting
for the cyclic garbage collector (which dominates micrograd's run time on large graphs).

A value made inside ``with group("neuron 1"):`` remembers that block (``_group``), so
that the graph traced from it can show the neuron as one named group.
"""
from __future__ import annotations

from contextlib import ContextDecorator
from itertools import count
from numbers import Real
from typing import Callable

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
    """Apply ``op`` to values, checking that the inputs and the result are finite reals."""
    datas = tuple(a.data for a in args)
    for d in datas:
        # Checked up front because some ops hide a bad input: exp(-inf) is 0, nan**0 is 1.
        if d - d != 0:  # inf or nan; x - x == 0 for every finite x
            raise _fail(op, datas, "an input is not a finite number")
    try:
        out = op.forward(*datas)
    except (ValueError, ZeroDivisionError) as exc:
        raise _fail(op, datas, op.domain or str(exc)) from None
    except OverflowError:
        raise _fail(op, datas, _OVERFLOW) from None
    if out.__class__ is complex:
        raise _fail(op, datas, op.domain or "the result is not a real number")
    if out - out != 0:
        raise _fail(op, datas, _OVERFLOW)
    cls = args[0].__class__
    return cls(out, args, op, requires_grad=any(a.requires_grad for a in args))


_OVERFLOW = "the result is too large to represent (overflow)"


class Value:
    """A scalar in a computation graph (micrograd-compatible).

    >>> a, b = Value(2.0), Value(3.0)
    >>> e = (a + b) * (b + 1); e.backward()
    >>> e.data, a.grad, b.grad
    (20.0, 4.0, 9.0)
    """

    __slots__ = ("data", "grad", "_prev", "_op", "label", "requires_grad", "_group")
    _no_grad: float | None = 0

    def __init__(self, data, _children: tuple = (), _op: Op | None = None, label: str = "",
                 requires_grad: bool = True):
        kind = data.__class__  # floats and ints pass at once: values are made by the million
        if kind is not float and kind is not int and not isinstance(data, Real):
            raise TypeError(f"Value takes a real number, not {type(data).__name__} "
                            f"({repr(data)[:40]})")
        self.data = data
        self.grad = 0
        self._prev = _children
        self._op = _op
        self.label = label
        self.requires_grad = requires_grad
        self._group = _open_block  # one global read per value: ops stay as fast

    @classmethod
    def constant(cls, data) -> "Value":
        """A number used in an expression: it takes part but gets no gradient."""
        if data.__class__ is not float and (
                isinstance(data, bool) or not isinstance(data, (int, float))):
            raise TypeError(f"cannot combine a Value with {type(data).__name__}")
        return cls(data, (), None, "", False)

    def _wrap(self, other) -> "Value":
        return other if isinstance(other, Value) else self.constant(other)

    # Arithmetic. add and mul are written out because they dominate real graphs (a
    # neuron is a sum of products); the rest go through the op table's generic path.
    # A plain float or int becomes a constant without the checks of `constant`.
    def __add__(self, other):
        if other.__class__ is float or other.__class__ is int:
            other = self.__class__(other, (), None, "", False)
        elif not isinstance(other, Value):
            other = self.constant(other)  # refuses what is not a number
        try:
            out = self.data + other.data
        except OverflowError:  # an int too large for a float, say 10**400
            return apply(_ADD, self, other)  # raises with the reason
        if out - out != 0:  # inf or nan; x - x == 0 for every finite x
            return apply(_ADD, self, other)  # raises with the reason
        return self.__class__(out, (self, other), _ADD, "",
                              self.requires_grad or other.requires_grad)

    def __mul__(self, other):
        if other.__class__ is float or other.__class__ is int:
            other = self.__class__(other, (), None, "", False)
        elif not isinstance(other, Value):
            other = self.constant(other)
        try:
            out = self.data * other.data
        except OverflowError:  # an int too large for a float, say 10**400
            return apply(_MUL, self, other)  # raises with the reason
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
        # A value is marked when popped, not when pushed, so an input pushed twice is
        # simply skipped the second time; that keeps the loop short.
        order: list[Value] = []
        visited: set[Value] = set()
        stack: list = [self]
        push, pop, extend, append, seen = (stack.append, stack.pop, stack.extend,
                                           order.append, visited.add)
        done = _DONE
        while stack:
            v = pop()
            if v is done:
                append(pop())
            elif v not in visited:
                seen(v)
                if v._prev:
                    push(v)
                    push(done)
                    extend(v._prev)
                else:
                    append(v)
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
        if recorder is not None:
            for v in reversed(order):
                if v._op is not None and v.requires_grad:
                    try:
                        _pass_back(v, v._op, recorder)
                    except EvaluationError as exc:
                        exc.at = v  # so that a graph's evaluation can name the node
                        raise
            return
        # The same pass unrecorded, with add, mul and unary ops written out: they are
        # nearly all of any real graph, and this loop is where training spends its time.
        for v in reversed(order):
            op = v._op
            if op is None or not v.requires_grad:
                continue
            prev = v._prev
            g = v.grad
            if len(prev) == 1:
                a = prev[0]
                if a.requires_grad:
                    a.grad = after = a.grad + _local(op, 0, a.data, None, v.data) * g
                    if after - after != 0:
                        raise _fail(op, (a.data,), _GRAD_OVERFLOW)
                continue
            if op is _ADD:
                a, b = prev
                if a.requires_grad:
                    a.grad += g
                if b.requires_grad:
                    b.grad += g
            elif op is _MUL:
                a, b = prev
                if a.requires_grad:
                    a.grad += b.data * g
                if b.requires_grad:
                    b.grad += a.data * g
            else:
                _pass_back(v, op, None)
                continue
            if (a.requires_grad and a.grad - a.grad != 0) or (
                    b.requires_grad and b.grad - b.grad != 0):
                raise _fail(op, (a.data, b.data), _GRAD_OVERFLOW)


_DONE = object()  # marks, on the visiting stack, that the value below it is finished
_GRAD_OVERFLOW = "the gradient is too large to represent (overflow)"


def _pass_back(v: Value, op: Op, recorder: Recorder | None) -> None:
    """Add ``v``'s gradient times each local derivative to its inputs' gradients."""
    prev = v._prev
    g = v.grad
    x = prev[0].data
    y = prev[1].data if len(prev) > 1 else None
    for port, p in enumerate(prev):
        if not p.requires_grad:
            continue
        local = _local(op, port, x, y, v.data)
        before = p.grad
        p.grad = after = before + local * g
        if after - after != 0:
            raise _fail(op, (x,) if y is None else (x, y), _GRAD_OVERFLOW)
        if recorder is not None:
            recorder(v, port, p, local, g, before, after)


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
        x = self.data
        try:
            out = forward(x)
        except (ValueError, ZeroDivisionError, OverflowError):
            return apply(op, self)  # raises with the reason
        if out - out != 0 or x - x != 0:  # tanh(inf) is 1, but inf is no input
            return apply(op, self)
        return self.__class__(out, (self,), op, "", self.requires_grad)

    method.__name__ = op.function
    method.__doc__ = f"{op.title} of this value."
    return method


for _op in OPS.values():
    if _op.arity == 1 and _op.function:
        setattr(Value, _op.function, _unary_method(_op))


class GroupBlock:
    """One run of a ``with group(name):`` block; ``outer`` is the block around it, and
    ``serial`` counts blocks in the order they were opened (so groups are numbered as
    the code that made them reads)."""

    __slots__ = ("name", "outer", "serial")

    def __init__(self, name: str, outer: "GroupBlock | None") -> None:
        self.name = name
        self.outer = outer
        self.serial = next(_serials)

    def path(self) -> tuple["GroupBlock", ...]:
        """The blocks this one is in and itself, outermost first."""
        blocks = []
        b: GroupBlock | None = self
        while b is not None:
            blocks.append(b)
            b = b.outer
        return tuple(reversed(blocks))


_serials = count()
_open_block: GroupBlock | None = None
"""The innermost open ``group`` block. A plain global rather than a context variable,
because every Value reads it when it is made; so one thread builds groups at a time."""


class group(ContextDecorator):
    """Every value made inside ``with group(name):`` belongs to a group of that name.

    Blocks nest (a layer holding neurons); each time a block runs it makes a group of its
    own, and used as a decorator, each call of the function does.

    >>> with group("neuron"):
    ...     o = (Value(2.0) * Value(-3.0)).tanh()
    >>> o._group.name
    'neuron'
    """

    def __init__(self, name: str) -> None:
        if not isinstance(name, str) or not name:
            raise TypeError(f"a group's name is a non-empty string, not {name!r}")
        self.name = name
        self._outer: list[GroupBlock | None] = []  # a stack: the same group may nest

    def __enter__(self) -> "group":
        global _open_block
        self._outer.append(_open_block)
        _open_block = GroupBlock(self.name, _open_block)
        return self

    def __exit__(self, *exc) -> None:
        global _open_block
        _open_block = self._outer.pop()


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


