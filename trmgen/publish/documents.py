"""The downloads of one language: the book, the contact sheets, the form and the open data.

Kept in the cache, with the files themselves, for the next build of the same sources: a
build of unchanged sources lays nothing out again.
"""

from __future__ import annotations

import base64
import datetime as dt
import time
from dataclasses import dataclass

from trmgen.content.edition import Edition, Validated
from trmgen.print import documents as printed_html
from trmgen.print.binding import bound_pdf
from trmgen.print.pdf import Printable, to_pdf
from trmgen.publish import opendata
from trmgen.sources import cache
from trmgen.web.pages import FILES


@dataclass(frozen=True)
class Made:
    """A file to download: where it goes from the site's root, what it is, its language."""

    path: str
    kind: str
    language: str | None
    content: bytes


def made(validated: Validated, language: str, printed: dt.date) -> tuple[list[Made], float]:
    """Every download of one language, and the seconds spent laying out PDFs (WeasyPrint's
    work, not trmgen's)."""
    key = _key(validated, language, printed)
    kept = cache.read_json("documents", key)
    if isinstance(kept, list):
        try:
            return [Made(str(f["path"]), str(f["kind"]), f["language"],
                         base64.b64decode(f["content"])) for f in kept], 0.0
        except (KeyError, TypeError, ValueError):
            pass  # not what was written below: made again
    edition = validated.edition(language)
    files, laying = _make(edition, printed)
    cache.write_json("documents", key, [
        {"path": f.path, "kind": f.kind, "language": f.language,
         "content": base64.b64encode(f.content).decode()} for f in files])
    return files, laying


def kept(validated: Validated, language: str, printed: dt.date) -> bool:
    """Whether the downloads of a language are in the cache, as the last build made them
    (then nothing is laid out)."""
    return cache.has("documents", _key(validated, language, printed), ".json")


def _key(validated: Validated, language: str, printed: dt.date) -> str:
    return cache.documents_key(printed_html.fingerprint(validated), language,
                               printed.isoformat(), validated.guide.today.isoformat())


def _make(edition: Edition, printed: dt.date) -> tuple[list[Made], float]:
    language = edition.language
    countries = list(edition.guide.countries)
    book = printed_html.book(edition, printed)
    sheets = printed_html.contacts_html(edition, printed, countries)
    files = [Made(FILES.contact_sheet(language, country.code), "sheet",
                  language, printed_html.contacts_html(edition, printed, [country]).encode())
             for country in countries]
    files.append(Made(FILES.data(language), "data", language,
                      opendata.guidelines_json(edition.guide, language).encode()))
    if edition.lang_is_source:
        files += [Made(path, "data", None, content)
                  for path, content in _contact_data(edition).items()]
    begun = time.perf_counter()
    laid = [Made(FILES.book(language), "book", language, bound_pdf(book)),
            Made(FILES.contact_sheets(language), "contacts", language,
                 bound_pdf(Printable(sheets, {}), cover=False)),
            Made(FILES.form(language), "form", language,
                 to_pdf(printed_html.form_html(edition, printed), forms=True))]
    return laid + files, time.perf_counter() - begun


def _contact_data(edition: Edition) -> dict[str, bytes]:
    """The open data that is the same in every language: schema, contacts (CSV, HSDS,
    vCards) and adoption (CSV)."""
    guide, loc = edition.guide, edition.loc
    files = {
        FILES.schema: opendata.guidelines_schema().encode(),
        FILES.contacts_csv: opendata.contacts_csv(guide).encode(),
        FILES.contacts_hsds: opendata.hsds(guide, loc).encode(),
        FILES.adoption_csv: opendata.adoption_csv(guide).encode(),
    }
    for country in guide.countries:
        cards = {inst.id: opendata.vcard(guide, country, inst, loc)
                 for inst in country.contacts.institutions}
        code = country.code.lower()
        files[FILES.vcards(code)] = "".join(cards.values()).encode()
        for inst_id, card in cards.items():
            files[FILES.vcards(code, inst_id)] = card.encode()
    return files
