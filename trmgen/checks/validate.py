"""Cross-file rules, one small function each, and the validation run that collects them all."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from babel.messages.catalog import Catalog

from trmgen.checks.adoption import REVIEW_MONTHS, review_due
from trmgen.checks.freshness import stale_before
from trmgen.diagnostics import ADJUSTABLE, CODES, Diagnostic, Severity, limit, promote
from trmgen.i18n import catalogs, quotes, terms
from trmgen.sources import phones
from trmgen.sources import value_types as values
from trmgen.sources.layout import Layout, UnsafeFile
from trmgen.sources.load import Source, Sources, field_path, load_sources
from trmgen.sources.model import (
    CountryRole,
    Edge,
    Handover,
    Instrument,
    Measure,
    Participant,
    ProvisionKind,
    Safeguard,
    Side,
    Sop,
    Step,
    Termbase,
)
from trmgen.sources.strict_yaml import Document, Loc

EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")


@dataclass(frozen=True)
class Finding:
    """A rule's verdict on one place in a document."""

    doc: Document
    loc: Loc
    code: str
    message: str
    severity: Severity = Severity.ERROR
    key: bool = False

    def diagnostic(self) -> Diagnostic:
        mark = self.doc.mark(self.loc, key=self.key)
        return Diagnostic(self.doc.path, mark.line, mark.col, self.code,
                          field_path(self.doc.written(self.loc)), self.message, self.severity)


@dataclass(frozen=True)
class Context:
    """What rules look at: the loaded sources, and the date to judge freshness by."""

    sources: Sources
    today: dt.date
    strict: bool = False


Rule = Callable[[Context], Iterator[Finding | Diagnostic]]


def validate(layout: Layout, *, strict: bool = False,
             today: dt.date | None = None) -> tuple[Sources, list[Diagnostic]]:
    """Load and check everything; every problem, sorted, with severities applied.

    Nothing of it is kept between runs: a kept verdict could be forged or stale. Within a
    process, files whose bytes have not changed are not parsed again (sources.load).
    """
    sources = load_sources(layout)
    return sources, check(sources, strict=strict, today=today or dt.date.today())


def check(sources: Sources, *, strict: bool = False,
          today: dt.date | None = None) -> list[Diagnostic]:
    """Apply every rule to loaded sources."""
    context = Context(sources, today or dt.date.today(), strict)
    found = list(sources.diagnostics)
    for rule in RULES:
        found.extend(f if isinstance(f, Diagnostic) else f.diagnostic() for f in rule(context))
    found = limit(_configured(found, sources))
    return sorted(promote(found) if strict else found)


def _configured(found: list[Diagnostic], sources: Sources) -> list[Diagnostic]:
    """The severities set in guideline.yaml applied, to the codes that allow it only."""
    levels = sources.guideline.model.severity if sources.guideline else {}
    return [replace(d, severity=Severity(levels[d.code]))
            if d.code in levels and d.code in ADJUSTABLE else d for d in found]


def _measures(sources: Sources) -> Iterator[tuple[Source[Sop], int, Measure]]:
    for sop in sources.sops:
        for index, measure in enumerate(sop.model.measures):
            yield sop, index, measure


def _first_seen(items: Iterable[tuple[str, Document, Loc]], code: str,
                what: str) -> Iterator[Finding]:
    seen: dict[str, tuple[Document, Loc]] = {}
    for value, doc, loc in items:
        if value in seen:
            first_doc, first_loc = seen[value]
            mark = first_doc.mark(first_loc)
            yield Finding(doc, loc, code, f"the {what} '{value}' is already used in "
                          f"{first_doc.path}:{mark.line}; each {what} must be unique")
        else:
            seen[value] = (doc, loc)


def unique_ids(context: Context) -> Iterator[Finding]:
    """Ids of SOPs, measures, actors, instruments and institutions are each unique."""
    sources = context.sources
    yield from _first_seen(((s.model.id, s.doc, ("id",)) for s in sources.sops),
                           "ref.duplicate-id", "SOP id")
    yield from _first_seen(((str(s.model.number), s.doc, ("number",)) for s in sources.sops),
                           "ref.duplicate-id", "SOP number")
    yield from _first_seen(((m.id, sop.doc, ("measures", i, "id"))
                            for sop, i, m in _measures(sources)), "ref.duplicate-id",
                           "measure id")
    if sources.actors:
        doc = sources.actors.doc
        yield from _first_seen(((a.id, doc, ("actors", i, "id"))
                                for i, a in enumerate(sources.actors.model.actors)),
                               "ref.duplicate-id", "actor id")
    if sources.instruments:
        doc = sources.instruments.doc
        yield from _first_seen(((a.id, doc, ("instruments", i, "id"))
                                for i, a in enumerate(sources.instruments.model.instruments)),
                               "ref.duplicate-id", "instrument id")
    yield from _first_seen(((inst.id, c.doc, ("institutions", i, "id"))
                            for c in sources.countries.values()
                            for i, inst in enumerate(c.model.institutions)),
                           "ref.duplicate-id", "institution id")


def _unknown(value: str, known: set[str], what: str, where: str) -> str:
    hint = values.suggest(value, sorted(known))
    return f"unknown {what} '{value}'{hint} ({where})"


