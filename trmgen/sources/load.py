"""Source files to models; every pydantic error becomes a diagnostic at its file:line:col."""

from __future__ import annotations

import functools
import os
import types
import typing
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from trmgen.diagnostics import MAX_PROBLEMS, Diagnostic, Severity
from trmgen.sources import value_types as values
from trmgen.sources.layout import MAX_SOURCE_BYTES, SCHEMAS, Layout, UnsafeFile, read_file
from trmgen.sources.model import (
    ActorsFile,
    ChartStyle,
    CountryContacts,
    Guideline,
    InstrumentsFile,
    Overview,
    ReferralForm,
    Sop,
    Termbase,
)
from trmgen.sources.strict_yaml import Document, LoadError, Loc, parse_bytes

M = TypeVar("M", bound=BaseModel)

MODELS: dict[str, type[BaseModel]] = {
    "guideline": Guideline,
    "actors": ActorsFile,
    "instruments": InstrumentsFile,
    "sop": Sop,
    "country": CountryContacts,
    "style": ChartStyle,
    "overview": Overview,
    "form": ReferralForm,
    "termbase": Termbase,
}
"""The model of each kind of source file."""


@dataclass(frozen=True)
class Source(Generic[M]):
    """A model together with the document it was read from, for positions in messages."""

    doc: Document
    model: M


