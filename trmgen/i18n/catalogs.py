"""The gettext catalogs: extraction, update, status and checks.

guidelines/translations/trmgen.pot is the template: every translatable text of the YAML (with
its stable context) and every string of the templates and of the code. Each language has its
own catalog, guidelines/translations/LL.po, which translators edit with any PO tool.
"""

from __future__ import annotations

import functools
import io
import re
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract
from babel.messages.pofile import PoFileError, normalize, read_po, unescape, write_po
from pydantic import BaseModel

from trmgen import __version__
from trmgen.diagnostics import Diagnostic, Severity
from trmgen.i18n import pocheck
from trmgen.i18n.fields import walk
from trmgen.sources import cache, safe_text
from trmgen.sources.layout import (
    MAX_CATALOG_BYTES,
    MAX_TEMPLATE_BYTES,
    Layout,
    UnsafeFile,
    read_file,
)
from trmgen.sources.load import Source, Sources

JINJA_OPTIONS = {
    "extensions": "jinja2.ext.i18n",
    "comment_start_string": "{##",
    "comment_end_string": "##}",
    "trim_blocks": "true",
    "lstrip_blocks": "true",
    "newstyle_gettext": "true",
}
"""How the page templates are read for extraction: as the renderer reads them."""

PYTHON_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")


def _roots(sources: Sources) -> Iterator[tuple[Source[BaseModel], str]]:
    """Each loaded file with the context prefix of its texts."""
    if sources.guideline:
        yield sources.guideline, "guideline"  # type: ignore[misc]
    if sources.actors:
        yield sources.actors, "actors"  # type: ignore[misc]
    if sources.instruments:
        yield sources.instruments, "instruments"  # type: ignore[misc]
    for sop in sources.sops:
        yield sop, f"sop/{sop.model.id}"  # type: ignore[misc]
    for code, country in sources.countries.items():
        yield country, f"contacts/{code}"  # type: ignore[misc]
    if sources.overview:
        yield sources.overview, "overview"  # type: ignore[misc]
    if sources.form:
        yield sources.form, "form"  # type: ignore[misc]


def content_messages(sources: Sources) -> Iterator[tuple[str, str, tuple[str, int]]]:
    """Every translatable text of the sources: (context, text, (file, line))."""
    for source, prefix in _roots(sources):
        for context, loc, value in walk(source.model, prefix):
            yield context, value, (source.doc.path, source.doc.mark(loc).line)


UiMessages = list[tuple[str | tuple[str, ...], tuple[str, int]]]


def ui_messages(layout: Layout) -> UiMessages:
    """Every string of the page templates and of the code that readers see (read them,
    never change them)."""
    templates = [*layout.page_templates.glob("*.j2"), *layout.print_templates.glob("*.j2")]
    contents = [(read_file(path, MAX_TEMPLATE_BYTES), "jinja2", layout.display(path))
                for path in sorted(templates)] + _code()
    key = cache.strings_key([(shown, raw) for raw, _, shown in contents])
    if key in _last_ui:  # `serve` asks after every edit
        return _last_ui[key]
    kept = cache.read_json("strings", key)
    if isinstance(kept, list):
        found = [(tuple(message) if isinstance(message, list) else message, (shown, line))
                 for message, (shown, line) in kept]
    else:
        found = [(message, (shown, line)) for raw, method, shown in contents
                 for line, message in _strings(raw, method)]
        cache.write_json("strings", key, found)
    _last_ui.clear()
    _last_ui[key] = found
    return found


_last_ui: dict[str, UiMessages] = {}
"""The strings last found, by the key of the files they were found in."""


@functools.cache
def _code() -> list[tuple[bytes, str, str]]:
    """trmgen's own code, which does not change while it runs: (content, 'python', name)."""
    package = Path(__file__).resolve().parent.parent
    return [(path.read_bytes(), "python", f"trmgen/{path.relative_to(package).as_posix()}")
            for path in sorted(package.rglob("*.py"))]


@functools.lru_cache(maxsize=256)
def _strings(raw: bytes, method: str) -> list[tuple[int, str | tuple[str, ...]]]:
    """The translatable strings of one file's content (kept while it is unchanged)."""
    options = JINJA_OPTIONS if method == "jinja2" else {}
    found = extract(method, io.BytesIO(raw), keywords=PYTHON_KEYWORDS, options=options)
    return [(line, message) for line, message, _, _ in found]


