"""The validated edition: the sources loaded and checked once, and each language's view.

A build validates once, in its driver, and hands the Validated edition to every stage: the
mkdocs build of each language, the printed documents, the open data, the workers that make
them (they inherit it; nothing is validated again, and no verdict is read from a file).
"""

from __future__ import annotations

import datetime as dt
import gettext
from dataclasses import dataclass

from babel import Locale

from trmgen.checks.validate import validate
from trmgen.content import history
from trmgen.content.guide import Guide
from trmgen.content.history import Change
from trmgen.content.localized import Language, load, localized
from trmgen.diagnostics import BuildError, Diagnostic, Severity, count
from trmgen.i18n import catalogs
from trmgen.i18n.labels import Labels
from trmgen.i18n.localizer import Localizer
from trmgen.sources import cache
from trmgen.sources.layout import Layout
from trmgen.sources.load import forget_files


@dataclass(frozen=True)
class Validated:
    """The sources checked once, with what every output is made from."""

    layout: Layout
    guide: Guide
    """The guide in the source language."""
    diagnostics: list[Diagnostic]
    """What validation found (no errors: a Validated edition has none)."""
    languages: dict[str, Language]
    """The translations of each published language, read from its catalog."""
    status: dict[str, dict[str, catalogs.Counts]]
    """Translation status by language and part."""
    inputs: dict[str, str]
    """Every input file by name, with the hash of its content (`sources.cache.inputs`)."""
    fingerprint: str
    """The hash of every input: sources, templates, settings, code, libraries (cache keys)."""
    history: str
    """The git refs of the repository: the editions that "What changed" may compare with."""
    changes: list[Change] | None
    """What changed since the previous edition; None when that edition cannot be read."""

    def edition(self, language: str | None = None) -> Edition:
        """The guidelines in one language (default: the source language); raises BuildError
        for a language that is not published."""
        guideline = self.guide.guideline
        language = language or guideline.source_language
        if language not in self.languages:
            raise BuildError([Diagnostic(
                self.layout.display(self.layout.guideline_file), 1, 1, "build.language",
                "languages", f"'{language}' is not one of the guideline's languages "
                f"({', '.join(guideline.languages)})")])
        lang = self.languages[language]
        return Edition(self, language, localized(self.guide, lang), Labels(lang.ui.gettext),
                       Localizer(language), lang.ui)

    def share(self, language: str) -> int | None:
        """How much of a language is translated, in whole percent rounded down, while some
        of its texts are not (None once all are, and for the source language)."""
        parts = self.status.get(language)
        if not parts:
            return None
        total = sum(parts.values(), catalogs.Counts())
        if total.translated == total.total:
            return None
        return total.translated * 100 // total.total

    def names(self) -> list[tuple[str, str]]:
        """Every language of the guideline, named in itself, and said in itself to be
        partial while it is: the language chooser's and the switcher's names."""
        named = []
        for code in self.guide.guideline.languages:
            name = Locale.parse(code).get_display_name(code) or code
            share = self.share(code)
            if share is not None:
                name += " (" + self.languages[code].ui.gettext(
                    "partial: %(share)d%%") % {"share": share} + ")"
            named.append((code, name))
        return named

    def partial_note(self, language: str) -> str | None:
        """What a partly translated language's pages say of it, in that language."""
        share = self.share(language)
        if share is None:
            return None
        return self.languages[language].ui.gettext(
            "This language is only partly translated: %(share)d%% of its texts. The rest "
            "shows in English, marked (EN).") % {"share": share}


def validated(layout: Layout, *, strict: bool = False, today: dt.date | None = None,
              again: bool = False) -> Validated:
    """Load and check every source once; raise BuildError when there is an error (with
    `strict`, also for warnings and notices). With `again` (serve, which validates after
    every edit), what was read is kept, so that the next validation reads only the files
    that changed."""
    sources, diagnostics = validate(layout, strict=strict, today=today)
    if not again:
        forget_files()
    if count(diagnostics, Severity.ERROR) or not sources.guideline:
        raise BuildError(diagnostics)
    guide = Guide.from_sources(sources, today)
    guideline = guide.guideline
    previous = guideline.previous_edition
    try:
        changes = history.since(layout, previous, sources) if previous else []
    except history.ChangeError:
        changes = None  # the page says the history could not be read
    inputs = cache.inputs(layout)
    return Validated(
        layout=layout, guide=guide, diagnostics=diagnostics,
        languages={code: load(layout, code, guideline.source_language)
                   for code in guideline.languages},
        status=catalogs.status(layout, sources, guideline.languages),
        inputs=inputs, fingerprint=cache.digest_of(inputs), history=history.refs(layout),
        changes=changes)


@dataclass(frozen=True)
class Edition:
    """The validated guidelines in one language: what every page and document shows."""

    validated: Validated
    language: str
    guide: Guide
    """The guide in this language, with English fallbacks marked."""
    labels: Labels
    loc: Localizer
    translations: gettext.NullTranslations

    @property
    def layout(self) -> Layout:
        """Where the sources and templates are."""
        return self.validated.layout

    @property
    def status(self) -> dict[str, dict[str, catalogs.Counts]]:
        """Translation status by language and part."""
        return self.validated.status

    @property
    def lang_is_source(self) -> bool:
        """Whether this is the language the guidelines are written in."""
        return self.language == self.guide.guideline.source_language

    @property
    def languages(self) -> list[tuple[str, str]]:
        """Every language of the guideline, named in itself (Validated.names)."""
        return self.validated.names()
