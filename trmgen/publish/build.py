"""The build driver: every output of every language, checked, then put in place at once.

mkdocs empties its site folder before it builds, so a failed build would destroy the last good
site. Here everything is built into a temporary folder beside the target: the printed
documents (in worker processes, while the main process runs mkdocs), the offline copies, and
one mkdocs build per language. Only when all of them succeeded without a warning and the
checks passed does the new site replace the old one, by renaming folders.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import resource
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import jinja2
from babel import Locale
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from trmgen.checks.validate import validate
from trmgen.diagnostics import Diagnostic, Severity, count
from trmgen.print import documents as pdf
from trmgen.publish import downloads, opendata, sitecheck
from trmgen.publish.downloads import Download
from trmgen.sources import cache as memo
from trmgen.sources.layout import Layout
from trmgen.web.plugin import LANGUAGE_VARIABLE, SEARCH_LANGUAGES, TrmgenPlugin
from trmgen.web.site import BuildError, Edition, prepare

# mkdocs asks to be told about its next major version on every run; the notice is not ours.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

Report = Callable[[str], None]

KEEP_DAYS = 3
"""Charts and PDFs in the cache that no build has used for this long are deleted."""


def build_date() -> dt.date:
    """The date printed on the outputs: SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


@contextmanager
def _timed(report: Report, step: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    report(f"{step:<28} {time.perf_counter() - start:6.1f} s")


def build(layout: Layout, *, languages: Sequence[str] = (), out: Path | None = None,
          strict: bool = False, report: Report = lambda _: None) -> list[Diagnostic]:
    """Build the site, its downloads and offline copies into `out` (default site/).

    Returns the diagnostics. Raises BuildError, leaving `out` as it was, when the content has
    errors (with `strict`, also warnings and sample data), an output fails, or a check fails.
    `report` receives a line with the time of each step, and a last line with trmgen's
    own work (validating, generating the pages and the documents, all but mkdocs' rendering
    and the layout of the PDFs) and the processor time of the whole build.
    """
    used = _processor_seconds()
    begun = time.perf_counter()
    with _timed(report, "validate"):
        sources, diagnostics = validate(layout, strict=strict)
    own = time.perf_counter() - begun
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
    refuse_out(layout, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_work(target.parent)
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=target.parent))
    lock = _hold(work / LOCK)
    printed = build_date()
    root = layout.root.resolve()
    try:
        staging = work / "site"
        (staging / downloads.FOLDER).mkdir(parents=True)
        offline = work / "offline"
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            # The printed documents and the offline builds are independent: all at once.
            prints = {lang: pool.submit(_print_language, root, lang, staging, printed)
                      for lang in wanted}
            copies = {lang: pool.submit(_timed_build, root, lang, offline / lang, work,
                                        wanted, True, None) for lang in wanted}
            made: list[Download] = []
            for lang in wanted:
                files, seconds, generating = prints[lang].result()
                report(f"{'print ' + lang:<28} {seconds:6.1f} s")
                made += files
                seconds, pages = copies[lang].result()
                report(f"{'offline ' + lang:<28} {seconds:6.1f} s")
                own += generating + pages
            with _timed(report, "offline copies (zip)"):
                made += _zip_copies(layout, offline, staging, wanted, printed)
            listing = work / "downloads.json"
            downloads.save(made, listing)
            sites = {lang: pool.submit(_timed_build, root, lang, staging / lang, work, wanted,
                                       False, listing) for lang in wanted}
            for lang in wanted:
                seconds, pages = sites[lang].result()
                report(f"{'site ' + lang:<28} {seconds:6.1f} s")
                own += pages
        _write_index(layout, staging, wanted)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        with _timed(report, "check"):
            problems = list(sitecheck.scan(staging))
        if problems:
            raise BuildError([Diagnostic("site", 1, 1, "build.unsafe-html", "", problem)
                              for problem in problems])
        _replace(target, staging, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        lock.close()
    for cache in (layout.chart_cache, layout.print_cache):
        memo.prune(cache, KEEP_DAYS)
    used = _processor_seconds() - used
    step = "trmgen's own work"
    report(f"{step:<28} {own:6.1f} s of {used:.1f} s processor time ({own / used:.0%})")
    return diagnostics


MARKER = ".trmgen-site"
"""The file that marks a folder as a site made by `trmgen build`: only such a folder (or an
empty one, or none) is replaced by the next build."""
MARKER_TEXT = ("This folder was made by `trmgen build`, which replaces it whole on the next "
               "build.\n")
WORK_PREFIX = ".trmgen-build-"
"""The temporary folder of a build, beside its target."""
LOCK = ".lock"
"""Held (flock) by the build that works in a temporary folder, while it runs."""


def refuse_out(layout: Layout, target: Path) -> None:
    """Raise BuildError, before any work, for an output folder that a build would wreck: the
    repository or a folder that contains it, a folder of the sources, or a folder that holds
    something other than a site made by trmgen (the build replaces the folder whole)."""
    root = layout.root.resolve()
    shown = layout.display(target) if target.is_relative_to(root) else str(target)

    def refuse(why: str) -> BuildError:
        return BuildError([Diagnostic(shown, 1, 1, "build.out-folder", "--out",
                                      f"the site cannot be built here: {why}")])

    if root.is_relative_to(target):
        raise refuse("this folder holds the repository, which the build would delete; "
                     "choose a new folder, such as site/")
    protected = [*layout.source_folders(), layout.templates, layout.schemas,
                 layout.root / ".git", Path(__file__).resolve().parent]
    for folder in protected:
        if target.is_relative_to(folder.resolve()):
            raise refuse(f"it is inside {layout.display(folder)}/, which holds sources or "
                         "code; choose a folder of its own, such as site/")
    if target.exists() and not target.is_dir():
        raise refuse("a file of this name exists; choose another name")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise refuse(f"the folder is not empty and was not made by trmgen build (it has no "
                     f"{MARKER} file), and the build would replace everything in it; delete "
                     "it yourself, or choose another folder")


def _hold(path: Path) -> IO[bytes]:
    """An exclusive lock on a new file, held until the returned file is closed."""
    handle = path.open("wb")
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return handle


def clean_stale_work(folder: Path) -> None:
    """Delete the temporary folders that interrupted builds left in `folder`: those whose
    lock no running build holds (a folder younger than a minute may be a build that has not
    taken its lock yet)."""
    for work in folder.glob(WORK_PREFIX + "*"):
        if not work.is_dir() or work.is_symlink():
            continue
        lock = work / LOCK
        try:
            if not lock.exists():
                if time.time() - work.stat().st_mtime > 60:
                    shutil.rmtree(work, ignore_errors=True)
                continue
            with lock.open("rb") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(work, ignore_errors=True)
        except OSError:
            continue  # a running build holds it, or another build is cleaning it


def _processor_seconds() -> float:
    """The processor time of this process and of its finished workers."""
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                 resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


def _print_language(root: Path, language: str, staging: Path,
                    printed: dt.date) -> tuple[list[Download], float, float]:
    """The book, the contact sheets, the form and the open data of one language (run in a
    worker). Returns what it made, its seconds, and the seconds of trmgen's own work: all
    but the layout of the PDFs. Kept in the cache for the next build of the same sources."""
    start = time.perf_counter()
    layout = Layout(root)
    laying = 0.0

    def make() -> list[tuple[str, str, str | None, bytes]]:
        nonlocal laying
        edition = prepare(layout, language)
        folder = downloads.FOLDER
        countries = list(edition.guide.countries)
        documents: list[tuple[str, str, pdf.Printable | str, bool]] = [
            (f"{folder}/trm-guidelines-{language}.pdf", "book", pdf.book(edition, printed),
             False),
            (f"{folder}/trm-contacts-{language}.pdf", "contacts",
             pdf.contacts_html(edition, printed, countries), False),
            (f"{folder}/trm-referral-form-{language}.pdf", "form",
             pdf.form_html(edition, printed), True),
        ]
        files: list[tuple[str, str, str | None, bytes]] = [
            (f"{folder}/contacts/{language}/{country.code.lower()}.html", "sheet", language,
             pdf.contacts_html(edition, printed, [country]).encode("utf-8"))
            for country in countries]
        files.append((f"{folder}/trm-guidelines-{language}.json", "data", language,
                      opendata.guidelines_json(edition.guide, language).encode("utf-8")))
        if language == edition.guide.guideline.source_language:
            files += [(path, "data", None, content)
                      for path, content in _contact_data(edition).items()]
        begun = time.perf_counter()
        laid = [(path, kind, language, pdf.to_pdf(document, forms=forms,
                                                   cache=layout.print_cache))
                for path, kind, document, forms in documents]
        laying = time.perf_counter() - begun
        return laid + files

    # The day counts besides the printed date: it tells which contacts are due for a check.
    key = (memo.fingerprint(layout), language, printed, dt.date.today())
    files = memo.remembered(layout, f"print-{language}", key, make)
    made = [_write(staging, path, kind, lang, printed, content)
            for path, kind, lang, content in files]
    seconds = time.perf_counter() - start
    return made, seconds, seconds - laying


def _contact_data(edition: Edition) -> dict[str, bytes]:
    """The open data that is the same in every language: schema, CSV, HSDS, vCards."""
    folder, guide, loc = downloads.FOLDER, edition.guide, edition.loc
    files = {
        f"{folder}/trm-guidelines.schema.json": opendata.guidelines_schema().encode(),
        f"{folder}/trm-contacts.csv": opendata.contacts_csv(guide).encode(),
        f"{folder}/trm-contacts-hsds.json": opendata.hsds(guide, loc).encode(),
    }
    for country in guide.countries:
        cards = {inst.id: opendata.vcard(guide, country, inst, loc)
                 for inst in country.contacts.institutions}
        code = country.code.lower()
        files[f"{folder}/vcards/{code}.vcf"] = "".join(cards.values()).encode()
        for inst_id, card in cards.items():
            files[f"{folder}/vcards/{code}/{inst_id}.vcf"] = card.encode()
    return files


def _write(staging: Path, path: str, kind: str, language: str | None, printed: dt.date,
           content: bytes) -> Download:
    (staging / path).parent.mkdir(parents=True, exist_ok=True)
    (staging / path).write_bytes(content)
    return downloads.record(staging, path, kind, language, printed)


def _zip_copies(layout: Layout, offline: Path, staging: Path, languages: list[str],
                printed: dt.date) -> list[Download]:
    """The offline copies: one per language, and one with every language."""
    _write_index(layout, offline, languages)
    made = []
    sets: list[tuple[str, str | None]] = [(f"trm-guidelines-{lang}", lang)
                                          for lang in languages]
    if len(languages) > 1:
        sets.append(("trm-guidelines-all", None))
    for name, only in sets:
        path = f"{downloads.FOLDER}/{name}-offline.zip"
        together = [only] if only else languages
        searched = {SEARCH_LANGUAGES.get(lang, lang) for lang in together}
        index = _index_page(layout, together).encode("utf-8") if only else None
        downloads.zip_folder(offline, staging / path, name, searched, only=only, index=index)
        made.append(downloads.record(staging, path, "offline", only, printed))
    return made


def _timed_build(root: Path, language: str, dest: Path, work: Path, languages: list[str],
                 offline: bool, listing: Path | None) -> tuple[float, float]:
    """One mkdocs build in a worker process; returns the seconds it took, and the seconds
    of trmgen's own work in it (generating the pages)."""
    start = time.perf_counter()
    own = _build_language(Layout(root), language, dest, work, languages=languages,
                          offline=offline, listing=listing)
    return time.perf_counter() - start, own


class _Collect(logging.Handler):
    """Keeps mkdocs' warnings and errors, to report them if the build fails."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _build_language(layout: Layout, language: str, dest: Path, work: Path, *,
                    languages: list[str], offline: bool = False,
                    listing: Path | None = None) -> float:
    """One strict mkdocs build of one language; returns the seconds that trmgen's plugin
    took to generate the pages."""
    docs = Path(tempfile.mkdtemp(prefix=f"docs-{language}-", dir=work))
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    config = load_config(str(layout.mkdocs_config), site_dir=str(dest), docs_dir=str(docs),
                         strict=True)
    plugin = config.plugins["trmgen"]
    # The driver has reported the content's warnings itself; mkdocs counts only its own.
    plugin.config["language"] = language
    plugin.config["languages"] = languages
    plugin.config["content_warnings"] = "info"
    plugin.config["downloads"] = str(listing) if listing else None
    config.plugins["material/offline"].config["enabled"] = offline
    try:
        mkdocs_build(config)
        return plugin.seconds if isinstance(plugin, TrmgenPlugin) else 0.0
    except MkDocsException as exc:
        if isinstance(plugin, TrmgenPlugin) and plugin.failure:
            raise plugin.failure from None
        reasons = collect.messages or [str(exc)]
        raise BuildError([Diagnostic(layout.display(layout.mkdocs_config), 1, 1,
                                     "build.mkdocs", "", f"the {language} site failed to "
                                     f"build: {reason}") for reason in reasons]) from None
    finally:
        logger.removeHandler(collect)


def _index_page(layout: Layout, languages: list[str]) -> str:
    """A page to choose the language, each named in its own language."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(layout.templates),
                             undefined=jinja2.StrictUndefined, autoescape=True)
    choices = [(code, Locale.parse(code).get_display_name(code) or code) for code in languages]
    return env.get_template("index.html.j2").render(languages=choices)


