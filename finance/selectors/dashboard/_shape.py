"""The one disclosure rule (``suppress``) and the shape of the answer: cells, metrics, scopes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from clients.constants import Phase
from olteams.access import is_controller, team_ids_for, teams_visible_to
from olteams.constants import STEERING_MIN_CELL, Discipline, TeamRole
from olteams.models import Team, User

SUPPRESSED = "<5"
# Withheld although 5 or more: shown, it would give away a hidden count by subtraction
# (all teams minus the other teams). CBS marks such cells with a cross.
COMPLEMENTARY = "\u00d7"
NO_FIGURE = "\u2013"  # an en dash: no figure for the month (not suppressed, just none)
MAX_MONTHS = 24
DEFAULT_MONTHS = 12
IROC_COVERAGE_MONTHS = 6  # "an I.ROC in the last 6 months" (the same window for every team)
# Disciplines that carry a caseload of their own: "caseload per FTE" divides by their FTE.
CASEMANAGER_DISCIPLINES = (
    Discipline.CASEMANAGER,
    Discipline.SPV,
    Discipline.VERPLEEGKUNDIGE,
    Discipline.AMBULANT_BEGELEIDER,
    Discipline.MAATSCHAPPELIJK_WERKER,
    Discipline.VERSLAVINGSZORG_MEDEWERKER,
)
WAITING_DASHBOARD_PHASES = (Phase.REFERRED, Phase.WAITING, Phase.INTAKE)

Number = int | Decimal
_CENT = Decimal("0.01")
ALL = None  # the scope key of "all teams together"


# --- suppression: the one rule -------------------------------------------------------------


def is_small(count: int | None) -> bool:
    """A count of clients (or requests) too small to show or to derive a figure from."""
    return count is not None and count < STEERING_MIN_CELL


@dataclass(frozen=True)
class Cell:
    """One figure as a steering-group user may see it."""

    value: Number | None
    suppressed: bool = False
    text: str = NO_FIGURE

    @property
    def chart_value(self) -> Number | None:
        return None if self.suppressed else self.value


def _format(value: Number, unit: str) -> str:
    if unit == "count":
        return formats.number_format(int(value), force_grouping=True)
    if unit == "money":
        return "€ " + formats.number_format(value, 2, force_grouping=True)
    places = {"fte": 2, "pct": 1, "days": 1, "score": 1, "ratio": 1, "hours": 1}.get(unit, 1)
    text = formats.number_format(value, places, force_grouping=True)
    if unit == "pct":
        return f"{text} %"
    if unit == "score" and value > 0:
        return f"+{text}"
    return text


def suppress(
    value: Number | None, *, unit: str, base: int | None, numerator: int | None = None
) -> Cell:
    """The disclosure rule, used by pages, API and charts alike.

    ``base`` is the number of clients (or requests) the figure counts or is derived from:
    for a count it is the count itself, for a percentage, average, median or per-client
    amount the clients it was computed over; ``None`` for figures about no client (money
    totals, FTE, hours). ``numerator`` is the count on top of a percentage (the clients with
    an I.ROC, the decisions within 14 days). When either is under ``STEERING_MIN_CELL`` —
    zero included — the figure is withheld.
    """
    if is_small(base) or is_small(numerator):
        return Cell(None, True, SUPPRESSED)
    if value is None:
        return Cell(None)
    return Cell(value, False, _format(value, unit))


# --- the shape of the answer ---------------------------------------------------------------


@dataclass(frozen=True)
class MetricDef:
    key: str
    label: Any
    unit: str
    chart: str
    short: Any  # the legend of the chart and the column of the per-team table


METRICS = [
    MetricDef(
        "clients_in_care", _("Cliënten in zorg (einde maand)"), "count", "clients", _("In zorg")
    ),
    MetricDef("inflow", _("Instroom"), "count", "clients", _("Instroom")),
    MetricDef("outflow", _("Uitstroom"), "count", "clients", _("Uitstroom")),
    MetricDef("waiting", _("Wachtenden (einde maand)"), "count", "waiting", _("Wachtend")),
    MetricDef(
        "waiting_days_avg",
        _("Gemiddelde wachttijd (dagen)"),
        "days",
        "waiting_days",
        _("Gemiddeld"),
    ),
    MetricDef(
        "waiting_days_median", _("Mediane wachttijd (dagen)"), "days", "waiting_days", _("Mediaan")
    ),
    MetricDef("referrals", _("Aanmeldingen (totaal)"), "count", "referrals", _("Aanmeldingen")),
    MetricDef("wmo_decided", _("Wmo-besluiten"), "count", "wmo", _("Besluiten")),
    MetricDef(
        "wmo_lead_time_median",
        _("Wmo-doorlooptijd, mediaan (dagen)"),
        "days",
        "wmo",
        _("Dagen (mediaan)"),
    ),
    MetricDef(
        "wmo_within_14_pct",
        _("Wmo binnen 14 dagen besloten (%)"),
        "pct",
        "wmo_pct",
        _("Binnen 14 dagen"),
    ),
    MetricDef(
        "iroc_coverage_pct",
        _("Met I.ROC in de laatste 6 maanden (%)"),
        "pct",
        "coverage",
        _("I.ROC-dekking"),
    ),
    MetricDef(
        "plan_coverage_pct",
        _("Met akkoord en actief herstelplan (%)"),
        "pct",
        "coverage",
        _("Plandekking"),
    ),
    MetricDef(
        "iroc_change", _("Gemiddelde verandering I.ROC-totaal"), "score", "outcomes", _("I.ROC")
    ),
    MetricDef(
        "honos_change", _("Gemiddelde verandering HoNOS-totaal"), "score", "outcomes", _("HoNOS")
    ),
    MetricDef("fte", _("Formatie (fte)"), "fte", "fte", _("Werkelijk")),
    MetricDef(
        "target_fte", _("Formatie volgens businesscase (fte)"), "fte", "fte", _("Businesscase")
    ),
    MetricDef("casemanager_fte", _("Fte casemanagement"), "fte", "fte", _("Casemanagement")),
    MetricDef(
        "caseload_per_fte", _("Cliënten per fte casemanagement"), "ratio", "caseload", _("Per fte")
    ),
    MetricDef("unpaid_hours", _("Onbetaalde uren"), "hours", "hours", _("Onbetaald")),
    MetricDef("revenue", _("Opbrengsten"), "money", "money", _("Opbrengsten")),
    MetricDef("costs", _("Kosten"), "money", "money", _("Kosten")),
    MetricDef(
        "result_excl_subsidy",
        _("Resultaat zonder subsidie"),
        "money",
        "money",
        _("Zonder subsidie"),
    ),
    MetricDef("subsidy", _("Subsidie"), "money", "money", _("Subsidie")),
    MetricDef(
        "result_incl_subsidy", _("Resultaat met subsidie"), "money", "money", _("Met subsidie")
    ),
    MetricDef(
        "revenue_per_client", _("Opbrengst per cliënt"), "money", "per_client", _("Per cliënt")
    ),
]
CHARTS = {
    "clients": (_("Cliënten in zorg, instroom en uitstroom"), _("aantal cliënten")),
    "waiting": (_("Wachtlijst"), _("aantal wachtenden")),
    "waiting_days": (_("Wachttijd"), _("dagen sinds aanmelding")),
    "referrals": (_("Aanmeldingen per verwijzer"), _("aantal aanmeldingen")),
    "wmo": (_("Wmo-besluiten en doorlooptijd"), _("aantal besluiten en dagen")),
    "wmo_pct": (_("Wmo binnen 14 dagen"), _("procent van de besluiten")),
    "coverage": (_("I.ROC- en herstelplandekking"), _("procent van de cliënten in zorg")),
    "outcomes": (_("Verandering in I.ROC en HoNOS"), _("punten, eerste tot laatste meting")),
    "fte": (_("Formatie en businesscase"), _("fte")),
    "caseload": (_("Caseload per fte casemanagement"), _("cliënten per fte")),
    "hours": (_("Onbetaalde uren"), _("uren")),
    "money": (_("Opbrengsten, kosten en resultaat"), _("euro")),
    "per_client": (_("Opbrengst per cliënt"), _("euro per cliënt in zorg")),
}


@dataclass
class Metric:
    key: str
    label: str
    unit: str
    chart: str
    cells: list[Cell]
    short: str = ""

    @property
    def latest(self) -> Cell:
        return self.cells[-1]


@dataclass
class Scope:
    """The series of one team (or of all teams together)."""

    team: Team | None
    months: list[dt.date]
    metrics: list[Metric]
    extra: dict[str, Any] = field(default_factory=dict)

    def metric(self, key: str) -> Metric:
        return next(m for m in self.metrics if m.key == key)

    @property
    def name(self) -> str:
        return self.team.name if self.team is not None else str(_("Alle teams"))


@dataclass
class Dashboard:
    end_month: dt.date
    months: list[dt.date]
    scope: Scope  # the team drilled into, or all teams together
    teams: list[Scope]  # per team (overview only)


# --- who, which months ----------------------------------------------------------------------


def dashboard_allowed(user: User) -> bool:
    """Steering group, controllers and functional administrators: aggregates only."""
    return user.is_authenticated and (
        user.is_stuurgroep or user.is_functional_admin or is_controller(user)
    )


def lead_team_ids(user: User, *, today: dt.date | None = None) -> list[int]:
    """The teams the user leads today (project leads sit in the monthly control meeting)."""
    if not user.is_authenticated:
        return []
    return team_ids_for(user, roles=[TeamRole.LEAD], today=today)


def dashboard_team_allowed(user: User, *, today: dt.date | None = None) -> bool:
    """The single-team page: everyone of ``dashboard_allowed``, and team leads (their own)."""
    return dashboard_allowed(user) or bool(lead_team_ids(user, today=today))


def dashboard_teams_for(user: User, *, today: dt.date | None = None) -> QuerySet[Team]:
    """The teams whose dashboard the user may open: all for the steering group, controllers
    and administrators; the teams they lead for a team lead; none otherwise."""
    if dashboard_allowed(user):
        return teams_visible_to(user, today=today)
    return Team.objects.filter(pk__in=lead_team_ids(user, today=today))


def last_complete_month(today: dt.date) -> dt.date:
    return today.replace(day=1) - relativedelta(months=1)


def month_range(end_month: dt.date, months: int) -> list[dt.date]:
    end = end_month.replace(day=1)
    return [end - relativedelta(months=n) for n in range(months - 1, -1, -1)]
