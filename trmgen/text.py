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

SAFE_SCHEMES = ("https", "mailto", "tel")

# Joiners are needed to write some scripts correctly; every other format character is invisible.
_ALLOWED_FORMAT = frozenset({"\u200c", "\u200d"})
_HTML = re.compile(r"<(?=[A-Za-z/!?])")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>")
_IMAGE = re.compile(r"!\[")
_HEADING = re.compile(r"^[ ]{0,3}#{1,6}(?:[ \t]|$)", re.MULTILINE)
_ATTR_LIST = re.compile(r"\{\s*[:#.]|\{[^}\n]*=")
_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
_REF_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?(\S*?)>?(?:\s|$)", re.MULTILINE)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


@dataclass(frozen=True)
class TextProblem:
    """Something a text field must not contain, at a character offset."""

    offset: int
    code: str
    message: str


def problems(text: str) -> Iterator[TextProblem]:
    """Every reason why `text` cannot be published as it is."""
    yield from _invisible(text)
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
    for pattern in (_INLINE_LINK, _REF_DEFINITION):
        for match in pattern.finditer(text):
            problem = link_problem(match.group(1))
            if problem:
                yield TextProblem(match.start(1), "text.unsafe-link", problem)


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


def _invisible(text: str) -> Iterator[TextProblem]:
    if text.replace("\n", "").replace("\t", "").isprintable():
        return  # the usual case, checked in C: no format or control character at all
    for offset, char in enumerate(text):
        category = unicodedata.category(char)
        if (category == "Cf" and char not in _ALLOWED_FORMAT) or (
            category == "Cc" and char not in "\n\t"
        ):
            name = unicodedata.name(char, "control character")
            yield TextProblem(offset, "text.invisible-character", f"the invisible character "
                              f"U+{ord(char):04X} ({name}) is not allowed; delete it")
