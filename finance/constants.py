"""Choices and rule constants of the integrated accounts."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class TariffKind(models.TextChoices):
    WMO_HOUR = "wmo_uur", _("Wmo per uur (per gemeente)")
    WMO_FIXED = "wmo_vast", _("Wmo vast bedrag per cliënt per 4 weken")
    WMO_LUMP_SUM = "wmo_lumpsum", _("Wmo lumpsum per team en gemeente per maand")
    ZVW_CONSULT = "zvw_consult", _("Zvw consult (discipline en duur)")
    WLZ_HOUR = "wlz_uur", _("Wlz per uur")


FUNDING_FOR_TARIFF = {
    TariffKind.WMO_HOUR: "wmo",
    TariffKind.WMO_FIXED: "wmo",
    TariffKind.WMO_LUMP_SUM: "wmo",
    TariffKind.ZVW_CONSULT: "zvw",
    TariffKind.WLZ_HOUR: "wlz",
}


class TariffUnit(models.TextChoices):
    HOUR = "uur", _("per uur")
    FOUR_WEEKS = "4weken", _("per cliënt per 4 weken")
    MONTH = "maand", _("per maand")
    CONSULT = "consult", _("per consult")


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
