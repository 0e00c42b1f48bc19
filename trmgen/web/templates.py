"""Jinja2 over templates/pages: page text from prepared data.

Text from the YAML reaches a page in one of two ways only: as escaped plain text, or as HTML
rendered from the safe Markdown subset and then sanitized with nh3 (a second line of defence
behind the validator).
"""

from __future__ import annotations

import functools
import gettext
import html
import re
import secrets
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import nh3
from markupsafe import Markup

from trmgen.content.edition import Validated
from trmgen.content.localized import Fallback
from trmgen.diagnostics import BuildError, Diagnostic
from trmgen.i18n.localizer import Localizer
from trmgen.sources import cache, safe_text
from trmgen.sources.layout import MAX_TEMPLATE_BYTES, Layout, UnsafeFile, read_file
from trmgen.web.pages import address

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
        path = _find(self.folders, template)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        try:
            stamp = _stamp(path)
            text = read_file(path, MAX_TEMPLATE_BYTES).decode("utf-8")
        except (UnsafeFile, UnicodeDecodeError) as exc:
            raise jinja2.TemplateError(f"{template}: {exc}") from None
        # Loaded once while the file is unchanged: pages import the same macros many
        # times, and the preview renders every page on each edit.
        return text, str(path), functools.partial(_unchanged, path, stamp)


def _find(folders: list[Path], template: str) -> Path | None:
    """The file of a template: in the first of `folders` that has it."""
    if ".." in Path(template).parts:
        return None
    for folder in folders:
        path = folder / template
        if path.exists() or path.is_symlink():
            return path
    return None


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


def reached(folders: list[Path], entries: Iterable[str]) -> set[Path] | None:
    """The template files that `entries` are made of: themselves and what they import,
    include or extend, and so on, found in `folders` as a Renderer finds them. None when one
    names a template by a value, or is missing or cannot be parsed: then any template may be
    used (and the rendering reports what is wrong)."""
    found: set[Path] = set()
    todo, seen = list(entries), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = _find(folders, name)
        names = _references(path, _stamp(path)) if path else None
        if path is None or names is None:
            return None
        found.add(path)
        todo += names
    return found


def made_from(validated: Validated, folder: Path, used: set[Path] | None) -> str:
    """The hash of what a rendering is made from: every input but the templates in `folder`
    that it does not use (`used`, from `reached`); every input when `used` is None."""
    if used is None:
        return validated.fingerprint
    layout = validated.layout
    names = {layout.display(path) for path in used}
    inside = layout.display(folder) + "/"
    return cache.digest_of(validated.inputs,
                           lambda name: not name.startswith(inside) or name in names)


@functools.lru_cache(maxsize=256)
def _references(path: Path,
                stamp: tuple[int, int, int] | None) -> tuple[str, ...] | None:  # noqa: ARG001
    """The templates that the template at `path` names (parsed once while its `stamp` is
    the same); None if it names one by a value, or cannot be read or parsed."""
    try:
        source = read_file(path, MAX_TEMPLATE_BYTES).decode("utf-8")
        names = list(jinja2.meta.find_referenced_templates(
            _environment(SourceLoader([])).parse(source)))
    except (UnsafeFile, UnicodeDecodeError, jinja2.TemplateError):
        return None
    return None if None in names else tuple(str(name) for name in names)


def _environment(loader: SourceLoader, **options: Any) -> jinja2.Environment:
    """Jinja with the templates' syntax: Markdown writes heading ids as {#id}, so Jinja
    comments are {## ... ##}."""
    return jinja2.Environment(loader=loader, extensions=["jinja2.ext.i18n"],
                              comment_start_string="{##", comment_end_string="##}", **options)


Links = Callable[[str, str, str, str], str]
"""What a link says on a page: (the page's source path, kind, target, anchor), as
`web.pages.address` without the kind of URLs."""


def links(directory_urls: bool) -> Links:
    """Links written as they are, for mkdocs' URLs with `directory_urls` or plain .html."""
    return lambda src, kind, target, anchor: address(src, directory_urls, kind, target, anchor)


class StandIns:
    """What a page shows that differs between the site and its offline copy (its links, its
    charts), written as stand-ins while the pages of a language are rendered once for both,
    and filled in for each copy (`fill`). Each stand-in holds a number drawn at random for
    the rendering, so that no text from the sources can forge one."""

    def __init__(self, nonce: str = "", parts: list[tuple[str, str, str]] | None = None) -> None:
        self.nonce = nonce or f"{secrets.randbelow(10**16):016d}"
        self.parts: list[tuple[str, str, str]] = parts or []
        """What each stand-in stands for: (kind, target, anchor)."""
        self._numbers = {part: number for number, part in enumerate(self.parts)}
        self._pattern = re.compile(rf"@{re.escape(self.nonce)}:(\d+)@")

    def put(self, kind: str, target: str = "", anchor: str = "") -> str:
        """The stand-in for one value."""
        number = self._numbers.setdefault((kind, target, anchor), len(self.parts))
        if number == len(self.parts):
            self.parts.append((kind, target, anchor))
        return f"@{self.nonce}:{number}@"

    def link(self, src: str, kind: str, target: str, anchor: str) -> str:  # noqa: ARG002
        """A link as a stand-in (`Links`): filled in for the page it is on."""
        return self.put(kind, target, anchor)

    def fill(self, text: str, value: Callable[[str, str, str], str]) -> str:
        """The text with each stand-in replaced by `value(kind, target, anchor)`."""
        return self._pattern.sub(lambda found: value(*self.parts[int(found[1])]), text)


class Renderer:
    """Renders page templates with StrictUndefined, so a missing value is an error.

    Text that is still in English on a page of another language (a Fallback) is marked: a
    visible note, and lang="en" so that screen readers read it with the right voice.
    A translation is text, like every other value: it is escaped before it reaches the
    page, so that a quote in a msgstr cannot end an attribute.
    """

    def __init__(self, layout: Layout, templates: list[Path], *, links: Links,
                 translations: gettext.NullTranslations, language: str) -> None:
        self.layout = layout
        self.links = links
        self.language = language
        self.note = translations.gettext("Not yet translated: shown in English.")
        self.env = _environment(
            SourceLoader(templates),
            undefined=jinja2.StrictUndefined,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
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
            """A page of the site, with an anchor."""
            return self.links(src, "page", target, anchor)

        def outside(path: str) -> str:
            """A file beside the language folders, such as downloads/guide.pdf."""
            return self.links(src, "outside", path, "")

        def root() -> str:
            """The language's folder, relative to this page ('' on the home page)."""
            return self.links(src, "root", "", "")

        return _joined(self.env.get_template(template).generate(
            **values, href=href, outside=outside, root=root))


def _joined(pieces: Iterator[str]) -> str:
    """The pieces a template writes, joined a batch at a time: joined at once, the list of
    millions of pieces of a large book took more memory than the book itself."""
    batches, batch = [], []
    for piece in pieces:
        batch.append(piece)
        if len(batch) == 50_000:
            batches.append("".join(batch))
            batch.clear()
    batches.append("".join(batch))
    return "".join(batches)