def actor_references(context: Context) -> Iterator[Finding]:
    """Every `who`, child `who` and `serves_as` names an actor of guidelines/actors.yaml."""
    sources = context.sources
    if not sources.actors:
        return
    known = {a.id for a in sources.actors.model.actors}
    where = "actors are listed in guidelines/actors.yaml"
    for sop, i, measure in _measures(sources):
        for j, part in enumerate(measure.who):
            if part.actor not in known:
                yield Finding(sop.doc, ("measures", i, "who", j, "actor"), "ref.unknown-actor",
                              _unknown(part.actor, known, "actor", where))
        for j, part in enumerate(measure.child.who if measure.child else []):
            if part.actor not in known:
                yield Finding(sop.doc, ("measures", i, "child", "who", j, "actor"),
                              "ref.unknown-actor", _unknown(part.actor, known, "actor", where))
    for country in sources.countries.values():
        for i, inst in enumerate(country.model.institutions):
            for j, actor in enumerate(inst.serves_as):
                if actor not in known:
                    yield Finding(country.doc, ("institutions", i, "serves_as", j),
                                  "ref.unknown-actor", _unknown(actor, known, "actor", where))
            for k, line in enumerate(inst.phones):
                for j, actor in enumerate(line.serves_as):
                    if actor not in inst.serves_as:
                        yield Finding(country.doc, ("institutions", i, "phones", k, "serves_as",
                                                    j), "ref.phone-actor",
                                      f"'{actor}' is not among the serves_as of this "
                                      f"institution ({', '.join(inst.serves_as)}); a number "
                                      "is for some of the institution's actors: add it there "
                                      "or remove it here")


def instrument_references(context: Context) -> Iterator[Finding]:
    """Every legal basis cites an instrument of guidelines/instruments.yaml."""
    sources = context.sources
    if not sources.instruments:
        return
    known = {i.id for i in sources.instruments.model.instruments}
    for sop, i, measure in _measures(sources):
        for j, citation in enumerate(measure.legal_basis):
            if citation.instrument not in known:
                yield Finding(sop.doc, ("measures", i, "legal_basis", j, "instrument"),
                              "ref.unknown-instrument",
                              _unknown(citation.instrument, known, "instrument",
                                       "instruments are listed in guidelines/instruments.yaml"))


ARTICLE = re.compile(r"\d+[a-z]?(\(\d+[a-z]?\))*(\([a-z]+\))*")
PRINCIPLE = re.compile(r"(Principle|Guideline) \d+(\.\d+)*")


def _within(cited: str, changed: str) -> bool:
    """Whether two provisions overlap: the same, or one a part of the other ('11' and
    '11(4)')."""
    return cited == changed or cited.startswith(changed + "(") or \
        changed.startswith(cited + "(")


def instrument_history(context: Context) -> Iterator[Finding]:
    """What amended an instrument names an instrument that amends it."""
    sources = context.sources
    if not sources.instruments:
        return
    doc, listed = sources.instruments.doc, sources.instruments.model.instruments
    known = {i.id: i for i in listed}
    for i, instrument in enumerate(listed):
        refs: list[tuple[Loc, str | None]] = [(("amends",), instrument.amends),
                                              (("repealed_by",), instrument.repealed_by)]
        refs += [(("amended_by", j, "instrument"), a.instrument)
                 for j, a in enumerate(instrument.amended_by)]
        for loc, ref in refs:
            if ref is not None and ref not in known:
                yield Finding(doc, ("instruments", i, *loc), "ref.unknown-instrument",
                              _unknown(ref, set(known), "instrument", "give the id of an "
                                       "instrument in this file"))
        for j, amendment in enumerate(instrument.amended_by):
            other = known.get(amendment.instrument)
            if other is not None and other.amends != instrument.id:
                yield Finding(doc, ("instruments", i, "amended_by", j, "instrument"),
                              "law.amendment", f"'{other.id}' does not say that it amends "
                              f"'{instrument.id}'; give it `amends: {instrument.id}`")


def citations(context: Context) -> Iterator[Finding]:
    """Provisions are cited the way their instrument numbers them; an amending instrument
    only through the provisions it amended; an amended, repealed or not yet applicable
    provision says so."""
    sources = context.sources
    if not sources.instruments:
        return
    known = {i.id: i for i in sources.instruments.model.instruments}
    for sop, i, measure in _measures(sources):
        for j, citation in enumerate(measure.legal_basis):
            instrument = known.get(citation.instrument)
            if instrument is None:
                continue
            where = ("measures", i, "legal_basis", j)
            yield from _cited_provisions(sop.doc, where, instrument, citation.articles)
            if instrument.amends:
                amended = known.get(instrument.amends)
                name = amended.short_name if amended else instrument.amends
                yield Finding(sop.doc, (*where, "instrument"), "law.bare-amendment",
                              f"{instrument.short_name} amends {name}: cite the article of "
                              f"{name} that it amended or inserted, with `as_amended_by: "
                              f"{instrument.id}`")
            yield from _amendments(sop.doc, where, instrument, citation.articles,
                                   citation.as_amended_by, known)
            yield from _currency(sop.doc, where, instrument, known, context.today)


def _cited_provisions(doc: Document, where: Loc, instrument: Instrument,
                      articles: list[str]) -> Iterator[Finding]:
    by_principle = instrument.cited_by == ProvisionKind.PRINCIPLE
    for k, article in enumerate(articles):
        if by_principle and not PRINCIPLE.fullmatch(article):
            yield Finding(doc, (*where, "articles", k), "law.provision-kind",
                          f"{instrument.short_name} is cited by Principle or Guideline, "
                          f"not by article: write e.g. 'Principle 8' or 'Guideline 2'")
        elif not by_principle and not ARTICLE.fullmatch(article):
            yield Finding(doc, (*where, "articles", k), "law.provision-kind",
                          f"'{article}' is not an article number of {instrument.short_name}; "
                          "write the number alone, e.g. '10', '12(1)' or '18a'")


