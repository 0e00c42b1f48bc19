"""What a reader meets in a PDF, read back for comparison: each page's text, the bookmarks,
the links and where they lead, and the structure tree that assistive technology reads."""

from __future__ import annotations

import functools
import io
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


@functools.lru_cache(maxsize=2)
def _reader(pdf: bytes) -> PdfReader:
    """The PDF parsed once for all the facts read from it (pypdf parses each object in
    Python: a book of 200 pages took seconds for each fact); the facts only read it."""
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text as pdftotext lays it out (by position, not by drawing order)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"],
                             capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def page_images(pdf: bytes, dpi: int = 60) -> list[bytes]:
    """Each page drawn (grey, `dpi` dots per inch) by Poppler: what a reader sees."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(path), f"{folder}/page"],
                       check=True)
        return [page.read_bytes() for page in sorted(Path(folder).glob("page-*.pgm"))]


def bookmarks(pdf: bytes) -> list[tuple[int, str, int, float]]:
    """Each bookmark: its level, title, page (from 0) and height on the page."""
    reader: Any = _reader(pdf)
    found: list[tuple[int, str, int, float]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, str(item.title), reader.get_destination_page_number(item),
                              round(float(item.top), 1)))

    walk(reader.outline, 0)
    return found


def links(pdf: bytes) -> list[tuple[int, tuple[float, ...], object]]:
    """Each link: its page, its rectangle, and where it leads (a page and a height, or an
    address); None for a link that leads nowhere."""
    reader: Any = _reader(pdf)
    named = reader.named_destinations
    found: list[tuple[int, tuple[float, ...], object]] = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            rect = tuple(round(float(side), 1) for side in annotation["/Rect"])
            target: object = None
            if "/Dest" in annotation:
                destination = named.get(str(annotation["/Dest"]))
                if destination is not None:
                    target = (reader.get_destination_page_number(destination),
                              round(float(destination.top), 1))
            elif "/A" in annotation:
                target = str(annotation["/A"].get("/URI"))
            found.append((number, rect, target))
    return found


def structure(pdf: bytes) -> tuple[int, list[list[tuple[str, ...]]]]:
    """The structure tree as assistive technology meets it: the number of its elements, and
    per page, in the order of the content, the element of each piece of marked content in
    the tree (its type and its parent's) and of each annotation (whether it points back)."""
    reader: Any = _reader(pdf)
    root: Any = reader.root_object["/StructTreeRoot"]
    parents: dict[int, Any] = {}
    nodes = [root["/ParentTree"]]  # a number tree: its /Nums, or its /Kids' in order
    while nodes:
        node = nodes.pop(0).get_object()
        nums = node.get("/Nums", [])
        parents.update(zip(map(int, nums[::2]), nums[1::2], strict=True))
        nodes = [*node.get("/Kids", []), *nodes]
    in_tree: set[int] = set()
    stack = [root.raw_get("/K")[0]]
    while stack:
        reference = stack.pop()
        element: Any = reference.get_object()
        if not isinstance(element, DictionaryObject) or element.get("/Type") == "/OBJR":
            continue
        in_tree.add(reference.idnum)
        kids = element.raw_get("/K") if "/K" in element else None
        kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
        if isinstance(kids, ArrayObject):
            stack += [kid for kid in kids if isinstance(kid, IndirectObject)]
    pages = []
    for page in reader.pages:
        page_object: Any = page
        elements: Any = parents[int(page_object["/StructParents"])].get_object()
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
        row: list[tuple[str, ...]] = []
        for mcid in sorted({int(m) for m in re.findall(rb"/MCID (\d+)", data)}):
            if mcid >= len(elements) or list.__getitem__(elements, mcid).idnum not in in_tree:
                continue  # page furniture (WeasyPrint maps it outside the tree)
            element = elements[mcid].get_object()
            row.append(("content", str(element["/S"]), str(element["/P"].get_object()["/S"]),
                        str(element["/Pg"].get_object() == page.get_object())))
        annotations: Any = page_object.get("/Annots", [])
        for reference in annotations:
            annotation: Any = reference.get_object()
            if "/StructParent" not in annotation:
                row.append(("annotation", "untagged"))
                continue
            element = parents[int(annotation["/StructParent"])].get_object()
            below: Any = element["/K"]
            objects: list[Any] = [kid.get_object() for kid in below
                                  if isinstance(kid, IndirectObject)]
            points_back = any("/Obj" in kid and kid["/Obj"].get_object() == annotation
                              for kid in objects)
            row.append(("annotation", str(element["/S"]), str(points_back)))
        pages.append(row)
    return len(in_tree), pages


# Text extraction gives ligatures with lam back in visual order (alef then lam, alef maksura
# then lam), and short vowel marks may move: compare Arabic text without those letters.
_LIGATURE_LETTERS = re.compile("[\u0622\u0623\u0625\u0627\u0644\u0649\u064b-\u0652]")


def arabic_key(text: str) -> str:
    return " ".join(_LIGATURE_LETTERS.sub("", text).split())



def table_headers(pdf: bytes) -> tuple[list[str], list[str]]:
    """The ids of the table headers in the structure tree, and the headers that its cells
    name: each should name one of those ids, which should be unique."""
    reader: Any = _reader(pdf)
    ids: list[str] = []
    named: list[str] = []
    stack: list[Any] = [reader.root_object["/StructTreeRoot"].raw_get("/K")]
    while stack:
        popped = stack.pop()
        node: Any = popped.get_object() if isinstance(popped, IndirectObject) else popped
        if isinstance(node, ArrayObject):
            stack += list(node)
            continue
        if not isinstance(node, DictionaryObject) or node.get("/Type") == "/OBJR":
            continue
        if "/ID" in node:
            ids.append(str(node["/ID"]))
        attributes = node.get("/A")
        headers: Any = attributes.get("/Headers", []) if isinstance(
            attributes, DictionaryObject) else []
        named += [str(header) for header in headers]
        if "/K" in node:
            stack.append(node.raw_get("/K"))
    return ids, named
