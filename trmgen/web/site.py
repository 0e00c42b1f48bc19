"""The pages of one language, without mkdocs: the validated edition -> Markdown pages."""

from __future__ import annotations

import base64
import contextlib
import re
from collections.abc import Collection
from dataclasses import asdict, dataclass, replace
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from trmgen.content.edition import Edition, Validated
from trmgen.content.guide import Guide
from trmgen.content.history import Change
from trmgen.diagnostics import BuildError, Diagnostic
from trmgen.i18n.localizer import phone, tel_uri
from trmgen.sources import cache
from trmgen.sources.model import ALL_FORMS, ALL_ROLES, AdoptionStatus, Side, Sop
from trmgen.web import countries, flowcharts
from trmgen.web.pages import ANCHORS, FILES, PATHS, Download, Nav, Page, address, plan, relative_url
from trmgen.web.templates import Links, Renderer, StandIns, links, made_from, reached


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
    titles: dict[str, str]
    """The title of every page of the site by source path, of pages not in `pages` too."""

    def to_json(self) -> dict[str, Any]:
        """The site as JSON data, to keep in the cache."""
        return {"language": self.language, "title": self.title,
                "pages": [[p.src, p.title, p.text, list(p.keywords)] for p in self.pages],
                "files": {src: base64.b64encode(data).decode() for src, data in
                          self.files.items()},
                "nav": self.nav, "languages": self.languages, "titles": self.titles}

    @classmethod
    def from_json(cls, data: Any) -> Site:
        """A site kept by to_json."""
        return cls(str(data["language"]), str(data["title"]),
                   [RenderedPage(str(src), str(title), str(text), tuple(map(str, keywords)))
                    for src, title, text, keywords in data["pages"]],
                   {str(src): base64.b64decode(text) for src, text in data["files"].items()},
                   data["nav"], [(str(code), str(name)) for code, name in data["languages"]],
                   {str(src): str(title) for src, title in data["titles"].items()})


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
             keep: bool = True, only: Collection[str] | None = None) -> Site:
    """Every page of the site in one language; raise BuildError on any error.

    `directory_urls` says which copy: the site (True) or the offline copy (plain .html links).
    `downloads` lists the files made by the build; without it there is no downloads page.
    With the address of the repository, every page links to its source and to a form to
    report a problem.

    The pages are rendered once for both copies (`_rendered`), with their links and charts
    as stand-ins that each copy fills in; only the pages that show the downloads are
    rendered for each copy. Both the rendered pages (by template) and each copy's are kept
    in the cache for the next build (with `keep=False`, as in the preview, kept pages are
    used but new ones are not kept).

    With `only` (the preview's pages in view, by source path), the site holds those pages
    alone, and no other file; its navigation is the whole site's.
    """
    language = language or validated.guide.guideline.source_language
    whole = only is None
    key = cache.copy_key(validated.fingerprint, validated.history, language,
                         validated.guide.today.isoformat(), repository, directory_urls,
                         [asdict(d) for d in downloads] if downloads is not None else None)
    kept = cache.read_json("pages", key) if whole else None
    if kept is not None:
        with contextlib.suppress(KeyError, TypeError, ValueError):  # not what to_json wrote
            return Site.from_json(kept)
    edition = validated.edition(language)
    pages, nav = plan(edition.guide, edition.labels, edition.loc,
                      downloads=downloads is not None)
    titles = {page.src: str(page.title) for page in pages}
    if only is not None:
        pages = [page for page in pages if page.src in only]
    shared = _rendered(edition, [page for page in pages if not page.downloads], repository,
                       keep and whole)
    site = _copy(edition, shared, pages, nav, directory_urls, downloads, repository,
                 titles, files=whole)
    if keep and whole:
        cache.write_json("pages", key, site.to_json())
    return site


@dataclass(frozen=True)
class _Rendered:
    """The pages of a language rendered once for both copies: their text holds stand-ins."""

    stand_ins: StandIns
    pages: dict[str, RenderedPage]

    def to_json(self) -> dict[str, Any]:
        return {"nonce": self.stand_ins.nonce, "parts": self.stand_ins.parts,
                "pages": [[p.src, p.title, p.text, list(p.keywords)]
                          for p in self.pages.values()]}

    @classmethod
    def from_json(cls, data: Any) -> _Rendered:
        nonce = str(data["nonce"])
        if not re.fullmatch(r"[0-9]{16}", nonce):
            raise ValueError("not a stand-in's number")
        parts = [(str(kind), str(target), str(anchor))
                 for kind, target, anchor in data["parts"]]
        return cls(StandIns(nonce, parts),
                   {str(src): RenderedPage(str(src), str(title), str(text),
                                           tuple(map(str, keywords)))
                    for src, title, text, keywords in data["pages"]})


def _rendered(edition: Edition, pages: list[Page],
              repository: str | None, keep: bool) -> dict[str, tuple[RenderedPage, StandIns]]:
    """`pages` rendered with stand-ins for their links and charts, each with its stand-ins.

    The pages of each template are kept together, by the hash of what they are made from:
    every input but the templates they do not use. An edit of one page template renders
    again only its pages.
    """
    validated, layout = edition.validated, edition.layout
    by_template: dict[str, list[Page]] = {}
    for page in pages:
        by_template.setdefault(page.template, []).append(page)
    found = {}
    for template, shown in by_template.items():
        used = reached([layout.page_templates],
                       [template, *(["_actions.md.j2"] if repository else [])])
        key = cache.pages_key(made_from(validated, layout.templates, used), template,
                              validated.history, edition.language,
                              validated.guide.today.isoformat(), repository)
        group = _kept(key, shown)
        if group is None:
            group = _render_all(edition, shown, repository)
            if keep:
                cache.write_json("rendered", key, group.to_json())
        found.update({src: (page, group.stand_ins) for src, page in group.pages.items()})
    return found


