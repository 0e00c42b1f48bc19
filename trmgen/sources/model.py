"""The content model: what a guideline, an SOP, a measure and a country's contacts are.

Pydantic models only: no I/O, no templates, no mkdocs. Unknown fields are refused. The field
docstrings become the JSON Schemas that give editors autocomplete and hover help.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema, model_validator
from pydantic.config import JsonDict
from pydantic_core import PydanticCustomError

from trmgen.sources.value_types import (
    Colour,
    CountryCode,
    Date,
    Email,
    Flag,
    FontName,
    GitRef,
    Hours,
    HttpsUrl,
    LanguageCode,
    Line,
    Markdown,
    Number,
    Phone,
    Ref,
    Shape,
    Slug,
    suggest,
)


class Strict(BaseModel):
    """A model that refuses unknown fields and documents its fields in the JSON Schema."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class CountryRole(StrEnum):
    """The part a country plays in a trafficking case."""

    ORIGIN = "origin"
    TRANSIT = "transit"
    DESTINATION = "destination"


class Exploitation(StrEnum):
    """A form of exploitation."""

    SEXUAL = "sexual"
    LABOUR = "labour"
    BEGGING = "begging"
    CRIMINAL_ACTIVITIES = "criminal-activities"
    DOMESTIC_SERVITUDE = "domestic-servitude"
    FORCED_MARRIAGE = "forced-marriage"
    ORGAN_REMOVAL = "organ-removal"
    ILLEGAL_ADOPTION = "illegal-adoption"
    SURROGACY = "surrogacy"


class Safeguard(StrEnum):
    """What must be done before another country's authorities hear of the person."""

    CONSENT = "consent"
    """The person (for a child, the guardian, having heard the child) has been informed and
    has agreed to what is shared, with whom and why."""
    RISK = "risk"
    """The risks to the person and their family have been assessed."""
    PROTECTION = "protection"
    """The person has been checked for international protection needs (asylum,
    non-refoulement)."""


class Channel(StrEnum):
    """How information about a case passes to another country."""

    FOCAL_POINTS = "focal-points"
    """Between the national coordinators or referral mechanism focal points."""
    POLICE_COOPERATION = "police-cooperation"
    """Between police forces: Interpol, Europol, liaison officers."""
    JUDICIAL_COOPERATION = "judicial-cooperation"
    """Between prosecutors and courts: mutual legal assistance, the European Investigation
    Order, Eurojust."""
    CHILD_PROTECTION = "child-protection"
    """Between the child protection authorities of the two countries."""
    CONSULAR = "consular"
    """The consulate of the person's country, at the person's own request."""




class Side(StrEnum):
    """The country where a step happens or an actor acts, as the case sees it."""

    FOUND = "found"
    """Where the person is found: the country of destination, or a transit country where
    the person is found."""
    ORIGIN = "origin"
    """The person's country of origin."""
    TRANSIT = "transit"
    """A country the person passed through, when it is not where the person is found."""


def _or_text(schema: JsonDict) -> None:
    """The JSON Schema of a model that may also be written as a text alone."""
    whole = dict(schema)
    schema.clear()
    schema["anyOf"] = [{"type": "string"}, whole]


class Step(Strict):
    """A step of HOW: its text alone, or its text with who does it and where it happens."""

    model_config = ConfigDict(json_schema_extra=_or_text)

    text: Markdown
    """What is done, concretely."""
    by: list[Ref] = []
    """The actors who do it, ids from the measure's WHO (a child's step: from the child's
    WHO too). Each actor's page lists the steps that are theirs."""
    side: Side | None = None
    """Where it happens: found, origin or transit (default: where the measure runs)."""

    @model_validator(mode="before")
    @classmethod
    def _text_alone(cls, value: object) -> object:
        return {"text": value} if isinstance(value, str) else value


class Participant(Strict):
    """An actor of WHO: its id alone, or its id and the country where it acts."""

    model_config = ConfigDict(json_schema_extra=_or_text)

    actor: Ref
    """An actor id from guidelines/actors.yaml."""
    side: Side | None = None
    """Where it acts: found, origin or transit (default: where the measure runs)."""

    @model_validator(mode="before")
    @classmethod
    def _id_alone(cls, value: object) -> object:
        return {"actor": value} if isinstance(value, str) else value