def _amendments(doc: Document, where: Loc, instrument: Instrument, articles: list[str],
                amended_by: str | None, known: dict[str, Instrument]) -> Iterator[Finding]:
    if amended_by is not None:
        other = known.get(amended_by)
        if other is None or other.amends != instrument.id:
            yield Finding(doc, (*where, "as_amended_by"), "law.amendment",
                          f"'{amended_by}' is not an instrument that amends "
                          f"{instrument.short_name}; give the id of one, or remove it")
    for amendment in instrument.amended_by:
        if amendment.instrument == amended_by:
            continue
        changed = [a for a in articles if any(_within(a, c) for c in amendment.articles)]
        if changed:
            other = known.get(amendment.instrument)
            yield Finding(doc, (*where, "articles"), "law.amended",
                          f"{'article' if len(changed) == 1 else 'articles'} "
                          f"{', '.join(changed)} of {instrument.short_name} "
                          f"{'was' if len(changed) == 1 else 'were'} amended by "
                          f"{other.short_name if other else amendment.instrument}; cite "
                          f"{'it' if len(changed) == 1 else 'them'} as amended, with "
                          f"`as_amended_by: {amendment.instrument}`", Severity.WARNING)


def _currency(doc: Document, where: Loc, instrument: Instrument,
              known: dict[str, Instrument], today: dt.date) -> Iterator[Finding]:
    if instrument.repealed_by:
        other = known.get(instrument.repealed_by)
        yield Finding(doc, (*where, "instrument"), "law.repealed", f"{instrument.short_name} "
                      f"was repealed by {other.short_name if other else instrument.repealed_by}"
                      "; cite the instrument that replaced it", Severity.WARNING)
    starts = instrument.applies_from or instrument.in_force
    if starts and starts > today:
        yield Finding(doc, (*where, "instrument"), "law.not-yet-applicable",
                      f"{instrument.short_name} applies only from {starts.isoformat()}; say "
                      "so in the text, or cite the law that applies today", Severity.WARNING)


def measure_references(context: Context) -> Iterator[Finding]:
    """Every `related` and `next` names another existing measure."""
    sources = context.sources
    if not sources.complete:
        return  # a measure in a file that failed to load would look missing
    known = {m.id for _, _, m in _measures(sources)}
    for sop, i, measure in _measures(sources):
        targets: list[tuple[Loc, str]] = [(("related", j), ref)
                                          for j, ref in enumerate(measure.related)]
        targets += [(("next", j, "to"), edge.to) for j, edge in enumerate(measure.next)]
        for loc, ref in targets:
            full = ("measures", i, *loc)
            if ref == measure.id:
                yield Finding(sop.doc, full, "ref.self", f"'{ref}' refers to the measure "
                              "itself; name another measure")
            elif ref not in known:
                yield Finding(sop.doc, full, "ref.unknown-measure",
                              _unknown(ref, known, "measure", "give the id of a measure in "
                                       "guidelines/sops/"))


def repeated_entries(context: Context) -> Iterator[Finding]:
    """The same actor, related measure or next step listed twice is a slip."""
    sources = context.sources
    for sop, i, measure in _measures(sources):
        lists: dict[str, list[object]] = {
            "who": [(part.actor, part.side or measure.home) for part in measure.who],
            "related": list(measure.related),
            "next": list(measure.next),
        }
        for name, items in lists.items():
            seen: set[object] = set()
            for j, item in enumerate(items):
                if item in seen:
                    shown = item.to if isinstance(item, Edge) else (
                        item[0] if isinstance(item, tuple) else item)
                    yield Finding(sop.doc, ("measures", i, name, j), "ref.repeated",
                                  f"'{shown}' is listed twice; remove one", Severity.WARNING)
                seen.add(item)


def step_actors(context: Context) -> Iterator[Finding]:
    """A step is done by actors of its measure's WHO (a child's step: or of the child's WHO),
    and a measure's focus is among the forms of exploitation it concerns."""
    for sop, i, measure in _measures(context.sources):
        adult = [p.actor for p in measure.who]
        child = adult + [p.actor for p in (measure.child.who if measure.child else [])]
        steps: list[tuple[Loc, Sequence[Step], list[str]]] = [
            (("how",), measure.how, adult),
            (("child", "how"), measure.child.how if measure.child else [], child)]
        for where, items, allowed in steps:
            for j, step in enumerate(items):
                for k, actor in enumerate(step.by):
                    if actor not in allowed:
                        yield Finding(sop.doc, ("measures", i, *where, j, "by", k),
                                      "ref.step-actor",
                                      f"'{actor}' does not take part in this measure (its who: "
                                      f"{', '.join(dict.fromkeys(allowed))}); name one of "
                                      "them, or add the actor to who")
        for j, form in enumerate(measure.focus):
            if form not in measure.exploitation:
                yield Finding(sop.doc, ("measures", i, "focus", j), "ref.focus-form",
                              f"'{form}' is not among the forms this measure concerns "
                              f"({', '.join(measure.exploitation)}); remove it, or add it to "
                              "exploitation")


