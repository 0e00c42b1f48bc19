"""One problem record and its formats: terminal text, GitHub annotations, JSON."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from enum import StrEnum


class Severity(StrEnum):
    """How much a problem matters: errors stop a build, warnings ask for a look."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


CODES = frozenset({
    "adoption.review-due", "adoption.step",
    "build.language", "build.missing-tool", "build.mkdocs", "build.out-folder",
    "build.placeholder-repository", "build.unsafe-html",
    "chart.graphviz",
    "contact.example-address", "contact.missing-actor", "contact.missing-channel",
    "contact.phone-country", "contact.sample-address", "contact.sample-data",
    "contact.sample-phone", "contact.sample-verified", "contact.stale", "contact.unverified",
    "file.extension", "file.link", "file.missing", "file.more-problems", "file.name",
    "file.not-regular", "file.schema-line", "file.too-large", "file.unreadable",
    "flow.crossing-without-handover", "flow.lane-role", "flow.unconditional-cycle",
    "flow.unconnected", "flow.unreachable", "flow.unsafe-crossing", "flow.wrong-side",
    "i18n.duplicate", "i18n.encoding", "i18n.fuzzy", "i18n.language", "i18n.links", "i18n.missing",
    "i18n.missing-catalog", "i18n.multiline", "i18n.outdated", "i18n.placeholders", "i18n.quotes",
    "i18n.source-catalog", "i18n.source-language", "i18n.syntax", "i18n.term",
    "i18n.unknown-context",
    "i18n.unpublished",
    "law.amended", "law.amendment", "law.bare-amendment", "law.not-yet-applicable",
    "law.provision-kind", "law.repealed",
    "ref.duplicate-id", "ref.fixed-severity", "ref.focus-form", "ref.phone-actor", "ref.repeated",
    "ref.self", "ref.step-actor",
    "ref.unknown-act", "ref.unknown-actor", "ref.unknown-institution",
    "ref.unknown-code", "ref.unknown-instrument", "ref.unknown-measure", "ref.unknown-step",
    "ref.unreceived-channel",
    "schema.adoption-act", "schema.adoption-note", "schema.bad-value", "schema.child-replaces",
    "schema.empty-child", "schema.form-options",
    "schema.hours-and-24-7", "schema.invalid", "schema.missing-field", "schema.missing-style",
    "schema.out-of-range", "schema.too-short", "schema.unknown-field",
    "schema.unreachable-contact", "schema.wrong-type",
    "template.error",
    "text.attribute-list", "text.autolink", "text.heading", "text.image",
    "text.invisible-character", "text.isolate", "text.raw-html", "text.unsafe-link",
    "value.boolean", "value.colour", "value.country", "value.date", "value.email", "value.empty",
    "value.font", "value.future-date", "value.git-ref", "value.hours", "value.invisible-character",
    "value.language", "value.multiline", "value.number", "value.phone", "value.slug", "value.url",
    "yaml.alias", "yaml.anchor", "yaml.bom", "yaml.control-character", "yaml.duplicate-key",
    "yaml.empty", "yaml.encoding", "yaml.key-type", "yaml.merge-key", "yaml.multiple-documents",
    "yaml.syntax", "yaml.tab", "yaml.tag", "yaml.too-deep", "yaml.too-many-values",
})
"""Every code a problem can carry, shown in brackets after its message."""