class ActorKind(StrEnum):
    """What sort of body an actor is."""

    STATE_AUTHORITY = "state-authority"
    LAW_ENFORCEMENT = "law-enforcement"
    JUDICIARY = "judiciary"
    SERVICE_PROVIDER = "service-provider"
    NGO = "ngo"
    INTERNATIONAL_ORGANISATION = "international-organisation"
    DIPLOMATIC = "diplomatic"
    PROFESSIONAL = "professional"


class Status(StrEnum):
    """Whether an institution can be reached now."""

    ACTIVE = "active"
    TEMPORARILY_CLOSED = "temporarily-closed"
    INACTIVE = "inactive"


ALL_ROLES = tuple(CountryRole)
ALL_FORMS = tuple(Exploitation)
INDICATOR_GROUPS = ("general", "child", *ALL_FORMS)
"""Indicators are listed per form of exploitation, as 'general' for every form, or as
'child' for the signs specific to children."""


def _indicator_group(value: str) -> str:
    if value not in INDICATOR_GROUPS:
        hint = suggest(value, INDICATOR_GROUPS) or f"; use one of: {', '.join(INDICATOR_GROUPS)}"
        raise PydanticCustomError("schema.bad-value", f"'{value}' is not allowed{hint}")
    return value


IndicatorGroup = Annotated[str, AfterValidator(_indicator_group),
                           WithJsonSchema({"enum": list(INDICATOR_GROUPS)})]


class Guideline(Strict):
    """The guideline as a whole (guidelines/guideline.yaml)."""

    title: Line
    """The guideline's title, as on its cover."""
    edition: Line
    """The edition label, e.g. '2026.1'. Quote it so that it stays text."""
    published: Date
    """The date this edition was published, as YYYY-MM-DD."""
    source_language: LanguageCode = "en"
    """The language the sources are written in (ISO 639-1)."""
    languages: list[LanguageCode] = Field(min_length=1)
    """The languages the guideline is published in (ISO 639-1), the source language first."""
    introduction: Markdown
    """A short introduction for the home page: what a TRM is and who this guideline is for."""
    law_as_of: Date | None = None
    """The day on which the legal statements were last checked against the instruments:
    pages say 'Law as of' this day."""
    review_status: Line | None = None
    """Where the text stands in its review, shown on the home page and the book's cover, e.g.
    'Draft: the legal statements await review by a lawyer.'"""
    previous_edition: GitRef | None = None
    """The git tag (or branch, or commit) of the previous edition: the site's "What changed
    in this edition" page lists every change since then."""
    stale_after_months: Number = Field(default=12, ge=1, le=60)
    """Contacts not verified for more than this many months are reported as stale."""
    severity: dict[str, Literal["error", "warning", "notice"]] = {}
    """How seriously a check is taken, by its code, e.g. `contact.stale: error`. Only the
    warnings about content that is still published whole can be changed (stale contacts,
    repeated entries, translations not yet done, ...); a problem is never hidden: a notice
    is the least."""


class Actor(Strict):
    """Someone who carries out measures: the WHO of the guidelines."""

    id: Slug
    """Stable id that measures name in `who` and institutions in `serves_as`."""
    name: Line
    """The actor's name as practitioners say it, e.g. 'Labour inspectorate'."""
    kind: ActorKind
    """What sort of body it is."""
    description: Markdown
    """What this actor is and does in a referral, in two or three sentences."""
    per_country: Flag = True
    """Whether every country should list a contact for it (false for, e.g., Europol)."""
    meets: list[Exploitation] = []
    """The forms of exploitation it meets most in its work, e.g. [labour, domestic-servitude]
    for the labour inspectorate: the page of each form names it."""
    receives: list[Channel] = []
    """The channels through which it takes cases from other countries, e.g.
    [police-cooperation]: a country can receive a hand-over through a channel when one of its
    institutions serves as an actor that receives it."""


class ActorsFile(Strict):
    """The WHO vocabulary (guidelines/actors.yaml)."""

    actors: list[Actor] = Field(min_length=1)
    """Every actor that measures can name."""


class ProvisionKind(StrEnum):
    """How the provisions of an instrument are cited."""

    ARTICLE = "article"
    """By article number: '10', '12(1)', '18a'."""
    PRINCIPLE = "principle"
    """By Principle or Guideline, as the OHCHR text: 'Principle 8', 'Guideline 2'."""