def _sided(measure: Measure) -> Iterator[tuple[Loc, Side | None]]:
    """Each step and actor of a measure (the child's included) with its location."""
    child = measure.child
    places: list[tuple[Loc, Sequence[Step | Participant]]] = [
        (("how",), measure.how), (("who",), measure.who),
        (("child", "how"), child.how if child else []),
        (("child", "who"), child.who if child else [])]
    for where, items in places:
        for j, item in enumerate(items):
            yield (*where, j, "side"), item.side


def sides(context: Context) -> Iterator[Finding]:
    """A step or an actor happens on a side of the case that the measure's roles have."""
    for sop, i, measure in _measures(context.sources):
        allowed = measure.sides()
        for loc, side in _sided(measure):
            if side and side not in allowed:
                roles = ", ".join(measure.roles)
                shown = ", ".join(s for s in Side if s in allowed)
                yield Finding(sop.doc, ("measures", i, *loc), "flow.wrong-side",
                              f"'{side}' is not a side of this measure: its roles are "
                              f"[{roles}], so its steps and actors happen on {shown}; choose "
                              "one of these, or add the role to the measure's roles")


def crossing_edges(context: Context) -> Iterator[Finding]:
    """An edge to a measure that runs on no side of this one passes the case to another
    country: it is a hand-over, which says its channel, what passes and on whose consent."""
    sources = context.sources
    measures = {m.id: m for _, _, m in _measures(sources)}
    for sop, i, measure in _measures(sources):
        for j, edge in enumerate(measure.next):
            target = measures.get(edge.to)
            if target and not edge.handover and not set(measure.sides()) & set(target.sides()):
                there = ", ".join(target.roles)
                yield Finding(sop.doc, ("measures", i, "next", j), "flow.crossing-without-handover",
                              f"'{edge.to}' runs only in countries of another role ({there}), "
                              f"so the case passes here to another country; add handover: "
                              "with its channel, what it shares and on whose consent")


def reachable_measures(context: Context) -> Iterator[Finding]:
    """Every measure is reached by `next` edges from its SOP's start or is itself a start."""
    sources = context.sources
    for sop in sources.sops:
        measures = sop.model.measures
        ids = {m.id for m in measures}
        edges = {m.id: [e.to for e in m.next if e.to in ids] for m in measures}
        todo = [m.id for index, m in enumerate(measures) if index == 0 or m.start]
        reached = set(todo)
        while todo:
            for nxt in edges[todo.pop()]:
                if nxt not in reached:
                    reached.add(nxt)
                    todo.append(nxt)
        for index, measure in enumerate(measures):
            if measure.id not in reached:
                yield Finding(sop.doc, ("measures", index, "id"), "flow.unreachable",
                              f"no `next` edge in this SOP leads to '{measure.id}'; add one "
                              "from the measure before it, or mark it `start: true`")


def unconditional_cycles(context: Context) -> Iterator[Finding]:
    """A loop of `next` edges needs a condition somewhere, or the flow never ends."""
    sources = context.sources
    where: dict[str, tuple[Document, int]] = {}
    graph: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for sop, i, measure in _measures(sources):
        where[measure.id] = (sop.doc, i)
        for j, edge in enumerate(measure.next):
            if edge.condition is None:
                graph[measure.id].append((edge.to, j))
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> Iterator[Finding]:
        state[node] = 1
        path.append(node)
        for target, j in graph.get(node, []):
            if state.get(target) == 1:
                loop = [*path[path.index(target):], target]
                doc, i = where[node]
                yield Finding(doc, ("measures", i, "next", j), "flow.unconditional-cycle",
                              f"the steps {' -> '.join(loop)} form a loop with no condition "
                              "on any edge; give one of these edges a `condition`")
            elif target in where and target not in state:
                yield from visit(target)
        path.pop()
        state[node] = 2

    for node in sorted(where):
        if node not in state:
            yield from visit(node)


SAFEGUARDS = {
    Safeguard.CONSENT: "the person's informed consent to what is shared, with whom and why",
    Safeguard.RISK: "a risk assessment",
    Safeguard.PROTECTION: "a check for international protection needs",
}
"""What each safeguard is, as the messages say it."""


def unsafe_path(graph: dict[str, list[str]], has: Callable[[str], bool],
                target: str) -> list[str] | None:
    """A path from a beginning of `graph` (a node no edge leads to) to `target` on which no
    node, `target` included, has the safeguard; None when every path has it."""
    if has(target):
        return None
    leads_to = {to for targets in graph.values() for to in targets}
    parent: dict[str, str | None] = {node: None for node in graph
                                     if node not in leads_to and not has(node)}
    todo = list(parent)
    while todo:
        node = todo.pop(0)
        if node == target:
            path = [node]
            while (before := parent[path[-1]]) is not None:
                path.append(before)
            return path[::-1]
        for nxt in graph.get(node, []):
            if nxt not in parent and not has(nxt):
                parent[nxt] = node
                todo.append(nxt)
    return None


def _crossing_problem(graph: dict[str, list[str]],
                      safeguards: Callable[[str], set[Safeguard]],
                      source: str, what: str) -> str | None:
    """What is wrong with a contact abroad at `source`, or None: one path that lacks a
    safeguard, and every safeguard that path lacks."""
    for safeguard in SAFEGUARDS:
        path = unsafe_path(graph, functools.partial(_holds, safeguards, safeguard), source)
        if path:
            missing = [f"{meaning} ('{name}')" for name, meaning in SAFEGUARDS.items()
                       if not any(name in safeguards(node) for node in path)]
            return (f"{what}, but the path {' -> '.join(path)} reaches it without "
                    f"{'; without '.join(missing)}; put measures with these safeguards on "
                    "the path first, or make the contact later")
    return None


