"""Flowcharts: deterministic DOT (goldens), real Graphviz, the cache, charts on the pages."""

from __future__ import annotations

import gettext
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from trmgen.content.guide import Guide
from trmgen.diagnostics import BuildError
from trmgen.i18n.labels import Labels
from trmgen.sources import cache
from trmgen.sources.layout import Layout
from trmgen.sources.load import load_sources
from trmgen.web import flowcharts

from .conftest import CASES, ROOT
from .edits import replace_in
from .html import page, resolve
from .sites import generated

GOLDENS = CASES / "charts"
LABELS = Labels(gettext.NullTranslations().gettext)
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def base_guide() -> Guide:
    return Guide.from_sources(load_sources(Layout(CASES / "base")))


def measure_href(measure_id: str) -> str:
    return f"../../measures/{measure_id}/"


def charts(guide: Guide) -> dict[str, str]:
    out = {f"sop-{sop.id}.dot": flowcharts.sop_dot(guide, sop, guide.style, LABELS,
                                                  measure_href) for sop in guide.sops}
    for sop in flowcharts.phases(guide, guide.overview):
        out[f"overview-{sop.id}.dot"] = flowcharts.overview_dot(
            guide, guide.overview, sop, guide.style, LABELS, measure_href)
    return out


def test_dot_goldens(update_goldens: bool) -> None:
    for name, dot in charts(base_guide()).items():
        golden = GOLDENS / name
        if update_goldens:
            golden.write_text(dot, encoding="utf-8")
        assert dot == golden.read_text(encoding="utf-8"), name


def test_dot_is_the_same_in_every_process() -> None:
    """Two processes with different hash seeds (which reorder sets and the keys of dicts
    built from them) write the same DOT: nothing in it depends on iteration order."""
    import subprocess
    import sys

    script = ("import json, tests.test_flowchart as t; "
              "print(json.dumps(t.charts(t.base_guide()), sort_keys=True))")
    outputs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              check=True, cwd=CASES.parent.parent,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2", "3")}
    assert len(outputs) == 1
    assert "sop-identification.dot" in next(iter(outputs))


def test_child_path_and_hand_over_are_drawn_distinctly() -> None:
    dot = charts(base_guide())["sop-identification.dot"]
    child_edge = next(line for line in dot.splitlines()
                      if '"referral" -> "guardian-appointment"' in line)
    assert 'style=dashed' in child_edge and '#b34700' in child_edge
    assert 'penwidth=2.2' in next(line for line in dot.splitlines()
                                  if line.strip().startswith('"guardian-appointment" ['))


def test_graphviz_draws_an_svg_with_a_link_per_measure(tmp_path: Path) -> None:
    guide = base_guide()
    svg = flowcharts.draw(charts(guide)["sop-identification.dot"])
    root = ET.fromstring(svg)
    links = [str(a.get(f"{XLINK}href")) for a in root.iter(f"{SVG}a")]
    assert sorted(set(links)) == sorted(measure_href(m.id) for m in guide.sops[0].measures)


def fake_dot(folder: Path) -> None:
    """A `dot` that fails, first on PATH: any call to Graphviz would now break the build."""
    folder.mkdir()
    script = folder / "dot"
    script.write_text("#!/bin/sh\necho 'fake dot: Graphviz was called' >&2\nexit 1\n")
    script.chmod(0o755)


def test_unchanged_charts_never_call_graphviz_again(scratch_repo: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRMGEN_CACHE", str(tmp_path / "cache"))
    layout = Layout(scratch_repo)
    generated(layout)
    cached = sorted((cache.folder() / "charts").iterdir())
    assert len(cached) == 2  # the SOP's chart and the overview
    fake_dot(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    for kept in [*(cache.folder() / "pages").iterdir(), *(cache.folder() / "rendered").iterdir()]:
        kept.unlink()  # the pages are made again...
    generated(layout)  # ...and every chart comes from the cache: the failing dot is never run
    assert sorted((cache.folder() / "charts").iterdir()) == cached
    sop = scratch_repo / "guidelines/sops/1-identification.yaml"
    replace_in(sop, "title: Refer to assistance", "title: Refer")
    with pytest.raises(BuildError) as failed:  # a changed chart does call Graphviz
        generated(layout)
    (problem,) = failed.value.diagnostics
    assert problem.code == "chart.graphviz"
    assert "fake dot: Graphviz was called" in problem.message


def test_every_sop_page_inlines_its_chart_with_working_links(shipped_site: Path) -> None:
    sops = sorted((shipped_site / "en/sops").iterdir())
    assert len(sops) == 5
    for folder in sops:
        index = folder / "index.html"
        tree = page(shipped_site, f"en/sops/{folder.name}/")
        svg = tree.xpath("//figure[@class='trm-chart']//svg")
        assert len(svg) == 1, folder.name
        hrefs = svg[0].xpath(".//a/@*[name()='xlink:href' or name()='href']")
        assert hrefs, folder.name
        for href in hrefs:
            target = resolve(index, str(href))
            assert target and target[0].is_file(), href
        assert svg[0].get("width", "").endswith("pt"), "the chart keeps its drawn size"
        assert not (folder / "chart.svg").exists(), "the page's chart is the only copy"
        listed = tree.xpath("//ol[@class='trm-flow-list']/li/a/@href")
        assert listed, "the text alternative lists the flow"


def test_overview_has_lanes_and_hand_overs(shipped_site: Path) -> None:
    tree = page(shipped_site, "en/overview/")
    svg_text = " ".join(tree.xpath("//figure[@class='trm-chart']//svg//text()"))
    for lane in ("Country of origin", "Country of transit", "Country of destination"):
        assert lane in svg_text
    assert tree.xpath("//span[@class='trm-label'][starts-with(., 'hand-over to the')]")


def test_the_overview_is_drawn_one_phase_at_a_time() -> None:
    """Each SOP that the overview passes through has its own chart, top to bottom; a step
    is a box of its SOP's chart, and where the case goes on to another SOP a dashed box
    names the step it reaches."""
    guide = Guide.from_sources(load_sources(Layout(ROOT)))
    overview = guide.overview
    phases = flowcharts.phases(guide, overview)
    assert [sop.number for sop in phases] == [1, 2, 3, 4, 5]
    sop_of = {s.id: guide.sop_of(guide.measure(s.measure)).id for s in overview.steps}
    boxes: list[str] = []
    for sop in phases:
        dot = flowcharts.overview_dot(guide, overview, sop, guide.style, LABELS,
                                      measure_href)
        assert "rankdir=TB" in dot
        boxes += [s.id for s in overview.steps if f'"{s.id}" [id=' in dot]
        for edge in overview.edges:
            if sop_of[edge.source] != sop.id:
                continue
            if sop_of[edge.to] == sop.id:
                assert f'"{edge.source}" -> "{edge.to}"' in dot
            else:
                assert f'"{edge.source}" -> "{edge.to}--next"' in dot
                assert f'"{edge.to}--next" [' in dot and "dashed" in dot
    assert sorted(boxes) == sorted(s.id for s in overview.steps)
    assert any(sop_of[e.source] != sop_of[e.to] for e in overview.edges)
