"""Edits of the sources in tests: each checks that it changed what it meant to change."""

from __future__ import annotations

from pathlib import Path


def replace_in(path: Path, old: str, new: str, *, count: int = 1) -> None:
    """Replace text that occurs exactly `count` times in a file (a test that edits nothing
    would pass for the wrong reason)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def append_to(path: Path, text: str) -> None:
    """Add lines at the end of a file."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before.rstrip("\n") + "\n" + text, encoding="utf-8")