def _kept(key: str, pages: list[Page]) -> _Rendered | None:
    """The pages of one template as kept, if all of them are."""
    kept = cache.read_json("rendered", key)
    if kept is not None:
        with contextlib.suppress(KeyError, TypeError, ValueError):  # not what to_json wrote
            rendered = _Rendered.from_json(kept)
            if set(rendered.pages) == {page.src for page in pages}:
                return rendered
    return None


def _render_all(edition: Edition, pages: list[Page], repository: str | None) -> _Rendered:
    stand_ins = StandIns()
    renderer = _renderer(edition, stand_ins.link)
    charts = {src: [(sop, Markup(stand_ins.put("chart", src, sop.id))) for sop in sops]
              for src, sops in _charted(edition.guide).items()}
    return _Rendered(stand_ins, {page.src: _render(edition, renderer, page, charts, repository,
                                                   {}) for page in pages})


def _copy(edition: Edition, rendered: dict[str, tuple[RenderedPage, StandIns]],
          pages: list[Page], nav: Nav,
          directory_urls: bool, downloads: list[Download] | None,
          repository: str | None, titles: dict[str, str], *, files: bool = True) -> Site:
    """The pages of one copy: the rendered pages with its links and charts, and the pages
    that show its downloads; with `files`, the other files the pages load."""
    try:
        charts = _charts(edition, directory_urls, {page.src for page in pages})
    except flowcharts.ChartError as exc:
        layout = edition.layout
        raise BuildError([Diagnostic(layout.display(layout.style_file), 1, 1, "chart.graphviz",
                                     "", str(exc))]) from None
    renderer = _renderer(edition, links(directory_urls))
    drawn = {(src, sop.id): svg for src, shown in charts.items() for sop, svg in shown}
    site_pages = []
    for page in pages:
        if page.downloads:
            site_pages.append(_render(edition, renderer, page, charts, repository,
                                      {"downloads": downloads or []}))
            continue
        shared, stand_ins = rendered[page.src]

        def value(kind: str, target: str, anchor: str, src: str = page.src) -> str:
            if kind == "chart":
                return drawn[target, anchor]
            return address(src, directory_urls, kind, target, anchor)

        text = stand_ins.fill(shared.text, value)
        if stand_ins.nonce in text:  # a filter changed a stand-in after it was written
            layout = edition.layout
            raise BuildError([Diagnostic(
                layout.display(layout.page_templates / page.template), 1, 1, "template.error",
                "", "a link or chart of this template was changed by a filter after it was "
                "written; write href(), outside(), root() and charts into the page as they "
                "are")])
        site_pages.append(replace(shared, text=text))
    return Site(edition.language, str(edition.guide.guideline.title), site_pages,
                countries.files(edition, directory_urls=directory_urls) if files else {},
                _plain_nav(nav), edition.languages, titles)


def _renderer(edition: Edition, page_links: Links) -> Renderer:
    layout = edition.layout
    return Renderer(layout, [layout.page_templates], links=page_links,
                    translations=edition.translations, language=edition.language)


def _render(edition: Edition, renderer: Renderer, page: Page, charts: dict[str, Any],
            repository: str | None, more: dict[str, Any]) -> RenderedPage:
    """One page: its template with the values every page receives, and `more`."""
    values = {**template_values(edition), **page.values, "title": page.title,
              "charts": charts.get(page.src, []), "changes": _changes(edition), **more}
    text = renderer.render(page.template, page.src, values)
    if repository:
        actions = _actions(edition, page, repository)
        text += renderer.render("_actions.md.j2", page.src, {**values, **actions})
    return RenderedPage(page.src, str(page.title), text, tuple(map(str, page.keywords)))


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


def _charted(guide: Guide) -> dict[str, list[Sop]]:
    """The pages that show charts, each with the SOPs of its charts: an SOP's page shows its
    chart, the overview one chart per phase (an SOP)."""
    return {**{PATHS.sop(sop.id): [sop] for sop in guide.sops},
            PATHS.overview: flowcharts.phases(guide, guide.overview)}


def _charts(edition: Edition, directory_urls: bool,
            shown: set[str]) -> dict[str, list[tuple[Sop, Markup]]]:
    """The charts of the pages `shown`, as the SVG to inline, by the page that shows them
    (`_charted`), with their links to the measures' pages for one copy of the site."""
    guide, labels = edition.guide, edition.labels

    def label(sop: Sop) -> str:
        return labels.gettext("Flowchart of SOP %(number)d: %(title)s") % {
            "number": sop.number, "title": sop.title}

    drawn = {}
    for src, sops in _charted(guide).items():
        if src not in shown:
            continue
        href = _href(src, directory_urls)
        if src == PATHS.overview:
            drawn[src] = [(sop, _draw(flowcharts.overview_dot(
                guide, guide.overview, sop, guide.style, labels, href),
                f"{guide.overview.title}: {label(sop)}")) for sop in sops]
        else:
            drawn[src] = [(sop, _draw(flowcharts.sop_dot(guide, sop, guide.style, labels, href),
                                      label(sop))) for sop in sops]
    return drawn


def _href(page_src: str, directory_urls: bool) -> flowcharts.Href:
    def href(measure_id: str) -> str:
        return relative_url(page_src, PATHS.measure(measure_id), directory_urls)

    return href


def _draw(dot: str, label: str) -> Markup:
    return Markup(flowcharts.inline_svg(flowcharts.draw(dot), label))
