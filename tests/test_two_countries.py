"""Two countries, one case: the choice of countries, the view of both, their institutions
beside each actor, and the referral form with both focal points, where users meet them:
headless Chromium on the shipped site, served and from the offline copy (file://)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page
from pypdf import PdfReader

from trmgen.content.edition import validated
from trmgen.content.guide import Guide
from trmgen.i18n.localizer import phone
from trmgen.sources.layout import Layout
from trmgen.web.countries import CALLBACK

from .conftest import CASES, ROOT

WIDTHS = {"desktop": (1280, 900), "phone": (375, 812)}


@pytest.fixture(scope="module")
def guide() -> Guide:
    return validated(Layout(ROOT)).guide


def first_always_open(guide: Guide, code: str, actor: str) -> str:
    """The first number answered day and night that the YAML gives a country for an actor."""
    for reach in guide.reach(guide.country(code), actor):
        for line in reach.phones:
            if line.always_open:
                return phone(line.number)
    raise AssertionError(f"{code} has no 24/7 line for {actor}")


def guarded(browser: Browser, width: str, *, scripts: bool = True,
            zone: str = "UTC") -> tuple[BrowserContext, list[str]]:
    """A browser context on a device set to the time zone, whose requests to any other
    host are refused and recorded."""
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h},
                                  java_script_enabled=scripts, timezone_id=zone)
    refused: list[str] = []

    def guard(route, request):  # type: ignore[no-untyped-def]
        host = urlsplit(request.url).hostname
        if request.url.startswith("file:") or host == "127.0.0.1":
            route.continue_()
        else:
            refused.append(request.url)
            route.abort()

    context.route("**/*", guard)
    return context, refused


def choose(page: Page, here: str, origin: str) -> int:
    """The border guard's choice on the page: two answers and the button; the clicks made."""
    page.select_option("[data-trm-choice] select[name=here]", here)
    page.select_option("[data-trm-choice] select[name=from]", origin)
    page.click("[data-trm-choice] a.md-button")
    return 3


def shown_text(page: Page) -> str:
    return " ".join(page.locator("article.md-content__inner").inner_text().split())


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_border_guard_reaches_a_childs_first_steps_and_both_24_7_numbers_in_3_clicks(
        server: str, browser: Browser, guide: Guide, width: str) -> None:
    """Bulgaria, a child from Romania: from the home page to the first steps for a child and
    both countries' child protection numbers answered day and night."""
    context, refused = guarded(browser, width)
    page = context.new_page()
    page.goto(server + "en/")
    clicks = choose(page, "BG", "RO")
    page.wait_for_url("**/en/case/")
    page.wait_for_selector("[data-trm-calls] li")
    assert clicks <= 3
    calls = page.locator("[data-trm-calls]")
    for code in ("BG", "RO"):
        number = first_always_open(guide, code, "child-protection")
        assert calls.get_by_text(number).first.is_visible(), (code, number)
    child = page.locator("article.trm-pair-measure:has(#presumption-of-minority)")
    child.scroll_into_view_if_needed()
    assert child.is_visible()
    first_step = guide.measure("presumption-of-minority").how[0].text.split(".")[0]
    assert " ".join(first_step.split()) in " ".join(child.inner_text().split())
    assert "(Bulgaria)" in child.inner_text()
    context.close()
    assert refused == []


def test_the_same_task_works_from_the_offline_copy(shipped_site: Path, browser: Browser,
                                                    guide: Guide, tmp_path: Path) -> None:
    with zipfile.ZipFile(shipped_site / "downloads/trm-guidelines-en-offline.zip") as z:
        z.extractall(tmp_path)
    context, refused = guarded(browser, "phone")
    page = context.new_page()
    page.goto((tmp_path / "trm-guidelines-en/en/index.html").as_uri())
    assert choose(page, "BG", "RO") <= 3
    page.wait_for_url("**/en/case/index.html")
    page.wait_for_selector("[data-trm-calls] li")
    calls = page.locator("[data-trm-calls]").inner_text()
    for code in ("BG", "RO"):
        assert first_always_open(guide, code, "child-protection") in calls
    context.close()
    assert refused == []