def _holds(safeguards: Callable[[str], set[Safeguard]], safeguard: Safeguard,
           node: str) -> bool:
    return safeguard in safeguards(node)


def safe_crossings(context: Context) -> Iterator[Finding]:
    """Another country's authorities hear of the person only after the safeguards: every
    path of `next` edges to a contact abroad (a measure's `abroad`, an edge's `handover`)
    passes measures with the safeguards consent, risk and protection. Paths begin where no
    edge leads, and at measures marked `start`."""
    if not context.sources.complete:
        return  # a path through a file that failed to load would look unsafe
    measures = list(_measures(context.sources))
    ids = {m.id for _, _, m in measures}
    graph = {m.id: [e.to for e in m.next if e.to in ids] for _, _, m in measures}
    for _, _, m in measures:  # a start is a beginning: nothing leads to it in this check
        if m.start:
            for targets in graph.values():
                while m.id in targets:
                    targets.remove(m.id)
    held = {m.id: set(m.safeguards) for _, _, m in measures}

    def safeguards(node: str) -> set[Safeguard]:
        return held.get(node, set())

    for sop, i, measure in measures:
        if measure.abroad:
            message = _crossing_problem(graph, safeguards, measure.id,
                                        f"'{measure.id}' contacts another country")
            if message:
                yield Finding(sop.doc, ("measures", i, "abroad"), "flow.unsafe-crossing",
                              message, key=True)
        # One answer for all of a measure's hand-overs: they leave from the same place.
        handovers = [j for j, edge in enumerate(measure.next) if edge.handover is not None]
        passing = handovers and _crossing_problem(
            graph, safeguards, measure.id, f"the case passes from '{measure.id}' to another "
            "country")
        if passing:
            yield from (Finding(sop.doc, ("measures", i, "next", j, "handover"),
                                "flow.unsafe-crossing", passing, key=True) for j in handovers)


def safe_overview_crossings(context: Context) -> Iterator[Finding]:
    """No arrow of the overview chart crosses to another lane before every path to it has
    passed boxes whose measures have the safeguards consent, risk and protection."""
    sources = context.sources
    if not sources.overview or not sources.complete:
        return  # a box's measure in a file that failed to load would look unsafe
    doc, overview = sources.overview.doc, sources.overview.model
    held = {m.id: set(m.safeguards) for _, _, m in _measures(sources)}
    steps = {step.id: step for step in overview.steps}
    graph: dict[str, list[str]] = {step: [] for step in steps}
    for edge in overview.edges:
        if edge.source in steps and edge.to in steps:
            graph[edge.source].append(edge.to)

    def safeguards(node: str) -> set[Safeguard]:
        return held.get(steps[node].measure, set())

    for i, edge in enumerate(overview.edges):
        source, target = steps.get(edge.source), steps.get(edge.to)
        if source and target and source.lane != target.lane:
            message = _crossing_problem(graph, safeguards, source.id, f"the arrow from "
                                        f"'{source.id}' crosses from the {source.lane} to "
                                        f"the {target.lane} country")
            if message:
                yield Finding(doc, ("edges", i), "flow.unsafe-crossing", message)


def overview_references(context: Context) -> Iterator[Finding]:
    """The overview's boxes name measures in lanes where they apply; its arrows name boxes."""
    sources = context.sources
    if not sources.overview or not sources.complete:
        return  # a box's measure in a file that failed to load would look unsafe
    doc, overview = sources.overview.doc, sources.overview.model
    yield from _first_seen(((step.id, doc, ("steps", i, "id"))
                            for i, step in enumerate(overview.steps)), "ref.duplicate-id",
                           "step id")
    measures = {m.id: m for _, _, m in _measures(sources)}
    for i, step in enumerate(overview.steps):
        measure = measures.get(step.measure)
        if measure is None:
            if sources.complete:
                yield Finding(doc, ("steps", i, "measure"), "ref.unknown-measure",
                              _unknown(step.measure, set(measures), "measure",
                                       "give the id of a measure in guidelines/sops/"))
        elif step.lane not in measure.roles:
            roles = ", ".join(measure.roles)
            yield Finding(doc, ("steps", i, "lane"), "flow.lane-role", f"'{step.measure}' "
                          f"applies in the roles {roles}, not in '{step.lane}'; move the box "
                          "or add the role to the measure")
    steps = {step.id for step in overview.steps}
    connected: set[str] = set()
    for i, edge in enumerate(overview.edges):
        for name, ref in (("from", edge.source), ("to", edge.to)):
            connected.add(ref)
            if ref not in steps:
                yield Finding(doc, ("edges", i, name), "ref.unknown-step",
                              _unknown(ref, steps, "step", "give the id of a step above"))
    for i, step in enumerate(overview.steps):
        if step.id not in connected:
            yield Finding(doc, ("steps", i, "id"), "flow.unconnected", f"no arrow starts or "
                          f"ends at '{step.id}'; connect it or remove it", Severity.WARNING)


