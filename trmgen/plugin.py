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
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from trmgen import downloads
from trmgen.diagnostics import Severity, render
from trmgen.layout import Layout
from trmgen.site import BuildError, Site, generate

log = logging.getLogger("mkdocs.plugins.trmgen")

SEARCH_LANGUAGES = {"bg": "ru"}
"""lunr.js has no Bulgarian stemmer; the Russian one reads Cyrillic and shares many endings."""

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


class TrmgenPlugin(BasePlugin[TrmgenConfig]):
    """Generates the guideline pages from the YAML sources."""

    site: Site | None = None
    failure: BuildError | None = None
    """Why the last build could not generate the pages, for the driver to report."""

    def _layout(self, config: MkDocsConfig) -> Layout:
        return Layout(Path(config.config_file_path).resolve().parent)

    @event_priority(100)  # before the search plugin reads its language
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        layout = self._layout(config)
        language = self.config.language or os.environ.get(LANGUAGE_VARIABLE) or None
        self.failure = None
        offline = config.plugins.get("material/offline")
        if offline is not None and offline.config.enabled:
            # Work from file://: plain .html links and the search worker shim served locally
            # (the offline plugin would otherwise load the shim from another host).
            config.use_directory_urls = False
            config.extra["polyfills"] = ["assets/javascripts/iframe-worker/shim.js"]
        listed = self.config.downloads
        try:
            self.site = generate(layout, language, directory_urls=config.use_directory_urls,
                                 downloads=downloads.load(Path(listed)) if listed else None,
                                 repository=self.config.repository)
        except BuildError as exc:
            self.failure = exc
            raise PluginError("the guidelines cannot be built:\n"
                              + render(exc.diagnostics, "text")) from None
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
        together = [(code, name) for code, name in self.site.languages
                    if not self.config.languages or code in self.config.languages]
        if len(together) > 1:
            config.extra["alternate"] = [{"name": name, "lang": code, "link": f"../{code}/"}
                                         for code, name in together]
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if self.site is None:
            return files
        for page in self.site.pages:
            files.append(File.generated(config, page.src, content=page.text))
        for src, content in self.site.files.items():
            files.append(File.generated(config, src, content=content))
        return files

    def on_post_page(self, output: str, **_: Any) -> str:
        return compact(output) if self.site is not None else output

    @event_priority(-50)  # after the search plugin writes the index, before offline inlines it
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The search index in UTF-8: mkdocs writes every letter outside ASCII as \\uXXXX,
        which makes a Bulgarian or Arabic index two to three times larger."""
        index = Path(config.site_dir) / "search" / "search_index.json"
        if self.site is not None and index.is_file():
            data = json.loads(index.read_text(encoding="utf-8"))
            index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                             encoding="utf-8")

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig,
                 builder: Any) -> LiveReloadServer | None:  # noqa: ARG002 (mkdocs passes it)
        for path in self._layout(config).watched():
            server.watch(str(path))
        return server
