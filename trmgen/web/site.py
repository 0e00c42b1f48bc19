"""The whole pipeline for one language, without mkdocs: sources -> validated guide -> pages."""

from __future__ import annotations

import datetime as dt
import gettext
import posixpath
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from babel import Locale
from markupsafe import Markup

from trmgen.checks.validate import validate
from trmgen.content import history as changes
from trmgen.content import localized as translate
from trmgen.content.guide import Guide
from trmgen.diagnostics import Diagnostic, Severity, count
from trmgen.i18n import catalogs
from trmgen.i18n.labels import Labels
from trmgen.i18n.localizer import Localizer, phone, tel_uri
from trmgen.publish.downloads import Download
from trmgen.sources import cache as memo
from trmgen.sources.layout import Layout
from trmgen.sources.model import ALL_FORMS, ALL_ROLES
from trmgen.web import charts as flowchart
from trmgen.web.pages import OVERVIEW, PATHS, Nav, Page, measure_page, plan, sop_page
from trmgen.web.templates import Renderer, relative_url


class BuildError(Exception):
    """The content or a template is not fit to publish; carries the problems."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.text() for d in diagnostics))
        self.diagnostics = diagnostics

    def __reduce__(self) -> tuple[type[BuildError], tuple[list[Diagnostic]]]:
        # Raised in a worker process, it crosses back to the driver whole.
        return BuildError, (self.diagnostics,)


@dataclass(frozen=True)
class RenderedPage:
    """A page's source path, title and Markdown text."""

    src: str
    title: str
    text: str


@dataclass(frozen=True)
class Site:
    """The generated pages of one language, their navigation, and what validation said."""

    language: str
    title: str
    pages: list[RenderedPage]
    files: dict[str, bytes]
    """Other generated files by source path, such as the full-size charts."""
    nav: Nav
    diagnostics: list[Diagnostic]
    languages: list[tuple[str, str]]
    """Every language of the guideline with its name in that language, for the switcher."""


@dataclass(frozen=True)
class Edition:
    """The validated guidelines prepared for one language: what every output is made from."""

    layout: Layout
    language: str
    guide: Guide
    """The guide in this language, with English fallbacks marked."""
    labels: Labels
    loc: Localizer
    translations: gettext.NullTranslations
    diagnostics: list[Diagnostic]
    status: dict[str, dict[str, catalogs.Counts]]
    """Translation status by language and part."""

    @property
    def lang_is_source(self) -> bool:
        """Whether this is the language the guidelines are written in."""
        return self.language == self.guide.guideline.source_language

    @property
    def languages(self) -> list[tuple[str, str]]:
        """Every language of the guideline, named in itself."""
        return [(code, Locale.parse(code).get_display_name(code) or code)
                for code in self.guide.guideline.languages]

    def values(self) -> dict[str, Any]:
        """What every template receives."""
        return {"guide": self.guide, "labels": self.labels, "loc": self.loc, "paths": PATHS,
                "language": self.language, "tel": tel_uri, "phone": phone,
                "all_forms": ALL_FORMS, "all_roles": ALL_ROLES, "status": self.status}


def prepare(layout: Layout, language: str | None = None, *,
            today: dt.date | None = None, keep: bool = True) -> Edition:
    """Validate the sources and localize them; raise BuildError on any error.

    The language defaults to the guideline's source language. With `keep=False`, results
    kept from an earlier run are used, but new ones are not kept.
    """
    sources, diagnostics = validate(layout, today=today, keep=keep)
    if count(diagnostics, Severity.ERROR):
        raise BuildError(diagnostics)
    guide = Guide.from_sources(sources, today)
    language = language or guide.guideline.source_language
    if language not in guide.guideline.languages:
        raise BuildError([Diagnostic(
            layout.display(layout.guideline_file), 1, 1, "build.language", "languages",
            f"'{language}' is not one of the guideline's languages "
            f"({', '.join(guide.guideline.languages)})")])
    lang = translate.load(layout, language, guide.guideline.source_language)
    return Edition(layout, language, translate.localized(guide, lang),
                   Labels(lang.ui.gettext), Localizer(language), lang.ui, diagnostics,
                   memo.remembered(layout, "translation-status",
                                   (memo.fingerprint(layout), guide.guideline.languages),
                                   lambda: catalogs.status(layout, sources,
                                                           guide.guideline.languages),
                                   keep=keep))


def generate(layout: Layout, language: str | None = None, *, directory_urls: bool = True,
             today: dt.date | None = None, downloads: list[Download] | None = None,
             repository: str | None = None, keep: bool = True) -> Site:
    """Every page of the site in one language; raise BuildError on any error.

    `downloads` lists the files made by the build; without it there is no downloads page.
    With the address of the repository, every page links to its source and to a form to
    report a problem. The pages are kept in the cache for the next build of the same sources
    (with `keep=False`, kept results are used but new ones are not kept).
    """
    key = (memo.fingerprint(layout), changes.refs(layout), language, directory_urls,
           today or dt.date.today(), downloads, repository)
    urls = "folders" if directory_urls else "files"
    return memo.remembered(layout, f"site-{language or 'source'}-{urls}", key,
                           lambda: _generate(layout, language, directory_urls, today,
                                             downloads, repository, keep), keep=keep)