def form_fields(context: Context) -> Iterator[Finding]:
    """The referral form's sections and fields have unique ids."""
    form = context.sources.form
    if not form:
        return
    yield from _first_seen(((s.id, form.doc, ("sections", i, "id"))
                            for i, s in enumerate(form.model.sections)), "ref.duplicate-id",
                           "section id")
    yield from _first_seen(((f.id, form.doc, ("sections", i, "fields", j, "id"))
                            for i, s in enumerate(form.model.sections)
                            for j, f in enumerate(s.fields)), "ref.duplicate-id", "field id")


def severity_codes(context: Context) -> Iterator[Finding]:
    """The severity settings name codes that problems can carry, and that may change."""
    guideline = context.sources.guideline
    if not guideline:
        return
    for code in guideline.model.severity:
        if code not in CODES:
            hint = values.suggest(code, sorted(CODES)) or (
                "; a problem's code is the one in brackets after its message")
            yield Finding(guideline.doc, ("severity", code), "ref.unknown-code",
                          f"no problem has the code '{code}'{hint}", key=True)
        elif code not in ADJUSTABLE:
            yield Finding(guideline.doc, ("severity", code), "ref.fixed-severity",
                          f"the severity of '{code}' cannot be changed: it marks content "
                          "that cannot be published as it is; fix the content instead "
                          "(CONTRIBUTING.md lists the codes that can be changed)",
                          key=True)


def languages(context: Context) -> Iterator[Finding]:
    """The guideline is published in its source language, listed first."""
    sources = context.sources
    if not sources.guideline:
        return
    guideline = sources.guideline.model
    if guideline.languages[0] != guideline.source_language:
        yield Finding(sources.guideline.doc, ("languages", 0), "i18n.source-language",
                      f"the source language '{guideline.source_language}' must come first "
                      "in languages")


def translations(context: Context) -> Iterator[Finding | Diagnostic]:
    """Each language's catalog: current contexts, the same placeholders and links, safe text."""
    sources = context.sources
    if not sources.guideline or not sources.complete:
        return
    yield from _stray_catalogs(sources)
    guideline = sources.guideline.model
    others = [code for code in guideline.languages if code != guideline.source_language]
    if not others:
        return
    layout = sources.layout
    try:
        pot = catalogs.template(layout, sources)
    except UnsafeFile as exc:
        shown = layout.display(exc.path) if exc.path else "templates"
        yield Diagnostic(shown, 1, 1, exc.code, "", exc.message)
        return
    for code in others:
        path = catalogs.catalog_path(layout, code)
        if not path.is_file():
            yield Finding(sources.guideline.doc, ("languages",), "i18n.missing-catalog",
                          f"there is no catalog for '{code}' yet; run 'trmgen i18n update'",
                          Severity.WARNING)
            continue
        try:
            catalog = catalogs.read_shared(layout, code)
        except catalogs.CatalogError as exc:
            yield from exc.diagnostics
            continue
        yield from catalogs.checks(layout, code, catalog, pot)
        yield from _own_problems(catalog, code, layout.display(path), sources.termbase)


_OWN: dict[str, tuple[object, object, str, list[Diagnostic]]] = {}
"""The last problems found by _own_problems in each language, with what they were found in."""


def _own_problems(catalog: Catalog, code: str, shown: str,
                  termbase: Source[Termbase] | None) -> list[Diagnostic]:
    """A catalog's problems that no source text changes: quotation marks and terms. Kept
    while the catalog and the termbase are the same objects (each is parsed once per content
    in a process), since `serve` validates after every edit of a source."""
    kept = _OWN.get(code)
    if kept and kept[0] is catalog and kept[1] is termbase and kept[2] == shown:
        return kept[3]
    found = list(quotes.check(catalog, code, shown))
    if termbase:
        found += terms.check(catalog, code, termbase.model, shown, termbase.doc.path)
    _OWN[code] = (catalog, termbase, shown, found)
    return found


def _stray_catalogs(sources: Sources) -> Iterator[Diagnostic]:
    """Catalogs that are never read: for the source language, or a language not published."""
    assert sources.guideline
    guideline = sources.guideline.model
    layout = sources.layout
    for path in sorted(layout.translations.glob("*.po")):
        code = path.stem
        if code == guideline.source_language:
            yield Diagnostic(layout.display(path), 1, 1, "i18n.source-catalog", "", f"'{code}' "
                             "is the language the guidelines are written in, so this catalog "
                             "is never read; delete it", Severity.WARNING)
        elif code not in guideline.languages:
            yield Diagnostic(layout.display(path), 1, 1, "i18n.unpublished", "", f"'{code}' "
                             "is not among the languages of guidelines/guideline.yaml, so "
                             f"this catalog is not published; add '{code}' to languages, or "
                             "delete the catalog", Severity.WARNING)


def phone_numbers(context: Context) -> Iterator[Finding]:
    """A verified contact's numbers are in use; a sample contact's reach nobody. A number of
    another country is worth a second look."""
    for code, country in context.sources.countries.items():
        sample = country.model.sample_data
        for i, inst in enumerate(country.model.institutions):
            for j, line in enumerate(inst.phones):
                where = ("institutions", i, "phones", j, "number")
                number, region = line.number, phones.region(line.number)
                if sample and phones.in_use(number):
                    yield Finding(country.doc, where, "contact.sample-phone", f"'{number}' "
                                  f"is in a range that an operator in {region} uses: a sample "
                                  "number must reach nobody; use one in no range, such as "
                                  f"'{phones.fictional(region)}'")
                elif not sample and not phones.in_use(number):
                    yield Finding(country.doc, where, "value.phone", f"'{number}' is not a "
                                  f"valid number for {region}; check the number")
                if region != code:
                    yield Finding(country.doc, where, "contact.phone-country", f"'{number}' "
                                  f"is a number in {region}, not {code}; check it (fine for an "
                                  "office abroad)", Severity.WARNING)


