"""The thin adapter to mkdocs: the plugin's events, one build of one language, the preview.

The plugin generates every page in memory for one language, sets the navigation, the theme
language and the search language. The build driver hands it one explicit object, a Job: the
validated edition, the language, the languages built together, the files to download, and
whether the copy is for offline use. Without a Job (`trmgen serve`, a plain `mkdocs build`),
the plugin validates the sources itself on every build and logs their problems through
mkdocs' logging, so that `mkdocs build --strict` counts the warnings.
"""

from __future__ import annotations

import gc
import json
import logging
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import base, load_config
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from trmgen.content.edition import Validated, validated
from trmgen.diagnostics import BuildError, Diagnostic, Severity, report
from trmgen.i18n import bidi
from trmgen.sources import cache
from trmgen.sources.layout import Layout
from trmgen.web import compat, kept, preview, search, search_shards, status
from trmgen.web.pages import PATHS, Download, relative_url
from trmgen.web.preview import Preview, View
from trmgen.web.site import Site, generate
from trmgen.web.templates import COMPILED

log = logging.getLogger("mkdocs.plugins.trmgen")

POLL_SECONDS = 0.05
"""How often `trmgen serve` looks for edits of the sources and templates."""

QUIET_SECONDS = 0.01
"""How long the preview waits for more edits once it sees one (an editor saves a file at
once, within one look)."""

SHIM = "assets/javascripts/iframe-worker/shim.js"
"""The search worker shim, vendored in the theme overrides: offline copies load it from
there (the offline plugin would load it from another host)."""

SEARCH_LOADER = "assets/javascripts/search/loader.js"
"""Holds the search back until the reader opens it, and starts trmgen's search worker
(assets/javascripts/search/worker.js) in place of material's (web.search_shards)."""

_THEME_SEARCH = ("assets/javascripts/lunr/", "assets/javascripts/workers/")
"""material's search worker and lunr.js, which trmgen's search replaces: not published."""


_KEPT = re.compile(r"<(pre|textarea)\b.*?</\1>", re.DOTALL)
_INDENTATION = re.compile(r"[ \t]*\n\s*")
_HTML_TAG = re.compile(r"<html(?=[\s>])")


def compact(html: str) -> str:
    """The page without the indentation of its lines, a third of its size.

    A run of white space that holds a line break becomes one line break, which browsers show
    exactly as they showed the run; inside <pre> and <textarea>, where white space shows,
    nothing changes.
    """
    parts, start = [], 0
    for block in _KEPT.finditer(html):
        parts += [_INDENTATION.sub("\n", html[start:block.start()]), block[0]]
        start = block.end()
    parts.append(_INDENTATION.sub("\n", html[start:]))
    return "".join(parts)


@dataclass
class Job:
    """What the build driver (or the preview) asks of the plugin, and what it answers."""

    validated: Validated | None
    """The validated edition; None: the plugin validates the sources on every build."""
    language: str | None = None
    """The language to build; None: the source language."""
    languages: tuple[str, ...] = ()
    """The languages built together, for the language switcher; empty: all of them."""
    downloads: list[Download] | None = None
    """The files the build made, for the downloads page; None: no downloads page."""
    offline: bool = False
    """A copy for offline use: plain .html links and the search shim served locally."""
    keep: bool = False
    """Use the pages that earlier builds made and that are unchanged (web.kept), and answer
    the pages this build made (`made`), for the driver to keep once the build succeeded."""
    made: dict[str, kept.Made] = field(default_factory=dict)
    """Answer, with `keep`: the pages this build rendered, by key."""
    reused: set[Path] = field(default_factory=set)
    """Answer, with `keep`: the files of the pages that this build wrote as an earlier build
    made them."""
    seconds: float = 0.0
    """Answer: how long the plugin took to generate the pages and write the search index
    (trmgen's own work)."""
    failure: BuildError | None = None
    """Answer: why the pages could not be generated."""


class TrmgenConfig(base.Config):
    """The plugin's options in mkdocs.yml."""

    enabled = c.Type(bool, default=True)
    repository = c.Optional(c.Type(str))
    """The web address of the repository with the sources, for 'Edit this page' and
    'Report a problem' links (GitHub: https://github.com/OWNER/NAME)."""


