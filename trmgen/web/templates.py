"""Jinja2 over templates/pages: page text from prepared data.

Text from the YAML reaches a page in one of two ways only: as escaped plain text, or as HTML
rendered from the safe Markdown subset and then sanitized with nh3 (a second line of defence
behind the validator).
"""

from __future__ import annotations

import functools
import gettext
import html
import posixpath
import re
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jinja2
import nh3
from markupsafe import Markup

from trmgen.content.localized import Fallback
from trmgen.diagnostics import BuildError, Diagnostic
from trmgen.i18n.localizer import Localizer
from trmgen.sources import safe_text
from trmgen.sources.layout import MAX_TEMPLATE_BYTES, Layout, UnsafeFile, read_file
from trmgen.web.pages import destination, relative_path, relative_url

ALLOWED_TAGS = {"p", "em", "strong", "code", "a", "ul", "ol", "li", "br"}
ALLOWED_SCHEMES = {"https", "mailto", "tel"}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


@functools.lru_cache(maxsize=4096)
def to_html(text: str) -> Markup:
    """Safe Markdown text as sanitized HTML (the same text recurs on many pages)."""
    html = safe_text.to_html(text)
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}},
                            url_schemes=ALLOWED_SCHEMES, link_rel="noopener"))


def inline_html(text: str) -> Markup:
    """Like to_html, without the enclosing paragraph, for text inside a sentence or cell."""
    html = str(to_html(text))
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def plain(text: str) -> Markup:
    """Text for a Markdown line (a heading): HTML-escaped, Markdown characters neutralized.

    Text that is escaped already (Markup, such as a translated sentence with a title in it)
    is escaped once, not again. Quotes stay as they are: they are harmless in text, and
    escaped they would show as entities in the table of contents.
    """
    raw = html.unescape(str(text)) if isinstance(text, Markup) else text
    return Markup(_MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(raw, quote=False)))


class SourceLoader(jinja2.BaseLoader):
    """Templates read as every source file is (sources.layout.read_file): regular files of
    the repository only, no links, at most MAX_TEMPLATE_BYTES."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = folders

    def get_source(self, environment: jinja2.Environment,  # noqa: ARG002 (Jinja passes it)
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        for folder in self.folders:
            path = folder / template
            if ".." in Path(template).parts or not (path.exists() or path.is_symlink()):
                continue
            try:
                stamp = _stamp(path)
                text = read_file(path, MAX_TEMPLATE_BYTES).decode("utf-8")
            except (UnsafeFile, UnicodeDecodeError) as exc:
                raise jinja2.TemplateError(f"{template}: {exc}") from None
            # Loaded once while the file is unchanged: pages import the same macros many
            # times, and the preview renders every page on each edit.
            return text, str(path), functools.partial(_unchanged, path, stamp)
        raise jinja2.TemplateNotFound(template)


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What changes when a file is written or replaced."""
    try:
        found = path.lstat()
    except OSError:
        return None
    return found.st_ino, found.st_size, found.st_mtime_ns


def _unchanged(path: Path, stamp: tuple[int, int, int] | None) -> bool:
    return _stamp(path) == stamp


