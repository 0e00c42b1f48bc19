"""A PO file checked line by line, before Babel reads it.

Babel reads leniently: it drops the last character of a text whose closing quote is missing,
only logs a line it cannot read, keeps one of two entries for the same text, and fails on a
file in another encoding. Translators edit catalogs by hand and through pull requests, so
each of these is a problem with its line, here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from trmgen.diagnostics import Diagnostic, excerpt, visible

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)[ \t]+(.*)$')
_STRING = re.compile(r'^"((?:[^"\\]|\\.)*)"[ \t]*$')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}
_LANGUAGE = re.compile(r"^Language: *([A-Za-z_@-]*) *$", re.MULTILINE)
_CHARSET = re.compile(r"^Content-Type: *text/plain; *charset=([A-Za-z0-9_-]+) *$",
                      re.MULTILINE)


@dataclass
class Entry:
    """One entry as written: where it starts and its texts by keyword."""

    line: int
    texts: dict[str, str]
    lines: dict[str, int]


def check(raw: bytes, shown: str, language: str) -> list[Diagnostic]:
    """Every problem of a PO file's syntax, encoding, entries and header, with its line;
    the same bytes are checked once in a process (`serve` reads every catalog on each edit)."""
    return list(_checked(raw, shown, language))


@functools.lru_cache(maxsize=16)
def _checked(raw: bytes, shown: str, language: str) -> tuple[Diagnostic, ...]:
    return tuple(_check(raw, shown, language))


def _check(raw: bytes, shown: str, language: str) -> list[Diagnostic]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return [Diagnostic(shown, line, exc.start - raw.rfind(b"\n", 0, exc.start),
                           "i18n.encoding", "", f"byte 0x{raw[exc.start]:02X} is not UTF-8; "
                           "the catalog was saved in another encoding: save it as UTF-8")]
    problems: list[Diagnostic] = []
    entries = list(_entries(text, shown, problems))
    problems += _duplicates(entries, shown)
    problems += _header(entries, shown, language)
    return problems


def _entries(text: str, shown: str, problems: list[Diagnostic]) -> Iterator[Entry]:
    """The entries of the file; what cannot be read is added to `problems`."""
    current: Entry | None = None
    keyword = ""
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            if not stripped and current is not None:
                yield current
                current = None
            continue
        found = _KEYWORD.match(stripped)
        quoted = found.group(2) if found else stripped
        if not found and not stripped.startswith('"'):
            problems.append(Diagnostic(shown, number, 1, "i18n.syntax", "", f"this line is "
                                       f"not part of an entry ('{visible(excerpt(stripped, 40))}'"
                                       "); an entry has msgctxt, msgid and msgstr lines, each "
                                       "with its text in double quotes"))
            continue
        string = _STRING.match(quoted)
        if string is None:
            problems.append(Diagnostic(shown, number, line.find('"') + 1 or 1, "i18n.syntax",
                                       "", _quote_problem(quoted)))
            continue
        value = _unescape(string.group(1))
        if found:
            keyword = found.group(1)
            translated = current is not None and any(k.startswith("msgstr")
                                                     for k in current.texts)
            if current is None or (keyword in ("msgctxt", "msgid") and translated):
                if current is not None:
                    yield current
                current = Entry(number, {}, {})
            if keyword in current.texts:
                problems.append(Diagnostic(shown, number, 1, "i18n.syntax", "", f"a second "
                                           f"{keyword} in one entry; an entry has one of each"))
                continue
            current.texts[keyword] = value
            current.lines[keyword] = number
        elif current is None:
            problems.append(Diagnostic(shown, number, 1, "i18n.syntax", "", "a text in "
                                       "quotes outside an entry; it belongs after a msgid or "
                                       "msgstr line"))
        else:
            current.texts[keyword] += value
    if current is not None:
        yield current


def _quote_problem(quoted: str) -> str:
    if not quoted.startswith('"'):
        return "the text must be in double quotes"
    if quoted.count('"') - quoted.count('\\"') < 2:
        return ("this quote is not closed; end the text with '\"' on the same line (a "
                "missing quote would cost the text its last character)")
    return ("the text is not one quoted string: write '\\\"' for a quote inside the text, and "
            "nothing after the closing quote")


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), value)


def _duplicates(entries: list[Entry], shown: str) -> Iterator[Diagnostic]:
    seen: dict[tuple[str, str], int] = {}
    for entry in entries:
        if "msgid" not in entry.texts:
            yield Diagnostic(shown, entry.line, 1, "i18n.syntax", "", "this entry has no "
                             "msgid line")
            continue
        key = (entry.texts.get("msgctxt", ""), entry.texts["msgid"])
        if key in seen:
            yield Diagnostic(shown, entry.line, 1, "i18n.duplicate", key[0], f"the same text "
                             f"is translated twice, here and on line {seen[key]}; keep one "
                             "of the two entries")
        else:
            seen[key] = entry.line


def _header(entries: list[Entry], shown: str, language: str) -> Iterator[Diagnostic]:
    header = next((e for e in entries if e.texts.get("msgid") == ""
                   and "msgctxt" not in e.texts), None)
    if header is None:
        return
    text = header.texts.get("msgstr", "")
    line = header.lines.get("msgstr", header.line)
    declared = _LANGUAGE.search(text)
    if declared and declared.group(1).replace("-", "_").split("_")[0] != language:
        yield Diagnostic(shown, line, 1, "i18n.language", "", f"the header says "
                         f"'Language: {declared.group(1)}', but this is the catalog of "
                         f"'{language}'; correct the header")
    charset = _CHARSET.search(text)
    if charset and charset.group(1).lower().replace("-", "") != "utf8":
        yield Diagnostic(shown, line, 1, "i18n.encoding", "", f"the header declares the "
                         f"encoding '{charset.group(1)}'; save the catalog as UTF-8 and "
                         "declare 'charset=UTF-8'")
