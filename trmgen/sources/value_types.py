"""Checked value types for the model: ids, codes, dates, addresses, phone numbers, hours, text.

Each type checks one kind of value and, when the value is wrong, raises an error whose type is
a diagnostic code (`value.country`, `text.raw-html`, ...) and whose message tells the editor
what to write instead. The rest of the model is built from these.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import email_validator
import phonenumbers
import pycountry
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from trmgen.diagnostics import excerpt
from trmgen.sources import opening_hours, safe_text

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)

# Codes people write that ISO 3166-1 spells otherwise.
_COUNTRY_HINTS = {"UK": "GB", "EL": "GR", "KS": "XK"}
# Country codes and other habits that people write for ISO 639-1 language codes.
_LANGUAGE_HINTS = {"gr": "el", "ua": "uk", "cz": "cs", "dk": "da", "se": "sv", "jp": "ja",
                   "cn": "zh", "al": "sq", "ee": "et", "si": "sl", "rs": "sr", "me": "sr",
                   "ba": "bs", "md": "ro", "at": "de", "ge": "ka", "am": "hy", "by": "be"}


def _fail(code: str, message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(code, message, context)


def _distance(a: str, b: str) -> int:
    """Edits (insert, delete, change, swap two neighbours) that turn a into b."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1,
                         rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def suggest(value: str, choices: Iterable[str]) -> str:
    """' - did you mean 'x'?' for a choice that is a typo away from value, or ''."""
    limit = max(1, len(value) // 4)
    scored = sorted((_distance(value.lower(), c.lower()), c) for c in choices)
    if scored and scored[0][0] <= limit:
        return f" - did you mean '{scored[0][1]}'?"
    return ""


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        hint = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
        raise _fail("value.slug", f"'{value}' is not a valid id: use lowercase letters, digits "
                    f"and single hyphens" + (f", e.g. '{hint}'" if hint else ""))
    return value


def _ref(value: str) -> str:
    if not value.strip() or any(char.isspace() or not char.isprintable() for char in value):
        hint = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
        raise _fail("value.slug", f"'{excerpt(value)}' is not an id: ids have no spaces"
                    + (f"; did you mean '{hint}'?" if hint else ""))
    return value


def _line(value: str) -> str:
    if not value.strip():
        raise _fail("value.empty", "must not be empty")
    if "\n" in value.strip():
        raise _fail("value.multiline", "must be a single line")
    for problem in safe_text.problems(value):
        raise _fail(problem.code, problem.message, offset=problem.offset)
    return value.strip()


def _markdown(value: str) -> str:
    if not value.strip():
        raise _fail("value.empty", "must not be empty")
    for problem in safe_text.problems(value):
        raise _fail(problem.code, problem.message, offset=problem.offset)
    return value.strip()


def _country(value: str) -> str:
    if value in _COUNTRY_HINTS:
        raise _fail("value.country", f"'{value}' is not an ISO 3166-1 country code - did you "
                    f"mean '{_COUNTRY_HINTS[value]}'?")
    if len(value) == 2 and pycountry.countries.get(alpha_2=value.upper()):
        if value != value.upper():
            raise _fail("value.country", f"write country codes in capitals: '{value.upper()}'")
        return value
    found = pycountry.countries.get(alpha_3=value.upper()) if len(value) == 3 else None
    if found:
        raise _fail("value.country", f"'{value}' is an alpha-3 code; write the two-letter "
                    f"ISO 3166-1 code '{found.alpha_2}'")
    if re.fullmatch("[A-Z]{2}", value):
        raise _fail("value.country", f"no country has the ISO 3166-1 code '{value}'")
    raise _fail("value.country", f"'{value}' is not an ISO 3166-1 country code: write two "
                "capital letters, e.g. 'BG'")


def check_country_code(value: str) -> None:
    """Raise the country-code error for `value` (used for contact file names)."""
    _country(value)


def _language(value: str) -> str:
    if len(value) == 2 and value == value.lower() and pycountry.languages.get(alpha_2=value):
        return value
    if value.lower() in _LANGUAGE_HINTS or (len(value) == 2 and
                                            pycountry.languages.get(alpha_2=value.lower())):
        hint = _LANGUAGE_HINTS.get(value.lower(), value.lower())
        raise _fail("value.language", f"'{value}' is not an ISO 639-1 language code - did you "
                    f"mean '{hint}'?")
    found = pycountry.languages.get(alpha_3=value.lower()) if len(value) == 3 else None
    alpha_2 = getattr(found, "alpha_2", None)
    hint = f" - did you mean '{alpha_2}'?" if alpha_2 else ""
    raise _fail("value.language", f"'{value}' is not an ISO 639-1 language code (two small "
                f"letters, e.g. 'bg'){hint}")


def _date_text(value: Any) -> Any:
    if not isinstance(value, str):
        raise _fail("value.date", f"'{value}' is not a date; write it as YYYY-MM-DD")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise _fail("value.date", f"'{value}' is not a date; write it as YYYY-MM-DD, "
                    "e.g. 2026-03-31")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _fail("value.date", f"'{value}' is not a real date (check the month and "
                    "day)") from None


def _visible(value: str, what: str) -> None:
    """Refuse characters that hide or reverse what a value shows, or break the file it is
    written to (a line break in a vCard, a header), naming the character."""
    for char in value:
        if not char.isprintable() and char != " ":
            name = unicodedata.name(char, "a control character")
            raise _fail("value.invisible-character", f"{what} holds the invisible character "
                        f"U+{ord(char):04X} ({name}); delete it")


def _url(value: str) -> str:
    _visible(value, "the address")
    if any(char.isspace() for char in value):
        raise _fail("value.url", f"'{excerpt(value)}' holds a space; an address has none "
                    "(write a space as %20)")
    problem = safe_text.link_problem(value)
    if problem is None and urlsplit(value).scheme != "https":
        problem = f"'{value}' must be an https:// address"
    if problem is None and not urlsplit(value).hostname:
        problem = f"'{value}' has no host name"
    if problem:
        raise _fail("value.url", problem)
    return value


def _email(value: str) -> str:
    _visible(value, "the e-mail address")
    if not value.isascii():
        raise _fail("value.email", f"'{value}' contains characters outside plain ASCII; write "
                    "the address in plain ASCII")
    try:
        email_validator.validate_email(value, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        reason = str(exc).rstrip(".")
        raise _fail("value.email", f"'{value}' is not a valid e-mail address "
                    f"({reason[:1].lower()}{reason[1:]})") from None
    return value


def _phone(value: str) -> str:
    _visible(value, "the phone number")
    if not value.startswith("+"):
        raise _fail("value.phone", f"'{value}' must be written in international form, "
                    "starting with + and the country code, e.g. '+359 2 123 456'")
    try:
        number = phonenumbers.parse(value)
    except phonenumbers.NumberParseException as exc:
        reason = ("does not start with a known country code"
                  if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE
                  else "is not a phone number: write + and digits, e.g. '+359 2 123 456'")
        raise _fail("value.phone", f"'{value}' {reason}") from None
    length = phonenumbers.is_possible_number_with_reason(number)
    if length not in (phonenumbers.ValidationResult.IS_POSSIBLE,
                      phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY):
        region = phonenumbers.region_code_for_country_code(number.country_code or 0)
        reason = {phonenumbers.ValidationResult.TOO_SHORT: "has too few digits",
                  phonenumbers.ValidationResult.TOO_LONG: "has too many digits"}.get(
                      length, "is not a valid number")
        raise _fail("value.phone", f"'{value}' {reason} for {region}; check the number")
    return value  # whether it is in use is checked with the file (checks: phone_numbers)


def _hours(value: str) -> str:
    _visible(value, "the opening hours")
    try:
        opening_hours.parse(value)
    except ValueError as exc:
        raise _fail("value.hours", f"{exc}; write hours like 'Mo-Fr 09:00-17:00; "
                    "Sa 10:00-14:00'") from None
    return value


def _git_ref(value: str) -> str:
    value = _line(value)
    if value.startswith("-") or any(c.isspace() for c in value) or ".." in value:
        raise _fail("value.git-ref", f"'{excerpt(value)}' is not a git ref: write a tag, a "
                    "branch or a commit, such as '2026.1' (no spaces, not starting with '-')")
    return value


_FONT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,\-]{0,63}")


def _font(value: str) -> str:
    if not _FONT.fullmatch(value):
        raise _fail("value.font", f"'{excerpt(value)}' is not a font name: use letters, "
                    "digits, spaces, ',' and '-' only, e.g. 'Noto Sans'")
    return value


def _colour(value: str) -> str:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        raise _fail("value.colour", f"'{value}' is not a colour; write it as #RRGGBB, "
                    "e.g. '#1a237e'")
    return value.lower()


def _strict_bool(value: Any) -> Any:
    if not isinstance(value, bool):
        raise _fail("value.boolean", f"'{value}' must be true or false")
    return value


def _whole_number(value: Any) -> Any:
    if isinstance(value, str) and not re.fullmatch(r"-?\d+", value):
        raise _fail("value.number", f"'{value}' must be a whole number")
    return value


Slug = Annotated[str, AfterValidator(_slug),
                 WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN})]