class Amendment(Strict):
    """A later instrument that amended or inserted provisions of this one."""

    instrument: Ref
    """The id of the amending instrument."""
    articles: list[Line] = Field(min_length=1)
    """The provisions it amended or inserted, e.g. ['2(3)', '11(4)', '18a']."""


class Instrument(Strict):
    """A legal instrument that measures cite."""

    id: Slug
    """Stable id that measures name in `legal_basis`."""
    title: Line
    """The full official title."""
    short_name: Line
    """The short name used in citations, e.g. 'Directive 2011/36/EU'."""
    year: Number = Field(ge=1900, le=2100)
    """The year it was adopted."""
    url: HttpsUrl
    """The official text (https)."""
    cited_by: ProvisionKind = ProvisionKind.ARTICLE
    """How its provisions are cited: 'article' ('10', '12(1)'), or 'principle' for texts cited
    by Principle or Guideline ('Principle 8')."""
    binding: Flag = True
    """False for guidance that binds nobody, such as the OHCHR Recommended Principles."""
    in_force: Date | None = None
    """The day it entered into force, as YYYY-MM-DD (omit when unsure)."""
    applies_from: Date | None = None
    """The day from which it applies, when later than its entry into force."""
    transposition_deadline: Date | None = None
    """For a directive: the day by which the Member States had to transpose it."""
    amends: Ref | None = None
    """The instrument it amends. An amending instrument is never cited alone: cite the
    provision of the amended one, with `as_amended_by`."""
    amended_by: list[Amendment] = []
    """The later instruments that amended or inserted provisions of this one."""
    repealed_by: Ref | None = None
    """The instrument that repealed it, if any."""


class InstrumentsFile(Strict):
    """The legal instruments (guidelines/instruments.yaml)."""

    instruments: list[Instrument] = Field(min_length=1)
    """Every instrument that measures can cite."""


class Term(Strict):
    """A key concept and the term approved for it in each language."""

    id: Slug
    """A short name for the concept, e.g. 'non-punishment'."""
    en: list[Line] = Field(min_length=1)
    """The English words that name the concept in the guidelines, e.g. 'non-punishment'."""
    not_en: list[Line] = []
    """English words that start like the concept's but name something else, e.g. 'medical
    screening' for 'screening': an entry that says one of them is not checked."""
    approved: dict[LanguageCode, list[Line]]
    """The approved term in each language, with the other forms it may take (the first is
    the one that messages suggest), e.g. fr: [non-sanction]."""
    avoid: dict[LanguageCode, list[Line]] = {}
    """Translations that must not stand for the concept, e.g. bg: [разпит] (interrogation)
    for a child-friendly interview."""


class Termbase(Strict):
    """The approved terms (guidelines/termbase.yaml): `trmgen validate` warns where the
    translation of a text that names a concept does not use its approved term."""

    terms: list[Term] = Field(min_length=1)
    """Each key concept."""
    exempt: list[Line] = []
    """The entries not checked, by context, '*' standing for any part of it: official titles
    as the instrument words them ('instrument/*/title'), a country's own names."""


class Citation(Strict):
    """A legal basis: an instrument and the articles that apply."""

    instrument: Ref
    """The id of an instrument in guidelines/instruments.yaml."""
    articles: list[Line] = []
    """The provisions that apply: article numbers, e.g. ['10', '12(1)'], or for an instrument
    cited by principle, e.g. ['Principle 8']."""
    as_amended_by: Ref | None = None
    """The instrument that amended or inserted these provisions, e.g. 'directive-2024-1712'."""


class Handover(Strict):
    """A contact with another country's authorities about the person: what passes, how,
    and on whose consent. Allowed only after the safeguards (see `Measure.safeguards`)."""

    channel: Channel
    """How it passes: focal-points, police-cooperation, judicial-cooperation,
    child-protection or consular."""
    shares: Line
    """The minimum that passes, e.g. 'first name, age, language and the help needed'."""
    consent: Line
    """Whose consent it rests on, e.g. 'the person, in writing'."""


class Edge(Strict):
    """A step from one measure to the next: the flowcharts are drawn from these."""

    to: Ref
    """The id of the measure that follows (in this SOP or another)."""
    condition: Line | None = None
    """When this path is taken, e.g. 'the person agrees'. Shown on the chart's arrow."""
    child: Flag = False
    """True when only a child's case takes this path."""
    handover: Handover | None = None
    """Given when the case passes here to another country; charts draw it in bold."""


