"""The pages practitioners open for their own work: a form of exploitation puts what is
specific to it first; an actor's page lists the steps that are the actor's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from trmgen.content.edition import Validated, validated
from trmgen.sources.layout import Layout
from trmgen.sources.model import ALL_FORMS

from .conftest import ROOT
from .html import page
from .languages import PUBLISHED

LANGUAGES = PUBLISHED


@pytest.fixture(scope="module")
def shipped() -> Validated:
    return validated(Layout(ROOT))


def measure_ids(links: list[str]) -> list[str]:
    return [link.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html") for link in links]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_of_exploitation_puts_what_is_specific_first(shipped_site: Path,
                                                            shipped: Validated,
                                                            language: str) -> None:
    guide = shipped.edition(language).guide
    for form in ALL_FORMS:
        tree = page(shipped_site, f"{language}/exploitation/{form.value}/")
        sections = tree.xpath("//article//h2/@id")
        focus, meeting = guide.focus(form), guide.meeting(form)
        expected = ["indicators", *(["actors"] if meeting else []),
                    *(["focus"] if focus else []), "measures"]
        assert sections == expected, (form, sections)
        actors = tree.xpath("//ul[@class='trm-form-actors']/li/a/@href")
        assert measure_ids(actors) == [a.id for a in meeting]
        listed = tree.xpath("//ul[@class='trm-form-focus']/li/a/@href")
        assert measure_ids(listed) == [m.id for m in focus]
        only = tree.xpath("//ul[@class='trm-form-only']/li/a/@href")
        assert measure_ids(only) == [m.id for m in guide.specific_to(form)]
        rest = tree.xpath("//p[@class='trm-form-all']/a/@href")
        assert measure_ids(rest) == [sop.id for sop in guide.sops]


def test_the_labour_page_names_the_labour_inspectorate(shipped_site: Path,
                                                       shipped: Validated) -> None:
    tree = page(shipped_site, "en/exploitation/labour/")
    assert "../../actors/labour-inspectorate/" in tree.xpath(
        "//ul[@class='trm-form-actors']/li/a/@href")
    focus = measure_ids(tree.xpath("//ul[@class='trm-form-focus']/li/a/@href"))
    assert "compensation" in focus
    for form in ALL_FORMS:  # every form has its own measures and actors
        assert shipped.guide.focus(form), form
        assert shipped.guide.meeting(form), form


def test_every_step_names_who_does_it(shipped: Validated) -> None:
    for measure in shipped.guide.measures:
        steps = [*measure.how, *(measure.child.how if measure.child else [])]
        assert all(step.by for step in steps), measure.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_actor_page_lists_its_own_steps(shipped_site: Path, shipped: Validated,
                                           language: str) -> None:
    edition = shipped.edition(language)
    for actor in edition.guide.actors:
        tree = page(shipped_site, f"{language}/actors/{actor.id}/")
        tasks = tree.xpath("//ol[@class='trm-tasks']/li")
        expected = [task for _, items in edition.guide.tasks(actor) for task in items]
        assert len(tasks) == len(expected), actor.id
        for item, task in zip(tasks, expected, strict=True):
            shown = item.xpath(".//div[@class='trm-own-steps']//li")
            assert [int(li.get("value")) for li in shown] == [s.number for s in task.steps]
            if not task.steps:
                assert item.xpath(".//div[@class='trm-task-when']"), (actor.id, task.measure.id)
            for li, own in zip(shown, task.steps, strict=True):
                words = " ".join(li.text_content().split())
                first = " ".join(own.step.text.split())[:40].replace("**", "")
                assert first.split("[")[0][:20] in words, (actor.id, task.measure.id)
                away = own.step.side and own.step.side != task.measure.home
                assert bool(li.xpath("span[@class='trm-side']")) == bool(away)


def test_the_labour_inspector_sees_what_to_do_at_a_screening(shipped_site: Path,
                                                              shipped: Validated) -> None:
    tree = page(shipped_site, "en/actors/labour-inspectorate/")
    screening = tree.xpath("//ol[@class='trm-tasks']/li[a[@href="
                           "'../../measures/first-screening/']]")[0]
    steps = screening.xpath(".//div[@class='trm-own-steps']//li")
    measure = shipped.guide.measure("first-screening")
    own = [n for n, step in enumerate(measure.how, 1) if "labour-inspectorate" in step.by]
    assert own and [int(li.get("value")) for li in steps[:len(own)]] == own
    assert "alone" in steps[0].text_content()


@pytest.mark.parametrize("language", ["en", "bg", "ar"])
def test_institutions_carry_their_own_name_and_the_english(shipped_site: Path,
                                                         shipped: Validated,
                                                         language: str) -> None:
    for country in shipped.guide.countries:
        tree = page(shipped_site, f"{language}/contacts/{country.code.lower()}/")
        for inst in country.contacts.institutions:
            assert inst.local_name, inst.id
            heading = tree.xpath(f"//h3[@id='{inst.id}']")[0]
            assert heading.get("lang") == country.language
            assert heading.text_content().strip() == inst.local_name
            english = heading.xpath("following-sibling::div[1]/p[@class='trm-name-en']")
            assert english and english[0].text_content() == inst.name
            assert english[0].get("lang") == "en"
    assert shipped.guide.country("BG").language == "bg"
    assert shipped.guide.country("RS").language == "sr-Latn"


@pytest.mark.parametrize("chart", ["overview/", "sops/identification/"])
def test_the_legend_explains_every_colour_and_line(shipped_site: Path, shipped: Validated,
                                                   chart: str) -> None:
    guide = shipped.guide
    tree = page(shipped_site, f"en/{chart}")
    legend = tree.xpath("//*[@class='trm-chart' or @class='trm-chart-key']"
                        "//ul[@class='trm-legend']")[0]
    swatches = legend.xpath("li[1]/ul/li")
    ids = ([s.measure for s in guide.overview.steps] if chart == "overview/"
           else [m.id for m in guide.sops[0].measures])
    kinds = guide.lead_kinds(ids)
    assert len(kinds) >= 3
    assert [li.text_content().strip() for li in swatches] == [
        shipped.edition("en").labels.kind(k) for k in kinds]
    for li, kind in zip(swatches, kinds, strict=True):
        assert guide.style.kinds[kind].fill in li.xpath("span/@style")[0]
    lines = " ".join(legend.text_content().split())
    assert "comes next" in lines
    assert ("hand-over" in lines) == (chart == "overview/")
    # every colour the chart draws a box or an arrow in has its key
    drawn = tree.xpath("//div[@class='trm-chart-scroll']//*[local-name()='polygon' or "
                       "local-name()='path']/@fill")
    fills = {f.lower() for f in drawn} - {"none", "#ffffff", "transparent"}
    styles = " ".join(legend.xpath(".//span/@style")).lower()
    assert fills and all(fill in styles for fill in fills), (fills, styles)
