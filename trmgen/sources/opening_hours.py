"""Opening hours of a contact line, written like 'Mo-Fr 09:00-17:00; Sa 10:00-14:00'."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_RULE = re.compile(r"^(?P<days>[A-Za-z,-]+)\s+(?P<times>[0-9:,\s-]+)$")
_RANGE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


@dataclass(frozen=True)
class Opening:
    """The days of the week (0 = Monday) on which a line is open, and the times."""

    days: tuple[int, ...]
    times: tuple[tuple[dt.time, dt.time], ...]


def parse(value: str) -> list[Opening]:
    """Parse opening hours; raise ValueError saying what is wrong."""
    rules = [part.strip() for part in value.split(";") if part.strip()]
    if not rules:
        raise ValueError("no opening hours given")
    return [_rule(rule) for rule in rules]


def _rule(rule: str) -> Opening:
    match = _RULE.match(rule)
    if not match:
        raise ValueError(f"'{rule}' is not days followed by times")
    days: list[int] = []
    for part in match.group("days").split(","):
        first, _, last = part.partition("-")
        start, end = _day(first), _day(last or first)
        if end < start:
            raise ValueError(f"'{part}' runs backwards through the week")
        days.extend(range(start, end + 1))
    times = tuple(_range(r.strip()) for r in match.group("times").split(","))
    return Opening(tuple(days), times)


def _day(name: str) -> int:
    if name not in DAYS:
        raise ValueError(f"'{name}' is not a day; use {', '.join(DAYS)}")
    return DAYS.index(name)


def _range(text: str) -> tuple[dt.time, dt.time]:
    match = _RANGE.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a time range like 09:00-17:00")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    try:
        opens = dt.time(h1, m1)
        closes = dt.time(0, 0) if (h2, m2) == (24, 0) else dt.time(h2, m2)
    except ValueError:
        raise ValueError(f"'{text}' is not a real time of day") from None
    if closes != dt.time(0, 0) and closes <= opens:
        raise ValueError(f"'{text}' closes before it opens (for a night line, split it "
                         "over two days: 'Mo 17:00-24:00; Tu 00:00-09:00')")
    return opens, closes
