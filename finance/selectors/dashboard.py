"""The steering-group dashboard: monthly trends per team and for all teams together.

Aggregates only. Every figure passes through ``suppress`` (the one place of the rule in
DESIGN.md): a count under ``STEERING_MIN_CELL`` (5), and a percentage, average or per-client
amount derived from fewer than 5 clients, is not given — its cell says ``"<5"``; pages show
that text, charts leave a gap, the API answers ``value: null, suppressed: true``.

Every series is computed set-based for all months (and all teams) at once: a fixed number
of queries whatever the number of months, teams or clients. Client facts at a month end
(in care, waiting, coverage, outcome change) follow the rules of
``herstelplan.selectors.figures`` (``clients_in_care``, ``team_outcome_figures``), evaluated
in SQL for every month end in one statement. Money and production come from the monthly
accounts where they exist (``finance.selectors.accounts``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, F, Func, IntegerField, Q
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from clients.constants import Phase, ReferralSource
from clients.models import CareEpisode, Client, PhaseTransition, Referral
from finance.models import BusinessCase, BusinessCaseLine, MonthlyAccount
from finance.selectors.accounts import AccountTotals, account_series, account_totals_many
from herstelplan.constants import PlanStatus
from herstelplan.models import HonosAssessment, IrocAnswer, IrocAssessment, Plan
from olteams.access import is_controller, teams_visible_to
from olteams.charts import Chart, Series, line_chart
from olteams.constants import STEERING_MIN_CELL, Discipline
from olteams.models import Membership, Team, User
from wmo.constants import WMO_DECISION_DAYS, DecisionKind
from wmo.models import Decision
from wmo.selectors import PercentileCont

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


def suppress(value: Number | None, *, unit: str, base: int | None) -> Cell:
    """The disclosure rule, used by pages, API and charts alike.

    ``base`` is the number of clients (or requests) the figure counts or is derived from:
    for a count it is the count itself, for a percentage, average, median or per-client
    amount the clients it was computed over; ``None`` for figures about no client (money
    totals, FTE, hours). Under ``STEERING_MIN_CELL`` — zero included — the figure is withheld.
    """
    if base is not None and base < STEERING_MIN_CELL:
        return Cell(None, True, SUPPRESSED)
    if value is None:
        return Cell(None)
    return Cell(value, False, _format(value, unit))


def _complement(overall: Scope, teams: Sequence[Scope]) -> set[tuple[int | None, str, int]]:
    """Secondary suppression of the per-team counts against the all-teams total.

    Where exactly one team's count of a month is withheld while the total is shown, the
    total minus the other teams would reveal it: the smallest shown count of another team
    is withheld too (or, with a single team, the total). Returns the (team id, metric,
    month index) cells withheld this way, so the drill-down page hides the same cells.
    """
    hidden: set[tuple[int | None, str, int]] = set()
    for d in METRICS:
        if d.unit != "count":
            continue
        total = overall.metric(d.key)
        for j, total_cell in enumerate(total.cells):
            if total_cell.suppressed:
                continue
            cells = [(t, t.metric(d.key).cells[j]) for t in teams]
            if sum(1 for _t, c in cells if c.suppressed) != 1:
                continue
            shown = [(c.value, t) for t, c in cells if not c.suppressed and c.value is not None]
            if shown:
                _value, victim = min(shown, key=lambda pair: (pair[0], pair[1].name))
                victim.metric(d.key).cells[j] = Cell(None, True, COMPLEMENTARY)
                hidden.add((victim.team.pk if victim.team else None, d.key, j))
            else:
                total.cells[j] = Cell(None, True, COMPLEMENTARY)
                hidden.add((None, d.key, j))
    return hidden


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


def last_complete_month(today: dt.date) -> dt.date:
    return today.replace(day=1) - relativedelta(months=1)


def month_range(end_month: dt.date, months: int) -> list[dt.date]:
    end = end_month.replace(day=1)
    return [end - relativedelta(months=n) for n in range(months - 1, -1, -1)]


# --- the figures (set-based) ----------------------------------------------------------------

_MONTHS_CTE = """
months AS (
    SELECT m::date AS month, (m + interval '1 month' - interval '1 day')::date AS month_end
    FROM generate_series(%(first)s::date, %(last)s::date, interval '1 month') AS m
)"""

_PHASE_AT_MONTH_END = """(
    SELECT pt.to_phase FROM {transition} pt
    WHERE pt.episode_id = ep.id AND pt."on" <= mo.month_end
    ORDER BY pt."on" DESC, pt.id DESC LIMIT 1
)"""

_EPISODES_AT_MONTH_END = """
    FROM months mo
    JOIN {episode} ep ON ep.started_on <= mo.month_end
        AND (ep.ended_on IS NULL OR ep.ended_on > mo.month_end)
    JOIN {client} c ON c.id = ep.client_id
    WHERE c.merged_into_id IS NULL AND c.team_id = ANY(%(teams)s)
