"""The command line as editors and CI meet it: exit codes, formats, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from trmgen import cli
from trmgen.sources import cache
from trmgen.sources.layout import Layout

from .conftest import ROOT
from .edits import replace_in


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "trmgen", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


def break_actor(root: Path) -> None:
    sop = root / "guidelines/sops/1-identification.yaml"
    replace_in(sop, "who: [police]", "who: [polise]")


def test_clean_tree_exits_zero(base_tree: Path) -> None:
    result = run("validate", "--root", base_tree)
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1] == "no problems found (1 notice)"


def test_validation_works_where_nothing_can_be_kept(base_tree: Path, tmp_path: Path) -> None:
    """A cache folder that cannot be written (here a file stands in its way)."""
    blocked = tmp_path / "blocked"
    blocked.write_text("")
    env = {**os.environ, "TRMGEN_CACHE": str(blocked / "cache")}
    first = subprocess.run([sys.executable, "-m", "trmgen", "validate", "--root", str(base_tree)],
                           capture_output=True, text=True, timeout=120, check=False, env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Traceback" not in first.stderr


def test_what_is_kept_is_made_again_when_a_library_changes(
        base_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new version of a library that shapes the outputs (here Markdown) may change them:
    the key of what is kept changes with it."""
    import importlib.metadata

    layout = Layout(base_tree)

    def fingerprint() -> str:  # as the validated edition computes it
        return cache.digest_of(cache.inputs(layout))

    before = fingerprint()
    assert fingerprint() == before
    installed = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "99.0" if name == "Markdown"
                        else installed(name))
    cache._versions.cache_clear()
    try:
        assert fingerprint() != before
    finally:
        monkeypatch.undo()
        cache._versions.cache_clear()
    assert fingerprint() == before


def test_errors_exit_one_with_file_line_and_hint(base_tree: Path) -> None:
    break_actor(base_tree)
    result = run("validate", "--root", base_tree)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "contacts/BG.yaml:3:1: notice: sample_data: the contacts of 1 country are sample data "
        "(BG); replace them with verified contacts before publishing [contact.sample-data]",
        "guidelines/sops/1-identification.yaml:11:11: error: measures[0].who[0]: unknown "
        "actor 'polise' - did you mean 'police'? (actors are listed in guidelines/actors.yaml) "
        "[ref.unknown-actor]",
        "1 error, 0 warnings in 1 file",
    ]
    assert "Traceback" not in result.stdout + result.stderr


def test_strict_refuses_sample_data(base_tree: Path) -> None:
    result = run("validate", "--strict", "--root", base_tree)
    assert result.returncode == 1
    assert "contacts/BG.yaml:3:1: error: sample_data: these contacts are sample data" in (
        result.stdout)


def test_github_format_annotates_the_line(base_tree: Path) -> None:
    break_actor(base_tree)
    result = run("validate", "--format", "github", "--root", base_tree)
    assert result.returncode == 1
    assert result.stdout.splitlines()[1].startswith(
        "::error file=guidelines/sops/1-identification.yaml,line=11,col=11,"
        "title=ref.unknown-actor::measures[0].who[0]: unknown actor 'polise'")


def test_json_format(base_tree: Path) -> None:
    break_actor(base_tree)
    result = run("validate", "--format", "json", "--root", base_tree)
    report = json.loads(result.stdout)
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert [(d["path"], d["line"], d["col"], d["code"]) for d in errors] == [
        ("guidelines/sops/1-identification.yaml", 11, 11, "ref.unknown-actor")]
    assert report["summary"] == "1 error, 0 warnings in 1 file"


def test_shipped_guidelines_validate() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stdout
    assert " error: " not in result.stdout


def test_wrong_command_line_exits_two() -> None:
    assert run("validate", "--format", "xml").returncode == 2


def test_internal_error_exits_three_without_traceback(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "validate", broken)
    assert cli.main(["validate"]) == cli.INTERNAL
    out = capsys.readouterr()
    assert "internal error, please report it: RuntimeError: boom" in out.err
    assert "Traceback" not in out.err + out.out


def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "validate", broken)
    assert cli.main(["validate", "--debug"]) == cli.INTERNAL
    assert "Traceback" in capsys.readouterr().err


def adoption(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert cli.main(["adoption", "--root", str(ROOT), *args]) == cli.OK
    return capsys.readouterr().out


def test_adoption_lists_what_a_coordinator_must_act_on(
        capsys: pytest.CaptureFixture[str]) -> None:
    """Measures not adopted or of unknown status (unlisted), and reviews older than 24 months,
    as the YAML says; sample data is marked as such."""
    from trmgen.checks.validate import validate

    sources, _ = validate(Layout(ROOT))
    country = sources.countries["RO"].model
    listed = country.adoption.measures
    ids = [m.id for sop in sorted(sources.sops, key=lambda s: s.model.number)
           for m in sop.model.measures]
    rows = json.loads(adoption(capsys, "--country", "ro", "--format", "json"))
    expected = [i for i in ids if i not in listed or listed[i].status == "not-adopted"]
    assert [r["measure"] for r in rows] == expected
    assert all(r["sample"] and r["country"] == "RO" for r in rows)
    assert "RO (SAMPLE DATA: not fact)" in adoption(capsys, "--country", "RO")
    # Two years on, every review of 2026 is due.
    later = json.loads(adoption(capsys, "--country", "RO", "--format", "json",
                                "--as-of", "2029-01-01"))
    reviewed = [i for i in ids if i in listed and listed[i].reviewed]
    assert {r["measure"] for r in later if r["review_due"]} == set(reviewed)


def test_adoption_by_status_as_csv(capsys: pytest.CaptureFixture[str]) -> None:
    out = adoption(capsys, "--status", "binding-law", "--format", "csv").splitlines()
    assert out[0].startswith("country,sop,measure,title,status,act")
    assert len(out) > 1
    assert all(",binding-law,anti-trafficking-law," in line for line in out[1:])
