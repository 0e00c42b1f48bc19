"""The built site, read with an HTML parser: every page there, complete, linked, safe."""

from __future__ import annotations

import copy
import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
import yaml

from trmgen.checks.validate import validate
from trmgen.content.edition import validated
from trmgen.diagnostics import BuildError
from trmgen.sources.layout import Layout
from trmgen.sources.load import Sources
from trmgen.web.pages import FILES, NAV_GROUP, PATHS, Download
from trmgen.web.site import generate
from trmgen.web.templates import Renderer

from .conftest import ROOT
from .edits import append_to
from .html import broken_links, page, parse, resolve
from .languages import PUBLISHED
from .sites import generated


@pytest.fixture(scope="module")
def sources() -> Sources:
    loaded, _ = validate(Layout(ROOT))
    return loaded


def test_language_chooser(shipped_site: Path) -> None:
    tree = parse(shipped_site / "index.html")
    assert tree.xpath("//a[@hreflang='en']/@href") == ["en/index.html"]
    assert tree.xpath("//a[@hreflang='en']/text()") == ["English"]


def test_home_page(shipped_site: Path, sources: Sources) -> None:
    home = page(shipped_site, "en/")
    assert home.xpath("/html/@lang") == ["en"]
    assert home.xpath("normalize-space(//h1/text())").startswith("Transnational Referral Mechanism")
    assert home.xpath("//div[contains(@class, 'trm-sample')]"), "the sample-data notice"
    assert "2026.1" in home.xpath("string(//*[@class='trm-edition'])")
    links = home.xpath("//ol[@class='trm-sop-list']//a/@href")
    assert links == [f"sops/{s.model.id}/" for s in sorted(sources.sops,
                                                             key=lambda s: s.model.number)]


def test_every_measure_has_a_complete_page(shipped_site: Path, sources: Sources) -> None:
    for sop in sources.sops:
        for measure in sop.model.measures:
            tree = page(shipped_site, f"en/measures/{measure.id}/")
            assert tree.xpath("normalize-space(//h1/text())") == measure.title
            for section in ("what", "when", "who", "how", "next"):
                assert tree.xpath(f"//h2[@id='{section}']"), (measure.id, section)
            steps = tree.xpath("//h2[@id='how']/following-sibling::ol[1]/li")
            assert len(steps) == len(measure.how), measure.id
            who = tree.xpath("//h2[@id='who']/following-sibling::ul[1]/li/a[1]/@href")
            assert who == [f"../../actors/{p.actor}/" for p in measure.who], measure.id
            boxes = tree.xpath("//div[contains(@class, 'trm-child')]")
            assert bool(boxes) == bool(measure.child), measure.id


def test_child_box_is_marked_and_placed_in_its_section(shipped_site: Path) -> None:
    tree = page(shipped_site, "en/measures/safe-accommodation/")
    box = tree.xpath("//div[contains(@class, 'trm-child')]")[0]
    assert box.xpath("string(p[@class='admonition-title'])").startswith("For a child")
    assert box.xpath("preceding-sibling::h2[1]/@id") in (["what"], ["when"], ["who"], ["how"])


def test_page_per_sop_actor_and_country(shipped_site: Path, sources: Sources) -> None:
    for sop in sources.sops:
        rows = page(shipped_site, f"en/sops/{sop.model.id}/").xpath("//tbody/tr")
        assert len(rows) == len(sop.model.measures)
    assert sources.actors
    for actor in sources.actors.model.actors:
        tree = page(shipped_site, f"en/actors/{actor.id}/")
        assert tree.xpath("normalize-space(//h1/text())") == actor.name
        assert tree.xpath("//h2[@id='contacts']")
    for code in sources.countries:
        tree = page(shipped_site, f"en/contacts/{code.lower()}/")
        assert tree.xpath("//div[contains(@class, 'trm-sample')]"), code


def test_country_page_links_phones_and_mails(shipped_site: Path, sources: Sources) -> None:
    country = sources.countries["BG"].model
    tree = page(shipped_site, "en/contacts/bg/")
    assert tree.xpath("normalize-space(//h1/text())") == "Bulgaria"
    assert country.sample_data  # sample numbers reach nobody and are shown, not linked
    assert not tree.xpath("//a[starts-with(@href, 'tel:')]")
    shown = tree.xpath("//div[@class='trm-institution']//span[@class='trm-sample-number']"
                       "/text()")
    expected = [phonenumbers.format_number(phonenumbers.parse(p.number),
                                           phonenumbers.PhoneNumberFormat.INTERNATIONAL)
                for inst in country.institutions for p in inst.phones]
    assert shown == expected
    assert not any(phonenumbers.is_valid_number(phonenumbers.parse(p.number))
                   for inst in country.institutions for p in inst.phones)
    mails = tree.xpath("//a[starts-with(@href, 'mailto:')]/@href")
    assert mails == [f"mailto:{e}" for inst in country.institutions for e in inst.emails]
    for inst in country.institutions:
        heading = tree.xpath(f"//h3[@id='{inst.id}']")
        assert heading, inst.id
        assert "Sample data: never verified" in tree.xpath(
            f"string(//h3[@id='{inst.id}']/following-sibling::div[1]"
            "/p[@class='trm-verified'])")