def template(layout: Layout, sources: Sources) -> Catalog:
    """The template catalog: every string to translate (read it, never change it).

    Validation and the translation status both need it, from the same sources.
    """
    global _last_template  # one slot: the newest sources, while they are in use
    if _last_template is None or _last_template[0]() is not sources:
        _last_template = (weakref.ref(sources, _forget_template), _template(layout, sources))
    return _last_template[1]


_last_template: tuple[weakref.ref[Sources], Catalog] | None = None


def _forget_template(gone: weakref.ref[Sources]) -> None:
    """The sources of the template kept are no longer in use: neither is the template."""
    global _last_template
    if _last_template is not None and _last_template[0] is gone:
        _last_template = None


def _template(layout: Layout, sources: Sources) -> Catalog:
    catalog = Catalog(project="trmgen", version=__version__, fuzzy=False,
                      msgid_bugs_address="", header_comment=(
        "# Translations of the TRM guidelines. Made by `trmgen i18n extract`; do not edit.\n"
        "# A message's context is the stable path of the text in the YAML sources."))
    for message, location in ui_messages(layout):
        catalog.add(message, locations=[location])
    for context, value, location in content_messages(sources):
        # The entries are shared, never merged into: a text found twice at the same context
        # (an id given twice, which validation refuses) is entered once.
        if catalog.get(value, context) is None:
            catalog[value] = _content_message(value, context, location)
    return catalog


@functools.lru_cache(maxsize=65536)
def _content_message(value: str, context: str, location: tuple[str, int]) -> Message:
    """The template's entry of one text of the sources, made once while it is unchanged:
    `serve` makes the template again after every edit of a source. Read it, never change it."""
    return Message(value, locations=[location], context=context)


def catalog_path(layout: Layout, language: str) -> Path:
    """Where a language's catalog lives."""
    return layout.translations / f"{language}.po"


class CatalogError(Exception):
    """A catalog that cannot be read as it is; carries its problems."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.text() for d in diagnostics))
        self.diagnostics = diagnostics


def raw_catalog(path: Path, shown: str, language: str) -> bytes:
    """A catalog's bytes, when it is a regular file whose lines and header are sound;
    otherwise a CatalogError with every problem and its line."""
    try:
        raw = read_file(path, MAX_CATALOG_BYTES)
    except UnsafeFile as exc:
        raise CatalogError([Diagnostic(shown, 1, 1, exc.code, "", exc.message)]) from None
    problems = pocheck.check(raw, shown, language)
    if problems:
        raise CatalogError(problems)
    return raw


def read(layout: Layout, language: str) -> Catalog:
    """A language's catalog, to change or to keep; raises CatalogError."""
    path = catalog_path(layout, language)
    shown = layout.display(path)
    return _babel(raw_catalog(path, shown, language), language, shown)


def read_template(layout: Layout) -> Catalog:
    """The template catalog as written by extract_template."""
    path = template_path(layout)
    with path.open("rb") as handle:
        return read_po(handle)


def read_shared(layout: Layout, language: str) -> Catalog:
    """A catalog from a PO file, parsed once per content in a process: read it, never change
    it; raises CatalogError.

    A build reads each catalog for its checks, its status and its translations, and
    `serve` on every edit.
    """
    path = catalog_path(layout, language)
    shown = layout.display(path)
    return parsed(raw_catalog(path, shown, language), language, shown)


@functools.lru_cache(maxsize=16)
def parsed(raw: bytes, language: str, shown: str) -> Catalog:
    """A catalog from checked bytes (see raw_catalog), kept while they are unchanged."""
    return _babel(raw, language, shown)


def _babel(raw: bytes, language: str, shown: str) -> Catalog:
    try:
        catalog = read_po(io.BytesIO(raw), locale=language, abort_invalid=True)
    except PoFileError as exc:  # what the line check let through, Babel still refuses
        raise CatalogError([Diagnostic(shown, getattr(exc, "lineno", 1) or 1, 1,
                                       "i18n.syntax", "", str(exc))]) from None
    for message in catalog:
        _previous_from_comments(message)
    return catalog


