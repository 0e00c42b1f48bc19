"""The book laid out chapter by chapter and bound into one PDF.

A one-field edit changes one part (a measure, a country's contacts, or a part of a long
chapter), so only that part is laid out again; the others come from the cache (print.pdf),
and the book holds no more than one part's layout in memory.
Every chapter of the book starts a page (print.css), so each is laid out as a document of its
own with the book's head, exactly as it is laid out in the whole book, except for what depends
on the other chapters, which the binding settles:

- page numbers (the footer): each chapter is laid out without them, and documents of footers
  only, each for a run of the book's pages, are stamped onto its pages, marked as artifacts
  for assistive technology;
- the page numbers that the contents and the lists of measures print (`.toc a`, `.xref a`):
  written into the chapter that prints them, as the page where the bound book puts their
  target; a chapter that grows moves those numbers, and the chapters that print them are laid
  out again until no number moves (as in a book laid out twice);
- links to another chapter, bookmarks, the destination of each id and the structure tree for
  assistive technology: each chapter's, joined with its pages renumbered (print.writer, which
  writes the book one chapter at a time).
"""

from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import lxml.etree
import lxml.html

from trmgen.diagnostics import BuildError, Diagnostic
from trmgen.print import writer
from trmgen.print.pdf import Chart, Laid, Printable, laid_out
from trmgen.sources import cache

CHAPTER = '<section class="chapter'
"""How each chapter begins in the book's HTML (book.html.j2). Content cannot write it: its
HTML is sanitized to tags without classes (web.templates)."""
NUMBERED = ("toc", "xref")
"""The classes inside which a link prints its target's page (print.css)."""
NUMBERS = "<style>" + ", ".join(f".{kind} a[data-page]::after" for kind in NUMBERED) + \
    " { content: attr(data-page) }</style>"
"""The page numbers that the whole book's layout finds with target-counter() (print.css),
written into each link as data-page: one style rule, where one rule per link would slow
WeasyPrint's cascade down."""
NO_FOOTER = "<style>@page { @bottom-center { content: none } }</style>"
"""A chapter is laid out without the footer, the only place that counts pages (print.css)."""
LINK = re.compile(r'<a href="#([^"]+)"')
"""A link to an id, as the templates and the sanitized content write it."""
MAX_ROUNDS = 6

BREAK = re.compile(r'<div class="part-break( page)?"(?: data-head="([^"<>]*)")?></div>')
"""Where a long chapter may go on in a part of its own, which starts a page (_print.j2,
part_break): between two of its items (measures, countries, lists), with the running head
that such a part sets, if the item after it does not set its own. A break marked `page` is
one where the book starts a page anyway (before each measure of an SOP, and each country's
contacts after the first): a part always begins there, so that an edit of a measure or of a
country's contacts lays out a page or two, not its whole chapter."""
PART_CHARS = 120_000
"""The most HTML a part takes before it goes on in another, where its chapter allows. A
part's layout takes memory in proportion to its HTML, about 0.5 to 0.9 MB for each 1,000
characters (lists of links and tables the most): so the book's memory stays that of a part,
however long its chapters grow."""
FOOTER_PAGES = 400
"""The pages of one document of footers: their memory too stays in bounds."""


@dataclass(frozen=True)
class _Part:
    """The cover and contents, or one chapter, as a document of its own: the book's head,
    `book[start:end]` and the book's end. It is made when laid out, so that the book's HTML
    is held once, not twice."""

    book: str
    start: int
    end: int
    head: str
    tail: str
    charts: dict[str, Chart]
    ids: frozenset[str]
    links: frozenset[str]
    numbered: frozenset[str]
    headers: bool
    """Whether it has table headers, whose ids the binding makes unique in the book."""

    @property
    def html(self) -> str:
        return self.head + self.book[self.start:self.end] + self.tail

    def wanted(self, numbers: dict[str, int]) -> dict[str, int]:
        """The page numbers this part prints, as far as they are known."""
        return {name: numbers[name] for name in sorted(self.numbered) if name in numbers}

    def laid_out(self, numbers: dict[str, int], outside: frozenset[str]) -> Laid:
        """Laid out with the page numbers it prints (`numbers`) written into its links."""
        def numbered(link: re.Match[str]) -> str:
            number = numbers.get(html.unescape(link[1]))
            return link[0] if number is None else f'<a data-page="{number}" href="#{link[1]}"'

        document = LINK.sub(numbered, self.html).replace(
            "</head>", NUMBERS + NO_FOOTER + "</head>", 1)
        return laid_out(Printable(document, self.charts), outside=outside)