def test_children_forms_and_legal_pages(shipped_site: Path, sources: Sources) -> None:
    children = page(shipped_site, "en/children/")
    linked = set(children.xpath("//div[@class='trm-child-measure']/h3/a/@href"))
    expected = {f"../measures/{m.id}/" for s in sources.sops for m in s.model.measures
                if m.child or m.child_only}
    assert linked == expected
    labour = page(shipped_site, "en/exploitation/labour/")
    assert len(labour.xpath("//ul[@class='trm-indicators']/li")) >= 8
    legal = page(shipped_site, "en/legal/")
    assert legal.xpath("//h2[@id='directive-2011-36']")
    assert legal.xpath("//a[@href='https://eur-lex.europa.eu/eli/dir/2011/36/oj']")


def test_every_internal_link_and_anchor_resolves(shipped_site: Path) -> None:
    assert broken_links(shipped_site) == []


def test_every_link_and_anchor_of_the_offline_copy_resolves(shipped_site: Path,
                                                            tmp_path: Path) -> None:
    """The offline copy's pages are the site's, rendered once with their links filled in
    for plain .html files (web.site): each must lead where it says."""
    with zipfile.ZipFile(shipped_site / "downloads/trm-guidelines-all-offline.zip") as copy:
        copy.extractall(tmp_path)
    pages = list(tmp_path.rglob("*.html"))
    assert len(pages) > 500, "every language's pages"
    assert not [p for p in pages if p.name == "index.html" and p.parent.name == "measures"]
    assert broken_links(tmp_path) == []


def _counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages rendered from now on (the renderer still renders them)."""
    rendered: list[str] = []
    render = Renderer.render

    def counted(self: Renderer, template: str, src: str, values: dict[str, Any]) -> str:
        rendered.append(src)
        return render(self, template, src, values)

    monkeypatch.setattr(Renderer, "render", counted)
    return rendered


def test_a_language_is_rendered_once_for_the_site_and_its_offline_copy(
        scratch_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The offline copy renders the pages; the site then renders only the pages that show
    its downloads, and each copy's links and charts are its own."""
    monkeypatch.setenv("TRMGEN_CACHE", str(tmp_path / "cache"))
    rendered = _counted(monkeypatch)
    edition = validated(Layout(scratch_repo))
    offline = generate(edition, directory_urls=False)
    assert sorted(rendered) == sorted(p.src for p in offline.pages)
    rendered.clear()
    day = dt.date(2026, 11, 20)
    online = generate(edition, downloads=[Download(FILES.form("en"), "form", "en", 2_345, day)])
    assert sorted(rendered) == sorted([PATHS.referral_form, PATHS.downloads, PATHS.open_data])

    offline_text = {p.src: p.text for p in offline.pages}
    online_text = {p.src: p.text for p in online.pages}
    stand_in = re.compile(r"@[0-9]{16}:\d+@")
    for text in [*offline_text.values(), *online_text.values()]:
        assert not stand_in.search(text)
    assert 'href="contacts/index.html"' in offline_text[PATHS.home]
    assert 'href="contacts/"' in online_text[PATHS.home]
    sop = PATHS.sop(edition.guide.sops[0].id)
    measure = edition.guide.sops[0].measures[0].id

    def chart(text: str) -> str:
        return text[text.index("<svg"):text.index("</svg>")]

    assert f'href="../../measures/{measure}.html"' in chart(offline_text[sop])
    assert f'href="../../measures/{measure}/"' in chart(online_text[sop])
    assert FILES.form("en") in online_text[PATHS.referral_form]
    assert FILES.form("en") not in offline_text[PATHS.referral_form]