class Source(Strict):
    """Where a statement comes from: an organisation, a programme, a law or a publication."""

    name: Line
    """Its name as published, e.g. 'Modern Slavery Act 2015, section 45'."""
    year: Number | None = Field(default=None, ge=1900, le=2100)
    """The year of the publication, or since when the programme has run (omit when unsure)."""
    url: HttpsUrl | None = None
    """A public link to it (https), where one exists."""


class GoodPractice(Strict):
    """An example of good practice from one country."""

    country: CountryCode
    """The country where it is practised (ISO 3166-1 alpha-2)."""
    title: Line
    """A short title."""
    text: Markdown
    """What is done and why it works: only what the source supports."""
    source: Source
    """Where the practice is described, so that a reader can check it."""


ChildField = Literal["what", "when", "who", "how"]


class ChildVariant(Strict):
    """What changes when the person is a child: given parts are added, or replace the adult's."""

    what: Markdown | None = None
    """What is done in addition (or instead, if listed in `replaces`) for a child."""
    when: Markdown | None = None
    """When, for a child."""
    who: list[Participant] = []
    """Actors who take part for a child, e.g. 'guardian', 'child-protection'."""
    how: list[Step] = []
    """Steps for a child, in order."""
    replaces: list[ChildField] = []
    """The parts that replace the adult's instead of adding to them."""

    @model_validator(mode="after")
    def _consistent(self) -> ChildVariant:
        if not (self.what or self.when or self.who or self.how):
            raise PydanticCustomError("schema.empty-child", "give at least one of what, when, "
                                      "who or how for the child")
        for name in self.replaces:
            if not getattr(self, name):
                raise PydanticCustomError("schema.child-replaces",
                                          f"'{name}' is listed in replaces but not given")
        return self


class Measure(Strict):
    """One measure of an SOP: WHAT is done, WHEN, by WHO and HOW."""

    id: Slug
    """Stable id: page URLs and references use it, so renumbering breaks nothing."""
    title: Line
    """A short title in the imperative, e.g. 'Assess risks and safety'."""
    what: Markdown
    """WHAT is done and why."""
    when: Markdown
    """WHEN: the trigger or the time limit."""
    who: list[Participant] = Field(min_length=1)
    """WHO is responsible: actor ids from guidelines/actors.yaml, the lead first. An actor
    that acts in another country than where the measure runs is written with its side:
    `{actor: child-protection, side: origin}`."""
    how: list[Step] = Field(min_length=1)
    """HOW: the concrete steps, in order. A step in another country than where the measure
    runs is written with its side: `{text: ..., side: origin}`."""
    roles: list[CountryRole] = list(ALL_ROLES)
    """The country roles in which the measure applies (default: all three)."""
    exploitation: list[Exploitation] = list(ALL_FORMS)
    """The forms of exploitation it concerns (default: all)."""
    focus: list[Exploitation] = []
    """The forms of exploitation for which it matters most, e.g. [labour] for claiming unpaid
    wages: the page of each form lists it first."""
    start: Flag = False
    """True when the SOP's flow can begin here (its first measure always can)."""
    child_only: Flag = False
    """True when the measure applies only to children."""
    first_hour: Flag = False
    """True when its steps belong on the first-hour card: what a frontline officer does first,
    on one printed page with the numbers answered day and night."""
    child: ChildVariant | None = None
    """What changes for a child."""
    good_practices: list[GoodPractice] = []
    """Examples of good practice, each tied to a country."""
    recommendations: list[Markdown] = []
    """Recommendations to the institutions that carry out the measure."""
    legal_basis: list[Citation] = []
    """The instruments and articles it rests on."""
    related: list[Ref] = []
    """Ids of related measures in any SOP."""
    next: list[Edge] = []
    """The measures that follow, with the condition for each path."""
    safeguards: list[Safeguard] = []
    """The safeguards its steps complete (consent, risk, protection). Every path to a contact
    with another country passes measures that complete all three; a measure's own count
    when its steps complete them before its contact."""
    abroad: list[Handover] = []
    """The contacts its steps make with another country's authorities."""
    keywords: list[Line] = []
    """The words practitioners search for when they mean this measure and its title does not
    say: synonyms, legal terms, the names used in the field ('non-punishment'). Only the
    search index holds them. Each translates; a translation may give several terms."""
    indicators: dict[IndicatorGroup, list[Line]] = {}
    """Identification indicators, listed per form of exploitation ('general' for all forms,
    'child' for signs specific to children). The pages of each form and of children show
    them too."""

    def actors(self, *, child: bool = False) -> list[str]:
        """The ids of its actors, the lead first; with the child's too when `child`."""
        extra = self.child.who if child and self.child else []
        return list(dict.fromkeys(p.actor for p in (*self.who, *extra)))

    @property
    def home(self) -> Side:
        """Where the measure runs: the country of origin for a measure of origin countries
        only, else where the person is found."""
        return Side.ORIGIN if set(self.roles) == {CountryRole.ORIGIN} else Side.FOUND

    def steps_on(self, side: Side) -> list[Step]:
        """Its steps that happen on one side, in order."""
        return [step for step in self.how if (step.side or self.home) == side]

    def sides(self) -> list[Side]:
        """The sides its roles allow, in the order of Side: found for destination or transit,
        and origin and transit for those roles."""
        roles = set(self.roles)
        return [side for side in Side
                if (roles & {CountryRole.DESTINATION, CountryRole.TRANSIT} if side == Side.FOUND
                    else CountryRole(side.value) in roles)]


