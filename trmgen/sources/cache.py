"""The cache: what builds made, kept for the next build, and every key it is kept under.

What is kept: charts (SVG, PDF) and printed documents (PDF) by the hash of what they are
drawn from, and each chapter's piece of the bound book (PDF objects) by its PDF and place;
the pages of each language, as rendered and for each copy of the site (JSON), and each
language's downloads (JSON and the files themselves) by the hash of every input;
each page as mkdocs made it for a copy of the site (JSON, web.kept) by everything it shows;
the strings to translate of the templates and the code (JSON) by the content of those files.
A build of unchanged sources makes nothing again, and an edit makes again only what it
changes.

What is not kept, by design: validation. A cached verdict could be forged or go stale, so the
sources are checked afresh by every command, once per run. (A page kept for a copy of the site
holds the very bytes that the site check passed; the check reads the pages made again.)

Where: in $TRMGEN_CACHE, else in the user's cache folder ($XDG_CACHE_HOME/trmgen or
~/.cache/trmgen), never in the repository. A checkout (and a pull request, which can commit
anything, .cache/ included) cannot plant an entry there, and entries hold data only: bytes
and JSON, no pickles and no compiled templates, nothing that runs when it is read. Entries
hold no absolute paths, so that two checkouts share what they have in common.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from trmgen.sources.layout import Layout

KEEP_DAYS = 3
"""Entries that no build has used for this long are deleted at the end of a build."""

LIBRARIES = ("Babel", "Jinja2", "Markdown", "nh3", "phonenumbers", "pikepdf", "pycountry",
             "pydantic", "PyYAML", "weasyprint")
"""The libraries whose versions can change what trmgen makes from the same sources."""

_CODE = Path(__file__).resolve().parent.parent


def folder() -> Path:
    """The cache's folder (see the module docstring)."""
    chosen = os.environ.get("TRMGEN_CACHE")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "trmgen"


# The keys. Each names everything its entry is made from; a part left out would let an
# entry outlive what it shows.

