"""Each reliance on upstream internals (trmgen/web/compat.py) checked against the installed
versions: an upgrade that changes one fails here, loudly, instead of degrading the site."""

from __future__ import annotations

import filecmp
import io
import json
import re
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer
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
