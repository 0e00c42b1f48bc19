"""Checks of a built site before it replaces the published one.

Whatever the content or a template did, a page must not carry an event attribute, a script
or stylesheet from another host, or a javascript:/data: URL: the site makes no request to any
other host and runs no script from content.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

# Attributes through which a page loads something, by tag; <a href> is a link, not a load.
_LOADING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src",
            "video": "src", "embed": "src", "object": "data", "link": "href", "form": "action"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href"}


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag}> has the event attribute '{name}'")
            if name in _URL_ATTRIBUTES and value:
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme in ("javascript", "data", "vbscript"):
                    self.problems.append(f"<{tag} {name}> uses a {scheme}: URL")
                elif _LOADING.get(tag) == name and scheme in ("http", "https", "") and (
                        value.startswith(("http:", "https:", "//"))):
                    self.problems.append(f"<{tag} {name}> loads from another host: {value}")

    handle_startendtag = handle_starttag


def scan(site: Path) -> Iterator[str]:
    """Every problem in every HTML file under `site`, as 'path: problem'."""
    for path in sorted(site.rglob("*.html")):
        scanner = _Scanner()
        scanner.feed(path.read_text(encoding="utf-8"))
        for problem in scanner.problems:
            yield f"{path.relative_to(site).as_posix()}: {problem}"
