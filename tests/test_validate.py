"""Golden cases: a change to a small valid tree -> the exact diagnostics, path:line:col.

Each tests/cases/validate/NAME.yaml names files to write over tests/cases/base/ (text, or
`{latin-1: text}` for another encoding, or null to delete); NAME.expected holds the expected
output of `trmgen validate` (notices left out unless the case asks for them). Refresh with
`pytest --update-goldens` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
import weakref
from pathlib import Path

import pytest
import yaml

from trmgen.checks.validate import validate
from trmgen.diagnostics import ADJUSTABLE, CODES, Severity, report
from trmgen.sources.layout import Layout
from trmgen.sources.load import Sources

from .conftest import ROOT

CASES = sorted((Path(__file__).parent / "cases" / "validate").glob("*.yaml"))
TODAY = dt.date(2026, 11, 27)


def write_case(root: Path, case: dict[str, object]) -> None:
    files = case.get("files", {})
    assert isinstance(files, dict)
    for name, content in files.items():
        path = root / name
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, dict):
            ((encoding, text),) = content.items()
            path.write_bytes(text.encode(encoding))
        else:
            path.write_bytes(str(content).encode("utf-8"))


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_golden_case(case_file: Path, base_tree: Path, update_goldens: bool) -> None:
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    write_case(base_tree, case)
    _, diagnostics = validate(Layout(base_tree), strict=bool(case.get("strict")), today=TODAY)
    if not case.get("notices"):
        diagnostics = [d for d in diagnostics if d.severity is not Severity.NOTICE]
    output = report(diagnostics, "text") + "\n"
    expected_file = case_file.with_suffix(".expected")
    if update_goldens:
        expected_file.write_text(output, encoding="utf-8")
    assert output == expected_file.read_text(encoding="utf-8")


def test_every_case_has_its_expected_output() -> None:
    assert len(CASES) >= 30
    for case in CASES:
        assert case.with_suffix(".expected").is_file(), case.name


def test_base_tree_is_clean(base_tree: Path) -> None:
    _, diagnostics = validate(Layout(base_tree), today=TODAY)
    assert [d.code for d in diagnostics] == ["contact.sample-data"]


def test_the_registry_lists_every_code_the_code_gives_and_no_other() -> None:
    """`severity:` settings are checked against the registry, so it must be exact."""
    families = "adoption|build|chart|contact|file|flow|i18n|law|ref|schema|template|text|value|yaml"
    literal = re.compile(rf'"((?:{families})\.(?!(?:svg|md|yaml|json)")[a-z0-9-]+)"')
    registry = re.compile(r"^(CODES|ADJUSTABLE) = frozenset\(\{.*?^\}\)", re.MULTILINE | re.DOTALL)
    given = {code for path in (ROOT / "trmgen").rglob("*.py")
             for code in literal.findall(registry.sub("", path.read_text(encoding="utf-8")))}
    assert given == CODES
    assert ADJUSTABLE <= CODES


def test_contributing_lists_the_codes_whose_severity_can_change() -> None:
    text = " ".join((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").split())
    listed = text.split("Only these warnings can be changed", 1)[1].split("Every other", 1)[0]
    assert set(re.findall(r"`([a-z0-9]+\.[a-z0-9-]+)`", listed)) == ADJUSTABLE


def test_the_files_as_read_are_kept_for_serve_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The files as read, with the position of every value, are most of what validation
    holds (at 50x, a hundred MB). serve keeps them, to read only what an edit changed; a run
    that validates once, such as a build and every worker it forks, lets them go."""
    from trmgen.checks import validate as validation
    from trmgen.content.edition import validated
    from trmgen.sources.load import load_sources

    read: list[weakref.ref[object]] = []

    def loaded(layout: Layout) -> Sources:
        sources = load_sources(layout)
        read.extend(weakref.ref(sop.doc) for sop in sources.sops)
        return sources

    monkeypatch.setattr(validation, "load_sources", loaded)
    validated(Layout(ROOT), again=True)
    gc.collect()
    assert read and all(ref() is not None for ref in read), "kept for the next edit"
    read.clear()
    validated(Layout(ROOT))
    gc.collect()
    assert read and all(ref() is None for ref in read), "let go"
