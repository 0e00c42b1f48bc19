"""The book laid out chapter by chapter and bound into one PDF.

A one-field edit changes one chapter, so only that chapter is laid out again; the others come
from the cache (print.pdf), and the book holds no more than one chapter's layout in memory.
Every chapter of the book starts a page (print.css), so each is laid out as a document of its
own with the book's head, exactly as it is laid out in the whole book, except for what depends
on the other chapters, which the binding settles:

- page numbers (the footer): each chapter is laid out without them, and one document of
  footers only, laid out for the whole book, is stamped onto its pages, marked as artifacts
  for assistive technology;
- the page numbers that the contents and the lists of measures print (`.toc a`, `.xref a`):
  written into the chapter that prints them, as the page where the bound book puts their
  target; a chapter that grows moves those numbers, and the chapters that print them are laid
  out again until no number moves (as in a book laid out twice);
- links to another chapter, bookmarks, the destination of each id and the structure tree for
  assistive technology: each chapter's, joined with its pages renumbered.
"""

from __future__ import annotations

import html
import io
import re
import warnings
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, cast

import pikepdf
from pikepdf import Name

from trmgen.diagnostics import BuildError, Diagnostic
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


@dataclass(frozen=True)
class _Part:
    """The cover and contents, or one chapter, as a document of its own."""

    html: str
    charts: dict[str, Chart]
    ids: frozenset[str]
    links: frozenset[str]
    numbered: frozenset[str]

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


def book_pdf(printable: Printable) -> bytes:
    """The book as PDF, the same as the whole book laid out at once.

    The parts are laid out in order, each with the page numbers known so far: those of the
    parts before it, and for the others those of the last book (kept in the cache). A part
    whose numbers then turn out wrong (the contents, on a first build) is laid out again."""
    head, parts = _parts(printable)
    everywhere = frozenset().union(*(part.ids for part in parts))
    hint_key = cache.book_numbers_key(head)
    numbers = _hint(cache.read_json("book-numbers", hint_key))
    laid: list[Laid] = []
    used: list[dict[str, int]] = []
    for _ in range(MAX_ROUNDS):
        for index, part in enumerate(parts):
            wanted = part.wanted(numbers)
            if index < len(laid) and used[index] == wanted:
                continue
            one = part.laid_out(wanted, frozenset(part.links & everywhere - part.ids))
            if index < len(laid):
                laid[index], used[index] = one, wanted
            else:
                laid.append(one)
                used.append(wanted)
            numbers.update(_pages(laid))
        if all(part.wanted(numbers) == wanted for part, wanted in zip(parts, used, strict=True)):
            break
    else:
        raise BuildError([Diagnostic("book", 0, 0, "print.numbers", "",
                                     "the page numbers of the book do not settle: report "
                                     "this as a bug of trmgen")])
    cache.write_json("book-numbers", hint_key, numbers)
    footers = laid_out(Printable(_footers(head, sum(one.pages for one in laid)), {}))
    return _bind(laid, footers.pdf)


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
    pieces = text[body:closed].split(CHAPTER)
    chapters = [pieces[0], *(CHAPTER + piece for piece in pieces[1:])]
    parts = []
    for chapter in chapters:
        document = head + chapter + tail
        found = _Links()
        found.feed(chapter)
        charts = {name: chart for name, chart in printable.charts.items()
                  if name in found.ids}
        parts.append(_Part(document, charts, frozenset(found.ids), frozenset(found.links),
                           frozenset(found.numbered)))
    return head, parts


