"""What changed between two versions of the sources: measures, contacts and translations.

The older version is read from git (a tag of the previous edition, a branch, a commit), so
editors and readers can see, field by field, what a pull request or a new edition changes.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from trmgen.diagnostics import excerpt, visible
from trmgen.i18n import catalogs
from trmgen.sources.layout import Layout
from trmgen.sources.load import Sources, load_sources


class ChangeError(Exception):
    """The other version cannot be read; the message says why."""


@dataclass(frozen=True)
class Change:
    """One difference: what kind of thing, which one, and what happened to which fields."""

    kind: str
    """measure, actor, instrument, country, institution, adoption (id 'CC/measure'), act (id
    'CC/act') or translation."""
    id: str
    action: str
    """added, removed or changed."""
    fields: tuple[str, ...] = ()
    """For a change: the fields that differ."""
    before: str = ""
    """For adoption: the status before ('' when added)."""
    after: str = ""
    """For adoption: the status after ('' when removed)."""


def refs(layout: Layout) -> str:
    """HEAD and every tag and branch of the repository with its commit ("" outside git):
    while this is unchanged, so is the version that a ref names."""
    try:
        return subprocess.run(["git", "-C", str(layout.root), "show-ref", "--head"],
                              capture_output=True, check=False,
                              timeout=60).stdout.decode(errors="replace")
    except (OSError, subprocess.TimeoutExpired):
        return ""


def _git(layout: Layout, *args: str) -> bytes:
    """A git command in the repository; its output, or a ChangeError that says why not."""
    try:
        return subprocess.run(["git", "-C", str(layout.root), *args], capture_output=True,
                              check=True, timeout=120).stdout
    except FileNotFoundError:
        raise ChangeError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise ChangeError("git took longer than two minutes") from None
    except subprocess.CalledProcessError as exc:
        message = exc.stderr.decode(errors="replace").strip().splitlines()
        raise ChangeError(message[-1] if message else "git failed") from None


def commit(layout: Layout, ref: str) -> str:
    """The commit a ref names. The ref is given to git after `--end-of-options`, so that a
    ref written as an option (`--output=...`) can never act as one."""
    if not ref or ref.startswith("-") or not ref.isprintable() or any(c.isspace() for c in ref):
        raise ChangeError(f"'{visible(excerpt(ref))}' is not a git ref: give a tag, a branch "
                          "or a commit")
    try:
        found = _git(layout, "rev-parse", "--verify", "--quiet", "--end-of-options",
                     f"{ref}^{{commit}}")
    except ChangeError:
        raise ChangeError(f"'{visible(excerpt(ref))}' names no commit of this repository; "
                          "give a tag, a branch or a commit") from None
    return found.decode().strip()


def at_ref(layout: Layout, ref: str, folder: Path) -> Sources:
    """The sources as they were at a git ref, written out into `folder`."""
    archive = _git(layout, "archive", "--format=tar", commit(layout, ref))
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        sources = [m for m in tar.getmembers()
                   if m.name.split("/", 1)[0] in ("guidelines", "contacts", "flowcharts")]
        tar.extractall(folder, members=sources, filter="data")
    return load_sources(Layout(folder))


def _by_id(models: Iterator[Any]) -> dict[str, BaseModel]:
    return {str(m.id): m for m in models}


def _differ(kind: str, old: dict[str, BaseModel], new: dict[str, BaseModel],
            ignore: tuple[str, ...] = ()) -> Iterator[Change]:
    for key in sorted(new.keys() - old.keys()):
        yield Change(kind, key, "added")
    for key in sorted(old.keys() - new.keys()):
        yield Change(kind, key, "removed")
    for key in sorted(old.keys() & new.keys()):
        before, after = old[key].model_dump(mode="json"), new[key].model_dump(mode="json")
        fields = tuple(name for name in after if name not in ignore
                       and before.get(name) != after.get(name))
        if fields:
            yield Change(kind, key, "changed", fields)


def _translations(old: Sources, new: Sources) -> Iterator[Change]:
    for code in sorted(_languages(new)):
        before = _catalog(old, code)
        after = _catalog(new, code)
        keys = sorted((after.keys() | before.keys()), key=lambda k: (k[0], k[1]))
        changed = tuple(context or f"page text '{msgid[:40]}'" for context, msgid in keys
                        if before.get((context, msgid)) != after.get((context, msgid)))
        if changed:
            yield Change("translation", code, "changed", changed)


def _languages(sources: Sources) -> list[str]:
    if not sources.guideline:
        return []
    guideline = sources.guideline.model
    return [c for c in guideline.languages if c != guideline.source_language]


def _catalog(sources: Sources, code: str) -> dict[tuple[str, str], str]:
    path = catalogs.catalog_path(sources.layout, code)
    if not path.is_file():
        return {}
    try:
        catalog = catalogs.read(sources.layout, code)
    except catalogs.CatalogError:
        return {}  # validation reports why
    return {(m.context or "", m.id if isinstance(m.id, str) else m.id[0]): json.dumps(m.string)
            for m in catalog if m.id and m.string and not m.fuzzy}


def compare(old: Sources, new: Sources) -> list[Change]:
    """Every difference between two versions of the sources."""
    found: list[Change] = []

    def measures(s: Sources) -> dict[str, BaseModel]:
        return _by_id(m for sop in s.sops for m in sop.model.measures)

    def institutions(s: Sources) -> dict[str, BaseModel]:
        return _by_id(i for c in s.countries.values() for i in c.model.institutions)

    def actors(s: Sources) -> dict[str, BaseModel]:
        return _by_id(iter(s.actors.model.actors if s.actors else []))

    def instruments(s: Sources) -> dict[str, BaseModel]:
        return _by_id(iter(s.instruments.model.instruments if s.instruments else []))

    found += _differ("measure", measures(old), measures(new))
    found += _differ("actor", actors(old), actors(new))
    found += _differ("instrument", instruments(old), instruments(new))
    countries_old = {code: c.model for code, c in old.countries.items()}
    countries_new = {code: c.model for code, c in new.countries.items()}
    found += _differ("country", countries_old, countries_new,  # type: ignore[arg-type]
                     ignore=("institutions", "adoption"))
    found += _differ("institution", institutions(old), institutions(new))
    found += _adoption(old, new)
    found += _translations(old, new)
    return found


def _adoption(old: Sources, new: Sources) -> list[Change]:
    """The changes of each country's adoption: each measure's status (with the status before
    and after), and the national acts."""
    def statuses(s: Sources) -> dict[str, BaseModel]:
        return {f"{code}/{measure}": entry for code, c in s.countries.items()
                for measure, entry in c.model.adoption.measures.items()}

    def acts(s: Sources) -> dict[str, BaseModel]:
        return {f"{code}/{act.id}": act for code, c in s.countries.items()
                for act in c.model.adoption.acts}

    before, after = statuses(old), statuses(new)
    found = [replace(change, before=str(getattr(before.get(change.id), "status", "")),
                     after=str(getattr(after.get(change.id), "status", "")))
             for change in _differ("adoption", before, after)]
    return found + list(_differ("act", acts(old), acts(new)))


def report(changes: list[Change], fmt: str, ref: str) -> str:
    """The changes as text for people, or as JSON."""
    if fmt == "json":
        return json.dumps([asdict(c) for c in changes], indent=2)
    if not changes:
        return f"no changes since {ref}"
    lines = []
    for change in changes:
        detail = f": {', '.join(change.fields)}" if change.action == "changed" else ""
        if change.kind == "adoption" and change.before != change.after:
            detail += f" ({change.before or 'none'} -> {change.after or 'none'})"
        if change.kind == "translation":
            detail = f": {len(change.fields)} texts ({', '.join(change.fields[:3])}" + (
                ", ...)" if len(change.fields) > 3 else ")")
        lines.append(f"{change.kind} {change.id} {change.action}{detail}")
    lines.append(f"{len(changes)} changes since {ref}")
    return "\n".join(lines)


def since(layout: Layout, ref: str, current: Sources | None = None) -> list[Change]:
    """The changes of the sources in `layout` (loaded already: `current`) since a git ref."""
    with tempfile.TemporaryDirectory(prefix="trmgen-ref-") as folder:
        return compare(at_ref(layout, ref, Path(folder)), current or load_sources(layout))

