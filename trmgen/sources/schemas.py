"""JSON Schemas of the source files, for autocomplete and hover help in editors."""

from __future__ import annotations

import json

from trmgen.sources.layout import SCHEMAS, Layout
from trmgen.sources.load import MODELS


def generate() -> dict[str, str]:
    """The text of each schema file, by file name."""
    out = {}
    for kind, model in MODELS.items():
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                  **model.model_json_schema()}
        out[SCHEMAS[kind]] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return out


def outdated(layout: Layout) -> list[str]:
    """The schema files that differ from what the model would write now."""
    return [name for name, text in generate().items()
            if not (layout.schemas / name).is_file()
            or (layout.schemas / name).read_text(encoding="utf-8") != text]


def write(layout: Layout) -> list[str]:
    """Write every schema file; return the names of those that changed."""
    changed = outdated(layout)
    layout.schemas.mkdir(parents=True, exist_ok=True)
    for name, text in generate().items():
        (layout.schemas / name).write_text(text, encoding="utf-8")
    return changed
