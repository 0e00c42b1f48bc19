"""Open data: the guidelines as JSON, the contacts as CSV, vCards and Open Referral HSDS.

So that other systems can use the guidelines and service directories can import the
contacts, without scraping the site.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from typing import Any

from pydantic import BaseModel

from trmgen.checks import adoption
from trmgen.content.guide import Country, Guide
from trmgen.i18n.localizer import Localizer, phone
from trmgen.sources.model import (
    Actor,
    CountryContacts,
    Guideline,
    Institution,
    Instrument,
    Overview,
    ReferralForm,
    Sop,
)
from trmgen.sources.safe_text import spreadsheet_cell

NAMESPACE = uuid.UUID("6c1d3f0e-51b2-4f45-9a53-7f4f2b1e0a10")
"""HSDS wants UUIDs: ours are derived from the stable ids, so they never change."""

HSDS_STATUS = {"active": "active", "temporarily-closed": "temporarily closed",
               "inactive": "inactive"}


class GuidelinesExport(BaseModel):
    """The whole guidelines in one language, as published (trm-guidelines-LL.json)."""

    language: str
    """The language of the texts (ISO 639-1)."""
    guideline: Guideline
    actors: list[Actor]
    instruments: list[Instrument]
    sops: list[Sop]
    contacts: dict[str, CountryContacts]
    """The contacts by ISO 3166-1 country code."""
    overview: Overview
    referral_form: ReferralForm


def guidelines_json(guide: Guide, language: str) -> str:
    """The guidelines as JSON (texts in the language, English where not translated)."""
    export = GuidelinesExport(
        language=language, guideline=guide.guideline, actors=list(guide.actors),
        instruments=list(guide.instruments), sops=list(guide.sops),
        contacts={c.code: c.contacts for c in guide.countries}, overview=guide.overview,
        referral_form=guide.form)
    return export.model_dump_json(indent=1, by_alias=True) + "\n"


def guidelines_schema() -> str:
    """The JSON Schema of the JSON export."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              **GuidelinesExport.model_json_schema()}
    return json.dumps(schema, indent=1, ensure_ascii=False) + "\n"


def contacts_csv(guide: Guide) -> str:
    """Every institution of every country, one row each (RFC 4180)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["country", "id", "name", "serves_as", "unit", "phones", "always_open",
                     "emails", "website", "address", "languages", "status", "last_verified",
                     "verified_by", "sample_data"])
    for country in guide.countries:
        for inst in country.contacts.institutions:
            writer.writerow([spreadsheet_cell(value) for value in [
                country.code, inst.id, inst.name, ";".join(inst.serves_as), inst.unit or "",
                ";".join(phone(p.number) for p in inst.phones),
                ";".join(phone(p.number) for p in inst.phones if p.always_open),
                ";".join(inst.emails), inst.website or "", inst.address or "",
                ";".join(inst.languages), inst.status.value,
                inst.last_verified.isoformat() if inst.last_verified else "",
                inst.verified_by or "", "yes" if country.contacts.sample_data else "no"]])
    return out.getvalue()


def _vcard_text(value: str) -> str:
    """A text value of a vCard (RFC 6350, 3.4): backslashes, ';', ',' and line breaks
    escaped, so that no value can end its line and start a property of its own."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n"))


def _vcard_uri(value: str) -> str:
    """A URI value of a vCard: validation refuses spaces and control characters in
    addresses; should one get here, it is a bug, and no card is written with it."""
    if any(not char.isprintable() or char.isspace() for char in value):
        raise ValueError(f"an address with a space or a control character: {value!r}")
    return value


def vcard(guide: Guide, country: Country, inst: Institution, loc: Localizer) -> str:
    """One institution as a vCard 4.0, for a phone's address book."""
    roles = ", ".join(guide.actor(a).name for a in inst.serves_as)
    note = f"{roles}. {loc.country(country.code)}."
    if inst.last_verified:
        note += f" Last verified {inst.last_verified.isoformat()} by {inst.verified_by}."
    if country.contacts.sample_data:
        note = "SAMPLE DATA, not a real contact; the numbers reach nobody. " + note
    lines = ["BEGIN:VCARD", "VERSION:4.0", "KIND:org", f"FN:{_vcard_text(inst.name)}",
             f"ORG:{_vcard_text(inst.name)}{';' + _vcard_text(inst.unit) if inst.unit else ''}",
             f"UID:urn:uuid:{uuid.uuid5(NAMESPACE, inst.id)}"]
    lines += [f"TEL;VALUE=uri;TYPE=work,voice:"
              f"{_vcard_uri('tel:' + phone(line.number).replace(' ', '-'))}"
              for line in inst.phones]
    lines += [f"EMAIL;TYPE=work:{_vcard_text(email)}" for email in inst.emails]
    if inst.website:
        lines.append(f"URL:{_vcard_uri(inst.website)}")
    if inst.address:
        lines.append(f"ADR;TYPE=work:;;{_vcard_text(inst.address)};;;;"
                     f"{_vcard_text(loc.country(country.code))}")
    lines += [f"LANG:{_vcard_text(code)}" for code in inst.languages]
    lines += [f"NOTE:{_vcard_text(note)}", "END:VCARD"]
    return "\r\n".join(lines) + "\r\n"


def hsds(guide: Guide, loc: Localizer) -> str:
    """The contacts in the Open Referral Human Services Data Specification (HSDS) as JSON:
    each institution an organization with one service, its phones and languages."""
    organizations: list[dict[str, Any]] = []
    services: list[dict[str, Any]] = []
    for country in guide.countries:
        for inst in country.contacts.institutions:
            org_id = str(uuid.uuid5(NAMESPACE, inst.id))
            roles = ", ".join(guide.actor(a).name for a in inst.serves_as)
            phones = [{"id": str(uuid.uuid5(NAMESPACE, f"{inst.id}/phone/{i}")),
                       "number": phone(p.number), "type": "voice",
                       "description": p.label or ""} for i, p in enumerate(inst.phones)]
            organizations.append({
                "id": org_id, "name": inst.name,
                "description": f"{roles} ({loc.country(country.code)})",
                "email": inst.emails[0] if inst.emails else "",
                "website": inst.website or "", "phones": phones})
            verified = {"last_modified": inst.last_verified.isoformat()} \
                if inst.last_verified else {}
            services.append({
                "id": str(uuid.uuid5(NAMESPACE, f"{inst.id}/service")),
                "organization_id": org_id,
                "name": f"{roles}: {inst.name}",
                "description": inst.unit or roles,
                "status": HSDS_STATUS[inst.status.value],
                "email": inst.emails[0] if inst.emails else "",
                "url": inst.website or "", "phones": phones,
                "languages": [{"id": str(uuid.uuid5(NAMESPACE, f"{inst.id}/language/{c}")),
                               "name": loc.language_name(c), "code": c}
                              for c in inst.languages],
                **verified})
    return json.dumps({"organizations": organizations, "services": services}, indent=1,
                      ensure_ascii=False) + "\n"


def adoption_csv(guide: Guide) -> str:
    """Every measure in every country with its status of adoption, as `trmgen adoption
    --status ... --format csv` lists them (RFC 4180)."""
    rows = adoption.rows({c.code: c.contacts for c in guide.countries}, list(guide.sops),
                         guide.today)
    return adoption.report(rows, "csv") + "\r\n"