_STRING = re.compile(r'"((?:\\.|[^"\\])*)"')


def _previous_from_comments(message: Message) -> None:
    """Babel reads `#| msgid` lines as translator comments ('| msgid ...'): take them back
    as the English the translation was made from, so that they are written as they came."""
    lines = [c[1:].strip() for c in message.user_comments if c.startswith("|")]
    if not lines:
        return
    message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    text = " ".join(lines)
    if text.startswith("msgid "):
        message.previous_id = ["".join(unescape(f'"{part}"')
                                       for part in _STRING.findall(text[len("msgid "):]))]


WIDTH = 100
"""The width PO files are wrapped at."""


def write(path: Path, catalog: Catalog) -> None:
    """Write a PO file the same way every time (sorted by file, no dates), so diffs stay small.

    The English a fuzzy translation was made from is written as `#| msgid` lines, string by
    string as GNU gettext writes them (Babel wraps them as one comment and breaks strings
    across lines, which GNU tools refuse)."""
    previous = {(m.context, m.id): m.previous_id for m in catalog
                if isinstance(m.id, str) and m.id and m.previous_id}
    for message in catalog:
        message.previous_id = []
    buffer = io.BytesIO()
    try:
        write_po(buffer, catalog, width=WIDTH, sort_by_file=False, omit_header=False,
                 include_previous=False, ignore_obsolete=True)
    finally:
        for (context, msgid), ids in previous.items():
            kept = catalog.get(msgid, context)
            if kept is not None:
                kept.previous_id = ids
    text = re.sub(r'"(POT-Creation-Date|PO-Revision-Date): [^"]*\\n"\n', "",
                  buffer.getvalue().decode("utf-8"))
    for (context, msgid), ids in previous.items():
        entry = (f"msgctxt {normalize(context, width=WIDTH)}\n" if context else "") + \
            f"msgid {normalize(msgid, width=WIDTH)}\n"
        before = "".join(f"#| {line}\n" for line in
                         f"msgid {normalize(ids[0], width=WIDTH)}".splitlines())
        text = text.replace(entry, before + entry, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def template_path(layout: Layout) -> Path:
    """Where the template catalog lives."""
    return layout.translations / "trmgen.pot"


def extract_template(layout: Layout, sources: Sources) -> Catalog:
    """`trmgen i18n extract`: write the template catalog, and return it."""
    pot = _template(layout, sources)
    write(template_path(layout), pot)
    return pot


def update(layout: Layout, language: str, pot: Catalog) -> Catalog:
    """Merge the template into a language's catalog.

    An entry whose context is still there but whose English text changed keeps its old
    translation marked fuzzy (with the previous text), so translators see what changed. The
    entries of a renamed SOP, measure or actor move to the new name, where their English
    texts are unchanged. Other entries whose context is gone are dropped.
    """
    path = catalog_path(layout, language)
    old = read(layout, language) if path.is_file() else Catalog(locale=language)
    by_context = {m.context: m for m in old if m.id and m.context}
    contexts = {m.context for m in pot if m.context}
    orphans: dict[str, list[Message]] = {}
    for message in old:
        if message.id and message.context and message.context not in contexts:
            orphans.setdefault(root_of(message.context), []).append(message)
    moved = {new_root: old_root for old_root, messages in orphans.items()
             if (new_root := _renamed_to(old_root, messages, pot))}
    new = Catalog(locale=language, project="trmgen", version=__version__, fuzzy=False,
                  last_translator="TRM translators", language_team=Locale.parse(
                      language).english_name, msgid_bugs_address="",
                  header_comment=old.header_comment if path.is_file() else (
                      f"# {Locale.parse(language).english_name} translation of the TRM "
                      "guidelines.\n# Glossary:\n"))
    for message in pot:
        if not message.id:
            continue
        kept = old.get(message.id, message.context)
        if (kept is None or not kept.string) and message.context:
            root = root_of(message.context)
            if root in moved:
                kept = old.get(message.id, moved[root] + message.context[len(root):])
        entry = Message(message.id, locations=message.locations, context=message.context,
                        string=("", "") if isinstance(message.id, tuple) else "")
        if kept is not None and kept.string:
            entry.string = kept.string
            entry.flags = set(kept.flags)
            entry.user_comments = kept.user_comments
            entry.previous_id = kept.previous_id if kept.fuzzy else []  # while still fuzzy
        elif message.context in by_context and by_context[message.context].string:
            previous = by_context[message.context]
            entry.string = previous.string
            entry.flags = {"fuzzy"}
            entry.previous_id = [previous.id] if isinstance(previous.id, str) else list(
                previous.id)
        new[message.id] = entry
    write(path, new)
    return new


@dataclass(frozen=True)
class Counts:
    """How much of a catalog is done."""

    translated: int = 0
    fuzzy: int = 0
    missing: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.translated + other.translated, self.fuzzy + other.fuzzy,
                      self.missing + other.missing)

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.missing


