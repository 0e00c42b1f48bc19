"""Right-to-left text: what keeps its own direction inside it.

In a right-to-left paragraph the Unicode bidirectional algorithm lays out runs of digits and
Latin letters by rules that reverse what a reader must read left to right: the groups of a
phone number ("+359 2 123 4501" shows as "4501 123 2 359+"), an act's number ("2011/36/EU"
as "EU/2011/36"), an article's paragraphs, an e-mail address or a web address. Each of these
is isolated left to right (`<bdi dir="ltr">`), on the site and in print; phone numbers are
isolated where they are written (templates/pages/_macros.md.j2, trmgen.js), the rest here,
in the text of every page and printed document of a right-to-left language.
"""

from __future__ import annotations

import functools
import re

from babel import Locale

LTR = re.compile(
    r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)]"  # a web address, without the punctuation after it
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # an e-mail address
    r"|(?<![\w&#/])(?:\(\w+\)\s)?\d+(?:/\d+)+(?:/[A-Z]+)?(?![\w/])"  # an act: (EU) 2016/679
    r"|(?<![\w&#])\d+[a-z]?(?:\([0-9a-z]+\))+"  # an article and its paragraphs: 6(3)(a)
)
"""What keeps its own direction: web and e-mail addresses, act numbers, articles."""

_SKIP = re.compile(r"<(svg|script|style|bdi|code|pre|textarea)\b.*?</\1>|<[^>]*>",
                   re.DOTALL | re.IGNORECASE)
"""What is not text to isolate: tags (their attributes), and the content of elements that
draw, run or already keep their own direction."""


@functools.cache
def right_to_left(language: str) -> bool:
    """Whether `language` is written right to left (CLDR)."""
    return Locale.parse(language).character_order == "right-to-left"


def isolate(html: str) -> str:
    """`html` with every run of `LTR` in its text isolated left to right."""
    out = []
    last = 0
    for skipped in _SKIP.finditer(html):
        out.append(_isolated(html[last:skipped.start()]))
        out.append(skipped.group(0))
        last = skipped.end()
    out.append(_isolated(html[last:]))
    return "".join(out)


def _isolated(text: str) -> str:
    return LTR.sub(lambda match: f'<bdi dir="ltr">{match.group(0)}</bdi>', text)