class Sop(Strict):
    """A Standard Operating Procedure (guidelines/sops/N-name.yaml)."""

    id: Slug
    """Stable id, e.g. 'identification'."""
    number: Number = Field(ge=1, le=9)
    """Its number among the SOPs (1 to 5 in the TRM)."""
    title: Line
    """Its title, e.g. 'Identification'."""
    purpose: Markdown
    """What the SOP achieves and when it applies."""
    measures: list[Measure] = Field(min_length=1)
    """Its measures, in the order they are carried out."""


class PhoneLine(Strict):
    """A phone line of an institution."""

    number: Phone
    """The number in international form, e.g. '+359 2 123 456'."""
    label: Line | None = None
    """What the line is for, e.g. 'Hotline' or 'Duty officer'."""
    hours: Hours | None = None
    """When it is answered, e.g. 'Mo-Fr 09:00-17:00; Sa 10:00-14:00'. Omit for 24/7 lines."""
    always_open: Flag = False
    """True when the line is answered 24 hours a day, 7 days a week."""
    toll_free: Flag = False
    """True when calls are free of charge."""
    serves_as: list[Ref] = []
    """The actors of the institution this number is for, e.g. [border-police]; omit when it
    is for all of them. Pages give it as the number to call for those actors."""

    @model_validator(mode="after")
    def _hours_or_always(self) -> PhoneLine:
        if self.always_open and self.hours:
            raise PydanticCustomError("schema.hours-and-24-7", "a line that is always open has "
                                      "no hours; remove 'hours' or 'always_open'")
        return self


class Institution(Strict):
    """An institution or role to contact in a country."""

    id: Slug
    """Stable id, unique across all countries, e.g. 'bg-national-commission'."""
    name: Line
    """The institution's name in English."""
    local_name: Line | None = None
    """Its name in the country's official language, as the institution writes it: the pages
    show it first, with the English name beside."""
    serves_as: list[Ref] = Field(min_length=1)
    """The actors (ids from guidelines/actors.yaml) this institution acts as."""
    unit: Line | None = None
    """The unit or department to ask for."""
    phones: list[PhoneLine] = []
    """Its phone lines."""
    emails: list[Email] = []
    """Its e-mail addresses."""
    website: HttpsUrl | None = None
    """Its website (https)."""
    address: Line | None = None
    """Its postal address, if it may be published."""
    languages: list[LanguageCode] = []
    """Languages spoken by its staff (ISO 639-1)."""
    status: Status = Status.ACTIVE
    """Whether it can be reached now."""
    last_verified: Date | None = None
    """When these details were last checked, as YYYY-MM-DD (required unless the file is
    sample data, which claims no verification)."""
    verified_by: Line | None = None
    """Who checked them: a role, not a person's name (required unless sample data)."""

    @model_validator(mode="after")
    def _reachable(self) -> Institution:
        if not self.phones and not self.emails:
            raise PydanticCustomError("schema.unreachable-contact",
                                      "give at least one phone line or e-mail address")
        return self


class Nrm(Strict):
    """The country's National Referral Mechanism."""

    name: Line
    """Its name."""
    legal_basis: Markdown | None = None
    """The law or agreement it rests on."""
    url: HttpsUrl | None = None
    """Where it is described (https)."""


