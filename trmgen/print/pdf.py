"""Printable HTML into PDF with WeasyPrint, the charts laid onto their boxes with pypdf."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter, Transformation

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


def to_pdf(document: Printable | str, *, forms: bool = False) -> bytes:
    """A PDF of a printable document (with fillable form fields when `forms`); a document
    printed before is taken from the cache: an unchanged edition is not laid out again."""
    try:
        import weasyprint  # imported when printing: it loads Pango
    except OSError:  # the library is there, Pango is not
        raise missing_tool("Pango, which WeasyPrint prints with,", "libpango-1.0-0 "
                           "libpangoft2-1.0-0") from None

    printable = document if isinstance(document, Printable) else Printable(document, {})
    key = cache.pdf_key(printable.html, [(name.encode(), chart.pdf) for name, chart in
                                         sorted(printable.charts.items())], forms,
                        weasyprint.__version__)
    kept = cache.read("print", key, ".pdf")
    if kept is not None:
        return kept
    made = _print(printable, forms)
    cache.write("print", key, made, ".pdf")
    return made


def _refuse(url: str) -> dict[str, Any]:
    """WeasyPrint's fetcher: a printed document loads nothing, from no host and no file."""
    raise ValueError(f"a printed document loads nothing: {url}")


def _print(printable: Printable, forms: bool) -> bytes:
    from weasyprint import HTML

    options = {"pdf_forms": forms, "pdf_tags": True}
    rendered = HTML(string=printable.html, url_fetcher=_refuse).render(**options)
    pdf: bytes = rendered.write_pdf(**options)
    if not printable.charts:
        return pdf
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for number, page in enumerate(rendered.pages):
        for name, (left, _, right, bottom) in page.anchors.items():
            chart = printable.charts.get(name)
            if chart is None:
                continue
            drawn = PdfReader(io.BytesIO(chart.pdf)).pages[0]
            target = writer.pages[number]
            # WeasyPrint measures in CSS pixels from the top; PDF in points from the bottom.
            scale = (right - left) * PX_TO_PT / float(drawn.mediabox.width)
            move = Transformation().scale(scale).translate(
                left * PX_TO_PT, float(target.mediabox.height) - bottom * PX_TO_PT)
            target.merge_transformed_page(drawn, move)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
