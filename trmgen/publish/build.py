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
import multiprocessing
import os
import resource
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import jinja2

from trmgen.content.edition import Validated, validated
from trmgen.diagnostics import BuildError, Diagnostic
from trmgen.print.pdf import engine
from trmgen.publish import documents, downloads, sitecheck
from trmgen.sources import cache
from trmgen.sources.layout import Layout
from trmgen.web import kept
from trmgen.web.pages import DOWNLOADS_FOLDER, FILES, Download
from trmgen.web.plugin import Job, build_site, check_settings
from trmgen.web.templates import SourceLoader

# mkdocs asks to be told about its next major version on every run; the notice is not ours.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

Progress = Callable[[str], None]

def build_date() -> dt.date:
    """The date printed on the outputs: SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


@contextmanager
def _timed(progress: Progress, step: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    progress(f"{step:<28} {time.perf_counter() - start:6.1f} s")


def build(layout: Layout, *, languages: Sequence[str] = (), out: Path | None = None,
          strict: bool = False, progress: Progress = lambda _: None) -> list[Diagnostic]:
    """Build the site, its downloads and offline copies into `out` (default site/).

    Returns the diagnostics. Raises BuildError, leaving `out` as it was, when the output
    folder is one a build would wreck, when the content has errors (with `strict`, also
    warnings and sample data), an output fails, or a check fails. `progress` receives a line
    with the time of each step, and a last line with trmgen's own work (validating,
    generating the pages and the documents, all but mkdocs' rendering and the layout of the
    PDFs) and the processor time of the whole build.
    """
    used = _processor_seconds()
    target = (out or layout.site).resolve()
    refuse_out(layout, target)
    unpublishable = check_settings(layout, strict=strict)
    begun = time.perf_counter()
    with _timed(progress, "validate"):
        try:
            edition = validated(layout, strict=strict)
        except BuildError as exc:
            raise BuildError([*unpublishable, *exc.diagnostics]) from None
    if unpublishable:
        raise BuildError(unpublishable)
    own = time.perf_counter() - begun
    published = edition.guide.guideline.languages
    wanted = list(languages) or list(published)
    unknown = [lang for lang in wanted if lang not in published]
    if unknown:
        raise BuildError([Diagnostic(layout.display(layout.guideline_file), 1, 1,
                                     "build.language", "languages",
                                     f"not among the guideline's languages: "
                                     f"{', '.join(unknown)}")])
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_work(target.parent)
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=target.parent))
    lock = _hold(work / LOCK)
    try:
        staging = work / "site"
        (staging / DOWNLOADS_FOLDER).mkdir(parents=True)
        with _interruptible():
            own += _make(edition, wanted, work, staging, progress)
        _replace(target, staging, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        lock.close()
    cache.prune()
    used = _processor_seconds() - used
    step = "trmgen's own work"
    progress(f"{step:<28} {own:6.1f} s of {used:.1f} s processor time ({own / used:.0%})")
    return edition.diagnostics


_EDITION: Validated | None = None
"""The validated edition, in a worker process: inherited from the driver when it forks."""


def _adopt(edition: Validated) -> None:
    """A worker starts: it takes the driver's edition, and ends at once on Ctrl-C (the
    driver reports it; a worker's traceback would only hide that)."""
    global _EDITION
    _EDITION = edition
    signal.signal(signal.SIGINT, lambda *_: os._exit(130))


def _edition() -> Validated:
    assert _EDITION is not None, "a worker of a build runs with the driver's edition"
    return _EDITION


@contextmanager
def _interruptible() -> Iterator[None]:
    """Ctrl-C while the workers run is an interruption, noticed where it is safe: the handler
    only notes it (a KeyboardInterrupt raised inside a fork's lock handling would be
    swallowed and leave the lock held), the workers that Ctrl-C ended break the pool, and
    the driver then stops with KeyboardInterrupt. A worker forked while this is in place has
    this handler until it sets its own: there Ctrl-C ends it at once, as its own does."""
    interrupted = False
    driver = os.getpid()

    def note(*_: object) -> None:
        nonlocal interrupted
        if os.getpid() != driver:
            os._exit(130)
        interrupted = True

    before = signal.signal(signal.SIGINT, note)
    try:
        yield
    except BrokenProcessPool:
        if interrupted:
            raise KeyboardInterrupt from None
        raise
    finally:
        signal.signal(signal.SIGINT, before)
    if interrupted:
        raise KeyboardInterrupt


