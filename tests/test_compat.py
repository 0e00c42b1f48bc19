"""Each reliance on upstream internals (trmgen/web/compat.py) checked against the installed
versions: an upgrade that changes one fails here, loudly, instead of degrading the site."""

from __future__ import annotations

import filecmp
import functools
import io
import json
import logging
import operator
import re
from pathlib import Path

import jinja2
import pytest
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from pypdf import PdfReader

from trmgen.web import compat
from trmgen.web.plugin import TrmgenPlugin

from .conftest import ROOT


def config(tmp_path: Path) -> object:
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    return load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs))


def test_every_reliance_is_checked_here() -> None:
    text = Path(__file__).read_text(encoding="utf-8")
    checked = set(re.findall(r'@relies_on\("([a-z-]+)"\)', text))
    assert checked == set(compat.RELIANCES)


def relies_on(name: str) -> pytest.MarkDecorator:
    assert name in compat.RELIANCES
    return pytest.mark.relies_on(name)


@relies_on("plugin-instance-kept")
def test_mkdocs_keeps_one_plugin_instance_per_process(tmp_path: Path) -> None:
    first, second = config(tmp_path), config(tmp_path)
    plugin = first.plugins["trmgen"]  # type: ignore[attr-defined]
    assert isinstance(plugin, TrmgenPlugin)
    assert second.plugins["trmgen"] is plugin  # type: ignore[attr-defined]


@relies_on("site-name-unescaped")
def test_the_theme_writes_the_site_name_into_attributes_as_given() -> None:
    for partial in ("partials/header.html", "partials/nav.html"):
        text = compat.theme_partial(partial).read_text(encoding="utf-8")
        assert 'aria-label="{{ config.site_name }}"' in text, partial
    title = compat.text_for_theme('A & "B"')
    assert str(title) == "A &amp; &#34;B&#34;"


@relies_on("search-is-dirty")
def test_material_search_merges_dirty_rebuilds_through_is_dirty(tmp_path: Path) -> None:
    search = config(tmp_path).plugins["material/search"]  # type: ignore[attr-defined]
    search.on_startup(command="serve", dirty=True)
    assert search.is_dirty is True
    compat.merge_search_index_ourselves(search)
    assert search.is_dirty is False
    with pytest.raises(compat.CompatError):
        compat.merge_search_index_ourselves(object())


@relies_on("polling-interval")
def test_the_preview_can_set_how_often_it_looks(tmp_path: Path) -> None:
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0,
                              root=str(tmp_path))
    try:
        compat.poll_often(server, 0.05, 0.01)
        assert server.observer._timeout == 0.05
        assert server.build_delay == 0.01
    finally:
        server.server_close()


@relies_on("theme-listing")
def test_the_preview_lists_the_theme_once_while_it_is_unchanged(scratch_repo: Path) -> None:
    def listed(key: str | None) -> set[str]:
        loaded = load_config(str(scratch_repo / "mkdocs.yml"), docs_dir=str(docs))
        if key is not None:
            compat.keep_theme_listing(loaded, key)
        files = Files([])
        files.add_files_from_theme(loaded.theme.get_env(), loaded)
        return {file.src_uri for file in files}

    docs = scratch_repo / "docs"
    docs.mkdir()
    plain = listed(None)
    assert "assets/javascripts/iframe-worker/shim.js" in plain  # the overrides' own
    assert listed("one") == plain
    added = scratch_repo / "templates/overrides/assets/added.js"
    added.write_text("", encoding="utf-8")
    assert listed("one") == plain  # kept, while the key says nothing changed
    assert listed("two") == listed(None) == plain | {"assets/added.js"}
    with pytest.raises(compat.CompatError):
        compat.keep_theme_listing(object(), "one")  # type: ignore[arg-type]


Anchors = tuple[set[str], dict[str, dict[str, str]]]
"""A page's ids, and the anchors it links to by the page that holds them."""


class _NoOptions(Config):  # type: ignore[no-untyped-call]  # mkdocs is untyped here
    """The test plugin's options: none."""


class _Keeping(BasePlugin[_NoOptions]):  # type: ignore[no-untyped-call]
    """Marks, gives back and reads the anchors as trmgen's plugin does (web.kept)."""

    def __init__(self, modified: set[str], given: dict[str, Anchors]) -> None:
        self.modified, self.given = modified, given
        self.found: dict[str, Anchors] = {}
        self.files = Files([])

    def on_files(self, files: Files, **_: object) -> Files:
        for file in files.documentation_pages():
            file.is_modified = functools.partial(  # type: ignore[method-assign]
                operator.contains, self.modified, file.src_uri)
        self.files = files
        return files

    def on_env(self, env: jinja2.Environment, *, files: Files,
               **_: object) -> jinja2.Environment:
        for src, (anchors, links) in self.given.items():
            file = files.get_file_from_path(src)
            assert file is not None and file.page is not None
            targets = {to: files.get_file_from_path(to) for to in links}
            compat.give_anchors(file.page, set(anchors), {
                target: dict(links[to]) for to, target in targets.items() if target})
        return env

    def on_post_build(self, **_: object) -> None:
        for file in self.files.documentation_pages():
            if file.src_uri in self.modified and file.page is not None:
                anchors, links = compat.anchors_of(file.page)
                self.found[file.src_uri] = (anchors, {to.src_uri: dict(found)
                                                      for to, found in links.items()})


