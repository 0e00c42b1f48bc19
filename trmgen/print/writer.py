"""The bound book written as PDF object by object, one chapter open at a time, so that its
memory is that of one chapter, not of the book (print.binding).

Each chapter's objects are copied as they are, under new numbers (its references renumbered
in their text), except what the book replaces: the catalog, the page tree, the structure
tree's root, its Document element and its map from content to elements, the bookmarks and
the destinations. Those are written for the whole book at the end. Every object but the
streams goes into compressed object streams.

What a chapter adds to the book (its bytes, and what the book's own objects take from it) is
kept in the cache, by the chapter's PDF and where it goes in the book: its first object's
number, its first page and its first key in the map from content to elements. After an edit,
the chapters the edit did not move are copied from the cache as they were written, and only
the edited one is read again. Each chapter's numbers start at a multiple of NUMBERS, so that
a chapter that gains or loses a few objects moves no other.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import struct
import zlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, BinaryIO

import pikepdf
from pikepdf import Name

from trmgen.print.pdf import Laid
from trmgen.sources import cache

_TOKEN = re.compile(rb"\((?:[^\\()]|\\.)*\)|(\d+) (\d+) R", re.DOTALL)
"""A literal string (qpdf escapes every parenthesis in one), or a reference."""
ROW = struct.Struct(">BIH")
"""A row of the cross-reference stream: type, offset or object stream, generation or index
(/W [1 4 2])."""
FOOTER = b"Q /Artifact BMC q /TrmgenFooter Do Q EMC"
"""Drawn after each page's own content (which `q` before it keeps as it was): its footer,
marked as an artifact, not part of the text."""
PIECE = ".objects"
"""The suffix of a chapter's piece in the cache: PDF objects, not a PDF file."""
NUMBERS = 256
"""Each chapter's objects are numbered from a multiple of this: the numbers left between two
chapters are free (a row of zeros in the cross-reference stream)."""


def bind(laid: Iterable[tuple[Laid, bool]], pages: int, footers: list[bytes],
         into: BinaryIO) -> None:
    """The chapters' PDFs (of `pages` pages in all) as one book written `into` a file, each
    page with its footer (a page of the documents of `footers`, in order). Each chapter
    comes with whether it has table headers, whose ids the book makes unique."""
    out = _Out(into)
    out.data.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    book = _Book(out)
    forms = [form for run in footers for form in _footers(out, run)]
    out.flush()
    book.next_key = pages
    for number, (one, headers) in enumerate(laid):
        book.add(one, number, forms, headers)
    book.finish()


