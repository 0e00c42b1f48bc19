"""The one module that knows where things live in a guideline repository."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_SOURCE_BYTES = 4_000_000
"""The largest YAML source file: a real SOP file is some 100 KB, and the largest in the
benchmark (50 times the shipped measures) 1.5 MB."""

MAX_CATALOG_BYTES = 64_000_000
"""The largest translation catalog (at 50 times the shipped content, some 30 MB)."""

MAX_TEMPLATE_BYTES = 1_000_000
"""The largest template or style sheet."""


class UnsafeFile(Exception):
    """A source path that is not a regular file of the repository, or too large to read."""

    def __init__(self, code: str, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.path = path


def read_file(path: Path, limit: int) -> bytes:
    """A source file's bytes, read only when it is a regular file and not a link, and at most
    `limit` bytes of it.

    A pull request can put anything in the tree: a link to /etc/passwd or to a token, which
    would be quoted in messages and annotations; a link to /dev/zero, which never ends; a pipe.
    None of them is followed.
    """
    try:
        return _read(path, limit)
    except UnsafeFile as exc:
        exc.path = path
        raise


def _read(path: Path, limit: int) -> bytes:
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        raise UnsafeFile("file.missing", "this file is missing; create it (see "
                         "CONTRIBUTING.md)") from None
    except OSError as exc:
        if path.is_symlink():
            raise UnsafeFile("file.link", "this is a symbolic link; a source must be a "
                             "regular file of the repository: replace the link with the file "
                             "itself") from None
        raise UnsafeFile("file.unreadable", f"cannot be read: {exc.strerror}") from None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise UnsafeFile("file.not-regular", "this is not a regular file (a device, a "
                             "pipe or a socket); a source must be a regular file")
        content = handle.read(limit + 1)
    if len(content) > limit:
        raise UnsafeFile("file.too-large", f"the file has more than {limit:,} bytes; a source "
                         "file should never be this large")
    return content

SCHEMAS = {
    "guideline": "guideline.schema.json",
    "actors": "actors.schema.json",
    "instruments": "instruments.schema.json",
    "sop": "sop.schema.json",
    "country": "country.schema.json",
    "style": "chart-style.schema.json",
    "overview": "overview.schema.json",
    "form": "referral-form.schema.json",
    "termbase": "termbase.schema.json",
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
    def termbase_file(self) -> Path:
        """The approved term of each key concept in each language (optional)."""
        return self.guidelines / "termbase.yaml"

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

    def source_folders(self) -> list[Path]:
        """The folders whose files are content: what a pull request that changes the
        guidelines touches."""
        return [self.guidelines, self.sops, self.translations, self.contacts, self.flowcharts]

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
        # Links are not followed: a linked file is shown where it is in the repository.
        plain = (os.path.abspath(self.root), os.path.abspath(path))  # noqa: PTH100
        for base, target in (plain, (self.root.resolve(), path.resolve())):
            try:
                return Path(target).relative_to(base).as_posix()
            except ValueError:
                continue
        return path.as_posix()