class _Generated(File):
    """A generated file, which a dirty rebuild of the preview skips when it is unchanged."""

    unchanged = False

    def is_modified(self) -> bool:
        return not self.unchanged


class TrmgenPlugin(BasePlugin[TrmgenConfig]):
    """Generates the guideline pages from the YAML sources.

    In `trmgen serve` (a dirty mkdocs serve) the plugin lives from one rebuild to the next
    and remembers what it generated: a page whose text, navigation and theme are unchanged
    is not rendered again, so that an edit shows within a second. In `trmgen build` (a Job
    with `keep`), the pages an earlier build made are taken from the cache in the same way
    (web.kept).
    """

    job: Job | None = None
    site: Site | None = None
    dirty = False
    """Rebuilds of `trmgen serve`: only what changed is rendered again."""
    preview: Preview
    """What the last build generated (dirty rebuilds only)."""
    theme = ""
    """The fingerprint of mkdocs.yml and the theme's own files (dirty rebuilds, and builds
    that keep pages)."""
    frame = ""
    """What every page of this build shows besides its text (dirty rebuilds only)."""
    shown: dict[str, View]
    """What the navigation shows on each page of this build (dirty rebuilds, and builds
    that keep pages)."""
    reused: dict[str, kept.Made]
    """The pages that this build keeps as an earlier build made them, by source path (builds
    that keep pages, web.kept)."""
    keys: dict[str, str]
    """The keys of the pages that this build renders, by source path (builds that keep
    pages)."""
    unfilled: dict[str, str]
    """The pages that this build renders, by source path, before the translation status is
    filled in: as they are kept (builds that keep pages)."""
    status: dict[str, str]
    """What the marks of the translation status become in this build's pages (web.status)."""
    partial = False
    """Whether this build renders the pages in view alone (dirty rebuilds only): it shows
    an edit there first, and the next build brings the other pages up to date."""
    files: Files
    rendered: set[str]
    """The addresses of the pages this build rendered."""
    follow_up: Path | None = None
    """A file the preview watches: written to start the next build."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.dirty = command == "serve" and dirty
        self.preview = Preview()
        self.rendered = set()

    def _layout(self, config: MkDocsConfig) -> Layout:
        return Layout(Path(config.config_file_path).resolve().parent)

    @event_priority(100)  # before the search and offline plugins read their settings
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        job = self.job or Job(None)
        job.failure = None
        self.reused, self.keys, self.unfilled = {}, {}, {}
        # A 404 page works only at the root of a server, and its links point there; each
        # language is a folder of the site, so none is made.
        compat.drop_static_template(config, "404.html")
        offline = config.plugins.get("material/offline")
        if offline is not None:
            offline.config["enabled"] = job.offline
        # Before material's page script: the search starts when the reader opens it; from
        # file://, its worker runs in the shim, served locally, which must come first.
        config.extra["polyfills"] = [SHIM, SEARCH_LOADER] if job.offline else [SEARCH_LOADER]
        if job.offline:  # plain .html links, which work from file://
            config.use_directory_urls = False
        start = time.perf_counter()
        try:
            edition = job.validated or self._validate(config)

            def pages(only: set[str] | None = None) -> Site:
                return generate(edition, job.language, directory_urls=config.use_directory_urls,
                                downloads=job.downloads, repository=self.config.repository,
                                keep=not self.dirty, only=only)

            in_view = self._in_view() if self.dirty else None
            self.site = pages(in_view)
            self._settings(config, job, edition)
            self.partial = False
            if job.keep or self.dirty:
                self.shown = preview.views(self.site.nav)
                self.theme = preview.theme_files(
                    Path(config.config_file_path),
                    Path(config.theme.custom_dir or config.config_file_path))
                compat.keep_theme_listing(config, self.theme)
            if self.dirty:  # the preview leaves the pages it does not render as they are
                self.frame = self._frame(config, self.status)
                self.partial = in_view is not None and self.preview.changed_in_view(
                    self.frame, self.site.pages, self.shown)
                if in_view is not None and not self.partial:
                    self.site = pages()
        except BuildError as exc:
            job.failure = exc
            raise PluginError("the guidelines cannot be built:\n"
                              + report(exc.diagnostics, "text")) from None
        finally:
            job.seconds = time.perf_counter() - start
        return config

    def _settings(self, config: MkDocsConfig, job: Job, edition: Validated) -> None:
        """What the theme and the search take from the site."""
        assert self.site is not None
        language = self.site.language
        config.nav = self.site.nav
        config.site_name = compat.text_for_theme(self.site.title)
        config.theme["language"] = language
        finder = config.plugins.get("material/search") or config.plugins.get("search")
        if finder is not None:
            search.configure(finder.config, language)
            if self.dirty:
                compat.merge_search_index_ourselves(finder)
        config.extra["trm_quick"] = [
            {"title": self.site.titles[src], "icon": icon,
             "url": relative_url(PATHS.home, src, config.use_directory_urls)}
            for src, icon in ((PATHS.contacts, "contacts"), (PATHS.referral_form, "form"))]
        together = [(code, name) for code, name in self.site.languages
                    if not job.languages or code in job.languages]
        switcher = together if len(together) > 1 else []
        if switcher:
            config.extra["alternate"] = [{"lang": code, "link": f"../{code}/"}
                                         for code, _ in switcher]
        self.status = status.fills(switcher, edition.partial_note(language))

    def _frame(self, config: MkDocsConfig, *more: Any) -> str:
        """What every page of this build shows besides its text and the translation status
        (preview.frame), with `more`."""
        assert self.site is not None
        return preview.frame(self.theme, self.site.nav,
                             (self.site.title, dict(config.extra), *more))

    def _in_view(self) -> set[str] | None:
        """The source paths of the pages last opened in the preview; None before the first
        build, or when the last build left the other pages behind."""
        if self.preview.behind or not self.preview.contents:
            return None
        by_address = {file.url: file.src_uri for file in self.files.documentation_pages()}
        return {by_address[url] for url in self.preview.opened() if url in by_address}

    def _validate(self, config: MkDocsConfig) -> Validated:
        """The sources validated for this build, their problems logged (warnings count
        with --strict)."""
        edition = validated(self._layout(config), again=True)
        for diagnostic in edition.diagnostics:
            if diagnostic.severity is Severity.WARNING:
                log.warning(diagnostic.text())
            else:
                log.info(diagnostic.text())
        return edition

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig,
               files: Files) -> jinja2.Environment:
        """The theme's templates compiled once per process, not in every build. The theme's
        settings in each page (`tojson`) keep their letters as they are, instead of six bytes
        each as `\\uXXXX`: a kilobyte less per page in Bulgarian or Arabic. `tojson` still
        escapes the characters that could end the script element. The pages kept from an
        earlier build get back what mkdocs knows of a page it renders (web.kept)."""
        env.bytecode_cache = COMPILED
        env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
        if self.job is not None and self.job.keep:
            start = time.perf_counter()
            for src, made in self.reused.items():
                page = files.get_file_from_path(src).page  # type: ignore[union-attr]
                assert page is not None
                page.read_source(config)  # its front matter, for other pages' navigation
                targets = {to: files.get_file_from_path(to) for to in made.links}
                compat.give_anchors(page, set(made.anchors), {
                    target: dict(made.links[to]) for to, target in targets.items() if target})
            self.job.seconds += time.perf_counter() - start
        return env

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if self.site is None:
            return files
        for file in [file for file in files if file.src_uri.startswith(_THEME_SEARCH)]:
            files.remove(file)
        generated: dict[str, str | bytes] = {page.src: page.text for page in self.site.pages}
        generated.update(self.site.files)
        self.files = files
        left: set[str] = set()  # pages and files left as the last build wrote them
        if self.partial:  # the same files as last time, in the same order
            left = set(self.preview.contents) - set(generated)
            generated = {src: generated.get(src, content)
                         for src, content in self.preview.contents.items()}
        for src, content in generated.items():
            file = _Generated.generated(config, src, content=content)
            assert isinstance(file, _Generated)
            file.unchanged = self.dirty and (src in left or self.preview.unchanged(
                self.frame, src, content, self.shown.get(src)))
            files.append(file)
        if self.dirty:
            self.preview.remember(self.frame, generated, self.shown, left)
            self.rendered = set()
        if self.job is not None and self.job.keep:
            self._keep(config, files, generated)
        return files

    def _keep(self, config: MkDocsConfig, files: Files,
              generated: dict[str, str | bytes]) -> None:
        """Mark the pages that an earlier build made as they would be made now, and write
        them (web.kept); note the keys of the others."""
        assert self.job is not None and self.site is not None
        start = time.perf_counter()
        pages = {page.src: generated[page.src] for page in self.site.pages}
        frame = kept.frame(self._frame(config), _loaded_settings(config), self.job.offline,
                           [file.src_uri for file in files], pages)
        for src, text in pages.items():
            key = cache.page_key(frame, src, text, self.shown.get(src))
            made = kept.take(key)
            file = files.get_file_from_path(src)
            assert isinstance(file, _Generated)
            if made is None:
                self.keys[src] = key
                continue
            self.reused[src], file.unchanged = made, True
            written = Path(file.abs_dest_path)
            written.parent.mkdir(parents=True, exist_ok=True)
            written.write_bytes(status.fill(made.html, self.status).encode("utf-8"))
            self.job.reused.add(written)
        self.job.seconds += time.perf_counter() - start

    @event_priority(-100)  # after the other plugins, before the search reads the page
    def on_page_content(self, html: str, **_: Any) -> str:
        if self.site is None:
            return html
        if bidi.right_to_left(self.site.language):
            html = bidi.isolate(html)
        return search.spaced(html)

    @event_priority(-100)  # after the other plugins: what it returns is the page written
    def on_post_page(self, output: str, *, page: Page, **_: Any) -> str:
        if self.site is None:
            return output
        if self.dirty:
            self.rendered.add(page.url)
        if bidi.right_to_left(self.site.language):
            # The theme sets the direction on <body> only; the document's is <html>'s.
            output = _HTML_TAG.sub('<html dir="rtl"', output, count=1)
        output = compact(output)
        if page.file.src_uri in self.keys:
            self.unfilled[page.file.src_uri] = output
        return status.fill(output, self.status)

    @event_priority(-50)  # after the search plugin writes the index, before offline inlines it
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.site is None:
            return
        start = time.perf_counter()
        self._search_index(self.site, Path(config.site_dir) / "search" / "search_index.json")
        if self.job is not None:  # trmgen's own work, as the build reports it
            self.job.seconds += time.perf_counter() - start
        if self.partial and self.follow_up is not None:  # the other pages next
            self.follow_up.write_text(str(time.time_ns()), encoding="utf-8")

    def _search_index(self, site: Site, index: Path) -> None:
        """The search index with what the pages' words do not give (`search.enrich`), in the
        small files that the search loads as the reader types (`search_shards`). In the
        preview, the index also keeps the pages that a rebuild did not render again; a build
        of the pages in view alone leaves the search as it was, for the next build."""
        if not index.is_file():
            return
        data = json.loads(index.read_text(encoding="utf-8"))
        if self.dirty:
            pages = [file.page.url for file in self.files.documentation_pages()
                     if file.page is not None]
            data["docs"] = self.preview.search_index(data["docs"], pages, self.rendered)
        if self.job is not None and self.job.keep:
            data["docs"] = self._with_kept(data["docs"])
        terms = {page.src: page.keywords for page in site.pages if page.keywords}
        search.enrich(data["docs"], {file.url: terms[file.src_uri] for file in self.files
                                     if file.src_uri in terms})
        if self.partial:
            index.write_bytes(self.preview.search_settings)
        else:
            search_shards.write(index.parent, data)
            if self.dirty:
                self.preview.search_settings = index.read_bytes()

    def _with_kept(self, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The search index of every page, from the entries of the pages rendered (`docs`)
        and those of the kept pages, in the order of a build that renders them all; and the
        pages rendered, answered to the driver to keep."""
        assert self.job is not None
        fresh = kept.by_page(docs)
        whole = []
        for file in self.files.documentation_pages():
            page = file.page
            assert page is not None
            if file.src_uri in self.reused:
                whole += self.reused[file.src_uri].search
                continue
            whole += fresh.get(page.url, [])
            if file.src_uri in self.keys:
                anchors, links = compat.anchors_of(page)
                self.job.made[self.keys[file.src_uri]] = kept.Made(
                    self.unfilled[file.src_uri], fresh.get(page.url, []), sorted(anchors),
                    {to.src_uri: dict(found) for to, found in links.items()})
        return whole

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig,
                 builder: Any) -> LiveReloadServer | None:  # noqa: ARG002 (mkdocs passes it)
        # What the first build left (mkdocs, the theme, the kept sources) lasts: the garbage
        # collector need not look through it again after every edit.
        gc.collect()
        gc.freeze()
        compat.poll_often(server, POLL_SECONDS, QUIET_SECONDS)
        for path in self._layout(config).watched():
            server.watch(str(path))
        if self.follow_up is not None:
            self.follow_up.touch()
            server.watch(str(self.follow_up))
        serve_page = server.get_app()
        assert serve_page is not None
        mount = urlsplit(config.site_url or "/").path

        def opened(environ: dict[str, Any], start_response: Any) -> Any:
            """Note the page that a request opens, or (live reload's) comes from."""
            path = str(environ.get("PATH_INFO", ""))
            if path.startswith(mount + "livereload/"):
                path = urlsplit(str(environ.get("HTTP_REFERER", ""))).path
            if path.startswith(mount):
                self.preview.open(path[len(mount):])
            return serve_page(environ, start_response)

        server.set_app(opened)
        return server