def test_a_link_changed_by_a_filter_is_an_error_at_its_template(
        scratch_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A link is written as a stand-in, filled in for each copy: a filter that changes it
    would leave it unfilled, so the build stops and names the template."""
    monkeypatch.setenv("TRMGEN_CACHE", str(tmp_path / "cache"))
    append_to(scratch_repo / "templates/pages/measure.md.j2",
              '<a href="?back={{ href(paths.home) | urlencode }}">Back</a>\n')
    with pytest.raises(BuildError) as failed:
        generate(validated(Layout(scratch_repo)))
    (problem,) = failed.value.diagnostics
    assert (problem.path, problem.code) == ("templates/pages/measure.md.j2", "template.error")
    assert "changed by a filter" in problem.message


def test_an_edit_of_a_page_template_renders_again_only_its_pages(
        scratch_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRMGEN_CACHE", str(tmp_path / "cache"))
    layout = Layout(scratch_repo)
    generate(validated(layout))
    rendered = _counted(monkeypatch)
    append_to(scratch_repo / "templates/pages/measure.md.j2", "Edited template.\n")
    site = generate(validated(layout))
    measures = [p.src for p in site.pages if p.src.startswith("measures/")]
    assert sorted(rendered) == sorted([*measures, PATHS.referral_form])  # and the downloads'

    assert all(p.text.endswith("Edited template.\n") for p in site.pages if p.src in measures)
    rendered.clear()
    append_to(scratch_repo / "templates/pages/_blocks.j2", "{## edited ##}\n")  # every page's
    generate(validated(layout))
    assert len(rendered) > len(measures) and PATHS.home in rendered


def test_no_event_attribute_script_from_content_or_unsafe_url(shipped_site: Path) -> None:
    found = []
    for html_file in shipped_site.rglob("*.html"):
        tree = parse(html_file)
        for element in tree.iter():
            for name, value in element.attrib.items():
                if name.lower().startswith("on"):
                    found.append(f"{html_file}: {element.tag} {name}")
                if value.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                    found.append(f"{html_file}: {element.tag} {name}={value}")
        for src in tree.xpath("//script/@src | //link/@href | //img/@src | //iframe/@src"):
            if str(src).startswith(("http:", "https:", "//")):
                found.append(f"{html_file}: loads {src}")
    assert found == []


def test_no_text_is_escaped_twice(shipped_site: Path) -> None:
    shown = []
    for html_file in sorted(shipped_site.rglob("*.html")):
        text = parse(html_file).text_content()
        if "&#39;" in text or "&amp;" in text or "&quot;" in text:
            shown.append(html_file.relative_to(shipped_site).as_posix())
    assert shown == []


@pytest.mark.parametrize("code", PUBLISHED)
def test_every_page_is_reachable_from_the_home_page(shipped_site: Path, code: str) -> None:
    root = shipped_site / code
    pages = set(root.rglob("*.html"))
    seen = {root / "index.html"}
    todo = [root / "index.html"]
    while todo:
        current = todo.pop()
        for href in parse(current).xpath("//a/@href"):
            target = resolve(current, str(href))
            if target and target[0] in pages and target[0] not in seen:
                seen.add(target[0])
                todo.append(target[0])
    assert sorted(p.relative_to(root).as_posix() for p in pages - seen) == []


def test_every_page_is_in_the_navigation() -> None:
    site = generated(Layout(ROOT), "en")

    def sources(entries: list[dict[str, object]]) -> set[str]:
        found: set[str] = set()
        for entry in entries:
            for value in entry.values():
                found |= sources(value) if isinstance(value, list) else {str(value)}
        return found

    assert sources(site.nav) == {p.src for p in site.pages}


def test_a_long_sop_is_grouped_in_the_navigation(scratch_repo: Path) -> None:
    """Each page shows at most NAV_GROUP measures of its SOP in the navigation, whatever the
    length of the SOP, so that building every page stays linear in the number of pages."""
    path = scratch_repo / "guidelines/sops/1-identification.yaml"
    sop = yaml.safe_load(path.read_text())
    first = sop["measures"][0]
    for n in range(2, 61):  # 59 more measures, each after the one before
        clone = {**copy.deepcopy(first), "id": f"step-{n}", "title": f"Step {n}",
                 "start": False, "related": [], "next": []}
        sop["measures"].append(clone)
        previous = sop["measures"][-2]
        previous["next"] = [*previous.get("next", []), {"to": clone["id"]}]
    path.write_text(yaml.safe_dump(sop, sort_keys=False))
    site = generated(Layout(scratch_repo), "en")
    (section,) = [entry for entry in site.nav if "1. Identification" in entry]
    sop_page, *groups = section["1. Identification"]
    assert sop_page == {"Identification": "sops/identification/index.md"}
    assert [list(group) for group in groups] == [
        ["Measures 1–25"], ["Measures 26–50"], ["Measures 51–62"]]
    listed = [src for group in groups for entries in group.values() for entry in entries
              for src in entry.values()]
    assert listed == [f"measures/{m['id']}.md" for m in sop["measures"]]
    assert all(len(entries) <= NAV_GROUP for group in groups for entries in group.values())


def test_the_shipped_site_links_no_sample_number(shipped_site: Path) -> None:
    """Every shipped contact is sample data: no page in any language offers a number to tap."""
    pages = list(shipped_site.rglob("*.html"))
    assert len(pages) > 100
    assert not [p for p in pages if 'href="tel:' in p.read_text(encoding="utf-8")]


def test_each_country_page_starts_with_its_numbers_open_day_and_night(
        shipped_site: Path, sources: Sources) -> None:
    for code, country in sources.countries.items():
        tree = page(shipped_site, f"en/contacts/{code.lower()}/")
        items = tree.xpath("//ul[@class='trm-always-open']/li")
        expected = [(inst.id, line) for inst in country.model.institutions
                    if inst.status != "inactive" for line in inst.phones if line.always_open]
        assert len(items) == len(expected) > 0, code
        for item, (inst_id, line) in zip(items, expected, strict=True):
            assert item.xpath("a/@href")[-1] == f"#{inst_id}"
            assert tree.xpath(f"//*[@id='{inst_id}']"), "the link lands on the institution"
            if line.label:
                assert str(line.label) in item.text_content()
        headings = [h.get("id") for h in tree.xpath("//article//h2")]
        assert headings.index("always-open") < headings.index("nrm"), "first on the page"