def test_every_actor_gets_the_institutions_the_yaml_gives_it(server: str, browser: Browser,
                                                             guide: Guide) -> None:
    """Each slot beside an actor lists, for its side's country, exactly the institutions that
    serve as that actor, each with the first number for it (a 24/7 line first)."""
    context, _ = guarded(browser, "desktop")
    page = context.new_page()
    page.goto(server + "en/case/#here=DE&from=MD&relation=origin")
    page.wait_for_selector(".trm-pair-measure .trm-reach .trm-reach-item")
    slots = page.locator("li[data-actor]").evaluate_all(
        """slots => slots.filter(s => s.offsetParent !== null).map(s => ({
            actor: s.dataset.actor, side: s.dataset.side,
            items: [...s.querySelectorAll(':scope > .trm-reach .trm-reach-item')].map(i => ({
                name: i.querySelector('a').textContent,
                number: (i.querySelector('.trm-reach-phone a, .trm-reach-phone bdi') || {})
                        .textContent || null}))}))""")
    assert len(slots) > 100
    country = {None: guide.country("DE"), "found": guide.country("DE"),
               "origin": guide.country("MD")}
    for slot in slots:
        expected = [(r.institution.name, phone(r.phones[0].number) if r.phones else None)
                    for r in guide.reach(country[slot["side"]], slot["actor"])]
        assert [(i["name"], i["number"]) for i in slot["items"]] == expected, slot
    # The transit side is hidden when the other country is the country of origin.
    assert page.locator(".trm-pair-side[data-side='transit']:visible").count() == 0
    context.close()


@pytest.mark.parametrize("pair", ["BG-RO", "DE-MD"])
def test_the_view_of_two_countries_golden(server: str, browser: Browser, pair: str,
                                          update_goldens: bool) -> None:
    """What the view shows for a pair, summary and first SOP, as text: a change of the data,
    the template or the script shows as a reviewable diff."""
    here, origin = pair.split("-")
    context, _ = guarded(browser, "desktop")
    page = context.new_page()
    page.goto(server + f"en/case/#here={here}&from={origin}&relation=origin")
    page.wait_for_selector("[data-trm-calls] li")
    parts = [page.locator("[data-trm-summary]").inner_text(),
             page.locator(".trm-pair-sop").first.inner_text()]
    text = "\n".join(line.strip() for part in parts for line in part.splitlines()
                     if line.strip()) + "\n"
    golden = CASES / "pairs" / f"{pair}.txt"
    if update_goldens:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    context.close()
    assert text == golden.read_text(encoding="utf-8")


def test_a_measure_page_shows_the_chosen_countries_beside_each_actor(
        server: str, browser: Browser, guide: Guide) -> None:
    context, _ = guarded(browser, "phone")
    page = context.new_page()
    page.goto(server + "en/")
    page.select_option("[data-trm-choice] select[name=here]", "BG")
    page.select_option("[data-trm-choice] select[name=from]", "RO")
    page.goto(server + "en/measures/pre-return-risk-assessment/")  # the choice is kept
    page.wait_for_selector(".trm-reach .trm-reach-item")
    assert page.locator("[data-trm-choice] select[name=here]").input_value() == "BG"
    police = page.locator("ul.trm-who li[data-actor='police']")
    expected = guide.reach(guide.country("BG"), "police")[0].institution.name
    assert expected in police.inner_text()
    # A step on the side of the country of origin names that country.
    assert "In the country of origin (Romania):" in shown_text(page)
    context.close()


def test_the_referral_form_gets_both_focal_points(server: str, browser: Browser,
                                                  guide: Guide) -> None:
    context, _ = guarded(browser, "desktop")
    page = context.new_page()
    page.goto(server + "en/referral-form/#here=IT&from=AL&relation=origin")
    page.wait_for_function(
        "document.querySelector('#field-receiving-organisation').value !== ''")
    for field, code in (("referring", "IT"), ("receiving", "AL")):
        focal = guide.reach(guide.country(code), "national-coordinator")[0].institution
        value = page.locator(f"#field-{field}-organisation").input_value()
        assert value.startswith(focal.name), (field, value)
        contact = page.locator(f"#field-{field}-contact").input_value()
        assert focal.emails[0] in contact
    # What the reader types is kept when the choice changes.
    page.fill("#field-referring-organisation", "Our own unit")
    page.select_option("[data-trm-choice] select[name=from]", "MD")
    page.wait_for_function("document.querySelector('#field-receiving-organisation').value"
                           ".includes('Moldova')")
    assert page.locator("#field-referring-organisation").input_value() == "Our own unit"
    context.close()


def test_without_javascript_the_view_still_gives_the_steps_and_the_country_pages(
        server: str, browser: Browser, guide: Guide) -> None:
    """The view gives the first steps, the steps in the other country, each measure's page
    (with all its steps) and each country's contacts; no control that would do nothing."""
    context, _ = guarded(browser, "desktop", scripts=False)
    page = context.new_page()
    page.goto(server + "en/case/")
    assert page.locator("[data-trm-choice]").is_hidden()
    shown = " ".join(page.locator(".trm-pair-sop").all_inner_texts())
    shown = " ".join(shown.split())
    for measure in guide.measures:
        steps = [s for s in measure.how if measure.first_hour or
                 (s.side or measure.home) != measure.home]
        for step in steps:
            assert " ".join(step.text.split())[:60] in shown, measure.id
    linked = page.locator(".trm-pair-measure h3 a").evaluate_all("as => as.map(a => a.href)")
    assert len(linked) == len(guide.measures)
    links = page.locator(".trm-pair-countries a").evaluate_all("as => as.map(a => a.href)")
    assert len(links) == len(guide.countries)
    page.goto(links[0])
    assert page.locator("h2#institutions").count() == 1
    page.goto(linked[0])
    first = guide.measures[0]
    assert page.locator("ol.trm-steps > li").count() >= len(first.how)
    context.close()


