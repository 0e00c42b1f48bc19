"""Safe at the border: no contact with another country's authorities before the safeguards,
in the shipped guidelines, their charts and their pages, and the validator that keeps it so."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import phonenumbers
import pytest

from trmgen.checks.validate import unsafe_path
from trmgen.content.edition import Validated, validated
from trmgen.sources import phones
from trmgen.sources.layout import Layout
from trmgen.sources.model import Channel, Safeguard
from trmgen.web.pages import FILES

from .conftest import ROOT
from .edits import replace_in
from .html import page
from .languages import PUBLISHED
from .test_print import pdf_text

LANGUAGES = PUBLISHED


@pytest.fixture(scope="module")
def shipped() -> Validated:
    return validated(Layout(ROOT))


def test_every_crossing_the_guidelines_make_is_declared_and_safe(shipped: Validated) -> None:
    """The contacts abroad that practitioners make are data, each with its channel, and every
    path to each passes the three safeguards."""
    guide = shipped.guide
    graph = {m.id: [e.to for e in m.next] for m in guide.measures}
    abroad = {m.id: {c.channel for c in m.abroad} for m in guide.measures if m.abroad}
    assert abroad["referral-to-assistance"] >= {Channel.FOCAL_POINTS,
                                                Channel.POLICE_COOPERATION,
                                                Channel.CHILD_PROTECTION}
    assert Channel.FOCAL_POINTS in abroad["pre-return-risk-assessment"]
    assert Channel.CONSULAR in abroad["identity-documents"]
    assert Channel.CONSULAR in abroad["travel-documents"]
    assert Channel.JUDICIAL_COOPERATION in abroad["mutual-legal-assistance"]
    for measure_id in abroad:
        for safeguard in Safeguard:
            has = {m.id for m in guide.measures if safeguard in m.safeguards}
            assert unsafe_path(graph, has.__contains__, measure_id) is None, \
                (measure_id, safeguard)


def test_protection_is_checked_before_the_referral_and_before_a_return(
        shipped: Validated) -> None:
    guide = shipped.guide
    check = guide.measure("international-protection")
    assert Safeguard.PROTECTION in check.safeguards
    assert check.child is not None and check.legal_basis
    assert [e.to for e in guide.measure("information-on-rights").next] == [check.id]
    assert [e.to for e in check.next] == ["cross-border-data"]  # the legal basis, then
    assert [e.to for e in guide.measure("cross-border-data").next] == ["referral-to-assistance"]
    assert Safeguard.PROTECTION in guide.measure("pre-return-risk-assessment").safeguards
    steps = guide.measure("pre-return-risk-assessment").how
    assert "international protection" in " ".join(step.text for step in steps)


def test_the_overview_crosses_only_after_the_safeguards(shipped: Validated) -> None:
    """No arrow goes from screening to another country, and assistance follows the referral
    on reasonable grounds, not formal identification."""
    overview = shipped.guide.overview
    steps = {s.id: s for s in overview.steps}
    crossing = [(steps[e.source], steps[e.to]) for e in overview.edges
                if steps[e.source].lane != steps[e.to].lane]
    assert crossing
    assert all(source.measure != "first-screening" for source, _ in crossing)
    into_assistance = {steps[e.source].measure for e in overview.edges
                       if steps[e.to].measure == "safe-accommodation"}
    assert into_assistance == {"referral-to-assistance"}


@pytest.mark.slow
def test_the_validator_refuses_a_shortcut_to_the_other_country(tmp_path: Path) -> None:
    """An editor who sends screening straight to the referral (which contacts the origin
    country) is stopped at the line of the contact, with the path that skips the checks."""
    root = tmp_path / "repo"
    for name in ("guidelines", "contacts", "flowcharts"):
        shutil.copytree(ROOT / name, root / name)
    sop = root / "guidelines/sops/1-identification.yaml"
    replace_in(sop, "    next:\n      - to: risk-assessment\n",
               "    next:\n      - to: referral-to-assistance\n      - to: risk-assessment\n")
    result = subprocess.run([sys.executable, "-m", "trmgen", "validate", "--root", str(root)],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if "flow.unsafe-crossing" in line]
    assert lines, result.stdout
    text = sop.read_text(encoding="utf-8").splitlines()
    number = int(lines[0].split(":")[1])
    assert text[number - 1].strip() == "abroad:"
    assert "first-screening -> referral-to-assistance" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("code", LANGUAGES)
def test_a_measure_page_shows_its_contacts_abroad(shipped_site: Path, code: str) -> None:
    tree = page(shipped_site, f"{code}/measures/referral-to-assistance/")
    assert tree.xpath("//h2[@id='abroad']")
    contacts = tree.xpath("//ul[@class='trm-abroad']/li")
    assert len(contacts) == 3
    names = [" ".join(li.xpath("string(strong)").split()) for li in contacts]
    assert len(set(names)) == 3 and all(names)
    if code != "en":  # the channel names are translated
        english = page(shipped_site, "en/measures/referral-to-assistance/")
        assert names != [" ".join(li.xpath("string(strong)").split())
                         for li in english.xpath("//ul[@class='trm-abroad']/li")]


@pytest.mark.slow
def test_a_hand_over_is_bold_in_its_sop_chart_and_named_in_what_comes_next(
        shipped_site: Path, shipped: Validated) -> None:
    tree = page(shipped_site, "en/sops/return/")
    edges = {g.get("id"): g
             for g in tree.xpath("//figure[@class='trm-chart']//svg//*[@class='edge']")}
    handover = edges["chart-safe-transfer-reception--reintegration-plan"]
    colour = shipped.guide.style.handover
    assert handover.xpath(f".//*[@stroke='{colour}']")
    other = edges["chart-travel-documents--safe-transfer-reception"]
    assert not other.xpath(f".//*[@stroke='{colour}']")
    keys = tree.xpath("//ul[@class='trm-legend']/li[span[contains(@style, '3px solid')]]")
    assert keys and "hand-over" in keys[0].text_content()
    measure = page(shipped_site, "en/measures/safe-transfer-reception/")
    assert measure.xpath("//ul[@class='trm-next']//span[@class='trm-handover']")


@pytest.mark.slow
@pytest.mark.parametrize("code", LANGUAGES)
def test_the_home_page_says_what_the_text_is(shipped_site: Path, code: str) -> None:
    tree = page(shipped_site, f"{code}/")
    (notice,) = tree.xpath("//p[@class='trm-provenance']")
    text = " ".join(notice.text_content().split())
    assert "ICMPD" in text
    assert len(text) > 150  # the statement and the review status


def test_sample_contacts_claim_no_check_and_reach_nobody(shipped: Validated) -> None:
    """The shipped contacts are sample data: no verification is claimed, and no number is in
    a range that an operator uses."""
    countries = shipped.guide.countries
    assert len(countries) == 12
    for country in countries:
        assert country.contacts.sample_data, country.code
        for inst in country.contacts.institutions:
            assert inst.last_verified is None and inst.verified_by is None, inst.id
            for line in inst.phones:
                number = phonenumbers.parse(line.number)
                assert phonenumbers.is_possible_number(number), line.number
                assert not phonenumbers.is_valid_number(number), line.number
                assert phones.region(line.number) == country.code


def test_a_fictional_number_exists_for_every_numbering_plan() -> None:
    """`trmgen new country` can give a country a sample number that reaches nobody: every
    country of Europe, and nearly every numbering plan (for the others it says so)."""
    europe = ["AD", "AL", "AM", "AT", "AZ", "BA", "BE", "BG", "BY", "CH", "CY", "CZ", "DE", "DK",
              "EE", "ES", "FI", "FR", "GB", "GE", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT",
              "LU", "LV", "MC", "MD", "ME", "MK", "MT", "NL", "NO", "PL", "PT", "RO", "RS", "RU",
              "SE", "SI", "SK", "SM", "TR", "UA", "XK"]
    missing = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        try:
            number = phones.fictional(region)
        except LookupError:
            missing.append(region)
            continue
        parsed = phonenumbers.parse(number)
        assert phonenumbers.is_possible_number(parsed), (region, number)
        assert not phonenumbers.is_valid_number(parsed), (region, number)
    assert not set(missing) & set(europe)
    assert len(missing) < 5, missing


@pytest.mark.slow
@pytest.mark.parametrize("code", ["en", "fr"])
def test_the_new_measures_are_in_the_book_and_the_open_data(shipped_site: Path,
                                                            shipped: Validated,
                                                            code: str) -> None:
    new = ("international-protection", "cross-border-data", "non-voluntary-return")
    data = json.loads((shipped_site / FILES.data(code)).read_text(encoding="utf-8"))
    measures = {m["id"]: m for sop in data["sops"] for m in sop["measures"]}
    assert set(new) <= set(measures)
    screening = measures["first-screening"]["indicators"]
    assert {"surrogacy", "domestic-servitude", "child"} <= set(screening)
    assert measures["referral-to-assistance"]["abroad"]
    book = pdf_text(shipped_site / FILES.book(code))
    edition = shipped.edition(code)
    for measure_id in new:
        title = " ".join(str(edition.guide.measure(measure_id).title).split())
        assert title in book, (code, title)
