"""When contact details are due for a check."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from trmgen.sources.model import CountryContacts


def stale_before(today: dt.date, months: int) -> dt.date:
    """Details verified before this day are older than `months` months on `today`."""
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    for day in (today.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


@dataclass(frozen=True)
class Check:
    """When one institution's details were last verified, and whether they are due."""

    country: str
    institution: str
    name: str
    last_verified: dt.date | None
    """None for sample data, which claims no verification."""
    verified_by: str | None
    due: bool


def checks(countries: Iterable[tuple[str, CountryContacts]], today: dt.date,
           months: int) -> list[Check]:
    """Every institution's verification, country by country."""
    limit = stale_before(today, months)
    return [Check(code, inst.id, inst.name, inst.last_verified, inst.verified_by,
                  inst.last_verified is not None and inst.last_verified < limit)
            for code, contacts in countries for inst in contacts.institutions]


def report(every: list[Check], fmt: str, months: int, *, only_due: bool = False) -> str:
    """The checks as text for people, or as CSV or JSON for other tools."""
    found = [c for c in every if c.due] if only_due else every
    if fmt == "json":
        return json.dumps([{**asdict(c), "last_verified": _day(c.last_verified)}
                           for c in found], indent=2, ensure_ascii=False)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["country", "institution", "name", "last_verified", "verified_by",
                         "due"])
        for c in found:
            writer.writerow([c.country, c.institution, c.name, _day(c.last_verified) or "",
                             c.verified_by or "", "yes" if c.due else "no"])
        return out.getvalue().rstrip("\n")
    lines = []
    for code in dict.fromkeys(c.country for c in found):
        mine = [c for c in found if c.country == code]
        due = sum(c.due for c in mine)
        if all(c.last_verified is None for c in mine):
            lines.append(f"{code}: sample data, never verified")
        else:
            lines.append(f"{code}: {due} of {len(mine)} due for verification" if due
                         else f"{code}: all {len(mine)} current")
        lines += [f"  {c.institution}: last verified {c.last_verified.isoformat()} by "
                  f"{c.verified_by}{' (due)' if c.due else ''}" if c.last_verified
                  else f"  {c.institution}: sample data, never verified" for c in mine]
    due = sum(c.due for c in every)
    real = [c for c in every if c.last_verified is not None]
    lines.append(f"{due} of {len(real)} contacts not verified in the last {months} months")
    if len(real) < len(every):
        lines.append(f"{len(every) - len(real)} sample contacts, never verified")
    return "\n".join(lines)


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
