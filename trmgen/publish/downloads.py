"""The files to download, recorded, and the offline copies zipped."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from trmgen.web.pages import Download


def record(site: Path, path: str, kind: str, language: str | None,
           date: dt.date) -> Download:
    """Describe a file that has been written under `site`."""
    return Download(path, kind, language, (site / path).stat().st_size, date)


# What an offline copy leaves out, to keep it small: source maps, and the search settings as
# JSON (the offline copy reads the same settings from search_index.js). The theme reads the
# sitemap: it stays.
_LEFT_OUT = re.compile(r"\.map$|search/search_index\.json$")


_SWITCHER = re.compile(rb"<!-- trm-language-switcher -->.*?<!-- /trm-language-switcher -->|"
                       rb'<link rel="alternate" href="[^"]*" hreflang="[^"]*">\s*',
                       re.DOTALL)


def zip_folder(folder: Path, target: Path, root: str, *,
               only: str | None = None, index: bytes | None = None) -> None:
    """Zip a folder under a top folder `root`, the same way every time (sorted, fixed dates).

    With `only`, just that language's folder goes in, and its pages lose the language
    switcher and the links to the other languages, which are not in the copy; `index`
    replaces index.html.
    """
    stamp = (1980, 1, 1, 0, 0, 0)
    paths = [*folder.iterdir(), *(folder / only).rglob("*")] if only else folder.rglob("*")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(paths):
            name = path.relative_to(folder).as_posix()
            if path.is_dir() or _LEFT_OUT.search(name):
                continue
            content = index if index is not None and name == "index.html" else path.read_bytes()
            if only and name.endswith(".html"):
                content = _SWITCHER.sub(b"", content)
            info = zipfile.ZipInfo(f"{root}/{name}", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
