"""Flowcharts derived from the data: DOT generation (pure) and the one call to Graphviz.

A chart is drawn from the measures' `next` edges, so it cannot disagree with the text. DOT is
generated deterministically (in data order, no timestamps); its SVG is cached by the hash of
the DOT source, so an unchanged chart never calls Graphviz again. Every label comes from the
(localized) data and the language's labels; nothing readable is written here.
"""

from __future__ import annotations

import re
import subprocess
import textwrap
from collections.abc import Callable

from trmgen.content.guide import Guide
from trmgen.diagnostics import BuildError, Diagnostic
from trmgen.i18n.labels import Labels
from trmgen.sources import cache
from trmgen.sources.model import ChartStyle, CountryRole, Measure, Overview, Sop

Href = Callable[[str], str]
"""The link from the page that shows a chart to a measure's page, by measure id."""

WRAP = 26
"""Characters per line of a box's label."""


class ChartError(Exception):
    """Graphviz could not draw a chart."""


def missing_tool(tool: str, package: str) -> BuildError:
    """A system program or library is not installed: what to do, with no file to point at."""
    return BuildError([Diagnostic("", 1, 1, "build.missing-tool", "", f"{tool} is not "
                                  f"installed; 'make site' installs it (as root or with sudo), "
                                  f"or run: apt-get install {package}")])


