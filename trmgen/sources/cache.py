"""The cache in .cache/: its files written safely, and whole-repository results kept there.

A build validates the sources in its driver, then again in every worker and every mkdocs
build, each in its own process; `serve` rebuilds on every edit. Validation and the
translation status read every source file, so they are kept here under a key: the hash of
every file they can read (sources, catalogs, templates), of trmgen's own code and of their
parameters. An edit anywhere changes the key, and the result is computed afresh. The
strings to translate in the templates and the code are kept by the content of those files.

The pages of each language and its printed documents are kept the same way, so that a build
of unchanged sources, such as a second build to make sure, does not make them again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import os
import pickle
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from trmgen.sources.layout import Layout

T = TypeVar("T")

_CODE = Path(__file__).resolve().parent


LIBRARIES = ("Babel", "Jinja2", "Markdown", "nh3", "phonenumbers", "pycountry", "pydantic",
             "pypdf", "PyYAML", "weasyprint")
"""The libraries whose versions can change what trmgen makes from the same sources."""


@functools.cache
def _versions() -> bytes:
    return repr([(name, importlib.metadata.version(name)) for name in LIBRARIES]).encode()


def fingerprint(layout: Layout) -> str:
    """The hash of every file of the watched folders and of trmgen's code (name and bytes),
    and of the versions of the libraries that shape the outputs."""
    digest = hashlib.sha256(_versions())
    folders = [(folder, folder) for folder in layout.watched()] + [(_CODE, _CODE)]
    for folder, base in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                name = path.relative_to(base).as_posix().encode()
                content = path.read_bytes()
                digest.update(b"%d:%s%d:" % (len(name), name, len(content)))
                digest.update(content)
    return digest.hexdigest()


def remembered(layout: Layout, name: str, key: object, compute: Callable[[], T], *,
               keep: bool = True) -> T:
    """compute(), or its result kept from an earlier run under the same key.

    The key must change whenever the result would: whole-repository results put the
    fingerprint in it. `name` names the kept file: one per name, overwritten when the key
    changes. With `keep=False` a kept result is used, but a new one is not written.
    """
    key = hashlib.sha256(repr(key).encode()).hexdigest()
    path = layout.memo_cache / f"{name}.pickle"
    try:
        with path.open("rb") as kept:
            kept_key, value = pickle.load(kept)  # our own files, as trusted as the code
        if kept_key == key:
            return value  # type: ignore[no-any-return]
    except Exception:  # missing, or written by other versions of the libraries
        pass  # computed afresh below
    value = compute()
    if not keep:
        return value
    with contextlib.suppress(OSError):  # a folder that cannot be written to: nothing is kept
        store(path, pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL))
    return value


def kept(path: Path) -> bytes | None:
    """A file of the cache, or None; reading it marks it as used, so `prune` keeps it."""
    try:
        content = path.read_bytes()
    except OSError:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)
    return content


def prune(folder: Path, days: float) -> None:
    """Delete the files of a cache folder that no build has used for `days` days: the
    charts and documents of earlier editions would otherwise pile up."""
    oldest = time.time() - days * 86400
    for path in folder.glob("*"):
        with contextlib.suppress(OSError):  # another build may prune at the same time
            if path.is_file() and path.stat().st_mtime < oldest:
                path.unlink()


def store(path: Path, content: bytes) -> None:
    """Write a file of the cache so that a reader sees the old file or the new one, never
    half of one, even when several processes of a build write it at the same time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    with os.fdopen(descriptor, "wb") as out:
        out.write(content)
    Path(partial).replace(path)
