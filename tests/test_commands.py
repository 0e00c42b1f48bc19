"""The editors' commands on small trees: exact output, exit codes, nothing left half done."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import phonenumbers
import yaml

from trmgen.i18n import catalogs
from trmgen.sources.layout import Layout

from .edits import verified


def trmgen(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "trmgen", *args, "--root", str(root)],
                          capture_output=True, text=True, timeout=120, check=False)


def test_contacts_report_in_three_formats(base_tree: Path) -> None:
    verified(base_tree)
    text = trmgen(base_tree, "contacts", "--as-of", "2027-03-01", "--months", "4")
    assert text.returncode == 0
    assert text.stdout.splitlines() == [
        "BG: 2 of 2 due for verification",
        "  bg-police: last verified 2026-10-01 by Focal point (due)",
        "  bg-ngo: last verified 2026-10-01 by Focal point (due)",
        "2 of 2 contacts not verified in the last 4 months",
    ]
    current = trmgen(base_tree, "contacts", "--stale", "--as-of", "2026-11-27")
    assert current.stdout.splitlines() == ["0 of 2 contacts not verified in the last 12 months"]
    csv_out = trmgen(base_tree, "contacts", "--stale", "--as-of", "2027-11-01", "--format", "csv")
    assert csv_out.stdout.splitlines() == [
        "country,institution,name,last_verified,verified_by,due",
        "BG,bg-police,Police,2026-10-01,Focal point,yes",
        "BG,bg-ngo,Shelter,2026-10-01,Focal point,yes",
    ]
    records = json.loads(trmgen(base_tree, "contacts", "--format", "json", "--as-of",
                                "2026-11-27").stdout)
    assert [(r["institution"], r["due"]) for r in records] == [("bg-police", False),
                                                               ("bg-ngo", False)]



def test_sample_contacts_claim_no_verification(base_tree: Path) -> None:
    text = trmgen(base_tree, "contacts", "--as-of", "2030-01-01")
    assert text.returncode == 0
    assert text.stdout.splitlines() == [
        "BG: sample data, never verified",
        "  bg-police: sample data, never verified",
        "  bg-ngo: sample data, never verified",
        "0 of 0 contacts not verified in the last 12 months",
        "2 sample contacts, never verified",
    ]

def test_new_measure_validates_at_once(base_tree: Path) -> None:
    result = trmgen(base_tree, "new", "measure", "--sop", "1", "--id", "safe-transport")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ("wrote guidelines/sops/1-identification.yaml: "
                                     "it validates")
    assert "- id: safe-transport" in (base_tree / "guidelines/sops/1-identification.yaml"
                                      ).read_text()
    assert trmgen(base_tree, "validate").returncode == 0


def test_new_measure_refuses_bad_input_and_leaves_nothing(base_tree: Path) -> None:
    sop = base_tree / "guidelines/sops/1-identification.yaml"
    before = sop.read_text()
    bad_id = trmgen(base_tree, "new", "measure", "--sop", "1", "--id", "Safe Transport")
    assert bad_id.returncode == 1
    assert bad_id.stderr.strip() == ("trmgen new measure: 'Safe Transport' is not a valid id: "
                                     "use lowercase letters, digits and single hyphens, e.g. "
                                     "'safe-transport'")
    taken = trmgen(base_tree, "new", "measure", "--sop", "1", "--id", "referral")
    assert taken.returncode == 1 and "already in" in taken.stderr
    missing = trmgen(base_tree, "new", "measure", "--sop", "7", "--id", "x")
    assert missing.returncode == 1 and "there is no SOP 7" in missing.stderr
    assert trmgen(base_tree, "new", "measure", "--id", "x").returncode == 2
    assert sop.read_text() == before


def test_new_country(base_tree: Path) -> None:
    result = trmgen(base_tree, "new", "country", "RO")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote contacts/RO.yaml: it validates")
    text = (base_tree / "contacts/RO.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../schemas/country.schema.json")
    assert trmgen(base_tree, "validate").returncode == 0
    data = yaml.safe_load(text)  # sample data that claims no check and reaches nobody
    assert data["sample_data"] is True
    (institution,) = data["institutions"]
    assert "last_verified" not in institution and "verified_by" not in institution
    number = phonenumbers.parse(institution["phones"][0]["number"])
    assert number.country_code == 40 and phonenumbers.is_possible_number(number)
    assert not phonenumbers.is_valid_number(number)
    again = trmgen(base_tree, "new", "country", "RO")
    assert again.returncode == 1 and "exists already" in again.stderr
    wrong = trmgen(base_tree, "new", "country", "UK")
    assert wrong.stderr.strip() == ("trmgen new country: 'UK' is not an ISO 3166-1 country "
                                    "code - did you mean 'GB'?")
    assert not (base_tree / "contacts/UK.yaml").exists()


def test_new_language(base_tree: Path) -> None:
    result = trmgen(base_tree, "new", "language", "fr")
    assert result.returncode == 0, result.stderr
    assert "languages: [en, fr]" in (base_tree / "guidelines/guideline.yaml").read_text()
    catalog = catalogs.read(Layout(base_tree), "fr")
    assert catalog.get("Screen on indicators", "measure/first-screening/title") is not None
    assert trmgen(base_tree, "validate").returncode == 0
    wrong = trmgen(base_tree, "new", "language", "gr")
    assert wrong.returncode == 1 and "did you mean 'el'?" in wrong.stderr
