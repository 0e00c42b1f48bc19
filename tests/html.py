"""Reading built pages with a real HTML parser, for assertions with XPath."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml.html import HtmlElement


def parse(path: Path) -> HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def page(site: Path, url: str) -> HtmlElement:
    """The page at a site-relative URL such as 'en/measures/first-screening/'."""
    target = site / url
    return parse(target / "index.html" if url.endswith("/") or target.is_dir() else target)


def resolve(html_file: Path, href: str) -> tuple[Path, str] | None:
    """The file and anchor an internal link points to; None for external or special links."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href == "#":
        return None
    if not parts.path:
        return html_file, unquote(parts.fragment)
    target = (html_file.parent / unquote(parts.path)).resolve()
    if target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def ids(tree: HtmlElement) -> set[str]:
    return {str(i) for i in tree.xpath("//@id")}


def broken_links(folder: Path) -> list[str]:
    """Every link of the pages in `folder` whose file or anchor is not there."""
    broken = []
    anchors: dict[Path, set[str]] = {}
    for html_file in sorted(folder.rglob("*.html")):
        for href in parse(html_file).xpath("//a/@href"):
            target = resolve(html_file, str(href))
            if target is None:
                continue
            path, anchor = target
            if not path.is_file():
                broken.append(f"{html_file.relative_to(folder)} -> {href}")
                continue
            if anchor:
                known = anchors.setdefault(path, ids(parse(path)))
                if anchor not in known:
                    broken.append(f"{html_file.relative_to(folder)} -> {href} (anchor)")
    return broken
