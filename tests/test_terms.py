"""The termbase and the typography of translations: matching tolerant of inflection, as
trmgen/i18n/terms.py documents it; the shipped catalogs using the approved terms and their
language's quotation marks and spaces (the golden cases i18n-termbase and i18n-quotes show
the warnings an editor meets)."""

from __future__ import annotations

import re

import pytest

from trmgen.checks.validate import validate
from trmgen.i18n import catalogs
from trmgen.i18n.quotes import DELIMITERS
from trmgen.i18n.terms import names, words
from trmgen.sources.layout import Layout

from .conftest import ROOT
from .languages import TRANSLATED


@pytest.mark.parametrize(("text", "term", "found"), [
    ("принципът на ненаказването", "ненаказване", True),       # an ending added
    ("за жертвите на трафик", "жертва", True),                   # an ending changed
    ("в присъствието на опікуна", "опікун", True),
    ("un titre provisoire de séjour", "titre de séjour", True),   # words between
    ("un titre de voyage de séjour", "titre de séjour", True),  # the second "de" counts
    ("un titre, puis après bien des semaines de séjour", "titre de séjour", False),
    ("بالتعويض", "تعويض", True),                                 # joined letters and article
    ("التعويض", "التعويض", True),
    ("مُفَتِّشِيَّة العمل", "مفتشية العمل", True),               # vowel marks
    ("разпит на детето", "изслушване", False),
    ("TRAFIQUANTS", "trafiquant", True),                          # case
])
def test_terms_are_found_whatever_their_inflection(text: str, term: str, found: bool) -> None:
    assert names(words(text), term) is found


def test_english_is_matched_on_whole_words_and_their_endings() -> None:
    """The English side is not stemmed: 'trafficker' names 'traffickers', not
    'trafficking'."""
    assert names(words("fear of the traffickers"), "trafficker", stemmed=False)
    assert not names(words("victims of trafficking"), "trafficker", stemmed=False)


def test_the_shipped_catalogs_use_the_approved_terms() -> None:
    """The shipped termbase holds the key concepts, approved in every translated language,
    and no translation departs from them."""
    sources, diagnostics = validate(Layout(ROOT))
    assert sources.termbase is not None
    terms = {term.id: term for term in sources.termbase.model.terms}
    for concept in ("trafficking", "presumed-victim", "national-referral-mechanism",
                    "recovery-and-reflection-period", "guardian", "labour-inspectorate",
                    "non-punishment", "residence-permit", "screening", "reasonable-grounds",
                    "irregular", "child-friendly-interview", "offence"):
        assert set(TRANSLATED) - {"bg"} <= set(terms[concept].approved), concept
    assert [d.text() for d in diagnostics if d.code in ("i18n.term", "i18n.quotes")] == []


def test_quotation_marks_are_cldrs() -> None:
    """Each language's marks as CLDR gives them: start, end, then the pair inside."""
    assert DELIMITERS["fr"] == "«»«»" and DELIMITERS["uk"] == "«»„“"
    assert DELIMITERS["bg"] == "„“„“" and DELIMITERS["ro"] == "„”«»"
    assert DELIMITERS["ar"] == "”“’‘" and DELIMITERS["en"] == "“”‘’"


def test_french_punctuation_keeps_its_spaces_on_the_line() -> None:
    """French sets a space before : ; ? ! and inside « », and a line must never break there:
    each of these spaces in the French catalog is a non-breaking one."""
    catalog = catalogs.read(Layout(ROOT), "fr")
    texts = [text for message in catalog if message.id and message.string
             for text in ([message.string] if isinstance(message.string, str)
                          else message.string)]
    breaking = [text for text in texts if re.search(r" [:;?!»]|« ", text)]
    assert breaking == []
    assert sum(text.count("\u00a0:") for text in texts) > 100
