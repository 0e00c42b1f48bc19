"""The pages of one language, without mkdocs: the validated edition -> Markdown pages."""

from __future__ import annotations

import base64
import contextlib
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from trmgen.content.edition import Edition, Validated
from trmgen.content.history import Change
from trmgen.diagnostics import BuildError, Diagnostic
from trmgen.i18n.localizer import phone, tel_uri
from trmgen.sources import cache
from trmgen.sources.model import ALL_FORMS, ALL_ROLES, AdoptionStatus, Side, Sop
from trmgen.web import countries, flowcharts
from trmgen.web.pages import ANCHORS, FILES, PATHS, Download, Nav, Page, plan, relative_url
from trmgen.web.templates import Renderer


@dataclass(frozen=True)
class RenderedPage:
    """A page's source path, title and Markdown text, and the terms the search finds it by."""

    src: str
    title: str
    text: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Site:
    """The generated pages of one language and their navigation."""

    language: str
    title: str
    pages: list[RenderedPage]
    files: dict[str, bytes]
    """Other generated files by source path, such as the full-size charts."""
    nav: Nav
    languages: list[tuple[str, str]]
    """Every language of the guideline with its name in that language, for the switcher."""

    def to_json(self) -> dict[str, Any]:
        """The site as JSON data, to keep in the cache."""
        return {"language": self.language, "title": self.title,
                "pages": [[p.src, p.title, p.text, list(p.keywords)] for p in self.pages],
                "files": {src: base64.b64encode(data).decode() for src, data in
                          self.files.items()},
                "nav": self.nav, "languages": self.languages}

    @classmethod
    def from_json(cls, data: Any) -> Site:
        """A site kept by to_json."""
        return cls(str(data["language"]), str(data["title"]),
                   [RenderedPage(str(src), str(title), str(text), tuple(map(str, keywords)))
                    for src, title, text, keywords in data["pages"]],
                   {str(src): base64.b64decode(text) for src, text in data["files"].items()},
                   data["nav"], [(str(code), str(name)) for code, name in data["languages"]])


def template_values(edition: Edition) -> dict[str, Any]:
    """What every page template and print template receives."""
    return {"guide": edition.guide, "labels": edition.labels, "loc": edition.loc,
            "paths": PATHS, "anchors": ANCHORS, "files": FILES, "language": edition.language,
            "tel": tel_uri, "phone": phone,
            "all_forms": ALL_FORMS, "all_roles": ALL_ROLES, "all_sides": tuple(Side),
            "adoption_statuses": tuple(AdoptionStatus),
            "status": edition.status,
            "countries": countries.names(edition)}


def generate(validated: Validated, language: str | None = None, *, directory_urls: bool = True,
             downloads: list[Download] | None = None, repository: str | None = None,
             keep: bool = True) -> Site:
    """Every page of the site in one language; raise BuildError on any error.

    `downloads` lists the files made by the build; without it there is no downloads page.
    With the address of the repository, every page links to its source and to a form to
    report a problem. The pages are kept in the cache for the next build of the same sources
    (with `keep=False`, as in the preview, kept pages are used but new ones are not kept).
    """
    language = language or validated.guide.guideline.source_language
    key = cache.pages_key(validated.fingerprint, validated.history, language, directory_urls,
                          validated.guide.today.isoformat(),
                          [asdict(d) for d in downloads] if downloads is not None else None,
                          repository)
    kept = cache.read_json("pages", key)
    if kept is not None:
        with contextlib.suppress(KeyError, TypeError, ValueError):  # not what to_json wrote
            return Site.from_json(kept)
    site = _generate(validated.edition(language), directory_urls, downloads, repository)
    if keep:
        cache.write_json("pages", key, site.to_json())
    return site


