"""When contact details are due for a check."""

from __future__ import annotations

import datetime as dt


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