_PER_BUILD = {"config_file_path", "docs_dir", "site_dir", "plugins", "hooks", "nav", "watch",
              "dev_addr", "strict", "theme"}
"""Settings that name where a build reads and writes, or that hold objects: the theme and
the plugins are in `_loaded_settings` by their own settings; the navigation is in the frame by its
shape, and in each page's key by what it shows there (web.kept)."""


def _loaded_settings(config: MkDocsConfig) -> Any:
    """mkdocs' settings as loaded, the theme's and the plugins' (web.kept)."""
    theme = config.theme
    # The theme's folders by name: their files are in the frame (the theme's own, hashed by
    # preview.frame; the others by the versions of the libraries that hold them).
    return ({key: value for key, value in config.items() if key not in _PER_BUILD},
            (theme.name, [Path(folder).name for folder in theme.dirs],
             sorted(theme.static_templates), dict(theme.items())),
            {name: dict(plugin.config) for name, plugin in config.plugins.items()})


class _Collect(logging.Handler):
    """Keeps mkdocs' warnings and errors, to report them if the build fails."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(layout: Layout, job: Job, dest: Path, work: Path) -> None:
    """One strict mkdocs build of one language into `dest`; raises BuildError."""
    docs = Path(tempfile.mkdtemp(prefix=f"docs-{job.language}-", dir=work))
    config = mkdocs_config(layout, site_dir=str(dest), docs_dir=str(docs), strict=True)
    plugin = config.plugins["trmgen"]
    assert isinstance(plugin, TrmgenPlugin)
    plugin.job = job
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        # Dirty: the pages that the plugin marks as kept are not rendered (web.kept).
        mkdocs_build(config, dirty=job.keep)
    except MkDocsException as exc:
        if job.failure:
            raise job.failure from None
        reasons = collect.messages or [str(exc)]
        raise BuildError([Diagnostic(layout.display(layout.mkdocs_config), 1, 1,
                                     "build.mkdocs", "", f"the {job.language} site failed to "
                                     f"build: {reason}") for reason in reasons]) from None
    finally:
        logger.removeHandler(collect)
        # mkdocs keeps this instance for the next build in the process (compat
        # "plugin-instance-kept"), which must not build this job's edition.
        plugin.job = None


_CONFIG_VALUE = re.compile(r"Config value '([\w.]+)': (.*)", re.DOTALL)


def mkdocs_config(layout: Layout, **settings: Any) -> MkDocsConfig:
    """mkdocs.yml loaded; a file that mkdocs refuses is a BuildError with mkdocs' reasons,
    each at the line of the setting it names."""
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        return load_config(str(layout.mkdocs_config), **settings)
    except MkDocsException as exc:
        reasons = [m for m in collect.messages if "Aborted" not in m] or [str(exc)]
        raise BuildError([_config_problem(layout, reason) for reason in reasons]) from None
    finally:
        logger.removeHandler(collect)


PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net")
"""Hosts that no real repository lives on, and (on github.com) the owner 'example'."""


def check_settings(layout: Layout, *, strict: bool = False) -> list[Diagnostic]:
    """Raise BuildError when mkdocs cannot use mkdocs.yml (checked before a build starts).
    With `strict` (a build to publish), return the problem of a `repository` that is still
    the placeholder: no page may link readers to someone else's repository."""
    with tempfile.TemporaryDirectory(prefix="trmgen-settings-") as docs:
        config = mkdocs_config(layout, docs_dir=docs)
    plugin = config.plugins.get("trmgen")
    repository = plugin.config.repository if isinstance(plugin, TrmgenPlugin) else None
    if not (strict and repository and _placeholder(repository)):
        return []
    text = layout.mkdocs_config.read_text(encoding="utf-8")
    found = re.search(r"^[ \t]*repository[ \t]*:", text, re.MULTILINE)
    line = text.count("\n", 0, found.start()) + 1 if found else 1
    return [Diagnostic(
        layout.display(layout.mkdocs_config), line, 1, "build.placeholder-repository",
        "plugins.trmgen.repository",
        f"'{repository}' is the placeholder: every page's 'Edit this page' and 'Report a "
        "problem' would lead there; set it to the web address of your repository, or remove "
        "the setting to publish without those links")]


