"""Compare two built sites as readers meet them: pages as parsed documents, files by bytes.

For a change that should look the same to readers (a refactoring of templates or code),
build the site before and after it (with the same SOURCE_DATE_EPOCH) and compare:

    python tools/site_diff.py OLD_SITE NEW_SITE [--show N]

A page differs only when its elements, attributes or texts differ: white space between
tags and the way a character is escaped (&#34; or ") do not count. The pages inside the
offline copies are compared the same way. Exit status 1 when something differs.
"""

from __future__ import annotations

import argparse
import difflib
import io
import sys
import zipfile
from pathlib import Path

import lxml.html


def elements(raw: bytes) -> list[str]:
    """A page as a list of its elements (with sorted attributes) and texts."""
    out = []
    for element in lxml.html.fromstring(raw).iter():
        if not isinstance(element.tag, str):
            continue
        attributes = " ".join(f'{k}="{v}"' for k, v in sorted(element.attrib.items()))
        out.append(f"<{element.tag} {attributes}>")
        for text, mark in ((element.text, ""), (element.tail, "~")):
            if text and text.strip():
                out.append(mark + " ".join(text.split()))
    return out


def files(root: Path) -> dict[str, bytes]:
    """Every file of a site, the members of its zips included (as zip!member)."""
    found = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(root).as_posix()
        if path.suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
                for member in archive.namelist():
                    found[f"{name}!{member}"] = archive.read(member)
        else:
            found[name] = path.read_bytes()
    return found


def compare(old: Path, new: Path, show: int) -> int:
    """Print what differs; the number of files that differ."""
    before, after = files(old), files(new)
    differing = 0
    for name in sorted(before.keys() | after.keys()):
        if name not in before or name not in after:
            print(f"only in {'new' if name in after else 'old'}: {name}")
            differing += 1
            continue
        if before[name] == after[name]:
            continue
        if name.endswith(".html"):
            lines = [line for line in difflib.unified_diff(
                elements(before[name]), elements(after[name]), lineterm="", n=0)
                if not line.startswith(("---", "+++", "@@"))]
            if not lines:
                continue
            print(f"page differs: {name}")
            if show > 0:
                print("\n".join(f"    {line}" for line in lines[:40]))
                show -= 1
        else:
            print(f"bytes differ: {name}")
        differing += 1
    print(f"{differing} files differ")
    return differing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--show", type=int, default=3, help="pages whose differences to show")
    args = parser.parse_args()
    sys.exit(1 if compare(args.old, args.new, args.show) else 0)


if __name__ == "__main__":
    main()