def _generate(edition: Edition, directory_urls: bool, downloads: list[Download] | None,
              repository: str | None) -> Site:
    layout = edition.layout
    pages, nav = plan(edition.guide, edition.labels, edition.loc,
                      downloads=downloads is not None)
    try:
        charts = _charts(edition, directory_urls)
    except flowcharts.ChartError as exc:
        raise BuildError([Diagnostic(layout.display(layout.style_file), 1, 1, "chart.graphviz",
                                     "", str(exc))]) from None
    renderer = Renderer(layout, [layout.page_templates], directory_urls=directory_urls,
                        translations=edition.translations, language=edition.language)
    rendered = []
    for page in pages:
        values = {**template_values(edition), **page.values, "title": page.title,
                  "charts": charts.get(page.src, []),
                  "downloads": downloads or [], "changes": _changes(edition)}
        text = renderer.render(page.template, page.src, values)
        if repository:
            links = _actions(edition, page, repository)
            text += renderer.render("_actions.md.j2", page.src, {**values, **links})
        rendered.append(RenderedPage(page.src, str(page.title), text,
                                     tuple(map(str, page.keywords))))
    files = countries.files(edition, directory_urls=directory_urls)
    return Site(edition.language, str(edition.guide.guideline.title), rendered, files,
                _plain_nav(nav), edition.languages)


def _changes(edition: Edition) -> list[tuple[Change, str | None]] | None:
    """What changed since the previous edition, each with the title of the measure it
    concerns (a measure, or a country's adoption of it), if any."""
    if edition.validated.changes is None:
        return None
    titles = {m.id: m.title for m in edition.guide.measures}
    measure = {"measure": lambda i: i, "adoption": lambda i: i.partition("/")[2]}
    return [(change, titles.get(measure[change.kind](change.id)) if change.kind in measure
             else None) for change in edition.validated.changes]


def _plain_nav(nav: Nav) -> Nav:
    """The navigation with plain strings as titles (no Fallback marks), as JSON keeps it."""
    return [{str(title): value if isinstance(value, str) else _plain_nav(value)
             for title, value in entry.items()} for entry in nav]


def _actions(edition: Edition, page: Page, repository: str) -> dict[str, str | None]:
    """Where to edit a page's source (the catalog for a translation) and report a problem.
    The report's title names the page by its path: in English letters, so the link stays
    short in every language (a title in Cyrillic takes six bytes a letter in a URL)."""
    source = page.source
    if source and not edition.lang_is_source:
        source = edition.guide.files["translations"] + f"{edition.language}.po"
    edit = None
    if source:
        kind = "tree" if source.endswith("/") else "edit"
        edit = f"{repository.rstrip('/')}/{kind}/main/{source}"
    query = urlencode({"template": "problem.yml",
                       "title": f"[{edition.language}] {page.src.removesuffix('.md')}",
                       "page": f"{edition.language}/{page.src}",
                       "section": page.src.rsplit("/", 1)[-1].removesuffix(".md")})
    return {"edit_url": edit, "report_url": f"{repository.rstrip('/')}/issues/new?{query}"}


def _charts(edition: Edition, directory_urls: bool) -> dict[str, list[tuple[Sop, Markup]]]:
    """Every chart, as the SVG to inline, by the page that shows it, each with its SOP: an
    SOP's page shows its chart, the overview one chart per phase (an SOP)."""
    guide, labels = edition.guide, edition.labels

    def label(sop: Sop) -> str:
        return labels.gettext("Flowchart of SOP %(number)d: %(title)s") % {
            "number": sop.number, "title": sop.title}

    drawn = {}
    for sop in guide.sops:
        src = PATHS.sop(sop.id)
        dot = flowcharts.sop_dot(guide, sop, guide.style, labels, _href(src, directory_urls))
        drawn[src] = [(sop, _draw(dot, label(sop)))]
    href = _href(PATHS.overview, directory_urls)
    drawn[PATHS.overview] = [
        (sop, _draw(flowcharts.overview_dot(guide, guide.overview, sop, guide.style, labels,
                                            href), f"{guide.overview.title}: {label(sop)}"))
        for sop in flowcharts.phases(guide, guide.overview)]
    return drawn


def _href(page_src: str, directory_urls: bool) -> flowcharts.Href:
    def href(measure_id: str) -> str:
        return relative_url(page_src, PATHS.measure(measure_id), directory_urls)

    return href


def _draw(dot: str, label: str) -> Markup:
    return Markup(flowcharts.inline_svg(flowcharts.draw(dot), label))