def _generate(layout: Layout, language: str | None, directory_urls: bool,
              today: dt.date | None, downloads: list[Download] | None,
              repository: str | None, keep: bool) -> Site:
    edition = prepare(layout, language, today=today, keep=keep)
    pages, nav = plan(edition.guide, edition.labels, edition.loc,
                      downloads=downloads is not None)
    try:
        charts = _charts(layout, edition.guide, edition.labels, directory_urls)
    except flowchart.ChartError as exc:
        raise BuildError([Diagnostic(layout.display(layout.style_file), 1, 1, "chart.graphviz",
                                     "", str(exc))]) from None
    renderer = Renderer(layout.page_templates, directory_urls=directory_urls,
                        translations=edition.translations, language=edition.language,
                        cache=layout.template_cache)
    previous = edition.guide.guideline.previous_edition
    try:
        changed = changes.since(layout, previous) if previous else []
    except changes.ChangeError:
        changed = None  # the page says the history could not be read
    rendered = []
    for page in pages:
        chart = charts.get(page.src)
        values = {**edition.values(), **page.values, "title": page.title,
                  "chart": Markup(chart.inline) if chart else None,
                  "downloads": downloads or [], "changes": changed}
        text = render(layout, renderer, page.template, page.src, values)
        if repository:
            links = _actions(edition, page, repository)
            text += render(layout, renderer, "_actions.md.j2", page.src, {**values, **links})
        rendered.append(RenderedPage(page.src, page.title, text))
    files = {chart_file(src): chart.svg for src, chart in charts.items()}
    return Site(edition.language, str(edition.guide.guideline.title), rendered, files, nav,
                edition.diagnostics, edition.languages)


def render(layout: Layout, renderer: Renderer, template: str, src: str,
           values: dict[str, Any]) -> str:
    """A template rendered, or a BuildError that names the template's file and line."""
    try:
        return renderer.render(template, src, values)
    except jinja2.TemplateError as exc:
        raise BuildError([_template_problem(layout, exc)]) from None


def _actions(edition: Edition, page: Page, repository: str) -> dict[str, str | None]:
    """Where to edit a page's source (the catalog for a translation) and report a problem."""
    source = page.source
    if source and not edition.lang_is_source:
        source = edition.guide.files["translations"] + f"{edition.language}.po"
    edit = None
    if source:
        kind = "tree" if source.endswith("/") else "edit"
        edit = f"{repository.rstrip('/')}/{kind}/main/{source}"
    query = urlencode({"template": "problem.yml",
                       "title": f"[{edition.language}] {page.title}",
                       "page": f"{edition.language}/{page.src}",
                       "section": page.src.rsplit("/", 1)[-1].removesuffix(".md")})
    return {"edit_url": edit, "report_url": f"{repository.rstrip('/')}/issues/new?{query}"}


@dataclass(frozen=True)
class Chart:
    """A chart to inline in its page, and the same chart as a file to open full size."""

    inline: str
    svg: bytes


def chart_file(page_src: str) -> str:
    """The full-size chart beside the page that shows it: its links work from both."""
    return posixpath.join(posixpath.dirname(page_src), "chart.svg")


def _charts(layout: Layout, guide: Guide, labels: Labels,
            directory_urls: bool) -> dict[str, Chart]:
    """Every chart, by the page that shows it."""
    drawn = {}
    for sop in guide.sops:
        src = sop_page(sop.id)
        dot = flowchart.sop_dot(guide, sop, guide.style, labels, _href(src, directory_urls))
        label = labels.gettext("Flowchart of SOP %(number)d: %(title)s") % {
            "number": sop.number, "title": sop.title}
        drawn[src] = _draw(layout, dot, label)
    dot = flowchart.overview_dot(guide, guide.overview, guide.style, labels,
                                 _href(OVERVIEW, directory_urls))
    drawn[OVERVIEW] = _draw(layout, dot, guide.overview.title)
    return drawn


def _href(page_src: str, directory_urls: bool) -> flowchart.Href:
    def href(measure_id: str) -> str:
        return relative_url(page_src, measure_page(measure_id), directory_urls)

    return href


def _draw(layout: Layout, dot: str, label: str) -> Chart:
    svg = flowchart.render(dot, layout.chart_cache)
    return Chart(flowchart.inline_svg(svg, label), svg)


def _template_problem(layout: Layout, exc: jinja2.TemplateError) -> Diagnostic:
    """A template error at the template's file and line."""
    path, line = "templates", 1
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        path, line = exc.filename, exc.lineno
    else:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith(".j2"):
                path, line = frame.filename, frame.lineno or 1
                break
    shown = layout.display(Path(path).resolve()) if path != "templates" else path
    return Diagnostic(shown, line, 1, "template.error", "", f"{exc.message or exc}; the "
                      "template must be fixed before the site can be built")