class AdoptionStatus(StrEnum):
    """How a country has taken up a measure of the guidelines."""

    BINDING_LAW = "binding-law"
    """In binding law: an act of parliament or a decree with the force of law."""
    REGULATION = "regulation"
    """In a regulation or a standard operating procedure adopted by the government."""
    GUIDANCE = "guidance"
    """Adopted as guidance that binds no one."""
    ADAPTED = "adapted"
    """Adopted with changes; the note says what differs."""
    PLANNED = "planned"
    """Adoption is planned."""
    NOT_ADOPTED = "not-adopted"
    """Not adopted."""
    UNKNOWN = "unknown"
    """Not known."""


BINDING_STATUSES = (AdoptionStatus.BINDING_LAW, AdoptionStatus.REGULATION)
"""The statuses that rest on a national act, which must be named."""

ADOPTED_STATUSES = (*BINDING_STATUSES, AdoptionStatus.GUIDANCE, AdoptionStatus.ADAPTED)
"""The statuses of a measure that a country has adopted, in whatever form."""


class NationalAct(Strict):
    """A national law, regulation or order that adopts measures of the guidelines."""

    id: Slug
    """Stable id, unique in the country's file, that measures' adoption names in `act`."""
    title: Line
    """Its title as published."""
    number: Line | None = None
    """Its official number, e.g. 'No. 92/2016'."""
    date: Date | None = None
    """When it was adopted."""
    url: HttpsUrl | None = None
    """The official text."""


class StepVariant(Strict):
    """A national step: in place of a common step, or added to the common steps."""

    replaces: Number | None = Field(default=None, ge=1)
    """The number of the common step it replaces (1 for the first); omit for a step added
    after the common ones."""
    text: Markdown
    """What is done in this country."""


class Adoption(Strict):
    """How a country has taken up one measure."""

    status: AdoptionStatus
    """binding-law, regulation, guidance, adapted, planned, not-adopted or unknown."""
    act: Ref | None = None
    """The id of the national act (in `acts`) that adopts it; required for binding-law and
    regulation."""
    reviewed: Date | None = None
    """When this status was last checked."""
    reviewed_by: Line | None = None
    """Who checked it, e.g. 'National coordinator's office'."""
    note: Markdown | None = None
    """What differs in practice; required for 'adapted'."""
    steps: list[StepVariant] = []
    """National variants of the measure's steps."""
    lead: Ref | None = None
    """The id of the institution of this country that leads the measure, where it differs
    from the guidelines' lead actor."""

    @model_validator(mode="after")
    def _grounded(self) -> Adoption:
        if self.status in BINDING_STATUSES and not self.act:
            raise PydanticCustomError("schema.adoption-act", f"a measure in status "
                                      f"'{self.status.value}' rests on a national act: name "
                                      "it in 'act' (an id from 'acts')")
        if self.status == AdoptionStatus.ADAPTED and not self.note:
            raise PydanticCustomError("schema.adoption-note", "an adapted measure says what "
                                      "differs: add a 'note'")
        return self


class CountryAdoption(Strict):
    """How a country has taken up the guidelines, measure by measure."""

    acts: list[NationalAct] = []
    """The national acts that adopt measures."""
    measures: dict[Slug, Adoption] = {}
    """The status of each measure, by measure id; a measure not listed is 'unknown'."""


class CountryContacts(Strict):
    """A country's contacts (contacts/CC.yaml, named by its ISO 3166-1 alpha-2 code)."""

    roles: list[CountryRole] = Field(min_length=1)
    """The TRM roles the country plays: origin, transit, destination."""
    sample_data: Flag = False
    """True while the contacts are demonstration data that must not be published. Sample
    data claims no verification and uses phone numbers that reach nobody."""
    nrm: Nrm
    """Its National Referral Mechanism."""
    institutions: list[Institution] = Field(min_length=1)
    """The institutions to contact."""
    adoption: CountryAdoption = CountryAdoption()
    """How the country has taken up the guidelines, measure by measure (sample data too
    when `sample_data` is true)."""


class NodeStyle(Strict):
    """How a chart draws the box of a measure led by an actor of one kind."""

    fill: Colour
    """Background colour, as #RRGGBB."""
    border: Colour = "#37474f"
    """Border colour, as #RRGGBB."""
    shape: Shape = "box"
    """The Graphviz shape of the box."""


