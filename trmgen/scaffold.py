"""`trmgen new`: valid, commented starting files for a measure, a country or a language.

Each starting file validates at once, so an editor begins from something sound and sees
where to write. If a new file would not validate, nothing is left behind.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic_core import PydanticCustomError

from trmgen.checks.validate import validate
from trmgen.diagnostics import Diagnostic, Severity, count
from trmgen.i18n import catalogs
from trmgen.sources import phones
from trmgen.sources import value_types as values
from trmgen.sources.layout import MAX_SOURCE_BYTES, SCHEMAS, Layout, UnsafeFile, read_file


class ScaffoldError(Exception):
    """The starting file cannot be made; the message says why."""


def _first_actor(layout: Layout) -> str:
    """An actor to start with (the first of guidelines/actors.yaml that countries list)."""
    sources, _ = validate(layout)
    if not sources.actors:
        raise ScaffoldError(f"fix {layout.display(layout.actors_file)} first")
    actors = sources.actors.model.actors
    return next((a.id for a in actors if a.per_country), actors[0].id)


def _check(layout: Layout, undo: dict[Path, str | None]) -> list[Diagnostic]:
    """Validate; on errors put every changed file back as it was."""
    _, diagnostics = validate(layout)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if errors:
        for path, text in undo.items():
            if text is None:
                path.unlink(missing_ok=True)
            else:
                _write(path, text)
        raise ScaffoldError("the new file would not validate:\n"
                            + "\n".join(d.text() for d in errors))
    return diagnostics


def measure(layout: Layout, sop_number: int, measure_id: str) -> tuple[Path, list[Diagnostic]]:
    """Append a new measure to the SOP with this number."""
    try:
        values.check_slug(measure_id)
    except PydanticCustomError as exc:
        raise ScaffoldError(exc.message()) from None
    files = [p for p in layout.sop_files() if p.name.startswith(f"{sop_number}-")]
    if not files:
        raise ScaffoldError(f"there is no SOP {sop_number} in {layout.display(layout.sops)}")
    path = files[0]
    before = _text(layout, path)
    if re.search(rf"^\s*- id: {re.escape(measure_id)}\s*$", before, re.MULTILINE):
        raise ScaffoldError(f"the measure '{measure_id}' is already in {layout.display(path)}")
    ending = "\r\n" if "\r\n" in before else "\n"  # the file's own line endings
    added = MEASURE.format(id=measure_id, actor=_first_actor(layout)).replace("\n", ending)
    _write(path, before.rstrip("\r\n") + ending + added)
    return path, _check(layout, {path: before})


def _text(layout: Layout, path: Path) -> str:
    """A source file's text, or a ScaffoldError that says why it cannot be changed."""
    try:
        raw = read_file(path, MAX_SOURCE_BYTES)
    except UnsafeFile as exc:
        raise ScaffoldError(f"{layout.display(path)}: {exc.message}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScaffoldError(f"{layout.display(path)} is not saved as UTF-8; save it as UTF-8 "
                            "first ('trmgen validate' shows where)") from None


def _write(path: Path, text: str) -> None:
    """Write text as it is: no line endings translated."""
    path.write_bytes(text.encode("utf-8"))


MEASURE = """
  # A new measure: replace every text below, then remove `start: true` once the `next` of
  # an earlier measure leads here. CONTRIBUTING.md explains each field.
  - id: {id}
    title: Write the measure's title as an instruction
    what: |
      What is done, and why.
    when: |
      The trigger or the time limit.
    who: [{actor}]  # actor ids from guidelines/actors.yaml, the lead first
    how:
      - The first step, as concrete as you can make it.
    start: true
    next: []  # e.g. - to: another-measure-id
"""


def country(layout: Layout, code: str) -> tuple[Path, list[Diagnostic]]:
    """A contacts file for a new country, with one institution to fill in."""
    try:
        values.check_country_code(code)
    except PydanticCustomError as exc:
        raise ScaffoldError(exc.message()) from None
    path = layout.contacts / f"{code}.yaml"
    if path.exists():
        raise ScaffoldError(f"{layout.display(path)} exists already")
    try:
        sample = phones.fictional(code)
    except LookupError:
        raise ScaffoldError(f"no sample phone number that reaches nobody is known for {code}; "
                            "write the file by hand") from None
    path.write_text(COUNTRY.format(code=code, low=code.lower(), phone=sample,
                                   actor=_first_actor(layout),
                                   schema=SCHEMAS["country"]), encoding="utf-8")
    return path, _check(layout, {path: None})


COUNTRY = """# yaml-language-server: $schema=../schemas/{schema}
# Contacts of {code}. Replace the sample values with verified ones, add last_verified and
# verified_by to each institution, then set sample_data to false. The sample number reaches
# nobody. CONTRIBUTING.md explains each field.
roles: [destination]  # origin, transit, destination
sample_data: true
nrm:
  name: National Referral Mechanism
institutions:
  - id: {low}-focal-point
    name: Write the institution's name
    serves_as: [{actor}]  # actor ids from guidelines/actors.yaml
    phones:
      - number: "{phone}"
        label: Office
        hours: Mo-Fr 09:00-17:00
    emails: [focal-point.{low}@example.org]
    languages: [en]
"""


def language(layout: Layout, code: str) -> tuple[Path, list[Diagnostic]]:
    """Publish the guidelines in a new language: add it and start its catalog."""
    try:
        values.check_language_code(code)
    except PydanticCustomError as exc:
        raise ScaffoldError(exc.message()) from None
    path = layout.guideline_file
    before = _text(layout, path)
    found = re.search(r"^languages:\s*\[([^\]]*)\]\s*$", before, re.MULTILINE)
    if not found:
        raise ScaffoldError(f"write the languages of {layout.display(path)} on one line, "
                            "like 'languages: [en, fr]', then run this again")
    current = [c.strip() for c in found.group(1).split(",") if c.strip()]
    if code in current:
        raise ScaffoldError(f"'{code}' is already one of the languages")
    updated = before[:found.start()] + f"languages: [{', '.join([*current, code])}]" + (
        before[found.end():])
    _write(path, updated)
    diagnostics = _check(layout, {path: before})
    sources, _ = validate(layout)
    catalogs.update(layout, code, catalogs.extract_template(layout, sources))
    return catalogs.catalog_path(layout, code), diagnostics


def summary(diagnostics: list[Diagnostic]) -> str:
    """How the new file stands: it validates, with this many warnings."""
    warnings = count(diagnostics, Severity.WARNING)
    return "it validates" + (f", with {warnings} warnings to look at" if warnings else "")
