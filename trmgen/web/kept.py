"""Pages kept from one build to the next: what mkdocs made of a page, made again only when
something it is made from changed.

Rendering the pages is most of the work of a copy's build (mkdocs converting the Markdown,
the theme writing each page, the search reading it), and after a one-field edit nearly every
page of every copy is what the last build made of it. A page is kept under a key that names
everything it is made from (cache.page_key):

- what every page of the copy shows besides its text (`frame`): every installed library and
  trmgen's code, the theme's own files, mkdocs.yml and its settings as loaded, the shape of
  the navigation and the settings the plugin gives the theme (preview.frame), the copy (the
  site or the offline copy), the path of every file of the copy, and every page's front
  matter (which the navigation of other pages may show);
- the page's source path and Markdown text;
- what the navigation shows on the page (preview.views).

A kept page is written as it was made, byte for byte, and what mkdocs and the search learnt
by rendering it is given back: the page's front matter, its entries in the search index, its
anchors and the anchors it links to, which mkdocs checks once every page is made (compat
"kept-page-anchors"). The driver keeps the pages of a copy (`keep`) only once its build
succeeded without a warning and the site check found nothing in it (publish.sitecheck): a
page that warned is made again, and warns again, in the next build, and a kept page holds
the very bytes that the check has read, so it is not read again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from trmgen.sources import cache

KIND = "kept"
"""The cache's folder for kept pages."""


@dataclass(frozen=True)
class Made:
    """A page as mkdocs made it, and what rendering it told mkdocs and the search."""

    html: str
    """The file that the build wrote."""
    search: list[dict[str, Any]]
    """The page's entries in material's search index."""
    anchors: list[str]
    """The ids in the page, which links from other pages may name."""
    links: dict[str, dict[str, str]]
    """The anchors the page links to, by the source path of the page that holds them: each
    anchor with the link as written."""

    def to_json(self) -> dict[str, Any]:
        return {"html": self.html, "search": self.search, "anchors": self.anchors,
                "links": self.links}

    @classmethod
    def from_json(cls, data: Any) -> Made:
        search = [{str(k): v for k, v in entry.items()} for entry in data["search"]]
        return cls(str(data["html"]), search, [str(a) for a in data["anchors"]],
                   {str(src): {str(a): str(link) for a, link in found.items()}
                    for src, found in data["links"].items()})


def frame(preview_frame: str, settings: Any, offline: bool, files: list[str],
          pages: Mapping[str, str | bytes]) -> str:
    """What every page of one copy shows besides its text (see the module's docstring):
    `settings`, mkdocs' as loaded and the plugins'; `files`, the path of every file of the
    copy; `pages`, the Markdown of every page by source path."""
    fronts = sorted((src, _front_matter(text)) for src, text in pages.items())
    return cache.frame_key(preview_frame, _plain((settings, offline, sorted(files), fronts)))


def _front_matter(text: str | bytes) -> str:
    """The YAML front matter that a Markdown page starts with, or ''."""
    if not isinstance(text, str) or not text.startswith("---"):
        return ""
    end = text.find("\n---", 3)
    return text[:end] if end >= 0 else text


def _plain(value: Any) -> Any:
    """`value` as plain data whose repr is the same in every process: mappings and sets in
    order, any other object by its repr."""
    if isinstance(value, Mapping):
        return sorted((str(key), _plain(item)) for key, item in value.items())
    if isinstance(value, set | frozenset):
        return sorted(repr(_plain(item)) for item in value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return repr(value)


def take(key: str) -> Made | None:
    """The page kept under `key`, if there is one."""
    data = cache.read_json(KIND, key)
    if data is not None:
        with contextlib.suppress(AttributeError, KeyError, TypeError, ValueError):
            return Made.from_json(data)
    return None


def keep(pages: Mapping[str, Made]) -> None:
    """Keep the pages a build made, by key, for the next build."""
    for key, page in pages.items():
        cache.write_json(KIND, key, page.to_json())


def by_page(docs: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The entries of a search index by the address of their page."""
    found: dict[str, list[dict[str, Any]]] = {}
    for doc in docs:
        found.setdefault(str(doc["location"]).split("#", 1)[0], []).append(doc)
    return found
