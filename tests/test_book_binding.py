"""The book laid out chapter by chapter (print.binding): the same book as one laid out whole,
and after an edit, only what changed laid out again."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import lxml.html
import pytest

from trmgen.content.edition import validated
from trmgen.content.guide import Guide
from trmgen.print import binding, documents
from trmgen.print.binding import CHAPTER, bound_pdf
from trmgen.print.pdf import Printable, laid_out
from trmgen.publish.build import build_date
from trmgen.sources import cache
from trmgen.sources.layout import Layout

from .conftest import ROOT
from .edits import replace_in
from .pdf_facts import bookmarks, links, page_images, page_texts, structure, table_headers


def _laid_out_files() -> set[Path]:
    """The documents laid out so far in this test run (each kept in the cache)."""
    return set((Path(os.environ["TRMGEN_CACHE"]) / "print").glob("*.pdf"))


@contextmanager
def written_chapters() -> Iterator[list[str]]:
    """The chapters written into a bound book while it runs (those that are not copied from
    the cache, where each is then kept)."""
    written: list[str] = []
    keep = cache.write

    def write(kind: str, key: str, content: bytes, suffix: str = "") -> None:
        if kind == "binding" and suffix == ".objects":
            written.append(key)
        keep(kind, key, content, suffix)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "write", write)
        yield written


def assert_same_book(bound: bytes, whole: bytes, *, text: bool = True) -> None:
    """The same pages (as drawn), text, page numbers, bookmarks, links and structure tree;
    without `text`, the text read back is not compared (see the Arabic book)."""
    assert page_images(bound) == page_images(whole)
    if text:
        assert page_texts(bound) == page_texts(whole)
    assert bookmarks(bound) == bookmarks(whole)
    bound_links, whole_links = links(bound), links(whole)
    assert bound_links == whole_links
    assert None not in [target for _, _, target in bound_links], "every link leads somewhere"
    assert structure(bound) == structure(whole)


@pytest.fixture(scope="module")
def book_head() -> tuple[str, str]:
    """The shipped English book's head (its style) and the end of the document."""
    edition = validated(Layout(ROOT)).edition("en")
    html = documents.book(edition, dt.date(2026, 12, 6)).html
    body = html.index(">", html.index("<body")) + 1
    return html[:body], html[html.rindex("</body>"):]


def small_book(head: tuple[str, str], paragraphs: dict[str, int]) -> Printable:
    """A book with a cover, contents and three chapters of `paragraphs` paragraphs each; the
    last chapter lists the others' sections with their pages, as the book's lists do."""
    text = ("A paragraph of the chapter, long enough to take a few lines on the page, so that "
            "the chapters run over several pages. ") * 3
    chapters = ""
    for name, count in paragraphs.items():
        chapters += (f'{CHAPTER}" id="{name}"><h1>Chapter {name}</h1>'
                     + "".join(f'<h2 id="{name}-{n}">Section {n}</h2><p>{text}</p>'
                               for n in range(count))
                     + "</section>")
    listed = "".join(f'<li><a href="#{name}-{n}">Section {n} of {name}</a></li>'
                     for name, count in paragraphs.items() for n in range(0, count, 3))
    contents = "".join(f'<li><a href="#{name}">Chapter {name}</a></li>' for name in paragraphs)
    body = (f'<section class="cover"><h1>A small book</h1></section>'
            f'<nav class="toc"><h2>Contents</h2><ul>{contents}'
            f'<li><a href="#lists">Lists</a></li></ul></nav>{chapters}'
            f'{CHAPTER}" id="lists"><h1>Lists</h1><ul class="xref">{listed}</ul></section>')
    return Printable(head[0] + body + head[1], {})


