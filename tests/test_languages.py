"""The shipped site in every language: built, right to left for Arabic, localized names."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from .html import page, parse

LANGUAGES = {"en": "English", "fr": "français", "bg": "български", "ro": "română",
             "ar": "العربية"}


def test_chooser_names_every_language_in_itself(shipped_site: Path) -> None:
    tree = parse(shipped_site / "index.html")
    links = {a.get("hreflang"): a.text_content().strip() for a in tree.xpath("//a[@hreflang]")}
    assert links == LANGUAGES


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_language_is_built_in_its_language(shipped_site: Path, code: str) -> None:
    tree = page(shipped_site, f"{code}/measures/first-screening/")
    assert tree.xpath("/html/@lang") == [code]
    assert tree.xpath("//body/@dir") == ["rtl" if code == "ar" else "ltr"]
    switcher = {a.get("hreflang"): a.get("href") for a in
                tree.xpath("//li[@class='md-select__item']/a")}
    assert switcher == {other: f"../../../{other}/measures/first-screening/"
                        for other in LANGUAGES}


@pytest.mark.parametrize("code", ["fr", "bg", "ro"])
def test_french_bulgarian_and_romanian_are_complete(shipped_site: Path, code: str) -> None:
    marked = []
    for html_file in sorted((shipped_site / code).rglob("*.html")):
        if parse(html_file).xpath("//*[contains(@class, 'trm-fallback')]"):
            marked.append(html_file.relative_to(shipped_site).as_posix())
    assert marked == []


def test_arabic_falls_back_visibly_outside_sop_1(shipped_site: Path) -> None:
    translated = page(shipped_site, "ar/measures/first-screening/")
    assert not translated.xpath("//*[contains(@class, 'trm-fallback')]")
    contacts = page(shipped_site, "ar/contacts/bg/")
    assert not contacts.xpath("//*[contains(@class, 'trm-fallback')]"
                              "[not(ancestor::section[@class='trm-ad-country'])]")
    # the adoption section names the measures of SOPs 2-5, still in English, marked
    assert contacts.xpath("//section[@class='trm-ad-country']//a/span[@lang='en']")
    later = page(shipped_site, "ar/measures/safe-accommodation/")
    blocks = later.xpath("//div[contains(@class, 'trm-fallback')]")
    assert blocks and all(b.get("lang") == "en" for b in blocks)
    assert all(b.xpath("string(p[@class='trm-fallback-note'])").strip() for b in blocks)


def test_english_fallback_keeps_its_own_direction_on_the_arabic_site(
        server: str, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(server + "ar/measures/safe-accommodation/")
    block = tab.locator("div.trm-fallback").first
    assert block.evaluate("b => getComputedStyle(b).direction") == "ltr"
    assert block.locator(".trm-fallback-note").evaluate(
        "n => getComputedStyle(n).direction") == "rtl", "the note is in Arabic"
    first, last, stop = block.locator("p:not(.trm-fallback-note)").first.evaluate("""p => {
        const text = p.firstChild, range = document.createRange(), end = text.length;
        range.setStart(text, 0); range.setEnd(text, 1);
        const first = range.getBoundingClientRect();
        range.setStart(text, end - 1); range.setEnd(text, end);
        return [first.left, range.getBoundingClientRect().left, text.data.slice(-1)]; }""")
    assert stop == "." and last > first, "the full stop ends the English line on the right"
    inline = tab.locator("span.trm-fallback").first
    assert inline.evaluate("s => getComputedStyle(s).direction") == "ltr"
    context.close()


def test_english_fallback_keeps_its_own_direction_in_the_arabic_book(
        shipped_site: Path) -> None:
    """Set right to left, an English sentence's full stop lands before its first word: in the
    PDF's lines of English, '.compensation' instead of 'compensation.'. (Arabic lines that
    quote an act's number are #20's.)"""
    layout = subprocess.run(
        ["pdftotext", "-bbox-layout", str(shipped_site / "downloads/trm-guidelines-ar.pdf"),
         "-"], capture_output=True, text=True, check=True).stdout
    lines = [re.findall(r"<word [^>]*>([^<]*)</word>", line)
             for line in re.findall(r"<line[^>]*>(.*?)</line>", layout, re.DOTALL)]
    english = [words for words in lines if not re.search("[\u0600-\u06ff]", " ".join(words))
               and re.search("[A-Za-z]{3}", " ".join(words))]
    assert len(english) > 1000, "Arabic still falls back to English in SOPs 2-5"
    assert [w for words in english for w in words if re.match(r"[.,;:][A-Za-z]", w)] == []


def test_names_dates_and_hours_come_from_cldr(shipped_site: Path) -> None:
    tree = page(shipped_site, "fr/contacts/bg/")
    assert tree.xpath("normalize-space(//h1/text())") == "Bulgarie"
    text = tree.text_content()
    assert "lun." in text and "+359 40" in text
    legal = page(shipped_site, "fr/legal/").text_content()  # "Law as of", dates in force
    assert "décembre 2026" in legal and "15 avril 2011" in legal
    assert page(shipped_site, "bg/contacts/de/").xpath(
        "normalize-space(//h1/text())") == "Германия"
    assert page(shipped_site, "ar/contacts/ro/").xpath(
        "normalize-space(//h1/text())") == "رومانيا"


def test_status_page_lists_every_translated_language(shipped_site: Path) -> None:
    tree = page(shipped_site, "en/status/")
    assert [h.get("id") for h in tree.xpath("//h2")] == ["fr", "bg", "ro", "ar"]
    rows = tree.xpath("//h2[@id='fr']/following-sibling::div[1]//tbody/tr")
    assert len(rows) >= 8
    missing = [row.xpath("string(td[4])") for row in rows]
    assert set(missing) == {"0"}