@dataclass
class Sources:
    """Everything read from a guideline repository; a part is None when it failed to load."""

    layout: Layout
    guideline: Source[Guideline] | None = None
    actors: Source[ActorsFile] | None = None
    instruments: Source[InstrumentsFile] | None = None
    sops: list[Source[Sop]] = field(default_factory=list)
    countries: dict[str, Source[CountryContacts]] = field(default_factory=dict)
    style: Source[ChartStyle] | None = None
    overview: Source[Overview] | None = None
    form: Source[ReferralForm] | None = None
    termbase: Source[Termbase] | None = None
    """None also where there is no termbase: its checks are then left out."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    complete: bool = True
    """False when some file could not be read, so cross-file rules would see gaps."""


def load_sources(layout: Layout) -> Sources:
    """Read and model-check every source file, collecting all problems."""
    sources = Sources(layout)
    if not layout.guidelines.is_dir():
        sources.diagnostics.append(Diagnostic(
            layout.display(layout.guidelines), 1, 1, "file.missing", "",
            f"there is no guidelines/ folder in {layout.root}: run trmgen in the repository "
            "of the guidelines, or give it with --root"))
        sources.complete = False
        return sources
    for folder in layout.source_folders():
        if folder.is_symlink():
            sources.diagnostics.append(Diagnostic(
                layout.display(folder), 1, 1, "file.link", "", "this folder is a symbolic "
                "link; sources must be folders and files of the repository itself"))
            sources.complete = False
            return sources
    sources.guideline = _required(sources, layout.guideline_file, Guideline)
    sources.actors = _required(sources, layout.actors_file, ActorsFile)
    sources.instruments = _required(sources, layout.instruments_file, InstrumentsFile)
    if not layout.sop_files():
        sources.diagnostics.append(_missing(layout, layout.sops / "1-identification.yaml"))
    for path in layout.sop_files():
        sop = _read(sources, path, Sop)
        if sop:
            sources.sops.append(sop)
    for path in layout.contact_files():
        code = path.stem
        try:
            values.check_country_code(code)
        except PydanticCustomError as exc:
            sources.diagnostics.append(Diagnostic(layout.display(path), 1, 1, exc.type,
                                                  "file name", exc.message()))
            sources.complete = False
            continue
        country = _read(sources, path, CountryContacts)
        if country:
            sources.countries[code] = country
    sources.style = _required(sources, layout.style_file, ChartStyle)
    sources.overview = _required(sources, layout.overview_file, Overview)
    sources.form = _required(sources, layout.form_file, ReferralForm)
    if layout.termbase_file.exists() or layout.termbase_file.is_symlink():
        sources.termbase = _read(sources, layout.termbase_file, Termbase)
    for stray in layout.strays():
        sources.diagnostics.append(Diagnostic(
            layout.display(stray), 1, 1, "file.extension", "", "this file is not read: "
            "rename it to end in '.yaml'", Severity.WARNING))
    return sources


def _missing(layout: Layout, path: Path) -> Diagnostic:
    return Diagnostic(layout.display(path), 1, 1, "file.missing", "",
                      "this file is missing; create it (see CONTRIBUTING.md)")


def _required(sources: Sources, path: Path, model: type[M]) -> Source[M] | None:
    if not path.exists() and not path.is_symlink():
        sources.diagnostics.append(_missing(sources.layout, path))
        sources.complete = False
        return None
    return _read(sources, path, model)


def _read(sources: Sources, path: Path, model: type[M]) -> Source[M] | None:
    source, problems = read(path, sources.layout.display(path), model)
    sources.diagnostics.extend(problems)
    if source is None:
        sources.complete = False
    else:
        sources.diagnostics.extend(_schema_line(sources.layout, path, source.doc, model))
    return source


def _schema_line(layout: Layout, path: Path, doc: Document,
                 model: type[BaseModel]) -> list[Diagnostic]:
    """Editors find the schema through the first line; say so when it is missing or wrong."""
    kind = next(kind for kind, cls in MODELS.items() if cls is model)
    relative = Path(os.path.relpath(layout.schemas / SCHEMAS[kind], path.parent)).as_posix()
    expected = f"# yaml-language-server: $schema={relative}"
    if doc.text.split("\n", 1)[0].strip() == expected:
        return []
    return [Diagnostic(doc.path, 1, 1, "file.schema-line", "", f"the first line should be "
                       f"'{expected}', so that editors offer autocomplete and help",
                       Severity.WARNING)]


def read(path: Path, display: str, model: type[M]) -> tuple[Source[M] | None, list[Diagnostic]]:
    """Load one YAML file and check it against a model."""
    if not display.isprintable():
        return None, [Diagnostic(display, 1, 1, "file.name", "", "the file name holds "
                                 "control or invisible characters; rename the file")]
    try:
        raw = read_file(path, MAX_SOURCE_BYTES)
    except UnsafeFile as exc:
        return None, [Diagnostic(display, 1, 1, exc.code, "", exc.message)]
    source, problems = _checked(raw, display, model)
    return typing.cast(Source[M] | None, source), list(problems)


def forget_files() -> None:
    """Let go of the files kept for the next validation (see _checked): a run that
    validates once frees them, and with them the position of every value, which is most of
    what validation holds."""
    _checked.cache_clear()


@functools.lru_cache(maxsize=1024)
def _checked(raw: bytes, display: str,
             model: type[BaseModel]) -> tuple[Source[BaseModel] | None, tuple[Diagnostic, ...]]:
    """A file's content loaded and checked, kept while it is unchanged: `serve` rebuilds
    after every edit, and an edit changes one file."""
    try:
        doc, warnings = parse_bytes(raw, display)
    except LoadError as exc:
        return None, tuple(exc.diagnostics)
    try:
        return Source(doc, model.model_validate(doc.data)), tuple(warnings)
    except ValidationError as exc:
        errors = exc.errors()[:MAX_PROBLEMS]  # past them, one line says how many more
        return None, tuple(warnings + _dedupe([diagnostic(doc, model, e) for e in errors]))


def _dedupe(found: list[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(found))


def diagnostic(doc: Document, model: type[BaseModel], error: ErrorDetails) -> Diagnostic:
    """One pydantic error in plain words, at the line and column it concerns."""
    raw = error["loc"]
    loc = _data_loc(doc, raw)
    kind = error["type"]
    ctx = error.get("ctx", {})
    if kind == "missing":
        name = str(raw[-1])
        parent = _data_loc(doc, raw[:-1])
        mark = doc.mark(parent)
        return Diagnostic(doc.path, mark.line, mark.col, "schema.missing-field",
                          field_path(parent), f"the required field '{name}' is missing; "
                          f"add '{name}:'")
    if kind == "extra_forbidden":
        name = str(raw[-1])
        mark = doc.mark(loc, key=True)
        allowed = sorted(_fields_at(model, loc[:-1]))
        present = _keys_at(doc.data, loc[:-1])
        hint = values.suggest(name, sorted(set(allowed) - present)) or (
            f"; the fields here are: {', '.join(allowed)}")
        return Diagnostic(doc.path, mark.line, mark.col, "schema.unknown-field",
                          field_path(loc), f"unknown field '{name}'{hint}")
    if error["loc"] and error["loc"][-1] == "[key]":
        mark = doc.mark(loc, key=True)
    else:
        mark = doc.mark(loc, offset=ctx.get("offset"))
    code, message = _plain(kind, error["msg"], error["input"], ctx)
    if not loc and isinstance(error["input"], list):
        fields = ", ".join(f"'{f}:'" for f in sorted(_fields_at(model, ())))
        message = f"the file must start with its fields ({fields}), not with a list"
    elif error["input"] is None and "#" in _line_at(doc, mark.line):
        message += " ('#' starts a comment: put text that contains '#' in quotes)"
    return Diagnostic(doc.path, mark.line, mark.col, code, field_path(loc), message)


def _line_at(doc: Document, line: int) -> str:
    lines = doc.text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _keys_at(data: Any, loc: Loc) -> AbstractSet[str]:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return frozenset()
    return data.keys() if isinstance(data, dict) else frozenset()


def _data_loc(doc: Document, loc: Sequence[str | int]) -> Loc:
    """The part of a pydantic location that names keys and indexes in the document."""
    out: list[str | int] = []
    for part in loc:
        if part == "[key]":
            break
        candidate = (*out, part)
        if candidate in doc.values or candidate in doc.keys:
            out.append(part)
    return tuple(out)


def field_path(loc: Loc) -> str:
    """`measures[2].who[0]` for ('measures', 2, 'who', 0)."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a block of fields"
    return f"'{value}'"