def verification(context: Context) -> Iterator[Finding]:
    """Verified contacts say when and by whom they were checked; sample data claims no
    check."""
    for country in context.sources.countries.values():
        for i, inst in enumerate(country.model.institutions):
            given = [name for name in ("last_verified", "verified_by") if getattr(inst, name)]
            if country.model.sample_data:
                for name in given:
                    yield Finding(country.doc, ("institutions", i, name),
                                  "contact.sample-verified", "sample data claims no "
                                  f"verification; remove {name}, or replace the sample with "
                                  "checked details and set sample_data to false", key=True)
            elif len(given) < 2:
                missing = " and ".join(n for n in ("last_verified", "verified_by")
                                       if n not in given)
                yield Finding(country.doc, ("institutions", i, "id"), "contact.unverified",
                              f"give {missing}: when and by whom (a role) these details were "
                              "last checked", key=True)


def _is_example(host: str) -> bool:
    return any(host == d or host.endswith("." + d) for d in EXAMPLE_DOMAINS)


def sample_addresses(context: Context) -> Iterator[Finding]:
    """Sample data uses reserved example addresses, and real data does not."""
    sources = context.sources
    for country in sources.countries.values():
        sample = country.model.sample_data
        for i, inst in enumerate(country.model.institutions):
            hosts: list[tuple[Loc, str]] = [(("emails", j), email.rsplit("@", 1)[1].lower())
                                            for j, email in enumerate(inst.emails)]
            if inst.website:
                hosts.append((("website",), urlsplit(inst.website).hostname or ""))
            for loc, host in hosts:
                if sample and not _is_example(host):
                    yield Finding(country.doc, ("institutions", i, *loc),
                                  "contact.sample-address", f"sample data must use reserved "
                                  f"example addresses (example.org), not '{host}', so that "
                                  "nobody mistakes them for real ones")
                elif not sample and _is_example(host):
                    yield Finding(country.doc, ("institutions", i, *loc),
                                  "contact.example-address", f"'{host}' is a placeholder "
                                  "address; give the real one", Severity.WARNING)


def sample_data(context: Context) -> Iterator[Finding]:
    """Sample contacts are announced once, and refused file by file with --strict."""
    samples = [(code, c) for code, c in context.sources.countries.items() if c.model.sample_data]
    if context.strict:
        for _, country in samples:
            yield Finding(country.doc, ("sample_data",), "contact.sample-data",
                          "these contacts are sample data; replace them with verified "
                          "contacts before publishing", key=True)
    elif samples:
        codes = ", ".join(code for code, _ in samples)
        yield Finding(samples[0][1].doc, ("sample_data",), "contact.sample-data",
                      f"the contacts of {len(samples)} "
                      f"{'country are' if len(samples) == 1 else 'countries are'} sample data "
                      f"({codes}); replace them with verified contacts before publishing",
                      Severity.NOTICE, key=True)


def future_dates(context: Context) -> Iterator[Finding]:
    """Publication, verification and review dates have happened already."""
    sources = context.sources
    dated: list[tuple[Document, Loc, dt.date]] = []
    if sources.guideline:
        guideline = sources.guideline.model
        dated.append((sources.guideline.doc, ("published",), guideline.published))
        if guideline.law_as_of:
            dated.append((sources.guideline.doc, ("law_as_of",), guideline.law_as_of))
    for country in sources.countries.values():
        dated += [(country.doc, ("institutions", i, "last_verified"), inst.last_verified)
                  for i, inst in enumerate(country.model.institutions) if inst.last_verified]
        dated += [(country.doc, ("adoption", "measures", measure_id, "reviewed"), status.reviewed)
                  for measure_id, status in country.model.adoption.measures.items()
                  if status.reviewed]
    for doc, loc, day in dated:
        if day > context.today:
            yield Finding(doc, loc, "value.future-date", f"{day.isoformat()} is in the future; "
                          "give the date on which it happened")


def stale_contacts(context: Context) -> Iterator[Finding]:
    """Contacts not verified for longer than the guideline allows are flagged for a check."""
    sources = context.sources
    months = sources.guideline.model.stale_after_months if sources.guideline else 12
    limit = stale_before(context.today, months)
    for country in sources.countries.values():
        for i, inst in enumerate(country.model.institutions):
            if inst.last_verified and inst.last_verified < limit:
                yield Finding(country.doc, ("institutions", i, "last_verified"),
                              "contact.stale", f"last verified on {inst.last_verified}, more "
                              f"than {months} months ago; check the details with the "
                              "institution and update last_verified", Severity.WARNING)


