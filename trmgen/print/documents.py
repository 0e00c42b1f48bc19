"""Print: our own print templates made into HTML, and into PDF by WeasyPrint.

The book of the guidelines, the contact sheets and the referral form, per language.

Charts are drawn for print by Graphviz's cairo renderer as PDF, which shapes Arabic and
Cyrillic labels with Pango and keeps them as real, selectable text. WeasyPrint cannot embed a
PDF, so the book leaves a box of the chart's size, and each chart is laid onto its box
afterwards (pypdf). This is also far faster than WeasyPrint drawing glyph outlines from SVG.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale
from markupsafe import Markup
from pypdf import PdfReader, PdfWriter, Transformation

from trmgen.content.guide import Country
from trmgen.sources import cache as memo
from trmgen.web import charts as flowchart
from trmgen.web.site import Edition, render
from trmgen.web.templates import Renderer


def _renderer(edition: Edition) -> Renderer:
    layout = edition.layout
    return Renderer([layout.print_templates, layout.page_templates], directory_urls=False,
                    translations=edition.translations, language=edition.language,
                    cache=layout.template_cache)


def _values(edition: Edition, printed: dt.date) -> dict[str, Any]:
    rtl = Locale.parse(edition.language).character_order == "right-to-left"
    # The style sheet is ours, not content: it goes into the page as it is.
    css = Markup((edition.layout.print_templates / "print.css").read_text(encoding="utf-8"))
    return {**edition.values(), "printed": printed, "css": css,
            "direction": "rtl" if rtl else "ltr"}


MAX_WIDTH_MM = 176.0
MAX_HEIGHT_MM = 215.0
PT_TO_MM = 25.4 / 72


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


def _chart(edition: Edition, dot: str) -> Chart:
    drawn = flowchart.render(dot, edition.layout.chart_cache, "pdf")
    box = PdfReader(io.BytesIO(drawn)).pages[0].mediabox
    width, height = float(box.width) * PT_TO_MM, float(box.height) * PT_TO_MM
    scale = min(1.0, MAX_WIDTH_MM / width, MAX_HEIGHT_MM / height)
    return Chart(drawn, width * scale, height * scale)


def book(edition: Edition, printed: dt.date) -> Printable:
    """The whole guidelines as one printable document."""
    guide, labels = edition.guide, edition.labels

    def anchor(measure_id: str) -> str:
        return f"#m-{measure_id}"

    charts = {f"chart-{sop.id}": _chart(edition, flowchart.sop_dot(
        guide, sop, guide.style, labels, anchor)) for sop in guide.sops}
    charts["chart-overview"] = _chart(edition, flowchart.overview_dot(
        guide, guide.overview, guide.style, labels, anchor))
    html = render(edition.layout, _renderer(edition), "book.html.j2", "book.md",
                  {**_values(edition, printed), "charts": charts})
    return Printable(html, charts)


def contacts_html(edition: Edition, printed: dt.date, countries: list[Country]) -> str:
    """A printable contact sheet of one country, or of several."""
    title = (edition.loc.country(countries[0].code) if len(countries) == 1
             else edition.labels.gettext("Contacts by country"))
    title = edition.labels.gettext("Contact sheet: %(name)s") % {"name": title}
    return render(edition.layout, _renderer(edition), "contacts.html.j2", "contacts.md",
                  {**_values(edition, printed), "countries": countries, "title": title})


def form_html(edition: Edition, printed: dt.date) -> str:
    """The referral form, printable and fillable."""
    return render(edition.layout, _renderer(edition), "form.html.j2", "form.md",
                  _values(edition, printed))


def to_pdf(document: Printable | str, *, forms: bool = False, cache: Path | None = None) -> bytes:
    """A PDF of a printable document (with fillable form fields when `forms`).

    With a cache folder, a document printed before is taken from there: an unchanged
    edition is not laid out again.
    """
    import weasyprint  # imported when printing: it loads Pango

    printable = document if isinstance(document, Printable) else Printable(document, {})
    digest = hashlib.sha256(f"{weasyprint.__version__}\n{forms}\n".encode())
    digest.update(printable.html.encode())
    for name, chart in sorted(printable.charts.items()):
        digest.update(name.encode() + chart.pdf)
    cached = cache / f"{digest.hexdigest()}.pdf" if cache else None
    kept = memo.kept(cached) if cached else None
    if kept is not None:
        return kept
    made = _print(printable, forms)
    if cached:
        memo.store(cached, made)
    return made


def _print(printable: Printable, forms: bool) -> bytes:
    from weasyprint import HTML

    options = {"pdf_forms": forms, "pdf_tags": True}
    rendered = HTML(string=printable.html).render(**options)
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


PX_TO_PT = 0.75
