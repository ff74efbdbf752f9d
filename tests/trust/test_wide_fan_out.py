"""A graph the app accepts must not freeze it (issue 14, item 5): a wide fan-out (one
input feeding a long chain) makes long edges cross layers in quadratic number; past a
budget the longest are drawn straight, the rest routed as before."""
from __future__ import annotations

from gradviz.core import layout_coordinates
from gradviz.core.graph import Graph
from gradviz.core.layout import layered_layout


def fan_out(n: int) -> Graph:
    """``x`` feeds ``n`` nodes ``tanh(x)``, summed one after the other."""
    g = Graph()
    x = g.add_input("x", 0.5, id="x")
    total = None
    for i in range(n):
        y = g.add_op("tanh", f"y{i}", id=f"y{i}")
        g.connect(x, y, 0)
        if total is None:
            total = y
            continue
        s = g.add_op("add", f"s{i}", id=f"s{i}")
        g.connect(total, s, 0)
        g.connect(y, s, 1)
        total = s
    g.output = total
    return g


def test_past_the_budget_the_longest_edges_go_straight_and_the_rest_as_before(monkeypatch):
    g = fan_out(200)
    before = layered_layout(g)
    monkeypatch.setattr(layout_coordinates, "ROUTE_BUDGET", 2_000)
    after = layered_layout(g)
    assert after.positions == before.positions  # only the drawing of edges changes
    straight = [e for e, points in after.routes.items() if not points and before.routes[e]]
    assert straight, "some long edges lost their detours"
    kept = [e for e, points in after.routes.items() if points]
    assert all(after.routes[e] == before.routes[e] for e in kept)
    span = {e: abs(after.positions[e[1]][0] - after.positions[e[0]][0]) for e in after.routes}
    # The ones drawn straight are the longest: none is shorter than an edge still routed.
    assert min(span[e] for e in straight) >= max(span[e] for e in kept)
