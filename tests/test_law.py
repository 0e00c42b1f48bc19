"""What the pages say about the law: provisions cited the way their instrument numbers them,
the amendments and the legal currency of each instrument, and a source for every practice."""

from __future__ import annotations

from pathlib import Path

import pytest

from trmgen.i18n.localizer import Localizer

from .html import page
from .languages import PUBLISHED

pytestmark = pytest.mark.slow  # reads the shipped site

LANGUAGES = PUBLISHED


@pytest.mark.parametrize("code", LANGUAGES)
def test_principles_are_cited_as_principles(shipped_site: Path, code: str) -> None:
    tree = page(shipped_site, f"{code}/measures/non-punishment/")
    (item,) = [li for li in tree.xpath("//ul[@class='trm-legal']/li")
               if li.xpath("a[contains(@href, '#ohchr-principles')]")]
    text = " ".join(item.text_content().split())
    assert text.endswith(" 7")
    english = page(shipped_site, "en/measures/non-punishment/")
    label = " ".join(english.xpath("string(//ul[@class='trm-legal']/li"
                                   "[a[contains(@href, '#ohchr-principles')]])").split())
    assert label.endswith("Principle 7") and "article" not in label
    if code != "en":
        assert text != label  # the word for Principle is translated


def test_the_amendment_is_cited_through_the_article_it_amended(shipped_site: Path) -> None:
    for path in sorted((shipped_site / "en/measures").glob("*/index.html")):
        tree = page(shipped_site, f"en/measures/{path.parent.name}/")
        items = tree.xpath("//ul[@class='trm-legal']/li")
        assert not [li for li in items if li.xpath("a[contains(@href, '#directive-2024-1712')]")]
    tree = page(shipped_site, "en/measures/first-screening/")
    assert any(" ".join(li.text_content().split()).endswith(
        "article 11(4), as amended by Directive (EU) 2024/1712")
        for li in tree.xpath("//ul[@class='trm-legal']/li"))


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_legal_page_states_the_law_as_of_and_each_status(shipped_site: Path,
                                                              code: str) -> None:
    tree = page(shipped_site, f"{code}/legal/")
    assert tree.xpath("//p[@class='trm-law-as-of']/strong")
    status = tree.xpath("//h2[@id='directive-2011-36']/following-sibling::ul"
                        "[@class='trm-status'][1]/li")
    assert len(status) == 3  # in force, transposition deadline, amended by
    # the articles listed in the language's own way (CLDR), e.g. "2(3), 11(4), and 18a"
    assert Localizer(code).listing(["2(3)", "11(4)", "18a"]) in status[2].text_content()
    assert tree.xpath("//h2[@id='ohchr-principles']/following-sibling::ul"
                      "[@class='trm-status'][1]/li")  # guidance, binds no state


def test_every_good_practice_names_its_source(shipped_site: Path) -> None:
    practices = 0
    for path in sorted((shipped_site / "en/measures").glob("*/index.html")):
        tree = page(shipped_site, f"en/measures/{path.parent.name}/")
        for practice in tree.xpath("//div[@class='trm-practice']"):
            practices += 1
            source = practice.xpath("p[@class='trm-source']")
            assert source and "Source: " in source[0].text_content(), path
    assert practices >= 15


@pytest.mark.parametrize("code", LANGUAGES)
def test_new_forms_and_child_signs_have_their_indicators(shipped_site: Path,
                                                         code: str) -> None:
    for form in ("domestic-servitude", "organ-removal", "illegal-adoption", "surrogacy"):
        tree = page(shipped_site, f"{code}/exploitation/{form}/")
        assert len(tree.xpath("//ul[@class='trm-indicators']/li")) >= 4, form
    children = page(shipped_site, f"{code}/children/")
    assert len(children.xpath("//h2[@id='child-indicators']/following-sibling::ul[1]/li")) >= 6
    screening = page(shipped_site, f"{code}/measures/first-screening/")
    groups = screening.xpath("//h3[@class='trm-indicator-group']")
    assert len(groups) == 11  # the nine forms, every form together, and children
