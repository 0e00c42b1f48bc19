"""`trmgen serve`: the preview rebuilds when a YAML file or a template changes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


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
    sop.write_text(sop.read_text().replace("title: Screen on indicators",
                                           "title: Screen with care"))
    assert wait_for(lambda: "Screen with care" in fetch(page))
    template = scratch_repo / "templates/pages/measure.md.j2"
    template.write_text(template.read_text().replace('## {{ _("How") }}',
                                                     '## {{ _("Steps to take") }}'))
    assert wait_for(lambda: "Steps to take" in fetch(page))


def test_preview_keeps_every_page_current(scratch_repo: Path, preview: str) -> None:
    """The preview renders again only the pages whose text changed, unless the navigation
    or the theme changed: then every page, so that no page shows anything out of date."""
    measure, sop_page, other = (preview + path for path in (
        "measures/first-screening/", "sops/identification/", "measures/referral/"))
    assert wait_for(lambda: "At the first contact." in fetch(sop_page))
    assert "Screen on indicators" in fetch(other)  # in the navigation beside it
    sop = scratch_repo / "guidelines/sops/1-identification.yaml"
    sop.write_text(sop.read_text().replace("when: At the first contact.",
                                           "when: At the very first contact."))
    assert wait_for(lambda: "At the very first contact." in fetch(measure))
    assert wait_for(lambda: "At the very first contact." in fetch(sop_page))
    sop.write_text(sop.read_text().replace("title: Screen on indicators",
                                           "title: Screen with care"))
    assert wait_for(lambda: "Screen with care" in fetch(other))
    assert "Screen on indicators" not in fetch(other)
    partial = scratch_repo / "templates/overrides/partials/search.html"
    partial.write_text(partial.read_text().replace('role="dialog"',
                                                   'role="dialog" data-edited="yes"'))
    assert wait_for(lambda: 'data-edited="yes"' in fetch(other))
