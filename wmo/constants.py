"""Choices and rule constants of the Wmo workflow (DOMAIN.md, "Wmo rules" and "iWmo 3.2")."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# The covenant: a request is decided within 14 calendar days of submission.
WMO_DECISION_DAYS = 14
# The deadline sweep reminds the municipality's consultants on this day after submission.
WMO_REMINDER_DAY = 10
# A temporary indication: at most 2 hours a week, for at most 2 months.
TEMPORARY_MAX_MINUTES_PER_WEEK = 120
TEMPORARY_MAX_MONTHS = 2
# The expiry job warns the casemanager this many days before an indication ends.
EXPIRY_NOTICE_DAYS = 42  # 6 weeks
EXPIRY_NOTICE_DAYS_TEMPORARY = 14  # 2 weeks
# The statutory route (Wmo 2015) beside the covenant: after a melding the municipality does its
# onderzoek within 6 weeks; after the aanvraag the beschikking follows within 2 weeks.
STATUTORY_ONDERZOEK_DAYS = 42
STATUTORY_DECISION_DAYS = 14
# The right to object to a beschikking (Awb): six weeks.
OBJECTION_WEEKS = 6


class RequestStatus(models.TextChoices):
    """The values are part of the access policy's contract (olteams.access)."""

    CONCEPT = "concept", _("Concept")
    INGEDIEND = "ingediend", _("Ingediend")
    IN_BEHANDELING = "in_behandeling", _("In behandeling")
    TOEGEKEND = "toegekend", _("Toegekend")
    GEWIJZIGD = "gewijzigd", _("Gewijzigd toegekend")
    AFGEWEZEN = "afgewezen", _("Afgewezen")
    INGETROKKEN = "ingetrokken", _("Ingetrokken")


# Requests awaiting a decision (the clock runs).
PENDING_STATUSES = (RequestStatus.INGEDIEND, RequestStatus.IN_BEHANDELING)
# Requests that block a second request for the same product and period.
OPEN_STATUSES = (RequestStatus.CONCEPT, *PENDING_STATUSES)


class DecisionKind(models.TextChoices):
    GRANTED = "granted", _("Toegekend zoals gevraagd")
    GRANTED_CHANGED = "granted_changed", _("Gewijzigd toegekend")
    TEMPORARY = "temporary", _("Tijdelijke indicatie")
    REJECTED = "rejected", _("Afgewezen")
    IN_ONDERZOEK = "in_onderzoek", _("In onderzoek")


# Kinds that need a written reason: the team's request is weighty advice.
KINDS_NEEDING_REASON = (DecisionKind.GRANTED_CHANGED, DecisionKind.REJECTED)
# Kinds that create an indication.
GRANTING_KINDS = (DecisionKind.GRANTED, DecisionKind.GRANTED_CHANGED, DecisionKind.TEMPORARY)
STATUS_FOR_KIND = {
    DecisionKind.GRANTED: RequestStatus.TOEGEKEND,
    DecisionKind.GRANTED_CHANGED: RequestStatus.GEWIJZIGD,
    DecisionKind.TEMPORARY: RequestStatus.TOEGEKEND,
    DecisionKind.REJECTED: RequestStatus.AFGEWEZEN,
    DecisionKind.IN_ONDERZOEK: RequestStatus.IN_BEHANDELING,
}


class Unit(models.TextChoices):
    """iWmo code list Eenheid."""

    MINUUT = "01", _("minuut")
    UUR = "04", _("uur")
    ETMAAL = "14", _("etmaal")
    DAGDEEL = "16", _("dagdeel")
    STUKS_OUTPUT = "82", _("stuks (output)")
    EURO = "83", _("euro")
    STUKS_INSPANNING = "84", _("stuks (inspanning)")


