"""Offline and print: the PDFs, the contact sheets, the form and the offline copies."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from pypdf import PdfReader

from trmgen.content.edition import Edition, validated
from trmgen.print.documents import PT_TO_MM, book
from trmgen.sources.layout import Layout
from trmgen.sources.model import ALL_FORMS

from .conftest import ROOT
from .html import page, parse
from .languages import PUBLISHED
from .pdf_facts import arabic_key, page_texts

LANGUAGES = PUBLISHED
# pdftotext marks the direction of Arabic runs with these control characters.
_DIRECTION_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def editions() -> dict[str, Edition]:
    edition = validated(Layout(ROOT))
    return {code: edition.edition(code) for code in LANGUAGES}


def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return " ".join(_DIRECTION_MARKS.sub("", text).split())


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":")
                                                  for line in out.splitlines())}


@pytest.mark.parametrize("code", LANGUAGES)
def test_book_per_language(shipped_site: Path, editions: dict[str, Edition],
                           code: str) -> None:
    path = shipped_site / f"downloads/trm-guidelines-{code}.pdf"
    info = pdf_info(path)
    assert 80 <= int(info["Pages"]) <= 300
    assert info["Tagged"] == "yes"
    guide = editions[code].guide
    assert info["Title"] == str(guide.guideline.title)
    outline = PdfReader(path).outline
    top = [item for item in outline if not isinstance(item, list)]
    assert len(top) >= 9  # contents, introduction, overview, five SOPs, contacts, law
    assert any(isinstance(item, list) and len(item) >= 6 for item in outline), "measures"
    text = pdf_text(path)
    bookmarks = " | ".join(str(item.title) for item in top)
    for sop in guide.sops:
        assert str(sop.title) in bookmarks, (code, sop.title)
    assert guide.guideline.edition in text
    if code != "ar":  # text extraction reorders Arabic letters (see below)
        for sop in guide.sops:
            assert " ".join(str(sop.title).split()) in text, (code, sop.title)
        provenance = editions[code].translations.gettext(PROVENANCE)
        assert " ".join(provenance.split())[:60] in " ".join(text.split())
        assert "ICMPD" in text


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_book_has_the_site_chapters(shipped_site: Path, editions: dict[str, Edition],
                                        code: str) -> None:
    """Children, Who does what and Forms of exploitation, as on the site, each measure
    they name with its page in the book."""
    path = shipped_site / f"downloads/trm-guidelines-{code}.pdf"
    gettext = editions[code].translations.gettext
    reader = PdfReader(path)
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    chapters = [gettext(t) for t in ("Children", "Who does what", "Forms of exploitation")]
    assert [t for t in top if t in chapters] == chapters
    if code == "ar":  # text extraction reorders Arabic letters (see below)
        return
    guide, labels = editions[code].guide, editions[code].labels
    text = pdf_text(path)
    sop = guide.sops[0]
    assert " ".join(gettext("In %(sop)s, you:").replace("%(sop)s", str(sop.title)).split()) \
        in text
    assert " ".join(gettext("Signs of trafficking in a child").split()) in text
    for form in ALL_FORMS:
        assert " ".join(labels.form(form).split()) in text
    for actor in guide.actors:
        assert " ".join(str(actor.name).split()) in text
    # A listed measure's line ends with its page, at the end of the line.
    laid_out = "\n".join(page_texts(path.read_bytes()))
    listed = re.findall(r"\S {3,}(\d+)$", laid_out, re.MULTILINE)
    assert len(listed) > 200, "chapter lists and contents give page numbers"


PROVENANCE = ("This guideline is an independent text written for this project. It follows the "
              "structure of the Transnational Referral Mechanism guidelines (five Standard "
              "Operating Procedures of measures), but it is not the ICMPD text, and ICMPD has "
              "not reviewed it.")
"""The statement of what the text is, on the cover of every book."""


def test_arabic_book_reads_in_logical_order(shipped_site: Path,
                                            editions: dict[str, Edition]) -> None:
    text = arabic_key(pdf_text(shipped_site / "downloads/trm-guidelines-ar.pdf"))
    sop = editions["ar"].guide.sops[0]
    # A heading may wrap: its first three words stand on one line.
    for phrase in (str(sop.title), " ".join(str(sop.measures[0].title).split()[:3])):
        words = arabic_key(phrase).split()
        assert " ".join(words) in text, phrase
        assert " ".join(reversed(words)) not in text
        assert " ".join(word[::-1] for word in words) not in text


@pytest.mark.parametrize("code", LANGUAGES)
def test_contact_sheets_and_form(shipped_site: Path, editions: dict[str, Edition],
                                 code: str) -> None:
    edition = editions[code]
    loc = edition.loc
    sheets = shipped_site / f"downloads/contacts/{code}"
    for country in edition.guide.countries:
        tree = parse(sheets / f"{country.code.lower()}.html")
        assert tree.xpath("/html/@lang") == [code]
        assert tree.xpath("normalize-space(//h2)") == loc.country(country.code)
        assert len(tree.xpath("//div[@class='institution']")) == len(
            country.contacts.institutions)
        assert tree.xpath("//p[@class='verified']")
    key = arabic_key if code == "ar" else str
    text = key(pdf_text(shipped_site / f"downloads/trm-contacts-{code}.pdf"))
    for country in edition.guide.countries:
        assert key(loc.country(country.code)) in text
    form = PdfReader(shipped_site / f"downloads/trm-referral-form-{code}.pdf")
    fields = form.get_fields() or {}
    assert len(fields) >= 12, "the PDF form has fields to fill in"
    assert key(str(edition.guide.form.title)) in key(pdf_text(
        shipped_site / f"downloads/trm-referral-form-{code}.pdf"))


def test_form_page_stores_nothing(shipped_site: Path) -> None:
    tree = page(shipped_site, "fr/referral-form/")
    assert tree.xpath("//article//form") == [], "nothing to submit"
    assert tree.xpath("//article//script") == []
    assert len(tree.xpath("//input | //textarea")) >= 25
    labels = {str(x) for x in tree.xpath("//label/@for")}
    assert {str(x) for x in tree.xpath("//input[@type='text']/@id")} <= labels
    (pdf,) = tree.xpath("//p[@class='trm-form-pdf']/a/@href")
    assert (shipped_site / "fr/referral-form" / pdf).resolve() == \
        (shipped_site / "downloads/trm-referral-form-fr.pdf").resolve()


def test_downloads_page_lists_every_file(shipped_site: Path) -> None:
    files = {p.relative_to(shipped_site).as_posix()
             for p in (shipped_site / "downloads").rglob("*") if p.is_file()}
    # per language: book, contact sheets, form, JSON, offline copy, 12 country sheets;
    # then the copy with all languages, the JSON Schema, the contacts as CSV and HSDS, the
    # adoption as CSV, and the vCards
    vcards = 12 + sum(1 for _ in (shipped_site / "downloads/vcards").glob("*/*.vcf"))
    assert len(files) == len(LANGUAGES) * (5 + 12) + 1 + 4 + vcards
    for code in LANGUAGES:
        rows = [row for url in (f"{code}/downloads/", f"{code}/open-data/")
                for row in page(shipped_site, url).xpath("//tbody/tr")]
        linked = {str(row.xpath("string(td[2]/a/@href)")).replace("../../", "")
                  for row in rows}
        assert linked == files, code
        assert all(row.xpath("string(td[3])").strip() and row.xpath("string(td[4])").strip()
                   for row in rows)
        data = {str(h).replace("../../", "") for h in page(
            shipped_site, f"{code}/open-data/").xpath("//tbody/tr/td[2]/a/@href")}
        assert "downloads/trm-adoption.csv" in data and all(
            not h.endswith((".pdf", ".zip")) for h in data), "open data on its own page"
        mine = page(shipped_site, f"{code}/downloads/").xpath(
            "//ul[@class='trm-downloads-mine']/li/a/@href")
        assert {str(h).replace("../../", "") for h in mine} >= {
            f"downloads/trm-guidelines-{code}.pdf", f"downloads/trm-referral-form-{code}.pdf",
            f"downloads/trm-contacts-{code}.pdf", f"downloads/trm-guidelines-{code}-offline.zip"}
        assert all(f"/{code}" in str(h) or f"-{code}" in str(h) for h in mine), \
            "the reader's language first, and only it"


def test_offline_copies_are_small(shipped_site: Path) -> None:
    for code in LANGUAGES:
        with zipfile.ZipFile(shipped_site / f"downloads/trm-guidelines-{code}-offline.zip") as z:
            names = z.namelist()
        assert all(name.startswith(f"trm-guidelines-{code}/") for name in names)
        assert not [n for n in names if n.endswith(".map")]
        # trmgen's search replaces material's worker and lunr.js, which stay out.
        assert not [n for n in names if "/lunr/" in n or "/workers/" in n]
        assert f"trm-guidelines-{code}/{code}/assets/javascripts/search/worker.js" in names
        assert f"trm-guidelines-{code}/{code}/index.html" in names


def test_offline_copy_works_from_file(shipped_site: Path, tmp_path: Path,
                                      browser: Browser) -> None:
    with zipfile.ZipFile(shipped_site / "downloads/trm-guidelines-all-offline.zip") as z:
        z.extractall(tmp_path)
    root = tmp_path / "trm-guidelines-all"
    context = browser.new_context()
    refused: list[str] = []

    def guard(route, request):  # type: ignore[no-untyped-def]
        if request.url.startswith("file:"):
            route.continue_()
        else:
            refused.append(request.url)
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    tab.goto((root / "index.html").as_uri())
    tab.click("a[hreflang='fr']")
    tab.wait_for_url("**/fr/index.html")
    box = tab.locator("input.md-search__input")
    box.click()
    box.press_sequentially("hébergement", delay=30)  # typed, as a person does
    tab.wait_for_selector(".md-search-result__item", timeout=30000)
    found = tab.locator(".md-search-result__item > a").evaluate_all(
        "links => links.map(a => a.href)")
    assert any("/fr/measures/safe-accommodation.html" in str(url) for url in found)
    # A flowchart link and the language switcher lead to existing files.
    tab.goto((root / "fr/sops/identification/index.html").as_uri())
    tab.locator("figure.trm-chart svg a").first.click()
    tab.wait_for_url("**/fr/measures/*.html")
    french = tab.url
    tab.locator("li.md-select__item a[hreflang='en']").dispatch_event("click")
    tab.wait_for_url(french.replace("/fr/", "/en/"))
    assert tab.locator("h1").count() == 1
    context.close()
    assert refused == []


def test_an_unchanged_document_is_not_printed_again(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from trmgen.print import pdf

    monkeypatch.setenv("TRMGEN_CACHE", str(tmp_path))
    html = "<html lang='en'><body><h1>Sheet</h1></body></html>"
    first = pdf.to_pdf(html)
    assert len(list((tmp_path / "print").glob("*.pdf"))) == 1

    def refuse(*args: object) -> bytes:
        raise AssertionError("printed again")

    monkeypatch.setattr(pdf, "_print", refuse)
    assert pdf.to_pdf(html) == first
    with pytest.raises(AssertionError, match="printed again"):
        pdf.to_pdf(html.replace("Sheet", "Other"))


@pytest.mark.parametrize("language", PUBLISHED)
def test_each_one_language_copy_is_under_5_mb_unzipped(shipped_site: Path,
                                                       language: str) -> None:
    bundle = shipped_site / f"downloads/trm-guidelines-{language}-offline.zip"
    with zipfile.ZipFile(bundle) as z:
        names = z.namelist()
        assert f"trm-guidelines-{language}/{language}/index.html" in names
        assert sum(i.file_size for i in z.infolist()) < 5_000_000


def test_one_language_copy_works_alone(shipped_site: Path, tmp_path: Path,
                                       browser: Browser) -> None:
    bundle = shipped_site / "downloads/trm-guidelines-en-offline.zip"
    with zipfile.ZipFile(bundle) as z:
        z.extractall(tmp_path)
    context = browser.new_context()
    failed: list[str] = []
    tab = context.new_page()
    tab.on("requestfailed", lambda request: failed.append(request.url))
    tab.goto((tmp_path / "trm-guidelines-en/index.html").as_uri())
    tab.wait_for_url("**/trm-guidelines-en/en/index.html")  # the site at once, no chooser
    assert tab.locator(".md-header__option .md-select").count() == 0, "no switcher"
    box = tab.locator("input.md-search__input")
    box.click()
    box.press_sequentially("reflection", delay=30)
    tab.wait_for_selector(".md-search-result__item", timeout=30000)
    context.close()
    assert failed == []


def test_the_book_prints_the_overview_readably(editions: dict[str, Edition]) -> None:
    """The overview is printed one phase (an SOP) at a time, top to bottom: no chart is
    shrunk so far that its boxes' text falls under 8 points; a legend follows."""
    edition = editions["en"]
    printed = book(edition, dt.date(2026, 12, 6))
    overview = {name: chart for name, chart in printed.charts.items()
                if name.startswith("chart-overview-")}
    assert len(overview) == 5
    for name, chart in overview.items():
        drawn = PdfReader(io.BytesIO(chart.pdf)).pages[0].mediabox
        scale = chart.width_mm / (float(drawn.width) * PT_TO_MM)
        assert 11 * scale >= 8, (name, round(11 * scale, 1))
        assert f'id="{name}"' in printed.html
    assert "Each box is a measure. Its colour shows who leads it:" in printed.html
    assert "Dashed box: where the case goes on, shown in the chart of its SOP." in printed.html