class _Compiled(jinja2.BytecodeCache):
    """Compiled templates, kept in memory for the process (never in a file: a cache holds
    data, not code)."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.kept:
            bucket.bytecode_from_string(self.kept[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


COMPILED = _Compiled()
"""The compiled templates of this process, by name and source (the theme's, too)."""


class Renderer:
    """Renders page templates with StrictUndefined, so a missing value is an error.

    Text that is still in English on a page of another language (a Fallback) is marked: a
    visible note, and lang="en" so that screen readers read it with the right voice.
    A translation is text, like every other value: it is escaped before it reaches the
    page, so that a quote in a msgstr cannot end an attribute.
    """

    def __init__(self, layout: Layout, templates: list[Path], *, directory_urls: bool,
                 translations: gettext.NullTranslations, language: str) -> None:
        self.layout = layout
        self.directory_urls = directory_urls
        self.language = language
        self.note = translations.gettext("Not yet translated: shown in English.")
        self.env = jinja2.Environment(
            loader=SourceLoader(templates),
            undefined=jinja2.StrictUndefined,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            extensions=["jinja2.ext.i18n"],
            # Markdown writes heading ids as {#id}, so Jinja comments are {## ... ##}.
            comment_start_string="{##",
            comment_end_string="##}",
            finalize=self._finalize,
            bytecode_cache=COMPILED,
        )

        def text(message: str) -> Markup:
            return Markup.escape(translations.gettext(message))

        def plural(singular: str, many: str, n: int) -> Markup:
            return Markup.escape(translations.ngettext(singular, many, n))

        self.env.install_gettext_callables(  # type: ignore[attr-defined]
            text, plural, newstyle=True)
        loc = Localizer(language)

        def listing(items: Iterable[str]) -> Markup:
            """Items as a list in the page's language (CLDR: '6, 7, and 10', '6 و7 و10'),
            each escaped unless it is markup already."""
            return Markup(loc.listing([Markup.escape(item) for item in items]))

        self.env.filters.update(md=self._block, md_inline=self._inline, plain=self._plain,
                                listing=listing, unmarked=str)  # str() of a Fallback: a str

    def _mark(self, html: Markup) -> Markup:
        """Inline English text, with a visible mark that explains itself. English keeps its
        own direction (dir="ltr" isolates it) on a right-to-left page, so that its
        punctuation stays where it belongs."""
        return Markup('<span class="trm-fallback" lang="en" dir="ltr">{}</span> <abbr '
                      'class="trm-fallback-mark" title="{}">(EN)</abbr>').format(
                          html, self.note)

    def _finalize(self, value: Any) -> Any:
        return self._mark(Markup.escape(value)) if isinstance(value, Fallback) else value

    def _block(self, text: str) -> Markup:
        html = to_html(text)
        if isinstance(text, Fallback):
            return Markup('<div class="trm-fallback" lang="en" dir="ltr"><p '
                          'class="trm-fallback-note" lang="{}" dir="auto">{}</p>{}</div>').format(
                              self.language, self.note, html)
        return html

    def _inline(self, text: str) -> Markup:
        html = inline_html(text)
        return self._mark(html) if isinstance(text, Fallback) else html

    def _plain(self, text: str) -> Markup:
        return self._mark(plain(text)) if isinstance(text, Fallback) else plain(text)

    def render(self, template: str, src: str, values: dict[str, Any]) -> str:
        """The text of the page at `src`; `href(target, anchor)` links relative to it. A
        template error is a BuildError at the template's file and line."""
        try:
            return self._render(template, src, values)
        except jinja2.TemplateError as exc:
            raise BuildError([self._problem(exc)]) from None

    def _problem(self, exc: jinja2.TemplateError) -> Diagnostic:
        path, line = "templates", 1
        if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
            path, line = exc.filename, exc.lineno
        else:
            for frame in reversed(traceback.extract_tb(exc.__traceback__)):
                if frame.filename.endswith(".j2"):
                    path, line = frame.filename, frame.lineno or 1
                    break
        shown = self.layout.display(Path(path)) if path != "templates" else path
        return Diagnostic(shown, line, 1, "template.error", "", f"{exc.message or exc}; the "
                          "template must be fixed before the site can be built")

    def _render(self, template: str, src: str, values: dict[str, Any]) -> str:
        def href(target: str, anchor: str = "") -> str:
            return relative_url(src, target, self.directory_urls, anchor)

        def outside(path: str) -> str:
            """A file beside the language folders, such as downloads/guide.pdf."""
            here = posixpath.dirname(destination(src, self.directory_urls))
            return relative_path(posixpath.join("..", path), here)

        def root() -> str:
            """The language's folder, relative to this page ('' on the home page)."""
            here = posixpath.dirname(destination(src, self.directory_urls))
            return "".join("../" for part in here.split("/") if part)

        link: Callable[[str, str], str] = href
        return self.env.get_template(template).render(**values, href=link, outside=outside,
                                                      root=root, page_src=src)
