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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import nh3
from markupsafe import Markup

from trmgen.content.localized import Fallback
from trmgen.sources import safe_text

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

    Quotes stay as they are: they are harmless in text, and escaped they would show as
    entities in the table of contents.
    """
    return Markup(_MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)))


def destination(src: str, directory_urls: bool) -> str:
    """Where mkdocs writes the page of a source path."""
    stem = src.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


def relative_url(from_src: str, to_src: str, directory_urls: bool, anchor: str = "") -> str:
    """The link from one page to another, relative, so that it also works from file://."""
    here = posixpath.dirname(destination(from_src, directory_urls))
    url = _relative(destination(to_src, directory_urls), here)
    if directory_urls and (url == "index.html" or url.endswith("/index.html")):
        url = url.removesuffix("index.html") or "./"
    return url + (f"#{anchor}" if anchor else "")


def _relative(path: str, start: str) -> str:
    """posixpath.relpath for two paths relative to the same folder, without asking the
    file system for the current folder (a page has hundreds of links)."""
    to, here = path.split("/"), start.split("/") if start else []
    common = 0
    while common < min(len(to), len(here)) and to[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


class Renderer:
    """Renders page templates with StrictUndefined, so a missing value is an error.

    Text that is still in English on a page of another language (a Fallback) is marked: a
    visible note, and lang="en" so that screen readers read it with the right voice.
    With a `cache` folder, compiled templates are kept there for the next process.
    """

    def __init__(self, templates: Path | list[Path], *, directory_urls: bool,
                 translations: gettext.NullTranslations, language: str,
                 cache: Path | None = None) -> None:
        self.directory_urls = directory_urls
        self.language = language
        self.note = translations.gettext("Not yet translated: shown in English.")
        if cache:
            cache.mkdir(parents=True, exist_ok=True)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates),
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
            bytecode_cache=jinja2.FileSystemBytecodeCache(str(cache)) if cache else None,
        )
        self.env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
        self.env.filters.update(md=self._block, md_inline=self._inline, plain=self._plain)

    def _mark(self, html: Markup) -> Markup:
        """Inline English text, with a visible mark that explains itself."""
        return Markup('<span class="trm-fallback" lang="en">{}</span> <abbr '
                      'class="trm-fallback-mark" title="{}">(EN)</abbr>').format(
                          html, self.note)

    def _finalize(self, value: Any) -> Any:
        return self._mark(Markup.escape(value)) if isinstance(value, Fallback) else value

    def _block(self, text: str) -> Markup:
        html = to_html(text)
        if isinstance(text, Fallback):
            return Markup('<div class="trm-fallback" lang="en"><p class="trm-fallback-note" '
                          'lang="{}">{}</p>{}</div>').format(self.language, self.note, html)
        return html

    def _inline(self, text: str) -> Markup:
        html = inline_html(text)
        return self._mark(html) if isinstance(text, Fallback) else html

    def _plain(self, text: str) -> Markup:
        return self._mark(plain(text)) if isinstance(text, Fallback) else plain(text)

    def render(self, template: str, src: str, values: dict[str, Any]) -> str:
        """The text of the page at `src`; `href(target, anchor)` links relative to it."""
        def href(target: str, anchor: str = "") -> str:
            return relative_url(src, target, self.directory_urls, anchor)

        def outside(path: str) -> str:
            """A file beside the language folders, such as downloads/guide.pdf."""
            here = posixpath.dirname(destination(src, self.directory_urls))
            return _relative(posixpath.join("..", path), here)

        link: Callable[[str, str], str] = href
        return self.env.get_template(template).render(**values, href=link, outside=outside,
                                                      page_src=src)
