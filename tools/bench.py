"""Benchmark (make bench): the guidelines grown to several sizes, each stage timed.

Sizes (--sizes 1,10,50): synthetic sources repeat the shipped measures and countries N times
(new ids, `next` edges within each copy, new valid countries), so they validate like the real
ones; the sites and documents are built in English (the other languages are validated).
For each size it prints the time and the peak memory of each stage: validation (cold, and
as `trmgen validate` runs after an edit of the content), the validated edition that a build
makes once and hands to every stage, pages with
charts (nothing cached, the charts cached, and kept from the last run), one mkdocs build,
a bare mkdocs-material build of the same pages with the same theme and settings but without
trmgen, the offline copy, and the printed documents (from nothing, and after a one-field
edit). Each stage runs in a new process, so
the memory is the stage's own.

Languages (--languages 1,5,10): the whole `trmgen build` at 1x (sites, offline copies,
printed documents, zips, checks) with that many languages, from empty caches, again with
nothing changed, after a one-field edit (which makes the translations partial, as every
page then says) and a second one (which leaves them as they were), and after two edits of a
page template (a comment, then a sentence on every measure's page), with trmgen's own share
of the processor time as the build reports it. The five shipped languages come first;
beyond them, copies of the French catalog stand in for translations into further
languages.

Hostile inputs (--hostile): validation of source files that a pull request could send to
make CI slow, each at the size limit: deep nesting, a million values, a million problems.

Preview (--serve N): N one-field edits of a measure's text and N of its title in
`trmgen serve` on the shipped guidelines, with the measure's page in view: the seconds until
the served page shows each, and until the whole preview (every page, the search) holds it.

Countries (--countries 12,50,240): the English site with that many countries, generated and
built by mkdocs-material with and without the view of two countries (its page and the data
of each country), the size of each, the view's first load with two countries' data, and the
milliseconds from choosing another country until its numbers show (Chromium).

Search (with each size, or alone with --search-only): the site in every shipped language,
searched in Chromium with its processor slowed down 4 times (a mid-range phone): from the
first key typed to the first results, from the last key to the results of the whole query,
and what the search fetched.

Usage: python tools/bench.py [--sizes 1,10,50] [--languages 1,6,10] [--serve 5]
       [--countries 12,50,240] [--search-only]
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
import pycountry
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.keyboard import type_keys  # noqa: E402
from trmgen.checks.validate import validate  # noqa: E402
from trmgen.content.edition import validated  # noqa: E402
from trmgen.print import documents as printed_html  # noqa: E402
from trmgen.print.binding import bound_pdf  # noqa: E402
from trmgen.publish import build, documents  # noqa: E402
from trmgen.sources import (  # noqa: E402
    cache,
    phones,
    strict_yaml,
)
from trmgen.sources.layout import Layout  # noqa: E402
from trmgen.sources.strict_yaml import MAX_BYTES, parse_bytes  # noqa: E402
from trmgen.web.pages import DOWNLOADS_FOLDER  # noqa: E402
from trmgen.web.plugin import Job, build_site  # noqa: E402
from trmgen.web.site import generate  # noqa: E402

# At 50x an SOP's file holds more values than a source file may (a guard against hostile
# files): the bench lifts that guard for its own synthetic sources, in every process it
# starts (each imports this module). The hostile inputs are timed with the guard as shipped.
SHIPPED_MAX_VALUES = strict_yaml.MAX_VALUES
strict_yaml.MAX_VALUES = 10 * SHIPPED_MAX_VALUES

SHIPPED_LANGUAGES = ["en", "fr", "bg", "ro", "ar", "uk"]
STAND_INS = ["de", "es", "it", "nl", "pl", "pt", "sv", "fi", "da", "hu"]
"""Languages that lunr.js and mkdocs-material both know, to stand in for further languages."""


def _data(path: Path) -> Any:
    return parse_bytes(path.read_bytes(), path.name)[0].data


def _dump(path: Path, data: Any, like: Path) -> None:
    """Write data as YAML, under the first line (the schema line) of the file `like`."""
    schema_line = like.read_text(encoding="utf-8").split("\n", 1)[0]
    path.write_text(schema_line + "\n" + yaml.safe_dump(data, allow_unicode=True,
                                                        sort_keys=False), encoding="utf-8")


def _spare_countries(used: set[str], count: int) -> list[str]:
    """Up to `count` more countries: the world has some 240, so 50x holds all of them."""
    spare = [c.alpha_2 for c in pycountry.countries
             if c.alpha_2 not in used and phonenumbers.example_number(c.alpha_2)
             and _has_sample_numbers(c.alpha_2)]
    return sorted(spare)[:count]


def _has_sample_numbers(code: str) -> bool:
    """Whether the country has numbers that reach nobody, for sample data."""
    try:
        phones.fictional(code)
    except LookupError:
        return False
    return True


def synthesize(size: int, dest: Path, languages: list[str],
               country_count: int | None = None) -> None:
    """Copy the project, repeat its measures and countries `size` times (or give it
    `country_count` countries in all), set the languages."""
    for part in ("guidelines", "contacts", "flowcharts", "templates", "schemas"):
        shutil.copytree(ROOT / part, dest / part)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    layout = Layout(dest)
    sops = {path: _data(path) for path in layout.sop_files()}
    ids = [m["id"] for data in sops.values() for m in data["measures"]]
    for path, data in sops.items():
        originals = list(data["measures"])
        copies = []
        for copy in range(2, size + 1):
            rename = {i: f"{i}-{copy}" for i in ids}
            for measure in originals:
                clone = yaml.safe_load(yaml.safe_dump(measure))
                clone["id"] = rename[measure["id"]]
                clone["related"] = [rename[r] for r in clone.get("related", [])]
                for edge in clone.get("next", []):
                    edge["to"] = rename[edge["to"]]
                data["measures"].append(clone)
            copies.append(rename[originals[0]["id"]])
        # Each copy is reached from the SOP's first measure, so that every path to a contact
        # abroad still passes the safeguards, as in the guidelines.
        originals[0].setdefault("next", []).extend({"to": first} for first in copies)
        if size > 1:
            _dump(path, data, path)
    countries = {path.stem: _data(path) for path in layout.contact_files()}
    template_path = layout.contact_files()[0]
    template = countries[template_path.stem]
    more = len(countries) * (size - 1) if country_count is None else (
        country_count - len(countries))
    for code in _spare_countries(set(countries), more):
        data = yaml.safe_load(yaml.safe_dump(template))
        number = phones.fictional(code)  # sample data: a number that reaches nobody
        for inst in data["institutions"]:
            inst["id"] = f"{code.lower()}-{inst['id'].split('-', 1)[1]}"
            for line in inst.get("phones", []):
                line["number"] = number
        _dump(layout.contacts / f"{code}.yaml", data, template_path)
    french = (layout.translations / "fr.po").read_text(encoding="utf-8")
    for code in languages:
        if code not in SHIPPED_LANGUAGES:
            (layout.translations / f"{code}.po").write_text(
                french.replace('"Language: fr\\n"', f'"Language: {code}\\n"'), encoding="utf-8")
    guideline = _data(layout.guideline_file)
    guideline["languages"] = languages
    _dump(layout.guideline_file, guideline, layout.guideline_file)


# Each stage runs in a new process (spawned, not forked, so it starts small), which returns
# its seconds, the peak resident memory in MB of it or of its largest worker, and a result.

def _in_process(step: Callable[..., Any], *args: Any) -> tuple[float, float, Any]:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_measure, step, *args).result()


def _measure(step: Callable[..., Any], *args: Any) -> tuple[float, float, Any]:
    start = time.perf_counter()
    result = step(*args)
    seconds = time.perf_counter() - start
    # The process's own peak (ru_maxrss of a spawned process starts from its parent's).
    own = next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines()
               if line.startswith("VmHWM:"))
    peak = max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return seconds, peak / 1024, result


def _clear(*kinds: str) -> None:
    """Empty parts of the cache (the bench runs with a cache folder of its own)."""
    for kind in kinds:
        shutil.rmtree(cache.folder() / kind, ignore_errors=True)


def _validate_cold(root: Path) -> int:
    """Validation with nothing kept: the strings of the templates and the code extracted."""
    _clear("strings")
    return len(validate(Layout(root))[1])


def _validate_command(root: Path) -> int:
    """`trmgen validate` after an edit of the content: the strings of the templates and the
    code are kept from an earlier run; validation itself is never kept."""
    return len(validate(Layout(root))[1])


def _validated(root: Path) -> int:
    """What a build does first: validation, the translations, the history, once."""
    return len(validated(Layout(root)).diagnostics)


def _pages_cold(root: Path) -> int:
    _clear("rendered", "pages", "charts")
    return len(generate(validated(Layout(root)), "en").pages)


def _pages_warm(root: Path) -> int:
    """The pages made again, as after an edit that leaves the charts as they were."""
    _clear("rendered", "pages")
    return len(generate(validated(Layout(root)), "en").pages)


def _pages_kept(root: Path) -> int:
    """The pages of unchanged sources, kept from the last run."""
    return len(generate(validated(Layout(root)), "en").pages)


def _mkdocs(root: Path, dest: Path, offline: bool) -> None:
    layout = Layout(root)
    build_site(layout, Job(validated(layout), "en", ("en",), offline=offline), dest,
               root.parent)


def _bare(root: Path, dest: Path) -> float:
    """mkdocs-material with the same configuration on the same generated Markdown, without
    trmgen; returns the seconds of the mkdocs build alone."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    site = generate(validated(Layout(root)), "en")
    docs = root.parent / "bare-docs"
    for src, content in [(p.src, p.text.encode()) for p in site.pages] + list(site.files.items()):
        (docs / src).parent.mkdir(parents=True, exist_ok=True)
        (docs / src).write_bytes(content)
    start = time.perf_counter()
    config = load_config(str(root / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(dest),
                         plugins=["search"])
    config.nav = site.nav
    mkdocs_build(config)
    return time.perf_counter() - start


def _print(root: Path, dest: Path) -> int:
    _clear("print")
    return _print_again(root, dest)


def _book(root: Path, dest: Path) -> int:  # noqa: ARG001 (every stage is given a folder)
    """The book alone, laid out by parts from nothing and bound: its peak memory is the
    book's (#21 point 2)."""
    _clear("print", "book-numbers")
    edition = validated(Layout(root)).edition("en")
    return len(bound_pdf(printed_html.book(edition, build.build_date())))


def _print_again(root: Path, dest: Path) -> int:  # noqa: ARG001 (every stage is given a folder)
    """The printed documents after an edit: the chapters of the book laid out before are
    kept (the cache's "print" entries), the rest made again."""
    _clear("documents")
    made, _ = documents.made(validated(Layout(root)), "en", build.build_date())
    return len(made)


def _offline_copy(root: Path, dest: Path) -> dict[str, float]:
    """The English offline copy as the build zips it: its size unzipped and zipped."""
    _mkdocs(root, dest / "en", True)
    staging = root.parent / "zipped"
    (staging / DOWNLOADS_FOLDER).mkdir(parents=True)
    names = {"en": "English"}
    build._write_index(Layout(root), dest, names)
    path = build._zip(dest, staging, "en", build._index_page(Layout(root), names))
    return bundle_sizes(staging / path)


SEARCHED = {
    "en": ["guardian", "compensation", "residence permit"],
    "fr": ["tuteur", "indemnisation", "titre de séjour"],
    "bg": ["настойник", "обезщетение", "убежище"],
    "ro": ["tutore", "despăgubiri", "azil"],
    "ar": ["تعويض", "وصي", "الحماية الدولية"],
    "uk": ["опікун", "компенсація", "міжнародний захист"],
}
"""What a practitioner types, in each language (from tests/test_search.py)."""

THROTTLE = 4
"""Chromium's processor slowed down this many times: a mid-range phone."""


def _site_in(root: Path, dest: Path, language: str) -> None:
    layout = Layout(root)
    build_site(layout, Job(validated(layout), language, (language,)), dest, root.parent)


@contextmanager
def _static(site: Path) -> Iterator[str]:
    """The folder `site` served over http on this machine, quietly: its address."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *_: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


def _requests(page: Any) -> list[str]:
    """The addresses that `page` fetches from now on (a list that grows)."""
    loaded: list[str] = []
    page.on("requestfinished", lambda request: loaded.append(request.url))
    return loaded


def _search_speed(site: Path, language: str) -> dict[str, float]:
    """The search of the site in `language` in Chromium, its processor slowed down THROTTLE
    times, from a fresh browser for each query: the reader opens the search on a measure
    page and types a query, ten letters a second. Milliseconds from the first key to the
    first results shown, and from the last key to the results of the whole query (the
    worst of the queries); and what the search fetched (KB, gzip, the most of any query)."""
    from playwright.sync_api import sync_playwright

    first, whole, fetched = [], [], []
    with _static(site) as address, sync_playwright() as playwright:
        page_url = f"{address}measures/first-screening/"
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for words in SEARCHED[language]:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(page_url, wait_until="networkidle")
            loaded = _requests(page)
            page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate",
                                                     {"rate": THROTTLE})
            page.evaluate("""() => {
                window.trmTimes = {keys: [], shown: []};
                addEventListener('keydown', () => trmTimes.keys.push(performance.now()), true);
                const list = document.querySelector('.md-search-result__list');
                new MutationObserver(() => {
                    if (list.querySelector('.md-search-result__item')) {
                        trmTimes.shown.push(performance.now());
                    }
                }).observe(list, {childList: true, subtree: true});
            }""")
            page.locator("input.md-search__input").click()
            type_keys(page, words, delay=0.1)
            # The results of the whole query: the last shown after the last key, when
            # nothing more has changed for 1.5 s.
            settled = """() => {
                const shown = trmTimes.shown, keys = trmTimes.keys;
                const last = shown[shown.length - 1];
                return last > keys[keys.length - 1] && performance.now() - last > 1500;
            }"""
            deadline = time.monotonic() + 60
            while not page.evaluate(settled):  # polled from here: waiting in the page with
                if time.monotonic() > deadline:  # a long timeout stalls when throttled
                    raise SystemExit(f"the search for {words!r} ({language}) did not settle")
                time.sleep(0.1)
            keys, shown = page.evaluate("[trmTimes.keys, trmTimes.shown]")
            first.append(shown[0] - keys[0])
            whole.append(shown[-1] - keys[-1])
            fetched.append(sum(len(gzip.compress((site / urlsplit(url).path.lstrip("/"))
                                                 .read_bytes())) for url in loaded
                               if "/search/" in urlsplit(url).path))
            context.close()
        browser.close()
    return {"first results (ms)": max(first), "whole query (ms)": max(whole),
            "fetched (KB, gzip)": max(fetched) / 1e3}


def bundle_sizes(path: Path) -> dict[str, float]:
    with zipfile.ZipFile(path) as archive:
        unzipped = sum(info.file_size for info in archive.infolist())
    return {"MB unzipped": unzipped / 1e6, "MB zipped": path.stat().st_size / 1e6}


OWN_WORK = re.compile(r"trmgen's own work +([0-9.]+) s of ([0-9.]+) s")


def _whole_build(root: Path, languages: list[str]) -> dict[str, Any]:
    """The whole build; its processor seconds (with its workers'), trmgen's own seconds as
    the build reports them, and its offline copies."""
    lines: list[str] = []
    build.build(Layout(root), languages=languages, out=root.parent / "site",
                progress=lines.append)
    own = next(m for m in map(OWN_WORK.match, lines) if m)
    copies = sorted((root.parent / "site" / DOWNLOADS_FOLDER).glob("*-offline.zip"))
    return {"own": float(own[1]), "cpu": float(own[2]),
            "copies": {path.name: bundle_sizes(path) for path in copies}}


def edit_a_measure(root: Path, mark: str) -> None:
    """A one-field edit: a sentence added to the first measure's text."""
    sop = Layout(root).sop_files()[0]
    data = _data(sop)
    data["measures"][0]["what"] = data["measures"][0]["what"].rstrip() + f" {mark}\n"
    _dump(sop, data, sop)


def first_load_bytes(site: Path, page: Path) -> int:
    """A page and every stylesheet, script and image it loads, each gzip-compressed."""
    html = page.read_text(encoding="utf-8")
    total = len(gzip.compress(html.encode()))
    for ref in sorted(set(re.findall(r'(?:src|href)="([^"#?]+\.(?:css|js|svg))"', html))):
        path = (page.parent / ref).resolve()
        if path.is_file() and site.resolve() in path.parents:
            total += len(gzip.compress(path.read_bytes()))
    return total


Rows = dict[str, tuple[float, float]]


def bench_size(size: int) -> tuple[Rows, dict[str, float]]:
    """Every stage at one size, and the figures derived from them."""
    with tempfile.TemporaryDirectory(prefix=f"trmgen-bench-{size}x-") as folder:
        work = Path(folder)
        os.environ["TRMGEN_CACHE"] = str(work / "cache")  # inherited by every stage
        root = work / "repo"
        synthesize(size, root, SHIPPED_LANGUAGES)
        rows: Rows = {}

        def stage(name: str, step: Callable[..., Any], *args: Any) -> Any:
            seconds, peak, result = _in_process(step, root, *args)
            rows[name] = (seconds, peak)
            print(f"  {size}x {name}: {seconds:.2f} s, {peak:.0f} MB", flush=True)
            return result

        stage("validation, cold", _validate_cold)
        stage("trmgen validate, after an edit", _validate_command)
        stage("validated edition (a build's first step)", _validated)
        pages = stage("pages + charts, cold", _pages_cold)
        stage("pages + charts, warm", _pages_warm)
        stage("pages, kept", _pages_kept)
        stage("mkdocs build (en)", _mkdocs, work / "site", False)
        bare = stage("bare mkdocs-material", _bare, work / "bare")
        rows["bare mkdocs-material"] = (bare, rows["bare mkdocs-material"][1])
        copy = stage("offline copy (en)", _offline_copy, work / "offline")
        stage("the book (en), by parts", _book, work / "print")
        stage("printed documents (en)", _print, work / "print")
        edit_a_measure(root, "Edited.")
        stage("printed documents (en), after a one-field edit", _print_again, work / "print")
        measure = next((work / "site" / "measures").glob("*/index.html"))
        index = sorted((work / "site/search").rglob("*.js"))
        figures = {
            "pages": float(pages),
            "measure page, first load (KB, gzip)": first_load_bytes(work / "site", measure) / 1e3,
            "search index, all of it (KB, gzip)": sum(
                len(gzip.compress(path.read_bytes())) for path in index) / 1e3,
            **{f"offline copy ({unit})": value for unit, value in copy.items()},
        }
        figures.update(_search_figures(root, work, size))
        return rows, figures


def _search_figures(root: Path, work: Path, size: int) -> dict[str, float]:
    """The search of the site in every shipped language (the English site, built already,
    in work/site; the others are built here)."""
    figures = {}
    for language in SHIPPED_LANGUAGES:
        site = work / "site" if language == "en" else work / f"site-{language}"
        if not site.is_dir():
            _in_process(_site_in, root, site, language)
        for name, value in _search_speed(site, language).items():
            figures[f"search {language}, {name}"] = value
        print(f"  {size}x search ({language}): " + ", ".join(
            f"{name} {value:.0f}" for name, value in figures.items()
            if name.startswith(f"search {language},")), flush=True)
    return figures


def report_search(sizes: list[int]) -> None:
    """The search alone at each size, in every shipped language (`--search-only`)."""
    results = {}
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"trmgen-bench-search-{size}x-") as folder:
            work = Path(folder)
            os.environ["TRMGEN_CACHE"] = str(work / "cache")
            synthesize(size, work / "repo", SHIPPED_LANGUAGES)
            results[size] = _search_figures(work / "repo", work, size)
    _table("Search, Chromium slowed down 4 times", [f"{s}x" for s in sizes],
           {name: [f"{results[s][name]:.0f}" for s in sizes] for name in results[sizes[0]]})


def bench_languages(count: int) -> tuple[Rows, dict[str, float]]:
    """The whole build at 1x with `count` languages: from empty caches, again with nothing
    changed, after a one-field edit (the charts unchanged; the translations, complete
    before, become partial, which every page says), after a second edit of that field (the
    translations as partial as they were), and after two edits of a page
    template that the printed documents do not use: a comment, which changes no page, then
    a sentence, which every measure's page shows; trmgen's share of each."""
    languages = (SHIPPED_LANGUAGES + STAND_INS)[:count]
    with tempfile.TemporaryDirectory(prefix=f"trmgen-bench-{count}-languages-") as folder:
        root = Path(folder) / "repo"
        os.environ["TRMGEN_CACHE"] = str(Path(folder) / "cache")
        synthesize(1, root, languages)
        rows: Rows = {}
        figures: dict[str, float] = {}
        template = root / "templates/pages/measure.md.j2"  # the print does not use it
        for state in ("cold", "warm", "after an edit", "after a second edit",
                      "after a site template edit", "after a site template edit of its words"):
            if state == "after an edit":  # the translations become partial: every page shows it
                edit_a_measure(root, "Edited.")
            if state == "after a second edit":  # the translations as partial as they were
                edit_a_measure(root, "Edited again.")
            if state == "after a site template edit":  # a comment: no page changes
                template.write_text(template.read_text(encoding="utf-8") + "{## edited ##}\n",
                                    encoding="utf-8")
            if state.endswith("of its words"):  # every measure's page changes
                template.write_text(template.read_text(encoding="utf-8") + "\nEdited.\n",
                                    encoding="utf-8")
            seconds, peak, result = _in_process(_whole_build, root, languages)
            rows[f"{count} languages, {state}"] = (seconds, peak)
            figures[f"processor seconds, {state}"] = result["cpu"]
            figures[f"trmgen's share, {state}"] = result["own"] / result["cpu"]
        unchanged = rows[f"{count} languages, warm"][0]
        for state in ("after an edit", "after a second edit"):
            figures[f"{state} / nothing changed (#21: within 2)"] = (
                rows[f"{count} languages, {state}"][0] / unchanged)
        for name, sizes in result["copies"].items():
            figures[f"{name} (MB unzipped)"] = sizes["MB unzipped"]
        return rows, figures


def _without_the_pair_view() -> None:
    """In this process: no view of two countries (its page, its nav entry, the country data)."""
    from trmgen.web import countries, pages, site

    def plan(*args: Any, **kwargs: Any) -> tuple[list[pages.Page], pages.Nav]:
        found, nav = pages.plan(*args, **kwargs)
        return ([p for p in found if p.src != pages.PATHS.case],
                [entry for entry in nav if pages.PATHS.case not in entry.values()])

    def no_files(*_: Any, **__: Any) -> dict[str, bytes]:
        return {}

    setattr(site, "plan", plan)  # noqa: B010 (patched in this process only)
    setattr(countries, "files", no_files)  # noqa: B010


def _site(root: Path, dest: Path, view: bool) -> dict[str, float]:
    """The English site generated and built by mkdocs-material, with or without the view of
    two countries: seconds, and the size of the site."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    if not view:
        _without_the_pair_view()
    _clear("rendered", "pages")
    start = time.perf_counter()
    site = generate(validated(Layout(root)), "en", keep=False)
    docs = dest.parent / f"{dest.name}-docs"
    for src, content in [(p.src, p.text.encode()) for p in site.pages] + list(site.files.items()):
        (docs / src).parent.mkdir(parents=True, exist_ok=True)
        (docs / src).write_bytes(content)
    config = load_config(str(root / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(dest),
                         plugins=["search"])
    config.nav = site.nav
    mkdocs_build(config)
    seconds = time.perf_counter() - start
    size = sum(path.stat().st_size for path in dest.rglob("*") if path.is_file())
    return {"seconds": seconds, "MB": size / 1e6}


def _switching(site: Path, codes: list[str]) -> tuple[float, float]:
    """The view of two countries in Chromium: milliseconds from choosing another country
    until its numbers are shown (the median of several switches, its data not yet loaded),
    and the first load of the view with two countries' data (KB, gzip)."""
    from playwright.sync_api import sync_playwright

    times = []
    with _static(site) as address, sync_playwright() as playwright:
        url = f"{address}case/#here={codes[0]}&from={codes[1]}"
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector("[data-trm-calls] li")
        for code in codes[2:8]:
            times.append(page.evaluate("""async code => {
                const select = document.querySelector('[data-trm-choice] select[name=from]');
                const name = select.querySelector(`option[value=${code}]`).textContent;
                const start = performance.now();
                select.value = code;
                select.dispatchEvent(new Event('change'));
                while (!document.querySelector('[data-trm-calls]').textContent.includes(name)) {
                    await new Promise(requestAnimationFrame);
                }
                return performance.now() - start;
            }""", code))
        browser.close()
    first = first_load_bytes(site, site / "case/index.html") + sum(
        len(gzip.compress((site / f"case/countries/{c.lower()}.js").read_bytes()))
        for c in codes[:2])
    return statistics.median(times), first / 1e3


def bench_countries(count: int) -> dict[str, float]:
    """The English site with `count` countries, with and without the view of two countries."""
    with tempfile.TemporaryDirectory(prefix=f"trmgen-bench-{count}-countries-") as folder:
        work = Path(folder)
        os.environ["TRMGEN_CACHE"] = str(work / "cache")
        root = work / "repo"
        synthesize(1, root, ["en"], country_count=count)
        figures: dict[str, float] = {}
        for view in (True, False):
            name = "with the view" if view else "without it"
            _in_process(_site, root, work / name, view)  # charts drawn, the cache warm
            seconds, _, result = _in_process(_site, root, work / name, view)
            figures[f"site build, {name} (s)"] = seconds
            figures[f"site size, {name} (MB)"] = result["MB"]
        figures["build with / without"] = (figures["site build, with the view (s)"]
                                           / figures["site build, without it (s)"])
        codes = sorted(p.stem for p in Layout(root).contact_files())
        switch, first = _switching(work / "with the view", codes)
        figures["view, first load with two countries (KB, gzip)"] = first
        figures["view, switching the country (ms, median)"] = switch
        return figures


def report_countries(counts: list[int]) -> None:
    results = {count: bench_countries(count) for count in counts}
    for count in counts:
        print(f"{count} countries: " + ", ".join(
            f"{name} {value:.2f}" for name, value in results[count].items()), flush=True)
    _table("The view of two countries, by the number of countries",
           [f"{c} countries" for c in counts],
           {name: [f"{results[c][name]:.2f}" for c in counts] for name in results[counts[0]]})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


@contextmanager
def _serving(root: Path) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "trmgen", "serve", "--address", f"127.0.0.1:{port}",
         "--root", str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        cwd=ROOT)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _until(check: Callable[[], bool], seconds: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if check():
            return time.perf_counter() - start
        time.sleep(0.02)
    raise SystemExit("the preview did not show the edit in time")


def bench_serve(edits: int) -> dict[str, list[float]]:
    """Seconds from saving a one-field edit to the served page showing it, and to the whole
    preview being current (the search index holds the edit: it is written last): edits of
    a measure's text and of its title, with the measure's page in view."""
    with tempfile.TemporaryDirectory(prefix="trmgen-bench-serve-") as folder:
        root = Path(folder) / "repo"
        synthesize(1, root, SHIPPED_LANGUAGES)
        sop = Layout(root).sop_files()[0]
        measure = _data(sop)["measures"][0]
        page = f"measures/{measure['id']}/"
        fields = {"text": measure["what"].splitlines()[0], "title": measure["title"]}
        times: dict[str, list[float]] = {f"{kind} {what}": [] for kind in fields
                                         for what in ("shown", "current")}
        with _serving(root) as url:

            def shows(text: str) -> Callable[[], bool]:
                return lambda: text in _fetch(url + page)

            def search_version() -> str:
                settings = _fetch(url + "search/search_index.json")
                return str(json.loads(settings)["config"]["trmgen"]["version"]) if (
                    settings) else ""

            _until(shows(fields["title"]), 120)
            for edit in range(1, edits + 1):
                for kind, old in fields.items():
                    new = f"{old} Edit {edit}."
                    text = sop.read_text(encoding="utf-8")
                    assert f" {old}\n" in text
                    version = search_version()
                    start = time.perf_counter()
                    sop.write_text(text.replace(f" {old}\n", f" {new}\n", 1), encoding="utf-8")
                    times[f"{kind} shown"].append(_until(shows(new), 60))
                    _until(lambda: search_version() not in ("", version), 60)  # noqa: B023
                    times[f"{kind} current"].append(time.perf_counter() - start)
                    fields[kind] = new
                    time.sleep(0.5)  # let the preview settle before the next edit
        return times


def _table(title: str, columns: list[str], rows: dict[str, list[str]]) -> None:
    print(f"\n{title}")
    width = max(len(name) for name in rows) + 2
    print(f"{'':<{width}}" + "".join(f"{c:>16}" for c in columns))
    for name, cells in rows.items():
        print(f"{name:<{width}}" + "".join(f"{c:>16}" for c in cells))


def report_serve(edits: int) -> None:
    said = {"shown": "shows on its page (in view) after", "current": "is in every page and "
            "the search after"}
    for name, times in bench_serve(edits).items():
        kind, what = name.split()
        print(f"Preview: an edit of a measure's {kind} {said[what]} "
              f"{statistics.median(times):.2f} s (median of {len(times)}; "
              + ", ".join(f"{t:.2f}" for t in times) + ")", flush=True)


def hostile_files() -> dict[str, bytes]:
    """Source files made to be slow to read, each within the size limit."""
    limit = MAX_BYTES - 200
    head = b"id: x\nnumber: 1\ntitle: t\npurpose: p\nmeasures:\n"
    return {
        "4 MB of '['": b"[" * limit,
        "an unclosed list of 2 million items": b"who: [" + b"a," * (limit // 2 - 10),
        "a list of 2 million items": b"who: [" + b"a," * (limit // 2 - 10) + b"a]",
        "4 MB in one text": b"title: " + b"x" * (limit - 10),
        "570,000 lines of '- x'": b"measures:\n" + b"  - x\n" * (limit // 7),
        "330,000 keys": b"".join(b"k%07d: v\n" % i for i in range(limit // 12)),
        "2,700 levels of blocks": b"".join(b" " * i + b"a:\n" for i in range(2700)),
        "25,000 wrong measures": head + b"  - {id: X}\n" * 25_000,
        "5,000 measures that lead nowhere": head + b"".join(
            b"  - {id: m%d, title: t, what: w, when: w, who: [police], how: [h], "
            b"roles: [origin]}\n" % i for i in range(5000)),
        "55,000 unknown fields": b"".join(b"k%07d: v\n" % i for i in range(55_000)),
    }


def report_hostile() -> None:
    """How long `trmgen validate` takes on each hostile file (goal: under 2 s each)."""
    rows: dict[str, list[str]] = {}
    strict_yaml.MAX_VALUES = SHIPPED_MAX_VALUES
    with tempfile.TemporaryDirectory(prefix="trmgen-bench-hostile-") as folder:
        root = Path(folder) / "repo"
        shutil.copytree(ROOT / "tests/cases/base", root)
        target = root / "guidelines/sops/1-identification.yaml"
        for name, raw in hostile_files().items():
            target.write_bytes(raw)
            start = time.perf_counter()
            _, found = validate(Layout(root))
            seconds = time.perf_counter() - start
            first = next(d.code for d in found if d.path == "guidelines/sops/1-identification.yaml")
            rows[name] = [f"{len(raw) / 1e6:.1f}", f"{seconds:.2f}", f"  {first}"]
            print(f"  hostile {name}: {seconds:.2f} s ({first})", flush=True)
    strict_yaml.MAX_VALUES = 10 * SHIPPED_MAX_VALUES
    _table("Hostile inputs: trmgen validate", ["MB", "seconds", "first problem"], rows)


def report_languages(counts: list[int]) -> None:
    language_rows: Rows = {}
    for count in counts:
        rows, figures = bench_languages(count)
        language_rows.update(rows)
        print(f"{count} languages: " + ", ".join(
            f"{name} {value:.0%}" if "share" in name else f"{name} {value:.1f}"
            for name, value in figures.items()), flush=True)
    _table("Whole build at 1x (seconds / peak MB)", ["wall clock", "per language"],
           {name: [f"{s:.1f} / {peak:.0f}", f"{s / int(name.split()[0]):.1f}"]
            for name, (s, peak) in language_rows.items()})


def report_sizes(sizes: list[int]) -> None:
    results: dict[int, tuple[Rows, dict[str, float]]] = {}
    for size in sizes:  # each size is printed as soon as it is measured
        rows, figures = results[size] = bench_size(size)
        ours, bare = rows["mkdocs build (en)"][0], rows["bare mkdocs-material"][0]
        figures["ms per page (mkdocs build)"] = ours / figures["pages"] * 1000
        figures["build / bare mkdocs"] = ours / bare
        figures["trmgen's share of the build (%)"] = rows["pages + charts, warm"][0] / ours * 100
        figures["total: site, offline copy, documents (s)"] = sum(rows[name][0] for name in (
            "mkdocs build (en)", "offline copy (en)", "printed documents (en)"))
        print(f"{size}x: " + ", ".join(f"{name} {s:.2f} s / {peak:.0f} MB"
                                       for name, (s, peak) in rows.items()) + "; "
              + ", ".join(f"{name} {value:.1f}" for name, value in figures.items()), flush=True)
    columns = [f"{s}x" for s in sizes]
    _table("Stages (seconds / peak MB)", columns,
           {name: [f"{results[s][0][name][0]:.2f} / {results[s][0][name][1]:.0f}"
                   for s in sizes] for name in results[sizes[0]][0]})
    _table("Figures", columns, {name: [f"{results[s][1][name]:.1f}" for s in sizes]
                                for name in results[sizes[0]][1]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,50", help="comma-separated, e.g. 1,10,50")
    parser.add_argument("--languages", default="1,5,10", help="comma-separated counts")
    parser.add_argument("--serve", type=int, default=5, help="edits to time in the preview")
    parser.add_argument("--countries", default="12,50,240",
                        help="comma-separated counts of countries for the view of two")
    parser.add_argument("--hostile", action=argparse.BooleanOptionalAction, default=True,
                        help="time the validation of files made to be slow to read")
    parser.add_argument("--search-only", action="store_true",
                        help="at each of --sizes, only the search in every language")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(time.time())))
    print(f"machine: {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB, "
          f"Python {sys.version.split()[0]}", flush=True)
    if args.search_only:
        report_search([int(s) for s in args.sizes.split(",") if s])
        return
    # The quickest first; the largest size last.
    if args.hostile:
        report_hostile()
    if args.serve:
        report_serve(args.serve)
    counts = [int(c) for c in args.languages.split(",") if c]
    if counts:
        report_languages(counts)
    countries = [int(c) for c in args.countries.split(",") if c]
    if countries:
        report_countries(countries)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if sizes:
        report_sizes(sizes)


if __name__ == "__main__":
    main()