class ChartStyle(Strict):
    """Colours and shapes of the flowcharts (flowcharts/style.yaml)."""

    font: FontName = "Noto Sans"
    """The font of every label (Debian's fonts-noto-core covers Latin, Cyrillic and Arabic)."""
    kinds: dict[ActorKind, NodeStyle]
    """The box style per kind of the measure's lead actor."""
    edge: Colour = "#37474f"
    """The colour of the arrows every case follows."""
    child: Colour = "#b34700"
    """The colour of the boxes and dashed arrows that only a child's case takes."""
    handover: Colour = "#1a237e"
    """The colour of the bold arrows where a case passes to another country."""

    @model_validator(mode="after")
    def _every_kind(self) -> ChartStyle:
        missing = [kind.value for kind in ActorKind if kind not in self.kinds]
        if missing:
            raise PydanticCustomError("schema.missing-style", "give a style for every actor "
                                      f"kind; missing: {', '.join(missing)}")
        return self


class OverviewStep(Strict):
    """A box of the overview chart: one measure, in the lane of one country role."""

    id: Slug
    """Stable id of the box, for `edges`."""
    measure: Ref
    """The measure the box stands for; the box links to its page."""
    lane: CountryRole
    """The country where it happens: origin, transit or destination."""
    label: Line | None = None
    """A shorter label for the box; default: the measure's title."""


class OverviewEdge(Strict):
    """An arrow of the overview chart; between lanes it is a hand-over to another country."""

    model_config = ConfigDict(populate_by_name=True)

    source: Ref = Field(alias="from")
    """The id of the step the arrow starts from."""
    to: Ref
    """The id of the step it leads to."""
    label: Line | None = None
    """What passes along it, e.g. 'the counterparts agree on the return'."""


class Overview(Strict):
    """The TRM overview chart across the five SOPs (flowcharts/overview.yaml)."""

    title: Line
    """The chart's title."""
    description: Markdown
    """What the chart shows, for the page it is on."""
    steps: list[OverviewStep] = Field(min_length=2)
    """The boxes, in reading order."""
    edges: list[OverviewEdge] = Field(min_length=1)
    """The arrows between the boxes."""


class FieldKind(StrEnum):
    """How a field of the referral form is filled in."""

    TEXT = "text"
    TEXTAREA = "textarea"
    DATE = "date"
    CHOICE = "choice"
    CHECKBOXES = "checkboxes"


class FormOption(Strict):
    """One answer of a choice or checkbox field."""

    id: Slug
    """Stable id of the answer."""
    label: Line
    """The answer as printed."""


Prefill = Literal["here-organisation", "here-contact", "other-organisation", "other-contact"]


class FormField(Strict):
    """A field of the referral form."""

    id: Slug
    """Stable id, unique in the form."""
    label: Line
    """The field's label."""
    kind: FieldKind = FieldKind.TEXT
    """text, textarea (several lines), date, choice (one answer) or checkboxes (several)."""
    options: list[FormOption] = []
    """The answers of a choice or checkboxes field."""
    help: Line | None = None
    """A hint printed under the field."""
    prefill: Prefill | None = None
    """What the site fills in for the countries a reader chose: the focal point's
    organisation or contact point, where the person is ('here-...') or in the other
    country ('other-...'). The reader can change it; nothing is sent anywhere."""

    @model_validator(mode="after")
    def _options_fit(self) -> FormField:
        wants = self.kind in (FieldKind.CHOICE, FieldKind.CHECKBOXES)
        if wants and len(self.options) < 2:
            raise PydanticCustomError("schema.form-options", f"a {self.kind.value} field "
                                      "needs at least two options")
        if not wants and self.options:
            raise PydanticCustomError("schema.form-options", f"a {self.kind.value} field "
                                      "has no options; remove them or change the kind")
        return self


class FormSection(Strict):
    """A part of the referral form."""

    id: Slug
    """Stable id of the section."""
    title: Line
    """The section's heading."""
    fields: list[FormField] = Field(min_length=1)
    """Its fields, in order."""


class ReferralForm(Strict):
    """The transnational referral and case follow-up form (guidelines/referral-form.yaml)."""

    title: Line
    """The form's title."""
    introduction: Markdown
    """How and when to use the form, and what it must not contain."""
    sections: list[FormSection] = Field(min_length=1)
    """Its sections, in order."""