"""

_CARE_SQL = (
    "WITH"  # noqa: S608 - built from constants and model table names only
    + _MONTHS_CTE
    + """,
in_care AS (
    SELECT DISTINCT mo.month, mo.month_end, c.id AS client_id, c.team_id"""
    + _EPISODES_AT_MONTH_END
    + "AND "
    + _PHASE_AT_MONTH_END
    + """ = %(in_care)s
),
iroc AS (
    SELECT a.id, a.client_id, a.date, SUM(x.score) AS total
    FROM {iroc} a JOIN {iroc_answer} x ON x.assessment_id = a.id
    WHERE a.client_id IN (SELECT client_id FROM in_care)
    GROUP BY a.id
),
facts AS (
    SELECT ic.month, ic.team_id, ic.client_id,
        EXISTS (
            SELECT 1 FROM iroc i WHERE i.client_id = ic.client_id AND i.date <= ic.month_end
            AND i.date > (ic.month_end - make_interval(months => %(iroc_months)s))::date
        ) AS recent_iroc,
        EXISTS (
            SELECT 1 FROM {plan} p WHERE p.client_id = ic.client_id
            AND p.status IN (%(active)s, %(archived)s) AND p.agreed_on <= ic.month_end
            AND COALESCE(p.activated_on, p.valid_from, p.agreed_on) <= ic.month_end
            AND (p.archived_on IS NULL OR p.archived_on > ic.month_end)
        ) AS agreed_plan,
        ir.n AS iroc_n, ir.last_total - ir.first_total AS iroc_change,
        ho.n AS honos_n, ho.last_total - ho.first_total AS honos_change
    FROM in_care ic
    LEFT JOIN LATERAL (
        SELECT count(*) AS n, (array_agg(i.total ORDER BY i.date, i.id))[1] AS first_total,
            (array_agg(i.total ORDER BY i.date DESC, i.id DESC))[1] AS last_total
        FROM iroc i WHERE i.client_id = ic.client_id AND i.date <= ic.month_end
    ) ir ON true
    LEFT JOIN LATERAL (
        SELECT count(*) AS n, (array_agg(h.total ORDER BY h.date, h.id))[1] AS first_total,
            (array_agg(h.total ORDER BY h.date DESC, h.id DESC))[1] AS last_total
        FROM {honos} h WHERE h.client_id = ic.client_id AND h.date <= ic.month_end
    ) ho ON true
)
SELECT month, team_id, count(*),
    count(*) FILTER (WHERE recent_iroc), count(*) FILTER (WHERE agreed_plan),
    avg(iroc_change) FILTER (WHERE iroc_n >= 2), count(*) FILTER (WHERE iroc_n >= 2),
    avg(honos_change) FILTER (WHERE honos_n >= 2), count(*) FILTER (WHERE honos_n >= 2)
FROM facts GROUP BY GROUPING SETS ((month, team_id), (month))
"""
)

_WAITING_SQL = (
    "WITH"
    + _MONTHS_CTE
    + """,
