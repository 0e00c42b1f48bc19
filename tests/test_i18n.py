"""Translations: catalogs, fuzzy after a source change, marked English fallback, CLDR names."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from trmgen.checks.validate import validate
from trmgen.i18n import catalogs
from trmgen.sources.layout import Layout

from .edits import replace_in
from .html import page

TITLE = "measure/first-screening/title"


def trmgen(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "trmgen", *args, "--root", str(root)],
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def bilingual(scratch_repo: Path) -> Path:
    """The small tree published in English and French, with a French catalog."""
    guideline = scratch_repo / "guidelines/guideline.yaml"
    replace_in(guideline, "languages: [en]", "languages: [en, fr]")
    result = trmgen(scratch_repo, "i18n", "update")
    assert result.returncode == 0, result.stdout + result.stderr
    return scratch_repo


def translate(root: Path, context: str | None, text: str, msgid: str | None = None) -> None:
    path = root / "guidelines/translations/fr.po"
    catalog = catalogs.read(Layout(root), "fr")
    for message in catalog:
        if message.context == context and (msgid is None or message.id == msgid):
            message.string = text
    catalogs.write(path, catalog)


def test_update_writes_the_template_and_catalog(bilingual: Path) -> None:
    pot = catalogs.read_template(Layout(bilingual))
    contexts = {m.context for m in pot if m.context}
    assert {TITLE, "measure/first-screening/how/0", "measure/referral/child/who"} - contexts == {
        "measure/referral/child/who"}  # actor ids are not text
    assert "sop/identification/purpose" in contexts
    assert any(m.id == "What" and not m.context for m in pot), "template strings are extracted"
    french = catalogs.read(Layout(bilingual), "fr")
    assert french.get("Screen on indicators", TITLE) is not None


@pytest.mark.slow
def test_translation_shows_then_turns_fuzzy_and_falls_back(bilingual: Path) -> None:
    translate(bilingual, TITLE, "Repérer les indicateurs")
    translate(bilingual, None, "Quoi", "What")
    assert trmgen(bilingual, "build").returncode == 0
    tree = page(bilingual / "site", "fr/measures/first-screening/")
    assert tree.xpath("/html/@lang") == ["fr"]
    assert tree.xpath("normalize-space(//h1/text())") == "Repérer les indicateurs"
    assert tree.xpath("normalize-space(//h2[@id='what']/text())") == "Quoi"
    # An untranslated text shows in English, marked, never blank.
    what = tree.xpath("//h2[@id='what']/following-sibling::div[1]")[0]
    assert what.get("lang") == "en" and "trm-fallback" in what.get("class")
    assert what.xpath("string(p[@class='trm-fallback-note'])")
    assert "Look for signs of trafficking." in what.text_content()

    sop = bilingual / "guidelines/sops/1-identification.yaml"
    replace_in(sop, "title: Screen on indicators", "title: Screen every person on indicators")
    assert trmgen(bilingual, "i18n", "update").returncode == 0
    catalog = catalogs.read(Layout(bilingual), "fr")
    entry = catalog.get("Screen every person on indicators", TITLE)
    assert entry is not None and entry.fuzzy
    assert entry.string == "Repérer les indicateurs"
    # Translators see what the English text was (the reader does not keep it).
    assert '#| msgid "Screen on indicators"' in (
        bilingual / "guidelines/translations/fr.po").read_text()

    result = trmgen(bilingual, "validate")
    assert "warning: " + TITLE + ": the English text changed" in result.stdout
    assert trmgen(bilingual, "build").returncode == 0
    tree = page(bilingual / "site", "fr/measures/first-screening/")
    heading = tree.xpath("//h1/span[@lang='en']")
    assert [h.text_content() for h in heading] == ["Screen every person on indicators"]
    assert tree.xpath("//h1/abbr[@class='trm-fallback-mark']")


def test_catalog_errors_are_reported_with_their_line(bilingual: Path) -> None:
    translate(bilingual, "measure/first-screening/what", "Regardez <b>ici</b>.")
    translate(bilingual, None, "SOP %(number)d : %(titre)s", "SOP %(number)d: %(title)s")
    path = bilingual / "guidelines/translations/fr.po"
    path.write_text(path.read_text() + '\nmsgctxt "measure/gone/title"\nmsgid "Gone"\n'
                    'msgstr "Parti"\n')
    result = trmgen(bilingual, "validate")
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if " error: " in line]
    assert len(errors) == 3
    assert any("[text.raw-html]" in e and "measure/first-screening/what" in e for e in errors)
    assert any("[i18n.placeholders]" in e for e in errors)
    assert any("[i18n.unknown-context]" in e and "measure/gone" in e for e in errors)
    assert all(e.startswith("guidelines/translations/fr.po:") for e in errors)


def test_status(bilingual: Path) -> None:
    translate(bilingual, TITLE, "Repérer les indicateurs")
    result = trmgen(bilingual, "i18n", "status")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    fr = next(line.split() for line in lines if line.startswith("fr "))
    assert fr[1] == "1" and fr[2] == "0" and int(fr[3]) > 50
    assert any(line.split()[0] == "identification" for line in lines[1:])


def test_validating_again_in_a_process_reads_each_catalog_as_it_is_now(bilingual: Path) -> None:
    """`serve` validates after every edit and keeps what a catalog alone decides (its
    quotation marks, its terms, its counts) while the catalog is unchanged: an edit of the
    catalog shows at once, and so does an edit of a source."""
    layout = Layout(bilingual)

    def found() -> tuple[list[str], catalogs.Counts]:
        sources, diagnostics = validate(layout)
        counts = catalogs.status(layout, sources, ["en", "fr"])["fr"].values()
        return ([d.field for d in diagnostics if d.code == "i18n.quotes"],
                sum(counts, catalogs.Counts()))

    quoted, before = found()
    assert quoted == []
    translate(bilingual, TITLE, '"Repérer" les indicateurs')
    quoted, after = found()
    assert quoted == [TITLE]
    assert (after.translated, after.missing) == (before.translated + 1, before.missing - 1)
    replace_in(bilingual / "guidelines/sops/1-identification.yaml",
               "title: Screen on indicators", "title: Screen with care")
    quoted, edited = found()
    assert quoted == [TITLE]  # still translated, now from the older English text
    assert (edited.translated, edited.fuzzy) == (after.translated - 1, after.fuzzy)
    assert edited.missing == after.missing + 1


def test_update_moves_the_translations_of_a_renamed_sop(bilingual: Path) -> None:
    translate(bilingual, "sop/identification/purpose", "Repérer et identifier les victimes.")
    replace_in(bilingual / "guidelines/sops/1-identification.yaml", "id: identification",
               "id: identify")
    before = trmgen(bilingual, "validate")
    assert before.returncode == 1
    assert "it looks renamed to 'sop/identify'" in before.stdout
    assert trmgen(bilingual, "i18n", "update").returncode == 0
    catalog = catalogs.read(Layout(bilingual), "fr")
    moved = catalog.get("Find and identify victims.", "sop/identify/purpose")
    assert moved is not None and moved.string == "Repérer et identifier les victimes."
    assert not moved.fuzzy
    assert catalog.get("Find and identify victims.", "sop/identification/purpose") is None
    assert trmgen(bilingual, "validate").returncode == 0


def test_a_broken_catalog_is_not_rewritten_by_update(bilingual: Path) -> None:
    path = bilingual / "guidelines/translations/fr.po"
    path.write_text(path.read_text(encoding="utf-8") + 'msgid "x\n', encoding="utf-8")
    before = path.read_bytes()
    result = trmgen(bilingual, "i18n", "update")
    assert result.returncode == 1
    assert "guidelines/translations/fr.po:" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert path.read_bytes() == before


def test_update_clears_more_stale_entries_than_a_report_lists(bilingual: Path) -> None:
    """Texts removed from the sources leave entries behind; when there are more of them than
    a report lists for one file, update still runs and drops them all."""
    path = bilingual / "guidelines/translations/fr.po"
    stale = "".join(f'\nmsgctxt "institution/gone-{n}/verified_by"\nmsgid "Focal point {n}"\n'
                    f'msgstr "Point focal {n}"\n' for n in range(150))
    path.write_text(path.read_text(encoding="utf-8") + stale, encoding="utf-8")
    before = trmgen(bilingual, "validate")
    assert before.returncode == 1 and "[file.more-problems]" in before.stdout
    result = trmgen(bilingual, "i18n", "update")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "gone-" not in path.read_text(encoding="utf-8")
    assert trmgen(bilingual, "validate").returncode == 0


def test_the_english_of_a_fuzzy_translation_stays_well_formed(bilingual: Path) -> None:
    """The `#| msgid` lines of a long, several-line text are whole PO strings, as GNU gettext
    writes them (each line one quoted string), and they survive the next update unchanged."""
    context = "sop/identification/purpose"
    old = "Find and identify victims."
    translate(bilingual, context, "Repérer et identifier les victimes.")
    sop = bilingual / "guidelines/sops/1-identification.yaml"
    long_text = ("Find and identify victims, at a border, a workplace or a shelter, and refer "
                 "them to help in the country where they are and across the border.")
    replace_in(sop, f"purpose: {old}", f"purpose: {long_text}")
    assert trmgen(bilingual, "i18n", "update").returncode == 0
    path = bilingual / "guidelines/translations/fr.po"
    replace_in(sop, f"purpose: {long_text}", f"purpose: {long_text} Then follow up.")
    assert trmgen(bilingual, "i18n", "update").returncode == 0
    first = path.read_text(encoding="utf-8")
    previous = [line for line in first.splitlines() if line.startswith("#|")]
    assert all(re.fullmatch(r'#\| (msgid )?"([^"\\]|\\.)*"', line) for line in previous)
    shown = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', "\n".join(previous)))
    assert shown == long_text  # the English before the last change, whole
    assert not [line for line in first.splitlines() if line.startswith("# |")]
    assert trmgen(bilingual, "i18n", "update").returncode == 0
    assert path.read_text(encoding="utf-8") == first
