"""Benchmark (make bench): the guidelines grown to several sizes, each stage timed.

Synthetic sources repeat the shipped measures and countries SIZE times (with new ids, their
`next` edges within each copy, and new valid countries), so they validate like the real ones.
For each size it prints the time and the peak resident memory so far of validation, page
generation with charts drawn (cold) and from the cache (warm), one mkdocs build, one printed
book, and a bare mkdocs-material build of the same generated pages (to show trmgen's share).
The sites are built in English only. Usage: python tools/bench.py [--sizes 1,10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import phonenumbers
import pycountry
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trmgen import build, pdf  # noqa: E402 - after the path is set
from trmgen.layout import Layout  # noqa: E402
from trmgen.site import generate, prepare  # noqa: E402
from trmgen.validate import validate  # noqa: E402
from trmgen.yamlsrc import load  # noqa: E402


def _data(path: Path) -> Any:
    return load(path, path.name)[0].data


def _spare_countries(used: set[str], count: int) -> list[str]:
    spare = [c.alpha_2 for c in pycountry.countries
             if c.alpha_2 not in used and phonenumbers.example_number(c.alpha_2)]
    return sorted(spare)[:count]


def synthesize(size: int, dest: Path) -> None:
    """Copy the project and repeat its measures and countries `size` times."""
    for part in ("guidelines", "contacts", "flowcharts", "templates", "schemas"):
        shutil.copytree(ROOT / part, dest / part)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    layout = Layout(dest)
    sops = {path: _data(path) for path in layout.sop_files()}
    ids = [m["id"] for data in sops.values() for m in data["measures"]]
    for path, data in sops.items():
        originals = list(data["measures"])
        first = originals[0]["id"]
        for copy in range(2, size + 1):
            for measure in originals:
                clone = yaml.safe_load(yaml.safe_dump(measure))
                rename = {i: f"{i}-{copy}" for i in ids}
                clone["id"] = rename[measure["id"]]
                clone["related"] = [rename[r] for r in clone.get("related", [])]
                for edge in clone.get("next", []):
                    edge["to"] = rename[edge["to"]]
                if measure["id"] == first:
                    clone["start"] = True
                data["measures"].append(clone)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    countries = {path.stem: _data(path) for path in layout.contact_files()}
    spare = _spare_countries(set(countries), len(countries) * (size - 1))
    template = next(iter(countries.values()))
    for code in spare:
        data = yaml.safe_load(yaml.safe_dump(template))
        example = phonenumbers.example_number(code)
        assert example is not None  # _spare_countries chose countries that have one
        number = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        for inst in data["institutions"]:
            inst["id"] = f"{code.lower()}-{inst['id'].split('-', 1)[1]}"
            for line in inst.get("phones", []):
                line["number"] = number
        (layout.contacts / f"{code}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    guideline = _data(layout.guideline_file)
    guideline["languages"] = ["en"]
    layout.guideline_file.write_text(yaml.safe_dump(guideline, allow_unicode=True,
                                                    sort_keys=False))


def measured(step: Callable[[], Any]) -> tuple[float, float, Any]:
    """Seconds, the peak resident memory of the process so far (MB), and the step's result.

    (tracemalloc would count allocations exactly but slows Python code several times.)
    """
    start = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - start
    return seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, result


def bare_mkdocs(site: Any, work: Path) -> None:
    """A plain mkdocs-material build of the same generated Markdown, without trmgen."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    docs = work / "bare-docs"
    for page in site.pages:
        (docs / page.src).parent.mkdir(parents=True, exist_ok=True)
        (docs / page.src).write_text(page.text)
    for src, content in site.files.items():
        (docs / src).parent.mkdir(parents=True, exist_ok=True)
        (docs / src).write_bytes(content)
    config = load_config(config_file=None, site_name="bare", docs_dir=str(docs),
                         site_dir=str(work / "bare-site"), nav=site.nav,
                         theme={"name": "material", "font": False,
                                "features": ["navigation.prune", "navigation.indexes"]},
                         markdown_extensions=["attr_list", "toc"], plugins=["search"])
    mkdocs_build(config)


def bench(size: int) -> dict[str, tuple[float, float]]:
    """Every stage at one size."""
    with tempfile.TemporaryDirectory(prefix=f"trmgen-bench-{size}x-") as folder:
        work = Path(folder)
        synthesize(size, work / "repo")
        layout = Layout(work / "repo")
        rows: dict[str, tuple[float, float]] = {}
        seconds, peak, (sources, _) = measured(lambda: validate(layout))
        rows["validate"] = (seconds, peak)
        seconds, peak, site = measured(lambda: generate(layout, "en"))
        rows["pages + charts (cold)"] = (seconds, peak)
        seconds, peak, site = measured(lambda: generate(layout, "en"))
        rows["pages + charts (warm)"] = (seconds, peak)
        seconds, peak, _ = measured(lambda: build._build_language(
            layout, "en", work / "site", work, languages=["en"]))
        rows["mkdocs build (en)"] = (seconds, peak)
        seconds, peak, _ = measured(lambda: bare_mkdocs(site, work))
        rows["bare mkdocs-material"] = (seconds, peak)
        edition = prepare(layout, "en")
        seconds, peak, _ = measured(lambda: pdf.to_pdf(pdf.book(edition, dt.date.today())))
        rows["book PDF (en)"] = (seconds, peak)
        rows["pages"] = (float(len(site.pages)), 0.0)
        rows["measures"] = (float(sum(len(s.model.measures) for s in sources.sops)), 0.0)
        return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10", help="comma-separated, e.g. 1,10,50")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    results = {}
    for size in sizes:  # each size is reported as soon as it is measured
        results[size] = bench(size)
        print(f"{size}x: " + ", ".join(f"{name} {seconds:.2f}"
                                       for name, (seconds, _) in results[size].items()),
              flush=True)
    names = list(results[sizes[0]])
    print(f"{'stage':<26}" + "".join(f"{f'{s}x time':>12}{f'{s}x MB':>9}" for s in sizes))
    for name in names:
        cells = "".join(f"{results[s][name][0]:>12.2f}{results[s][name][1]:>9.1f}"
                        for s in sizes)
        print(f"{name:<26}{cells}")
    for size in sizes:
        row = results[size]
        ours = row["mkdocs build (en)"][0]
        print(f"{size}x: {row['pages'][0]:.0f} pages, {ours / row['pages'][0] * 1000:.1f} ms "
              f"per page; the trmgen build takes {ours / row['bare mkdocs-material'][0]:.2f} "
              "times a bare mkdocs-material build of the same pages")


if __name__ == "__main__":
    main()