waiting AS (
    SELECT mo.month, c.team_id, mo.month_end - COALESCE(r.referred_on, ep.started_on) AS days"""
    + _EPISODES_AT_MONTH_END.replace(
        "JOIN {client} c", "LEFT JOIN {referral} r ON r.id = ep.referral_id JOIN {client} c"
    )
    + "AND "
    + _PHASE_AT_MONTH_END
    + """ = ANY(%(waiting)s)
)
SELECT month, team_id, count(*), avg(days),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY days)
FROM waiting GROUP BY GROUPING SETS ((month, team_id), (month))
"""
)

_FLOW_SQL = """
SELECT date_trunc('month', pt."on")::date AS month, c.team_id,
    count(DISTINCT c.id) FILTER (
        WHERE pt.to_phase = %(in_care)s AND pt.from_phase <> ALL(%(care_phases)s)),
    count(DISTINCT c.id) FILTER (
        WHERE pt.to_phase = %(outflow)s AND pt.from_phase = ANY(%(care_phases)s))
FROM {transition} pt JOIN {episode} ep ON ep.id = pt.episode_id
JOIN {client} c ON c.id = ep.client_id
WHERE c.merged_into_id IS NULL AND c.team_id = ANY(%(teams)s)
    AND pt."on" >= %(first)s AND pt."on" < %(after)s
GROUP BY 1, 2
"""

# FTE as in the accounts: each membership weighted by the days of the month it was active.
_FTE_WEIGHT = """m.fte * (LEAST(COALESCE(m.valid_to, mo.month_end), mo.month_end)
    - GREATEST(m.valid_from, mo.month) + 1)::numeric / EXTRACT(DAY FROM mo.month_end)"""

_FTE_SQL = (
    "WITH"
    + _MONTHS_CTE
    + f"""
SELECT mo.month, m.team_id, SUM({_FTE_WEIGHT}),
    COALESCE(SUM({_FTE_WEIGHT}) FILTER (WHERE m.discipline = ANY(%(cm)s)), 0)
FROM months mo JOIN {{membership}} m ON m.valid_from <= mo.month_end
    AND (m.valid_to IS NULL OR m.valid_to >= mo.month)
WHERE m.team_id = ANY(%(teams)s)
GROUP BY 1, 2
"""  # noqa: S608 - built from constants and model table names only
)

# The business case in force in the month (the latest one per team), its target FTE.
_BUSINESS_CASE_SQL = (
    "WITH"  # noqa: S608 - built from constants and model table names only
    + _MONTHS_CTE
    + """,
cases AS (
    SELECT DISTINCT ON (mo.month, bc.team_id) mo.month, bc.team_id, bc.id
    FROM months mo JOIN {business_case} bc ON bc.valid_from <= mo.month_end
        AND (bc.valid_to IS NULL OR bc.valid_to >= mo.month)
    WHERE bc.team_id = ANY(%(teams)s)
    ORDER BY mo.month, bc.team_id, bc.valid_from DESC
)
SELECT cases.month, cases.team_id,
    (SELECT COALESCE(SUM(l.target_fte), 0) FROM {business_case_line} l
     WHERE l.business_case_id = cases.id)
