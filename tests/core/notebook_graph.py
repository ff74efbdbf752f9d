"""The notebook's graph built by hand (no parser), for tests of the layers above it."""
from gradviz.core.graph import Graph


def notebook_graph(a: float = 2, b: float = 3) -> Graph:
    """e = (a + b) * (b + 1) with the notebook's names c = a + b and d = b + 1."""
    g = Graph()
    g.add_input("a", a, id="a")
    g.add_input("b", b, id="b")
    g.add_op("add", "c", id="c")
    g.add_constant(1, id="d:1")
    g.add_op("add", "d", id="d")
    g.add_op("mul", "e", id="e")
    for source, target, port in [("a", "c", 0), ("b", "c", 1), ("b", "d", 0), ("d:1", "d", 1),
                                 ("c", "e", 0), ("d", "e", 1)]:
        g.connect(source, target, port)
    g.output = "e"
    return g