def _write_index(layout: Layout, folder: Path, languages: list[str]) -> None:
    """folder/index.html: the language chooser."""
    (folder / "index.html").write_text(_index_page(layout, languages), encoding="utf-8")


def _replace(target: Path, staging: Path, work: Path) -> None:
    """Put the new site in place with renames, so that readers never see half a site."""
    if target.exists():
        target.rename(work / "previous")
    staging.rename(target)


def _quiet_dirty(record: logging.LogRecord) -> bool:
    """mkdocs warns on every dirty rebuild that the navigation may be out of date; the
    plugin renders again every page whose navigation changed, so the warning does not apply."""
    return "'dirty' build" not in record.getMessage()


def serve(layout: Layout, language: str | None, address: str) -> None:
    """Live preview: rebuilds when a YAML file, a template or mkdocs.yml changes."""
    if language:
        os.environ[LANGUAGE_VARIABLE] = language
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    with tempfile.TemporaryDirectory(prefix="trmgen-serve-") as docs:
        # Dirty: the plugin marks what changed, so only that is rendered again.
        logging.getLogger("mkdocs.commands.build").addFilter(_quiet_dirty)
        mkdocs_serve(str(layout.mkdocs_config), livereload=True, dev_addr=address,
                     docs_dir=docs, build_type="dirty")