def printed(page: Page) -> list[str]:
    """The page printed on A4 by Chromium: the text of each sheet."""
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    return [" ".join(sheet.extract_text().split()) for sheet in pdf.pages]


@pytest.mark.parametrize("language", ["en", "bg", "ar"])
def test_the_pair_sheet_prints_the_first_two_sops_on_at_most_4_pages(
        server: str, browser: Browser, guide: Guide, language: str) -> None:
    context, _ = guarded(browser, "desktop")
    page = context.new_page()
    page.goto(server + f"{language}/case/#here=BG&from=RO&relation=origin")
    page.wait_for_selector("[data-trm-calls] li")
    sheets = printed(page)
    context.close()
    assert len(sheets) <= 4, len(sheets)
    text = " ".join(sheets)
    for code in ("BG", "RO"):  # both countries' child protection, day and night
        assert first_always_open(guide, code, "child-protection") in text
    if language == "en":  # the measures of SOPs 1 and 2, not those of SOP 3
        assert "Presume minority when age is in doubt" in text
        assert guide.sops[1].measures[0].title in text
        assert guide.sops[2].measures[0].title not in text


@pytest.mark.parametrize("code", ["BG", "DE"])
def test_the_first_hour_card_gives_the_24_7_numbers_and_the_first_steps(
        server: str, browser: Browser, guide: Guide, code: str) -> None:
    """From a country's page to its first-hour card: its numbers answered day and night, in
    the order of the YAML, and the first steps with what changes for a child."""
    context, refused = guarded(browser, "phone")
    page = context.new_page()
    page.goto(server + f"en/contacts/{code.lower()}/")
    page.locator(".trm-first-link a").click()
    page.wait_for_selector("[data-trm-first-calls] li")
    calls = [" ".join(t.split()) for t in page.locator("[data-trm-first-calls] li")
             .all_inner_texts()]
    country = guide.country(code)
    expected = [phone(line.number) for inst in country.contacts.institutions
                for line in inst.phones if line.always_open and inst.status != "inactive"]
    assert [call.split(" · ")[0] for call in calls] == expected
    steps = " ".join(page.locator(".trm-first-steps").inner_text().split())
    for measure in guide.measures:
        if measure.first_hour:
            assert " ".join(measure.how[0].text.split()) in steps, measure.id
            if measure.child and measure.child.how:
                assert " ".join(measure.child.how[0].text.split()) in steps, measure.id
    assert page.locator("a[href^='tel:']").count() == 0  # sample data: nobody to call
    context.close()
    assert refused == []


@pytest.mark.parametrize("language", ["en", "bg", "ar"])
def test_the_first_hour_card_prints_on_one_page(server: str, browser: Browser,
                                                language: str) -> None:
    context, _ = guarded(browser, "desktop")
    page = context.new_page()
    for code in ("BG", "UA", "IT"):
        page.goto(server + f"{language}/first-hour/?here={code}")
        page.wait_for_selector("[data-trm-first-calls] li")
        assert len(printed(page)) == 1, code
    context.close()


@pytest.mark.parametrize("view", ["case/#here=BG&from=RO&relation=origin",
                                  "first-hour/?here=RO"])
