"""Shared fixtures: the shipped repository, scratch trees built from golden cases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite the expected outputs of golden cases (review the diff)")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture
def base_tree(tmp_path: Path) -> Path:
    """A copy of the small valid repository that golden cases change."""
    root = tmp_path / "repo"
    shutil.copytree(CASES / "base", root)
    return root