class _Links(HTMLParser):
    """The ids of a chapter, the ids its links point to, and those whose page it prints."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                      "meta", "source", "track", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: set[str] = set()
        self.numbered: set[str] = set()
        self._open: list[bool] = []  # per open element: inside a numbered list

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        inside = bool(self._open and self._open[-1])
        if values.get("id"):
            self.ids.add(values["id"])
        href = values.get("href", "")
        if tag == "a" and href.startswith("#") and len(href) > 1:
            self.links.add(href[1:])
            if inside:
                self.numbered.add(href[1:])
        if tag not in self.VOID:
            classes = values.get("class", "").split()
            self._open.append(inside or any(kind in classes for kind in NUMBERED))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self._open:
            self._open.pop()


def _footers(head: str, pages: int) -> str:
    """A document of `pages` pages holding nothing but the book's page furniture: the cover
    (which has none), then pages that each show their number."""
    breaks = '<div style="break-before: page"></div>' * (pages - 1)
    return f'{head}<section class="cover"></section>{breaks}</body></html>'


def _bind(laid: list[Laid], footers: bytes) -> bytes:
    """The chapters' PDFs as one, with the footers stamped onto their pages. One chapter is
    open at a time: its pages and elements are copied into the book, with the data of its
    streams, and it is closed, so that the binding holds the book and one chapter."""
    book = pikepdf.Pdf.new()
    tree = _Tree(book, sum(one.pages for one in laid))
    found: dict[str, pikepdf.Object] = {}
    start = 0
    with book.open_outline() as outline:
        for number, one in enumerate(laid):
            with pikepdf.Pdf.open(io.BytesIO(one.pdf)) as chapter:
                with warnings.catch_warnings():  # about the ids' destinations (see below)
                    warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                    book.pages.extend(chapter.pages)
                if number == 0:
                    _catalog(book, chapter)
                tree.add(chapter, one, start, f"c{number}-")
                _destinations(book, chapter, one, found)
                with chapter.open_outline() as own:
                    outline.root.extend(_items(chapter, own.root, start))
                _keep_streams(book.pages[start:start + one.pages])
            start += one.pages
    tree.finish()
    names = pikepdf.NameTree.new(book)
    for name in sorted(found):
        names[name] = found[name]
    book.Root.Names = pikepdf.Dictionary(Dests=names.obj)
    with pikepdf.Pdf.open(io.BytesIO(footers)) as stamps:
        _stamp(book, stamps)
        out = io.BytesIO()
        book.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _catalog(book: pikepdf.Pdf, first: pikepdf.Pdf) -> None:
    """The document's title, language and marks, as the first chapter has them."""
    book.docinfo = cast(pikepdf.Dictionary, book.copy_foreign(first.docinfo))
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences"):
        if key in first.Root:
            book.Root[key] = _copy(book, first, first.Root[key])


def _copy(book: pikepdf.Pdf, source: pikepdf.Pdf, value: pikepdf.Object) -> pikepdf.Object:
    """An object of a chapter, copied into the book (what it refers to with it)."""
    return book.copy_foreign(value if value.is_indirect else source.make_indirect(value))


def _keep_streams(pages: list[pikepdf.Page]) -> None:
    """The data of the streams that pages copied from a chapter draw with (their contents,
    fonts, charts), read into the book: a copied stream reads its chapter until then."""
    seen: set[tuple[int, int]] = set()
    stack: list[pikepdf.Object] = [page.obj for page in pages]
    while stack:
        item = stack.pop()
        if not isinstance(item, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)):
            continue  # numbers, names, strings: nothing below them
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if isinstance(item, pikepdf.Stream):
            item.write(item.read_raw_bytes(), filter=cast(Any, item.get(Name.Filter)),
                       decode_parms=cast(Any, item.get(Name.DecodeParms)))
            stack.extend(value for key, value in item.stream_dict.items()
                         if key not in (Name.Length, Name.Filter, Name.DecodeParms))
        elif isinstance(item, pikepdf.Dictionary):
            stack.extend(value for key, value in item.items()
                         if key not in (Name.Parent, Name.P, Name.Dest))
        elif isinstance(item, pikepdf.Array):
            stack.extend(item)