def _placeholder(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return host.endswith(PLACEHOLDER_HOSTS) or (
        host == "github.com" and parts.path.strip("/").split("/")[0].lower() == "example")


def _config_problem(layout: Layout, reason: str) -> Diagnostic:
    """A problem of mkdocs.yml, at the line of the setting mkdocs names, if it names one."""
    line, key, message = 1, "", " ".join(reason.split())
    at = re.search(r', line (\d+), column \d+', message)
    if at:  # a YAML error: the line is in the message, the path beside it is not needed
        line = int(at.group(1))
        message = re.sub(r' in "[^"]*", line \d+, column \d+', "", message)
    named = _CONFIG_VALUE.match(message)
    if named:
        key, message = named.group(1), named.group(2)
        top = key.split(".", 1)[0]
        try:
            text = layout.mkdocs_config.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        found = re.search(rf"^{re.escape(top)}\s*:", text, re.MULTILINE)
        line = text.count("\n", 0, found.start()) + 1 if found else 1
    return Diagnostic(layout.display(layout.mkdocs_config), line, 1, "build.mkdocs", key,
                      f"{message}; mkdocs cannot use this file as it is")


def _quiet_dirty(record: logging.LogRecord) -> bool:
    """mkdocs warns on every dirty build that the navigation may be out of date; the plugin
    renders again every page whose navigation changed, so the warning does not apply."""
    return "'dirty' build" not in record.getMessage()


logging.getLogger("mkdocs.commands.build").addFilter(_quiet_dirty)


def serve(layout: Layout, language: str | None, address: str) -> None:
    """Live preview: rebuilds when a YAML file, a template or mkdocs.yml changes."""
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    with tempfile.TemporaryDirectory(prefix="trmgen-serve-") as work:
        docs = str(Path(work) / "docs")
        Path(docs).mkdir()
        # mkdocs keeps one plugin instance for the whole process: the one that serve uses.
        plugin = mkdocs_config(layout, docs_dir=docs).plugins["trmgen"]
        assert isinstance(plugin, TrmgenPlugin)
        plugin.job = Job(None, language)
        plugin.follow_up = Path(work) / "follow-up"
        # Dirty: the plugin marks what changed, so only that is rendered again.
        mkdocs_serve(str(layout.mkdocs_config), livereload=True, dev_addr=address,
                     docs_dir=docs, build_type="dirty")
