"""The search index split into files (trmgen/web/search_shards.py): read back, every entry
holds the words of its fields, as material's worker would have indexed them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from trmgen.web import search, search_shards

from .search_files import entries, postings, script_data


def _index(language: str, docs: list[dict[str, Any]]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    search.configure(config, language)
    return {"config": config, "docs": docs}


def test_each_entry_keeps_its_words_fields_and_counts(tmp_path: Path) -> None:
    docs: list[dict[str, Any]] = [
        {"location": "measures/guardian/", "title": "Appoint a guardian",
         "text": "<p>The guardian meets the child.</p><p>A guardian, at once.</p>",
         "keywords": "guardianship"},
        {"location": "measures/guardian/#how", "title": "How", "text": "<li>Choose one</li>"},
        {"location": "contacts/md/", "title": "Moldova", "text": "<p>Guardianship office</p>",
         "boost": 0.4},
    ]
    search_shards.write(tmp_path / "en" / "search", _index("en", docs))
    found = entries(tmp_path, "en")
    assert [entry["location"] for entry in found] == [doc["location"] for doc in docs]
    # "the" and "a", "at" are stop words; "once" is not
    assert found[0]["words"]["text"] == {"guardian": 2, "meets": 1, "child": 1, "once": 1}
    assert found[0]["words"]["title"] == {"appoint": 1, "guardian": 1}
    assert found[0]["words"]["keywords"] == {"guardianship": 1}
    assert found[1]["words"]["text"] == {"choose": 1, "one": 1}
    assert found[2]["text"] == "<p>Guardianship office</p>"
    pages = script_data(tmp_path / "en/search/pages.js")
    assert pages == [["measures/guardian/", "Appoint a guardian", 1.0, 0],
                     ["contacts/md/", "Moldova", 0.4, 2]]
    config = json.loads((tmp_path / "en/search/search_index.json").read_text())
    assert config["docs"] == [] and config["config"]["trmgen"]["docs"] == 3
    shards = config["config"]["trmgen"]["shards"]  # each shard's file
    assert "67-75" in shards  # gu: guardian, guardianship
    # Seven shards of a few words each share one file.
    assert len(shards) == 7 and set(shards.values()) == {0}
    assert [p.name for p in (tmp_path / "en/search/t").iterdir()] == ["0.js"]


def test_shards_share_files_of_a_few_kilobytes(tmp_path: Path) -> None:
    words = [f"{a}{b}word" for a in "abcdefghij" for b in "abcdefghij"]
    docs = [{"location": f"p{n}/", "title": word, "text": f"<p>{word} {word}s</p>"}
            for n, word in enumerate(words)]
    folder = tmp_path / "en" / "search"
    search_shards.write(folder, _index("en", docs))
    files = sorted((folder / "t").iterdir())
    assert 1 < len(files) < len(words) / 10
    assert all(len(path.read_text(encoding="utf-8")) <= search_shards.PACKED for path in files)
    found = entries(tmp_path, "en")  # every word read back from its shard's file
    assert [sorted(entry["words"]["title"]) for entry in found] == [[word] for word in words]


def test_the_arabic_article_ends_a_word_as_in_the_browser(tmp_path: Path) -> None:
    docs = [{"location": "measures/compensation/", "title": "التعويض",
             "text": "<p>بالتعويض والحماية، تعويض</p>"}]
    search_shards.write(tmp_path / "ar" / "search", _index("ar", docs))
    (entry,) = entries(tmp_path, "ar")
    assert entry["words"]["title"] == {"تعويض": 1}
    assert entry["words"]["text"] == {"تعويض": 2, "حماية": 1}
    separator = re.compile(search.separator("ar"))
    assert search_shards.words("للأطفال", separator, frozenset()) == ["أطفال"]


def test_postings_round_trip_large_counts_and_entries() -> None:
    found = [(0, 1, 1), (0, 2, 5), (3, 1, 3), (40_000, 0, 4), (40_001, 1, 1000)]
    assert postings(search_shards.postings(found)) == found
    assert set(search_shards.postings(found)) <= set(search_shards.DIGITS)


def test_a_rebuild_leaves_no_file_of_the_last_index(tmp_path: Path) -> None:
    folder = tmp_path / "en" / "search"
    docs = [{"location": f"p{n}/", "title": f"Zebra{n}", "text": ""} for n in range(3)]
    search_shards.write(folder, _index("en", docs))
    search_shards.write(folder, _index("en", docs[:1]))
    assert sorted(p.name for p in (folder / "p").iterdir()) == ["0.js"]
    assert [entry["location"] for entry in entries(tmp_path, "en")] == ["p0/"]