FROM cases
"""
)

_TABLES = {
    "transition": PhaseTransition._meta.db_table,
    "episode": CareEpisode._meta.db_table,
    "client": Client._meta.db_table,
    "referral": Referral._meta.db_table,
    "iroc": IrocAssessment._meta.db_table,
    "iroc_answer": IrocAnswer._meta.db_table,
    "honos": HonosAssessment._meta.db_table,
    "plan": Plan._meta.db_table,
    "membership": Membership._meta.db_table,
    "business_case": BusinessCase._meta.db_table,
    "business_case_line": BusinessCaseLine._meta.db_table,
}

Raw = dict[tuple[int | None, str, dt.date], tuple[Number | None, int | None]]


def _rows(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**_TABLES), params)
        return cursor.fetchall()


def _dec(value: Any, places: str = "0.1") -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _pct(part: int, whole: int) -> Decimal | None:
    return _dec(Decimal(100) * part / whole) if whole else None


def _params(team_ids: list[int], months: list[dt.date]) -> dict[str, Any]:
    return {
        "teams": team_ids,
        "first": months[0],
        "last": months[-1],
        "after": months[-1] + relativedelta(months=1),
    }


def _care_facts(raw: Raw, params: dict[str, Any]) -> None:
    extra = {
        "in_care": Phase.IN_CARE,
        "iroc_months": IROC_COVERAGE_MONTHS,
        "active": PlanStatus.ACTIVE,
        "archived": PlanStatus.ARCHIVED,
    }
    for month, team_id, n, iroc, plan, iroc_ch, iroc_n, honos_ch, honos_n in _rows(
        _CARE_SQL, params | extra
    ):
        raw[team_id, "computed_in_care", month] = (n, n)
        raw[team_id, "iroc_coverage_pct", month] = (_pct(iroc, n), n)
        raw[team_id, "plan_coverage_pct", month] = (_pct(plan, n), n)
        raw[team_id, "iroc_change", month] = (_dec(iroc_ch), iroc_n)
        raw[team_id, "honos_change", month] = (_dec(honos_ch), honos_n)


def _waiting(raw: Raw, params: dict[str, Any]) -> None:
    extra = {"waiting": list(WAITING_DASHBOARD_PHASES)}
    for month, team_id, n, avg, median in _rows(_WAITING_SQL, params | extra):
        raw[team_id, "waiting", month] = (n, n)
        raw[team_id, "waiting_days_avg", month] = (_dec(avg), n)
        raw[team_id, "waiting_days_median", month] = (_dec(median), n)


def _add(raw: Raw, team_id: int, key: str, month: dt.date, value: Number, counted: bool) -> None:
    """Add to the team's figure and to the all-teams total (sums are additive)."""
    for scope in (team_id, ALL):
        total = (raw.get((scope, key, month), (0, None))[0] or 0) + value
        raw[scope, key, month] = (total, int(total) if counted else None)


def _flows(raw: Raw, params: dict[str, Any]) -> None:
    extra = {
        "in_care": Phase.IN_CARE,
        "outflow": Phase.OUTFLOW,
        "care_phases": [Phase.IN_CARE, Phase.AFTERCARE],
    }
    for month, team_id, inflow, outflow in _rows(_FLOW_SQL, params | extra):
        _add(raw, team_id, "computed_inflow", month, inflow, True)
        _add(raw, team_id, "computed_outflow", month, outflow, True)


def _referrals(raw: Raw, params: dict[str, Any]) -> set[str]:
    rows = (
        Referral.objects.filter(
            team_id__in=params["teams"],
            referred_on__gte=params["first"],
            referred_on__lt=params["after"],
        )
        .annotate(m=TruncMonth("referred_on"))
        .values_list("m", "team_id", "source")
        .annotate(n=Count("id"))
        .order_by()
    )
    sources = set()
    for month, team_id, source, n in rows:
        sources.add(source)
        _add(raw, team_id, f"referrals:{source}", month, n, True)
        _add(raw, team_id, "referrals", month, n, True)
    return sources


