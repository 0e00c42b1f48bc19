"""The build driver: each language as its own mkdocs build, checked, then put in place at once.

mkdocs empties its site folder before it builds, so a failed build would destroy the last good
site. Here every language is built into a temporary folder beside the target; only when all of
them built without a warning and the checks passed does the new site replace the old one.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import jinja2
from babel import Locale
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from trmgen import sitecheck
from trmgen.diagnostics import Diagnostic, Severity, count
from trmgen.layout import Layout
from trmgen.plugin import LANGUAGE_VARIABLE, TrmgenPlugin
from trmgen.site import BuildError
from trmgen.validate import validate

# mkdocs asks to be told about its next major version on every run; the notice is not ours.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")


def build(layout: Layout, *, languages: Sequence[str] = (), out: Path | None = None,
          strict: bool = False) -> list[Diagnostic]:
    """Build the site of every language into `out` (default site/); return the diagnostics.

    Raises BuildError, leaving `out` as it was, when the content has errors (with `strict`,
    also warnings and sample data), a language fails to build, or a check fails.
    """
    sources, diagnostics = validate(layout, strict=strict)
    if count(diagnostics, Severity.ERROR) or not sources.guideline:
        raise BuildError(diagnostics)
    published = sources.guideline.model.languages
    wanted = list(languages) or list(published)
    unknown = [lang for lang in wanted if lang not in published]
    if unknown:
        raise BuildError([Diagnostic(layout.display(layout.guideline_file), 1, 1,
                                     "build.language", "languages",
                                     f"not among the guideline's languages: "
                                     f"{', '.join(unknown)}")])
    target = (out or layout.site).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".trmgen-build-", dir=target.parent))
    try:
        staging = work / "site"
        for language in wanted:
            _build_language(layout, language, staging / language, work)
        _write_index(layout, staging, wanted)
        problems = list(sitecheck.scan(staging))
        if problems:
            raise BuildError([Diagnostic("site", 1, 1, "build.unsafe-html", "", problem)
                              for problem in problems])
        _replace(target, staging, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return diagnostics


class _Collect(logging.Handler):
    """Keeps mkdocs' warnings and errors, to report them if the build fails."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _build_language(layout: Layout, language: str, dest: Path, work: Path) -> None:
    """One strict mkdocs build of one language."""
    docs = work / f"docs-{language}"
    docs.mkdir()
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    config = load_config(str(layout.mkdocs_config), site_dir=str(dest), docs_dir=str(docs),
                         strict=True)
    plugin = config.plugins["trmgen"]
    # The driver has reported the content's warnings itself; mkdocs counts only its own.
    plugin.config["language"] = language
    plugin.config["content_warnings"] = "info"
    try:
        mkdocs_build(config)
        # A 404 page works only at the root of a server, and its links point there.
        (dest / "404.html").unlink(missing_ok=True)
    except MkDocsException as exc:
        if isinstance(plugin, TrmgenPlugin) and plugin.failure:
            raise plugin.failure from None
        reasons = collect.messages or [str(exc)]
        raise BuildError([Diagnostic(layout.display(layout.mkdocs_config), 1, 1,
                                     "build.mkdocs", "", f"the {language} site failed to "
                                     f"build: {reason}") for reason in reasons]) from None
    finally:
        logger.removeHandler(collect)


def _write_index(layout: Layout, staging: Path, languages: list[str]) -> None:
    """site/index.html: a page to choose the language, each named in its own language."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(layout.templates),
                             undefined=jinja2.StrictUndefined, autoescape=True)
    choices = [(code, Locale.parse(code).get_display_name(code) or code) for code in languages]
    text = env.get_template("index.html.j2").render(languages=choices)
    (staging / "index.html").write_text(text, encoding="utf-8")


def _replace(target: Path, staging: Path, work: Path) -> None:
    """Put the new site in place with renames, so that readers never see half a site."""
    if target.exists():
        target.rename(work / "previous")
    staging.rename(target)


def serve(layout: Layout, language: str | None, address: str) -> None:
    """Live preview: rebuilds when a YAML file, a template or mkdocs.yml changes."""
    if language:
        os.environ[LANGUAGE_VARIABLE] = language
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    with tempfile.TemporaryDirectory(prefix="trmgen-serve-") as docs:
        mkdocs_serve(str(layout.mkdocs_config), livereload=True, dev_addr=address,
                     docs_dir=docs)
