"""One run: a build loads and validates the sources once and hands the validated edition to
every stage; what it keeps in the cache holds no path of the tree it was made in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from trmgen.checks import validate as validation
from trmgen.content.edition import validated
from trmgen.publish.build import build
from trmgen.sources import cache
from trmgen.sources.layout import Layout
from trmgen.sources.load import Sources
from trmgen.web.plugin import Job, build_site

from .edits import replace_in
from .languages import PUBLISHED

pytestmark = pytest.mark.slow  # a whole build in five languages

LANGUAGES = PUBLISHED


def test_a_five_language_build_validates_once_and_keeps_no_paths(
        scratch_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRMGEN_CACHE", str(tmp_path / "cache"))
    replace_in(scratch_repo / "guidelines/guideline.yaml", "languages: [en]",
               f"languages: [{', '.join(LANGUAGES)}]")
    (scratch_repo / "guidelines/translations").mkdir()
    for code in LANGUAGES[1:]:
        (scratch_repo / f"guidelines/translations/{code}.po").write_text(
            f'msgid ""\nmsgstr ""\n"Language: {code}\\n"\n', encoding="utf-8")
    loads = tmp_path / "loads"
    from trmgen.sources.load import load_sources

    def counted(layout: Layout) -> Sources:
        with loads.open("a") as log:  # the workers are other processes: they append too
            log.write("loaded\n")
        return load_sources(layout)

    monkeypatch.setattr(validation, "load_sources", counted)
    lines: list[str] = []
    build(Layout(scratch_repo), progress=lines.append)
    assert {f"site {code}" for code in LANGUAGES} <= {line.split("  ")[0] for line in lines}
    assert loads.read_text().splitlines() == ["loaded"]
    root = str(scratch_repo).encode()
    entries = [p for p in cache.folder().rglob("*") if p.is_file()]
    assert len(entries) > 20
    assert [p.name for p in entries if root in p.read_bytes()] == []


def test_a_build_leaves_nothing_to_the_next_in_the_same_process(scratch_repo: Path,
                                                                tmp_path: Path) -> None:
    """mkdocs keeps one plugin instance per process: a plain `mkdocs build` after a build of
    the driver builds its own tree, not the edition and languages the driver handed over."""
    other = tmp_path / "other"
    shutil.copytree(scratch_repo, other)
    replace_in(scratch_repo / "guidelines/guideline.yaml", "languages: [en]", "languages: [en, fr]")
    replace_in(scratch_repo / "guidelines/sops/1-identification.yaml",
               "title: Screen on indicators", "title: Screen in the first tree")
    (scratch_repo / "guidelines/translations").mkdir()
    (scratch_repo / "guidelines/translations/fr.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n', encoding="utf-8")
    layout = Layout(scratch_repo)
    build_site(layout, Job(validated(layout), "en", ("en", "fr")), tmp_path / "first",
               tmp_path)
    assert 'hreflang="fr"' in (tmp_path / "first/index.html").read_text(encoding="utf-8")
    (tmp_path / "docs").mkdir()
    mkdocs_build(load_config(str(other / "mkdocs.yml"), site_dir=str(tmp_path / "second"),
                             docs_dir=str(tmp_path / "docs")))
    page = (tmp_path / "second/measures/first-screening/index.html").read_text(encoding="utf-8")
    assert "Screen on indicators" in page
    assert "Screen in the first tree" not in page
    assert 'hreflang="fr"' not in page
