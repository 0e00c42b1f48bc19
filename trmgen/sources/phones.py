"""Phone numbers that may be published, and numbers that reach nobody, for sample data.

A verified contact's number must be valid: in a range that an operator of its country uses
(libphonenumber's metadata). A sample contact's number must be the opposite, a number in no
range that any operator uses, so that nobody who tries it reaches a real subscriber.
"""

from __future__ import annotations

import functools

import phonenumbers

_SUFFIXES = ("0", "1", "5", "9", "12", "34", "56", "78", "90", "4501", "98765")
"""Endings tried after a prefix: no valid number may begin with the prefix, at any length."""


@functools.lru_cache(maxsize=65536)  # `serve` checks the same numbers after every edit
def in_use(number: str) -> bool:
    """Whether the number lies in a range that an operator of its country uses."""
    return bool(phonenumbers.is_valid_number(phonenumbers.parse(number)))


@functools.lru_cache(maxsize=65536)
def region(number: str) -> str:
    """The country of the number's calling code (for a number in no range too), e.g. 'BG'."""
    found = phonenumbers.parse(number)
    return str(phonenumbers.region_code_for_number(found)
               or phonenumbers.region_code_for_country_code(found.country_code or 0))


def _length(country: str) -> int:
    example = phonenumbers.example_number(country)
    return len(phonenumbers.national_significant_number(example)) if example else 8


def _unused(code: int, prefix: str, length: int) -> bool:
    """Whether no number that begins with the prefix is valid, at lengths near `length`."""
    tried = [f"+{code}{prefix}{(suffix * length)[:size - len(prefix)]}"
             for suffix in _SUFFIXES for size in range(length - 2, length + 3)]
    return not any(phonenumbers.is_valid_number(phonenumbers.parse(n)) for n in tried)


@functools.cache
def fictional(country: str, ending: str = "1234") -> str:
    """A number of the country that reaches nobody, for sample data, e.g. '+359 40 123 40':
    it begins with a prefix that no operator of the country uses (libphonenumber's
    metadata), and has the usual length; `ending` makes the numbers of one file differ."""
    code = phonenumbers.country_code_for_region(country)
    if not code:
        raise LookupError(f"no numbering plan is known for {country}")
    length = _length(country)
    for prefix in map(str, [*range(20, 100), *range(200, 1000)]):
        rest = (ending + "0" * length)[:max(length - len(prefix), 1)]
        number = f"+{code} {prefix} {rest[:3]} {rest[3:]}".rstrip()
        parsed = phonenumbers.parse(number)
        if (phonenumbers.is_possible_number(parsed) and not phonenumbers.is_valid_number(parsed)
                and _unused(code, prefix, length)):
            return number
    raise LookupError(f"no unused prefix for {country}")
