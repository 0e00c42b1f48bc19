"""`trmgen serve`: the preview rebuilds when a YAML file or a template changes."""

from __future__ import annotations

import difflib
import gc
import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer
from playwright.sync_api import Browser, expect

from trmgen.sources.layout import Layout
from trmgen.web import preview as previews
from trmgen.web.plugin import Job, TrmgenPlugin, mkdocs_config

from .edits import replace_in
from .sites import generated

pytestmark = pytest.mark.slow  # every test here builds a site or serves one

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], bool], seconds: float = 60) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.5)
    return False


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


LIVERELOAD = re.compile(r"<script>\s*var livereload.*?</script>", re.DOTALL)
"""The script the preview server adds to every page it serves."""


def full_build(repo: Path, url: str, dest: Path) -> Path:
    """The site as a clean build makes it, with the preview's address as its own."""
    docs = dest.parent / "docs"
    docs.mkdir(parents=True)
    mkdocs_build(load_config(str(repo / "mkdocs.yml"), site_dir=str(dest), docs_dir=str(docs),
                             site_url=url))
    return dest


def served(url: str, page: str) -> str:
    return LIVERELOAD.sub("", fetch(url + page))


def out_of_date(url: str, built: Path) -> list[str]:
    """The served files that differ from the same files of a clean build."""
    stale = [page.relative_to(built).as_posix() for page in sorted(built.rglob("*.html"))
             if served(url, page.relative_to(built).as_posix())
             != page.read_text(encoding="utf-8")]
    index = "search/search_index.json"
    shown = fetch(url + index)
    if not shown or json.loads(shown) != json.loads((built / index).read_text()):
        stale.append(index)
    return stale


def explained(url: str, built: Path) -> str:
    """Which served files are out of date, and how the first of them differs."""
    stale = out_of_date(url, built)
    if not stale or stale[0].endswith(".json"):
        return f"out of date: {stale}"
    clean = (built / stale[0]).read_text(encoding="utf-8").splitlines()
    diff = difflib.unified_diff(clean, served(url, stale[0]).splitlines(), "clean build",
                                "preview", lineterm="", n=1)
    return f"out of date: {stale}\n" + "\n".join(list(diff)[:40])