def bound_pdf(printable: Printable, *, cover: bool = True) -> bytes:
    """The book (or the contact sheet of every country, whose first page is no `cover`) as
    PDF, the same as the whole document laid out at once.

    The parts are laid out in order, each with the page numbers known so far: those of the
    parts before it, and for the others those of the last book (kept in the cache). A part
    whose numbers then turn out wrong (the contents, on a first build) is laid out again.
    Each part's PDF waits on disk for the binding, which reads one at a time and writes the
    book to disk too: the book's memory is that of one part, however many there are."""
    head, parts = _parts(printable)
    everywhere = frozenset().union(*(part.ids for part in parts))
    hint_key = cache.book_numbers_key(head)
    numbers = _hint(cache.read_json("book-numbers", hint_key))
    with tempfile.TemporaryDirectory(prefix="trmgen-book-") as folder:
        shelf = _Shelf(Path(folder))
        used: list[dict[str, int]] = []
        for _ in range(MAX_ROUNDS):
            for index, part in enumerate(parts):
                wanted = part.wanted(numbers)
                if index < len(used) and used[index] == wanted:
                    continue
                shelf.put(index, part.laid_out(wanted, frozenset(part.links & everywhere
                                                                 - part.ids)))
                used[index:index + 1] = [wanted]
                numbers.update(_pages(shelf.parts))
            if all(part.wanted(numbers) == wanted
                   for part, wanted in zip(parts, used, strict=True)):
                break
        else:
            raise BuildError([Diagnostic("book", 0, 0, "print.numbers", "",
                                         "the page numbers of the book do not settle: report "
                                         "this as a bug of trmgen")])
        headers = [part.headers for part in parts]
        del parts, everywhere  # what the binding does not need
        cache.write_json("book-numbers", hint_key, _pages(shelf.parts))
        pages = sum(one.pages for one in shelf.parts)
        footers = [laid_out(Printable(_footers_html(head, first, min(FOOTER_PAGES, pages - first),
                                                    pages, cover), {}))
                   for first in range(0, pages, FOOTER_PAGES)]
        drawn = sum(one.pages for one in footers)
        if drawn != pages:  # the head put something on the page (a bug of trmgen)
            raise BuildError([Diagnostic("book", 0, 0, "print.footers", "",
                                         f"the book has {pages} pages and its footers "
                                         f"{drawn}: report this as a bug of trmgen")])
        with tempfile.TemporaryFile(dir=folder) as book:
            writer.bind(zip(shelf.laid(), headers, strict=True), pages,
                        [one.pdf for one in footers], book)
            book.seek(0)
            return book.read()


