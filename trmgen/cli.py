"""The command-line interface: a thin adapter, and the only place that sets exit codes.

Exit codes: 0 all well, 1 a problem to fix (in the content, a template, mkdocs.yml, a missing
tool), 2 a wrong command line, 3 an internal error (a bug: the traceback goes to a private
log file, or to the terminal with --debug), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from trmgen import __version__, scaffold
from trmgen.checks import adoption, freshness
from trmgen.checks.validate import validate
from trmgen.content import history as changes
from trmgen.diagnostics import BuildError, Severity, count, excerpt, report, visible
from trmgen.i18n import catalogs
from trmgen.sources import schemas
from trmgen.sources.layout import Layout
from trmgen.sources.model import AdoptionStatus

OK, PROBLEMS, USAGE, INTERNAL, INTERRUPTED = 0, 1, 2, 3, 130


def _validate(args: argparse.Namespace) -> int:
    _, diagnostics = validate(Layout(args.root), strict=args.strict)
    print(report(diagnostics, args.format))
    return PROBLEMS if count(diagnostics, Severity.ERROR) else OK


def _build(args: argparse.Namespace) -> int:
    from trmgen.publish import build  # mkdocs is imported only by the commands that need it

    layout = Layout(args.root)
    out = args.out or layout.site
    try:
        diagnostics = build.build(layout, languages=args.lang, out=out, strict=args.strict,
                                  progress=print)
    except BuildError as exc:
        print(report(exc.diagnostics, "text"))
        print(f"the site was not built; {layout.display(out)}/ is unchanged", file=sys.stderr)
        return PROBLEMS
    print(report(diagnostics, "text"))
    print(f"built the site in {layout.display(out)}/")
    return OK


def _serve(args: argparse.Namespace) -> int:
    from trmgen.web import plugin  # mkdocs is imported only by the commands that need it

    plugin.serve(Layout(args.root), args.lang, args.address)
    return OK


def _contacts(args: argparse.Namespace) -> int:
    sources, diagnostics = validate(Layout(args.root))
    if count(diagnostics, Severity.ERROR) or not sources.guideline:
        print(report(diagnostics, "text"))
        return PROBLEMS
    months = args.months or sources.guideline.model.stale_after_months
    countries = [(code, c.model) for code, c in sources.countries.items()]
    found = freshness.checks(countries, args.as_of or dt.date.today(), months)
    print(freshness.report(found, args.format, months, only_due=args.stale))
    return OK


def _adoption(args: argparse.Namespace) -> int:
    sources, diagnostics = validate(Layout(args.root))
    if count(diagnostics, Severity.ERROR):
        print(report(diagnostics, "text"))
        return PROBLEMS
    found = adoption.rows({code: c.model for code, c in sources.countries.items()},
                          [sop.model for sop in sources.sops], args.as_of or dt.date.today())
    if args.country:
        found = [r for r in found if r.country == args.country.upper()]
    found = [r for r in found if r.status == args.status] if args.status else \
        adoption.to_act_on(found)
    print(adoption.report(found, args.format))
    return OK


def _new(args: argparse.Namespace) -> int:
    layout = Layout(args.root)
    try:
        if args.kind == "measure":
            if args.sop is None or not args.id:
                print("trmgen new measure needs --sop N and --id SLUG", file=sys.stderr)
                return USAGE
            path, diagnostics = scaffold.measure(layout, args.sop, args.id)
        elif args.kind == "country":
            path, diagnostics = scaffold.country(layout, args.name or "")
        else:
            path, diagnostics = scaffold.language(layout, args.name or "")
    except scaffold.ScaffoldError as exc:
        print(f"trmgen new {args.kind}: {exc}", file=sys.stderr)
        return PROBLEMS
    print(f"wrote {layout.display(path)}: {scaffold.summary(diagnostics)}")
    return OK


def _diff(args: argparse.Namespace) -> int:
    layout = Layout(args.root)
    try:
        found = changes.since(layout, args.ref)
    except changes.ChangeError as exc:
        print(f"trmgen diff: {exc}", file=sys.stderr)
        return PROBLEMS
    print(changes.report(found, args.format, args.ref))
    return OK


def _i18n(args: argparse.Namespace) -> int:
    layout = Layout(args.root)
    sources, diagnostics = validate(layout)
    catalogs_folder = layout.display(layout.translations) + "/"
    errors = [d for d in diagnostics if d.severity is Severity.ERROR  # update fixes these
              and not d.code.startswith("i18n.") and not d.path.startswith(catalogs_folder)]
    if errors or not sources.guideline:
        print(report(diagnostics, "text"))
        print("fix the errors in the sources first", file=sys.stderr)
        return PROBLEMS
    guideline = sources.guideline.model
    others = [code for code in guideline.languages if code != guideline.source_language]
    if args.action == "extract":
        catalogs.extract_template(layout, sources)
        print(f"wrote {layout.display(catalogs.template_path(layout))}")
    elif args.action == "update":
        pot = catalogs.extract_template(layout, sources)
        for code in args.lang or others:
            try:
                catalogs.update(layout, code, pot)
            except catalogs.CatalogError as exc:
                print(report(exc.diagnostics, "text"))
                print(f"{layout.display(catalogs.catalog_path(layout, code))} was not "
                      "updated: fix the problems above first", file=sys.stderr)
                return PROBLEMS
            print(f"updated {layout.display(catalogs.catalog_path(layout, code))}")
    else:
        print(f"{'language / part':28} {'translated':>10} {'fuzzy':>6} {'missing':>8}")
        for code, parts in catalogs.status(layout, sources, guideline.languages).items():
            total = sum(parts.values(), catalogs.Counts())
            print(f"{code:28} {total.translated:>10} {total.fuzzy:>6} {total.missing:>8}")
            for part, counts in sorted(parts.items()):
                print(f"  {part:26} {counts.translated:>10} {counts.fuzzy:>6} "
                      f"{counts.missing:>8}")
    return OK


def _schema(args: argparse.Namespace) -> int:
    layout = Layout(args.root)
    if args.check:
        stale = schemas.outdated(layout)
        for name in stale:
            print(f"{layout.display(layout.schemas / name)}: out of date; run 'trmgen schema'")
        return PROBLEMS if stale else OK
    changed = schemas.write(layout)
    print(f"wrote {len(schemas.generate())} schemas to {layout.display(layout.schemas)}/ "
          f"({len(changed)} changed)")
    return OK


def parser() -> argparse.ArgumentParser:
    """The command line, with a sub-command per task."""
    top = argparse.ArgumentParser(prog="trmgen", description="Validate and publish "
                                  "Transnational Referral Mechanism guidelines.")
    top.add_argument("--version", action="version", version=f"trmgen {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path(),
                        help="the guideline repository (default: the current folder)")
    common.add_argument("--debug", action="store_true",
                        help="show the traceback of an internal error")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("validate", parents=[common], help="check the sources and "
                                "report every problem with file:line:column")
    check.add_argument("--strict", action="store_true", help="treat warnings and notices "
                       "(such as sample data) as errors, as a publication build does")
    check.add_argument("--format", choices=("text", "github", "json"), default="text",
                       help="text for people, github for pull-request annotations, json")
    check.set_defaults(run=_validate)

    make = commands.add_parser("build", parents=[common], help="validate, then build the site "
                               "of every language; the old site stays until all succeeded")
    make.add_argument("--lang", action="append", default=[], metavar="L",
                      help="build only this language (repeat for several)")
    make.add_argument("--out", type=Path, help="where to write the site (default: site/)")
    make.add_argument("--strict", action="store_true", help="refuse warnings and sample data, "
                      "as a publication build does")
    make.set_defaults(run=_build)

    preview = commands.add_parser("serve", parents=[common], help="live preview that reloads "
                                  "when a YAML file or a template changes")
    preview.add_argument("--lang", help="the language to preview (default: the source language)")
    preview.add_argument("--address", default="127.0.0.1:8000", help="host:port to listen on")
    preview.set_defaults(run=_serve)

    new = commands.add_parser("new", parents=[common], help="start a new measure, country or "
                              "language from a valid, commented file")
    new.add_argument("kind", choices=("measure", "country", "language"))
    new.add_argument("name", nargs="?", help="the country code (BG) or language code (bg)")
    new.add_argument("--sop", type=int, help="for a measure: the number of its SOP")
    new.add_argument("--id", help="for a measure: its id, e.g. 'safe-transport'")
    new.set_defaults(run=_new)

    contacts = commands.add_parser("contacts", parents=[common], help="when each contact was "
                                   "last verified, country by country")
    contacts.add_argument("--stale", action="store_true",
                          help="list only the contacts due for verification")
    contacts.add_argument("--months", type=int, help="due after this many months "
                          "(default: stale_after_months of guideline.yaml)")
    contacts.add_argument("--format", choices=("text", "csv", "json"), default="text")
    contacts.add_argument("--as-of", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                          help="judge freshness as of this date (default: today)")
    contacts.set_defaults(run=_contacts)

    adopted = commands.add_parser("adoption", parents=[common], help="what a national "
                                  "coordinator must act on: measures not adopted, of unknown "
                                  "status, or due for a review")
    adopted.add_argument("--country", help="one country, e.g. BG")
    adopted.add_argument("--status", choices=[s.value for s in AdoptionStatus],
                         help="list the measures in this status instead")
    adopted.add_argument("--format", choices=("text", "csv", "json"), default="text")
    adopted.add_argument("--as-of", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                         help="judge reviews due as of this date (default: today)")
    adopted.set_defaults(run=_adoption)

    diff = commands.add_parser("diff", parents=[common], help="what changed in the measures, "
                               "contacts and translations since a git ref")
    diff.add_argument("ref", help="a tag of a published edition, a branch or a commit")
    diff.add_argument("--format", choices=("text", "json"), default="text")
    diff.set_defaults(run=_diff)

    i18n = commands.add_parser("i18n", parents=[common], help="translation catalogs: "
                               "extract the strings, update the catalogs, show the status")
    i18n.add_argument("action", choices=("extract", "update", "status"))
    i18n.add_argument("--lang", action="append", default=[], metavar="L",
                      help="update only this language (repeat for several)")
    i18n.set_defaults(run=_i18n)

    schema = commands.add_parser("schema", parents=[common], help="write the JSON Schemas "
                                 "that give editors autocomplete")
    schema.add_argument("--check", action="store_true",
                        help="only report schema files that are out of date")
    schema.set_defaults(run=_schema)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; return its exit code."""
    args = parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except KeyboardInterrupt:
        print("interrupted; nothing was changed", file=sys.stderr)
        return INTERRUPTED
    except BuildError as exc:  # a problem with its file and line, and what to do
        print(report(exc.diagnostics, "text"))
        return PROBLEMS
    except BrokenPipeError:  # the reader (e.g. `| head`) stopped reading: not an error
        sys.stdout = Path(os.devnull).open("w")  # noqa: SIM115 - stays open until exit
        return OK
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        else:
            log = _crash_log(traceback.format_exc())
            print(f"trmgen: internal error, please report it: {type(exc).__name__}: "
                  f"{visible(excerpt(str(exc), 200))}\n(the details are in {log}; run "
                  "again with --debug to see them here)", file=sys.stderr)
        return INTERNAL


def _crash_log(details: str) -> str:
    """A new file that only this user can read (a fixed name in a shared folder could be a
    link planted by someone else), holding the traceback of an internal error."""
    descriptor, path = tempfile.mkstemp(prefix="trmgen-error-", suffix=".log")
    with os.fdopen(descriptor, "w", encoding="utf-8") as log:
        log.write(details)
    return path


def main_exit() -> None:
    """The console script: run and exit with the command's code."""
    raise SystemExit(main())