@pytest.mark.parametrize("language", ["en", "bg", "ar"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_axe_finds_nothing_on_the_new_pages_with_countries_chosen(
        server: str, browser: Browser, view: str, language: str, width: str) -> None:
    context, refused = guarded(browser, width)
    page = context.new_page()
    page.goto(server + f"{language}/{view}")
    page.wait_for_selector("[data-trm-calls] li, [data-trm-first-calls] li")
    results = Axe().run(page)
    context.close()
    assert results.violations_count == 0, results.generate_report()
    assert refused == []


STORED = "() => window.localStorage.getItem('trmgen.countries')"


@pytest.mark.parametrize(("language", "zone", "code", "said"), [
    ("en", "Europe/Chisinau", "MD", "Guessed from this device's time zone"),
    ("ar", "Europe/Berlin", "DE", "مُستنتَج من المنطقة الزمنية لهذا الجهاز"),
    ("uk", "Europe/Kiev", "UA", "Визначено за часовим поясом цього пристрою"),
])
def test_the_time_zone_suggests_the_country_of_work_and_says_so_until_the_reader_chooses(
        server: str, browser: Browser, language: str, zone: str, code: str,
        said: str) -> None:
    """A fresh browser: the device's time zone (Europe/Kiev is the old name of Europe/Kyiv)
    preselects the country of work, a note beside the choice says that it is a guess, and
    nothing is kept in the browser until the reader chooses."""
    context, refused = guarded(browser, "phone", zone=zone)
    page = context.new_page()
    page.goto(server + f"{language}/")
    guess = page.locator("[data-trm-choice] .trm-choice-guess")
    guess.wait_for()
    assert guess.is_visible() and said in guess.inner_text()
    here = page.locator("[data-trm-choice] select[name=here]")
    assert here.input_value() == code
    assert here.get_attribute("aria-describedby") == guess.get_attribute("id")
    assert page.evaluate(STORED) is None
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.select_option("[data-trm-choice] select[name=from]", "RO")
    assert guess.count() == 0 and here.get_attribute("aria-describedby") is None
    assert json.loads(page.evaluate(STORED)) == {"here": code, "from": "RO",
                                                 "relation": "origin"}
    page.reload()
    page.locator("[data-trm-choice] select[name=here]").wait_for()
    assert page.locator("[data-trm-choice] select[name=here]").input_value() == code
    assert page.locator(".trm-choice-guess").count() == 0
    context.close()
    assert refused == []


def test_a_choice_kept_or_named_in_the_address_comes_before_the_time_zone(
        server: str, browser: Browser) -> None:
    context, refused = guarded(browser, "desktop", zone="Europe/Berlin")
    page = context.new_page()
    here = page.locator("[data-trm-choice] select[name=here]")
    page.goto(server + "en/case/?here=AT&from=MD")
    here.wait_for()
    assert here.input_value() == "AT" and page.locator(".trm-choice-guess").count() == 0
    page.goto(server + "en/")  # the choice the address named is now this browser's
    here.wait_for()
    assert here.input_value() == "AT" and page.locator(".trm-choice-guess").count() == 0
    context.close()
    assert refused == []


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Europe/Paris"])
def test_a_time_zone_of_no_listed_country_guesses_nothing(server: str, browser: Browser,
                                                          zone: str) -> None:
    context, refused = guarded(browser, "desktop", zone=zone)
    page = context.new_page()
    page.goto(server + "en/")
    here = page.locator("[data-trm-choice] select[name=here]")
    here.wait_for()
    assert here.input_value() == ""
    assert page.locator(".trm-choice-guess").count() == 0
    context.close()
    assert refused == []


def test_the_zones_of_each_listed_country_come_from_cldr(guide: Guide) -> None:
    from trmgen.web.countries import zones

    found = zones(validated(Layout(ROOT)).edition())
    assert found["Europe/Berlin"] == "DE" and found["Europe/Chisinau"] == "MD"
    assert found["Europe/Kyiv"] == found["Europe/Kiev"] == "UA"
    assert "Europe/Paris" not in found and "UTC" not in found
    assert set(found.values()) == {country.code for country in guide.countries}


def test_the_country_data_is_json_without_markup(shipped_site: Path, guide: Guide) -> None:
    for code in ("en", "ar"):
        for country in guide.countries:
            path = shipped_site / code / f"case/countries/{country.code.lower()}.js"
            text = path.read_text(encoding="utf-8")
            assert text.startswith(f"{CALLBACK}(") and text.endswith(");\n")
            data = json.loads(text[len(CALLBACK) + 1:-3])
            strings = re.findall(r'"((?:[^"\\]|\\.)*)"', json.dumps(data, ensure_ascii=False))
            assert not [s for s in strings if "<" in s or "javascript:" in s.lower()], path
            for institution in data["institutions"]:
                page, _, anchor = institution["link"].partition("#")
                html = (shipped_site / code / page / "index.html").read_text(encoding="utf-8")
                assert f'id="{anchor}"' in html


def test_base_country_data_for_each_actor(tmp_path: Path) -> None:
    """In the small tree: the country data gives each actor its institution and numbers."""
    from trmgen.web.countries import country_data

    edition = validated(Layout(CASES / "base")).edition()
    bg = edition.guide.country("BG")
    data = country_data(edition, bg, directory_urls=True)
    assert data["actors"]["police"] == [[0, [0]]]
    assert data["actors"]["specialised-ngo"] == [[1, [0]]]
    assert data["focal"] == 0  # bg-police serves as the national coordinator here
    assert data["institutions"][0]["link"] == "contacts/bg/#bg-police"
    assert data["institutions"][0]["phones"][0]["tel"] is None  # sample data: no tel: links
