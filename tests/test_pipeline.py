"""One run: a build loads and validates the sources once and hands the validated edition to
every stage; what it keeps in the cache holds no path of the tree it was made in."""

from __future__ import annotations

from pathlib import Path

import pytest

from trmgen.checks import validate as validation
from trmgen.publish.build import build
from trmgen.sources import cache
from trmgen.sources.layout import Layout
from trmgen.sources.load import Sources

from .edits import replace_in

pytestmark = pytest.mark.slow  # a whole build in five languages

LANGUAGES = ["en", "fr", "bg", "ro", "ar"]


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
