"""The search index as the build splits it into files (trmgen/web/search_shards.py), read
back: each entry with its address, title, text and the words of each of its fields."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trmgen.web.search_shards import COUNT_BITS, DIGITS, FIELD_BITS


def script_data(path: Path) -> Any:
    """The data of a file `trmgenSearch(name, data)`."""
    ((_, data),) = script_calls(path)
    return data


def script_calls(path: Path) -> list[tuple[str, Any]]:
    """The calls `trmgenSearch(name, data)` of a file, one a line: each name and data."""
    calls = []
    for line in path.read_text(encoding="utf-8").splitlines():
        assert line.startswith("trmgenSearch(") and line.endswith(")"), path
        name, _, data = line.removeprefix("trmgenSearch(").removesuffix(")").partition(",")
        calls.append((json.loads(name), json.loads(data)))
    return calls


def postings(digits: str) -> list[tuple[int, int, int]]:
    """The (entry, field, count) triples of a word's postings."""
    numbers, value, shift = [], 0, 0
    for digit in map(DIGITS.index, digits):
        value |= (digit & 31) << shift
        shift += 5
        if not digit & 32:
            numbers.append(value)
            value, shift = 0, 0
    found, entry, at = [], 0, 0
    while at < len(numbers):
        count = numbers[at] & (1 << COUNT_BITS) - 1
        field = numbers[at] >> COUNT_BITS & (1 << FIELD_BITS) - 1
        entry += numbers[at] >> COUNT_BITS + FIELD_BITS
        if not count:
            at += 1
            count = numbers[at]
        found.append((entry, field, count))
        at += 1
    return found


def entries(site: Path, language: str) -> list[dict[str, Any]]:
    """Every entry of the index of `language`, in order, its words under 'words' by field
    (word → how often)."""
    folder = site / language / "search"
    config = json.loads((folder / "search_index.json").read_text(encoding="utf-8"))["config"]
    fields = list(config["fields"])
    found: list[dict[str, Any]] = []
    for number, (page, *_) in enumerate(script_data(folder / "pages.js")):
        for anchor, title, text in script_data(folder / f"p/{number}.js"):
            found.append({"location": page + anchor, "title": title, "text": text,
                          "words": {name: {} for name in fields}})
    assert len(found) == config["trmgen"]["docs"]
    files = config["trmgen"]["shards"]  # each shard's file
    for number in sorted(set(files.values())):
        for name, flat in script_calls(folder / f"t/{number}.js"):
            assert files[name.removeprefix("t/")] == number, name
            word = ""
            for at in range(0, len(flat), 3):
                word = word[:flat[at]] + flat[at + 1]
                for entry, field, count in postings(flat[at + 2]):
                    found[entry]["words"][fields[field]][word] = count
    return found
