"""The search index in small files: a page loads nothing for search until the reader
searches, and a search loads only the words it looks for.

material's search plugin writes the entries of every page (a page and each of its sections:
title, text, keywords) into search/search_index.json. Its worker would fetch all of it and
index it with lunr.js in the browser on every page: at 50 times the shipped guidelines,
2 MB compressed. trmgen indexes at build time instead, reading the words as that worker
reads them (`words`), and writes:

- search/search_index.json: the settings alone, which material's page script hands to the
  search worker (trmgen's, assets/javascripts/search/worker.js) when the reader searches;
- search/pages.js: each page's address, title, weight and first entry;
- search/t/N.js: the words that start with the same two letters (a shard, named by their code
  points in hexadecimal: KEY), in order, each written as the number of letters it shares with
  the word before it and the letters that follow, and with its postings (`postings`). A file
  holds the shards of neighbouring keys, up to `PACKED` characters: one file for a few
  kilobytes, rather than hundreds of tiny ones, each of which costs the build a file to
  write and the offline copy an entry in its zip;
- search/p/N.js: the entries of page N (a section's address is its anchor), for the results
  shown.

Each file is a script that calls trmgenSearch(name, data) (a file of shards, once for each:
name t/KEY), so that the worker loads it with importScripts from a server and from file://
alike (the offline copies). The settings list the file of each shard. The worker ranks as
lunr.js in material did: BM25 without length normalisation, the fields and pages weighed as
`search.FIELDS` and `search.BOOST` say, every word typed matching the words it begins (a
single letter: only itself).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

from trmgen.web import compat

_TAG = re.compile(r"<[^>]*>")

DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
"""A number of the postings is written in these digits, five bits each, lowest first; a digit
from the second half says that another follows."""

FIELD_BITS = 2
"""A posting is one number: the entry's distance from the entry before it, the field (of
at most four), and how often the word occurs in it, 1 to 3 (a larger count, 0, is followed
by the count as a number of its own)."""
COUNT_BITS = 2
_MAX_COUNT = (1 << COUNT_BITS) - 1

PACKED = 4096
"""The shards of neighbouring keys share a file until it holds this many characters."""


def words(html: str, separator: re.Pattern[str], stop: frozenset[str]) -> list[str]:
    """The words of a field as material's worker indexes them: the text between the tags,
    split where `separator` matches, in lower case, without the stop words."""
    found = []
    for text in _TAG.split(html):
        start = 0
        for match in separator.finditer(text):
            if start < match.start():
                found.append(text[start:match.start()].lower())
            start = match.end()
        if start < len(text):
            found.append(text[start:].lower())
    return [word for word in found if word not in stop]


@functools.lru_cache(maxsize=1 << 14)
def _counts(html: str, separator: re.Pattern[str], stop: frozenset[str]) -> tuple[
        tuple[str, int], ...]:
    """The words of a field and how often each occurs, in the order they first occur; kept
    for the next build of the preview, which changes few entries."""
    counts: dict[str, int] = {}
    for word in words(html, separator, stop):
        counts[word] = counts.get(word, 0) + 1
    return tuple(counts.items())


def shard(word: str) -> str:
    """The name of the file that holds `word`: the code points of its first two letters."""
    return "-".join(f"{ord(letter):x}" for letter in word[:2])


def _number(value: int) -> str:
    digits = ""
    while value >= 32:
        digits += DIGITS[32 | value & 31]
        value >>= 5
    return digits + DIGITS[value]


def postings(found: list[tuple[int, int, int]]) -> str:
    """(entry, field, count) triples, in order, as the digits of the numbers above."""
    packed = ""
    last = 0
    for entry, field, count in found:
        small = count if count <= _MAX_COUNT else 0
        packed += _number(((entry - last) << FIELD_BITS | field) << COUNT_BITS | small)
        if not small:
            packed += _number(count)
        last = entry
    return packed


def _shared(word: str, before: str) -> int:
    """How many letters `word` begins with that `before` begins with too."""
    count = 0
    for mine, theirs in zip(word, before, strict=False):
        if mine != theirs:
            break
        count += 1
    return count


def _script(name: str, data: Any) -> str:
    """A file of the index: a script that hands `data` to the worker."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"trmgenSearch({json.dumps(name)},{text})\n"


def write(folder: Path, data: dict[str, Any]) -> None:
    """Split the index `data` (material's, its entries in `docs`) into the files above, in
    `folder` (the site's search/ folder), and leave only the settings in search_index.json."""
    config = dict(data["config"])
    fields = list(config["fields"])
    language = config["lang"][0]
    separator = re.compile(config["separator"])
    stop = compat.lunr_stop_words(language)

    if len(fields) > 1 << FIELD_BITS:
        raise ValueError(f"the search index has room for {1 << FIELD_BITS} fields")
    docs = data["docs"]
    pages: list[list[Any]] = []  # address, title, weight, first entry
    texts: list[list[list[str]]] = []
    index: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # in entry, field order
    for number, doc in enumerate(docs):
        location = doc["location"]
        base, anchor, _ = location.partition("#")
        if not pages or pages[-1][0] != base:
            pages.append([base, doc["title"] if not anchor else "",
                          doc.get("boost", 1.0), number])
            texts.append([])
        texts[-1].append([location[len(base):], doc["title"], doc.get("text", "")])
        for field, name in enumerate(fields):
            for word, count in _counts(doc.get(name) or "", separator, stop):
                index[word].append((number, field, count))

    shards: dict[str, list[Any]] = defaultdict(list)
    before: dict[str, str] = defaultdict(str)
    for word in sorted(index):
        key = shard(word)
        same = _shared(word, before[key])
        shards[key] += [same, word[same:], postings(index[word])]
        before[key] = word

    files = {"pages.js": _script("pages", pages)}
    packs: list[str] = []
    in_file: dict[str, int] = {}  # each shard's file
    for key in sorted(shards):
        script = _script(f"t/{key}", shards[key])
        if not packs or len(packs[-1]) + len(script) > PACKED:
            packs.append("")
        packs[-1] += script
        in_file[key] = len(packs) - 1
    files.update({f"t/{number}.js": text for number, text in enumerate(packs)})
    files.update({f"p/{number}.js": _script(f"p/{number}", entries)
                  for number, entries in enumerate(texts)})
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name].encode())

    for old in ("t", "p"):
        shutil.rmtree(folder / old, ignore_errors=True)
    (folder / "t").mkdir(parents=True)
    (folder / "p").mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    config["trmgen"] = {"docs": len(docs), "shards": in_file,
                        "version": digest.hexdigest()[:12]}
    (folder / "search_index.json").write_text(
        json.dumps({"config": config, "docs": []}, ensure_ascii=False,
                   separators=(",", ":")), encoding="utf-8")
