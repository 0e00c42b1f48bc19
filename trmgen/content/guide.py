"""The guideline as one cross-referenced whole: the lookups that pages and charts need.

Built from validated sources; pure data, no I/O. Answers questions such as "which measures
does this actor carry out?", "which institutions in Bulgaria serve as police?" and "what comes
after this measure?".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from babel.languages import get_official_languages

from trmgen.checks.adoption import review_due
from trmgen.checks.freshness import stale_before
from trmgen.sources.load import Sources
from trmgen.sources.model import (
    ADOPTED_STATUSES,
    Actor,
    ActorKind,
    Adoption,
    AdoptionStatus,
    ChartStyle,
    Citation,
    CountryContacts,
    CountryRole,
    Edge,
    Exploitation,
    Guideline,
    Institution,
    Instrument,
    Measure,
    NationalAct,
    Overview,
    OverviewEdge,
    OverviewStep,
    Participant,
    PhoneLine,
    ReferralForm,
    Side,
    Sop,
    Status,
    Step,
)


@dataclass(frozen=True)
class NextStep:
    """Where a `next` edge leads: the edge, the measure it leads to and that measure's SOP."""

    edge: Edge
    measure: Measure
    sop: Sop


@dataclass(frozen=True)
class OwnStep:
    """A step that an actor does: its number in the measure's HOW (or the child's), the
    step, and whether it is one of the child's steps."""

    number: int
    step: Step
    child: bool


@dataclass(frozen=True)
class Task:
    """A measure that an actor takes part in, and the steps it does there."""

    measure: Measure
    child_case: bool
    """Whether the actor takes part only in a child's case."""
    steps: tuple[OwnStep, ...]


@dataclass(frozen=True)
class Cited:
    """A legal basis resolved: the instrument, its provisions, and what amended them."""

    instrument: Instrument
    provisions: tuple[str, ...]
    amended_by: Instrument | None


@dataclass(frozen=True)
class Part:
    """An actor of a measure and the side where it acts."""

    actor: Actor
    side: Side
    away: bool
    """Whether it acts in another country than where the measure runs."""


@dataclass(frozen=True)
class MeasureView:
    """A measure with every reference resolved, as pages and the book show it."""

    measure: Measure
    sop: Sop
    who: tuple[Part, ...]
    child_who: tuple[Part, ...]
    citations: tuple[Cited, ...]
    next: tuple[NextStep, ...]
    related: tuple[tuple[Measure, Sop], ...]
    before: Measure | None
    """The measure before this one in reading order, across SOPs."""
    after: Measure | None


@dataclass(frozen=True)
class Contact:
    """An institution of a country with the actors it serves as resolved."""

    country: Country
    institution: Institution
    actors: tuple[Actor, ...]
    stale: bool
    """Whether its details are due for a check."""


@dataclass(frozen=True)
class Reach:
    """An institution of a country that serves as an actor, with the numbers to call for it:
    the lines for that actor (or for all its actors), those answered 24/7 first."""

    institution: Institution
    phones: tuple[PhoneLine, ...]


@dataclass(frozen=True)
class OverviewBox:
    """A box of the overview chart with its measure, and the arrows that leave it."""

    step: OverviewStep
    measure: Measure
    sop: Sop
    arrows: tuple[tuple[OverviewEdge, OverviewStep, Measure], ...]
    """Each arrow that leaves the box, with the box and measure it leads to."""


@dataclass(frozen=True)
class Country:
    """A country's contacts with its ISO code."""

    code: str
    contacts: CountryContacts
    source: str
    """The path of its contacts file, for 'edit this page' and messages."""

    @property
    def language(self) -> str:
        """Its official language as a language tag (CLDR's first), for its institutions'
        names in that language."""
        found = get_official_languages(self.code)
        return found[0].replace("_", "-") if found else "und"


