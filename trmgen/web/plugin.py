"""The mkdocs plugin: a thin adapter from mkdocs' events to trmgen's pipeline.

It generates every page in memory for one language, sets the navigation, the theme language
and the search language, and reports validation problems through mkdocs' logging so that
`--strict` counts the warnings.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from watchdog.observers.polling import PollingObserver

from trmgen.diagnostics import Severity, render
from trmgen.publish import downloads
from trmgen.sources.layout import Layout
from trmgen.web import preview
from trmgen.web.preview import Preview
from trmgen.web.site import BuildError, Site, generate

log = logging.getLogger("mkdocs.plugins.trmgen")

SEARCH_LANGUAGES = {"bg": "ru"}
"""lunr.js has no Bulgarian stemmer; the Russian one reads Cyrillic and shares many endings."""

POLL_SECONDS = 0.05
"""How often `trmgen serve` looks for edits of the sources and templates."""

LANGUAGE_VARIABLE = "TRMGEN_LANGUAGE"
"""`trmgen serve --lang` passes the language to the plugin through this variable."""


_INDENTATION = re.compile(r"(<(pre|textarea)\b.*?</\2>)|[ \t]*\n\s*", re.DOTALL)


def compact(html: str) -> str:
    """The page without the indentation of its lines, a third of its size.

    A run of white space that holds a line break becomes one line break, which browsers show
    exactly as they showed the run; inside <pre> and <textarea>, where white space shows,
    nothing changes.
    """
    return _INDENTATION.sub(lambda match: match.group(1) or "\n", html)


class TrmgenConfig(base.Config):
    """The plugin's options in mkdocs.yml."""

    enabled = c.Type(bool, default=True)
    language = c.Optional(c.Type(str))
    """The language to build; default: $TRMGEN_LANGUAGE, else the guideline's source language."""
    languages = c.ListOfItems(c.Type(str), default=[])
    """The languages built together, for the language switcher; default: all of them."""
    downloads = c.Optional(c.Type(str))
    """The list of files the build made (JSON), for the downloads page; set by the driver."""
    repository = c.Optional(c.Type(str))
    """The web address of the repository with the sources, for 'Edit this page' and
    'Report a problem' links (GitHub: https://github.com/OWNER/NAME)."""
    content_warnings = c.Choice(("warn", "info"), default="warn")
    """How content warnings are logged: 'warn' lets `mkdocs build --strict` count them; the
    `trmgen build` driver reports them itself and sets 'info'."""


class _Generated(File):
    """A generated file, which a dirty rebuild of the preview skips when it is unchanged."""

    unchanged = False

    def is_modified(self) -> bool:
        return not self.unchanged