"""A stable id: lowercase letters, digits and hyphens (it becomes part of URLs)."""

Ref = Annotated[str, AfterValidator(_ref),
                WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN})]
"""The id of something defined elsewhere (an actor, a measure, an instrument). The rules
that resolve it say when it is unknown, with the id it most resembles."""

Line = Annotated[str, AfterValidator(_line)]
"""One line of text (the same safe subset as Markdown, shown as plain text)."""

Markdown = Annotated[str, AfterValidator(_markdown)]
"""Text in the safe Markdown subset (see trmgen.text)."""

CountryCode = Annotated[str, AfterValidator(_country),
                        WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$"})]
LanguageCode = Annotated[str, AfterValidator(_language),
                         WithJsonSchema({"type": "string", "pattern": "^[a-z]{2}$"})]
Date = Annotated[dt.date, BeforeValidator(_date_text)]
HttpsUrl = Annotated[str, AfterValidator(_url),
                     WithJsonSchema({"type": "string", "pattern": "^https://"})]
Email = Annotated[str, AfterValidator(_email),
                  WithJsonSchema({"type": "string", "format": "email"})]
Phone = Annotated[str, AfterValidator(_phone),
                  WithJsonSchema({"type": "string", "pattern": r"^\+[0-9 ]+$"})]
Hours = Annotated[str, AfterValidator(_hours)]
GitRef = Annotated[str, AfterValidator(_git_ref),
                  WithJsonSchema({"type": "string", "pattern": "^[^-\\s][^\\s]*$"})]
"""A git tag, branch or commit, e.g. '2026.1'."""
FontName = Annotated[str, AfterValidator(_font),
                    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9 ,-]*$"})]
"""A font family name, such as 'Noto Sans' (it goes into every label of every chart)."""
Colour = Annotated[str, AfterValidator(_colour),
                   WithJsonSchema({"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"})]
Shape = Literal["box", "ellipse", "hexagon", "octagon", "parallelogram", "note", "folder",
                "component", "cylinder", "tab"]
"""The Graphviz shapes a chart style may use."""
Flag = Annotated[bool, BeforeValidator(_strict_bool)]
Number = Annotated[int, BeforeValidator(_whole_number)]


def check_slug(value: str) -> None:
    """Raise the id error for `value` (for ids typed on the command line)."""
    _slug(value)


def check_language_code(value: str) -> None:
    """Raise the language-code error for `value`."""
    _language(value)