@dataclass(frozen=True, slots=True)  # one for each country and measure: 490,000 at 50x
class Adopted:
    """How one country has taken up one measure, with its references resolved."""

    country: Country
    measure: Measure
    status: AdoptionStatus
    """'unknown' for a measure the country does not list."""
    entry: Adoption | None
    act: NationalAct | None
    lead: Institution | None
    """The national institution that leads it, where it differs from the guidelines."""
    review_due: bool

    @property
    def adopted(self) -> bool:
        return self.status in ADOPTED_STATUSES

    @property
    def differs(self) -> bool:
        """Whether the country does the measure differently: a note, national steps or its
        own lead."""
        return bool(self.entry and (self.entry.note or self.entry.steps or self.lead))


@dataclass(frozen=True)
class Guide:
    """Validated sources with the lookups that pages need."""

    guideline: Guideline
    actors: tuple[Actor, ...]
    instruments: tuple[Instrument, ...]
    sops: tuple[Sop, ...]
    countries: tuple[Country, ...]
    style: ChartStyle
    overview: Overview
    form: ReferralForm
    files: dict[str, str] = field(default_factory=dict)
    """The repository paths the parts come from: 'guideline', 'sop/<id>', 'contacts', ..."""
    today: dt.date = field(default_factory=dt.date.today)

    @classmethod
    def from_sources(cls, sources: Sources, today: dt.date | None = None) -> Guide:
        """The guide of sources that validated without errors."""
        assert sources.guideline and sources.actors and sources.instruments
        assert sources.style and sources.overview and sources.form
        return cls(
            guideline=sources.guideline.model,
            actors=tuple(sources.actors.model.actors),
            instruments=tuple(sources.instruments.model.instruments),
            sops=tuple(sorted((s.model for s in sources.sops), key=lambda s: s.number)),
            countries=tuple(Country(code, c.model, c.doc.path)
                            for code, c in sorted(sources.countries.items())),
            style=sources.style.model,
            overview=sources.overview.model,
            form=sources.form.model,
            files=_files(sources),
            today=today or dt.date.today(),
        )

    @cached_property
    def measures(self) -> tuple[Measure, ...]:
        """Every measure, SOP by SOP, in order."""
        return tuple(m for sop in self.sops for m in sop.measures)

    @cached_property
    def _sop_of(self) -> dict[str, Sop]:
        return {m.id: sop for sop in self.sops for m in sop.measures}

    def sop_of(self, measure: Measure) -> Sop:
        """The SOP a measure belongs to."""
        return self._sop_of[measure.id]

    @cached_property
    def _measure(self) -> dict[str, Measure]:
        return {m.id: m for m in self.measures}

    def measure(self, measure_id: str) -> Measure:
        """A measure by id."""
        return self._measure[measure_id]

    @cached_property
    def _actor(self) -> dict[str, Actor]:
        return {a.id: a for a in self.actors}

    def actor(self, actor_id: str) -> Actor:
        """An actor by id."""
        return self._actor[actor_id]

    @cached_property
    def _instrument(self) -> dict[str, Instrument]:
        return {i.id: i for i in self.instruments}

    def instrument(self, instrument_id: str) -> Instrument:
        """A legal instrument by id."""
        return self._instrument[instrument_id]

    @cached_property
    def _position(self) -> dict[str, int]:
        return {m.id: i for i, m in enumerate(self.measures)}

    def neighbours(self, measure: Measure) -> tuple[Measure | None, Measure | None]:
        """The measures before and after this one in reading order, across SOPs."""
        index = self._position[measure.id]
        before = self.measures[index - 1] if index > 0 else None
        after = self.measures[index + 1] if index + 1 < len(self.measures) else None
        return before, after

    def view(self, measure: Measure) -> MeasureView:
        """A measure with its references resolved."""
        return self._views[measure.id]

    @cached_property
    def _views(self) -> dict[str, MeasureView]:
        views = {}
        for sop in self.sops:
            for measure in sop.measures:
                before, after = self.neighbours(measure)
                child = measure.child.who if measure.child else []
                views[measure.id] = MeasureView(
                    measure, sop, self._parts(measure, measure.who),
                    self._parts(measure, child),
                    tuple(self.cited(c) for c in measure.legal_basis),
                    tuple(NextStep(e, self.measure(e.to), self.sop_of(self.measure(e.to)))
                          for e in measure.next),
                    tuple((self.measure(r), self.sop_of(self.measure(r)))
                          for r in measure.related),
                    before, after)
        return views

    def _parts(self, measure: Measure, who: list[Participant]) -> tuple[Part, ...]:
        return tuple(Part(self.actor(p.actor), p.side or measure.home,
                          (p.side or measure.home) != measure.home) for p in who)

    def contacts(self, country: Country) -> list[Contact]:
        """A country's institutions, with the actors they serve as."""
        return [self._contact(country, inst) for inst in country.contacts.institutions]

    def _contact(self, country: Country, inst: Institution) -> Contact:
        return Contact(country, inst, tuple(self.actor(a) for a in inst.serves_as),
                       self.is_stale(inst))

    def boxes(self, role: CountryRole) -> list[OverviewBox]:
        """The overview's boxes in the lane of one country role, with their arrows."""
        steps = {step.id: step for step in self.overview.steps}
        return [OverviewBox(step, self.measure(step.measure),
                            self.sop_of(self.measure(step.measure)),
                            tuple((edge, steps[edge.to], self.measure(steps[edge.to].measure))
                                  for edge in self.overview.edges if edge.source == step.id))
                for step in self.overview.steps if step.lane == role]

    def tasks(self, actor: Actor) -> list[tuple[Sop, list[Task]]]:
        """Per SOP, the measures the actor takes part in, each with its own steps."""
        out = []
        for sop in self.sops:
            found = [Task(m, actor.id not in m.actors(), own_steps(m, actor.id))
                     for m in sop.measures if actor.id in m.actors(child=True)]
            if found:
                out.append((sop, found))
        return out

    def lead_kinds(self, measure_ids: Iterable[str]) -> list[ActorKind]:
        """The kinds of the actors who lead some of the measures, in the order of ActorKind:
        the colours a chart of them shows."""
        kinds = {self.actor(self.measure(m).who[0].actor).kind for m in measure_ids}
        return [kind for kind in ActorKind if kind in kinds]

    def focus(self, form: Exploitation) -> list[Measure]:
        """The measures that matter most for a form of exploitation, in their order."""
        return [m for m in self.measures if form in m.focus]

    def meeting(self, form: Exploitation) -> list[Actor]:
        """The actors who meet a form of exploitation most in their work."""
        return [a for a in self.actors if form in a.meets]

    @cached_property
    def _serving(self) -> dict[str, list[tuple[Country, Institution]]]:
        found: dict[str, list[tuple[Country, Institution]]] = defaultdict(list)
        for country in self.countries:
            for inst in country.contacts.institutions:
                for actor in inst.serves_as:
                    found[actor].append((country, inst))
        return found

    def serving(self, actor: Actor) -> list[Contact]:
        """The institutions, country by country, that serve as this actor."""
        return [self._contact(country, inst) for country, inst in self._serving.get(actor.id, [])]

    def parts(self, sop: Sop) -> list[Part]:
        """Every actor of an SOP's measures (a child's included) on each side, once, in order."""
        found: dict[tuple[str, Side], Part] = {}
        for measure in sop.measures:
            view = self.view(measure)
            for part in (*view.who, *view.child_who):
                found.setdefault((part.actor.id, part.side), part)
        return list(found.values())

    def reach(self, country: Country, actor_id: str) -> list[Reach]:
        """The active institutions of a country that serve as an actor, with their numbers."""
        return [Reach(inst, tuple(sorted((line for line in inst.phones
                                          if not line.serves_as or actor_id in line.serves_as),
                                         key=lambda line: not line.always_open)))
                for inst in country.contacts.institutions
                if actor_id in inst.serves_as and inst.status != Status.INACTIVE]

    def country(self, code: str) -> Country:
        return self._countries[code]

    @cached_property
    def _countries(self) -> dict[str, Country]:
        return {c.code: c for c in self.countries}

    def adoption(self, country: Country, measure: Measure) -> Adopted:
        """How a country has taken up a measure."""
        return self._adoption[country.code, measure.id]

    @cached_property
    def _adoption(self) -> dict[tuple[str, str], Adopted]:
        """Every country's adoption of every measure, its references resolved once."""
        found = {}
        for country in self.countries:
            taken = country.contacts.adoption
            acts = {act.id: act for act in taken.acts}
            leads = {inst.id: inst for inst in country.contacts.institutions}
            for measure in self.measures:
                entry = taken.measures.get(measure.id)
                found[country.code, measure.id] = Adopted(
                    country, measure, AdoptionStatus.UNKNOWN, None, None, None, False
                ) if entry is None else Adopted(
                    country, measure, entry.status, entry,
                    acts.get(entry.act) if entry.act else None,
                    leads.get(entry.lead) if entry.lead else None,
                    review_due(entry.reviewed, self.today))
        return found

    def adopted_in(self, measure: Measure) -> list[Adopted]:
        """How each country has taken up a measure, in the order of the country codes."""
        return [self.adoption(country, measure) for country in self.countries]

    def adoption_of(self, country: Country) -> list[Adopted]:
        """How a country has taken up each measure, in the order of the measures."""
        return [self.adoption(country, m) for m in self.measures]

    def child_measures(self, sop: Sop) -> list[Measure]:
        """The measures of an SOP that change or exist for children."""
        return [m for m in sop.measures if m.child or m.child_only]

    def for_form(self, form: Exploitation, sop: Sop | None = None) -> list[Measure]:
        """The measures that concern a form of exploitation, in one SOP or in all."""
        return [m for m in (sop.measures if sop else self.measures) if form in m.exploitation]

    def specific_to(self, form: Exploitation) -> list[Measure]:
        """The measures that concern a form of exploitation and not every form."""
        return [m for m in self.for_form(form) if len(m.exploitation) < len(Exploitation)]

    def indicators(self, form: Exploitation) -> list[str]:
        """The identification indicators of a form of exploitation, without repeats."""
        found = [i for m in self.measures for i in m.indicators.get(form.value, [])]
        return list(dict.fromkeys(found))

    def child_indicators(self) -> list[str]:
        """The indicators specific to children."""
        found = [i for m in self.measures for i in m.indicators.get("child", [])]
        return list(dict.fromkeys(found))

    def general_indicators(self) -> list[str]:
        """The indicators that apply to every form of exploitation."""
        found = [i for m in self.measures for i in m.indicators.get("general", [])]
        return list(dict.fromkeys(found))

    def cited(self, citation: Citation) -> Cited:
        amended = citation.as_amended_by
        return Cited(self.instrument(citation.instrument), tuple(citation.articles),
                     self.instrument(amended) if amended else None)

    def citing(self, instrument: Instrument) -> list[tuple[Measure, Cited]]:
        """The measures that cite an instrument, with what they cite of it."""
        return [(m, self.cited(c)) for m in self.measures for c in m.legal_basis
                if c.instrument == instrument.id]

    def is_stale(self, institution: Institution) -> bool:
        """Whether an institution's details are due for a check."""
        return institution.last_verified is not None and \
            institution.last_verified < stale_before(self.today,
                                                        self.guideline.stale_after_months)

    def due(self, country: Country) -> list[Institution]:
        """A country's institutions whose details are due for a check."""
        return [i for i in country.contacts.institutions if self.is_stale(i)]

    @property
    def sample_data(self) -> bool:
        """Whether any country's contacts are sample data."""
        return any(c.contacts.sample_data for c in self.countries)


def _files(sources: Sources) -> dict[str, str]:
    """Where each part of the guide is edited, as repository paths."""
    layout = sources.layout
    files = {
        "guideline": layout.display(layout.guideline_file),
        "actors": layout.display(layout.actors_file),
        "instruments": layout.display(layout.instruments_file),
        "overview": layout.display(layout.overview_file),
        "form": layout.display(layout.form_file),
        "sops": layout.display(layout.sops) + "/",
        "contacts": layout.display(layout.contacts) + "/",
        "translations": layout.display(layout.translations) + "/",
    }
    files.update({f"sop/{sop.model.id}": sop.doc.path for sop in sources.sops})
    return files


def own_steps(measure: Measure, actor: str) -> tuple[OwnStep, ...]:
    """The steps of a measure (the child's included) that name `actor` among who does them."""
    child = measure.child.how if measure.child else []
    return tuple(OwnStep(number, step, is_child)
                 for steps, is_child in ((measure.how, False), (child, True))
                 for number, step in enumerate(steps, 1) if actor in step.by)
