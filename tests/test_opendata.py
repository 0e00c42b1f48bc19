"""Open data: each export read back by an independent parser and checked against a schema."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import vobject

from trmgen.checks.validate import validate
from trmgen.sources.layout import Layout

from .conftest import CASES, ROOT
from .languages import PUBLISHED

LANGUAGES = PUBLISHED


def institutions() -> dict[str, list[str]]:
    sources, _ = validate(Layout(ROOT))
    return {code: [i.id for i in c.model.institutions] for code, c in sources.countries.items()}


def test_guidelines_json_matches_its_schema(shipped_site: Path) -> None:
    schema = json.loads((shipped_site / "downloads/trm-guidelines.schema.json").read_text())
    for code in LANGUAGES:
        data = json.loads((shipped_site / f"downloads/trm-guidelines-{code}.json").read_text())
        jsonschema.validate(data, schema)
        assert data["language"] == code
        assert len(data["sops"]) == 5
        assert sum(len(sop["measures"]) for sop in data["sops"]) >= 40
    french = json.loads((shipped_site / "downloads/trm-guidelines-fr.json").read_text())
    english = json.loads((shipped_site / "downloads/trm-guidelines-en.json").read_text())
    assert french["sops"][0]["measures"][0]["title"] != english["sops"][0]["measures"][0][
        "title"]
    assert french["sops"][0]["measures"][0]["id"] == english["sops"][0]["measures"][0]["id"]
    sources, _ = validate(Layout(ROOT))
    for code, country in sources.countries.items():
        exported = english["contacts"][code]["adoption"]
        assert exported["measures"].keys() == country.model.adoption.measures.keys()
        assert [a["id"] for a in exported["acts"]] == [a.id for a in country.model.adoption.acts]
    bulgaria = french["contacts"]["BG"]["adoption"]["measures"]["first-screening"]
    assert bulgaria["status"] == "guidance" and bulgaria["steps"][0]["replaces"] == 2
    assert bulgaria["steps"][0]["text"] != english["contacts"]["BG"]["adoption"]["measures"][
        "first-screening"]["steps"][0]["text"], "national steps translate"


def test_adoption_csv(shipped_site: Path) -> None:
    sources, _ = validate(Layout(ROOT))
    measures = [m.id for sop in sorted(sources.sops, key=lambda s: s.model.number)
                for m in sop.model.measures]
    with (shipped_site / "downloads/trm-adoption.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(measures) * len(sources.countries)
    assert [r["measure"] for r in rows if r["country"] == "BG"] == measures
    bulgaria = next(r for r in rows if r["country"] == "BG" and r["measure"] == "first-screening")
    assert (bulgaria["status"], bulgaria["sample"]) == ("guidance", "yes")
    entry = sources.countries["RO"].model.adoption.measures["cross-border-data"]
    romania = next(r for r in rows if r["country"] == "RO" and r["measure"] == "cross-border-data")
    assert (romania["status"], romania["act"]) == (entry.status.value, entry.act or "")


def test_contacts_csv(shipped_site: Path) -> None:
    with (shipped_site / "downloads/trm-contacts.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = institutions()
    assert [r["id"] for r in rows] == [i for code in sorted(expected) for i in expected[code]]
    assert all(r["phones"].startswith("+") or not r["phones"] for r in rows)
    assert {r["sample_data"] for r in rows} == {"yes"}


def test_vcards_parse_back(shipped_site: Path) -> None:
    expected = institutions()
    for code, ids in expected.items():
        text = (shipped_site / f"downloads/vcards/{code.lower()}.vcf").read_text()
        cards = list(vobject.readComponents(text))
        assert len(cards) == len(ids)
        for card in cards:
            assert card.fn.value
            assert all(tel.value.startswith("tel:+") for tel in card.contents.get("tel", []))
            assert "SAMPLE DATA" in card.note.value
        single = (shipped_site / f"downloads/vcards/{code.lower()}/{ids[0]}.vcf").read_text()
        assert vobject.readOne(single).fn.value == cards[0].fn.value


def test_hsds_export_matches_the_specification(shipped_site: Path) -> None:
    schema = json.loads((CASES / "hsds-subset.schema.json").read_text())
    data = json.loads((shipped_site / "downloads/trm-contacts-hsds.json").read_text())
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    total = sum(len(ids) for ids in institutions().values())
    assert len(data["organizations"]) == len(data["services"]) == total
    organizations = {o["id"] for o in data["organizations"]}
    assert len(organizations) == total
    assert {s["organization_id"] for s in data["services"]} == organizations