def test_small_book_bound_is_the_book_laid_out_whole(book_head: tuple[str, str],
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The same book; the parts' PDFs and the book, which wait on disk while it is bound,
    are gone once it is."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    book = small_book(book_head, {"one": 12, "two": 20, "three": 8})
    bound = bound_pdf(book)
    assert_same_book(bound, laid_out(book).pdf)
    assert "Section 3 of two" in "".join(page_texts(bound))
    assert not list(tmp_path.iterdir()), "nothing left behind"


def test_table_headers_keep_ids_of_their_own_in_the_bound_book(
        book_head: tuple[str, str]) -> None:
    """WeasyPrint names a table's headers after the table's number in its own PDF, so two
    chapters alike would give their headers the same ids: the bound book's are unique, and
    each cell names the headers of its own table (what a screen reader reads out)."""
    table = ('<table><thead><tr><th scope="col">Measure</th><th scope="col">Status</th></tr>'
             '</thead><tbody><tr><th scope="row">Screening</th><td>adopted</td></tr></tbody>'
             '</table>')
    body = '<section class="cover"><h1>Tables</h1></section>' + "".join(
        f'{CHAPTER}" id="{name}"><h1>Chapter</h1>{table}</section>' for name in ("one", "two"))
    book = Printable(book_head[0] + body + book_head[1], {})
    whole_ids, _ = table_headers(laid_out(book).pdf)
    bound = bound_pdf(book)
    headers, named = table_headers(bound)
    assert len(headers) == len(whole_ids) == 6
    assert len(set(headers)) == len(headers), "each table header's id is its own"
    assert len(named) == 4
    assert set(named) <= set(headers), "each cell names headers of its own table"
    assert_same_book(bound, laid_out(book).pdf)


def test_an_edit_lays_out_its_chapter_only(book_head: tuple[str, str]) -> None:
    """A changed sentence: its chapter is laid out again and written into the book again,
    nothing else: the other chapters' pieces of the book are copied as they were. A chapter
    that grows by pages: the parts that print the moved page numbers too. Each time, the
    book is still the one laid out whole."""
    sizes = {"alpha": 10, "beta": 14, "gamma": 6}
    book = small_book(book_head, sizes)
    bound_pdf(book)
    before = _laid_out_files()
    edited = Printable(book.html.replace("Section 4</h2>", "Section 4 (edited)</h2>", 1), {})
    with written_chapters() as written:
        bound = bound_pdf(edited)
    assert len(_laid_out_files() - before) == 1, "one chapter laid out again"
    assert len(written) == 1, "one chapter written into the book again"
    assert "Section 4 (edited)" in "".join(page_texts(bound))
    assert_same_book(bound, laid_out(edited).pdf)

    before = _laid_out_files()
    grown = small_book(book_head, {**sizes, "alpha": 30})
    bound = bound_pdf(grown)
    made = len(_laid_out_files() - before)
    # The grown chapter, the contents and the lists (whose numbers moved), the footers.
    assert made == 4, made
    assert_same_book(bound, laid_out(grown).pdf)


@pytest.mark.slow
@pytest.mark.parametrize("code", ["en", "ar"])
def test_shipped_book_bound_is_the_book_laid_out_whole(shipped_site: Path, code: str) -> None:
    """The shipped book (charts, tables, contents, lists of measures, right to left in
    Arabic) bound from its chapters is the one WeasyPrint lays out whole."""
    edition = validated(Layout(ROOT)).edition(code)
    book = documents.book(edition, build_date())
    bound = bound_pdf(book)  # its chapters were laid out by the shipped site's build
    assert (shipped_site / f"downloads/trm-guidelines-{code}.pdf").stat().st_size > 0
    # Each chapter embeds its own subset of the fonts. In Arabic, a glyph that stands for
    # several letters (a ligature with lam, a mirrored bracket) reads back as the letters it
    # was first drawn for in its subset: the text read back differs where the pages drawn
    # are the same. The pages are compared as drawn, and the English book's text too.
    assert_same_book(bound, laid_out(book).pdf, text=code != "ar")


def test_the_adoption_matrix_is_printed_in_tables_a_page_wide(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """At most MATRIX_COUNTRIES countries a table; each further table starts a page of its
    own (a chapter to bind) under the annex's running head, and together the tables give
    every country's status for every measure."""
    edition = validated(Layout(ROOT)).edition("en")
    guide = edition.guide
    whole = documents.book(edition, dt.date(2026, 12, 6))
    assert whole.html.count('class="ad-matrix"') == 1, "the shipped countries fit one table"
    monkeypatch.setattr(documents, "MATRIX_COUNTRIES", 5)
    book = documents.book(edition, dt.date(2026, 12, 6))
    tree = lxml.html.fromstring(book.html)
    tables = tree.xpath("//table[@class='ad-matrix']")
    codes = [[th.text for th in table.xpath("thead//th[@scope='col']")[1:]] for table in tables]
    assert codes == [[c.code for c in guide.countries][i:i + 5]
                     for i in range(0, len(guide.countries), 5)]
    assert len(tables) == 3
    for table in tables[1:]:
        section = table.getparent()
        assert section.get("class") == "chapter"
        assert section.get("data-head") == "Adoption by country"
    for measure in guide.measures:
        cells = [td.get("class") for table in tables for row in table.xpath(".//tr")
                 if row.xpath("th[@scope='row']")[:1]
                 and row.xpath("th[@scope='row']")[0].text_content() == measure.title
                 for td in row.xpath("td")]
        assert cells == [f"ad ad-{row.status}" for row in guide.adopted_in(measure)]
    assert book.html.count(CHAPTER) == whole.html.count(CHAPTER) + 2, "chapters to bind"


@pytest.mark.slow
def test_long_chapters_go_on_in_parts_and_the_book_is_the_same(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A chapter longer than PART_CHARS goes on in parts, each starting a page under the
    chapter's running head, so that no layout holds more than a part; the footers are laid
    out in runs of FOOTER_PAGES. The book bound from them is the book laid out whole."""
    edition = validated(Layout(ROOT)).edition("en")
    whole_chapters = documents.book(edition, dt.date(2026, 12, 6)).html.count(CHAPTER)
    monkeypatch.setattr(binding, "PART_CHARS", 12_000)
    monkeypatch.setattr(binding, "FOOTER_PAGES", 7)
    book = documents.book(edition, dt.date(2026, 12, 6))
    assert "part-break" not in book.html
    tree = lxml.html.fromstring(book.html)
    goes_on = tree.xpath("//section[@class='chapter' and not(@id)]")
    heads = {section.get("data-head") for section in goes_on}
    # Every long chapter goes on: the SOPs, Children, Who does what, Forms of
    # exploitation, the adoption annex, and the contacts, whose countries set their own head.
    assert {f"SOP {sop.number}: {sop.title}" for sop in edition.guide.sops} | {
        "Children", "Who does what", "Forms of exploitation", "Adoption by country",
        None} <= heads
    for section in goes_on:
        if section.get("data-head") is None:
            assert section[0].get("class") == "country", "a country sets its own head"
    assert book.html.count(CHAPTER) > whole_chapters
    head, parts = binding._parts(book)
    for part in parts[1:]:
        items = part.html.count("<article") + part.html.count('class="country"') + \
            part.html.count('class="actor"') + part.html.count('class="form-of-exploitation"')
        assert len(part.html) - len(head) <= 2 * 12_000 or items <= 1, "a part is in bounds"

    bound = bound_pdf(book)
    texts = page_texts(bound)
    assert len(texts) > 5 * 7, "several runs of footers"
    assert_same_book(bound, laid_out(book).pdf)
    for number, text in enumerate(texts[2:], start=3):
        assert f"{number} / {len(texts)}" in text, "each page's own number, of the book's"


@pytest.mark.slow
def test_an_edit_of_a_measure_or_a_contact_lays_out_a_few_pages(
        shipped_site: Path, tmp_path: Path) -> None:
    """Each measure of an SOP, and each country's contacts after the first, starts a page and
    a part of its own (in the book and in the contact sheet), after the SOP's purpose and
    flowchart. So an edit of
    a measure's text lays out that measure's part alone, and an edit of a contact that
    country's part in the book and in the sheet: a few pages, where the whole chapter was
    laid out before (that the book is still the one laid out whole, the small book shows)."""
    root = tmp_path / "repo"
    for name in ("guidelines", "contacts", "flowcharts", "templates"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    assert (shipped_site / "downloads/trm-guidelines-en.pdf").is_file()  # parts laid out

    def printed() -> tuple[Guide, Printable, Printable]:
        edition = validated(Layout(root)).edition("en")
        return (edition.guide, documents.book(edition, build_date()),
                Printable(documents.contacts_html(edition, build_date(),
                                                  list(edition.guide.countries)), {}))

    guide, book, sheet = printed()
    _, parts = binding._parts(book)
    measures = [part.html.count('<article class="measure"') for part in parts]
    assert measures.count(1) == len(guide.measures) and set(measures) <= {0, 1}
    for part in parts:
        assert '<figure class="chart">' not in part.html or '<article' not in part.html
    for document in (book, sheet):
        countries = [part.html.count('<section class="country"') for part in
                     binding._parts(document)[1]]
        assert countries.count(1) == len(guide.countries) and set(countries) <= {0, 1}
    bound_pdf(book), bound_pdf(sheet, cover=False)  # from the parts the build laid out

    replace_in(root / "guidelines/sops/2-first-assistance.yaml",
               "without delay for injuries", "without any delay for injuries")
    replace_in(root / "contacts/AT.yaml", "taskforce.at@example.org", "tasks.at@example.org")
    _, book, sheet = printed()
    before = _laid_out_files()
    bound = bound_pdf(book)
    made = _laid_out_files() - before
    assert len(made) == 2, "the measure's part and Austria's"
    texts = page_texts(bound)
    assert sum(len(page_texts(path.read_bytes())) for path in made) * 20 < len(texts)
    assert "without any delay" in "".join(texts)
    before = _laid_out_files()
    assert "tasks.at@example.org" in "".join(page_texts(bound_pdf(sheet, cover=False)))
    assert len(_laid_out_files() - before) == 1, "Austria's part of the sheet"


@pytest.mark.slow
def test_the_contact_sheet_of_every_country_is_bound_from_parts(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The contact sheet of every country goes on in parts like the book (its countries
    start a page each), with a footer from its first page, which is no cover; bound, it is
    the sheet laid out whole."""
    edition = validated(Layout(ROOT)).edition("en")
    monkeypatch.setattr(binding, "PART_CHARS", 20_000)
    monkeypatch.setattr(binding, "FOOTER_PAGES", 5)
    countries = list(edition.guide.countries)
    sheet = Printable(documents.contacts_html(edition, dt.date(2026, 12, 6), countries), {})
    assert "part-break" not in sheet.html
    _, parts = binding._parts(sheet)
    assert len(parts) > 3
    assert all(part.html.count('class="country"') >= 1 for part in parts)
    bound = bound_pdf(sheet, cover=False)
    assert_same_book(bound, laid_out(sheet).pdf)
    texts = page_texts(bound)
    assert all(f"{number} / {len(texts)}" in text for number, text in enumerate(texts, 1))
