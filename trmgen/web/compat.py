"""Every reliance on private or undocumented behaviour of mkdocs, mkdocs-material, watchdog
and WeasyPrint, in one place, each with why.

An upgrade of one of them may change what is relied on here. Nothing here falls back
silently: what is missing raises CompatError, and tests/test_compat.py checks every item
against the installed versions, so that an upgrade fails loudly in `make test`.

Upgrading mkdocs-material: the theme's partials that trmgen forks live in
templates/overrides/partials/ (FORKED_PARTIALS names their upstream files); compare each
with the new upstream partial, carry the changes over, and run `make test`.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page


class CompatError(Exception):
    """An upgraded library no longer behaves as trmgen relies on; the message says what."""


RELIANCES = {
    "plugin-instance-kept": "mkdocs keeps one instance of a plugin that has on_startup for "
    "the whole process (config_options.Plugins.plugin_cache): the driver and the preview "
    "hand the instance its Job before mkdocs builds with it (the driver takes it back after "
    "the build), and the preview's instance remembers the last rebuild.",
    "site-name-unescaped": "mkdocs-material writes config.site_name into attributes without "
    "escaping (partials/header.html and nav.html, aria-label): the plugin sets it as Markup, "
    "already escaped, which the theme's own '| e' leaves as it is.",
    "search-is-dirty": "material's search plugin merges the index of a dirty rebuild with the "
    "last one as if only one page was rendered (its private is_dirty): the preview turns that "
    "off and merges the index itself (web.preview).",
    "polling-interval": "mkdocs' live-reload server polls with watchdog's PollingObserver, "
    "whose private _timeout sets how often it looks, and waits build_delay seconds after a "
    "change: both are shortened so that an edit shows within half a second.",
    "theme-listing": "mkdocs lists every file of the theme's folders on every build to find "
    "the files to copy (Files.add_files_from_theme calls list_templates on the environment "
    "that Theme.get_env makes, with a filter defined in it): some 15,000 files with "
    "material's icons. The preview, and each worker process of a build, keeps the listing "
    "while mkdocs.yml and the theme's own files are unchanged.",
    "kept-page-anchors": "mkdocs' Page.render sets the page's present_anchor_ids (its ids) "
    "and links_to_anchors (the anchors it links to, by the File that holds them), which "
    "Page.validate_anchor_links reads once every page is made; a dirty build "
    "(build(dirty=True)) renders only the files whose is_modified() is true and leaves the "
    "others' output in the site folder: a build keeps the pages that are unchanged "
    "(web.kept), and gives them back their anchors, so that every link is checked as in a "
    "build that renders them all.",
    "static-templates": "mkdocs' Theme.static_templates is a set of pages made without a "
    "source; 404.html is removed from it (it only works at a server's root).",
    "search-exclude-by-tag": "material's search parser (documented: data-search-exclude) "
    "matches what it skips by tag name: an element marked data-search-exclude must hold no "
    "element of its own tag, or the exclusion ends where the first such element closes (and "
    "the index then fails to build); the pages mark lists and a section that hold none.",
    "offline-iframe-worker": "material's offline plugin loads its search worker shim from "
    "unpkg.com unless a polyfill whose address contains 'iframe-worker' is listed: the "
    "vendored shim is listed instead.",
    "offline-search-index": "material's offline plugin writes the search index into "
    "search/search_index.js, which the offline copies keep instead of search_index.json.",
    "search-starts-on-load": "material's page script creates its search worker (at "
    "config.search, assets/javascripts/workers/search.*.min.js) as a page loads, and asks "
    "for search/search_index.json at once over http (from file://, when the search opens), "
    "with XMLHttpRequest: trmgen's search loader, listed before it among the polyfills, holds "
    "both back until the reader opens the search, and starts trmgen's worker instead.",
    "search-messages": "material's page script and its search worker speak in messages "
    "{type, data}: SETUP (0) with the index's config, READY (1), QUERY (2) with what the "
    "reader typed, RESULT (3) with items, one list per page, each entry with location, title "
    "and text (HTML, <mark> around what matched), score and terms (what the reader typed, "
    "found or not): trmgen's worker answers the same.",
    "lunr-stop-words": "material ships lunr.js's stop words, in its worker (English) and in "
    "assets/javascripts/lunr/min/lunr.LL.min.js, each list in a call of "
    "generateStopWordFilter: trmgen's index leaves out the same words.",
    "search-settings": "material's search plugin writes its settings lang, separator, "
    "pipeline and fields into the index as they are: trmgen's index and worker read the "
    "fields and the separator from there (web.search_shards).",
    "weasyprint-anchors": "WeasyPrint's rendered pages list the position of every element "
    "with an id (Page.anchors): the book's charts are laid onto their boxes at those places.",
    "weasyprint-link-targets": "WeasyPrint writes an internal link whose target is among its "
    "pages' anchors when write_pdf runs, as a link to a destination of that name, and drops "
    "the others: a chapter of the book adds a stand-in anchor for each id of another chapter "
    "that it links to, so that the link is kept for the bound book (print.binding).",
}
"""What trmgen relies on, by name; tests/test_compat.py checks each."""

FORKED_PARTIALS = {
    "templates/overrides/partials/alternate.html": "partials/alternate.html",
    "templates/overrides/partials/search.html": "partials/search.html",
    "templates/overrides/partials/header.html": "partials/header.html",
    "templates/overrides/partials/logo.html": "partials/logo.html",
    "templates/overrides/partials/top.html": "partials/top.html",
}
"""The theme's partials that trmgen overrides, and the upstream file each is forked from."""


