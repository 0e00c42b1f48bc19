"""The whole pipeline for one language, without mkdocs: sources -> validated guide -> pages."""

from __future__ import annotations

import datetime as dt
import gettext
import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2

from trmgen.diagnostics import Diagnostic, Severity, count
from trmgen.guide import Guide
from trmgen.labels import Labels
from trmgen.layout import Layout
from trmgen.localize import Localizer, phone, tel_uri
from trmgen.model import ALL_FORMS
from trmgen.pages import PATHS, Nav, plan
from trmgen.render import Renderer
from trmgen.validate import validate


class BuildError(Exception):
    """The content or a template is not fit to publish; carries the problems."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.text() for d in diagnostics))
        self.diagnostics = diagnostics


@dataclass(frozen=True)
class RenderedPage:
    """A page's source path, title and Markdown text."""

    src: str
    title: str
    text: str


@dataclass(frozen=True)
class Site:
    """The generated pages of one language, their navigation, and what validation said."""

    language: str
    title: str
    pages: list[RenderedPage]
    nav: Nav
    diagnostics: list[Diagnostic]


def generate(layout: Layout, language: str | None = None, *, directory_urls: bool = True,
             today: dt.date | None = None) -> Site:
    """Validate the sources and render every page; raise BuildError on any error.

    The language defaults to the guideline's source language.
    """
    sources, diagnostics = validate(layout, today=today)
    if count(diagnostics, Severity.ERROR):
        raise BuildError(diagnostics)
    guide = Guide.from_sources(sources, today)
    language = language or guide.guideline.source_language
    if language not in guide.guideline.languages:
        raise BuildError([Diagnostic(
            layout.display(layout.guideline_file), 1, 1, "build.language", "languages",
            f"'{language}' is not one of the guideline's languages "
            f"({', '.join(guide.guideline.languages)})")])
    translations = gettext.NullTranslations()
    labels = Labels(translations.gettext)
    loc = Localizer(language)
    pages, nav = plan(guide, labels, loc)
    renderer = Renderer(layout.page_templates, directory_urls=directory_urls,
                        translations=translations)
    shared = {"guide": guide, "labels": labels, "loc": loc, "paths": PATHS,
              "language": language, "tel": tel_uri, "phone": phone, "all_forms": ALL_FORMS}
    rendered = []
    for page in pages:
        try:
            text = renderer.render(page.template, page.src,
                                   {**shared, **page.values, "title": page.title})
        except jinja2.TemplateError as exc:
            raise BuildError([_template_problem(layout, exc)]) from None
        rendered.append(RenderedPage(page.src, page.title, text))
    return Site(language, guide.guideline.title, rendered, nav, diagnostics)


def _template_problem(layout: Layout, exc: jinja2.TemplateError) -> Diagnostic:
    """A template error at the template's file and line."""
    path, line = "templates", 1
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        path, line = exc.filename, exc.lineno
    else:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith(".j2"):
                path, line = frame.filename, frame.lineno or 1
                break
    shown = layout.display(Path(path).resolve()) if path != "templates" else path
    return Diagnostic(shown, line, 1, "template.error", "", f"{exc.message or exc}; the "
                      "template must be fixed before the site can be built")