def _make(edition: Validated, wanted: list[str], work: Path, staging: Path,
          progress: Progress) -> float:
    """Every output into `staging`, in worker processes that inherit the validated edition
    (forked: nothing is validated or read again), each copy of a language's pages checked by
    the worker that built it (sitecheck). Raises BuildError with every problem found.
    Returns the seconds of trmgen's own work."""
    printed = build_date()
    layout = edition.layout
    names = {code: name for code, name in edition.names() if code in wanted}
    offline = work / "offline"
    offline.mkdir()
    _write_index(layout, offline, names)
    own = 0.0
    problems: list[Diagnostic] = []
    if not all(documents.kept(edition, lang, printed) for lang in wanted):
        engine()  # imported once, here, rather than in each worker, which inherits it
    workers = ProcessPoolExecutor(max_workers=os.cpu_count() or 1, initializer=_adopt,
                                  initargs=(edition,),
                                  mp_context=multiprocessing.get_context("fork"))
    with workers as pool:
        # The printed documents and the offline builds are independent: all at once, and
        # each offline copy zipped as soon as it is built.
        prints = {lang: pool.submit(_documents, lang, printed) for lang in wanted}
        copies = {lang: pool.submit(_site, Job(None, lang, tuple(wanted), offline=True,
                                               keep=True), offline, lang, work)
                  for lang in wanted}
        made: list[Download] = []
        zips: list[tuple[Future[str], str | None]] = []
        for lang in wanted:
            files, seconds, generating = prints[lang].result()
            progress(f"{'print ' + lang:<28} {seconds:6.1f} s")
            made += [_write(staging, file, printed) for file in files]
            seconds, pages, found = copies[lang].result()
            progress(f"{'offline ' + lang:<28} {seconds:6.1f} s")
            own += generating + pages
            problems += found
            index = _index_page(layout, {lang: names[lang]})  # what opens its copy
            problems += sitecheck.scan_page(index, f"trm-guidelines-{lang}/index.html", layout,
                                            "offline")
            zips.append((pool.submit(_zip, offline, staging, lang, index), lang))
        if len(wanted) > 1:
            zips.append((pool.submit(_zip, offline, staging, None, None), None))
        with _timed(progress, "offline copies (zip)"):
            made += [downloads.record(staging, done.result(), "offline", lang, printed)
                     for done, lang in zips]
        sites = {lang: pool.submit(_site, Job(None, lang, tuple(wanted), downloads=made,
                                              keep=True), staging, lang, work)
                 for lang in wanted}
        for lang in wanted:
            seconds, pages, found = sites[lang].result()
            progress(f"{'site ' + lang:<28} {seconds:6.1f} s")
            own += pages
            problems += found
    _write_index(layout, staging, names)
    problems += sitecheck.scan(staging, layout, but=wanted)
    if problems:
        raise BuildError(problems)
    (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    return own


def _documents(language: str, printed: dt.date) -> tuple[list[documents.Made], float, float]:
    """The downloads of one language (in a worker): the files, the seconds, and the seconds
    of trmgen's own work (all but the layout of the PDFs)."""
    start = time.perf_counter()
    files, laying = documents.made(_edition(), language, printed)
    seconds = time.perf_counter() - start
    return files, seconds, seconds - laying


def _site(job: Job, site: Path, language: str, work: Path) -> tuple[float, float,
                                                                    list[Diagnostic]]:
    """One mkdocs build of a language into its folder of `site` (in a worker), checked;
    returns its seconds, the seconds of trmgen's own work in it (generating the pages), and
    the problems that the check found. The pages it rendered are kept for the next build
    once the build and the check passed (web.kept): the check need not read a kept page
    again, whose bytes it passed when they were made."""
    start = time.perf_counter()
    job.validated = _edition()
    layout = job.validated.layout
    build_site(layout, job, site / language, work)
    problems = list(sitecheck.scan(site, layout, within=language, passed=job.reused,
                                   copy="offline" if job.offline else "site"))
    if not problems:
        kept.keep(job.made)
    return time.perf_counter() - start, job.seconds, problems


def _zip(offline: Path, staging: Path, language: str | None, index: str | None) -> str:
    """The offline copy of one language (with the page to choose it, `index`), or of all
    (in a worker); returns its path in the site."""
    path = FILES.offline(language or "all")
    downloads.zip_folder(offline, staging / path, f"trm-guidelines-{language or 'all'}",
                         only=language, index=index.encode("utf-8") if index else None)
    return path


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


def _write(staging: Path, file: documents.Made, printed: dt.date) -> Download:
    (staging / file.path).parent.mkdir(parents=True, exist_ok=True)
    (staging / file.path).write_bytes(file.content)
    return downloads.record(staging, file.path, file.kind, file.language, printed)


def _index_page(layout: Layout, names: dict[str, str]) -> str:
    """A page to choose the language (`names`: each named in itself)."""
    env = jinja2.Environment(loader=SourceLoader([layout.templates]),
                             undefined=jinja2.StrictUndefined, autoescape=True)
    return env.get_template("index.html.j2").render(languages=list(names.items()))


def _write_index(layout: Layout, folder: Path, names: dict[str, str]) -> None:
    """folder/index.html: the language chooser."""
    (folder / "index.html").write_text(_index_page(layout, names), encoding="utf-8")


def _replace(target: Path, staging: Path, work: Path) -> None:
    """Put the new site in place with renames, so that readers never see half a site."""
    if target.exists():
        target.rename(work / "previous")
    staging.rename(target)
