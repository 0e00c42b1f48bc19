"""Checks of a built site before it replaces the published one.

Whatever the content or a template did, a page or a chart must not carry an event attribute,
a script or stylesheet from another host, or a javascript:/data: URL: the site makes no
request to any other host and runs no script from content. A finding is reported at the
source file and line that wrote it, where it can be found, else at the built file's line.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from trmgen.diagnostics import Diagnostic, excerpt
from trmgen.sources.layout import Layout

# Attributes through which a page loads something, by tag; <a href> is a link, not a load.
_LOADING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src",
            "video": "src", "embed": "src", "object": "data", "link": "href", "form": "action",
            "image": "href", "use": "href", "feimage": "href"}
_SOURCE_SUFFIXES = {".yaml", ".po", ".j2", ".html", ".yml"}
"""The files whose text can end up in a page: content, catalogs, templates, settings."""
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href"}


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[int, int, str, str]] = []
        """(line, column, what is wrong, the text that shows it in the sources)."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, col = self.getpos()
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append((line, col + 1, f"<{tag}> has the event attribute "
                                      f"'{name}'", f"{name}="))
            if name in _URL_ATTRIBUTES and value:
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme in ("javascript", "data", "vbscript"):
                    self.problems.append((line, col + 1, f"<{tag} {name}> uses a {scheme}: "
                                          "URL", value.strip()[:20]))
                elif _LOADING.get(tag) == name and value.startswith(("http:", "https:", "//")):
                    self.problems.append((line, col + 1, f"<{tag} {name}> loads from "
                                          f"another host: {excerpt(value)}", value))

    handle_startendtag = handle_starttag


def scan(site: Path, layout: Layout, *, within: str = "", but: Collection[str] = (),
         passed: Collection[Path] = (), copy: str = "site") -> Iterator[Diagnostic]:
    """Every problem in every page and chart under `site`: only under its folder `within`,
    if given, and not under its folders `but`, nor in the files `passed` (pages kept from an
    earlier build, web.kept, which passed this check with the same bytes). `copy` names the
    copy ("site" or "offline") in the messages: each language's pages are checked where they
    are built, in both."""
    top = site / within if within else site
    files = sorted(path for path in [*top.rglob("*.html"), *top.rglob("*.svg")]
                   if path.relative_to(site).parts[0] not in but and path not in passed)
    finder = _Finder(layout)
    for path in files:
        yield from finder.problems(path.read_text(encoding="utf-8"),
                                   path.relative_to(site).as_posix(), copy)


def scan_page(text: str, built: str, layout: Layout, copy: str) -> list[Diagnostic]:
    """Every problem in one page that is not in a folder, such as the page of an offline
    copy that opens it (`built`: its path in the copy)."""
    return list(_Finder(layout).problems(text, built, copy))


class _Finder:
    """The problems of pages, each at the source that wrote it where it can be found."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.sources: list[tuple[str, str]] | None = None  # read when there is something to find

    def problems(self, text: str, built: str, copy: str) -> Iterator[Diagnostic]:
        scanner = _Scanner()
        scanner.feed(text)
        for line, col, problem, needle in scanner.problems:
            if self.sources is None:
                self.sources = _sources(self.layout)
            found = _find(self.sources, needle)
            where = built if copy == "site" else f"{built} of the offline copy"
            message = f"{problem}, in the built {where}; the site is not published with it"
            if found:
                shown, at_line, at_col = found
                yield Diagnostic(shown, at_line, at_col, "build.unsafe-html", "", message)
            else:
                yield Diagnostic(f"{copy}/{built}", line, col, "build.unsafe-html", "", message)


def _sources(layout: Layout) -> list[tuple[str, str]]:
    """The text of every source and template a page is made from, by its shown path."""
    paths = []
    for folder in [*layout.watched()]:
        paths += sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()
                        and p.suffix in _SOURCE_SUFFIXES)
    paths.append(layout.mkdocs_config)
    found = []
    for path in paths:
        try:
            found.append((layout.display(path), path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            continue
    return found


def _find(sources: list[tuple[str, str]], needle: str) -> tuple[str, int, int] | None:
    """The first file, line and column where `needle` is written, ignoring case."""
    if not needle:
        return None
    wanted = needle.lower()
    for shown, text in sources:
        at = text.lower().find(wanted)
        if at >= 0:
            line = text.count("\n", 0, at) + 1
            return shown, line, at - (text.rfind("\n", 0, at) + 1) + 1
    return None