def _plain(kind: str, msg: str, value: Any, ctx: dict[str, Any]) -> tuple[str, str]:
    """A diagnostic code and a message in plain words for a pydantic error."""
    if "." in kind:  # our own checks already speak plainly
        return kind, msg
    found = _describe(value)
    if kind == "string_type":
        return "schema.wrong-type", f"expected text, found {found}"
    if kind == "list_type":
        return "schema.wrong-type", f"expected a list (one '- ' item per line), found {found}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "schema.wrong-type", f"expected a block of fields (name: value), found {found}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "schema.wrong-type", f"expected a whole number, found {found}"
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing"):
        return "value.date", f"expected a date as YYYY-MM-DD, found {found}"
    if kind in ("enum", "literal_error"):
        choices = [c.strip(" '") for c in str(ctx.get("expected", "")).replace(" or ", ", ")
                   .split(",")]
        hint = values.suggest(str(value), choices) if isinstance(value, str) else ""
        return "schema.bad-value", f"{found} is not allowed" + (
            hint or f"; use one of: {', '.join(choices)}")
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        return "schema.too-short", f"needs at least {least} item{'s' if least != 1 else ''}"
    if kind == "greater_than_equal":
        return "schema.out-of-range", f"{found} is too small; the least allowed is {ctx['ge']}"
    if kind == "less_than_equal":
        return "schema.out-of-range", f"{found} is too large; the most allowed is {ctx['le']}"
    return "schema.invalid", msg


def _fields_at(model: type[BaseModel], loc: Loc) -> set[str]:
    """The field names of the model found at `loc` inside `model`."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return set()
        current = _model_in(fields[part].annotation)
    return set(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    """The model class inside list[...], X | None and similar, or None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
