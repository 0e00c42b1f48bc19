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
    "build.language", "build.mkdocs", "build.unsafe-html",
    "chart.graphviz",
    "contact.example-address", "contact.missing-actor", "contact.phone-country",
    "contact.sample-address", "contact.sample-data", "contact.stale",
    "file.extension", "file.missing", "file.schema-line", "file.unreadable",
    "flow.lane-role", "flow.unconditional-cycle", "flow.unconnected", "flow.unreachable",
    "i18n.fuzzy", "i18n.links", "i18n.missing", "i18n.missing-catalog", "i18n.placeholders",
    "i18n.source-language", "i18n.unknown-context",
    "ref.duplicate-id", "ref.repeated", "ref.self", "ref.unknown-actor", "ref.unknown-code",
    "ref.unknown-instrument", "ref.unknown-measure", "ref.unknown-step",
    "schema.bad-value", "schema.child-replaces", "schema.empty-child", "schema.form-options",
    "schema.hours-and-24-7", "schema.invalid", "schema.missing-field", "schema.missing-style",
    "schema.out-of-range", "schema.too-short", "schema.unknown-field",
    "schema.unreachable-contact", "schema.wrong-type",
    "template.error",
    "text.attribute-list", "text.autolink", "text.heading", "text.image",
    "text.invisible-character", "text.raw-html", "text.unsafe-link",
    "value.boolean", "value.colour", "value.country", "value.date", "value.email",
    "value.empty", "value.future-date", "value.hours", "value.language", "value.multiline",
    "value.number", "value.phone", "value.slug", "value.url",
    "yaml.alias", "yaml.anchor", "yaml.bom", "yaml.control-character", "yaml.duplicate-key",
    "yaml.empty", "yaml.encoding", "yaml.key-type", "yaml.merge-key",
    "yaml.multiple-documents", "yaml.syntax", "yaml.tab", "yaml.tag", "yaml.too-deep",
    "yaml.too-large",
})
"""Every code a problem can carry, shown in brackets after its message; the `severity`
settings of guideline.yaml may name only these."""


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
        """`path:line:col: severity: field: message [code]`, the form editors and CI read."""
        where = f"{self.field}: " if self.field else ""
        return (
            f"{self.path}:{self.line}:{self.col}: {self.severity.value}: "
            f"{where}{self.message} [{self.code}]"
        )

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the line in a pull request."""
        where = f"{self.field}: " if self.field else ""
        message = _github_escape(f"{where}{self.message}")
        return (
            f"::{self.severity.value} file={self.path},line={self.line},col={self.col},"
            f"title={self.code}::{message}"
        )


def _github_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


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


def render(diagnostics: Sequence[Diagnostic], fmt: str) -> str:
    """All problems in one of the formats `text`, `github` or `json`."""
    ordered = sorted(diagnostics)
    if fmt == "json":
        records = [{**asdict(d), "severity": d.severity.value} for d in ordered]
        return json.dumps({"diagnostics": records, "summary": summary(ordered)}, indent=2)
    lines = [d.github() if fmt == "github" else d.text() for d in ordered]
    lines.append(summary(ordered))
    return "\n".join(lines)
