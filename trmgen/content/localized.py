"""A language's view of the guide: translated where a translation is done, English elsewhere.

Where a text has no translation, or only a fuzzy one, the English text is used as a Fallback:
a string that remembers it is English, so that pages mark it (a visible note, lang="en").
A page never shows a blank.
"""

from __future__ import annotations

import dataclasses
import functools
import gettext
import io
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations

from trmgen.content.guide import Country, Guide
from trmgen.i18n import catalogs
from trmgen.i18n.fields import translate
from trmgen.sources.layout import Layout


class Fallback(str):
    """English text shown where the page's language has no current translation."""

    __slots__ = ()


@dataclass(frozen=True)
class Language:
    """A language's translations: of the page strings, and of the content by context."""

    code: str
    ui: gettext.NullTranslations = field(default_factory=gettext.NullTranslations)
    content: dict[tuple[str, str], str] = field(default_factory=dict)
    source: bool = True
    """True for the source language, which needs no translation."""


def load(layout: Layout, code: str, source_language: str) -> Language:
    """A language's translations from its catalog (none for the source language)."""
    if code == source_language:
        return Language(code)
    path = catalogs.catalog_path(layout, code)
    if not path.is_file():
        return Language(code, source=False)
    return _compiled(catalogs.read_shared(layout, code), code)


@functools.lru_cache(maxsize=16)
def _compiled(catalog: Catalog, code: str) -> Language:
    """A catalog's translations, made once while it is unchanged (read_shared gives the
    same catalog for the same file: `serve` loads every language on each edit)."""
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    content = {(m.context, m.id): m.string for m in catalog
               if m.context and isinstance(m.id, str) and isinstance(m.string, str)
               and m.string and not m.fuzzy}
    return Language(code, Translations(fp=compiled), content, source=False)


def localized(guide: Guide, language: Language) -> Guide:
    """The guide with every translatable text in the language, or marked as English."""
    if language.source:
        return guide

    def text(context: str, english: str) -> str:
        return language.content.get((context, english)) or Fallback(english)

    return dataclasses.replace(
        guide,
        guideline=translate(guide.guideline, "guideline", text),
        actors=tuple(translate(a, f"actor/{a.id}", text) for a in guide.actors),
        instruments=tuple(translate(i, f"instrument/{i.id}", text) for i in guide.instruments),
        sops=tuple(translate(s, f"sop/{s.id}", text) for s in guide.sops),
        countries=tuple(Country(c.code, translate(c.contacts, f"contacts/{c.code}", text),
                                c.source) for c in guide.countries),
        overview=translate(guide.overview, "overview", text),
        form=translate(guide.form, "form", text),
    )