def _html(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _lines(text: str, width: int = WRAP) -> str:
    """Wrapped text for an HTML-like label."""
    return "<br/>".join(_html(line) for line in textwrap.wrap(text, width) or [""])


def _attrs(**values: str) -> str:
    return ", ".join(f"{key}={value}" for key, value in values.items())


def _box(title: str, detail: str) -> str:
    small = f'<br/><font point-size="9">{_lines(detail, WRAP + 8)}</font>' if detail else ""
    return f"<<b>{_lines(title)}</b>{small}>"


def _head(name: str, style: ChartStyle) -> list[str]:
    font = _quoted(style.font)
    graph = _attrs(rankdir="TB", bgcolor="transparent", fontname=font, nodesep="0.3",
                   ranksep="0.45", pad="0.1")
    node = _attrs(shape="box", style=_quoted("filled,rounded"), fontname=font, fontsize="11",
                  margin='"0.12,0.06"', penwidth="1.2")
    edge = _attrs(fontname=font, fontsize="9", color=_quoted(style.edge),
                  fontcolor=_quoted(style.edge), arrowsize="0.7")
    return [f"digraph {_quoted(name)} {{", f"  graph [{graph}];", f"  node [{node}];",
            f"  edge [{edge}];"]


def _node(guide: Guide, measure: Measure, style: ChartStyle, href: Href, *, title: str,
          detail: str, name: str = "", outside: bool = False) -> str:
    """A box for a measure, named after it unless `name` is given, linking to its page."""
    name = name or measure.id
    lead = guide.actor(measure.who[0].actor)
    look = style.kinds[lead.kind]
    attrs = {
        "id": _quoted(f"chart-{name}"),
        "label": _box(title, detail),
        "shape": look.shape,
        "fillcolor": _quoted(look.fill),
        "color": _quoted(style.child if measure.child_only else look.border),
        "href": _quoted(href(measure.id)),
        "tooltip": _quoted(measure.title),
    }
    if measure.child_only:
        attrs["penwidth"] = "2.2"
    if outside:
        attrs["style"] = _quoted("filled,rounded,dashed")
        attrs["fillcolor"] = '"#ffffff"'
    return f"  {_quoted(name)} [{_attrs(**attrs)}];"


def _edge_id(seen: set[str], source: str, to: str) -> str:
    """An arrow's id in the page (Graphviz's own titles of arrows are left out of it)."""
    name = f"chart-{source}--{to}"
    while name in seen:
        name += "-again"
    seen.add(name)
    return name


def sop_dot(guide: Guide, sop: Sop, style: ChartStyle, labels: Labels, href: Href) -> str:
    """The chart of one SOP: its measures, the `next` edges between them, and hand-overs."""
    lines = _head(sop.id, style)
    for measure in sop.measures:
        actors = ", ".join(guide.actor(a).name for a in measure.actors())
        lines.append(_node(guide, measure, style, href, title=measure.title, detail=actors))
    for measure_id in outside_targets(sop):
        target = guide.measure(measure_id)
        other = guide.sop_of(target)
        lines.append(_node(guide, target, style, href, title=target.title, outside=True,
                           detail=labels.gettext("SOP %(number)d: %(title)s")
                           % {"number": other.number, "title": other.title}))
    seen: set[str] = set()
    for measure in sop.measures:
        for edge in measure.next:
            attrs = {}
            if edge.condition:
                attrs["label"] = _quoted(textwrap.fill(edge.condition, WRAP))
            if edge.child:
                attrs.update(color=_quoted(style.child), fontcolor=_quoted(style.child),
                             style="dashed", penwidth="1.6")
            if edge.handover:
                attrs.update(color=_quoted(style.handover), fontcolor=_quoted(style.handover),
                             penwidth="2.6")
            attrs["id"] = _quoted(_edge_id(seen, measure.id, edge.to))
            lines.append(f"  {_quoted(measure.id)} -> {_quoted(edge.to)} [{_attrs(**attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def phases(guide: Guide, overview: Overview) -> list[Sop]:
    """The SOPs that the overview's steps belong to, in order: one chart each."""
    used = {guide.sop_of(guide.measure(step.measure)).id for step in overview.steps}
    return [sop for sop in guide.sops if sop.id in used]


def overview_dot(guide: Guide, overview: Overview, phase: Sop, style: ChartStyle,
                 labels: Labels, href: Href) -> str:
    """One phase of the TRM across the countries (the overview's steps of one SOP), top to
    bottom, a lane per country role, hand-overs in bold. Where the case goes on to another
    SOP, a dashed box names the step it reaches and its SOP, in that step's lane."""
    lines = _head(f"overview-{phase.id}", style)
    steps = {step.id: step for step in overview.steps}
    here = [s for s in overview.steps if guide.sop_of(guide.measure(s.measure)) == phase]
    names = {step.id for step in here}
    edges = [edge for edge in overview.edges if edge.source in names]
    later = list(dict.fromkeys(edge.to for edge in edges if edge.to not in names))
    for role in CountryRole:
        boxes = [(s, False) for s in here if s.lane == role]
        boxes += [(steps[name], True) for name in later if steps[name].lane == role]
        if not boxes:
            continue
        lane = _attrs(label=_quoted(labels.role(role)), style="rounded",
                      color=_quoted(style.edge), fontsize="12")
        lines.append(f"  subgraph {_quoted('cluster_' + role.value)} {{")
        lines.append(f"    graph [{lane}];")
        for step, outside in boxes:
            measure = guide.measure(step.measure)
            sop = guide.sop_of(measure)
            detail = labels.gettext("SOP %(number)d: %(title)s") % {
                "number": sop.number, "title": sop.title} if outside else ""
            name = f"{step.id}--next" if outside else step.id
            lines.append("  " + _node(guide, measure, style, href, name=name,
                                      title=step.label or measure.title, detail=detail,
                                      outside=outside))
        lines.append("  }")
    seen: set[str] = set()
    for edge in edges:
        attrs = {}
        if edge.label:
            attrs["label"] = _quoted(textwrap.fill(edge.label, WRAP))
        if steps[edge.source].lane != steps[edge.to].lane:
            attrs.update(color=_quoted(style.handover), fontcolor=_quoted(style.handover),
                         penwidth="2.4")
        to = edge.to if edge.to in names else f"{edge.to}--next"
        attrs["id"] = _quoted(_edge_id(seen, edge.source, to))
        lines.append(f"  {_quoted(edge.source)} -> {_quoted(to)} [{_attrs(**attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def draw(dot: str, fmt: str = "svg") -> bytes:
    """The chart drawn by Graphviz, from the cache when this DOT was drawn before."""
    key = cache.chart_key(dot, fmt)
    suffix = "." + fmt.replace(":", "-")
    kept = cache.read("charts", key, suffix)
    if kept is not None:
        return kept
    try:
        result = subprocess.run(["dot", f"-T{fmt}"], input=dot.encode(), capture_output=True,
                                timeout=120, check=False)
    except FileNotFoundError:
        raise missing_tool("Graphviz (the program 'dot')", "graphviz") from None
    except subprocess.TimeoutExpired:
        raise ChartError("Graphviz took longer than two minutes to draw a chart") from None
    if result.returncode != 0 or not result.stdout:
        raise ChartError("Graphviz could not draw a chart: "
                         + result.stderr.decode(errors="replace").strip())
    cache.write("charts", key, result.stdout, suffix)
    return result.stdout


_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_UNSHOWN = re.compile(r"<!--.*?-->\n?|<title>[^<]*</title>\n?", re.DOTALL)
_SVG = re.compile(r'<svg (?=width="[^"]*" height="[^"]*")')
_FONT = re.compile(r' font-family="([^"]*)"')


def inline_svg(svg: bytes, label: str) -> str:
    """An SVG ready to sit inside a page at its drawn size (its text as readable as the
    page's; the page pans it): no prologue, comments or Graphviz's titles (ids, which a
    screen reader would read out in place of the names), named. The font is named once, on
    the chart, where Graphviz names it on every line of text."""
    text = _UNSHOWN.sub("", _PROLOGUE.sub("", svg.decode("utf-8"), count=1))
    fonts = set(_FONT.findall(text))
    font = f'font-family="{fonts.pop()}" ' if len(fonts) == 1 else ""
    if font:
        text = _FONT.sub("", text)
    named = f'<svg class="trm-chart-svg" role="group" aria-label="{_html(label)}" {font}'
    return _SVG.sub(named, text, count=1).strip()


def outside_targets(sop: Sop) -> list[str]:
    """The measures of other SOPs that this SOP's chart shows as hand-overs, in order."""
    own = {m.id for m in sop.measures}
    return list(dict.fromkeys(e.to for m in sop.measures for e in m.next if e.to not in own))
