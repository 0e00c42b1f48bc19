"""The import contract: each layer of the pipeline imports only from the layers below it.

    diagnostics < sources < i18n < checks < content < web < print < publish < cli, scaffold

A lower layer never imports a higher one, so that the folders tell the order data flows in,
and a change to the site or the print cannot reach back into loading and checking.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

LAYERS = ["diagnostics", "sources", "i18n", "checks", "content", "web", "print", "publish",
          "cli", "scaffold"]
TOP = {"cli": 8, "scaffold": 8}
"""The command line and `trmgen new` stand beside each other at the top."""


def layer(module: str) -> int:
    """The layer of a module of trmgen, such as 'trmgen.web.site'."""
    part = module.split(".")[1] if "." in module else module
    return TOP.get(part, LAYERS.index(part) if part in LAYERS else -1)


def imports(path: Path) -> list[tuple[int, str]]:
    """The trmgen modules a file imports, with their lines."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("trmgen"):
            names = [node.module] if node.module != "trmgen" else [
                f"trmgen.{alias.name}" for alias in node.names]
            found += [(node.lineno, name) for name in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names
                      if alias.name.startswith("trmgen")]
    return found


def test_every_module_belongs_to_a_layer() -> None:
    for path in (ROOT / "trmgen").rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if path.name in ("__init__.py", "__main__.py") and path.parent.name == "trmgen":
            continue
        assert layer(module) >= 0, f"{module} is in no layer; add its folder to LAYERS"


def test_no_layer_imports_a_higher_one() -> None:
    broken = []
    for path in sorted((ROOT / "trmgen").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if path.parent.name == "trmgen" and path.name in ("__init__.py", "__main__.py"):
            continue
        own = layer(module)
        for line, name in imports(path):
            if name in ("trmgen", "trmgen.__version__"):
                continue
            if layer(name) > own:
                broken.append(f"{path.relative_to(ROOT)}:{line}: {module} imports {name}")
    assert broken == []


def test_the_check_finds_a_wrong_import(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.py"
    wrong.write_text("from trmgen.web.site import generate\n")
    assert layer("trmgen.sources.load") < max(layer(name) for _, name in imports(wrong))