def unit_label(unit: str, volume: int) -> str:
    """The unit with the right number: 1 dagdeel, 5 dagdelen, 3 uur, 30 minuten."""
    labels: dict[str, str] = {
        Unit.MINUUT: ngettext("minuut", "minuten", volume),
        Unit.UUR: ngettext("uur", "uur", volume),
        Unit.ETMAAL: ngettext("etmaal", "etmalen", volume),
        Unit.DAGDEEL: ngettext("dagdeel", "dagdelen", volume),
        Unit.STUKS_OUTPUT: ngettext("stuk (output)", "stuks (output)", volume),
        Unit.EURO: ngettext("euro", "euro", volume),
        Unit.STUKS_INSPANNING: ngettext("stuk (inspanning)", "stuks (inspanning)", volume),
    }
    return str(labels.get(unit, unit))


# The CAK's own contribution (eigen bijdrage) for Wmo support: a fixed amount per household
# per month, shown to the client as information; the product does not collect it.
CAK_CONTRIBUTION_YEAR = 2026
CAK_MONTHLY_CONTRIBUTION = "21,00"


class Frequency(models.TextChoices):
    """iWmo code list Frequentie."""

    PER_DAG = "1", _("per dag")
    PER_WEEK = "2", _("per week")
    PER_MAAND = "4", _("per maand")
    TOTAAL = "6", _("totaal binnen de geldigheidsduur")


class ResultArea(models.IntegerChoices):
    """The six result areas (resultaatgebieden) of the municipalities' pilot."""

    STRUCTUUR = 1, _("Regie en structuur in het dagelijks leven")
    NETWERK = 2, _("Een sociaal netwerk opbouwen en behouden")
    ADMINISTRATIE = 3, _("Huishoudelijke administratie")
    DAGBESTEDING = 4, _("Zinvolle dagbesteding en werk")
    ZELFZORG = 5, _("Zelfzorg")
    MANTELZORG = 6, _("Ondersteuning van de mantelzorger")


class ZrmDomain(models.TextChoices):
    """The 13 domains of the Zelfredzaamheid-Matrix (2017)."""

    FINANCIEN = "financien", _("Financiën")
    WERK_OPLEIDING = "werk_opleiding", _("Werk & opleiding")
    TIJDSBESTEDING = "tijdsbesteding", _("Tijdsbesteding")
    HUISVESTING = "huisvesting", _("Huisvesting")
    HUISELIJKE_RELATIES = "huiselijke_relaties", _("Huiselijke relaties")
    GEESTELIJKE_GEZONDHEID = "geestelijke_gezondheid", _("Geestelijke gezondheid")
    LICHAMELIJKE_GEZONDHEID = "lichamelijke_gezondheid", _("Lichamelijke gezondheid")
    MIDDELENGEBRUIK = "middelengebruik", _("Middelengebruik")
    BASALE_ADL = "basale_adl", _("Basale ADL")
    INSTRUMENTELE_ADL = "instrumentele_adl", _("Instrumentele ADL")
    SOCIAAL_NETWERK = "sociaal_netwerk", _("Sociaal netwerk")
    MAATSCHAPPELIJKE_PARTICIPATIE = (
        "maatschappelijke_participatie",
        _("Maatschappelijke participatie"),
    )
    JUSTITIE = "justitie", _("Justitie")


class ZrmScore(models.IntegerChoices):
    ACUUT = 1, _("1 - acute problematiek")
    NIET = 2, _("2 - niet zelfredzaam")
    BEPERKT = 3, _("3 - beperkt zelfredzaam")
    VOLDOENDE = 4, _("4 - voldoende zelfredzaam")
    VOLLEDIG = 5, _("5 - volledig zelfredzaam")


class IndicationState(models.TextChoices):
    ACTIVE = "active", _("Loopt")
    ENDING = "ending", _("Loopt binnenkort af")
    ENDED = "ended", _("Beëindigd")
    FUTURE = "future", _("Gaat nog in")


class DecisionSource(models.TextChoices):
    APP = "app", _("In Optimaal Leven")
    IWMO = "iwmo", _("Ingelezen iWmo-bericht (WMO301)")