def actor_coverage(context: Context) -> Iterator[Finding]:
    """Each country has a contact for every actor that its roles' measures name; an actor
    that acts in the country of origin (or of transit) is needed only where a country plays
    that role."""
    sources = context.sources
    if not sources.actors:
        return
    per_country = {a.id for a in sources.actors.model.actors if a.per_country}
    for country in sources.countries.values():
        roles = set(country.model.roles)
        served = {actor for inst in country.model.institutions if inst.status != "inactive"
                  for actor in inst.serves_as}
        needed: dict[str, list[str]] = defaultdict(list)
        for _, _, measure in _measures(sources):
            if not roles & set(measure.roles):
                continue
            child = measure.child.who if measure.child else []
            for part in (*measure.who, *child):
                away = part.side in (Side.ORIGIN, Side.TRANSIT)  # only countries in that role
                if away and CountryRole(str(part.side)) not in roles:
                    continue
                if part.actor in per_country and part.actor not in served and \
                        measure.id not in needed[part.actor]:
                    needed[part.actor].append(measure.id)
        for actor, measures in sorted(needed.items()):
            shown = ", ".join(measures[:3]) + (", ..." if len(measures) > 3 else "")
            many = f"{len(measures)} measures" if len(measures) > 1 else "a measure"
            yield Finding(country.doc, ("institutions",), "contact.missing-actor",
                          f"no active institution here serves as '{actor}', although {many} "
                          f"for this country's roles name it ({shown}); add '{actor}' to the "
                          "serves_as of the institution that does this work",
                          Severity.WARNING, key=True)


def _handovers(measure: Measure) -> Iterator[tuple[Loc, Handover]]:
    for j, contact in enumerate(measure.abroad):
        yield ("abroad", j), contact
    for j, edge in enumerate(measure.next):
        if edge.handover:
            yield ("next", j, "handover"), edge.handover


def channels(context: Context) -> Iterator[Finding]:
    """Every channel of a hand-over is one that an actor receives, and every country has an
    institution that can receive it."""
    sources = context.sources
    if not sources.actors:
        return
    receivers: dict[str, list[str]] = defaultdict(list)
    for actor in sources.actors.model.actors:
        for channel in actor.receives:
            receivers[channel].append(actor.id)
    used: dict[str, str] = {}
    for sop, i, measure in _measures(sources):
        for loc, contact in _handovers(measure):
            used.setdefault(contact.channel, measure.id)
            if contact.channel not in receivers:
                yield Finding(sop.doc, ("measures", i, *loc, "channel"), "ref.unreceived-channel",
                              f"no actor receives cases through '{contact.channel}'; add it to "
                              "`receives` of the actor that takes such contacts, in "
                              "guidelines/actors.yaml")
    for country in sources.countries.values():
        served = {actor for inst in country.model.institutions if inst.status != "inactive"
                  for actor in inst.serves_as}
        for used_channel, measure_id in sorted(used.items()):
            actors = receivers.get(used_channel, [])
            if actors and not served & set(actors):
                names = " or ".join(f"'{a}'" for a in actors)
                yield Finding(country.doc, ("institutions",), "contact.missing-channel",
                              f"no active institution here can receive a case through "
                              f"'{used_channel}' (as in '{measure_id}'); add {names} to the "
                              "serves_as of the institution that takes such contacts",
                              Severity.WARNING, key=True)


def adoption(context: Context) -> Iterator[Finding]:
    """Each country's adoption names measures, acts and institutions that exist, replaces
    steps the measure has, and was reviewed in the last 24 months."""
    sources = context.sources
    measures = {m.id: m for _, _, m in _measures(sources)}
    for country in sources.countries.values():
        adopted = country.model.adoption
        acts = {act.id for act in adopted.acts}
        institutions = {inst.id for inst in country.model.institutions}
        yield from _first_seen(((act.id, country.doc, ("adoption", "acts", i, "id"))
                                for i, act in enumerate(adopted.acts)),
                               "ref.duplicate-id", "act id")
        for measure_id, status in adopted.measures.items():
            where = ("adoption", "measures", measure_id)
            measure = measures.get(measure_id)
            if measure is None and sources.complete:  # else it may be in a file not loaded
                yield Finding(country.doc, where, "ref.unknown-measure",
                              _unknown(measure_id, set(measures), "measure",
                                       "measures are defined in guidelines/sops/"), key=True)
            if status.act and status.act not in acts:
                yield Finding(country.doc, (*where, "act"), "ref.unknown-act",
                              _unknown(status.act, acts, "act",
                                       "acts are listed in adoption.acts of this file"))
            if status.lead and status.lead not in institutions:
                yield Finding(country.doc, (*where, "lead"), "ref.unknown-institution",
                              _unknown(status.lead, institutions, "institution",
                                       "the institutions of this file"))
            for j, step in enumerate(status.steps):
                if measure and step.replaces and step.replaces > len(measure.how):
                    yield Finding(country.doc, (*where, "steps", j, "replaces"),
                                  "adoption.step", f"'{measure_id}' has {len(measure.how)} "
                                  f"step{'s' if len(measure.how) > 1 else ''}, so there is no "
                                  f"step {step.replaces} to replace; "
                                  "give the number of a step, or leave out 'replaces' to add "
                                  "the step after the common ones")
            if review_due(status.reviewed, context.today):
                yield Finding(country.doc, (*where, "reviewed"), "adoption.review-due",
                              f"last reviewed on {status.reviewed}, more than "
                              f"{REVIEW_MONTHS} months ago; check the status with the national "
                              "coordinator and update 'reviewed'", Severity.WARNING)


RULES: tuple[Rule, ...] = (
    unique_ids, actor_references, step_actors, instrument_references, instrument_history,
    citations, measure_references, sides, crossing_edges,
    repeated_entries, reachable_measures, unconditional_cycles, overview_references,
    safe_crossings, safe_overview_crossings, form_fields,
    severity_codes, languages, translations, phone_numbers, verification,
    sample_addresses, sample_data, future_dates, stale_contacts, actor_coverage, channels,
    adoption,
)

