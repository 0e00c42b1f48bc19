"""Edits of the sources in tests: each checks that it changed what it meant to change."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def replace_in(path: Path, old: str, new: str, *, count: int = 1) -> None:
    """Replace text that occurs exactly `count` times in a file (a test that edits nothing
    would pass for the wrong reason)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def add_language(root: Path, language: str) -> None:
    """Publish the small tree in a second language, its catalog made by `trmgen i18n
    update` (nothing translated yet)."""
    replace_in(root / "guidelines/guideline.yaml", "languages: [en]",
               f"languages: [en, {language}]")
    subprocess.run([sys.executable, "-m", "trmgen", "i18n", "update", "--root", str(root)],
                   check=True, capture_output=True)


def append_to(path: Path, text: str) -> None:
    """Add lines at the end of a file."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before.rstrip("\n") + "\n" + text, encoding="utf-8")


def verified(root: Path, day: str = "2026-10-01") -> Path:
    """Turn the small tree's sample contacts (tests/cases/base) into verified ones: numbers
    in use, the date and the checker given, no longer sample data (the example.org address
    stays, a warning). Returns the file."""
    contacts = root / "contacts/BG.yaml"
    replace_in(contacts, "sample_data: true\n", "")
    for digit in ("6", "7"):
        replace_in(contacts, f'"+359 40 123 45{digit}"', f'"+359 2 123 45{digit}"')
    for inst in ("bg-police", "bg-ngo"):
        text = contacts.read_text(encoding="utf-8")
        start = text.index(f"  - id: {inst}\n")
        end = text.find("\n  - id:", start + 1)
        end = len(text.rstrip("\n")) if end < 0 else end
        contacts.write_text(text[:end] + f"\n    last_verified: {day}\n"
                            "    verified_by: Focal point" + text[end:], encoding="utf-8")
    return contacts
