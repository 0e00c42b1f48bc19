"""The committed JSON Schemas match the model, and every source file names its schema."""

from __future__ import annotations

import json
from pathlib import Path

from trmgen.sources import schemas
from trmgen.sources.layout import Layout

from .conftest import ROOT


def test_committed_schemas_are_current() -> None:
    assert schemas.outdated(Layout(ROOT)) == [], "run 'trmgen schema' and commit the result"


def test_outdated_schema_is_noticed(tmp_path: Path) -> None:
    layout = Layout(tmp_path)
    schemas.write(layout)
    assert schemas.outdated(layout) == []
    (layout.schemas / "sop.schema.json").write_text("{}")
    assert schemas.outdated(layout) == ["sop.schema.json"]


def test_schemas_carry_field_help() -> None:
    sop = json.loads((ROOT / "schemas/sop.schema.json").read_text())
    measure = sop["$defs"]["Measure"]
    assert measure["additionalProperties"] is False
    assert "WHO is responsible" in measure["properties"]["who"]["description"]
    assert set(measure["required"]) == {"id", "title", "what", "when", "who", "how"}


def test_every_source_names_its_schema() -> None:
    files = [*ROOT.glob("guidelines/**/*.yaml"), *ROOT.glob("contacts/*.yaml")]
    assert len(files) >= 20
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.is_file(), path
