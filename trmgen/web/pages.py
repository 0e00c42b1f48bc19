"""Which pages the site has, where they live, and what each page's template receives.

Page paths come from stable ids, so a page keeps its URL when measures are renumbered or moved.
"""

from __future__ import annotations

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


def sop_page(sop_id: str) -> str:
    return f"sops/{sop_id}/index.md"


def measure_page(measure_id: str) -> str:
    return f"measures/{measure_id}.md"


def actor_page(actor_id: str) -> str:
    return f"actors/{actor_id}.md"


def country_page(code: str) -> str:
    return f"contacts/{code.lower()}.md"


def form_page(form: str) -> str:
    return f"exploitation/{form}.md"


HOME = "index.md"
OVERVIEW = "overview/index.md"
ACTORS = "actors/index.md"
CONTACTS = "contacts/index.md"
CHILDREN = "children.md"
FORMS = "exploitation/index.md"
LEGAL = "legal.md"
STATUS = "status.md"
CHANGES = "changes.md"
FORM = "referral-form.md"
DOWNLOADS = "downloads.md"

NAV_GROUP = 25
"""At most this many measures stand together in the navigation; a longer SOP is split into
groups of them. The theme shows only the open group, so the navigation of every page stays
short, and the build linear, however many measures there are."""

PATHS = {
    "sop": sop_page, "measure": measure_page, "actor": actor_page, "country": country_page,
    "form": form_page, "overview": lambda: OVERVIEW,
}
"""Path builders by page kind, for templates: paths.measure(id)."""


def plan(guide: Guide, labels: Labels, loc: Localizer, *,
         downloads: bool = False) -> tuple[list[Page], Nav]:
    """Every page of the site in one language, and the navigation that reaches them all.

    The downloads page exists when the build made files to download.
    """
    _ = labels.gettext
    pages = [Page(HOME, guide.guideline.title, "home.md.j2", source=guide.files["guideline"]),
             Page(OVERVIEW, guide.overview.title, "overview.md.j2",
                  source=guide.files["overview"])]
    pages.append(Page(CHANGES, _("What changed in this edition"), "changes.md.j2",
                      source=guide.files["guideline"]))
    nav: Nav = [{_("Home"): HOME}, {guide.overview.title: OVERVIEW},
                {_("What changed in this edition"): CHANGES}]
    for sop in guide.sops:
        made_from = guide.files[f"sop/{sop.id}"]
        section = [Page(sop_page(sop.id), sop.title, "sop.md.j2", {"sop": sop},
                        source=made_from)]
        measures = [Page(measure_page(m.id), m.title, "measure.md.j2",
                         {"sop": sop, "measure": m}, source=made_from) for m in sop.measures]
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
    group(_("Who does what"), Page(ACTORS, _("Actors"), "actors.md.j2", source=actors),
          [Page(actor_page(a.id), a.name, "actor.md.j2", {"actor": a}, source=actors)
           for a in guide.actors])
    group(_("Contacts"), Page(CONTACTS, _("Contacts by country"), "contacts.md.j2",
                              source=contacts),
          [Page(country_page(c.code), loc.country(c.code), "country.md.j2", {"country": c},
                source=c.source)
           for c in guide.countries])
    sops = guide.files["sops"]
    pages.append(Page(CHILDREN, _("Children"), "children.md.j2", source=sops))
    nav.append({_("Children"): CHILDREN})
    group(_("Forms of exploitation"), Page(FORMS, _("Forms of exploitation"), "forms.md.j2",
                                           source=sops),
          [Page(form_page(f.value), labels.form(f), "form.md.j2", {"form": f}, source=sops)
           for f in ALL_FORMS])
    pages.append(Page(LEGAL, _("Legal instruments"), "legal.md.j2",
                      source=guide.files["instruments"]))
    nav.append({_("Legal instruments"): LEGAL})
    pages.append(Page(FORM, guide.form.title, "referral-form.md.j2",
                      source=guide.files["form"]))
    nav.append({guide.form.title: FORM})
    if downloads:
        pages.append(Page(DOWNLOADS, _("Downloads"), "downloads.md.j2"))
        nav.append({_("Downloads"): DOWNLOADS})
    if len(guide.guideline.languages) > 1:
        pages.append(Page(STATUS, _("Translation status"), "status.md.j2",
                          source=guide.files["translations"]))
        nav.append({_("Translation status"): STATUS})
    return pages, nav