class TrmgenPlugin(BasePlugin[TrmgenConfig]):
    """Generates the guideline pages from the YAML sources.

    In `trmgen serve` (a dirty mkdocs serve) the plugin lives from one rebuild to the next
    and remembers what it generated: a page whose text, navigation and theme are unchanged
    is not rendered again, so that an edit shows within a second.
    """

    site: Site | None = None
    failure: BuildError | None = None
    """Why the last build could not generate the pages, for the driver to report."""
    seconds = 0.0
    """How long the last build took to generate the pages: trmgen's own work."""
    dirty = False
    """Rebuilds of `trmgen serve`: only what changed is rendered again."""
    preview: Preview
    """What the last build generated (dirty rebuilds only)."""
    files: Files
    rendered: set[str]
    """The addresses of the pages this build rendered."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.dirty = command == "serve" and dirty
        self.preview = Preview()
        self.rendered = set()

    def _layout(self, config: MkDocsConfig) -> Layout:
        return Layout(Path(config.config_file_path).resolve().parent)

    @event_priority(100)  # before the search plugin reads its language
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        layout = self._layout(config)
        language = self.config.language or os.environ.get(LANGUAGE_VARIABLE) or None
        self.failure = None
        # A 404 page works only at the root of a server, and its links point there; each
        # language is a folder of the site, so none is made.
        config.theme.static_templates.discard("404.html")
        offline = config.plugins.get("material/offline")
        if offline is not None and offline.config.enabled:
            # Work from file://: plain .html links and the search worker shim served locally
            # (the offline plugin would otherwise load the shim from another host).
            config.use_directory_urls = False
            config.extra["polyfills"] = ["assets/javascripts/iframe-worker/shim.js"]
        listed = self.config.downloads
        start = time.perf_counter()
        try:
            # What the preview makes changes with every edit: not worth writing to the cache.
            self.site = generate(layout, language, directory_urls=config.use_directory_urls,
                                 downloads=downloads.load(Path(listed)) if listed else None,
                                 repository=self.config.repository, keep=not self.dirty)
        except BuildError as exc:
            self.failure = exc
            raise PluginError("the guidelines cannot be built:\n"
                              + render(exc.diagnostics, "text")) from None
        finally:
            self.seconds = time.perf_counter() - start
        warn = self.config.content_warnings == "warn"
        for diagnostic in self.site.diagnostics:
            if diagnostic.severity is Severity.WARNING and warn:
                log.warning(diagnostic.text())
            else:
                log.info(diagnostic.text())
        language = self.site.language
        config.nav = self.site.nav
        config.site_name = self.site.title
        config.theme["language"] = language
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if search is not None:
            search.config["lang"] = [SEARCH_LANGUAGES.get(language, language)]
            if self.dirty and hasattr(search, "is_dirty"):
                # The theme's search merges a rebuild's index with the last one as if a
                # rebuild rendered one page, and keeps stale entries when it renders more;
                # on_post_build merges them here instead.
                search.is_dirty = False
        together = [(code, name) for code, name in self.site.languages
                    if not self.config.languages or code in self.config.languages]
        if len(together) > 1:
            config.extra["alternate"] = [{"name": name, "lang": code, "link": f"../{code}/"}
                                         for code, name in together]
        return config

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig,
               files: Files) -> jinja2.Environment:  # noqa: ARG002 (mkdocs passes it)
        """The theme's templates compiled once, not in every build and rebuild."""
        cache = self._layout(config).template_cache / "theme"
        cache.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache))
        return env

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if self.site is None:
            return files
        generated: dict[str, str | bytes] = {page.src: page.text for page in self.site.pages}
        generated.update(self.site.files)
        self.files = files
        shown: dict[str, preview.View] = {}
        frame = ""
        if self.dirty:
            shown = preview.views(self.site.nav)
            theme = Path(config.theme.custom_dir or config.config_file_path)
            frame = preview.frame(Path(config.config_file_path), theme, self.site.nav,
                                  (self.site.title, self.site.languages, dict(config.extra)))
        for src, content in generated.items():
            file = _Generated.generated(config, src, content=content)
            assert isinstance(file, _Generated)
            file.unchanged = self.dirty and self.preview.unchanged(frame, src, content,
                                                                   shown.get(src))
            files.append(file)
        if self.dirty:
            self.preview.remember(frame, generated, shown)
            self.rendered = set()
        return files

    def on_post_page(self, output: str, *, page: Page, **_: Any) -> str:
        if self.site is None:
            return output
        if self.dirty:
            self.rendered.add(page.url)
        return compact(output)

    @event_priority(-50)  # after the search plugin writes the index, before offline inlines it
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The search index in UTF-8: mkdocs writes every letter outside ASCII as \\uXXXX,
        which makes a Bulgarian or Arabic index two to three times larger. In the preview,
        the index also keeps the pages that a rebuild did not render again."""
        index = Path(config.site_dir) / "search" / "search_index.json"
        if self.site is None or not index.is_file():
            return
        data = json.loads(index.read_text(encoding="utf-8"))
        if self.dirty:
            pages = [file.page.url for file in self.files.documentation_pages()
                     if file.page is not None]
            data["docs"] = self.preview.search_index(data["docs"], pages, self.rendered)
        index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                         encoding="utf-8")

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig,
                 builder: Any) -> LiveReloadServer | None:  # noqa: ARG002 (mkdocs passes it)
        observer = server.observer
        if isinstance(observer, PollingObserver) and hasattr(observer, "_timeout"):
            # mkdocs looks for changes every half second, then waits a tenth of a second for
            # more; the folders below are looked at more often (half a millisecond a look),
            # and the wait is as long as one look, so that an edit shows sooner.
            observer._timeout = POLL_SECONDS
            server.build_delay = POLL_SECONDS
        for path in self._layout(config).watched():
            server.watch(str(path))
        return server