@pytest.fixture
def preview(scratch_repo: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "trmgen", "serve", "--address", f"127.0.0.1:{port}",
         "--root", str(scratch_repo)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_preview_reloads_on_yaml_and_template_changes(scratch_repo: Path, preview: str) -> None:
    page = preview + "measures/first-screening/"
    assert wait_for(lambda: "Screen on indicators" in fetch(page))
    sop = scratch_repo / "guidelines/sops/1-identification.yaml"
    replace_in(sop, "title: Screen on indicators", "title: Screen with care")
    assert wait_for(lambda: "Screen with care" in fetch(page))
    replace_in(scratch_repo / "templates/pages/_blocks.j2", 'heading(_("How"), "how"',
               'heading(_("Steps to take"), "how"')
    assert wait_for(lambda: "Steps to take" in fetch(page))


def test_a_browser_sees_the_edit_on_the_pages_it_shows(scratch_repo: Path, preview: str,
                                                       browser: Browser) -> None:
    """In Chromium, the pages open reload by themselves with the edit: the measure edited,
    and a page that shows its title in the navigation."""
    context = browser.new_context()
    try:
        shown, beside = context.new_page(), context.new_page()
        assert wait_for(lambda: "Screen on indicators" in fetch(preview + "measures/referral/"))
        beside.goto(preview + "measures/referral/")
        shown.goto(preview + "measures/first-screening/")
        assert "Screen on indicators" in shown.locator("h1").inner_text()
        replace_in(scratch_repo / "guidelines/sops/1-identification.yaml",
                   "title: Screen on indicators", "title: Screen with care")
        # Locators look again after each reload, where waiting on a script may not.
        expect(shown.locator("h1")).to_contain_text("Screen with care", timeout=30_000)
        expect(beside.locator("body")).to_contain_text("Screen with care", timeout=30_000)
        expect(beside.locator("body")).not_to_contain_text("Screen on indicators",
                                                           timeout=30_000)
    finally:
        context.close()


def test_preview_keeps_every_page_current(scratch_repo: Path, preview: str,
                                          tmp_path: Path) -> None:
    """The preview renders again only what changed: after each edit (a text, a title, the
    order of the measures, the theme), every served page and the search index are what a
    clean build makes."""
    measure, sop_page, other = (preview + path for path in (
        "measures/first-screening/", "sops/identification/", "measures/referral/"))
    assert wait_for(lambda: "At the first contact." in fetch(sop_page))
    assert "Screen on indicators" in fetch(other)  # in the navigation beside it
    sop = scratch_repo / "guidelines/sops/1-identification.yaml"
    edits = [("when: At the first contact.", "when: At the very first contact.", measure),
             ("title: Screen on indicators", "title: Screen with care", other)]
    for number, (old, new, page) in enumerate(edits):
        replace_in(sop, old, new)
        shown = new.split(": ", 1)[1]
        assert wait_for(lambda: shown in fetch(page))  # noqa: B023 (used at once)
        built = full_build(scratch_repo, preview, tmp_path / f"clean-{number}" / "site")
        assert wait_for(lambda: not out_of_date(preview, built), 30), \
            explained(preview, built)  # noqa: B023
    assert "Screen on indicators" not in fetch(other)
    first, rest = sop.read_text().split("\n", 1)  # the second and third measures swap places
    data = yaml.safe_load(rest)
    data["measures"][1:3] = data["measures"][2:0:-1]
    sop.write_text(first + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    built = full_build(scratch_repo, preview, tmp_path / "clean-order" / "site")
    assert wait_for(lambda: not out_of_date(preview, built), 30), explained(preview, built)
    listed = fetch(sop_page)
    assert listed.index("measures/guardian-appointment/") < listed.index("measures/referral/")
    partial = scratch_repo / "templates/overrides/partials/search.html"
    replace_in(partial, 'role="dialog"', 'role="dialog" data-edited="yes"')
    assert wait_for(lambda: 'data-edited="yes"' in fetch(other))
    built = full_build(scratch_repo, preview, tmp_path / "clean-theme" / "site")
    assert wait_for(lambda: not out_of_date(preview, built), 30), explained(preview, built)


def test_an_edit_shows_first_on_the_pages_in_view(scratch_repo: Path, tmp_path: Path) -> None:
    """The preview renders first the pages in view, alone: the page being looked at is at
    once what a clean build makes of it, and the next build (which the preview starts by
    writing its follow-up file) brings every other page and the search up to date."""
    url = "http://127.0.0.1:8000/"
    docs, site = tmp_path / "docs", tmp_path / "site"
    docs.mkdir()
    layout = Layout(scratch_repo)
    index = "search/search_index.json"

    def rebuild() -> None:
        config = mkdocs_config(layout, docs_dir=str(docs), site_dir=str(site))
        config.site_url = url
        mkdocs_build(config, serve_url=url, dirty=True)

    def pages(root: Path) -> dict[str, str]:
        return {page.relative_to(root).as_posix(): LIVERELOAD.sub("", page.read_text("utf-8"))
                for page in root.rglob("*.html")}

    config = mkdocs_config(layout, docs_dir=str(docs), site_dir=str(site))
    plugin = config.plugins["trmgen"]
    assert isinstance(plugin, TrmgenPlugin)
    plugin.job, plugin.follow_up = Job(None), tmp_path / "follow-up"
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        rebuild()
        assert not plugin.partial
        plugin.preview.open("measures/first-screening/index.html")
        plugin.preview.open("contacts/")
        assert plugin.preview.opened() == ["contacts/", "measures/first-screening/"]
        replace_in(scratch_repo / "guidelines/sops/1-identification.yaml",
                   "title: Screen on indicators", "title: Screen with care")
        rebuild()
        assert plugin.partial
        assert plugin.rendered == {"measures/first-screening/"}  # contacts/ did not change
        assert plugin.follow_up.read_text(encoding="utf-8")
        first, first_index = pages(site), (site / index).read_text()
        rebuild()  # the follow-up
        assert not plugin.partial
        assert "measures/referral/" in plugin.rendered
        then, then_index = pages(site), (site / index).read_text()
    finally:  # mkdocs keeps this instance for the builds that follow in this process
        config.plugins.on_startup(command="build", dirty=False)
        plugin.job = plugin.follow_up = None
    clean = full_build(scratch_repo, url, tmp_path / "clean" / "site")
    measure = "measures/first-screening/index.html"
    assert first[measure] == (clean / measure).read_text("utf-8")
    assert "Screen on indicators" in first["measures/referral/index.html"]  # not yet
    assert first_index != (clean / index).read_text()  # the search as it was
    assert then == pages(clean)
    assert json.loads(then_index) == json.loads((clean / index).read_text())


def test_the_preview_notes_the_pages_opened(scratch_repo: Path, tmp_path: Path) -> None:
    """A page is in view when the preview served it, or when the live reload script of a
    page open in a browser asks from it."""
    docs = tmp_path / "docs"
    docs.mkdir()
    config = mkdocs_config(Layout(scratch_repo), docs_dir=str(docs))
    config.site_url = "http://127.0.0.1:8000/trm/"
    plugin = config.plugins["trmgen"]
    assert isinstance(plugin, TrmgenPlugin)
    plugin.follow_up = tmp_path / "follow-up"
    config.plugins.on_startup(command="serve", dirty=True)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0,
                              root=str(tmp_path))
    answers: list[str] = []

    def start_response(status: str, *_: Any) -> Callable[[bytes], object]:
        answers.append(status)
        return lambda _: None

    try:
        plugin.on_serve(server, config=config, builder=lambda: None)
        app = server.get_app()
        assert app is not None
        for path, referer in [("/trm/measures/referral/", ""), ("/trm/sops/identification/", ""),
                              ("/trm/livereload/0/1", "http://127.0.0.1:8000/trm/contacts/"),
                              ("/trm/assets/stylesheets/extra.css", ""), ("/elsewhere/", "")]:
            environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "HTTP_REFERER": referer,
                       "wsgi.url_scheme": "http", "SERVER_NAME": "127.0.0.1",
                       "SERVER_PORT": "8000"}
            b"".join(app(environ, start_response))
        assert plugin.preview.opened() == ["contacts/", "sops/identification/",
                                           "measures/referral/"]
        assert len(answers) == 5
        assert gc.get_freeze_count()  # what the first build left, kept out of collections
    finally:
        server.server_close()
        gc.unfreeze()
        config.plugins.on_startup(command="build", dirty=False)
        plugin.follow_up = None


def test_a_new_title_renders_again_only_the_pages_that_show_it(scratch_repo: Path) -> None:
    """The navigation of a page shows the top-level titles, the titles of its sections and
    of the pages before and after it: a measure's title changes what the pages of its SOP
    show, and no other page's navigation."""
    layout = Layout(scratch_repo)
    before = generated(layout)
    sop = scratch_repo / "guidelines/sops/1-identification.yaml"
    replace_in(sop, "title: Screen on indicators", "title: Screen with care")
    after = generated(layout)
    assert previews.shape(after.nav) == previews.shape(before.nav)
    old, new = previews.views(before.nav), previews.views(after.nav)
    changed = {src for src in new if new[src] != old[src]}
    identification = [src for src, view in new.items()
                      if view[1] and view[1][0][0].endswith("Identification")]
    assert "measures/first-screening.md" in changed
    assert changed == set(identification)
    assert len(changed) < len(new) / 2
