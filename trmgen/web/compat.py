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

from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer


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
    "lunr-files": "material ships its search languages as "
    "assets/javascripts/lunr/min/lunr.LL.min.js: the offline copies keep only those they use.",
    "search-settings": "material's search plugin writes its settings lang, separator, "
    "pipeline and fields into the index as they are; its worker indexes every field that "
    "`fields` names (the keywords of a measure), and splits both the pages and what the "
    "reader types with `separator`, matches of no length included (the Arabic article).",
    "weasyprint-anchors": "WeasyPrint's rendered pages list the position of every element "
    "with an id (Page.anchors): the book's charts are laid onto their boxes at those places.",
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


def poll_often(server: LiveReloadServer, seconds: float) -> None:
    """Look for edits every `seconds`, and rebuild as soon as one is seen (polling-interval)."""
    observer = server.observer
    if not hasattr(observer, "_timeout") or not hasattr(server, "build_delay"):
        raise CompatError("mkdocs' live-reload server or watchdog's observer changed: the "
                          "preview can no longer set how often it looks for edits")
    observer._timeout = seconds
    server.build_delay = seconds


def theme_partial(name: str) -> Path:
    """The upstream file of a partial of the installed mkdocs-material."""
    import material

    return Path(material.__file__).resolve().parent / "templates" / name