def text_for_theme(text: str) -> Markup:
    """Text that the theme may write anywhere, attributes included (site-name-unescaped)."""
    return escape(text)


def drop_static_template(config: MkDocsConfig, name: str) -> None:
    """Make no page `name` without a source (static-templates)."""
    templates = getattr(config.theme, "static_templates", None)
    if not isinstance(templates, set):
        raise CompatError("mkdocs' Theme.static_templates is no longer a set")
    templates.discard(name)


def merge_search_index_ourselves(search: Any) -> None:
    """Stop material's search from merging a dirty rebuild's index (search-is-dirty)."""
    if not hasattr(search, "is_dirty"):
        raise CompatError("material's search plugin has no is_dirty any more: the preview "
                          "can no longer merge the search index itself")
    search.is_dirty = False


def anchors_of(page: Page) -> tuple[set[str], dict[File, dict[str, str]]]:
    """The ids in a page that mkdocs rendered, and the anchors it links to (kept-page-anchors)."""
    anchors = getattr(page, "present_anchor_ids", None)
    links = getattr(page, "links_to_anchors", None)
    if not isinstance(anchors, set) or not isinstance(links, dict | None):
        raise CompatError("mkdocs' Page no longer holds present_anchor_ids and "
                          "links_to_anchors after rendering: pages can no longer be kept")
    return anchors, links or {}


def give_anchors(page: Page, anchors: set[str], links: dict[File, dict[str, str]]) -> None:
    """Give a page that is not rendered the anchors it had when it was (kept-page-anchors)."""
    if not hasattr(page, "present_anchor_ids") or not hasattr(page, "links_to_anchors"):
        raise CompatError("mkdocs' Page no longer has present_anchor_ids and "
                          "links_to_anchors: pages can no longer be kept")
    page.present_anchor_ids = anchors
    page.links_to_anchors = links


_LISTED: dict[tuple[Any, ...], list[str]] = {}
"""The theme's files as last listed (keep_theme_listing), by what they were listed with."""


def keep_theme_listing(config: MkDocsConfig, key: str) -> None:
    """List the theme's files once while `key` (mkdocs.yml and the theme's own files) is
    unchanged (theme-listing)."""
    theme: Any = getattr(config, "theme", None)
    make_env = getattr(theme, "get_env", None)
    if not callable(make_env) or not hasattr(theme, "static_templates"):
        raise CompatError("mkdocs' Theme has no get_env or static_templates any more: the "
                          "listing of the theme's files can no longer be kept")

    def get_env() -> jinja2.Environment:
        env: jinja2.Environment = make_env()
        list_all = env.list_templates

        def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
            # The filter is mkdocs' own: the same code, reading the settings in the key.
            asked = (key, tuple(theme.dirs), frozenset(theme.static_templates), extensions,
                     getattr(filter_func, "__code__", filter_func))
            if asked not in _LISTED:
                if any(kept[0] != key for kept in _LISTED):
                    _LISTED.clear()
                _LISTED[asked] = list_all(extensions, filter_func)
            return list(_LISTED[asked])

        env.list_templates = list_templates  # type: ignore[method-assign]
        return env

    theme.get_env = get_env


def poll_often(server: LiveReloadServer, seconds: float, quiet: float) -> None:
    """Look for edits every `seconds`, and rebuild once no more come for `quiet` seconds
    (polling-interval)."""
    observer = server.observer
    if not hasattr(observer, "_timeout") or not hasattr(server, "build_delay"):
        raise CompatError("mkdocs' live-reload server or watchdog's observer changed: the "
                          "preview can no longer set how often it looks for edits")
    observer._timeout = seconds
    server.build_delay = quiet


_STOP_WORDS = re.compile(r'generateStopWordFilter\((\[[^\]]*\]|"[^"]*")')


@functools.cache
def lunr_stop_words(language: str) -> frozenset[str]:
    """The stop words of lunr.js's support for `language` (as mkdocs-material ships it),
    which its search left out of the index (lunr-stop-words)."""
    scripts = theme_partial("assets/javascripts")
    found = (sorted(scripts.glob("workers/search.*.min.js")) if language == "en" else
             [scripts / "lunr" / "min" / f"lunr.{language}.min.js"])
    lists = _STOP_WORDS.findall(found[0].read_text(encoding="utf-8")) if (
        found and found[0].is_file()) else []
    if len(lists) != 1:
        raise CompatError(f"mkdocs-material no longer ships lunr.js's stop words for "
                          f"'{language}' where trmgen reads them")
    listed = json.loads(lists[0])
    return frozenset(listed if isinstance(listed, list) else listed.split(" "))


def theme_partial(name: str) -> Path:
    """The upstream file of a partial of the installed mkdocs-material."""
    import material

    return Path(material.__file__).resolve().parent / "templates" / name