def state(catalog: Catalog | None, message: Message) -> str:
    """'translated', 'fuzzy' or 'missing' for a template message in a catalog."""
    found = catalog.get(message.id, message.context) if catalog else None
    if found is None or not found.string or (isinstance(found.string, tuple)
                                             and not all(found.string)):
        return "missing"
    return "fuzzy" if found.fuzzy else "translated"


def count(catalog: Catalog | None, messages: list[Message]) -> Counts:
    """The status of some template messages in a shared catalog (read_shared)."""
    if catalog is None:
        return Counts(missing=len(messages))
    known = _states(catalog)
    states = [known.get(_key(m), "missing") for m in messages]
    return Counts(states.count("translated"), states.count("fuzzy"), states.count("missing"))


def _key(message: Message) -> tuple[str, str | None]:
    return texts(message.id)[0], message.context


@functools.lru_cache(maxsize=16)
def _states(catalog: Catalog) -> dict[tuple[str, str | None], str]:
    """The state of each entry of a shared catalog, which never changes: counted once, as
    `serve` counts after every edit."""
    return {_key(m): state(catalog, m) for m in catalog if m.id}


@functools.lru_cache(maxsize=65536)
def _translation_problems(sources: tuple[str, ...],
                          targets: tuple[str, ...]) -> list[tuple[str, str]]:
    """The problems of one translation, as (code, message); kept, since `serve` checks the
    same catalogs on every edit."""
    found = []
    allowed = {name for source in sources for name in _PLACEHOLDER.findall(source)}
    # The singular form may leave out the count; every other placeholder must stay.
    required = set(_PLACEHOLDER.findall(sources[0])) - {"num"}
    for target in targets:
        if not target:
            continue
        used = set(_PLACEHOLDER.findall(target))
        if not used <= allowed or not required <= used:
            found.append(("i18n.placeholders", "the placeholders (%(name)s) differ from the "
                          "English text; keep every one of them"))
        if sorted(_LINK.findall(target)) != sorted(_LINK.findall(sources[0])):
            found.append(("i18n.links", "the links differ from the English text; keep the "
                          "same link targets"))
        if "\n" not in sources[0] and "\n" in target.strip():
            found.append(("i18n.multiline", "the English text is one line: keep the "
                          "translation on one line too (a line break would break a title or "
                          "a table cell)"))
        for problem in safe_text.problems(target, isolates=True):
            found.append((problem.code, problem.message))
            break
    return found


def checks(layout: Layout, language: str, catalog: Catalog, pot: Catalog) -> list[Diagnostic]:
    """Problems of a catalog against the template: entries of texts that no longer exist,
    changed placeholders or links, unsafe text (errors); entries whose English text changed,
    fuzzy entries and, in one line, missing ones (warnings)."""
    shown = layout.display(catalog_path(layout, language))
    found: list[Diagnostic] = []
    current = {m.context: m for m in pot if m.context}
    gone: dict[str, list[Message]] = {}
    for message in catalog:
        if not message.id:
            continue
        line = message.lineno or 1
        template = current.get(message.context) if message.context else None
        if message.context and template is None:
            gone.setdefault(root_of(message.context), []).append(message)
            continue
        if template is not None and template.id != message.id and message.string:
            found.append(Diagnostic(shown, line, 1, "i18n.outdated", message.context or "",
                                    "the English text changed since this was translated; run "
                                    "'trmgen i18n update', which keeps the translation marked "
                                    "fuzzy beside the new English text, then check it",
                                    Severity.WARNING))
            continue
        if not message.string:
            continue
        sources, targets = texts(message.id), texts(message.string)
        found += [Diagnostic(shown, line, 1, code, where(message), text)
                  for code, text in _translation_problems(sources, targets)]
        if message.fuzzy and message.context:
            found.append(Diagnostic(shown, line, 1, "i18n.fuzzy", message.context,
                                    "the English text changed since this was translated; "
                                    "check the translation and remove the fuzzy mark",
                                    Severity.WARNING))
    found += [_gone(shown, root, messages, pot) for root, messages in gone.items()]
    missing = count(catalog, [m for m in pot if m.id]).missing
    if missing:
        how_many = "1 text is" if missing == 1 else f"{missing} texts are"
        found.append(Diagnostic(shown, 1, 1, "i18n.missing", "", f"{how_many} not translated "
                                "yet and show in English; 'trmgen i18n status' lists them by "
                                "SOP", Severity.WARNING))
    return found


