"""The printed documents as HTML, from our own print templates: the book of the guidelines,
the contact sheets and the referral form, per language (print.pdf makes them PDF).

Charts are drawn for print by Graphviz's cairo renderer as PDF, which shapes Arabic and
Cyrillic labels with Pango and keeps them as real, selectable text. WeasyPrint cannot embed a
PDF, so the book leaves a box of the chart's size, and each chart is laid onto its box
afterwards (print.pdf). This is also far faster than WeasyPrint drawing glyph outlines.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pikepdf
from markupsafe import Markup

from trmgen.content.edition import Edition, Validated
from trmgen.content.guide import Country, Guide
from trmgen.diagnostics import BuildError, Diagnostic
from trmgen.i18n import bidi
from trmgen.print.binding import parted
from trmgen.print.pdf import Chart, Printable
from trmgen.sources.layout import MAX_TEMPLATE_BYTES, Layout, read_file
from trmgen.sources.model import Measure, Sop
from trmgen.web import flowcharts
from trmgen.web.pages import ANCHORS
from trmgen.web.site import template_values
from trmgen.web.templates import Renderer, links, made_from, reached


def _renderer(edition: Edition) -> Renderer:
    layout = edition.layout
    return Renderer(layout, _folders(layout), links=links(False),
                    translations=edition.translations, language=edition.language)


def _folders(layout: Layout) -> list[Path]:
    """Where the print templates are found: their own folder, then the pages' (_blocks.j2)."""
    return [layout.print_templates, layout.page_templates]


def fingerprint(validated: Validated) -> str:
    """The hash of what the printed documents are made from: every input but the templates
    of the site's pages that they do not use, so that an edit of such a template leaves
    them as they were."""
    layout = validated.layout
    entries = sorted(path.name for path in layout.print_templates.glob("*.j2"))
    return made_from(validated, layout.page_templates, reached(_folders(layout), entries))


def _render(edition: Edition, template: str, src: str, values: dict[str, Any]) -> str:
    """A print template rendered; in a right-to-left language, with what keeps its own
    direction isolated (bidi)."""
    html = _renderer(edition).render(template, src, values)
    return bidi.isolate(html) if bidi.right_to_left(edition.language) else html


MATRIX_COUNTRIES = 12
"""At most this many countries in a table of the adoption annex: a page's width holds them,
and each further table is a chapter of its own, so that the book's layout stays in bounds
however many countries there are (print.binding)."""
MATRIX_ROWS = 100
"""At most this many measures in a table of the adoption annex, so that a long annex can go
on in parts (print.binding.parted)."""


def _matrix_rows(guide: Guide) -> list[list[tuple[Sop, list[Measure]]]]:
    """The measures of each table of the adoption annex, SOP by SOP: the tables of one set
    of countries, one under the other."""
    tables: list[list[tuple[Sop, list[Measure]]]] = [[]]
    room = MATRIX_ROWS
    for sop in guide.sops:
        measures = list(sop.measures)
        while measures:
            if not room:
                tables.append([])
                room = MATRIX_ROWS
            taken, measures = measures[:room], measures[room:]
            tables[-1].append((sop, taken))
            room -= len(taken)
    return tables


def _values(edition: Edition, printed: dt.date) -> dict[str, Any]:
    rtl = bidi.right_to_left(edition.language)
    # The style sheet is ours, not content: it goes into the page as it is.
    css = Markup(read_file(edition.layout.print_templates / "print.css",
                           MAX_TEMPLATE_BYTES).decode("utf-8"))
    return {**template_values(edition), "printed": printed, "css": css,
            "direction": "rtl" if rtl else "ltr", "matrix_countries": MATRIX_COUNTRIES}


MAX_WIDTH_MM = 176.0
MAX_HEIGHT_MM = 215.0
PT_TO_MM = 25.4 / 72


def _chart(layout: Layout, dot: str) -> Chart:
    try:
        drawn = flowcharts.draw(dot, "pdf")
    except flowcharts.ChartError as exc:
        raise BuildError([Diagnostic(layout.display(layout.style_file), 1, 1,
                                     "chart.graphviz", "", str(exc))]) from None
    with pikepdf.Pdf.open(io.BytesIO(drawn)) as chart:
        left, bottom, right, top = (float(side) for side in chart.pages[0].mediabox)
    width, height = (right - left) * PT_TO_MM, (top - bottom) * PT_TO_MM
    scale = min(1.0, MAX_WIDTH_MM / width, MAX_HEIGHT_MM / height)
    return Chart(drawn, width * scale, height * scale)


def book(edition: Edition, printed: dt.date) -> Printable:
    """The whole guidelines as one printable document."""
    guide, labels = edition.guide, edition.labels

    def anchor(measure_id: str) -> str:
        return "#" + ANCHORS.printed_measure(measure_id)

    charts = {ANCHORS.chart(sop.id): _chart(edition.layout, flowcharts.sop_dot(
        guide, sop, guide.style, labels, anchor)) for sop in guide.sops}
    phases = flowcharts.phases(guide, guide.overview)
    for sop in phases:
        dot = flowcharts.overview_dot(guide, guide.overview, sop, guide.style, labels, anchor)
        charts[ANCHORS.chart(f"overview-{sop.id}")] = _chart(edition.layout, dot)
    html = _render(edition, "book.html.j2", "book.md",
                   {**_values(edition, printed), "charts": charts, "phases": phases,
                    "matrix_rows": _matrix_rows(guide)})
    return Printable(parted(html), charts)


def contacts_html(edition: Edition, printed: dt.date, countries: list[Country]) -> str:
    """A printable contact sheet of one country, or of several."""
    title = (edition.loc.country(countries[0].code) if len(countries) == 1
             else edition.labels.gettext("Contacts by country"))
    title = edition.labels.gettext("Contact sheet: %(name)s") % {"name": title}
    return parted(_render(edition, "contacts.html.j2", "contacts.md",
                          {**_values(edition, printed), "countries": countries,
                           "title": title}))


def form_html(edition: Edition, printed: dt.date) -> str:
    """The referral form, printable and fillable."""
    return _render(edition, "form.html.j2", "form.md", _values(edition, printed))
