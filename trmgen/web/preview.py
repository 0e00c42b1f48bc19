"""What a rebuild of the preview (`trmgen serve`) must render again, and what it may keep.

mkdocs' dirty rebuilds render only the pages marked as changed. A page must be rendered again
when its text changed, or when anything it shows besides its text changed: the theme and the
settings, the shape of the navigation, or the titles the navigation shows on it. With the
theme's pruned navigation a page shows the top-level titles, the titles inside each section
it belongs to, and the titles of the pages before and after it; a measure's new title
therefore renders again the pages of its SOP and the pages that name the measure in their
text, not the whole site.

A dirty rebuild indexes only the pages it renders; the index of the others is kept, so that
search in the preview keeps finding every page.

The pages in view (the last ones the preview served) come first: when an edit changes one
of them, a build renders those pages alone, and the next build, which the preview starts at
once, brings the others and the search up to date. What is remembered is always what the
files written hold, so each build compares with what is served.
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trmgen.web import kept
from trmgen.web.pages import Nav
from trmgen.web.site import RenderedPage

View = tuple[Any, ...]
"""What the navigation shows on one page."""


def _entries(nav: Nav) -> list[tuple[str, str | Nav]]:
    return [next(iter(entry.items())) for entry in nav]


def shape(nav: Nav) -> Any:
    """The navigation without its titles: its pages, their order and their nesting."""
    return [value if isinstance(value, str) else shape(value) for _, value in _entries(nav)]


def views(nav: Nav) -> dict[str, View]:
    """For each page, the titles the theme's navigation shows on it."""
    top = tuple(title for title, _ in _entries(nav))
    found: list[tuple[str, str, tuple[Any, ...]]] = []  # page, title, sections it is in

    def walk(entries: Nav, sections: tuple[Any, ...]) -> None:
        for title, value in _entries(entries):
            if isinstance(value, str):
                found.append((value, title, sections))
            else:
                listing = (title, tuple(child for child, _ in _entries(value)))
                walk(value, (*sections, listing))

    walk(nav, ())
    shown = {}
    for number, (src, title, sections) in enumerate(found):
        before = found[number - 1][1] if number else None
        after = found[number + 1][1] if number + 1 < len(found) else None
        shown[src] = (top, sections, title, before, after)
    return shown


def frame(theme: str, nav: Nav, settings: Any) -> str:
    """A fingerprint of what every page shows: when it changes, every page is rendered.
    `theme`: the fingerprint of mkdocs.yml and the theme's own files (`theme_files`)."""
    return hashlib.sha256(repr((theme, shape(nav), settings)).encode()).hexdigest()


def theme_files(config_file: Path, theme: Path) -> str:
    """A fingerprint of mkdocs.yml and of the theme's own files (the folder `theme`)."""
    digest = hashlib.sha256()
    for path in [config_file, *sorted(theme.rglob("*"))]:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


IN_VIEW = 4
"""How many of the pages opened last count as in view."""


@dataclass
class Preview:
    """What the preview's files were generated from, as last written, to tell what the next
    build must render; and which pages are in view."""

    frame: str = ""
    contents: dict[str, str | bytes] = field(default_factory=dict)
    shown: dict[str, View] = field(default_factory=dict)
    index: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """The search index of each page by its address, as last rendered."""
    search_settings: bytes = b""
    """The search's settings (search_index.json) as last written."""
    behind: bool = False
    """Whether the last build left pages that an edit changed as they were (the pages not in
    view), for the next build to bring up to date."""
    _opened: deque[str] = field(default_factory=lambda: deque(maxlen=IN_VIEW))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def open(self, path: str) -> None:
        """Note what the preview served at `path`, relative to the site, if it is a page
        (the server's threads call it)."""
        if path and not path.endswith(("/", ".html")):
            return  # a style sheet, a script, an image
        address = path.removesuffix("index.html")
        with self._lock:
            if address in self._opened:
                self._opened.remove(address)
            self._opened.appendleft(address)

    def opened(self) -> list[str]:
        """The addresses of the pages opened last: those in view."""
        with self._lock:
            return list(self._opened)

    def unchanged(self, frame: str, src: str, content: str | bytes,
                  view: View | None) -> bool:
        """Whether the file `src` would be rendered exactly as last time."""
        return (frame == self.frame and self.contents.get(src) == content
                and self.shown.get(src) == view)

    def changed_in_view(self, frame: str, pages: list[RenderedPage],
                        shown: dict[str, View]) -> bool:
        """Whether the pages in view (`pages`, rendered) show an edit, on an unchanged frame:
        then they are worth rendering alone, before the others."""
        return frame == self.frame and any(
            not self.unchanged(frame, page.src, page.text, shown.get(page.src))
            for page in pages)

    def remember(self, frame: str, contents: dict[str, str | bytes],
                 shown: dict[str, View], left: set[str]) -> None:
        """What a build generated; the files `left` were not written again."""
        self.shown = {**shown, **{src: self.shown[src] for src in left if src in self.shown}}
        self.frame, self.contents, self.behind = frame, contents, bool(left)

    def search_index(self, docs: list[dict[str, Any]], pages: list[str],
                     rendered: set[str]) -> list[dict[str, Any]]:
        """The whole index: `docs` of the pages just rendered, the kept entries of the
        others, in the order of `pages` (the addresses of every page, as a full build
        indexes them)."""
        fresh = kept.by_page(docs)
        self.index = {url: fresh.get(url, []) if url in rendered else self.index.get(url, [])
                      for url in pages}
        return [doc for url in pages for doc in self.index[url]]
