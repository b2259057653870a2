"""Choices and rule constants of the integrated accounts."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from caseload.constants import ContactKind


class TariffKind(models.TextChoices):
    WMO_HOUR = "wmo_uur", _("Wmo per uur (per gemeente)")
    WMO_FIXED = "wmo_vast", _("Wmo vast bedrag per cliënt per 4 weken")
    WMO_LUMP_SUM = "wmo_lumpsum", _("Wmo lumpsum per team en gemeente per maand")
    ZVW_CONSULT = "zvw_consult", _("Zvw-prestatie (zorgprestatiemodel)")
    WLZ_HOUR = "wlz_uur", _("Wlz per uur")


FUNDING_FOR_TARIFF = {
    TariffKind.WMO_HOUR: "wmo",
    TariffKind.WMO_FIXED: "wmo",
    TariffKind.WMO_LUMP_SUM: "wmo",
    TariffKind.ZVW_CONSULT: "zvw",
    TariffKind.WLZ_HOUR: "wlz",
}


class ZvwPrestatie(models.TextChoices):
    """The kinds of Zvw zorgprestaties (GGZ zorgprestatiemodel, NZa) this product bills.

    A consult is diagnostiek while the client's episode is in its intake phase on the day,
    behandeling otherwise. A group consult and an MDO are prestaties of their own; the travel
    supplement comes on top of an outreach consult (a visit at home or in the neighbourhood
    with travel time)."""

    CONSULT_DIAGNOSTIEK = "consult_diagnostiek", _("Consult diagnostiek")
    CONSULT_BEHANDELING = "consult_behandeling", _("Consult behandeling")
    GROUP_CONSULT = "groepsconsult", _("Groepsconsult")
    MDO = "mdo", _("MDO (multidisciplinair overleg)")
    TRAVEL = "reistijd", _("Toeslag reistijd")


# The NZa duration classes of a consult (lower bounds in minutes): a consult of N minutes is
# billed in the highest class whose lower bound N reaches; under 5 minutes nothing is billed.
ZVW_DURATION_CLASSES: tuple[int, ...] = (5, 15, 30, 45, 60, 75, 90, 120)
ZVW_MIN_MINUTES = ZVW_DURATION_CLASSES[0]
# Prestaties billed per duration class (an MDO and the travel supplement are not).
ZVW_CLASSED = frozenset(
    {ZvwPrestatie.CONSULT_DIAGNOSTIEK, ZvwPrestatie.CONSULT_BEHANDELING, ZvwPrestatie.GROUP_CONSULT}
)

# Outreach: a consult where the client lives; with travel time it earns the travel supplement.
ZVW_OUTREACH_KINDS = frozenset({ContactKind.HOME, ContactKind.NEIGHBOURHOOD})


def zvw_duration_class(minutes: int) -> int | None:
    """The NZa duration class (its lower bound) of a consult of ``minutes``; None under 5."""
    reached = [low for low in ZVW_DURATION_CLASSES if minutes >= low]
    return reached[-1] if reached else None


def zvw_prestatie_code(prestatie: str, duration_class: int | None, beroep: str | None) -> str:
    """The code of an account line's prestatie: "consult_behandeling/30/gz_psycholoog"."""
    return "/".join(str(part) for part in (prestatie, duration_class, beroep) if part)


def zvw_prestatie_label(code: str) -> str:
    """E.g. "Consult behandeling vanaf 30 min, GZ-psycholoog" for the code above."""
    prestatie, *rest = code.split("/")
    label = str(ZvwPrestatie(prestatie).label) if prestatie in ZvwPrestatie.values else prestatie
    for part in rest:
        if part.isdigit():
            label = str(_("%(prestatie)s vanaf %(minutes)s min")) % {
                "prestatie": label,
                "minutes": part,
            }
        elif part in NzaBeroep.values:
            label = f"{label}, {NzaBeroep(part).label}"
    return label


def zvw_prestatie_sort_key(code: str) -> tuple[int, int, int]:
    """Prestatie, then beroep, then duration class, in the order of the choices."""
    prestatie, *rest = code.split("/")
    kinds, beroepen = list(ZvwPrestatie.values), list(NzaBeroep.values)
    beroep = next((p for p in rest if p in beroepen), "")
    minutes = next((int(p) for p in rest if p.isdigit()), 0)
    return (
        kinds.index(prestatie) if prestatie in kinds else 99,
        beroepen.index(beroep) if beroep else -1,
        minutes,
    )


class NzaBeroep(models.TextChoices):
    """The beroepscategorieën the NZa tariffs a consult by (zorgprestatiemodel GGZ)."""

    PSYCHIATER = "psychiater", _("Psychiater")
    GZ_PSYCHOLOOG = "gz_psycholoog", _("GZ-psycholoog")
    VERSLAVINGSARTS = "verslavingsarts", _("Verslavingsarts (KNMG)")
    VERPLEEGKUNDIG_SPECIALIST = "verpleegkundig_specialist", _("Verpleegkundig specialist GGZ")
    VERPLEEGKUNDIGE = "verpleegkundige", _("Verpleegkundige (incl. SPV)")
    OVERIG = "overig", _("Overig beroep")


