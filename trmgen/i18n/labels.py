"""Names of the fixed values (roles, forms of exploitation, kinds, statuses) for readers.

The strings are marked with N_ so that the translation catalogs pick them up; pages look them
up through the language's gettext.
"""

from __future__ import annotations

from collections.abc import Callable

from trmgen.sources.model import (
    ActorKind,
    AdoptionStatus,
    Channel,
    CountryRole,
    Exploitation,
    Side,
    Status,
)


def N_(text: str) -> str:
    """Mark a string for translation without translating it here."""
    return text


ROLES = {
    CountryRole.ORIGIN: N_("Country of origin"),
    CountryRole.TRANSIT: N_("Country of transit"),
    CountryRole.DESTINATION: N_("Country of destination"),
}

FORMS = {
    Exploitation.SEXUAL: N_("Sexual exploitation"),
    Exploitation.LABOUR: N_("Labour exploitation"),
    Exploitation.BEGGING: N_("Forced begging"),
    Exploitation.CRIMINAL_ACTIVITIES: N_("Forced criminal activities"),
    Exploitation.DOMESTIC_SERVITUDE: N_("Domestic servitude"),
    Exploitation.FORCED_MARRIAGE: N_("Forced marriage"),
    Exploitation.ORGAN_REMOVAL: N_("Removal of organs"),
    Exploitation.ILLEGAL_ADOPTION: N_("Illegal adoption"),
    Exploitation.SURROGACY: N_("Exploitation of surrogacy"),
}

KINDS = {
    ActorKind.STATE_AUTHORITY: N_("State authority"),
    ActorKind.LAW_ENFORCEMENT: N_("Law enforcement"),
    ActorKind.JUDICIARY: N_("Judiciary"),
    ActorKind.SERVICE_PROVIDER: N_("Service provider"),
    ActorKind.NGO: N_("Non-governmental organisation"),
    ActorKind.INTERNATIONAL_ORGANISATION: N_("International organisation"),
    ActorKind.DIPLOMATIC: N_("Diplomatic mission"),
    ActorKind.PROFESSIONAL: N_("Professional"),
}

SIDES = {
    Side.FOUND: N_("Where the person is"),
    Side.ORIGIN: N_("In the country of origin"),
    Side.TRANSIT: N_("In the transit country"),
}

CHANNELS = {
    Channel.FOCAL_POINTS: N_("Between the national focal points"),
    Channel.POLICE_COOPERATION: N_("Police cooperation (Interpol, Europol, liaison officers)"),
    Channel.JUDICIAL_COOPERATION: N_("Judicial cooperation (mutual legal assistance, "
                                     "European Investigation Order, Eurojust)"),
    Channel.CHILD_PROTECTION: N_("Between the child protection authorities"),
    Channel.CONSULAR: N_("The person's consulate, at the person's request"),
}

STATUSES = {
    Status.ACTIVE: N_("Active"),
    Status.TEMPORARILY_CLOSED: N_("Temporarily closed"),
    Status.INACTIVE: N_("Inactive"),
}

ADOPTION = {
    AdoptionStatus.BINDING_LAW: N_("In binding law"),
    AdoptionStatus.REGULATION: N_("In a government regulation or SOP"),
    AdoptionStatus.GUIDANCE: N_("Adopted as non-binding guidance"),
    AdoptionStatus.ADAPTED: N_("Adopted with changes"),
    AdoptionStatus.PLANNED: N_("Adoption planned"),
    AdoptionStatus.NOT_ADOPTED: N_("Not adopted"),
    AdoptionStatus.UNKNOWN: N_("Status unknown"),
}
"""How a country has taken up a measure, in full (legends, lists)."""

ADOPTION_SHORT = {
    AdoptionStatus.BINDING_LAW: N_("Law"),
    AdoptionStatus.REGULATION: N_("Regulation"),
    AdoptionStatus.GUIDANCE: N_("Guidance"),
    AdoptionStatus.ADAPTED: N_("Adapted"),
    AdoptionStatus.PLANNED: N_("Planned"),
    AdoptionStatus.NOT_ADOPTED: N_("Not adopted"),
    AdoptionStatus.UNKNOWN: N_("Unknown"),
}
"""The same, short, for the cells of the adoption matrix."""


class Labels:
    """The reader's names of fixed values, in one language."""

    def __init__(self, gettext: Callable[[str], str]) -> None:
        self.gettext = gettext

    def role(self, role: CountryRole) -> str:
        return self.gettext(ROLES[role])

    def form(self, form: Exploitation) -> str:
        return self.gettext(FORMS[form])

    def kind(self, kind: ActorKind) -> str:
        return self.gettext(KINDS[kind])

    def side(self, side: Side) -> str:
        return self.gettext(SIDES[side])

    def channel(self, channel: Channel) -> str:
        return self.gettext(CHANNELS[channel])

    def status(self, status: Status) -> str:
        return self.gettext(STATUSES[status])

    def adoption(self, status: AdoptionStatus, short: bool = False) -> str:
        return self.gettext((ADOPTION_SHORT if short else ADOPTION)[status])
