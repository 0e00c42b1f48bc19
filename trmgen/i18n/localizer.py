"""What can be localized without a translator: names, dates, weekdays, phone numbers (CLDR)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence

import phonenumbers
from babel import Locale
from babel.dates import format_date, format_time
from babel.lists import format_list
from babel.units import format_unit

from trmgen.sources import opening_hours


class Localizer:
    """Formats names, dates, hours and phone numbers for one language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.locale = Locale.parse(language)

    def country(self, code: str) -> str:
        """A country's name, e.g. 'Bulgaria' for BG."""
        return str(self.locale.territories.get(code, code))

    def language_name(self, code: str) -> str:
        """A language's name, e.g. 'Bulgarian' for bg."""
        return str(self.locale.languages.get(code, code))

    def language_names(self, codes: list[str]) -> str:
        """Language names as a list in the language's own way, e.g. 'Bulgarian and English'."""
        return self.listing([self.language_name(code) for code in codes])

    def listing(self, items: Sequence[str]) -> str:
        """A list in the language's own way (CLDR): '12(1), 12(2), and 13' in English,
        '12(1) و12(2) و13' in Arabic."""
        return format_list(list(items), locale=self.locale)

    def size(self, size: int) -> str:
        """A file size, e.g. '1.2 MB' in the language's way of writing numbers."""
        if size >= 1_000_000:
            return format_unit(round(size / 1_000_000, 1), "digital-megabyte", "short",
                               locale=self.locale)
        return format_unit(max(1, round(size / 1000)), "digital-kilobyte", "short",
                           locale=self.locale)

    def date(self, day: dt.date) -> str:
        """A date in the language's long form, e.g. '1 October 2026'."""
        return format_date(day, "long", locale=self.locale)

    def hours(self, value: str) -> str:
        """Opening hours with the language's weekday names, e.g. 'Mon-Fri 09:00-17:00'."""
        days = self.locale.days["format"]["abbreviated"]
        parts = []
        for opening in opening_hours.parse(value):
            spans = _spans(opening.days)
            named = ", ".join(days[a] if a == b else f"{days[a]}–{days[b]}" for a, b in spans)
            times = ", ".join(f"{self._time(o)}–{self._time(c)}" for o, c in opening.times)
            parts.append(f"{named} {times}")
        return "; ".join(parts)

    def _time(self, value: dt.time) -> str:
        return format_time(value, "HH:mm", locale=self.locale)


def _spans(days: tuple[int, ...]) -> list[tuple[int, int]]:
    """Consecutive weekdays as (first, last) runs."""
    spans: list[tuple[int, int]] = []
    for day in sorted(set(days)):
        if spans and day == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], day)
        else:
            spans.append((day, day))
    return spans


@functools.lru_cache(maxsize=4096)
def phone(number: str) -> str:
    """A phone number in international form, e.g. '+359 2 123 456'."""
    return str(phonenumbers.format_number(phonenumbers.parse(number),
                                          phonenumbers.PhoneNumberFormat.INTERNATIONAL))


@functools.lru_cache(maxsize=4096)
def tel_uri(number: str) -> str:
    """A tel: link for a phone number, e.g. 'tel:+3592123456'."""
    return str(phonenumbers.format_number(phonenumbers.parse(number),
                                          phonenumbers.PhoneNumberFormat.RFC3966))
