"""What a national coordinator must act on: measures not adopted, of unknown status, or whose
status is due for a review (`trmgen adoption`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import asdict, dataclass

from trmgen.checks.freshness import stale_before
from trmgen.sources.model import AdoptionStatus, CountryContacts, Sop
from trmgen.sources.safe_text import spreadsheet_cell

REVIEW_MONTHS = 24
"""An adoption status not reviewed for this long is due for a review."""

TO_ACT_ON = (AdoptionStatus.NOT_ADOPTED, AdoptionStatus.UNKNOWN)


def review_due(reviewed: dt.date | None, today: dt.date) -> bool:
    """Whether a status reviewed on that day is due for a review again."""
    return reviewed is not None and reviewed < stale_before(today, REVIEW_MONTHS)


@dataclass(frozen=True)
class Row:
    """One measure in one country."""

    country: str
    sop: int
    measure: str
    title: str
    status: str
    act: str | None
    reviewed: dt.date | None
    review_due: bool
    sample: bool
    """Whether the country's data is sample data, never fact."""


def rows(countries: dict[str, CountryContacts], sops: list[Sop], today: dt.date) -> list[Row]:
    """Every measure in every country, in the order of the SOPs (unlisted: unknown)."""
    found = []
    for code, country in sorted(countries.items()):
        adopted = country.adoption.measures
        for sop in sorted(sops, key=lambda s: s.number):
            for measure in sop.measures:
                entry = adopted.get(measure.id)
                status = entry.status if entry else AdoptionStatus.UNKNOWN
                reviewed = entry.reviewed if entry else None
                found.append(Row(code, sop.number, measure.id, measure.title,
                                 status.value, entry.act if entry else None, reviewed,
                                 review_due(reviewed, today), country.sample_data))
    return found


def to_act_on(found: list[Row]) -> list[Row]:
    """The measures not adopted or of unknown status, and those due for a review."""
    return [r for r in found if r.status in TO_ACT_ON or r.review_due]


def report(found: list[Row], fmt: str) -> str:
    """The rows as text (by country), CSV or JSON."""
    if fmt == "json":
        return json.dumps([{**asdict(r), "reviewed": r.reviewed.isoformat() if r.reviewed
                            else None} for r in found], indent=1, ensure_ascii=False)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["country", "sop", "measure", "title", "status", "act", "reviewed",
                         "review_due", "sample"])
        for r in found:
            writer.writerow([spreadsheet_cell(str(value)) for value in [
                r.country, r.sop, r.measure, r.title, r.status, r.act or "",
                r.reviewed.isoformat() if r.reviewed else "",
                "yes" if r.review_due else "no", "yes" if r.sample else "no"]])
        return out.getvalue().rstrip("\r\n")
    if not found:
        return "nothing to act on"
    lines: list[str] = []
    for code in dict.fromkeys(r.country for r in found):
        mine = [r for r in found if r.country == code]
        sample = " (SAMPLE DATA: not fact)" if mine[0].sample else ""
        lines.append(f"{code}{sample}: {len(mine)} measure{'s' if len(mine) > 1 else ''}")
        for r in mine:
            due = f"; review due (last {r.reviewed.isoformat()})" if r.review_due and \
                r.reviewed else ""
            lines.append(f"  SOP {r.sop} {r.measure}: {r.status}{due}")
    return "\n".join(lines)
