"""What the site's search finds: the settings of material's search per language, and what
the index holds beyond the words of each page.

material's search (lunr.js in the browser) adds a wildcard to every word typed, which skips
stemming: a word is found where a word of the page starts with it. So the index holds the
words as written (stop words left out), and:

- the terms that editors give a measure (`keywords`), on the measure's own entry and weighed
  like its title, so that 'non-punishment' finds the measure that never uses the word;
- in Arabic, the article and the letters joined before it (ال, وال, بال, لل...) end a word
  like a space does, in the pages and in what the reader types alike: التعويض, بالتعويض and
  تعويض all find تعويض;
- white space where one block of a page ends and the next begins, so that cells, items and
  labels are not run together into one word ('Country of originAll forms').

The pages rank by kind: a measure above an actor, and both above the contacts of a
country, whose institutions' names repeat the actors' (`BOOST`).
"""

from __future__ import annotations

import re
from typing import Any

LANGUAGES = {"bg": "ru", "uk": "ru"}
"""The language support of lunr.js that each language uses, its own where lunr.js has it:
Bulgarian uses the Russian one, which reads Cyrillic and shares many stop words."""

SEPARATOR = r"[\s\-,;:!?()\[\]\"'«»“”„’،؛؟]+|\.(?!\d)"
"""Where words end: white space, hyphens, punctuation of every published language (the
Arabic comma, semicolon and question mark too), and a full stop not followed by a digit
(so that 2011/36/EU and 5.2 stay whole)."""

ARABIC_ARTICLE = r"(?:^|(?<=[\s،؛(«\"]))(?:[وفبك]?ال|[وف]?لل)(?=[\u0621-\u064a]{2})"
"""The Arabic article at the start of a word, alone or after و ف ب ك, and لل (لِ + ال),
when at least two letters follow. Written so that Python and JavaScript read it alike."""

PIPELINE = ["stopWordFilter"]
"""lunr's functions applied to the words: stop words only (no stemming, see above)."""

FIELDS = {"title": {"boost": 1e3}, "text": {"boost": 1.0}, "keywords": {"boost": 1e3}}
"""The fields of an entry and their weight: the keywords as much as a title."""

BOOST = {"measures": 2.0, "contacts": 0.4}
"""The weight of a page by its folder (1 for the others)."""

_BLOCK_END = re.compile(r"(</(?:p|div|li|td|th|tr|dt|dd|h[1-6]|ul|ol|table|section|nav"
                        r"|figcaption|summary|details|caption)>|<br ?/?>)(?=\S)")


def configure(config: dict[str, Any], language: str) -> None:
    """Set material's search plugin (its `config`) for a site in `language`."""
    config["lang"] = [LANGUAGES.get(language, language)]
    config["separator"] = separator(language)
    config["pipeline"] = list(PIPELINE)
    config["fields"] = {name: dict(spec) for name, spec in FIELDS.items()}


def separator(language: str) -> str:
    """Where words end in `language` (a regular expression that Python and JavaScript read
    alike)."""
    return SEPARATOR + ("|" + ARABIC_ARTICLE if language == "ar" else "")


def spaced(content: str) -> str:
    """A page's HTML with a line break after each block and each <br> that text or another
    element follows at once: browsers show it exactly as before, and the search reads the
    blocks apart."""
    return _BLOCK_END.sub("\\1\n", content)


def boost(url: str) -> float:
    """The weight of the page at `url` in the search results."""
    return BOOST.get(url.split("/", 1)[0], 1.0)


def enrich(docs: list[dict[str, Any]], keywords: dict[str, tuple[str, ...]]) -> None:
    """Add each page's keywords to its own entry (`keywords`: page address → terms), and
    each page's weight."""
    for doc in docs:
        url, _, section = doc["location"].partition("#")
        weight = boost(url)
        if weight != 1.0:
            doc["boost"] = weight
        if not section and keywords.get(url):
            doc["keywords"] = " ".join(keywords[url])
