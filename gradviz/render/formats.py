"""The one table of export formats: what each suffix writes, and with which defaults.

``gradviz export``, ``gradviz.draw(..., path)`` and the app's Export dialog all write
through `write`, so what a format means, its defaults and its limits are said here once:

- **Theme.** Exports are drawn in the light print theme (`EXPORT_THEME`) unless another
  is asked for: the window's projector theme is for the screen, a print theme for slides
  and paper.
- **Scale.** PNG and GIF are drawn as pixels, 2 per scene unit by default (192 dpi:
  sharp on slides and high-density screens). A GIF is drawn at most at scale 2, since all
  its frames are held in memory until written; a larger scale is lowered to 2 for it.
  SVG and PDF are vectors and DOT is text: a scale does not apply to them.
- **Always works.** At the default scale a picture never fails for size: a PNG's long
  side stays within 8,000 px (it says in the picture when it is an overview), a GIF's
  frames fit a full-HD screen or follow the camera, a GIF holds at most 300 frames, and
  no PDF page is over 14,400 pt a side. A scale asked for is drawn as asked. Each change
  made comes back from `write` as an `Adjustment`, which every caller tells its user.
- **Pages.** A PDF deck is on 16:9 slides unless another page is asked for (``--page``,
  see ``pages.py``); a one-step PDF is the graph's own size.
- **Steps.** A file holds the step shown, unless every step is asked for (``--all-steps``,
  the dialog's "Every step"): a PDF is then a deck with one page per step and a PNG is
  numbered frames ``OUT-001.png`` …. A GIF always holds every step, starting with the
  inputs alone. SVG, DOT and .gradviz hold one step (or none) and refuse every step.
- **Groups.** ``collapse`` (``--collapse all|NAME``, ``draw(..., collapse=)``, the
  window's collapsed groups in the dialog) draws those groups as one box each, as the
  app does, and "every step" then passes over the steps inside a collapsed group as the
  player does (a run of them is one page or frame, at its last step). A .gradviz
  document records them in its view (``view.collapsed``); DOT source holds every node.
- **Size.** A format may draw pictures of at most so many nodes (``max_nodes``, counted
  as drawn: a collapsed group is one box): past it the export is refused before any
  drawing, with one line giving the count, the limit and what to write instead
  (`check_size`). An SVG keeps every box and text as markup, about 7 KB a node: 10,000
  nodes took 13 s, 0.6 GB and a 75 MB file, and 100,000 nodes 143 s, 5.3 GB and a
  740 MB file, which no viewer opens in reasonable time.
- **.gradviz** writes the graph as a document (no picture, no step, no theme), from the
  command line and from ``gradviz.draw``, to open in the app later. The Export dialog
  offers only the pictures (`PICTURES`): the app's File ▸ Save As writes the open
  document, with its description and view.

Adding a format is one entry in `FORMATS` (and its writer in ``export.py``); it then
appears in all three.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..core.errors import DocumentError, GraphError
from ..core.safe_write import check_target

if TYPE_CHECKING:
    from ..core.evaluation import Evaluation
    from ..core.graph import Graph

EXPORT_THEME = "light"
"""The theme every export is drawn in unless another is asked for."""
PIXEL_SCALE = 2.0
"""Pixels per scene unit of a PNG or a GIF unless another scale is asked for."""
MAX_SCALE = 20.0
"""The largest scale asked for that is taken (a PNG of a teaching-sized graph at 20 is
near the largest picture drawn as pixels, see export.MAX_PIXELS)."""
MAX_SVG_NODES = 10_000
"""The most nodes an SVG draws (see the module docstring's Size)."""


class Adjustment(NamedTuple):
    """One change an export made so that its file opens and reads everywhere: a PNG
    scaled down, a deck following the camera, a GIF's steps sampled.

    ``option`` names what chooses otherwise (``scale``, ``page``; "" nothing does), so
    each caller can say it in its own words (`for_command_line`, `for_python`).
    """

    text: str
    option: str = ""

    def for_command_line(self) -> str:
        return self.text + (f"; use --{self.option} to choose" if self.option else "")

    def for_python(self) -> str:
        return self.text + (f"; pass {self.option}= to choose" if self.option else "")

    def __str__(self) -> str:
        return self.text


class Written(NamedTuple):
    """What `write` wrote: the files, and the adjustments it made to them."""

    paths: list[Path]
    adjustments: list[Adjustment]


class Export(NamedTuple):
    """What to write: a graph, its run, the step shown and how to draw it.

    ``steps`` are the step indices "every step" means (the app passes the player's
    stops); None is every step of the run, 0 (the inputs alone) to the last. ``scale``
    None is the format's default (within its budget, see the module docstring); ``page``
    None a PDF's default page (`pages.PAGES` names the others). ``description`` and
    ``program`` go into a document. ``collapse`` names the groups drawn as one box each
    (``"all"``, a group's name or id, or a list of these, as `groups_to_collapse` reads
    them; None: none). ``forward`` (a `core.forward.ForwardRun` of ``evaluation``)
    draws forward mode: pass ``pass_index`` (0-based), whose steps ``step`` and "every
    step" then count.
    """

    graph: Graph
    evaluation: Evaluation | None
    step: int
    steps: Sequence[int] | None = None
    all_steps: bool = False
    theme: str = EXPORT_THEME
    scale: float | None = None
    positions: dict | None = None
    description: str = ""
    program: str | None = None
    page: str | None = None
    collapse: str | Sequence[str] | None = None
    forward: object | None = None
    pass_index: int = 0

    @property
    def timeline(self):
        """What the steps are steps of: the run's `Timeline`, or in forward mode the
        pass drawn (a `core.forward.ForwardPass`, with the same ``steps``); None
        without a run."""
        if self.forward is not None:
            return self.forward.pass_at(self.pass_index)
        return self.evaluation.timeline if self.evaluation is not None else None

    def every_index(self, skipped: Collection[int] = ()) -> list[int]:
        """The step indices "every step" means for this export: ``steps`` as given, or
        every step of the run but those ``skipped`` (inside a collapsed group, see
        `GraphScene.skipped_steps`)."""
        if self.steps is not None:
            return list(self.steps)
        timeline = self.timeline
        count = len(timeline) + 1 if timeline is not None else 1
        return [i for i in range(count) if i not in skipped]

    def collapsed_groups(self) -> list[str]:
        """The ids of the groups ``collapse`` names; GraphError naming the graph's
        groups when it names none of them."""
        from ..core.groups import groups_to_collapse

        return groups_to_collapse(self.graph, self.collapse)


Writer = Callable[[Export, Path, list[int], float | None], Written]
"""Writes ``job`` to ``path``: ``steps`` (the indices the format holds) at ``scale``."""


class ExportFormat(NamedTuple):
    """One format: its suffix, its title in the dialog, its writer and what it holds.

    ``every_step`` says what asking for every step makes of it ("" when it holds one
    step only); ``always_every_step`` that it holds every step whatever is asked.
    ``scale`` is its default pixels per scene unit (None: not drawn as pixels), and
    ``max_scale`` the most it is drawn at. ``paged`` says it has pages (``--page``).
    ``picture`` is False for the document. ``max_nodes`` is the most nodes one of its
    pictures draws (None: no limit), ``instead`` what to write past it.
    """

    suffix: str
    title: str
    write: Writer
    every_step: str = ""
    always_every_step: bool = False
    scale: float | None = None
    max_scale: float | None = None
    paged: bool = False
    picture: bool = True
    max_nodes: int | None = None
    instead: str = ""

    def steps_for(self, job: Export) -> list[int]:
        """The step indices this format writes of ``job``, in order."""
        if self.always_every_step or job.all_steps:
            return job.every_index()
        return [job.step]

    def scale_for(self, scale: float | None) -> float | None:
        """The scale this format is drawn at when ``scale`` is asked for (None: its default)."""
        if self.scale is None:
            return None
        chosen = self.scale if scale is None else scale
        return min(chosen, self.max_scale) if self.max_scale is not None else chosen


def _on_scene(draw: Callable) -> Writer:
    """A writer drawing ``job`` on a scene of its own, so no window's scene changes,
    with its collapsed groups drawn as boxes; ``draw(scene, path, scale, steps, job)``
    returns what it wrote."""

    def write(job: Export, path: Path, steps: list[int], scale: float | None) -> Written:
        from .offscreen import ensure_application
        from .scene import GraphScene
        from .theme import theme_named

        ensure_application()
        scene = GraphScene(theme_named(job.theme))
        try:
            scene.set_collapsed(job.collapsed_groups(), redraw=False)
            scene.set_forward(job.forward, job.pass_index, redraw=False)
            scene.set_graph(job.graph, job.evaluation, job.positions, steps[0])
            if len(steps) > 1 and job.steps is None:
                # Every step of the run, stopping where the player stops: a run of
                # steps inside a collapsed box is one (the scene knows which).
                steps = job.every_index(scene.skipped_steps())
            return draw(scene, path, scale, steps, job)
        finally:
            scene.clear()
            scene.deleteLater()

    return write


MAX_COORDINATE = 1e9
"""The farthest from the origin a node is drawn (a file may pin one at 1e308, past what
a picture's arithmetic can hold)."""


def check_drawable(scene, path: Path) -> None:
    """Refuse a scene whose nodes lie beyond `MAX_COORDINATE`, naming the first node
    pinned out there, before any painting."""
    import math

    rect = scene.content_rect()
    edges = (rect.left(), rect.top(), rect.right(), rect.bottom())
    if all(math.isfinite(v) and abs(v) <= MAX_COORDINATE for v in edges):
        return
    far = next((n for n in scene.graph.nodes() if n.pos is not None and not all(
        math.isfinite(v) and abs(v) <= MAX_COORDINATE for v in n.pos)), None)
    what = (f"node {far.label} is placed at ({far.pos[0]:g}, {far.pos[1]:g})" if far
            else "the graph reaches too far")
    raise DocumentError(f"cannot draw this graph: {what}; positions within "
                        f"±{MAX_COORDINATE:g} can be drawn", str(path))


def _png(scene, path: Path, scale: float, steps: list[int], job: Export) -> Written:
    from . import export, frames

    check_drawable(scene, path)
    chosen = job.scale is not None
    if len(steps) > 1:
        return Written(*frames.write_frames(scene, path, scale, steps, chosen))
    return Written([path], export.write_png(scene, path, scale, chosen))


def _svg(scene, path: Path, scale, steps: list[int], job: Export) -> Written:
    from . import export

    check_drawable(scene, path)
    export.write_svg(scene, path)
    return Written([path], [])


def _pdf(scene, path: Path, scale, steps: list[int], job: Export) -> Written:
    from . import deck

    check_drawable(scene, path)
    return Written([path], deck.write_pdf(scene, path, steps, job.page))


def _gif(scene, path: Path, scale: float, steps: list[int], job: Export) -> Written:
    from . import frames

    check_drawable(scene, path)
    return Written([path], frames.write_gif(scene, path, scale, steps, job.scale is not None))


def _dot(scene, path: Path, scale, steps: list[int], job: Export) -> Written:
    from . import export

    export.write_dot(scene, path)
    return Written([path], [])


def _document(job: Export, path: Path, steps, scale) -> Written:
    from ..core import fileformat
    from ..core.document import COLLAPSED

    graph = job.graph
    if job.positions:
        # Where the caller drew the nodes, on a copy: the caller's graph stays as it is.
        graph = graph.copy()
        for node_id, (x, y) in job.positions.items():
            if node_id in graph and graph.node(node_id).pos is None:
                graph.set_attrs(node_id, pos=(round(x, 2), round(y, 2)))
    collapsed = job.collapsed_groups()
    view = {COLLAPSED: collapsed} if collapsed else {}
    fileformat.write(path, fileformat.GraphDocument(graph, job.description, view, job.program))
    return Written([path], [])


def _text(writer_name: str) -> Writer:
    """A writer of every step as text (`step_text`): no scene, no picture."""

    def write(job: Export, path: Path, steps: list[int], scale) -> Written:
        from . import step_text

        collapsed = job.collapsed_groups()
        if collapsed and job.steps is None and job.timeline is not None:
            # As the pictures' every step does: a run of steps inside a collapsed box
            # is one line, at its last step (`collapse.CollapsedView.skipped`).
            from .collapse import CollapsedView

            view = CollapsedView(job.graph, collapsed)
            if view.active:
                steps = job.every_index(view.skipped(job.timeline.steps))
        getattr(step_text, writer_name)(job, path, steps, collapsed)
        return Written([path], [])

    return write


FORMATS: dict[str, ExportFormat] = {f.suffix: f for f in (
    ExportFormat(".png", "PNG picture", _on_scene(_png),
                 every_step="numbered frames OUT-001.png …", scale=PIXEL_SCALE),
    ExportFormat(".svg", "SVG picture", _on_scene(_svg), max_nodes=MAX_SVG_NODES,
                 instead="write a PNG (an overview of the whole graph) or a .gradviz "
                         "document to open in the app, or collapse groups"),
    ExportFormat(".pdf", "PDF (a deck: one page per step)", _on_scene(_pdf),
                 every_step="a deck: one page per step", paged=True),
    ExportFormat(".gif", "Animated GIF (every step)", _on_scene(_gif),
                 every_step="an animation", always_every_step=True,
                 scale=PIXEL_SCALE, max_scale=2.0),
    ExportFormat(".dot", "Graphviz DOT source", _on_scene(_dot)),
    ExportFormat(".gradviz", "gradviz document", _document, picture=False),
    ExportFormat(".md", "Markdown steps (one numbered line a step)", _text("write_markdown"),
                 every_step="one numbered line a step", always_every_step=True,
                 picture=False),
    ExportFormat(".tex", "LaTeX steps (one numbered item a step)", _text("write_latex"),
                 every_step="one numbered item a step", always_every_step=True,
                 picture=False),
)}
"""Every format by its suffix, in the order they are offered."""

PICTURES: dict[str, ExportFormat] = {s: f for s, f in FORMATS.items() if f.picture}
"""The formats the Export dialog offers (see the module docstring for why)."""


def format_for(path: str | Path) -> ExportFormat:
    """The format ``path``'s suffix names; a DocumentError at ``path`` listing every
    format when it names none (the same message from the CLI, draw() and the dialog)."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise DocumentError(f"cannot export {suffix or 'a file without a suffix'}: use one "
                            f"of {', '.join(FORMATS)}", str(path))
    return FORMATS[suffix]


def check_all_steps(fmt: ExportFormat, all_steps: bool, where: str = "") -> None:
    """Refuse every step for a format that holds one step, naming those that hold more."""
    if all_steps and not fmt.every_step:
        holders = ", ".join(f"{f.suffix} ({f.every_step})" for f in FORMATS.values()
                            if f.every_step)
        raise DocumentError(f"{fmt.suffix} holds one step; every step can be written to "
                            f"{holders}", where)


def check_page(fmt: ExportFormat, page: str | None, where: str = "") -> None:
    """Refuse a page for a format without pages, and a page size no one knows."""
    from .pages import check_page as check_name

    if page is None:
        return
    if not fmt.paged:
        paged = ", ".join(f.suffix for f in FORMATS.values() if f.paged)
        raise DocumentError(f"{fmt.suffix} has no pages: a page size is for {paged}", where)
    check_name(page)


def drawn_nodes(job: Export) -> int:
    """How many nodes a picture of ``job`` draws: a collapsed group is one box (in
    either mode)."""
    collapsed = job.collapsed_groups()
    if not collapsed:
        return len(job.graph)
    from ..core.groups import collapsed_box_of

    box_of = collapsed_box_of(job.graph, collapsed)
    return len(job.graph) - len(box_of) + len(set(box_of.values()))


def check_size(fmt: ExportFormat, job: Export, where: str = "") -> None:
    """Refuse a picture of more nodes than ``fmt`` draws, with the count, the limit and
    what to write instead (before anything is run or drawn)."""
    if fmt.max_nodes is None:
        return
    count = drawn_nodes(job)
    if count > fmt.max_nodes:
        name = fmt.suffix[1:].upper()
        raise DocumentError(f"a graph of {count:,} nodes is too big for {name}, which "
                            f"draws up to {fmt.max_nodes:,}: {fmt.instead}", where)


def check_scale(scale: float | None) -> None:
    """Refuse a scale that is not a number above 0 and at most `MAX_SCALE`."""
    if scale is not None and not 0 < scale <= MAX_SCALE:
        raise GraphError(f"scale {scale:g}: use a number above 0 and at most {MAX_SCALE:g}")


def write(job: Export, path: str | Path) -> Written:
    """Write ``job`` to ``path`` in the format its suffix names; the files written and
    the adjustments made so that they always open (none when the job asks for nothing
    too big; see the module docstring).

    Every file is written atomically (`safe_write`): on any failure the previous file
    stays as it was. Raises DocumentError for a target that is a folder, a special file
    or read-only, for a suffix no format has, for every step asked of a format
    that holds one, for a page asked of a format without pages, for a graph bigger
    than the format draws (`check_size`), and (`export.PictureTooLarge`) for a scale
    asked for that is too big to draw as pixels;
    GraphError for a scale out of range, an unknown page size or a group to collapse
    that the graph does not have.
    """
    path = Path(path)
    fmt = format_for(path)
    check_all_steps(fmt, job.all_steps, str(path))
    check_page(fmt, job.page, str(path))
    check_scale(job.scale)
    job.collapsed_groups()  # a group it does not have is refused before any drawing
    check_size(fmt, job, str(path))
    if not (job.all_steps and fmt.suffix == ".png"):  # numbered frames: each as written
        check_target(path)  # a special or read-only file is refused before any drawing
    return fmt.write(job, path, fmt.steps_for(job), fmt.scale_for(job.scale))