class _Tree:
    """One structure tree for the book: every chapter's elements in one Document element,
    and the map from marked content and annotations to elements renumbered (pages first,
    then annotations, as WeasyPrint numbers them)."""

    def __init__(self, book: pikepdf.Pdf, pages: int) -> None:
        self.book = book
        self.root = book.make_indirect(pikepdf.Dictionary(Type=Name.StructTreeRoot))
        self.document = book.make_indirect(pikepdf.Dictionary(
            Type=Name.StructElem, S=Name.Document, P=self.root, K=pikepdf.Array()))
        self.root.K = pikepdf.Array([self.document])
        self.nums: list[tuple[int, pikepdf.Object]] = []
        self.next_key = pages

    def add(self, chapter: pikepdf.Pdf, one: Laid, start: int, prefix: str) -> None:
        """A chapter's elements, its pages being the book's from `start`; `prefix` keeps
        its ids apart from the other chapters'."""
        own = chapter.Root.StructTreeRoot
        kids = list(_copy(self.book, chapter, own.K[0].K))  # at once: far faster
        for kid in kids:
            kid.P = self.document
        self.document.K.extend(kids)
        _unique_ids(kids, prefix)
        renumbered: dict[int, int] = {}
        own_nums = list(_copy(self.book, chapter, own.ParentTree.Nums))
        for key, value in zip(map(int, own_nums[::2]), own_nums[1::2], strict=True):
            if key < one.pages:
                renumbered[key] = start + key
            else:
                renumbered[key] = self.next_key
                self.next_key += 1
            self.nums.append((renumbered[key], value))
        for index, page in enumerate(self.book.pages[start:start + one.pages]):
            page.obj.StructParents = start + index
            for annotation in page.obj.get(Name.Annots, ()):
                if Name.StructParent in annotation:
                    annotation.StructParent = renumbered[int(annotation.StructParent)]

    def finish(self) -> None:
        flat = [part for pair in sorted(self.nums, key=lambda pair: pair[0]) for part in pair]
        self.root.ParentTree = self.book.make_indirect(
            pikepdf.Dictionary(Nums=pikepdf.Array(flat)))
        self.root.ParentTreeNextKey = self.next_key
        self.book.Root.StructTreeRoot = self.root


def _unique_ids(kids: list[pikepdf.Object], prefix: str) -> None:
    """Prefix the ids of table headers (and the cells' references to them), which WeasyPrint
    makes unique within one PDF only."""
    stack = list(kids)
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or element.get(Name.Type) == Name.OBJR:
            continue
        if Name.ID in element:
            element.ID = pikepdf.String(prefix + str(element.ID))
        attributes = element.get(Name.A)
        if isinstance(attributes, pikepdf.Dictionary) and Name.Headers in attributes:
            attributes.Headers = pikepdf.Array(
                [pikepdf.String(prefix + str(header)) for header in attributes.Headers])
        below = element.get(Name.K)
        if isinstance(below, pikepdf.Array):
            stack.extend(below)
        elif isinstance(below, pikepdf.Dictionary):
            stack.append(below)


def _destinations(book: pikepdf.Pdf, chapter: pikepdf.Pdf, one: Laid,
                  found: dict[str, pikepdf.Object]) -> None:
    """Each id's destination, as its chapter places it (the first, if an id repeats); the
    stand-ins that kept links to other chapters are left out."""
    if Name.Names not in chapter.Root or Name.Dests not in chapter.Root.Names:
        return
    for name, destination in pikepdf.NameTree(chapter.Root.Names.Dests).items():
        if name in one.anchors and name not in found:
            found[name] = _copy(book, chapter, destination)


def _items(chapter: pikepdf.Pdf, items: list[pikepdf.OutlineItem],
           start: int) -> list[pikepdf.OutlineItem]:
    """A chapter's bookmarks (each chapter's begin at the first level), for the book."""
    made = []
    for item in items:
        destination = cast(pikepdf.Array, item.destination)  # as WeasyPrint writes it:
        page = chapter.pages.index(pikepdf.Page(destination[0])) + start  # [page /XYZ x y 0]
        copied = pikepdf.OutlineItem(item.title, page, pikepdf.PageLocation.XYZ,
                                     left=float(destination[2]), top=float(destination[3]))
        copied.is_closed = item.is_closed
        copied.children.extend(_items(chapter, item.children, start))
        made.append(copied)
    return made


def _stamp(book: pikepdf.Pdf, footers: pikepdf.Pdf) -> None:
    """Each footer onto its page, drawn as a form after the page's own content (which is
    left as it is) and marked as an artifact: not part of the text."""
    for page, footer in zip(book.pages, footers.pages, strict=True):
        form = book.copy_foreign(footer.as_form_xobject())
        name = page.add_resource(form, Name.XObject, prefix="Footer")
        page.contents_add(pikepdf.Stream(book, b"q"), prepend=True)
        page.contents_add(pikepdf.Stream(
            book, b"Q /Artifact BMC q " + bytes(name) + b" Do Q EMC"))
