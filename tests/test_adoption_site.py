"""Adoption across countries where readers meet it: the matrix page (HTML through a parser,
and in Chromium at both widths with axe), each country's and each measure's section, the
national steps beside the common ones, both statuses in the view of two countries, and the
book's annex."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from trmgen.content.edition import Edition, validated
from trmgen.i18n.labels import ADOPTION, ADOPTION_SHORT
from trmgen.sources.layout import Layout
from trmgen.sources.model import ADOPTED_STATUSES, AdoptionStatus

from .conftest import ROOT
from .html import ids, page, resolve
from .languages import PUBLISHED, TRANSLATED
from .search_files import entries
from .test_print import pdf_text
from .test_two_countries import WIDTHS, guarded

LANGUAGES = PUBLISHED


@pytest.fixture(scope="module")
def editions() -> dict[str, Edition]:
    edition = validated(Layout(ROOT))
    return {code: edition.edition(code) for code in LANGUAGES}


def text(element: object) -> str:
    return " ".join(element.text_content().split())  # type: ignore[attr-defined]


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_matrix_shows_every_measure_in_every_country(
        shipped_site: Path, editions: dict[str, Edition], code: str) -> None:
    edition = editions[code]
    guide, labels = edition.guide, edition.labels
    tree = page(shipped_site, f"{code}/adoption/")
    columns = tree.xpath("//table[@class='trm-ad-matrix']/thead//th[@scope='col']")
    assert [c.xpath("string(a)") for c in columns[1:]] == [c.code for c in guide.countries]
    for column, country in zip(columns[1:], guide.countries, strict=True):
        assert column.xpath("a/@aria-label") == [edition.loc.country(country.code)]
        target = resolve(shipped_site / code / "adoption/index.html",
                         column.xpath("a/@href")[0])
        assert target and target[1] == "adoption" and "adoption" in ids(page(
            shipped_site, str(target[0].relative_to(shipped_site)))), target
        assert column.xpath("span[@class='trm-ad-sample']"), "sample data is marked"
    rows = tree.xpath("//tr[@data-trm-ad-row]")
    assert len(rows) == len(guide.measures)
    for row, measure in zip(rows, guide.measures, strict=True):
        assert text(row.xpath("th")[0]).startswith(" ".join(str(measure.title).split()))
        cells = row.xpath("td")
        for cell, country in zip(cells, guide.countries, strict=True):
            status = guide.adoption(country, measure).status
            assert cell.get("class") == f"trm-ad trm-ad-{status}"
            assert text(cell) == labels.adoption(status, short=True)
    legend = [text(li) for li in tree.xpath("//ul[@class='trm-ad-legend']/li")]
    assert len(legend) == len(AdoptionStatus)
    assert tree.xpath("//div[contains(@class, 'trm-sample')]"), "the sample banner"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_adoption_text_is_translated(editions: dict[str, Edition], code: str) -> None:
    gettext = editions[code].translations.gettext
    for texts in (ADOPTION, ADOPTION_SHORT):
        for status, english in texts.items():
            assert gettext(english) != english, (code, status)


def test_a_country_page_has_its_adoption_section(shipped_site: Path,
                                                 editions: dict[str, Edition]) -> None:
    edition = editions["en"]
    guide = edition.guide
    bulgaria = guide.country("BG")
    tree = page(shipped_site, "en/contacts/bg/")
    section = tree.xpath("//section[@class='trm-ad-country']")[0]
    assert section.get("data-search-exclude") is not None
    taken = guide.adoption_of(bulgaria)
    adopted = sum(1 for t in taken if t.status in ADOPTED_STATUSES)
    assert f"Adopted: {adopted} of {len(taken)} measures." in text(section)
    assert section.xpath(".//div[contains(@class, 'trm-sample')]")
    listed = section.xpath(".//ul[@class='trm-ad-list']/li/a[1]/@href")
    assert sorted(listed) == sorted(f"../../measures/{m.id}/" for m in guide.measures)
    groups = [text(p) for p in section.xpath(".//p[@class='trm-ad-group']")]
    for status in AdoptionStatus:
        count = sum(1 for t in taken if t.status == status)
        if count:
            assert f"{ADOPTION[status]} ({count})" in groups
    row = section.xpath(".//li[@id='adoption-first-screening']")[0]
    assert "In place of step 2: Ask the regional police directorate" in text(row)
    acts = section.xpath(".//ul[@class='trm-ad-acts']/li")
    assert [a.get("id") for a in acts] == ["act-nrm-decision", "act-anti-trafficking-law"]
    assert all(h.startswith("https://example.org/") for h in
               section.xpath(".//ul[@class='trm-ad-acts']//a/@href"))
    romania = page(shipped_site, "en/contacts/ro/")
    lead = text(romania.xpath("//li[@id='adoption-first-screening']")[0])
    assert "Led by National Agency against Trafficking in Persons (sample)" in lead


def test_a_measure_page_says_where_it_is_adopted(shipped_site: Path,
                                                editions: dict[str, Edition]) -> None:
    guide = editions["en"].guide
    measure = guide.measure("first-screening")
    taken = guide.adopted_in(measure)
    path = shipped_site / "en/measures/first-screening/index.html"
    tree = page(shipped_site, "en/measures/first-screening/")
    section = tree.xpath("//section[@class='trm-ad-measure']")[0]
    adopted = sum(1 for t in taken if t.adopted)
    assert f"Adopted in {adopted} of 12 countries." in text(section)
    assert "Sample data, not facts." in text(section)
    listed = text(section.xpath("ul")[0])
    for row in taken:
        assert listed.count(editions["en"].loc.country(row.country.code)) == 1
    links = section.xpath(".//ul//a/@href")
    assert sorted(links) == ["../../contacts/bg/#adoption-first-screening",
                             "../../contacts/nl/#adoption-first-screening",
                             "../../contacts/ro/#adoption-first-screening"]
    for href in links:
        target = resolve(path, href)
        assert target and target[1] in ids(page(shipped_site, str(
            target[0].relative_to(shipped_site)))), href


def test_adoption_stays_out_of_the_search_index(shipped_site: Path) -> None:
    """The lists repeat the measures' titles, found on their own pages: the index keeps its
    size (see test_browser's budget)."""
    docs = entries(shipped_site, "en")
    assert docs and not [d["location"] for d in docs if "Adopted in" in d["text"]
                or "Adopted:" in d["text"] or d["location"].startswith("adoption/")]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_matrix_filters_by_sop_and_status_by_keyboard(server: str, browser: Browser,
                                                          width: str) -> None:
    context, refused = guarded(browser, width)
    tab = context.new_page()
    tab.goto(server + "en/adoption/")
    rows = tab.locator("tr[data-trm-ad-row]")
    total = rows.count()
    count = tab.locator("[data-trm-ad-count]")
    expect(count).to_have_text(f"{total} of {total} measures shown")
    sop = tab.locator("select[name=sop]")
    sop.focus()
    tab.keyboard.press("ArrowDown")  # the first SOP
    if sop.evaluate("s => s.value") == "":  # a select that opens on arrows: choose and close
        tab.keyboard.press("Enter")
    assert sop.evaluate("s => s.value") == "1"
    shown = tab.locator("tr[data-trm-ad-row]:visible")
    assert 0 < shown.count() < total
    assert tab.locator("tbody[data-sop='2']").is_hidden()
    expect(count).to_have_text(f"{shown.count()} of {total} measures shown")
    sop.select_option("")
    tab.locator("select[name=status]").select_option("not-adopted")
    visible = tab.locator("tr[data-trm-ad-row]:visible")
    assert 0 < visible.count() < total
    for i in range(visible.count()):
        assert visible.nth(i).locator("td.trm-ad-not-adopted").count() >= 1
    dimmed = tab.locator("tr[data-trm-ad-row]:visible td.trm-ad-dim")
    assert dimmed.count() > 0
    assert tab.locator("tr[data-trm-ad-row]:visible td.trm-ad-not-adopted.trm-ad-dim").count() \
        == 0
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    region = tab.locator(".trm-ad-scroll")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-label")
    context.close()
    assert refused == []


@pytest.mark.parametrize("code", ["en", "ar"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_axe_finds_nothing_on_the_matrix(server: str, browser: Browser, code: str,
                                         width: str) -> None:
    context, _ = guarded(browser, width)
    tab = context.new_page()
    tab.goto(server + f"{code}/adoption/")
    tab.locator("select[name=status]").select_option("guidance")
    results = Axe().run(tab)
    context.close()
    assert results.violations_count == 0, results.generate_report()


def test_national_steps_show_beside_the_common_ones(server: str, browser: Browser) -> None:
    context, _ = guarded(browser, "phone")
    tab = context.new_page()
    tab.goto(server + "en/measures/first-screening/?here=BG&from=RO&relation=origin")
    box = tab.locator("[data-trm-variants='first-screening']")
    expect(box).to_be_visible()
    shown = " ".join(box.inner_text().split())
    assert "In Bulgaria (sample data, not facts): Adopted as non-binding guidance" in shown
    assert "In place of step 2: Ask the regional police directorate" in shown
    assert "In Romania (sample data, not facts): In binding law" in shown
    assert "Added after the steps: Record the screening in the national register" in shown
    assert box.evaluate("b => b.previousElementSibling.matches('ol.trm-steps')")
    tab.goto(server + "en/measures/risk-assessment/?here=BG&from=RO&relation=origin")
    expect(tab.locator("[data-trm-variants='risk-assessment']")).to_be_hidden()
    results = Axe().run(tab)
    context.close()
    assert results.violations_count == 0, results.generate_report()


def test_the_view_of_two_countries_shows_both_statuses(server: str, browser: Browser,
                                                      editions: dict[str, Edition]) -> None:
    guide = editions["bg"].guide
    context, _ = guarded(browser, "desktop")
    tab = context.new_page()
    tab.goto(server + "bg/case/#here=BG&from=RO&relation=origin")
    for measure in guide.measures:
        line = tab.locator(f"[data-trm-adoption='{measure.id}']")
        expect(line).to_be_visible()
        shown = line.inner_text()
        for code in ("BG", "RO"):
            status = guide.adoption(guide.country(code), measure).status
            sample = editions["bg"].translations.gettext("sample")
            assert f"{editions['bg'].loc.country(code)} ({sample}) " \
                   f"{editions['bg'].labels.adoption(status)}" in shown, (measure.id, shown)
    context.close()


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_book_has_an_adoption_annex(shipped_site: Path, editions: dict[str, Edition],
                                        code: str) -> None:
    path = shipped_site / f"downloads/trm-guidelines-{code}.pdf"
    title = editions[code].translations.gettext("Adoption by country")
    assert title in [item.title for item in PdfReader(path).outline
                     if not isinstance(item, list)]
    if code == "ar":  # text extraction reorders Arabic letters (see test_print)
        return
    guide, labels = editions[code].guide, editions[code].labels
    printed = pdf_text(path)
    marks = print_marks()
    rows = [" ".join(line.split()) for line in subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True,
        text=True, check=True).stdout.splitlines()]
    for measure in guide.measures:
        row = " ".join(marks[guide.adoption(c, measure).status] for c in guide.countries)
        assert [r for r in rows if r.endswith(row)], measure.id
    for status in AdoptionStatus:
        assert f"{marks[status]} {' '.join(labels.adoption(status).split())}" in printed
    bulgaria = guide.adoption(guide.country("BG"), guide.measure("first-screening"))
    assert bulgaria.entry and " ".join(bulgaria.entry.steps[0].text.split()) in printed


def css_marks(path: Path, prefix: str) -> dict[str, str]:
    css = path.read_text(encoding="utf-8")
    found = re.findall(rf"\.{prefix}([a-z-]+)::before {{ content: \"([^\"]+)\"", css)
    return {status: chr(int(mark[1:], 16)) if mark.startswith("\\") else mark
            for status, mark in found}


def print_marks() -> dict[str, str]:
    return css_marks(ROOT / "templates/print/print.css", "ad-")


def test_the_book_and_the_site_use_the_same_marks() -> None:
    site = css_marks(ROOT / "templates/overrides/assets/stylesheets/trmgen.css", "trm-ad-")
    assert set(site) == {s.value for s in AdoptionStatus}
    assert site == print_marks()
    assert len(set(site.values())) == len(AdoptionStatus), "each status its own mark"
