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
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trmgen.web.pages import Nav

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


def frame(config_file: Path, theme: Path, nav: Nav, settings: Any) -> str:
    """A fingerprint of what every page shows: when it changes, every page is rendered."""
    digest = hashlib.sha256(repr((shape(nav), settings)).encode())
    for path in [config_file, *sorted(theme.rglob("*"))]:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class Preview:
    """What the last build of the preview generated, to tell what the next must render."""

    frame: str = ""
    contents: dict[str, str | bytes] = field(default_factory=dict)
    shown: dict[str, View] = field(default_factory=dict)
    index: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """The search index of each page by its address, as last rendered."""

    def unchanged(self, frame: str, src: str, content: str | bytes,
                  view: View | None) -> bool:
        """Whether the file `src` would be rendered exactly as last time."""
        return (frame == self.frame and self.contents.get(src) == content
                and self.shown.get(src) == view)

    def remember(self, frame: str, contents: dict[str, str | bytes],
                 shown: dict[str, View]) -> None:
        self.frame, self.contents, self.shown = frame, contents, shown

    def search_index(self, docs: list[dict[str, Any]], pages: list[str],
                     rendered: set[str]) -> list[dict[str, Any]]:
        """The whole index: `docs` of the pages just rendered, the kept entries of the
        others, in the order of `pages` (the addresses of every page, as a full build
        indexes them)."""
        fresh: dict[str, list[dict[str, Any]]] = {}
        for doc in docs:
            fresh.setdefault(doc["location"].split("#", 1)[0], []).append(doc)
        self.index = {url: fresh.get(url, []) if url in rendered else self.index.get(url, [])
                      for url in pages}
        return [doc for url in pages for doc in self.index[url]]
