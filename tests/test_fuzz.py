"""Random mutations of valid sources never crash the validator: they only give diagnostics.

And the loader's two YAML parsers (libyaml for speed, PyYAML's pure-Python one for its error
messages) read every file alike.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trmgen.checks.validate import validate
from trmgen.sources import strict_yaml as yamlsrc
from trmgen.sources.layout import Layout
from trmgen.sources.strict_yaml import Document, LoadError, parse_bytes

from .conftest import CASES, ROOT

BASE = CASES / "base"
FILES = sorted(p.relative_to(BASE).as_posix() for p in BASE.rglob("*.yaml"))
TODAY = dt.date(2026, 11, 27)

# Characters that matter to YAML, Markdown and the checks, besides random text.
SPECIAL = [
    *":-[]{}&*!|>'\"#%@`\t\n <>\\\u200b\u202e\ufeff\x00",
    "NO", "yes", "~", "null", "true", "0123", "2024-13-01", "<<: ", "&a ", "*a", "- ", "  ",
    "javascript:", "[x](", "![", "+359 40 123 456", "@example.org", "https://",
]
fragment = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=8))


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(FILES))
    lines = (BASE / name).read_text(encoding="utf-8").splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "delete", "duplicate", "swap", "replace"]))
        i = draw(st.integers(0, len(lines) - 1)) if lines else 0
        if kind == "insert" or not lines:
            line = lines[i] if lines else ""
            at = draw(st.integers(0, len(line)))
            lines[i:i + 1] = [line[:at] + draw(fragment) + line[at:]]
        elif kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(fragment) + line[at + 1:]
    raw = "".join(lines).encode("utf-8", errors="surrogatepass")
    if draw(st.booleans()) and raw:  # now and then a byte that is not UTF-8
        at = draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + bytes([draw(st.integers(0x80, 0xFF))]) + raw[at + 1:]
    return name, raw


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutation())
def test_mutations_give_diagnostics_not_crashes(change: tuple[str, bytes]) -> None:
    name, raw = change
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "repo"
        shutil.copytree(BASE, root)
        (root / name).write_bytes(raw)
        _, diagnostics = validate(Layout(root), today=TODAY)
    for d in diagnostics:
        assert d.line >= 1 and d.col >= 1, d
        assert d.path.endswith(".yaml"), d
        assert d.message and "Traceback" not in d.message, d


def _read(raw: bytes, *, fast: bool) -> Document | list[tuple[int, int, str]]:
    """The document, or where and why it was refused, with or without libyaml."""
    saved = yamlsrc._FAST_PARSER
    yamlsrc._FAST_PARSER = saved if fast else yaml.SafeLoader
    try:
        return parse_bytes(raw, "f.yaml")[0]
    except LoadError as exc:
        return [(d.line, d.col, d.code) for d in exc.diagnostics]
    finally:
        yamlsrc._FAST_PARSER = saved


def _same(fast: Document | list[tuple[int, int, str]],
          slow: Document | list[tuple[int, int, str]]) -> None:
    if isinstance(slow, Document):
        assert isinstance(fast, Document), fast
        assert (fast.data, fast.values, fast.keys, fast.scalars) == (
            slow.data, slow.values, slow.keys, slow.scalars)
    else:
        assert fast == slow


SHIPPED = sorted(p for folder in ("guidelines", "contacts", "flowcharts", "tests/cases")
                 for p in (ROOT / folder).rglob("*.yaml"))


def test_libyaml_is_there_and_reads_every_shipped_file_as_pyyaml_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert yamlsrc._FAST_PARSER is yaml.CSafeLoader, "PyYAML was installed without libyaml"
    assert len(SHIPPED) > 100
    for path in SHIPPED:
        raw = path.read_bytes()
        _same(_read(raw, fast=True), _read(raw, fast=False))
    # The fast path is taken for a valid file: libyaml alone reads it.
    used: list[type] = []
    built = yamlsrc._built

    def spy(display: str, text: str, loader: type) -> tuple[object, object]:
        used.append(loader)
        return built(display, text, loader)

    monkeypatch.setattr(yamlsrc, "_built", spy)
    parse_bytes((ROOT / "guidelines/sops/1-identification.yaml").read_bytes(), "sop.yaml")
    assert used == [yaml.CSafeLoader]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutation())
def test_both_parsers_read_mutations_alike(change: tuple[str, bytes]) -> None:
    """A file PyYAML reads is read the same by libyaml; a file it refuses is refused alike.

    libyaml is the more faithful to the YAML standard in two corners where PyYAML refuses
    valid YAML ('?' inside a flow list item, '#' right after a block indicator); there it
    reads the file, and the schema checks what was read.
    """
    _, raw = change
    fast, slow = _read(raw, fast=True), _read(raw, fast=False)
    if isinstance(slow, list) and isinstance(fast, Document):
        text = raw.decode("utf-8")
        assert "?" in text or "#" in text, slow
        return
    _same(fast, slow)
