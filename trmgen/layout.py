"""The one module that knows where things live in a guideline repository."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SCHEMAS = {
    "guideline": "guideline.schema.json",
    "actors": "actors.schema.json",
    "instruments": "instruments.schema.json",
    "sop": "sop.schema.json",
    "country": "country.schema.json",
    "style": "chart-style.schema.json",
    "overview": "overview.schema.json",
    "form": "referral-form.schema.json",
}
"""The JSON Schema file written for each kind of source file."""


@dataclass(frozen=True)
class Layout:
    """The paths of a guideline repository, rooted at `root`."""

    root: Path

    @property
    def guidelines(self) -> Path:
        return self.root / "guidelines"

    @property
    def guideline_file(self) -> Path:
        return self.guidelines / "guideline.yaml"

    @property
    def actors_file(self) -> Path:
        return self.guidelines / "actors.yaml"

    @property
    def instruments_file(self) -> Path:
        return self.guidelines / "instruments.yaml"

    @property
    def form_file(self) -> Path:
        return self.guidelines / "referral-form.yaml"

    @property
    def translations(self) -> Path:
        """One gettext catalog per language, and the template trmgen.pot."""
        return self.guidelines / "translations"

    @property
    def sops(self) -> Path:
        return self.guidelines / "sops"

    @property
    def contacts(self) -> Path:
        return self.root / "contacts"

    @property
    def flowcharts(self) -> Path:
        return self.root / "flowcharts"

    @property
    def style_file(self) -> Path:
        return self.flowcharts / "style.yaml"

    @property
    def overview_file(self) -> Path:
        return self.flowcharts / "overview.yaml"

    @property
    def chart_cache(self) -> Path:
        """Rendered charts, by the hash of their DOT source (not committed)."""
        return self.root / ".cache" / "charts"

    @property
    def print_cache(self) -> Path:
        """Printed PDFs, by the hash of what they were made from (not committed)."""
        return self.root / ".cache" / "print"

    @property
    def memo_cache(self) -> Path:
        """Validation, translation status, pages and printed documents of the last build of
        each language, by the hash of the sources (not committed)."""
        return self.root / ".cache" / "memo"

    @property
    def template_cache(self) -> Path:
        """Compiled Jinja2 templates (not committed)."""
        return self.root / ".cache" / "templates"

    @property
    def schemas(self) -> Path:
        return self.root / "schemas"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def page_templates(self) -> Path:
        """Jinja2 templates of the generated pages (Markdown)."""
        return self.templates / "pages"

    @property
    def print_templates(self) -> Path:
        """Jinja2 templates of the printed documents (HTML for WeasyPrint)."""
        return self.templates / "print"

    @property
    def mkdocs_config(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def watched(self) -> list[Path]:
        """What `serve` watches for changes besides mkdocs.yml."""
        return [self.guidelines, self.contacts, self.flowcharts, self.templates]

    def sop_files(self) -> list[Path]:
        """The SOP files, in name order (1-identification.yaml, 2-...)."""
        return sorted(self.sops.glob("*.yaml"))

    def contact_files(self) -> list[Path]:
        """The contact files, one per country, in name order."""
        return sorted(self.contacts.glob("*.yaml"))

    def strays(self) -> list[Path]:
        """YAML files with the '.yml' ending, which the loader would not read."""
        folders = (self.guidelines, self.contacts, self.flowcharts)
        return sorted(path for folder in folders for path in folder.rglob("*.yml"))

    def display(self, path: Path) -> str:
        """The path as shown in messages: relative to the root, with forward slashes."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()
