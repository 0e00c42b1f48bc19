"""What the browser needs to show a chosen country's institutions beside each actor: one
small script of data per country and language, read only when a reader chooses that country.

The cost grows with the number of countries, not with the number of pairs: the case view
and the measure pages put any two countries' data together in the browser. The data is
JSON (texts, numbers and relative links that trmgen made, never HTML); the site's script
writes it into the page as text.
"""

from __future__ import annotations

import json
from typing import Any

import lxml.html
from babel.core import get_global

from trmgen.content.edition import Edition
from trmgen.content.guide import Country
from trmgen.i18n.localizer import phone, tel_uri
from trmgen.sources.model import AdoptionStatus, Channel
from trmgen.web.pages import ANCHORS, PATHS, relative_url
from trmgen.web.templates import to_html

CALLBACK = "trmgenCountry"
"""The function of the site's script that each data file calls with its data."""


LIST_CALLBACK = "trmgenCountries"
"""The function of the site's script that the list of countries calls."""


def names(edition: Edition) -> list[tuple[str, str]]:
    """Every country's code and name in the edition's language, in the order of the names."""
    return sorted(((c.code, edition.loc.country(c.code)) for c in edition.guide.countries),
                  key=lambda pair: pair[1])


def files(edition: Edition, *, directory_urls: bool) -> dict[str, bytes]:
    """The list of countries with the texts of the choice, and the data file of each
    country, by source path in the site."""
    listed = json.dumps({"countries": names(edition), "texts": choice_texts(edition),
                         "zones": zones(edition)},
                        ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return {PATHS.country_list: f"{LIST_CALLBACK}({listed});\n".encode(),
            **{PATHS.country_data(c.code): script(edition, c, directory_urls=directory_urls)
               for c in edition.guide.countries}}


def zones(edition: Edition) -> dict[str, str]:
    """The time zones of the edition's countries, each with its country's code, as CLDR
    (through Babel) assigns them, old names included (a browser may still give Europe/Kiev).

    When this browser holds no choice, the site's script takes the country a reader works
    in from the device's time zone, says that it guessed, and keeps the guess only once the
    reader has made a choice. A zone that CLDR gives no single country guesses nothing."""
    codes = {c.code for c in edition.guide.countries}
    found = {zone: code for zone, code in get_global("zone_territories").items()
             if code in codes}
    found.update({old: found[new] for old, new in get_global("zone_aliases").items()
                  if new in found})
    return dict(sorted(found.items()))


def choice_texts(edition: Edition) -> dict[str, Any]:
    """What the choice of countries says, in the edition's language."""
    _ = edition.labels.gettext
    return {
        "group": _("Choose the countries of a case"), "here": _("I work in"),
        "from": _("The person comes from"), "relation": _("That country is"),
        "origin": _("the country of origin"), "transit": _("a transit country"),
        "choose": _("Choose a country"), "open": _("Open the view of both countries"),
        "note": _("Your choice stays in this browser: it is not case data and is never sent "
                  "anywhere."),
        "guessed": _("Guessed from this device's time zone: check it, and choose another "
                     "country if you work elsewhere."),
        "none": _("No institution listed"),
        "languages": _("Languages spoken: %(languages)s") % {"languages": "%(languages)s"},
        "statuses": {status.value: edition.labels.adoption(status) for status in AdoptionStatus},
        "national": _("In %(country)s") % {"country": "%(country)s"},
        "sample": _("sample data, not facts"),
        "sampleShort": _("sample"),
        "replaces": _("In place of step %(number)s:"),
        "added": _("Added after the steps:"),
        "lead": _("Led by %(name)s") % {"name": "%(name)s"},
        "adoption": _("Adoption"),
        "straight": _("Or straight to one SOP:"),
        "sops": [[ANCHORS.sop(sop.id), sop.title] for sop in edition.guide.sops],
    }


def script(edition: Edition, country: Country, *, directory_urls: bool) -> bytes:
    """The data file of one country in one language."""
    data = json.dumps(country_data(edition, country, directory_urls=directory_urls),
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"{CALLBACK}({data});\n".encode()


def country_data(edition: Edition, country: Country, *, directory_urls: bool) -> dict[str, Any]:
    """A country's institutions, and for each actor the institutions and numbers to use."""
    guide, loc, _ = edition.guide, edition.loc, edition.labels.gettext
    contacts = country.contacts
    sample = contacts.sample_data
    page = PATHS.country(country.code)
    institutions = []
    for inst in contacts.institutions:
        phones = [{"number": phone(line.number), "tel": None if sample else tel_uri(line.number),
                   "label": line.label or "",
                   "open": _("24/7") if line.always_open else (
                       loc.hours(line.hours) if line.hours else ""),
                   "always": line.always_open} for line in inst.phones]
        institutions.append({
            "name": inst.name, "unit": inst.unit or "", "phones": phones,
            "emails": list(inst.emails),
            "link": relative_url(PATHS.home, page, directory_urls,
                                 ANCHORS.institution(inst.id)),
            "languages": loc.language_names(inst.languages) if inst.languages else ""})
    position = {inst.id: n for n, inst in enumerate(contacts.institutions)}
    numbers = {inst.id: {id(line): k for k, line in enumerate(inst.phones)}
               for inst in contacts.institutions}
    actors = {}
    for actor in guide.actors:
        found = guide.reach(country, actor.id)
        if found:
            actors[actor.id] = [[position[r.institution.id],
                                 [numbers[r.institution.id][id(line)] for line in r.phones]]
                                for r in found]
    spoken = sorted({code for inst in contacts.institutions for code in inst.languages})
    adoption = {}
    for measure in guide.measures:
        taken = guide.adoption(country, measure)
        entry: dict[str, Any] = {"status": taken.status.value}
        if taken.entry and taken.entry.note:
            entry["note"] = _text(taken.entry.note)
        if taken.entry and taken.entry.steps:
            entry["steps"] = [[step.replaces or 0, _text(step.text)]
                              for step in taken.entry.steps]
        if taken.lead:
            entry["lead"] = taken.lead.name
        adoption[measure.id] = entry
    focal = [a.id for a in guide.actors if Channel.FOCAL_POINTS in a.receives]
    focal_points = [position[r.institution.id] for actor in focal
                    for r in guide.reach(country, actor)]
    return {
        "code": country.code, "name": loc.country(country.code), "sample": sample,
        "roles": list(contacts.roles),
        "page": relative_url(PATHS.home, page, directory_urls),
        "nrm": {"name": contacts.nrm.name, "basis": _text(contacts.nrm.legal_basis or "")},
        "languages": {code: loc.language_name(code) for code in spoken},
        "institutions": institutions, "actors": actors,
        "focal": focal_points[0] if focal_points else None,
        "adoption": adoption,
    }


def _text(markdown: str) -> str:
    """Markdown as the plain text a reader sees."""
    if not markdown.strip():
        return ""
    return " ".join(lxml.html.fromstring(str(to_html(markdown))).text_content().split())