class StopReason(models.TextChoices):
    """iWmo code list RedenBeeindiging (WMO307)."""

    OVERLIJDEN = "02", _("Overlijden")
    VOLGENS_PLAN = "19", _("Levering volgens plan beëindigd")
    TIJDELIJK = "20", _("Levering is tijdelijk beëindigd")
    DOOR_CLIENT = "21", _("Levering is eenzijdig door cliënt beëindigd")
    DOOR_AANBIEDER = "22", _("Levering is eenzijdig door aanbieder beëindigd")
    IN_OVERLEG = "23", _("Levering is in overeenstemming voortijdig beëindigd")
    VERHUIZING = "31", _("Verhuizing naar een andere gemeente")
    DOOR_GEMEENTE = "36", _("Geïnitieerd door de gemeente")
    WIJZIGINGSVERZOEK = "37", _("In verband met wijzigingsverzoek")
    ANDERE_AANBIEDER = "38", _("Overstap naar andere aanbieder")
    ANDER_DOMEIN = "39", _("Uitstroom naar ander domein")


class ChangeReason(models.TextChoices):
    """iWmo code list RedenVerzoek (WMO317)."""

    CLIENTSITUATIE = "1", _("Verandering cliëntsituatie")
    ZORGPLAN = "2", _("Wijziging zorgplan")


class RequestAnswer(models.TextChoices):
    """iWmo code list VerzoekAntwoord (WMO319)."""

    AFGEWEZEN = "1", _("Verzoek afgewezen")
    IN_ONDERZOEK = "2", _("Aanvraag in onderzoek")


# iWmo code list RedenAfwijzingVerzoek (WMO319), as the Dutch reason on the decision.
REJECTION_REASONS = {
    "1": _("Geen wijziging, maar nieuwe aanvraag"),
    "2": _("Past niet binnen budget"),
    "3": _("Geen contract"),
    "4": _("Past niet binnen contract"),
    "5": _("Andere gemeente"),
    "6": _("Stapeling"),
    "7": _("Zorginhoudelijke afkeur"),
    "8": _("Woonplaatsbeginsel"),
    "9": _("Leeftijdsgrens is bereikt"),
}


class MessageDirection(models.TextChoices):
    OUT = "out", _("Verzonden")
    IN = "in", _("Ontvangen")


# --- the municipal route (melding → onderzoek → beschikking with an arrangement) -----------

# The team plans the intake of a municipal toewijzing within this many working days, unless
# the municipality set its own term (wmo.MunicipalRouteSettings).
INTAKE_WORKING_DAYS = 5


class MeldingStatus(models.TextChoices):
    GEMELD = "gemeld", _("Gemeld")
    ONDERZOEK = "onderzoek", _("In onderzoek")
    BESLOTEN = "besloten", _("Besloten")
    INGETROKKEN = "ingetrokken", _("Ingetrokken")


# A melding in these states keeps the resident visible to the municipality's consultants.
MELDING_VISIBLE_STATUSES = (
    MeldingStatus.GEMELD,
    MeldingStatus.ONDERZOEK,
    MeldingStatus.BESLOTEN,
)


class GoalResult(models.TextChoices):
    BEHAALD = "behaald", _("Behaald")
    DEELS = "deels", _("Deels behaald")
    NIET = "niet", _("Niet behaald")


class Satisfaction(models.IntegerChoices):
    ZEER_ONTEVREDEN = 1, _("1 - zeer ontevreden")
    ONTEVREDEN = 2, _("2 - ontevreden")
    NEUTRAAL = 3, _("3 - neutraal")
    TEVREDEN = 4, _("4 - tevreden")
    ZEER_TEVREDEN = 5, _("5 - zeer tevreden")


# Satisfied: a 4 or 5 on the scale (the report's share of satisfied clients).
SATISFIED_FROM = 4
