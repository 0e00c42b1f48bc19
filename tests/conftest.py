"""Shared fixtures: the shipped site built once per session, scratch repositories."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from trmgen.i18n import catalogs
from trmgen.publish.build import build
from trmgen.sources.layout import Layout

from .edits import add_language

# Every test run starts with an empty cache of its own (its processes share it).
os.environ["TRMGEN_CACHE"] = tempfile.mkdtemp(prefix="trmgen-test-cache-")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
"""Debian's Chromium: Playwright cannot download a browser here."""
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
CASES = Path(__file__).resolve().parent / "cases"


SLOW_FIXTURES = {"shipped_site", "partial_site", "browser"}
"""A test that uses one of these builds the whole shipped site or drives Chromium."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow tests: those that use a slow fixture (the others mark themselves)."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite the expected outputs of golden cases (review the diff)")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture
def base_tree(tmp_path: Path) -> Path:
    """A copy of the small valid content tree that golden cases change."""
    root = tmp_path / "repo"
    shutil.copytree(CASES / "base", root, ignore=shutil.ignore_patterns(".cache"))
    return root


@pytest.fixture
def scratch_repo(base_tree: Path) -> Path:
    """The small content tree with the project's site configuration and templates: buildable."""
    shutil.copy(ROOT / "mkdocs.yml", base_tree / "mkdocs.yml")
    shutil.copytree(ROOT / "templates", base_tree / "templates")
    return base_tree


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The shipped guidelines built once for the whole test session (read-only)."""
    out = tmp_path_factory.mktemp("shipped") / "site"
    build(Layout(ROOT), out=out)
    yield out


@pytest.fixture(scope="session")
def partial_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small tree published in English and in a partly translated Arabic, built once:
    its interface in Arabic (the shipped catalog's), its guideline texts still in English."""
    root = tmp_path_factory.mktemp("partial") / "repo"
    shutil.copytree(CASES / "base", root)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "templates", root / "templates")
    add_language(root, "ar")
    layout = Layout(root)
    shipped = catalogs.read(Layout(ROOT), "ar")
    arabic = catalogs.read(layout, "ar")
    for message in arabic:
        if message.id and not message.context:
            message.string = shipped[message.id].string
    catalogs.write(catalogs.catalog_path(layout, "ar"), arabic)
    build(layout)
    return root / "site"


def serve(folder: Path) -> Iterator[str]:
    """`folder` served on 127.0.0.1, as a web server sends it, while the caller runs."""
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium for the tests of what only a browser shows."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def server(shipped_site: Path) -> Iterator[str]:
    """The shipped site served on 127.0.0.1."""
    yield from serve(shipped_site)


@pytest.fixture(scope="session")
def partial_server(partial_site: Path) -> Iterator[str]:
    """The partly translated site served on 127.0.0.1."""
    yield from serve(partial_site)
