"""What only a browser shows: search, no request to another host, accessibility, phones.

Headless Chromium from Debian, driven by Playwright, against the built site served on
127.0.0.1.
"""

from __future__ import annotations

import gzip
import itertools
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page

from .keyboard import type_keys
from .languages import PUBLISHED

# Every kind of page: home, the view of two countries, the first-hour card,
# overview, changes, SOP, measure, actors, actor, directory, country, children, forms of
# exploitation, one form, law, adoption, referral form, downloads, open data, status.
PAGE_TYPES = ["", "case/", "first-hour/", "overview/", "changes/",
              "sops/identification/", "measures/first-screening/", "actors/",
              "actors/labour-inspectorate/", "contacts/", "contacts/bg/", "children/",
              "exploitation/", "exploitation/labour/", "legal/", "adoption/", "referral-form/",
              "downloads/", "open-data/", "status/"]
PAGES = [f"{code}/{page}" for code in ("en", "bg", "ar", "uk") for page in PAGE_TYPES]


def guarded(context: BrowserContext) -> list[str]:
    """The requests of the pages of `context` to any host but 127.0.0.1, recorded and
    refused (the list fills as they come)."""
    refused: list[str] = []

    def guard(route, request):  # type: ignore[no-untyped-def]
        if urlsplit(request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            refused.append(request.url)
            route.abort()

    context.route("**/*", guard)
    return refused


@pytest.fixture
def outside(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page whose requests to any host but 127.0.0.1 are recorded and refused."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    refused = guarded(context)
    yield context.new_page(), refused
    context.close()


def search(page: Page, words: str) -> list[str]:
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(words, delay=30)  # typed, as a person does
    page.wait_for_selector(".md-search-result__item", timeout=30000)
    found = page.locator(".md-search-result__item > a").evaluate_all(
        "links => links.map(a => a.href)")
    return [str(url) for url in found]


def test_search_finds_a_measure_and_opens_it(server: str,
                                             outside: tuple[Page, list[str]]) -> None:
    page, refused = outside
    page.goto(server + "en/")
    found = search(page, "reflection period")
    assert any("/en/measures/recovery-reflection-period/" in url for url in found), found
    page.locator(".md-search-result__item > a[href*='measures/recovery-reflection-period/']"
                 ).first.click()
    page.wait_for_url("**/measures/recovery-reflection-period/**")
    assert "reflection" in page.locator("h1").inner_text().lower()
    assert refused == []


def test_search_finds_an_actor_by_name(server: str, outside: tuple[Page, list[str]]) -> None:
    page, refused = outside
    page.goto(server + "en/measures/first-screening/")
    found = search(page, "labour inspectorate")
    assert any("/en/actors/labour-inspectorate/" in url for url in found)
    assert refused == []


def _fetched_size(site: Path, urls: list[str]) -> int:
    """The files at `urls`, gzip-compressed as a server would send them, in bytes."""
    files = [site / urlsplit(url).path.lstrip("/") for url in urls]
    files = [path / "index.html" if path.is_dir() else path for path in files]
    return sum(len(gzip.compress(path.read_bytes())) for path in files)


@pytest.mark.parametrize("language", PUBLISHED)
def test_first_load_fetches_nothing_for_search_and_is_under_100_kb(
        server: str, shipped_site: Path, browser: Browser, language: str) -> None:
    """What the browser fetches to show a measure page the first time (empty cache), each
    file counted as a server would send it, gzip-compressed: under 100 KB, with nothing of
    the search but the small script that waits for the reader to open it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    fetched: list[str] = []
    context.on("requestfinished", lambda request: fetched.append(request.url))
    page = context.new_page()
    page.goto(f"{server}{language}/measures/first-screening/", wait_until="networkidle")
    page.wait_for_timeout(500)
    context.close()
    paths = [urlsplit(url).path for url in fetched]
    assert f"/{language}/assets/javascripts/search/loader.js" in paths
    assert not [path for path in paths if "/search/" in path.removesuffix("search/loader.js")
                or "worker" in path or "lunr" in path], paths
    assert {".html", ".css", ".js"} <= {Path(path).suffix or ".html" for path in paths}
    assert _fetched_size(shipped_site, fetched) < 100_000, fetched


@pytest.mark.parametrize("language", PUBLISHED)
def test_search_fetches_only_what_the_words_typed_need(
        server: str, shipped_site: Path, browser: Browser, language: str) -> None:
    """Opening the search starts it; a query fetches the list of pages, the files of the
    words typed and of the pages shown: a small part of the index."""
    words = {"en": "guardian", "fr": "tuteur", "bg": "настойник", "ro": "tutore",
             "ar": "وصي", "uk": "опікун"}[language]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    fetched: list[str] = []
    context.on("requestfinished", lambda request: fetched.append(request.url))
    page = context.new_page()
    page.goto(f"{server}{language}/measures/first-screening/", wait_until="networkidle")
    before = len(fetched)
    page.locator("input.md-search__input").click()
    type_keys(page, words)
    page.wait_for_selector(".md-search-result__item")
    found = page.locator(".md-search-result__item > a").first.get_attribute("href")
    context.close()
    searched = [url for url in fetched[before:] if "/search/" in urlsplit(url).path]
    names = {urlsplit(url).path.split(f"/{language}/", 1)[1] for url in searched}
    assert {"assets/javascripts/search/worker.js", "search/search_index.json",
            "search/pages.js"} <= names, names
    assert any(name.startswith("search/t/") for name in names), names
    assert "guardian" in str(found)
    everything = sorted((shipped_site / language / "search").rglob("*.js"))
    whole = sum(len(gzip.compress(path.read_bytes())) for path in everything)
    assert _fetched_size(shipped_site, searched) < whole / 3, (names, whole)


@pytest.mark.parametrize("width", [1280, 375])
def test_accessibility_and_no_request_leaves_the_machine(server: str, browser: Browser,
                                                         width: int) -> None:
    """Every kind of page, in four languages: axe finds no problem, and (on a wide screen:
    a page requests the same files at any width) once the page has loaded and the network
    is idle, no request has gone to any host but the site's."""
    axe = Axe()
    context = browser.new_context(viewport={"width": width, "height": 900})
    refused = guarded(context)
    page = context.new_page()
    problems = {}
    for url in PAGES:
        page.goto(server + url)
        results = axe.run(page)
        if results.violations_count:
            problems[url] = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                             for v in results.response["violations"]]
        if width == 1280:
            page.wait_for_load_state("networkidle")
    context.close()
    assert problems == {}
    assert refused == []


def test_no_horizontal_scrolling_on_a_phone(server: str, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    wide = {}
    for url in PAGES:
        page.goto(server + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            wide[url] = width
    context.close()
    assert wide == {}


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("path", ["en/actors/border-police/", "bg/contacts/"])
def test_contact_tables_become_cards_on_a_phone(server: str, browser: Browser, width: int,
                                                path: str) -> None:
    """On a phone each row of a contact table is a card as wide as the screen allows, its
    cells one under the other, those whose value does not say what it is named; on a wide
    screen it stays a table."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(server + path)
    rows = page.locator(".trm-cards tbody tr").evaluate_all("""rows => rows.map(row => ({
        display: getComputedStyle(row).display,
        right: row.getBoundingClientRect().right,
        cells: [...row.cells].map(cell => ({
            top: cell.getBoundingClientRect().top,
            bottom: cell.getBoundingClientRect().bottom,
            label: getComputedStyle(cell, '::before').content,
            named: cell.dataset.label || null}))}))""")
    head = page.locator(".trm-cards thead").first.bounding_box()
    context.close()
    assert len(rows) >= 3
    for row in rows:
        cells = row["cells"]
        if width == 1280:
            assert row["display"] == "table-row"
            assert len({round(cell["top"]) for cell in cells}) == 1
            continue
        assert row["display"] == "block" and row["right"] <= 375
        assert all(b["top"] >= a["bottom"] - 1 for a, b in itertools.pairwise(cells))
        for cell in cells:
            assert (cell["label"] == f'"{cell["named"]}: "') if cell["named"] else (
                cell["label"] in ("none", "normal"))
    if width == 375:
        assert head is not None and head["height"] <= 1
    if path == "bg/contacts/":
        assert any(cell["named"] == "Институции" for row in rows for cell in row["cells"])


def test_french_search_finds_a_french_measure(server: str,
                                              outside: tuple[Page, list[str]]) -> None:
    page, refused = outside
    page.goto(server + "fr/")
    found = search(page, "hébergement")
    assert any("/fr/measures/safe-accommodation/" in url for url in found), found
    assert all("/fr/" in url for url in found), "the French index holds French pages only"
    assert refused == []


@pytest.mark.parametrize(("here", "there"), [("fr", "bg"), ("en", "uk"), ("uk", "ar")])
def test_language_switcher_lands_on_the_same_measure(server: str, browser: Browser,
                                                      here: str, there: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server + f"{here}/measures/risk-assessment/")
    page.locator(".md-header__option .md-select").hover()
    page.locator(f"li.md-select__item a[hreflang='{there}']").click()
    page.wait_for_url(f"**/{there}/measures/risk-assessment/")
    assert page.locator("html").get_attribute("lang") == there
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_language_switcher_keeps_the_section_being_read(server: str, browser: Browser,
                                                        width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(server + "fr/measures/risk-assessment/#how")
    page.locator(".md-header__option .md-select button").click()
    page.locator("li.md-select__item a[hreflang='ro']").click()
    page.wait_for_url("**/ro/measures/risk-assessment/#how")
    assert page.evaluate("document.getElementById('how').getBoundingClientRect().top") < 200
    page.goto(server + "ro/contacts/bg/#bg-prosecution")
    page.locator(".md-header__option .md-select button").click()
    page.locator("li.md-select__item a[hreflang='en']").click()
    page.wait_for_url("**/en/contacts/bg/#bg-prosecution")
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("path", ["sops/identification/", "overview/"])
def test_chart_text_is_readable_and_the_chart_pans(server: str, browser: Browser,
                                                    width: int, path: str) -> None:
    """Every chart's text is at least 12 CSS px tall, without zooming; a chart wider than
    the screen pans, with the keyboard too."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(server + "en/" + path)
    sizes = page.locator("figure.trm-chart svg text").evaluate_all(
        "texts => texts.map(t => t.getBoundingClientRect().height)")
    assert sizes and min(sizes) >= 12, min(sizes)
    regions = page.locator(".trm-chart-scroll")
    wide = [i for i in range(regions.count())
            if regions.nth(i).evaluate("r => r.scrollWidth > r.clientWidth")]
    assert wide or width == 1280
    for i in wide:
        region = regions.nth(i)
        region.focus()
        page.keyboard.press("ArrowRight")
        assert region.evaluate("r => new Promise(done => setTimeout("
                               "() => done(r.scrollLeft > 0), 500))")
    context.close()


def test_keyboard_reaches_search_switcher_and_every_chart_link(server: str,
                                                               browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server + "fr/sops/identification/")
    chart_links = set(page.locator("figure.trm-chart svg a").evaluate_all(
        "links => links.map(a => a.getAttribute('xlink:href') || a.getAttribute('href'))"))
    assert chart_links
    reached: set[str] = set()
    for _ in range(600):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("""() => {
            const e = document.activeElement;
            if (e.matches('input.md-search__input')) return 'search';
            if (e.closest('.md-header__option')) return 'switcher';
            if (e.closest('figure.trm-chart svg')) {
                const a = e.closest('a');
                return 'chart:' + (a.getAttribute('xlink:href') || a.getAttribute('href'));
            }
            return 'other';
        }"""))
        if {"search", "switcher"} <= reached and chart_links <= {
                r.removeprefix("chart:") for r in reached}:
            break
    context.close()
    assert "search" in reached
    assert "switcher" in reached
    assert chart_links <= {r.removeprefix("chart:") for r in reached if r.startswith("chart:")}


@pytest.mark.parametrize("width", [1280, 375])
def test_the_home_page_starts_with_the_tasks(server: str, browser: Browser,
                                            width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 812})
    page = context.new_page()
    page.goto(server + "en/")
    tasks = page.locator("nav.trm-start a.trm-start-task")
    assert tasks.count() == 4
    for i in range(tasks.count()):
        box = tasks.nth(i).bounding_box()
        assert box and box["y"] + box["height"] <= 812, "on the first screen"
        assert box["height"] >= 44, "a target a finger can hit"
    targets = tasks.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert targets == ["first-hour/", "children/", "referral-form/", "contacts/"]
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_contacts_and_the_form_are_one_tap_from_any_page(server: str, browser: Browser,
                                                         width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 812}, has_touch=True)
    page = context.new_page()
    for start in ("en/measures/non-punishment/", "bg/sops/return/", "ar/legal/"):
        for name, landing in (("contacts", "**/contacts/"), ("form", "**/referral-form/")):
            page.goto(server + start)
            links = page.locator("header a.trm-quick")
            assert links.count() == 2
            link = links.nth(0 if name == "contacts" else 1)
            assert link.get_attribute("title"), "its name, read out and shown on hover"
            link.tap()
            page.wait_for_url(landing)
    context.close()