def _wmo(raw: Raw, params: dict[str, Any]) -> None:
    """Final decisions by the month they were taken: median days from submission and the
    share decided within the statutory 14 days."""
    days = Func(
        F("decided_on"),
        F("request__submitted_on"),
        template="(%(expressions)s)",
        arg_joiner=" - ",
        output_field=IntegerField(),
    )
    base = (
        Decision.objects.exclude(kind=DecisionKind.IN_ONDERZOEK)
        .filter(
            request__team_id__in=params["teams"],
            request__submitted_on__isnull=False,
            decided_on__gte=params["first"],
            decided_on__lt=params["after"],
        )
        .annotate(days=days, m=TruncMonth("decided_on"))
        .order_by()
    )
    figures = {
        "n": Count("id"),
        "median": PercentileCont("days", 0.5),
        "on_time": Count("id", filter=Q(days__lte=WMO_DECISION_DAYS)),
    }
    per_team = base.values_list("m", "request__team_id").annotate(**figures)
    overall = base.values_list("m").annotate(**figures)
    for row in [*per_team, *[(m, ALL, *rest) for m, *rest in overall]]:
        month, team_id, n, median, on_time = row
        raw[team_id, "wmo_decided", month] = (n, n)
        raw[team_id, "wmo_lead_time_median", month] = (_dec(median), n)
        raw[team_id, "wmo_within_14_pct", month] = (_pct(on_time, n), n)


def _formation(raw: Raw, params: dict[str, Any]) -> None:
    extra = {"cm": list(CASEMANAGER_DISCIPLINES)}
    for month, team_id, fte, cm_fte in _rows(_FTE_SQL, params | extra):
        _add(raw, team_id, "computed_fte", month, Decimal(fte).quantize(_CENT), False)
        _add(raw, team_id, "casemanager_fte", month, Decimal(cm_fte).quantize(_CENT), False)
    for month, team_id, target in _rows(_BUSINESS_CASE_SQL, params):
        _add(raw, team_id, "target_fte", month, target, False)


def _accounts(raw: Raw, team_ids: list[int], months: list[dt.date], team: Team | None) -> None:
    """Account totals into ``raw``. One team: its series. All teams: the consolidated series
    and every team's accounts of the months (one query for the accounts, one for the totals)."""
    if team is not None:
        series = account_series(team=team, end_month=months[-1], months=len(months))
        for month, found in series:
            if found is not None:
                raw[team.pk, "account", month] = (found, None)  # type: ignore[assignment]
        return
    for month, found in account_series(team=None, end_month=months[-1], months=len(months)):
        if found is not None:
            raw[ALL, "account", month] = (found, None)  # type: ignore[assignment]
    accounts = list(
        MonthlyAccount.objects.filter(
            team_id__in=team_ids, month__gte=months[0], month__lte=months[-1]
        )
    )
    totals = account_totals_many(accounts)
    for account in accounts:
        if account.pk in totals:
            raw[account.team_id, "account", account.month] = (totals[account.pk], None)  # type: ignore[assignment]


def _collect(
    team_ids: list[int], months: list[dt.date], team: Team | None
) -> tuple[Raw, list[str]]:
    """Every raw figure of the period: a fixed number of queries."""
    raw: Raw = {}
    params = _params(team_ids, months)
    _care_facts(raw, params)
    _waiting(raw, params)
    _flows(raw, params)
    sources = _referrals(raw, params)
    _wmo(raw, params)
    _formation(raw, params)
    _accounts(raw, team_ids, months, team)
    return raw, [s for s in ReferralSource.values if s in sources]


# --- from raw figures to suppressed metrics -------------------------------------------------


def _count(value: Any) -> int | None:
    return None if value is None else int(value)