ADJUSTABLE = frozenset({
    "adoption.review-due",
    "contact.example-address", "contact.missing-actor", "contact.missing-channel",
    "contact.phone-country",
    "contact.stale", "file.extension", "file.schema-line", "flow.unconnected", "i18n.fuzzy",
    "i18n.missing", "i18n.missing-catalog", "ref.repeated", "yaml.bom",
})
"""The codes whose severity guideline.yaml may change (`severity:`). They are warnings about
content that is still published whole; every other code marks something that cannot be
published as it is, and stays an error."""


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem in a source file, at a line and column an editor can jump to."""

    path: str
    line: int
    col: int
    code: str
    field: str = ""
    message: str = ""
    severity: Severity = dataclasses.field(default=Severity.ERROR, compare=False)

    def text(self) -> str:
        """`path:line:col: severity: field: message [code]`, the form editors and CI read;
        a problem of no file (a missing tool) has no place."""
        where = f"{visible(self.field)}: " if self.field else ""
        place = f"{visible(self.path)}:{self.line}:{self.col}: " if self.path else ""
        return f"{place}{self.severity.value}: {where}{visible(self.message)} [{self.code}]"

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the line in a pull request."""
        where = f"{visible(self.field)}: " if self.field else ""
        message = _github_data(f"{where}{visible(self.message)}")
        place = (f"file={_github_property(visible(self.path))},line={self.line},"
                 f"col={self.col}," if self.path else "")
        return f"::{self.severity.value} {place}title={_github_property(self.code)}::{message}"


class BuildError(Exception):
    """The content, a template or a tool stops a build; carries the problems, with the file
    and line of each where there is one."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.text() for d in diagnostics))
        self.diagnostics = diagnostics

    def __reduce__(self) -> tuple[type[BuildError], tuple[list[Diagnostic]]]:
        # Raised in a worker process, it crosses back to the driver whole.
        return BuildError, (self.diagnostics,)


def visible(text: str) -> str:
    """Text safe to print on a terminal or in a log: control, format and line-separator
    characters (which could hide or reverse what is shown) are written as escapes."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char == " " else _escape(char)
                   for char in text)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def excerpt(value: str, limit: int = 60) -> str:
    """At most `limit` characters of a value, for a message that quotes it: a message never
    prints a whole file, whatever an editor (or a link to another file) put in a field."""
    return value if len(value) <= limit else value[:limit - 1] + "…"


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    """A property value of a workflow command: ',' and ':' would end it and start another."""
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


MAX_PROBLEMS = 100
"""The problems listed per file; beyond them, one line says how many more there are. A file
with thousands of problems is not worth listing line by line, and listing them could take
minutes."""


def limit(diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """The first MAX_PROBLEMS problems of each file, and for a file with more, one line that
    counts the rest, with the highest severity among them."""
    by_file: dict[str, list[Diagnostic]] = {}
    for d in sorted(diagnostics):
        by_file.setdefault(d.path, []).append(d)
    out: list[Diagnostic] = []
    for path, found in by_file.items():
        out += found[:MAX_PROBLEMS]
        rest = found[MAX_PROBLEMS:]
        if rest:
            worst = min((d.severity for d in rest), key=list(Severity).index)
            out.append(Diagnostic(path, rest[0].line, rest[0].col, "file.more-problems", "",
                                  f"{len(rest):,} more problems in this file are not listed; "
                                  "fix the ones above first", worst))
    return out


def promote(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """`--strict`: every warning and notice becomes an error."""
    return [replace(d, severity=Severity.ERROR) for d in diagnostics]


def count(diagnostics: Sequence[Diagnostic], severity: Severity) -> int:
    """How many problems of one severity there are."""
    return sum(1 for d in diagnostics if d.severity is severity)


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    """One closing line: '3 errors, 2 warnings in 4 files' or 'no problems found'."""
    errors = count(diagnostics, Severity.ERROR)
    warnings = count(diagnostics, Severity.WARNING)
    if not errors and not warnings:
        notices = count(diagnostics, Severity.NOTICE)
        return "no problems found" + (f" ({_plural(notices, 'notice')})" if notices else "")
    files = len({d.path for d in diagnostics if d.severity is not Severity.NOTICE})
    return (
        f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} "
        f"in {_plural(files, 'file')}"
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def report(diagnostics: Sequence[Diagnostic], fmt: str) -> str:
    """All problems in one of the formats `text`, `github` or `json`."""
    ordered = sorted(diagnostics)
    if fmt == "json":
        records = [{**asdict(d), "severity": d.severity.value} for d in ordered]
        return json.dumps({"diagnostics": records, "summary": summary(ordered)}, indent=2)
    lines = [d.github() if fmt == "github" else d.text() for d in ordered]
    lines.append(summary(ordered))
    return "\n".join(lines)
