"""Which pages the site has, where they live, and what each page's template receives.

Page paths come from stable ids, so a page keeps its URL when measures are renumbered or moved.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from typing import Any

from trmgen.content.guide import Guide
from trmgen.i18n.labels import Labels
from trmgen.i18n.localizer import Localizer
from trmgen.sources.model import ALL_FORMS

Nav = list[dict[str, Any]]
"""The mkdocs `nav`: a list of {title: page} and {section: [...]} entries."""


@dataclass(frozen=True)
class Page:
    """A generated page: its source path, title, template and the values it shows."""

    src: str
    title: str
    template: str
    values: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    """The file or folder of the repository that the page is made from."""
    keywords: list[str] = field(default_factory=list)
    """Terms the search finds the page by, beyond its words (a measure's keywords)."""
    downloads: bool = False
    """The page shows the files the build made (its template receives `downloads`): it is
    rendered for each copy of the site, where every other page is rendered once for both
    (web.site)."""


class Paths:
    """Where every page lives (source paths; mkdocs makes them URLs, see `destination`).
    The one place that knows them: Python and the templates (as `paths`) both use it."""

    home = "index.md"
    case = "case/index.md"
    overview = "overview/index.md"
    actors = "actors/index.md"
    contacts = "contacts/index.md"
    children = "children.md"
    forms = "exploitation/index.md"
    legal = "legal.md"
    adoption = "adoption.md"
    status = "status.md"
    changes = "changes.md"
    referral_form = "referral-form.md"
    downloads = "downloads.md"
    open_data = "open-data.md"

    @staticmethod
    def sop(sop_id: str) -> str:
        return f"sops/{sop_id}/index.md"

    @staticmethod
    def measure(measure_id: str) -> str:
        return f"measures/{measure_id}.md"

    @staticmethod
    def actor(actor_id: str) -> str:
        return f"actors/{actor_id}.md"

    @staticmethod
    def country(code: str) -> str:
        return f"contacts/{code.lower()}.md"

    @staticmethod
    def form(form: str) -> str:
        return f"exploitation/{form}.md"

    first_hour = "first-hour.md"

    @staticmethod
    def country_data(code: str) -> str:
        """A country's institutions as data for the browser (web.countries)."""
        return f"case/countries/{code.lower()}.js"

    country_list = "case/countries/index.js"
    """Every country's code and name, for the choice of countries (web.countries)."""


class Anchors:
    """The ids that links point to inside pages (the site's and the book's), as `anchors`
    in the templates."""

    general_indicators = "general-indicators"
    """On the forms of exploitation page."""
    child_indicators = "child-indicators"
    """On the children page."""
    actor_contacts = "contacts"
    """On an actor's page: its contacts by country."""
    contacts = "contacts"
    """In the book: the contacts annex."""
    law = "law"
    """In the book: the legal instruments annex."""
    children = "children"
    """In the book: the chapter on children."""
    actors = "actors"
    """In the book: the chapter on who does what."""
    forms = "exploitation"
    """In the book: the chapter on the forms of exploitation."""
    introduction = "introduction"
    overview = "overview"
    adoption = "adoption"
    """On a country's and a measure's page, and in the book: how countries adopted it."""

    @staticmethod
    def instrument(instrument_id: str) -> str:
        """On the legal instruments page."""
        return instrument_id

    @staticmethod
    def institution(institution_id: str) -> str:
        """On a country's page."""
        return institution_id

    @staticmethod
    def adoption_of(measure_id: str) -> str:
        """On a country's page: how the country has taken up a measure."""
        return f"adoption-{measure_id}"

    @staticmethod
    def act(act_id: str) -> str:
        """On a country's page: a national act."""
        return f"act-{act_id}"

    @staticmethod
    def sop(sop_id: str) -> str:
        """A section per SOP, on the pages that go SOP by SOP."""
        return f"sop-{sop_id}"

    @staticmethod
    def sop_section(sop_id: str) -> str:
        """A section per SOP on the children and exploitation pages."""
        return sop_id

    @staticmethod
    def lane(role: str) -> str:
        """On the overview page: the steps in one country role."""
        return f"lane-{role}"

    @staticmethod
    def printed_measure(measure_id: str) -> str:
        """In the book: a measure."""
        return f"m-{measure_id}"

    @staticmethod
    def printed_country(code: str) -> str:
        """In the book and the contact sheets: a country's contacts."""
        return f"country-{code}"

    @staticmethod
    def chart(name: str) -> str:
        """In the book: the box a chart is laid onto (print.pdf finds it by this id)."""
        return f"chart-{name}"


PATHS = Paths()
ANCHORS = Anchors()

DOWNLOADS_FOLDER = "downloads"
"""Where the files to download go, beside the language folders of the site."""


class Files:
    """The names of the files to download, from the site's root."""

    @staticmethod
    def book(language: str) -> str:
        return f"{DOWNLOADS_FOLDER}/trm-guidelines-{language}.pdf"

    @staticmethod
    def contact_sheets(language: str) -> str:
        return f"{DOWNLOADS_FOLDER}/trm-contacts-{language}.pdf"

    @staticmethod
    def form(language: str) -> str:
        return f"{DOWNLOADS_FOLDER}/trm-referral-form-{language}.pdf"

    @staticmethod
    def contact_sheet(language: str, code: str) -> str:
        return f"{DOWNLOADS_FOLDER}/contacts/{language}/{code.lower()}.html"

    @staticmethod
    def data(language: str) -> str:
        return f"{DOWNLOADS_FOLDER}/trm-guidelines-{language}.json"

    schema = f"{DOWNLOADS_FOLDER}/trm-guidelines.schema.json"
    contacts_csv = f"{DOWNLOADS_FOLDER}/trm-contacts.csv"
    contacts_hsds = f"{DOWNLOADS_FOLDER}/trm-contacts-hsds.json"
    adoption_csv = f"{DOWNLOADS_FOLDER}/trm-adoption.csv"

    @staticmethod
    def vcards(code: str, institution_id: str | None = None) -> str:
        folder = f"{DOWNLOADS_FOLDER}/vcards/{code.lower()}"
        return f"{folder}/{institution_id}.vcf" if institution_id else f"{folder}.vcf"

    @staticmethod
    def offline(name: str) -> str:
        """An offline copy: name is a language, or 'all'."""
        return f"{DOWNLOADS_FOLDER}/trm-guidelines-{name}-offline.zip"


FILES = Files()


@dataclass(frozen=True)
class Download:
    """A file to download: where it is (from the site's root), what, in which language."""

    path: str
    kind: str
    """book, offline, contacts, sheet, form or data."""
    language: str | None
    """None for a file with every language."""
    size: int
    date: dt.date


def destination(src: str, directory_urls: bool) -> str:
    """Where mkdocs writes the page of a source path (its URL rules, for our links)."""
    stem = src.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


def relative_url(from_src: str, to_src: str, directory_urls: bool, anchor: str = "") -> str:
    """The link from one page to another, relative, so that it also works from file://."""
    here = posixpath.dirname(destination(from_src, directory_urls))
    url = relative_path(destination(to_src, directory_urls), here)
    if directory_urls and (url == "index.html" or url.endswith("/index.html")):
        url = url.removesuffix("index.html") or "./"
    return url + (f"#{anchor}" if anchor else "")


def address(src: str, directory_urls: bool, kind: str, target: str = "",
            anchor: str = "") -> str:
    """What a link on the page at `src` says, relative, so that it also works from file://:
    to a page of the site (`kind` "page": `target` is its source path, with an anchor), to a
    file beside the language folders ("outside": `target` as downloads/guide.pdf), or to the
    language's folder ("root": "" on the home page)."""
    if kind == "page":
        return relative_url(src, target, directory_urls, anchor)
    here = posixpath.dirname(destination(src, directory_urls))
    if kind == "outside":
        return relative_path(posixpath.join("..", target), here)
    if kind == "root":
        return "".join("../" for part in here.split("/") if part)
    raise ValueError(f"no link of kind {kind!r}")


def relative_path(path: str, start: str) -> str:
    """posixpath.relpath for two paths relative to the same folder, without asking the
    file system for the current folder (a page has hundreds of links)."""
    to, here = path.split("/"), start.split("/") if start else []
    common = 0
    while common < min(len(to), len(here)) and to[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


NAV_GROUP = 25
"""At most this many measures stand together in the navigation; a longer SOP is split into
groups of them. The theme shows only the open group, so the navigation of every page stays
short, and the build linear, however many measures there are."""


def plan(guide: Guide, labels: Labels, loc: Localizer, *,
         downloads: bool = False) -> tuple[list[Page], Nav]:
    """Every page of the site in one language, and the navigation that reaches them all.

    The downloads page exists when the build made files to download.
    """
    _ = labels.gettext
    pages = [Page(PATHS.home, guide.guideline.title, "home.md.j2", source=guide.files["guideline"]),
             Page(PATHS.case, _("Two countries, one case"), "case.md.j2",
                  source=guide.files["sops"]),

             Page(PATHS.overview, guide.overview.title, "overview.md.j2",
                  source=guide.files["overview"])]
    pages.append(Page(PATHS.changes, _("What changed in this edition"), "changes.md.j2",
                      source=guide.files["guideline"]))
    nav: Nav = [{_("Home"): PATHS.home}, {_("Two countries, one case"): PATHS.case},
                {guide.overview.title: PATHS.overview},
                {_("What changed in this edition"): PATHS.changes}]
    for sop in guide.sops:
        made_from = guide.files[f"sop/{sop.id}"]
        views = [guide.view(m) for m in sop.measures]
        section = [Page(PATHS.sop(sop.id), sop.title, "sop.md.j2", {"sop": sop, "views": views},
                        source=made_from)]
        measures = [Page(PATHS.measure(v.measure.id), v.measure.title, "measure.md.j2",
                         {"view": v}, source=made_from, keywords=list(v.measure.keywords))
                    for v in views]
        pages += [*section, *measures]
        entries: Nav = [{p.title: p.src} for p in measures]
        if len(entries) > NAV_GROUP:
            entries = [{_("Measures %(first)d–%(last)d") % {
                "first": start + 1, "last": min(start + NAV_GROUP, len(entries))}:
                entries[start:start + NAV_GROUP]} for start in range(0, len(entries), NAV_GROUP)]
        nav.append({f"{sop.number}. {sop.title}": [{section[0].title: section[0].src},
                                                   *entries]})

    def group(title: str, index: Page, members: list[Page]) -> None:
        pages.extend([index, *members])
        nav.append({title: [{index.title: index.src}, *({p.title: p.src} for p in members)]})

    actors, contacts = guide.files["actors"], guide.files["contacts"]
    group(_("Who does what"), Page(PATHS.actors, _("Actors"), "actors.md.j2", source=actors),
          [Page(PATHS.actor(a.id), a.name, "actor.md.j2",
                {"actor": a, "tasks": guide.tasks(a), "serving": guide.serving(a)},
                source=actors) for a in guide.actors])
    group(_("Contacts"), Page(PATHS.contacts, _("Contacts by country"), "contacts.md.j2",
                              source=contacts),
          [Page(PATHS.first_hour, _("The first hour"), "first-hour.md.j2",
                source=guide.files["sops"]),
           *(Page(PATHS.country(c.code), loc.country(c.code), "country.md.j2",
                {"country": c, "contacts": guide.contacts(c)}, source=c.source)
             for c in guide.countries)])
    sops = guide.files["sops"]
    pages.append(Page(PATHS.children, _("Children"), "children.md.j2", source=sops))
    nav.append({_("Children"): PATHS.children})
    group(_("Forms of exploitation"), Page(PATHS.forms, _("Forms of exploitation"), "forms.md.j2",
                                           source=sops),
          [Page(PATHS.form(f.value), labels.form(f), "form.md.j2", {"form": f}, source=sops)
           for f in ALL_FORMS])
    pages.append(Page(PATHS.legal, _("Legal instruments"), "legal.md.j2",
                      source=guide.files["instruments"]))
    nav.append({_("Legal instruments"): PATHS.legal})
    pages.append(Page(PATHS.adoption, _("Adoption by country"), "adoption.md.j2",
                      source=guide.files["contacts"]))
    nav.append({_("Adoption by country"): PATHS.adoption})
    pages.append(Page(PATHS.referral_form, guide.form.title, "referral-form.md.j2",
                      source=guide.files["form"], downloads=True))
    nav.append({guide.form.title: PATHS.referral_form})
    if downloads:
        pages += [Page(PATHS.downloads, _("Downloads"), "downloads.md.j2", downloads=True),
                  Page(PATHS.open_data, _("Open data"), "open-data.md.j2", downloads=True)]
        nav += [{_("Downloads"): PATHS.downloads}, {_("Open data"): PATHS.open_data}]
    if len(guide.guideline.languages) > 1:
        pages.append(Page(PATHS.status, _("Translation status"), "status.md.j2",
                          source=guide.files["translations"]))
        nav.append({_("Translation status"): PATHS.status})
    return pages, nav
