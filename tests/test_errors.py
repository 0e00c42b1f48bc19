"""One error boundary: what a user can fix is exit 1 with the file, line and what to do;
exit 3 is for bugs only; Ctrl-C is exit 130 and leaves the last site as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .edits import replace_in
from .html import page

pytestmark = pytest.mark.slow  # builds and previews


def trmgen(root: Path, *args: str, env: dict[str, str] | None = None,
           timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "trmgen", *args, "--root", str(root)],
                          capture_output=True, text=True, timeout=timeout, check=False,
                          env=env)


def test_a_broken_mkdocs_yml_is_a_problem_at_its_line(scratch_repo: Path) -> None:
    replace_in(scratch_repo / "mkdocs.yml", "  name: material", "  name: materiall")
    for command in (["build"], ["serve", "--address", "127.0.0.1:0"]):
        result = trmgen(scratch_repo, *command, timeout=60)
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert ("mkdocs.yml:6:1: error: theme: Unrecognised theme name: 'materiall'"
                in result.stdout), result.stdout
        assert "Traceback" not in result.stdout + result.stderr
        assert "internal error" not in result.stderr


def test_unparsable_mkdocs_yml_is_a_problem_at_its_line(scratch_repo: Path) -> None:
    (scratch_repo / "mkdocs.yml").write_text("site_name: x\ntheme: [\n")
    result = trmgen(scratch_repo, "build")
    assert result.returncode == 1
    assert result.stdout.startswith("mkdocs.yml:3:1: error: MkDocs encountered an error")


def test_a_missing_graphviz_says_what_to_install(scratch_repo: Path, tmp_path: Path) -> None:
    """PATH without Graphviz's dot (and an empty cache, so that charts must be drawn)."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("git",):
        found = subprocess.run(["which", tool], capture_output=True, text=True, check=False)
        if found.stdout.strip():
            (tools / tool).symlink_to(found.stdout.strip())
    env = {**os.environ, "PATH": str(tools), "TRMGEN_CACHE": str(tmp_path / "cache")}
    result = trmgen(scratch_repo, "build", env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert ("error: Graphviz (the program 'dot') is not installed; 'make site' installs it "
            "(as root or with sudo), or run: apt-get install graphviz [build.missing-tool]"
            ) in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_ctrl_c_exits_130_and_leaves_the_last_site(scratch_repo: Path, tmp_path: Path) -> None:
    assert trmgen(scratch_repo, "build").returncode == 0
    site = scratch_repo / "site"
    before = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
              if p.is_file()}
    replace_in(scratch_repo / "guidelines/sops/1-identification.yaml",
               "title: Screen on indicators", "title: Screen with care")
    env = {**os.environ, "TRMGEN_CACHE": str(tmp_path / "empty-cache")}
    process = subprocess.Popen([sys.executable, "-m", "trmgen", "build", "--root",
                                str(scratch_repo)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while not list(scratch_repo.glob(".trmgen-build-*/site")):
        assert time.monotonic() < deadline, "the build never started"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C does: the driver and its workers
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, out + err
    assert "interrupted; nothing was changed" in err
    assert "Traceback" not in out + err
    after = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
             if p.is_file()}
    assert after == before
    assert not list(scratch_repo.glob(".trmgen-build-*"))
    assert page(site, "en/measures/first-screening/").xpath(
        "normalize-space(//h1/text())") == "Screen on indicators"


def test_ctrl_c_that_python_swallowed_still_counts_as_an_interruption() -> None:
    """Ctrl-C in the driver is noted, not raised (raised inside a fork's lock handling, it
    would be swallowed); the workers still end, and the broken pool the driver then meets
    is the interruption."""
    from concurrent.futures.process import BrokenProcessPool

    from trmgen.publish.build import _interruptible

    with pytest.raises(KeyboardInterrupt), _interruptible():
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
        except KeyboardInterrupt:
            pass  # swallowed, as in logging's fork handler
        raise BrokenProcessPool("a worker ended")
    with pytest.raises(BrokenProcessPool), _interruptible():  # no Ctrl-C: a real failure
        raise BrokenProcessPool("a worker ended")