def texts(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """The texts of an entry's msgid or msgstr: one, or one per plural form."""
    return (value,) if isinstance(value, str) else tuple(value or ())


def where(message: Message) -> str:
    """What a message about an entry names it by: its context, else its English text."""
    return message.context or texts(message.id)[0][:40]


def root_of(context: str) -> str:
    """The part of a context that names a thing with an id: 'sop/identification' of
    'sop/identification/title', 'measure/first-screening' of 'measure/first-screening/how/0'."""
    return "/".join(context.split("/")[:2])


def _gone(shown: str, root: str, messages: list[Message], pot: Catalog) -> Diagnostic:
    """Entries of a thing that no longer exists: one problem, with the rename it looks like."""
    first = messages[0]
    renamed = _renamed_to(root, messages, pot)
    many = f"these {len(messages)} entries translate" if len(messages) > 1 else (
        "this entry translates")
    advice = (f"it looks renamed to '{renamed}' (the same English texts): run 'trmgen i18n "
              "update', which moves the translations there" if renamed else
              "if you renamed it, run 'trmgen i18n update' after the rename, which moves the "
              "translations of unchanged texts; otherwise the same command drops them")
    return Diagnostic(shown, first.lineno or 1, 1, "i18n.unknown-context", root,
                      f"{many} '{root}', which the sources no longer have; {advice}")


def _renamed_to(root: str, messages: list[Message], pot: Catalog) -> str | None:
    """The new name of a renamed thing: the root in the template whose texts, at the same
    places, are the English texts of these entries."""
    kind = root.split("/", 1)[0]
    texts = {(m.context[len(root):], m.id) for m in messages if m.context}
    candidates: dict[str, int] = {}
    for message in pot:
        if message.context and message.context.startswith(kind + "/"):
            other = root_of(message.context)
            if (message.context[len(other):], message.id) in texts:
                candidates[other] = candidates.get(other, 0) + 1
    best = max(candidates.items(), key=lambda item: item[1], default=None)
    return best[0] if best and best[1] * 2 >= len(texts) else None


def group(message: Message, sop_of: dict[str, str]) -> str:
    """Which part of the guidelines a message belongs to: an SOP's id, or a part's name."""
    context = message.context or ""
    kind, _, rest = context.partition("/")
    if not context:
        return "interface"
    if kind == "sop":
        return rest.split("/", 1)[0]
    if kind == "measure":
        return sop_of.get(rest.split("/", 1)[0], "other")
    if kind in ("contacts", "institution"):
        return "contacts"
    return "other"


def status(layout: Layout, sources: Sources,
           languages: list[str]) -> dict[str, dict[str, Counts]]:
    """Per language (other than the source) and per part: translated, fuzzy, missing."""
    pot = template(layout, sources)
    sop_of = {m.id: sop.model.id for sop in sources.sops for m in sop.model.measures}
    parts: dict[str, list[Message]] = {}
    for message in pot:
        if message.id:
            parts.setdefault(group(message, sop_of), []).append(message)
    source = sources.guideline.model.source_language if sources.guideline else "en"
    out = {}
    for language in languages:
        if language == source:
            continue
        path = catalog_path(layout, language)
        try:
            catalog = read_shared(layout, language) if path.is_file() else None
        except CatalogError:
            catalog = None  # validation reports why; nothing in it can be counted
        out[language] = {part: count(catalog, messages) for part, messages in parts.items()}
    return out
