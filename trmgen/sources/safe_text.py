"""The safe Markdown subset that text fields may use, and the checks that enforce it.

Allowed: paragraphs, emphasis, inline code, lists, and links to https:, mailto: and tel:.
Refused, with the offset of the offending character: raw HTML (Markdown passes it through to
the page), images (a request to another host), headings (they would break the page outline),
attribute lists, unsafe link schemes, and invisible or direction-control characters (they can
hide or reverse text, as in a spoofed phone number).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown

SAFE_SCHEMES = ("https", "mailto", "tel")

# Joiners are needed to write some scripts correctly; every other format character is invisible.
_ALLOWED_FORMAT = frozenset({"\u200c", "\u200d"})
_OPEN_ISOLATE = frozenset({"\u2066", "\u2067", "\u2068"})
_CLOSE_ISOLATE = "\u2069"
ISOLATES = _OPEN_ISOLATE | {_CLOSE_ISOLATE}
"""LRI, RLI, FSI and PDI: a translator may set a run's direction apart with them (in a
right-to-left text, a left-to-right name); they cannot reach beyond their run, as the
embeddings and overrides (U+202A-U+202E) that can reverse a phone number do."""
_HTML = re.compile(r"<(?=[A-Za-z/!?])")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>")
_IMAGE = re.compile(r"!\[")
_HEADING = re.compile(r"^[ ]{0,3}#{1,6}(?:[ \t]|$)", re.MULTILINE)
_ATTR_LIST = re.compile(r"\{\s*[:#.]|\{[^}\n]*=")
_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)|\]:[ \t]*<?(\S*?)>?(?:\s|$)")
_MARKDOWN = markdown.Markdown(extensions=["sane_lists"], output_format="html")
"""The Markdown parser of the pages (and of the checks, so they see what the pages show)."""
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


@dataclass(frozen=True)
class TextProblem:
    """Something a text field must not contain, at a character offset."""

    offset: int
    code: str
    message: str


def problems(text: str, *, isolates: bool = False) -> Iterator[TextProblem]:
    """Every reason why `text` cannot be published as it is. With `isolates` (a
    translation), the Unicode isolates are allowed, each opened one closed on its line."""
    yield from _invisible(text, ISOLATES if isolates else frozenset())
    if isolates:
        yield from _unbalanced(text)
    autolinks = set()
    for match in _AUTOLINK.finditer(text):
        autolinks.add(match.start())
        example = "[the text](mailto:...)" if "@" in match.group(0) and ":" not in match.group(
            0) else "[the text](https://...)"
        yield TextProblem(match.start(), "text.autolink", "links in angle brackets are not "
                          f"allowed; write {example}")
    for match in _HTML.finditer(text):
        if match.start() not in autolinks:
            tag = re.match(r"</?[A-Za-z!?][^<>\n]{0,30}>?", text[match.start():])
            shown = tag.group(0) if tag else "<"
            yield TextProblem(match.start(), "text.raw-html", f"raw HTML ('{shown}') is not "
                              "allowed; write plain text or Markdown")
    for match in _IMAGE.finditer(text):
        yield TextProblem(match.start(), "text.image", "images are not allowed in text")
    for match in _HEADING.finditer(text):
        yield TextProblem(match.start(), "text.heading", "headings ('#') are not allowed in "
                          "text fields; the page provides them")
    for match in _ATTR_LIST.finditer(text):
        yield TextProblem(match.start(), "text.attribute-list", "attribute lists ('{: ...}') "
                          "are not allowed")
    yield from _links(text)


def to_html(text: str) -> str:
    """The text as HTML, read by the Markdown parser that the pages use."""
    return _MARKDOWN.reset().convert(text)


class _Links(HTMLParser):
    """The targets of the links in a piece of HTML, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.targets += [value or "" for name, value in attrs
                         if name in ("href", "src") or (tag == "a" and name == "xlink:href")]


def _links(text: str) -> Iterator[TextProblem]:
    """Every link the Markdown parser makes of the text, checked where it will be a link:
    an inline link, a reference definition anywhere (indented in a list item, too)."""
    if "]" not in text:
        return  # no link without one: most texts are skipped without parsing
    parser = _Links()
    parser.feed(to_html(text))
    defined = [url for url, _ in _MARKDOWN.references.values()]  # used or not
    for target in dict.fromkeys([*parser.targets, *defined]):
        problem = link_problem(target)
        if problem:
            yield TextProblem(_offset(text, target), "text.unsafe-link", problem)


def _offset(text: str, target: str) -> int:
    """Where a link target is written in the text; entities may spell it otherwise."""
    at = text.find(target)
    if at >= 0:
        return at
    for match in _TARGET.finditer(text):
        written = match.group(1) or match.group(2) or ""
        if written and target.startswith(html.unescape(written)):
            return match.start(1) if match.group(1) else match.start(2)
    return max(text.find("]"), 0)


def link_problem(target: str) -> str | None:
    """Why a link target is not allowed, or None when it is a safe link."""
    # Browsers decode entities and drop control characters and spaces before reading a scheme.
    cleaned = re.sub(r"[\x00-\x20]", "", html.unescape(target))
    scheme = _SCHEME.match(cleaned)
    if not scheme:
        return f"the link '{target}' has no scheme; write a full https:// address"
    name = scheme.group(1).lower()
    if name == "http":
        return f"the link '{target}' uses http:; use https:"
    if name not in SAFE_SCHEMES:
        return f"links with '{name}:' are not allowed; use https:, mailto: or tel:"
    return None


def _invisible(text: str, allowed: frozenset[str]) -> Iterator[TextProblem]:
    if text.replace("\n", "").replace("\t", "").isprintable():
        return  # the usual case, checked in C: no format or control character at all
    for offset, char in enumerate(text):
        category = unicodedata.category(char)
        if (category == "Cf" and char not in _ALLOWED_FORMAT and char not in allowed) or (
            category == "Cc" and char not in "\n\t"
        ):
            name = unicodedata.name(char, "control character")
            yield TextProblem(offset, "text.invisible-character", f"the invisible character "
                              f"U+{ord(char):04X} ({name}) is not allowed; delete it")


def _unbalanced(text: str) -> Iterator[TextProblem]:
    """Isolates that are not closed on their line, or closings without an isolate."""
    opened: list[int] = []
    for offset, char in enumerate(text + "\n"):
        if char in _OPEN_ISOLATE:
            opened.append(offset)
        elif char == _CLOSE_ISOLATE and not opened:
            yield TextProblem(offset, "text.isolate", "this U+2069 (POP DIRECTIONAL ISOLATE) "
                              "closes no isolate; delete it")
        elif char == _CLOSE_ISOLATE:
            opened.pop()
        elif char == "\n":
            for start in opened:
                yield TextProblem(start, "text.isolate", f"the isolate U+{ord(text[start]):04X} "
                                  "is not closed on its line; end it with U+2069 (POP "
                                  "DIRECTIONAL ISOLATE)")
            opened = []


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PHONES = re.compile(r"\+[0-9 ;+]*")


def spreadsheet_cell(value: str) -> str:
    """A CSV cell that a spreadsheet shows as text: a value that starts like a formula
    (= + - @) gets a leading apostrophe, except a list of phone numbers, which holds only
    digits, spaces, '+' and ';' and cannot call anything."""
    if value.startswith(_FORMULA_START) and not _PHONES.fullmatch(value):
        return "'" + value
    return value