# The team's disciplines as NZa beroepen (olteams.constants.Discipline → NzaBeroep). The
# casemanager of a treatment team is a (sociaal-psychiatrisch) nurse by training; support and
# welfare disciplines, the project lead and the secretariat deliver no Zvw consults, so their
# presence at a Zvw contact bills nothing.
DISCIPLINE_BEROEP: dict[str, str] = {
    "psychiater": NzaBeroep.PSYCHIATER,
    "gz_psycholoog": NzaBeroep.GZ_PSYCHOLOOG,
    "verslavingsarts": NzaBeroep.VERSLAVINGSARTS,
    "verpleegkundig_specialist": NzaBeroep.VERPLEEGKUNDIG_SPECIALIST,
    "spv": NzaBeroep.VERPLEEGKUNDIGE,
    "verpleegkundige": NzaBeroep.VERPLEEGKUNDIGE,
    "casemanager": NzaBeroep.VERPLEEGKUNDIGE,
    "medewerker_vnn": NzaBeroep.OVERIG,
    "maatschappelijk_werker": NzaBeroep.OVERIG,
    "ervaringsdeskundige": NzaBeroep.OVERIG,
}


class TariffUnit(models.TextChoices):
    HOUR = "uur", _("per uur")
    FOUR_WEEKS = "4weken", _("per cliënt per 4 weken")
    MONTH = "maand", _("per maand")
    CONSULT = "consult", _("per prestatie")


UNIT_FOR_TARIFF = {
    TariffKind.WMO_HOUR: TariffUnit.HOUR,
    TariffKind.WMO_FIXED: TariffUnit.FOUR_WEEKS,
    TariffKind.WMO_LUMP_SUM: TariffUnit.MONTH,
    TariffKind.ZVW_CONSULT: TariffUnit.CONSULT,
    TariffKind.WLZ_HOUR: TariffUnit.HOUR,
}


class TeamCostKind(models.TextChoices):
    HOUSING = "huisvesting", _("Huisvesting")
    OVERHEAD = "overhead", _("Overhead")


class AccountStatus(models.TextChoices):
    DRAFT = "concept", _("Concept")
    CLOSED = "gesloten", _("Gesloten")


class LineSection(models.TextChoices):
    PRODUCTION = "productie", _("Productie")
    REVENUE = "opbrengsten", _("Opbrengsten")
    COST = "kosten", _("Kosten")
    SUBSIDY = "subsidie", _("Subsidie")


class LineCode(models.TextChoices):
    # production (quantities; amount 0)
    CLIENTS_MONTH_END = "clients_eind", _("Cliënten in zorg (einde maand)")
    CLIENTS_AVERAGE = "clients_gem", _("Cliënten in zorg (gemiddeld)")
    INFLOW = "instroom", _("Instroom")
    OUTFLOW = "uitstroom", _("Uitstroom")
    FTE = "fte", _("Formatie (fte)")
    DIRECT_HOURS = "uren_direct", _("Directe uren")
    INDIRECT_HOURS = "uren_indirect", _("Indirecte uren")
    UNPAID_HOURS = "uren_onbetaald", _("Onbetaalde uren")
    # revenue
    REVENUE_ZVW = "opbrengst_zvw", _("Opbrengst Zvw")
    REVENUE_WMO_HOURS = "opbrengst_wmo_uren", _("Opbrengst Wmo (uren)")
    REVENUE_WMO_FIXED = "opbrengst_wmo_vast", _("Opbrengst Wmo (vast bedrag per cliënt)")
    REVENUE_WMO_ARRANGEMENT = "opbrengst_wmo_arr", _("Opbrengst Wmo (arrangement per 4 weken)")
    REVENUE_WMO_LUMP_SUM = "opbrengst_wmo_lumpsum", _("Opbrengst Wmo (lumpsum)")
    REVENUE_WLZ = "opbrengst_wlz", _("Opbrengst Wlz")
    # costs
    PERSONNEL = "personeel", _("Personeelskosten")
    HOUSING = "huisvesting", _("Huisvesting")
    OVERHEAD = "overhead", _("Overhead")
    # subsidy
    SUBSIDY = "subsidie", _("Subsidie")
    # a correction of an earlier (closed) month, booked in a later month with a reason
    ADJUSTMENT = "correctie", _("Correctie")


class ReportFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    XLSX = "xlsx", _("Spreadsheet (XLSX)")


class ReportStatus(models.TextChoices):
    PENDING = "wachtend", _("Wacht op verwerking")
    RUNNING = "bezig", _("Bezig")
    DONE = "klaar", _("Klaar")
    FAILED = "mislukt", _("Mislukt")


MONEY_PLACES = Decimal("0.01")
# Imported historical accounts are rounded to whole euros: a difference of one euro is rounding.
IMPORT_ROUNDING_TOLERANCE = Decimal("1")
FOUR_WEEKS_DAYS = 28