def _month_values(raw: Raw, key: int | None, month: dt.date) -> dict[str, tuple[Any, Any]]:
    """Every figure of one scope and month, accounts first, computed where none exists."""

    def get(name: str) -> tuple[Any, Any]:
        return raw.get((key, name, month), (None, None))

    account: AccountTotals | None = get("account")[0]
    values: dict[str, tuple[Any, Any]] = {}
    clients = int(account.clients_month_end if account else get("computed_in_care")[0] or 0)
    values["clients_in_care"] = (clients, clients)
    for name in ("inflow", "outflow"):
        n = _count(getattr(account, name)) if account else get(f"computed_{name}")[0] or 0
        values[name] = (n, n)
    for name in ("waiting", "referrals", "wmo_decided"):
        n = get(name)[0] or 0
        values[name] = (n, n)
    for name in (
        "waiting_days_avg",
        "waiting_days_median",
        "wmo_lead_time_median",
        "wmo_within_14_pct",
        "iroc_coverage_pct",
        "plan_coverage_pct",
        "iroc_change",
        "honos_change",
    ):
        value, base = get(name)
        values[name] = (value, base or 0)
    fte = account.fte if account else get("computed_fte")[0]
    values["fte"] = (fte, None)
    values["target_fte"] = (get("target_fte")[0], None)
    cm_fte: Decimal | None = get("casemanager_fte")[0]
    values["casemanager_fte"] = (cm_fte, None)
    ratio = _dec(Decimal(clients) / cm_fte) if cm_fte else None
    values["caseload_per_fte"] = (ratio, clients)
    values["unpaid_hours"] = (account.unpaid_hours if account else None, None)
    for name in ("revenue", "costs", "result_excl_subsidy", "subsidy", "result_incl_subsidy"):
        values[name] = (getattr(account, name) if account else None, None)
    per_client = _dec(Decimal(account.revenue) / clients, "0.01") if account and clients else None
    values["revenue_per_client"] = (per_client, clients)
    return values


def _scope(
    raw: Raw, key: int | None, team: Team | None, months: list[dt.date], sources: list[str]
) -> Scope:
    by_month = [_month_values(raw, key, m) for m in months]
    metrics = []
    for d in METRICS:
        cells = [suppress(v[d.key][0], unit=d.unit, base=v[d.key][1]) for v in by_month]
        metrics.append(Metric(d.key, str(d.label), d.unit, d.chart, cells, str(d.short)))
    labels = dict(ReferralSource.choices)
    for source in sources:
        cells = []
        for m in months:
            n = int(raw.get((key, f"referrals:{source}", m), (0, 0))[0] or 0)
            cells.append(suppress(n, unit="count", base=n))
        name = str(labels.get(source, source))
        label = str(_("Aanmeldingen: %(source)s") % {"source": name})
        metrics.append(
            Metric(f"referrals:{source}", label, "count", "referrals_source", cells, name)
        )
    return Scope(team, months, metrics)


def _period(
    *, end_month: dt.date | None, months: int, today: dt.date | None
) -> tuple[dt.date, list[dt.date]]:
    today = today or timezone.localdate()
    end = (end_month or last_complete_month(today)).replace(day=1)
    return end, month_range(end, max(1, min(months, MAX_MONTHS)))


def dashboard_overview(
    *,
    user: User,
    end_month: dt.date | None = None,
    months: int = DEFAULT_MONTHS,
    today: dt.date | None = None,
) -> Dashboard:
    """All teams together plus one series per team (the teams the user may see)."""
    if not dashboard_allowed(user):
        raise PermissionDenied
    end, period = _period(end_month=end_month, months=months, today=today)
    teams = list(teams_visible_to(user, today=today).order_by("name"))
    overall, per_team = _overview_scopes(teams, period)
    return Dashboard(end, period, overall, per_team)


def _overview_scopes(teams: list[Team], period: list[dt.date]) -> tuple[Scope, list[Scope]]:
    raw, sources = _collect([t.pk for t in teams], period, None)
    overall = _scope(raw, ALL, None, period, sources)
    per_team = [_scope(raw, t.pk, t, period, []) for t in teams]
    _complement(overall, per_team)
    return overall, per_team


