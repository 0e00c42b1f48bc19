"""Printable HTML into PDF with WeasyPrint, the charts laid onto their boxes with pikepdf."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pikepdf

from trmgen.sources import cache
from trmgen.web.flowcharts import missing_tool

PX_TO_PT = 0.75
"""WeasyPrint measures in CSS pixels; PDF in points."""


@dataclass(frozen=True)
class Chart:
    """A chart drawn as PDF, and the size of the box it takes on the printed page."""

    pdf: bytes
    width_mm: float
    height_mm: float


@dataclass(frozen=True)
class Printable:
    """An HTML document to print, and the charts to lay onto its boxes (by element id)."""

    html: str
    charts: dict[str, Chart]


@dataclass(frozen=True)
class Laid:
    """A document laid out: its PDF, its number of pages, the page (from 0) of each element
    id, the first where an id is repeated, and the level (CSS bookmark-level) of each of its
    bookmarks, in order."""

    pdf: bytes
    pages: int
    anchors: dict[str, int]
    levels: tuple[int, ...]


def to_pdf(document: Printable | str, *, forms: bool = False) -> bytes:
    """A PDF of a printable document (with fillable form fields when `forms`)."""
    printable = document if isinstance(document, Printable) else Printable(document, {})
    return laid_out(printable, forms=forms).pdf


def laid_out(printable: Printable, *, forms: bool = False,
             outside: frozenset[str] = frozenset()) -> Laid:
    """A printable document laid out; one laid out before is taken from the cache: an
    unchanged document is not laid out again.

    `outside` names the ids that its internal links point to in another document (a chapter
    of the book linking to another chapter): their links are kept, each as a link to a
    destination of that name, which the bound book defines (print.binding)."""
    weasyprint = engine()
    key = cache.pdf_key(printable.html, [(name.encode(), chart.pdf) for name, chart in
                                         sorted(printable.charts.items())], forms,
                        weasyprint.__version__, sorted(outside))
    pdf, facts = cache.read("print", key, ".pdf"), cache.read_json("print", key)
    laid = _kept(pdf, facts)
    if laid is None:
        laid = _print(printable, forms, outside)
        cache.write("print", key, laid.pdf, ".pdf")
        cache.write_json("print", key, {"pages": laid.pages, "anchors": laid.anchors,
                                        "levels": list(laid.levels)})
    return laid


def _kept(pdf: bytes | None, facts: Any) -> Laid | None:
    """A cache entry as it was written, or None."""
    if pdf is None or not isinstance(facts, dict):
        return None
    pages, anchors, levels = facts.get("pages"), facts.get("anchors"), facts.get("levels")
    if not isinstance(pages, int) or not isinstance(anchors, dict) or not all(
            isinstance(name, str) and isinstance(page, int) for name, page in anchors.items()
    ) or not isinstance(levels, list) or not all(isinstance(level, int) for level in levels):
        return None
    return Laid(pdf, pages, anchors, tuple(levels))


def engine() -> Any:
    """WeasyPrint, imported when first needed: it takes half a second and loads Pango."""
    try:
        import weasyprint
    except OSError:  # the library is there, Pango is not
        raise missing_tool("Pango, which WeasyPrint prints with,", "libpango-1.0-0 "
                           "libpangoft2-1.0-0") from None
    return weasyprint


def _refuse(url: str) -> dict[str, Any]:
    """WeasyPrint's fetcher: a printed document loads nothing, from no host and no file."""
    raise ValueError(f"a printed document loads nothing: {url}")


def _print(printable: Printable, forms: bool, outside: frozenset[str]) -> Laid:
    from weasyprint import HTML

    options = {"pdf_forms": forms, "pdf_tags": True}
    rendered = HTML(string=printable.html, url_fetcher=_refuse).render(**options)
    anchors: dict[str, int] = {}
    for number, page in enumerate(rendered.pages):
        for name in page.anchors:
            anchors.setdefault(name, number)
    levels = tuple(level for page in rendered.pages for level, *_ in page.bookmarks)
    if outside and rendered.pages:
        # WeasyPrint drops a link whose target it cannot find: a stand-in target keeps it.
        rendered.pages[0].anchors.update(
            {name: (0, 0, 0, 0) for name in outside if name not in anchors})
    pdf: bytes = rendered.write_pdf(**options)
    if not printable.charts:
        return Laid(pdf, len(rendered.pages), anchors, levels)
    with pikepdf.Pdf.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(rendered.pages):
            for name, box in page.anchors.items():
                chart = printable.charts.get(name)
                if chart is not None:
                    _lay_chart(document, document.pages[number], name, chart, box)
        out = io.BytesIO()
        document.save(out, deterministic_id=True)
    return Laid(out.getvalue(), len(rendered.pages), anchors, levels)


def _lay_chart(document: pikepdf.Pdf, page: pikepdf.Page, name: str, chart: Chart,
               box: tuple[float, float, float, float]) -> None:
    """A chart onto its box, centred at the largest size that fits, with the links of its
    steps to their measures."""
    # WeasyPrint measures in CSS pixels from the top; PDF in points from the bottom.
    left, top, right, bottom = (side * PX_TO_PT for side in box)
    height = float(page.mediabox[3])
    with pikepdf.Pdf.open(io.BytesIO(chart.pdf)) as drawn:
        x0, y0, x1, y1 = (float(side) for side in drawn.pages[0].mediabox)
        scale = min((right - left) / (x1 - x0), (bottom - top) / (y1 - y0))
        dx = left + ((right - left) - (x1 - x0) * scale) / 2 - x0 * scale
        dy = height - bottom + ((bottom - top) - (y1 - y0) * scale) / 2 - y0 * scale
        form = document.copy_foreign(drawn.pages[0].as_form_xobject())
        links = [(link.Rect, str(link.A.URI)) for link in drawn.pages[0].obj.get("/Annots", ())
                 if "/A" in link and str(link.A.get("/URI", "")).startswith("#")]
    drawn_as = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name("/" + name))
    page.contents_add(pikepdf.Stream(document, b"q"), prepend=True)
    page.contents_add(pikepdf.Stream(document, b"Q q %.4f 0 0 %.4f %.4f %.4f cm %s Do Q" % (
        scale, scale, dx, dy, bytes(drawn_as))))
    if links and "/Annots" not in page.obj:
        page.obj.Annots = document.make_indirect(pikepdf.Array())
    for rect, target in links:
        page.obj.Annots.append(document.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, BS=pikepdf.Dictionary(W=0),
            Rect=[float(rect[0]) * scale + dx, float(rect[1]) * scale + dy,
                  float(rect[2]) * scale + dx, float(rect[3]) * scale + dy],
            Dest=pikepdf.String(target[1:]))))