class _Shelf:
    """The parts laid out so far, in order: what the binding needs of each in memory, and
    its PDF on disk."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.parts: list[Laid] = []  # each without its PDF

    def put(self, index: int, one: Laid) -> None:
        """Part `index`, laid out (again, or for the first time: then after the others)."""
        self._path(index).write_bytes(one.pdf)
        self.parts[index:index + 1] = [replace(one, pdf=b"")]

    def laid(self) -> Iterator[Laid]:
        """Each part as laid out, read back one at a time."""
        for index, part in enumerate(self.parts):
            yield replace(part, pdf=self._path(index).read_bytes())

    def _path(self, index: int) -> Path:
        return self.folder / f"{index}.pdf"


def parted(text: str) -> str:
    """The book's HTML with a part at each break that starts a page, and each long chapter
    going on in parts of at most about PART_CHARS (a part holds at least one item), each a
    chapter of its own to lay out: the book laid out whole and the one bound from its parts
    both have them."""
    pieces = BREAK.split(text)  # text, then each break's page mark, head and the text after it
    out, size = [pieces[0]], _grown(0, pieces[0])
    for page, head, piece in zip(pieces[1::3], pieces[2::3], pieces[3::3], strict=True):
        if page or size + len(piece.split(CHAPTER, 1)[0]) > PART_CHARS:
            out.append(f'</section>{CHAPTER}"' + (f' data-head="{head}"' if head else "") + ">")
            size = 0
        out.append(piece)
        size = _grown(size, piece)
    return "".join(out)


def _grown(size: int, piece: str) -> int:
    """The size of the part that `piece` ends, from `size` before it."""
    begun = piece.rfind(CHAPTER)
    return size + len(piece) if begun < 0 else len(piece) - begun


def _pages(laid: list[Laid]) -> dict[str, int]:
    """The page number of each id in the parts laid out, as the book numbers its pages."""
    pages: dict[str, int] = {}
    start = 0
    for one in laid:
        for name, page in one.anchors.items():
            pages.setdefault(name, start + page + 1)
        start += one.pages
    return pages


def _hint(kept: object) -> dict[str, int]:
    """The numbers of the last book of the same head: most often right, saving a round."""
    if not isinstance(kept, dict):
        return {}
    return {name: page for name, page in kept.items()
            if isinstance(name, str) and isinstance(page, int)}


def _parts(printable: Printable) -> tuple[str, list[_Part]]:
    text = printable.html
    body = text.index(">", text.index("<body")) + 1
    closed = text.rindex("</body>")
    head, tail = text[:body], text[closed:]
    starts = [body]
    while (found := text.find(CHAPTER, starts[-1] + 1, closed)) >= 0:
        starts.append(found)
    if len(starts) > 1 and not text[body:starts[1]].strip():
        starts.pop(0)  # nothing before the first chapter (the contact sheet): no part
    parts = []
    for start, end in zip(starts, [*starts[1:], closed], strict=True):
        ids, links, numbered, headers = _links(text[start:end])
        charts = {name: chart for name, chart in printable.charts.items() if name in ids}
        parts.append(_Part(text, start, end, head, tail, charts, ids, links, numbered,
                           headers))
    return head, parts


_LINK_PATH = "a[starts-with(@href, '#') and string-length(@href) > 1]/@href"
_IDS = lxml.etree.XPath("//*[@id != '']/@id")
_LINKS = lxml.etree.XPath(f"//{_LINK_PATH}")
_NUMBERED = lxml.etree.XPath("//*[{}]//{}".format(" or ".join(
    f"contains(concat(' ', normalize-space(@class), ' '), ' {kind} ')" for kind in NUMBERED),
    _LINK_PATH))
_HEADERS = lxml.etree.XPath("boolean(//th)")


def _links(chapter: str) -> tuple[frozenset[str], frozenset[str], frozenset[str], bool]:
    """The ids of a chapter, the ids its links point to, those whose page it prints, and
    whether it has table headers (the only elements to which WeasyPrint gives ids in the
    structure tree)."""
    root = lxml.html.fragment_fromstring(chapter, create_parent="div")
    return (frozenset(str(name) for name in _IDS(root)),
            frozenset(str(href)[1:] for href in _LINKS(root)),
            frozenset(str(href)[1:] for href in _NUMBERED(root)),
            bool(_HEADERS(root)))


def _footers_html(head: str, first: int, pages: int, total: int, cover: bool) -> str:
    """A document of `pages` pages holding nothing but the book's page furniture, for its
    pages from `first` (from 0) of `total`: the `cover` (which has none), then pages that
    each show their number. The page counter starts at the first page's number, and `pages`
    counts the book's pages, not this document's (CSS cannot set it: a counter of our own
    stands for it)."""
    counters = (f"<style>@page :first {{ counter-reset: page {first + 1} "
                f"trmgen-pages {total} }}</style>")
    head = head.replace("counter(pages", "counter(trmgen-pages").replace(
        "</head>", counters + "</head>", 1)
    begin = '<section class="cover"></section>' if cover and first == 0 else "<div></div>"
    breaks = '<div style="break-before: page"></div>' * (pages - 1)
    return f"{head}{begin}{breaks}</body></html>"