def dashboard_team(
    *,
    user: User,
    team_id: Any,
    end_month: dt.date | None = None,
    months: int = DEFAULT_MONTHS,
    today: dt.date | None = None,
) -> Dashboard:
    """One team's series; a team the user may not see is the same 404 as a missing one."""
    if not dashboard_allowed(user):
        raise PermissionDenied
    try:
        team = teams_visible_to(user, today=today).get(pk=int(team_id))
    except (Team.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    end, period = _period(end_month=end_month, months=months, today=today)
    raw, sources = _collect([team.pk], period, team)
    scope = _scope(raw, team.pk, team, period, sources)
    # The cells the overview withholds to prevent subtraction stay withheld here too.
    _overall, per_team = _overview_scopes(
        list(teams_visible_to(user, today=today).order_by("name")), period
    )
    same = next(t for t in per_team if t.team is not None and t.team.pk == team.pk)
    for d in METRICS:
        if d.unit == "count":
            for j, cell in enumerate(same.metric(d.key).cells):
                if cell.suppressed and not scope.metric(d.key).cells[j].suppressed:
                    scope.metric(d.key).cells[j] = cell
    return Dashboard(end, period, scope, [])


# --- charts and trend text --------------------------------------------------------------------


def _month_label(month: dt.date) -> str:
    return formats.date_format(month, "M Y")


def _summary(metrics: Sequence[Metric], months: Sequence[dt.date]) -> str:
    parts = []
    for m in metrics:
        shown = [(mo, c) for mo, c in zip(months, m.cells, strict=True) if not c.suppressed]
        if not shown or all(c.value is None for _mo, c in shown):
            empty = _("%(name)s: elke maand <5") if not shown else _("%(name)s: geen gegevens")
            parts.append(str(empty % {"name": m.label}))
            continue
        last_month, last = next((mo, c) for mo, c in reversed(shown) if c.value is not None)
        parts.append(
            str(
                _("%(name)s: %(value)s in %(month)s")
                % {"name": m.label, "value": last.text, "month": _month_label(last_month)}
            )
        )
    hidden = sum(c.suppressed for m in metrics for c in m.cells)
    text = "; ".join(parts) + "."
    if hidden:
        text += " " + str(_('Waarden onder 5 cliënten zijn weggelaten ("<5").'))
    return text


@dataclass
class DashboardChart:
    key: str
    chart: Chart
    metrics: list[Metric]
    months: list[dt.date]

    @property
    def empty(self) -> bool:
        """Nothing to draw (every month suppressed or without a figure)."""
        return all(c.chart_value is None for m in self.metrics for c in m.cells)

    @property
    def title(self) -> str:
        return self.chart.title

    @property
    def rows(self) -> list[tuple[str, list[Cell]]]:
        return [
            (_month_label(m), [metric.cells[i] for metric in self.metrics])
            for i, m in enumerate(self.months)
        ]


def scope_charts(scope: Scope, *, uid: str = "dash") -> list[DashboardChart]:
    """One line chart per group of metrics; a suppressed point is a gap."""
    groups: dict[str, list[Metric]] = defaultdict(list)
    for metric in scope.metrics:
        groups["referrals" if metric.chart == "referrals_source" else metric.chart].append(metric)
    labels = [_month_label(m) for m in scope.months]
    charts = []
    for key, (title, axis) in CHARTS.items():
        metrics = groups.get(key, [])
        if key == "referrals" and len(metrics) > 1:
            metrics = metrics[1:]  # the sources; the total is in the table of the overview
        if not metrics:
            continue
        description = f"{axis}. {_summary(metrics, scope.months)}"
        chart = line_chart(
            title=f"{title} — {scope.name}",
            description=description,
            labels=labels,
            series=[Series(m.short, [c.chart_value for c in m.cells]) for m in metrics],
            width=720,
            uid=f"{uid}-{key}",
        )
        charts.append(DashboardChart(key, chart, metrics, scope.months))
    return charts


_SPARK = "▁▂▃▄▅▆▇█"


def sparkline(cells: Iterable[Cell]) -> str:
    """A row of block characters (a space for a suppressed or missing month)."""
    values = [c.chart_value for c in cells]
    shown = [float(v) for v in values if v is not None]
    if not shown:
        return ""
    lo, hi = min([0.0, *shown]), max(shown)  # from zero: a flat line is not a dip
    span = hi - lo or 1.0
    return "".join(
        " " if v is None else _SPARK[round((float(v) - lo) / span * (len(_SPARK) - 1))]
        for v in values
    )
