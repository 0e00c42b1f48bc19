"""The termbase check: where the English text of an entry names a key concept, its
translation uses the concept's approved term (guidelines/termbase.yaml), and none of the
translations the termbase says to avoid.

Terms are matched tolerantly of inflection:

- texts are compared in lower case, without Arabic vowel marks and tatweel;
- in the English text, a word of a term matches a word that starts with it ("victim"
  matches "victims", "trafficker" "traffickers" but not "trafficking");
- in a translation, a word of a term matches a word that starts with the term word's stem:
  the word itself when it has at most four letters, else the word without its last quarter
  (at most three letters): "ненаказване" matches "ненаказването", "опікун" "опікуна";
- in Arabic, a word of the text also matches without the article and the letters joined
  before it (ال، وال، بال، لل، و، ف، ب، ل، ك): "بالتعويض" matches "تعويض";
- the words of a term follow one another, with at most two other words between two of them
  ("titre provisoire de séjour" matches "titre de séjour").

An English form that starts like the concept's but names something else is listed in
`not_en` (the English "medical screening" beside "screening").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence

from babel.messages.catalog import Catalog

from trmgen.diagnostics import Diagnostic, Severity
from trmgen.i18n import catalogs
from trmgen.sources.model import Termbase

_WORD = re.compile(r"\w+")
_MARKS = re.compile("[\u0640\u064b-\u065f\u0670]")
_ARTICLE = "ال"
_JOINED = ("وال", "بال", "فال", "كال", "لل", _ARTICLE, "و", "ف", "ب", "ل", "ك")
GAP = 2
"""How many other words may stand between two words of a term."""


@functools.lru_cache(maxsize=65536)
def words(text: str) -> tuple[str, ...]:
    """The words of a text, in lower case, without Arabic vowel marks (kept: the English
    texts are the same in every language)."""
    return tuple(_WORD.findall(_MARKS.sub("", unicodedata.normalize("NFC", text)).lower()))


def stem(word: str) -> str:
    """The start of a word that its inflected forms share."""
    if len(word) <= 4:
        return word
    return word[: len(word) - min(3, len(word) // 4)]


def _forms(word: str) -> Iterator[str]:
    """A word, and the same without an Arabic article or a letter joined before it."""
    yield word
    for joined in _JOINED:
        if word.startswith(joined) and len(word) - len(joined) >= 2:
            yield word[len(joined):]


@functools.lru_cache(maxsize=4096)
def _stems(term: str, stemmed: bool) -> tuple[str, ...]:
    return tuple(stem(word[len(_ARTICLE):] if word.startswith(_ARTICLE) and len(word) > 3
                      else word) if stemmed else word for word in words(term))


def names(text: Sequence[str], term: str, *, stemmed: bool = True) -> bool:
    """Whether a text (its `words`) names `term`, tolerantly of inflection (of a word's
    end only, without `stemmed`)."""
    stems = _stems(term, stemmed)
    joined = " ".join(text)
    if not stems or not all(part in joined for part in stems):
        return False  # each stem stands somewhere in a text that names the term

    def matches(index: int, part: str) -> bool:
        return any(form.startswith(part) for form in _forms(text[index]))

    @functools.cache
    def follows(at: int, part: int) -> bool:
        """Whether the term's words from `part` on follow the text's word `at` (each pair
        is looked at once, however long the term: a termbase is an editor's file)."""
        return part == len(stems) or any(
            matches(i, stems[part]) and follows(i, part + 1)
            for i in range(at + 1, min(at + 2 + GAP, len(text))))

    return any(matches(start, stems[0]) and follows(start, 1) for start in range(len(text)))


def check(catalog: Catalog, language: str, termbase: Termbase, shown: str,
          termbase_shown: str) -> Iterator[Diagnostic]:
    """A warning for each translated entry whose English text names a concept of the
    termbase and whose translation does not use the concept's approved term, or uses a
    translation to avoid."""
    concepts = [(term.id, tuple(term.en), tuple(term.not_en),
                 tuple(term.approved.get(language, ())), tuple(term.avoid.get(language, ())))
                for term in termbase.terms if term.approved.get(language) or
                term.avoid.get(language)]
    exempt = [re.compile("[^/]*".join(map(re.escape, pattern.split("*"))))
              for pattern in termbase.exempt]
    for message in catalog:
        if not message.id or not message.string or message.fuzzy or any(
                pattern.fullmatch(message.context or "") for pattern in exempt):
            continue
        english = " ".join(catalogs.texts(message.id))
        translated = " ".join(catalogs.texts(message.string))
        for concept, forms, unlike, approved, avoid in concepts:
            said = _said(english, forms, unlike)
            problem = said and _problem(said, translated, approved, avoid)
            if problem:
                yield Diagnostic(shown, message.lineno or 1, 1, "i18n.term",
                                 catalogs.where(message),
                                 f"{problem} ({termbase_shown}: '{concept}')", Severity.WARNING)


@functools.lru_cache(maxsize=65536)
def _said(english: str, forms: tuple[str, ...], unlike: tuple[str, ...]) -> str | None:
    """Which of a concept's English `forms` an English text names, if any and if it names
    none of the forms `unlike` it (kept: every language has the same English texts)."""
    text = words(english)
    said = next((form for form in forms if names(text, form, stemmed=False)), None)
    if said is None or any(names(text, form, stemmed=False) for form in unlike):
        return None
    return said


@functools.lru_cache(maxsize=65536)
def _problem(said: str, translated: str, approved: tuple[str, ...],
             avoid: tuple[str, ...]) -> str | None:
    """What is wrong with a translation of a text that names a concept (`said`, the English
    form it uses), if anything (kept, since `serve` checks the same catalogs on every
    edit)."""
    text = words(translated)
    avoided = next((form for form in avoid if names(text, form)), None)
    if avoided:
        instead = f"; use '{approved[0]}'" if approved else ""
        return (f"the English text says '{said}': '{avoided}' is not its approved "
                f"translation{instead}")
    if approved and not any(names(text, form) for form in approved):
        return f"the English text says '{said}': use the approved term '{approved[0]}'"
    return None

