"""Quotation marks: a translation quotes with its language's marks, as CLDR gives them.

DELIMITERS holds, for each language of CLDR's modern set (CLDR 45, the delimiters of
cldr-misc-modern), its quotation marks: the opening and closing one, then the alternate pair
for a quotation inside a quotation. Babel does not carry them. A language not in the table is
not checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from babel.messages.catalog import Catalog

from trmgen.diagnostics import Diagnostic, Severity
from trmgen.i18n import catalogs

DELIMITERS = {
    "af": "“”‘’", "am": "«»‹›", "ar": "”“’‘", "as": "“”‘’", "az": "“”‘’", "be": "«»„“",
    "bg": "„“„“", "bn": "“”‘’", "bs": "„”‘’", "ca": "«»“”", "chr": "“”‘’", "cs": "„“‚‘",
    "cy": "“”‘’", "da": "“”‘’", "de": "„“‚‘", "dsb": "„“‚‘", "el": "«»“”", "en": "“”‘’",
    "es": "“”‘’", "et": "„“‚‘", "eu": "«»“”", "fa": "«»‹›", "fi": "””’’", "fil": "“”‘’",
    "fr": "«»«»", "ga": "“”‘’", "gd": "“”‘’", "gl": "“”‘’", "gu": "“”‘’", "ha": "“”‘’",
    "he": "””’’", "hi": "“”‘’", "hr": "„“‚‘", "hsb": "„“‚‘", "hu": "„”»«", "hy": "«»«»",
    "id": "“”‘’", "ig": "“”‘’", "is": "„“‚‘", "it": "«»“”", "ja": "「」『』", "jv": "“”‘’",
    "ka": "„“«»", "kk": "«»“”", "km": "“”‘’", "kn": "“”‘’", "ko": "“”‘’", "kok": "“”‘’",
    "ky": "«»„“", "lo": "“”‘’", "lt": "„“„“", "lv": "“”‘’", "mk": "„“‚‘", "ml": "“”‘’",
    "mn": "“”‘’", "mr": "“”‘’", "ms": "“”‘’", "my": "“”‘’", "nb": "«»‘’", "ne": "“”‘’",
    "nl": "‘’‘’", "nn": "«»‘’", "no": "«»‘’", "or": "“”‘’", "pa": "“”‘’", "pl": "„”«»",
    "ps": "“”‘’", "pt": "“”‘’", "ro": "„”«»", "ru": "«»„“", "sd": "“”‘’", "si": "“”‘’",
    "sk": "„“‚‘", "sl": "„“‚‘", "so": "“”‘’", "sq": "«»“”", "sr": "„“‘‘", "sv": "””’’",
    "sw": "“”‘’", "ta": "“”‘’", "te": "“”‘’", "th": "“”‘’", "tk": "“”“”", "tr": "“”‘’",
    "uk": "«»„“", "und": "“”‘’", "ur": "”“’‘", "uz": "“”’‘", "vi": "“”‘’", "yo": "“”‘’",
    "yue": "「」『』", "zh": "“”‘’", "zu": "“”‘’",}
"""The quotation marks of each language: start, end, alternate start, alternate end."""

MARKS = frozenset('"“”„‟«»‹›「」『』')
"""What is read as a quotation mark (the apostrophes ' ’ ‚ are left alone: they also stand
inside words)."""


def check(catalog: Catalog, language: str, shown: str) -> Iterator[Diagnostic]:
    """A warning for each translated entry that quotes with marks of another language."""
    own = DELIMITERS.get(language.split("_")[0])
    if own is None:
        return
    for message in catalog:
        if not message.id or not message.string:
            continue
        foreign = sorted(MARKS.intersection("".join(catalogs.texts(message.string)))
                         - set(own))
        if foreign:
            yield Diagnostic(shown, message.lineno or 1, 1, "i18n.quotes",
                             catalogs.where(message),
                             f"{' '.join(foreign)}: not this language's quotation marks (CLDR); "
                             f"quote with {own[0]}…{own[1]}, and inside a quotation with "
                             f"{own[2]}…{own[3]}", Severity.WARNING)
