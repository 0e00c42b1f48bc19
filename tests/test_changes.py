"""`trmgen diff` and the "What changed in this edition" page, on a small git repository."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from trmgen.sources.layout import Layout

from .edits import append_to, replace_in
from .html import page
from .sites import generated


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=300,
                          check=False)


def trmgen(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(root, sys.executable, "-m", "trmgen", *args, "--root", str(root))


@pytest.fixture
def history(scratch_repo: Path) -> Path:
    """The small tree committed as edition 1.0, then changed."""
    for command in (["git", "init", "-q", "-b", "main"],
                    ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org",
                     "add", "-A"],
                    ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org",
                     "commit", "-q", "-m", "Edition 1.0"],
                    ["git", "tag", "edition-1.0"]):
        assert run(scratch_repo, *command).returncode == 0
    sop = scratch_repo / "guidelines/sops/1-identification.yaml"
    replace_in(sop, "when: At the first contact.", "when: At the first contact, and again later.")
    contacts = scratch_repo / "contacts/BG.yaml"
    text = contacts.read_text()
    contacts.write_text(text.replace('"+359 40 123 457"', '"+359 40 123 458"'))
    return scratch_repo


def test_diff_lists_changes_field_by_field(history: Path) -> None:
    result = trmgen(history, "diff", "edition-1.0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "measure first-screening changed: when",
        "institution bg-ngo changed: phones",
        "2 changes since edition-1.0",
    ]
    records = json.loads(trmgen(history, "diff", "edition-1.0", "--format", "json").stdout)
    assert records[0] == {"kind": "measure", "id": "first-screening", "action": "changed",
                          "fields": ["when"], "before": "", "after": ""}
    assert trmgen(history, "diff", "HEAD").stdout.splitlines()[-1] == "2 changes since HEAD"


def test_diff_of_an_unknown_ref_says_so(history: Path) -> None:
    result = trmgen(history, "diff", "edition-9")
    assert result.returncode == 1
    assert result.stderr == ("trmgen diff: 'edition-9' names no commit of this repository; give a "
                             "tag, a branch or a commit\n")
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_the_site_shows_what_changed(history: Path) -> None:
    guideline = history / "guidelines/guideline.yaml"
    guideline.write_text(guideline.read_text() + "previous_edition: edition-1.0\n")
    assert trmgen(history, "build").returncode == 0
    tree = page(history / "site", "en/changes/")
    items = [li.text_content() for li in tree.xpath("//ul[@class='trm-changes']/li")]
    assert items == ["Screen on indicators: changed (when)", "bg-ngo: changed (phones)"]
    assert tree.xpath("//ul[@class='trm-changes']/li/a/@href") == [
        "../measures/first-screening/"]


def test_the_page_follows_the_edition_it_compares_with(history: Path) -> None:
    """The pages are kept for the next build of the same sources; a tag moved to another
    commit changes what the page shows, even though no source changed."""
    guideline = history / "guidelines/guideline.yaml"
    guideline.write_text(guideline.read_text() + "previous_edition: edition-1.0\n")
    layout = Layout(history)

    def changed() -> str:
        pages = {p.src: p.text for p in generated(layout).pages}
        return pages["changes.md"]

    before = changed()
    assert "first-screening" in before
    assert changed() == before  # kept
    for command in (["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org",
                     "commit", "-q", "-am", "Edition 1.1"], ["git", "tag", "-f", "edition-1.0"]):
        assert run(history, *command).returncode == 0
    assert "first-screening" not in changed()


def test_diff_shows_adoption_with_the_status_before_and_after(history: Path) -> None:
    contacts = history / "contacts/BG.yaml"
    append_to(contacts, "adoption:\n  measures:\n    first-screening: {status: guidance}\n")
    assert "adoption BG/first-screening added (none -> guidance)" in trmgen(
        history, "diff", "edition-1.0").stdout.splitlines()
    for command in (["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org",
                     "commit", "-q", "-am", "Adoption"], ["git", "tag", "adopted"]):
        assert run(history, *command).returncode == 0
    replace_in(contacts, "    first-screening: {status: guidance}\n",
               "    first-screening: {status: binding-law, act: law}\n"
               "  acts:\n    - id: law\n      title: Law on trafficking (sample)\n")
    result = trmgen(history, "diff", "adopted")
    assert result.stdout.splitlines() == [
        "adoption BG/first-screening changed: status, act (guidance -> binding-law)",
        "act BG/law added",
        "2 changes since adopted",
    ]
    records = json.loads(trmgen(history, "diff", "adopted", "--format", "json").stdout)
    assert records[0] == {"kind": "adoption", "id": "BG/first-screening", "action": "changed",
                          "fields": ["status", "act"], "before": "guidance",
                          "after": "binding-law"}
    guideline = history / "guidelines/guideline.yaml"
    guideline.write_text(guideline.read_text() + "previous_edition: adopted\n")
    shown = {p.src: p.text for p in generated(Layout(history)).pages}["changes.md"]
    assert ('Bulgaria · <a href="../measures/first-screening/">Screen on indicators</a>: '
            "changed (Adopted as non-binding guidance → In binding law)") in shown