@relies_on("kept-page-anchors")
def test_a_page_left_as_built_is_checked_with_the_anchors_it_is_given(tmp_path: Path) -> None:
    """A dirty build renders only the modified pages and leaves the others' files; a page
    it does not render is checked with the anchors given back to it, both ways."""
    from mkdocs.commands.build import build

    docs, site = tmp_path / "docs", tmp_path / "site"
    docs.mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    (docs / "a.md").write_text("# A\n\n## Here\n\n[b](b.md#there)\n", encoding="utf-8")
    (docs / "b.md").write_text("# B\n\n## There\n\n[a](a.md#here)\n", encoding="utf-8")

    def built(modified: set[str], given: dict[str, Anchors]) -> tuple[dict[str, Anchors],
                                                                       list[str]]:
        """The anchors of the pages rendered, and mkdocs' warnings about anchors."""
        loaded = load_config(str(tmp_path / "mkdocs.yml"), docs_dir=str(docs),
                             site_dir=str(site), validation={"anchors": "warn"})
        plugin = _Keeping(modified, given)
        loaded.plugins["keeping"] = plugin
        warnings: list[str] = []
        handler = logging.Handler(logging.WARNING)
        handler.emit = lambda record: warnings.append(record.getMessage())  # type: ignore[method-assign]
        logging.getLogger("mkdocs").addHandler(handler)
        try:
            build(loaded, dirty=True)
        finally:
            logging.getLogger("mkdocs").removeHandler(handler)
        return plugin.found, [text for text in warnings if "anchor" in text]

    first, warned = built({"a.md", "b.md"}, {})
    assert first["a.md"] == ({"a", "here"}, {"b.md": {"there": "b.md#there"}})
    assert first["b.md"] == ({"b", "there"}, {"a.md": {"here": "a.md#here"}})
    assert not warned
    before = (site / "b" / "index.html").stat().st_mtime_ns
    (docs / "a.md").write_text("# A\n\n[b](b.md#there)\n", encoding="utf-8")  # no 'here'
    _, warned = built({"a.md"}, {"b.md": first["b.md"]})  # b is left as built, checked
    assert (site / "b" / "index.html").stat().st_mtime_ns == before
    assert len(warned) == 1 and "'a.md#here'" in warned[0] and "'b.md'" in warned[0], warned
    (docs / "a.md").write_text("# A\n\n## Here\n\n[b](b.md#gone)\n", encoding="utf-8")
    _, warned = built({"a.md"}, {"b.md": first["b.md"]})  # a link into b is checked
    assert len(warned) == 1 and "'b.md#gone'" in warned[0], warned
    with pytest.raises(compat.CompatError):
        compat.give_anchors(object(), set(), {})  # type: ignore[arg-type]


@relies_on("static-templates")
def test_the_404_page_can_be_left_out(tmp_path: Path) -> None:
    loaded = config(tmp_path)
    assert "404.html" in loaded.theme.static_templates  # type: ignore[attr-defined]
    compat.drop_static_template(loaded, "404.html")  # type: ignore[arg-type]
    assert "404.html" not in loaded.theme.static_templates  # type: ignore[attr-defined]


@relies_on("search-exclude-by-tag")
def test_material_search_skips_a_marked_element_that_holds_none_of_its_own_tag() -> None:
    from material.plugins.search.plugin import Parser

    def indexed(html: str) -> str:
        parser = Parser()
        parser.feed(html)
        parser.close()
        return " ".join("".join(section.text) for section in parser.data)

    page = ('<h1 id="t">T</h1><div><section data-search-exclude><div><p>hidden</p></div>'
            '<ul><li>gone</li></ul></section><ul data-search-exclude><li>away</li></ul>'
            '<p>shown</p></div>')
    assert "shown" in indexed(page)
    assert not {"hidden", "gone", "away"} & set(re.findall(r"\w+", indexed(page)))
    nested = '<h1 id="t">T</h1><div data-search-exclude><div>x</div><p>leaks</p></div>'
    assert "leaks" in indexed(nested)


