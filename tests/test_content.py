"""The shipped guidelines: complete enough to rely on, so that they cannot silently shrink."""

from __future__ import annotations

from collections import Counter

import pytest

from trmgen.checks.validate import validate
from trmgen.diagnostics import Severity
from trmgen.sources.layout import Layout
from trmgen.sources.load import Sources
from trmgen.sources.model import CountryRole, Exploitation, Measure

from .conftest import ROOT


@pytest.fixture(scope="module")
def shipped() -> Sources:
    sources, diagnostics = validate(Layout(ROOT))
    assert [d.text() for d in diagnostics if d.severity is Severity.ERROR] == []
    return sources


def measures(sources: Sources) -> list[Measure]:
    return [m for sop in sources.sops for m in sop.model.measures]


def test_five_sops_with_enough_measures(shipped: Sources) -> None:
    assert [s.model.number for s in shipped.sops] == [1, 2, 3, 4, 5]
    assert [s.model.id for s in shipped.sops] == [
        "identification", "first-assistance", "long-term-assistance", "return", "proceedings"]
    for sop in shipped.sops:
        assert len(sop.model.measures) >= 6, sop.model.id
    assert len(measures(shipped)) >= 40


def test_every_measure_is_complete(shipped: Sources) -> None:
    for measure in measures(shipped):
        assert measure.what and measure.when and measure.who, measure.id
        assert len(measure.how) >= 2, measure.id
        assert measure.legal_basis, measure.id
        assert measure.next, measure.id


def test_children_good_practices_and_indicators(shipped: Sources) -> None:
    all_measures = measures(shipped)
    assert sum(1 for m in all_measures if m.child) >= 20
    assert sum(1 for m in all_measures if m.child_only) >= 5
    practices = [gp for m in all_measures for gp in m.good_practices]
    assert len(practices) >= 15
    assert len({gp.country for gp in practices}) >= 8
    indicators: Counter[str] = Counter()
    for m in all_measures:
        for group, items in m.indicators.items():
            indicators[group] += len(items)
    assert indicators[Exploitation.SEXUAL] >= 8
    assert indicators[Exploitation.LABOUR] >= 8
    for form in Exploitation:  # every form that Directive 2024/1712 names, too
        assert indicators[form.value] >= 4, form
    assert indicators["child"] >= 6
    assert all(gp.source.name for gp in practices)
    assert len({(gp.country, gp.title) for gp in practices}) == len(practices)


def test_current_eu_and_council_of_europe_law_is_cited(shipped: Sources) -> None:
    citations = [c for m in measures(shipped) for c in m.legal_basis]
    cited = Counter(c.instrument for c in citations)
    for instrument in ("directive-2011-36", "directive-2012-29", "coe-convention",
                       "directive-2004-80", "directive-2008-115", "directive-2009-52",
                       "directive-2014-41", "gdpr", "directive-2016-680"):
        assert cited[instrument] >= 1, instrument
    # the 2024 amendment through the articles of Directive 2011/36/EU it amended, never bare
    assert cited["directive-2024-1712"] == 0
    assert any(c.as_amended_by == "directive-2024-1712" for c in citations)


def test_contacts_of_twelve_countries_in_every_role(shipped: Sources) -> None:
    countries = shipped.countries
    assert len(countries) >= 12
    roles = {role for c in countries.values() for role in c.model.roles}
    assert roles == set(CountryRole)
    for code, country in countries.items():
        assert country.model.sample_data, code
        for institution in country.model.institutions:
            for email in institution.emails:
                assert email.endswith("@example.org"), email