def _digest(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode("utf-8")
        digest.update(b"%d:" % len(data))
        digest.update(data)
    return digest.hexdigest()


@functools.cache
def _versions() -> str:
    return repr([(name, importlib.metadata.version(name)) for name in LIBRARIES])


@functools.cache
def _installed() -> str:
    """Every installed library and its version: mkdocs, the theme, Markdown and its
    extensions, and whatever they use."""
    return repr(sorted((str(dist.metadata["Name"]), dist.version)
                       for dist in importlib.metadata.distributions()))


@functools.cache
def _code() -> str:
    """The hash of trmgen's code."""
    return _digest(*[part for path in sorted(_CODE.rglob("*.py"))
                     for part in (path.relative_to(_CODE).as_posix(), path.read_bytes())])


def inputs(layout: Layout) -> dict[str, str]:
    """Every file of the sources, templates and mkdocs.yml, and of trmgen's code, by name
    (without where they are), with the hash of its content."""
    found = {}
    folders = [(folder, layout.root) for folder in layout.watched()]
    folders += [(layout.mkdocs_config, layout.root), (_CODE, _CODE)]
    for start, base in folders:
        paths = [start] if start.is_file() else sorted(start.rglob("*"))
        for path in paths:
            if path.is_symlink() or not path.is_file() or "__pycache__" in path.parts:
                continue  # links are never read as sources (sources.layout.read_file)
            found[path.relative_to(base).as_posix()] = hashlib.sha256(
                path.read_bytes()).hexdigest()
    return found


def digest_of(files: dict[str, str], keep: Callable[[str], bool] = lambda _: True) -> str:
    """The hash of the versions of the libraries and of the `files` (`inputs`) that `keep`
    keeps: what one output is made from."""
    return _digest(_versions(), *[f"{name}:{digest}" for name, digest in sorted(files.items())
                                  if keep(name)])


def chart_key(dot: str, fmt: str) -> str:
    """A chart: its DOT source and the output format."""
    return _digest("chart", fmt, dot)


def pdf_key(html: str, charts: list[tuple[bytes, bytes]], forms: bool, engine: str,
            outside: list[str]) -> str:
    """A printed document: its HTML, the charts laid onto it, its form fields, WeasyPrint,
    and the ids that its links find in another document."""
    return _digest("pdf", engine, forms, html, outside,
                   *[part for chart in charts for part in chart])


def book_numbers_key(head: str) -> str:
    """The page numbers that the last book of the same head printed (its title, language,
    style): a first guess for the next, which the binding checks (print.binding)."""
    return _digest("book-numbers", head)


def binding_key(pdf: str, *place: object) -> str:
    """A chapter's piece of the bound book (print.writer): the libraries and trmgen's code
    that write it, the hash of the chapter's PDF, where it goes in the book and what it
    refers to there (`place`)."""
    return _digest("binding", _versions(), _code(), pdf, *place)


def pages_key(fingerprint: str, template: str, history: str, language: str, today: str,
              repository: str | None) -> str:
    """The pages of one template in one language, as rendered for both copies of the site
    (web.site): every input they are made from (`digest_of`: the templates they do not use
    left out), the editions they are compared with, the day (staleness badges) and the
    repository they link to."""
    return _digest("rendered", fingerprint, template, history, language, today, repository)


def copy_key(fingerprint: str, history: str, language: str, today: str,
             repository: str | None, directory_urls: bool, downloads: Any) -> str:
    """The pages of one copy of the site in one language: every input, as `pages_key`, its
    kind of links and the files to download."""
    return _digest("pages", fingerprint, history, language, today, repository, directory_urls,
                   downloads)


def frame_key(preview_frame: str, settings: Any) -> str:
    """What every page of one copy of the site shows besides its text (web.kept): every
    installed library, trmgen's code, the preview's frame and the copy's `settings`."""
    return _digest("frame", _installed(), _code(), preview_frame, settings)


def page_key(frame: str, src: str, text: str | bytes, view: Any) -> str:
    """A page as mkdocs made it for one copy of the site (web.kept): the copy's `frame`, the
    page's source path and Markdown text, and what the navigation shows on it."""
    return _digest("page", frame, src, text, view)


def documents_key(fingerprint: str, language: str, printed: str, today: str) -> str:
    """The downloads of one language: every input they are made from (`digest_of`: the page
    templates they do not use left out), the printed date and the day."""
    return _digest("documents", fingerprint, language, printed, today)


def strings_key(files: list[tuple[str, bytes]]) -> str:
    """The strings to translate of the templates and the code: those files' names and
    contents."""
    return _digest("strings", *[part for item in files for part in item])


# Reading and writing entries.

def _path(kind: str, key: str, suffix: str) -> Path:
    return folder() / kind / f"{key}{suffix}"


def read(kind: str, key: str, suffix: str = "") -> bytes | None:
    """An entry, or None; reading it marks it as used, so that `prune` keeps it."""
    path = _path(kind, key, suffix)
    try:
        content = path.read_bytes()
    except OSError:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)
    return content


def has(kind: str, key: str, suffix: str = "") -> bool:
    """Whether there is an entry (it is not read, nor marked as used)."""
    return _path(kind, key, suffix).is_file()


def write(kind: str, key: str, content: bytes, suffix: str = "") -> None:
    """Keep an entry, so that a reader sees the old file or the new one, never half of one,
    even when several processes of a build write it at once; a cache that cannot be written
    (a read-only home, a full disk) keeps nothing."""
    path = _path(kind, key, suffix)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
        with os.fdopen(descriptor, "wb") as out:
            out.write(content)
        Path(partial).replace(path)


def read_json(kind: str, key: str) -> Any:
    """A JSON entry, or None when there is none or it cannot be read."""
    content = read(kind, key, ".json")
    if content is None:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return None


def write_json(kind: str, key: str, value: Any) -> None:
    """Keep a JSON entry."""
    write(kind, key, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(),
          ".json")


def prune(days: float = KEEP_DAYS) -> None:
    """Delete the entries that no build has used for `days` days: the charts, pages and
    documents of earlier editions would otherwise pile up."""
    oldest = time.time() - days * 86400
    for path in folder().glob("*/*"):
        with contextlib.suppress(OSError):  # another build may prune at the same time
            if path.is_file() and path.stat().st_mtime < oldest:
                path.unlink()