@relies_on("offline-iframe-worker")
def test_the_offline_plugin_loads_no_shim_when_one_is_listed() -> None:
    import material.plugins.offline.plugin as offline

    text = Path(offline.__file__).read_text(encoding="utf-8")
    assert 'if not any("iframe-worker" in url for url in config.extra["polyfills"])' in text
    assert "iframe-worker" in "assets/javascripts/iframe-worker/shim.js"
    assert (ROOT / "templates/overrides/assets/javascripts/iframe-worker/shim.js").is_file()


@relies_on("offline-search-index")
def test_the_offline_plugin_writes_the_index_as_a_script() -> None:
    import material.plugins.offline.plugin as offline

    text = Path(offline.__file__).read_text(encoding="utf-8")
    assert 'os.path.join(path, "search_index.js")' in text


def _sources(path: str) -> str:
    """The TypeScript sources of one of material's scripts, from its source map."""
    folder = compat.theme_partial(f"assets/javascripts/{path}").parent
    pattern = compat.theme_partial(f"assets/javascripts/{path}").name
    return "".join("".join(source or "" for source in json.loads(
        m.read_text(encoding="utf-8"))["sourcesContent"]) for m in folder.glob(pattern))


@relies_on("search-starts-on-load")
def test_material_starts_its_search_worker_and_asks_for_the_index_as_a_page_loads() -> None:
    sources = _sources("bundle.*.min.js.map")
    assert 'const index$ = document.forms.namedItem("search")' in sources
    assert 'new URL("search/search_index.json", config.base)' in sources
    assert "setupSearchWorker(config.search, index$)" in sources
    assert "worker = new Worker(url)" in sources
    assert "const req = new XMLHttpRequest()" in sources
    assert "of(location.protocol !== \"file:\")" in sources  # over http: at once
    base = compat.theme_partial("base.html").read_text(encoding="utf-8")
    assert '"search": "assets/javascripts/workers/search.' in base
    assert base.index("config.extra.polyfills") < base.index("assets/javascripts/bundle.")


@relies_on("search-messages")
def test_material_speaks_to_its_search_worker_in_these_messages() -> None:
    sources = _sources("bundle.*.min.js.map")
    enum = sources[sources.index("export const enum SearchMessageType"):]
    assert [name.strip(" ,") for name in re.findall(r"\n  (\w+),?", enum[:400])][:4] == [
        "SETUP", "READY", "QUERY", "RESULT"]
    assert "data: value" in sources and "type: SearchMessageType.QUERY" in sources
    for used in ("document.location", "document.title", "document.text", "doc.score",
                 "Object.entries(document.terms)"):
        assert used in sources, used


@relies_on("lunr-stop-words")
def test_material_ships_lunr_stop_words_where_the_index_reads_them() -> None:
    for language in ("en", "fr", "ro", "ru", "ar"):
        assert len(compat.lunr_stop_words(language)) > 100, language
    assert {"the", "and", "of"} <= compat.lunr_stop_words("en")
    assert {"и", "в"} <= compat.lunr_stop_words("ru")


@relies_on("search-settings")
def test_material_search_writes_its_settings_into_the_index() -> None:
    import material.plugins.search.plugin as plugin

    text = Path(plugin.__file__).read_text(encoding="utf-8")
    assert 'for key in ["lang", "separator", "pipeline", "fields"]' in text


@relies_on("weasyprint-anchors")
def test_weasyprint_gives_the_position_of_every_element_with_an_id() -> None:
    from weasyprint import HTML

    rendered = HTML(string='<p>x</p><div id="chart-x" style="width:10px;height:10px"></div>'
                    ).render()
    assert set(rendered.pages[0].anchors) == {"chart-x"}
    assert len(rendered.pages[0].anchors["chart-x"]) == 4


@relies_on("weasyprint-link-targets")
def test_weasyprint_keeps_a_link_to_an_anchor_added_before_writing() -> None:
    from weasyprint import HTML

    from trmgen.print.pdf import Printable, laid_out

    html = '<html lang="en"><body><p><a href="#elsewhere">away</a></p></body></html>'
    def links(pdf: bytes) -> list[str]:
        page = PdfReader(io.BytesIO(pdf)).pages[0]
        return [str(a.get_object()["/Dest"]) for a in page.get("/Annots", [])
                if a.get_object()["/Subtype"] == "/Link"]

    assert links(HTML(string=html).write_pdf()) == []  # dropped: its target is elsewhere
    kept = laid_out(Printable(html, {}), outside=frozenset({"elsewhere"})).pdf
    assert links(kept) == ["elsewhere"]


@pytest.mark.parametrize(("ours", "upstream"), sorted(compat.FORKED_PARTIALS.items()))
def test_each_forked_partial_is_known_and_still_exists_upstream(ours: str,
                                                                upstream: str) -> None:
    assert (ROOT / ours).is_file()
    assert compat.theme_partial(upstream).is_file(), f"{upstream} is gone from the theme"
    assert not filecmp.cmp(ROOT / ours, compat.theme_partial(upstream), shallow=False)
