"""Page goldens: the main content of one page of each type, as HTML, so that a change of a
template shows as a reviewable diff.

The pages are built by mkdocs from the small tree, with titles that hold every character
HTML treats specially and template syntax, which must come out as the text they are. Each
golden is the page's article, parsed and printed back one element a line; the inline charts
are left out (Graphviz draws them; the chart tests check them). Refresh with
`pytest --update-goldens` and review the diff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from trmgen.content.edition import validated
from trmgen.sources.layout import Layout
from trmgen.web.pages import FILES, Download
from trmgen.web.plugin import Job, build_site

from .conftest import CASES, ROOT
from .edits import append_to, replace_in

GOLDENS = CASES / "pages"
TRICKY = """Screen & "indicators" 'now' <3 > 2 {{ 7*7 }} {% raw %}"""
"""A title with what HTML, Markdown and Jinja treat specially."""

PAGES = {
    "home": "index.html", "case": "case/index.html", "overview": "overview/index.html",
    "changes": "changes/index.html",
    "sop": "sops/identification/index.html", "measure": "measures/first-screening/index.html",
    "actors": "actors/index.html", "actor": "actors/police/index.html",
    "contacts": "contacts/index.html", "country": "contacts/bg/index.html",
    "children": "children/index.html", "forms": "exploitation/index.html",
    "form": "exploitation/labour/index.html", "legal": "legal/index.html",
    "referral-form": "referral-form/index.html", "downloads": "downloads/index.html",
    "first-hour": "first-hour/index.html", "adoption": "adoption/index.html",
    "open-data": "open-data/index.html",
    "status": "status/index.html",
}
"""One page of each type, by the name of its golden file."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The small tree in English and French, its first measure titled TRICKY, built once."""
    import shutil

    root = tmp_path_factory.mktemp("pages") / "repo"
    shutil.copytree(CASES / "base", root)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "templates", root / "templates")
    quoted = TRICKY.replace("'", "''")
    replace_in(root / "guidelines/sops/1-identification.yaml",
               "title: Screen on indicators", f"title: '{quoted}'")
    replace_in(root / "guidelines/guideline.yaml", "languages: [en]", "languages: [en, fr]")
    # a hand-over to the origin country after the safeguards, with a contact abroad
    replace_in(root / "guidelines/sops/1-identification.yaml", "    next:\n      - to: referral\n",
               "    safeguards: [consent, risk, protection]\n    abroad:\n"
               "      - channel: focal-points\n        shares: first name and the help needed\n"
               "        consent: the person\n    next:\n      - to: referral\n")
    # a step and an actor in the country of origin
    replace_in(root / "guidelines/sops/1-identification.yaml",
               "    who: [police]\n    how:\n      - Talk to the person alone.\n",
               "    who: [police, {actor: national-coordinator, side: origin}]\n    how:\n"
               "      - Talk to the person alone.\n      - side: origin\n"
               "        text: The counterpart confirms the family's address.\n")
    append_to(root / "flowcharts/overview.yaml", "  - from: destination-referral\n"
              "    to: origin-counterpart\n    label: with consent\n")
    replace_in(root / "flowcharts/overview.yaml", "edges:\n", "  - id: origin-counterpart\n"
               "    measure: first-screening\n    lane: origin\n"
               "    label: The counterpart is informed\nedges:\n")
    # adoption: a measure in binding law with a national step, one adapted, one unknown
    append_to(root / "contacts/BG.yaml",
              "adoption:\n  acts:\n    - id: law\n      title: Law on trafficking & \"abuse\"\n"
              "      number: No. 1/2020\n      url: https://example.org/law\n"
              "  measures:\n    first-screening:\n      status: binding-law\n      act: law\n"
              "      reviewed: 2024-01-15\n      reviewed_by: Coordinator's office\n"
              "      steps:\n        - replaces: 1\n          text: Talk to the person alone, "
              "with a **sworn** interpreter.\n      lead: bg-ngo\n"
              "    referral: {status: adapted, note: Regional offices refer., "
              "reviewed: 2026-10-01}\n")
    (root / "guidelines/translations").mkdir(exist_ok=True)
    (root / "guidelines/translations/fr.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n',
        encoding="utf-8")
    layout = Layout(root)
    edition = validated(layout, today=dt.date(2026, 11, 27))
    day = dt.date(2026, 11, 20)
    downloads = [Download(FILES.book("en"), "book", "en", 123_456, day),
                 Download(FILES.offline("all"), "offline", None, 4_567_890, day)]
    dest = root.parent / "site"
    build_site(layout, Job(edition, "en", ("en", "fr"), downloads=downloads), dest,
               root.parent)
    yield dest


def normalized(path: Path) -> str:
    """The page's article, one element a line, without the charts' drawings."""
    tree = lxml.html.fromstring(path.read_bytes())
    (article,) = tree.xpath("//article[contains(@class, 'md-content__inner')]")
    for svg in article.xpath(".//svg"):
        label = svg.get("aria-label", "")
        svg.clear()
        svg.set("aria-label", label)
        svg.text = "(chart drawn by Graphviz)"
    for element in article.iter():
        if element.text is not None and not element.text.strip():
            element.text = None
        if element.tail is not None and not element.tail.strip():
            element.tail = None
    lxml.etree.indent(article, space=" ")
    return str(lxml.html.tostring(article, encoding="unicode", pretty_print=True))


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_golden(site: Path, name: str, update_goldens: bool) -> None:
    output = normalized(site / PAGES[name])
    golden = GOLDENS / f"{name}.html"
    if update_goldens:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(output, encoding="utf-8")
    assert output == golden.read_text(encoding="utf-8")


def test_every_page_type_has_a_golden() -> None:
    templates = {p.name.removesuffix(".md.j2") for p in (ROOT / "templates/pages").glob(
        "*.md.j2") if not p.name.startswith("_")}
    assert templates == set(PAGES)
    assert {p.stem for p in GOLDENS.glob("*.html")} == set(PAGES)


def test_the_tricky_title_is_shown_as_written(site: Path) -> None:
    for page in ("measures/first-screening/index.html", "sops/identification/index.html",
                 "actors/police/index.html"):
        tree = lxml.html.fromstring((site / page).read_bytes())
        texts = [" ".join(a.text_content().split()).removesuffix("¶")
                 for a in tree.xpath("//article//*[self::a or self::h1]")]
        assert TRICKY in texts, page