class _Out:
    """A PDF file being written, or a chapter's piece of it, whose objects are numbered from
    `first`: each stream as it comes, the other objects gathered into compressed object
    streams, then (for the file) a cross-reference stream."""

    GROUP = 200
    """Objects in an object stream."""

    def __init__(self, data: BinaryIO, first: int = 0) -> None:
        self.data = data
        self.first = first
        self.rows = bytearray()  # each object's row of the cross-reference stream, by number
        self.pending: list[tuple[int, bytes]] = []
        self.next = max(first, 1)

    def _row(self, number: int, kind: int, first: int, second: int) -> None:
        """The cross-reference row of an object, packed (a dict of tuples took 60 MB of a
        book of 460,000 objects)."""
        end = ROW.size * (number - self.first + 1)
        if len(self.rows) < end:
            self.rows.extend(bytes(end - len(self.rows)))
        ROW.pack_into(self.rows, end - ROW.size, kind, first, second)

    def place(self, piece: bytes, rows: bytes, first: int, after: int) -> None:
        """A chapter's piece written by an _Out of its own (`rows`: its objects' rows, from
        number `first`, which no object before has reached; the next number `after` it): its
        streams' offsets are now in the file."""
        at = self.data.tell()
        self.data.write(piece)
        begin = ROW.size * (first - self.first)
        self.rows.extend(bytes(max(0, begin + len(rows) - len(self.rows))))
        self.rows[begin:begin + len(rows)] = rows
        for index, (kind, where, second) in enumerate(ROW.iter_unpack(rows)):
            if kind == 1:  # a stream, at an offset in the piece
                ROW.pack_into(self.rows, begin + ROW.size * index, kind, where + at, second)
        self.next = after

    def reserve(self) -> int:
        self.next += 1
        return self.next - 1

    def write(self, number: int, body: bytes, stream: bytes | None = None) -> None:
        if stream is not None:
            self._put(number, body, stream)
            return
        self.pending.append((number, body))
        if len(self.pending) >= self.GROUP:
            self.flush()

    def _put(self, number: int, body: bytes, stream: bytes) -> None:
        self._row(number, 1, self.data.tell(), 0)
        self.data.write(b"%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (number, body, stream))

    def flush(self) -> None:
        """The objects gathered so far, into an object stream."""
        if not self.pending:
            return
        number = self.reserve()
        offsets, at = [], 0
        for index, (member, body) in enumerate(self.pending):
            offsets.append(b"%d %d" % (member, at))
            at += len(body) + 1
            self._row(member, 2, number, index)
        header = b" ".join(offsets) + b"\n"
        packed = zlib.compress(header + b"".join(body + b"\n" for _, body in self.pending))
        self._put(number, b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>"
                  % (len(self.pending), len(header), len(packed)), packed)
        self.pending = []

    def finish(self, root: int, info: int | None) -> None:
        self.flush()
        number = self.reserve()
        start = self.data.tell()
        self._row(number, 1, start, 0)
        self.rows.extend(bytes(ROW.size * self.next - len(self.rows)))  # free numbers: zeros
        rows = zlib.compress(self.rows)
        info_entry = b"/Info %d 0 R " % info if info is not None else b""
        self.data.write(b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R %s"
                        b"/Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\n"
                        b"startxref\n%d\n%%%%EOF\n" % (number, self.next, root, info_entry,
                                                     len(rows), rows, start))


class _Chapter:
    """A chapter's PDF and the number in the book of each of its objects."""

    def __init__(self, out: _Out, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        found = [obj.objgen[0] for obj in pdf.objects if obj.objgen[0]]
        base = out.next
        self.numbers = {number: base + number for number in found}
        out.next = base + max(found, default=0) + 1
        self.left_out: set[int] = set()

    def stand_in(self, number: int) -> pikepdf.Object:
        """An object of the chapter that stands for the book's object `number` (it is not
        written: references to it are references to that object)."""
        obj = self.pdf.make_indirect(pikepdf.Dictionary())
        self.numbers[obj.objgen[0]] = number
        self.left_out.add(obj.objgen[0])
        return obj

    def text(self, value: Any, *, resolved: bool = False) -> bytes:
        """A value as PDF text (`resolved`: an object's own, not a reference to it), its
        references renumbered for the book."""
        body = value.unparse(resolved=resolved) if isinstance(value, pikepdf.Object) else (
            _scalar(value))
        return _TOKEN.sub(self._renumbered, body) if b" R" in body else body

    def _renumbered(self, token: re.Match[bytes]) -> bytes:
        return token[0] if token[1] is None else b"%d 0 R" % self.numbers[int(token[1])]

    def write_all(self, out: _Out) -> None:
        """Every object of the chapter but those left out, under its number in the book."""
        for obj in self.pdf.objects:
            number = obj.objgen[0]
            if not number or number in self.left_out:
                continue
            if obj._type_code != pikepdf.ObjectType.stream:
                out.write(self.numbers[number], self.text(obj, resolved=True))
            elif obj.get(Name.Type) not in (Name.ObjStm, Name.XRef):
                entries = b"".join(Name(key).unparse() + b" " + self.text(value) + b" "
                                   for key, value in obj.stream_dict.items() if key != "/Length")
                raw = obj.read_raw_bytes()
                out.write(self.numbers[number], b"<< %s/Length %d >>" % (entries, len(raw)), raw)


def _scalar(value: Any) -> bytes:
    """A number, a boolean or null as PDF text (pikepdf gives them as Python values)."""
    if value is None or isinstance(value, bool):
        return {None: b"null", True: b"true", False: b"false"}[value]
    return str(value).encode()


def _footers(out: _Out, footers: bytes) -> list[int]:
    """Each footer page's content written as a form, with what it draws with; the number of
    each form."""
    with pikepdf.Pdf.open(io.BytesIO(footers)) as pdf:
        chapter = _Chapter(out, pdf)
        chapter.left_out |= {pdf.Root.objgen[0], pdf.Root.Pages.objgen[0]}
        if Name.Info in pdf.trailer:
            chapter.left_out.add(pdf.trailer.Info.objgen[0])
        forms = []
        for page in pdf.pages:
            chapter.left_out.add(page.obj.objgen[0])
            content = page.obj.Contents
            content.Type, content.Subtype = Name.XObject, Name.Form
            content.BBox, content.Resources = page.obj.MediaBox, page.obj.Resources
            forms.append(chapter.numbers[content.objgen[0]])
        chapter.write_all(out)
        return forms


@dataclass(frozen=True)
class _Added:
    """What a chapter adds to the book besides its piece of the file: its pages, elements
    and leaves of the map from content to elements (of pages' keys, of annotations'), the
    next key after its own, its destinations and bookmarks (as PDF text: Latin-1 holds any
    bytes), the first chapter's entries of the catalog and its document information; the
    rows of its objects in the cross-reference stream (from its first number, packed, in
    Base64) and the number after its last."""

    pages: list[int]
    kids: list[int]
    leaves: list[list[int]]
    next_key: int
    destinations: dict[str, str]
    bookmarks: list[tuple[int, str, int, float, float, bool]]
    catalog: list[str]
    info: int | None
    rows: str
    next: int

    @classmethod
    def kept(cls, facts: Any) -> _Added | None:
        """What asdict wrote into the cache, or None."""
        try:
            added = cls(**facts)
            added.bookmarks[:] = [(int(level), str(title), int(page), float(left),
                                   float(top), bool(closed))
                                  for level, title, page, left, top, closed in added.bookmarks]
            base64.b64decode(added.rows, validate=True)
        except (TypeError, ValueError):
            return None
        return added


@dataclass
class _Bookmark:
    title: str
    page: int
    left: float
    top: float
    closed: bool
    children: list[_Bookmark] = field(default_factory=list)


class _Book:
    """What the book writes for itself, gathered chapter by chapter."""

    def __init__(self, out: _Out) -> None:
        self.out = out
        (self.catalog, self.page_tree, self.struct_root, self.document, self.parent_tree,
         self.begin, self.end) = (out.reserve() for _ in range(7))
        self.pages: list[int] = []
        self.kids: list[int] = []
        self.leaves: tuple[list[int], list[int]] = ([], [])  # of pages' keys, of annotations'
        self.next_key = 0
        self.destinations: dict[str, bytes] = {}
        self.bookmarks: list[tuple[int, _Bookmark]] = []  # with its level, in order
        self.catalog_entries: list[bytes] = []
        self.info: int | None = None

    def add(self, one: Laid, number: int, forms: list[int], headers: bool) -> None:
        """A chapter (the `number`-th), its pages following those added before; `headers`:
        it has table headers. Copied from the cache if it was written at the same place."""
        first, start = -(-self.out.next // NUMBERS) * NUMBERS, len(self.pages)
        key = cache.binding_key(hashlib.sha256(one.pdf).hexdigest(), first, start,
                                self.next_key, number, headers, forms[start:start + one.pages],
                                [self.page_tree, self.document, self.begin, self.end],
                                one.anchors, one.levels)
        piece = cache.read("binding", key, PIECE)
        added = _Added.kept(cache.read_json("binding", key))
        if piece is None or added is None:
            written = io.BytesIO()
            out = _Out(written, first)
            with pikepdf.Pdf.open(io.BytesIO(one.pdf)) as pdf:
                added = self._chapter(_Chapter(out, pdf), out, one, number, forms, headers,
                                      start)
            piece = written.getvalue()
            cache.write("binding", key, piece, PIECE)
            cache.write_json("binding", key, asdict(added))
        self.out.place(piece, base64.b64decode(added.rows), first, added.next)
        self.pages += added.pages
        self.kids += added.kids
        for leaves, more in zip(self.leaves, added.leaves, strict=True):
            leaves += more
        self.next_key = added.next_key
        for name, text in added.destinations.items():
            self.destinations.setdefault(name, text.encode("latin-1"))
        self.bookmarks += [(level, _Bookmark(title, page, left, top, closed))
                           for level, title, page, left, top, closed in added.bookmarks]
        if number == 0:
            self.catalog_entries = [entry.encode("latin-1") for entry in added.catalog]
            self.info = added.info

    def _chapter(self, chapter: _Chapter, out: _Out, one: Laid, number: int,
                 forms: list[int], headers: bool, start: int) -> _Added:
        """A chapter's objects written to `out`, a piece of its own (`start`: the book's page
        where it begins); what it adds to the book's own objects."""
        pdf = chapter.pdf
        root, own_root = pdf.Root, pdf.Root.StructTreeRoot
        own_document = own_root.K[0]
        chapter.left_out |= {root.objgen[0], root.Pages.objgen[0], own_root.objgen[0],
                             own_document.objgen[0]}
        chapter.left_out |= (_nodes(root.get(Name.Outlines)) | _nodes(root.get(Name.Names))
                             | _nodes(own_root.ParentTree))
        chapter.numbers[root.Pages.objgen[0]] = self.page_tree
        chapter.numbers[own_document.objgen[0]] = self.document
        catalog, info = [], None
        if number == 0:
            catalog = [(Name(key).unparse() + b" " + chapter.text(root[key])).decode("latin-1")
                       for key in ("/Lang", "/MarkInfo", "/ViewerPreferences") if key in root]
            if Name.Info in pdf.trailer:
                info = chapter.numbers[pdf.trailer.Info.objgen[0]]
        # The map from content to elements: a chapter's pages' keys first, then those of its
        # annotations, each after those of the chapters before (as WeasyPrint numbers them).
        # Each chapter's go into leaves of the book's number tree, written as it comes.
        own_nums = list(own_root.ParentTree.Nums)
        keys: dict[int, int] = {}
        next_key = self.next_key
        found: tuple[list[tuple[int, bytes]], list[tuple[int, bytes]]] = ([], [])
        for key, value in sorted(zip(map(int, own_nums[::2]), own_nums[1::2], strict=True),
                                 key=lambda pair: pair[0]):
            if key < one.pages:
                keys[key] = start + key
            else:
                keys[key] = next_key
                next_key += 1
            found[key >= one.pages].append((keys[key], chapter.text(value)))
        leaves = [[_leaf(out, nums)] if nums else [] for nums in found]
        kids = [chapter.numbers[kid.objgen[0]] for kid in own_document.K]
        if headers:
            _unique_ids(pdf, f"c{number}-")
        destinations = {}
        if Name.Names in root and Name.Dests in root.Names:
            destinations = {name: chapter.text(destination).decode("latin-1")
                            for name, destination in pikepdf.NameTree(root.Names.Dests).items()
                            if name in one.anchors}
        bookmarks = [(level, mark.title, mark.page, mark.left, mark.top, mark.closed)
                     for level, mark in zip(one.levels, _bookmarks(
                         pdf, pdf.open_outline().root, start), strict=True)]  # read, not saved
        begin, end = chapter.stand_in(self.begin), chapter.stand_in(self.end)
        pages = []
        for index, page in enumerate(pdf.pages):
            obj = page.obj
            obj.StructParents = start + index
            for annotation in obj.get(Name.Annots, ()):
                if Name.StructParent in annotation:
                    annotation.StructParent = keys[int(annotation.StructParent)]
            contents = obj.Contents
            own = list(contents) if contents._type_code == pikepdf.ObjectType.array else [
                contents]
            obj.Contents = pikepdf.Array([begin, *own, end])
            drawn = pikepdf.Dictionary(dict(obj.Resources.get(Name.XObject, {}).items()))
            drawn.TrmgenFooter = chapter.stand_in(forms[start + index])
            resources = pikepdf.Dictionary(dict(obj.Resources.items()))  # shared by pages
            resources.XObject = drawn
            obj.Resources = resources
            pages.append(chapter.numbers[obj.objgen[0]])
        chapter.write_all(out)
        out.flush()
        return _Added(pages, kids, leaves, next_key, destinations, bookmarks, catalog, info,
                      base64.b64encode(out.rows).decode(), out.next)

    def finish(self) -> None:
        out, refs = self.out, _refs
        out.write(self.page_tree, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
            refs(self.pages), len(self.pages)))
        out.write(self.document, b"<< /Type /StructElem /S /Document /P %d 0 R /K [%s] >>" % (
            self.struct_root, refs(self.kids)))
        out.write(self.parent_tree, b"<< /Kids [%s] >>" % refs([*self.leaves[0],
                                                               *self.leaves[1]]))
        out.write(self.struct_root, b"<< /Type /StructTreeRoot /K [%d 0 R] /ParentTree %d 0 R "
                  b"/ParentTreeNextKey %d >>" % (self.document, self.parent_tree, self.next_key))
        out.write(self.begin, b"<< /Length 1 >>", b"q")
        out.write(self.end, b"<< /Length %d >>" % len(FOOTER), FOOTER)
        names = b" ".join(pikepdf.String(name).unparse() + b" " + self.destinations[name]
                          for name in sorted(self.destinations))
        outline = _write_bookmarks(out, _nested(self.bookmarks), self.pages)
        out.write(self.catalog, b"<< /Type /Catalog /Pages %d 0 R /StructTreeRoot %d 0 R "
                  b"/Names << /Dests << /Names [%s] >> >> %s%s >>" % (
                      self.page_tree, self.struct_root, names,
                      b"/Outlines %d 0 R " % outline if outline else b"",
                      b" ".join(self.catalog_entries)))
        out.finish(self.catalog, self.info)


def _leaf(out: _Out, nums: list[tuple[int, bytes]]) -> int:
    """A leaf of the number tree from content to elements: its number."""
    number = out.reserve()
    out.write(number, b"<< /Limits [%d %d] /Nums [%s] >>" % (
        nums[0][0], nums[-1][0], b" ".join(b"%d %s" % pair for pair in nums)))
    return number


def _refs(numbers: list[int]) -> bytes:
    return b" ".join(b"%d 0 R" % number for number in numbers)


def _nodes(tree: Any) -> set[int]:
    """The numbers of the indirect nodes of an outline, a name tree or a number tree (not
    of what they lead to: pages, destinations, elements)."""
    found: set[int] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Object):
            continue
        if node.is_indirect:
            found.add(node.objgen[0])
        if node._type_code == pikepdf.ObjectType.dictionary:
            stack += [node[key] for key in ("/Dests", "/First", "/Next") if key in node]
            stack += list(node.get(Name.Kids, ()))
    return found


def _unique_ids(pdf: pikepdf.Pdf, prefix: str) -> None:
    """Prefix the ids of table headers (and the cells' references to them), which WeasyPrint
    makes unique within one PDF only. Each structure element is an object of its own, so a
    pass over the objects meets each once, without walking the tree."""
    for element in pdf.objects:
        if (element._type_code != pikepdf.ObjectType.dictionary
                or element.get(Name.Type) != Name.StructElem):
            continue
        if Name.ID in element:
            element.ID = pikepdf.String(prefix + str(element.ID))
        attributes = element.get(Name.A)
        if isinstance(attributes, pikepdf.Dictionary) and Name.Headers in attributes:
            attributes.Headers = pikepdf.Array(
                [pikepdf.String(prefix + str(header)) for header in attributes.Headers])


def _bookmarks(pdf: pikepdf.Pdf, items: list[pikepdf.OutlineItem],
               start: int) -> list[_Bookmark]:
    """A chapter's bookmarks in order, at their pages in the book."""
    made = []
    for item in items:
        destination = item.destination  # as WeasyPrint writes it: [page /XYZ left top 0]
        assert isinstance(destination, pikepdf.Array)
        made.append(_Bookmark(str(item.title),
                              pdf.pages.index(pikepdf.Page(destination[0])) + start,
                              float(destination[2]), float(destination[3]), item.is_closed))
        made += _bookmarks(pdf, item.children, start)
    return made


def _nested(bookmarks: list[tuple[int, _Bookmark]]) -> list[_Bookmark]:
    """The book's bookmarks as WeasyPrint nests them: each under the last one before it of a
    lower level. A part that goes on with a chapter (print.binding.parted) begins with
    bookmarks that belong under that chapter's."""
    root: list[_Bookmark] = []
    open_ones: list[tuple[int, _Bookmark]] = []
    for level, bookmark in bookmarks:
        while open_ones and open_ones[-1][0] >= level:
            open_ones.pop()
        (open_ones[-1][1].children if open_ones else root).append(bookmark)
        open_ones.append((level, bookmark))
    return root


def _write_bookmarks(out: _Out, items: list[_Bookmark], pages: list[int]) -> int | None:
    """The outline of the bookmarks, counted as WeasyPrint counts them; its number."""
    if not items:
        return None
    root = out.reserve()

    def write(level: list[_Bookmark], parent: int) -> tuple[int, int, int]:
        numbers = [out.reserve() for _ in level]
        shown = len(level)
        for index, (item, number) in enumerate(zip(level, numbers, strict=True)):
            entries = [b"/Title " + pikepdf.String(item.title).unparse(),
                       b"/Parent %d 0 R" % parent,
                       b"/Dest [%d 0 R /XYZ %s %s 0]" % (pages[item.page], _real(item.left),
                                                         _real(item.top))]
            if index:
                entries.append(b"/Prev %d 0 R" % numbers[index - 1])
            if index + 1 < len(level):
                entries.append(b"/Next %d 0 R" % numbers[index + 1])
            if item.children:
                first, last, below = write(item.children, number)
                entries += [b"/First %d 0 R" % first, b"/Last %d 0 R" % last,
                            b"/Count %d" % (-below if item.closed else below)]
                shown += 0 if item.closed else below
            out.write(number, b"<< " + b" ".join(entries) + b" >>")
        return numbers[0], numbers[-1], shown

    first, last, shown = write(items, root)
    out.write(root, b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (
        first, last, shown))
    return root


def _real(value: float) -> bytes:
    return (b"%.4f" % value).rstrip(b"0").rstrip(b".")
