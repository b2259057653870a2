"""The raw figures of a period, set-based: a fixed number of SQL queries for all months and teams."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import Count, F, Func, IntegerField, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from clients.constants import Phase, ReferralSource
from clients.models import CareEpisode, Client, PhaseTransition, Referral
from finance.models import BusinessCase, BusinessCaseLine, MonthlyAccount
from finance.selectors.accounts import account_series, account_totals_many
from finance.selectors.dashboard._shape import (
    _CENT,
    ALL,
    CASEMANAGER_DISCIPLINES,
    IROC_COVERAGE_MONTHS,
    WAITING_DASHBOARD_PHASES,
    Number,
)
from herstelplan.constants import PlanStatus
from herstelplan.models import HonosAssessment, IrocAnswer, IrocAssessment, Plan
from olteams.models import Membership, Team
from wmo.constants import WMO_DECISION_DAYS, DecisionKind
from wmo.models import Decision
from wmo.selectors import PercentileCont

# --- the figures (set-based) ----------------------------------------------------------------

# A month is measured at its last day, the open month at today (never at a future month end:
# its waiting days, phases and formation are those of today), a future month at its first day.
_MONTHS_CTE = """
months AS (
    SELECT m::date AS month,
           GREATEST(m::date, LEAST((m + interval '1 month' - interval '1 day')::date,
                                   %(today)s::date)) AS month_end
    FROM generate_series(%(first)s::date, %(last)s::date, interval '1 month') AS m
)"""

# The phase of every episode at every month end: one sort of the transitions (no lookup per
# episode and month), then the episodes open at that month end.
_LAST_PHASE_CTE = """
last_phase AS (
    SELECT DISTINCT ON (mo.month, pt.episode_id)
        mo.month, mo.month_end, pt.episode_id, pt.to_phase
    FROM months mo JOIN {transition} pt ON pt."on" <= mo.month_end
    ORDER BY mo.month, pt.episode_id, pt."on" DESC, pt.id DESC
),
open_episodes AS (
    SELECT lp.month, lp.month_end, lp.to_phase, ep.id AS episode_id, ep.referral_id,
        ep.started_on, c.id AS client_id, c.team_id
    FROM last_phase lp
    JOIN {episode} ep ON ep.id = lp.episode_id AND ep.started_on <= lp.month_end
        AND (ep.ended_on IS NULL OR ep.ended_on > lp.month_end)
    JOIN {client} c ON c.id = ep.client_id
    WHERE c.merged_into_id IS NULL AND c.team_id = ANY(%(teams)s)
)"""

# Outcome measurements per client and month end: count, first and last total (hash joins
# over the period's rows, not a subquery per client and month).
_MEASURED_CTE = """
{name}_at AS (
    SELECT ic.month, ic.client_id, count(*) AS n,
        (array_agg(m.total ORDER BY m.date, m.id))[1] AS first_total,
        (array_agg(m.total ORDER BY m.date DESC, m.id DESC))[1] AS last_total,
        bool_or(m.date > (ic.month_end - make_interval(months => %(iroc_months)s))::date)
            AS recent
    FROM in_care ic JOIN {source} m ON m.client_id = ic.client_id AND m.date <= ic.month_end
    GROUP BY ic.month, ic.client_id
)"""

_CARE_SQL = (
    "WITH"  # noqa: S608 - built from constants and model table names only
    + _MONTHS_CTE
    + ","
    + _LAST_PHASE_CTE
    + """,
in_care AS (
    SELECT DISTINCT month, month_end, client_id, team_id FROM open_episodes
    WHERE to_phase = %(in_care)s
),
iroc AS (
    SELECT a.id, a.client_id, a.date, SUM(x.score) AS total
    FROM {iroc} a JOIN {iroc_answer} x ON x.assessment_id = a.id
    WHERE a.date <= %(last_end)s AND a.client_id IN (SELECT client_id FROM in_care)
    GROUP BY a.id
),"""
    + _MEASURED_CTE.replace("{name}", "iroc").replace("{source}", "iroc")
    + ","
    + _MEASURED_CTE.replace("{name}", "honos").replace("{source}", "{honos}")
    + """,
plan_at AS (
    SELECT DISTINCT ic.month, ic.client_id
    FROM in_care ic JOIN {plan} p ON p.client_id = ic.client_id
    WHERE p.status IN (%(active)s, %(archived)s) AND p.agreed_on <= ic.month_end
        AND COALESCE(p.activated_on, p.valid_from, p.agreed_on) <= ic.month_end
        AND (p.archived_on IS NULL OR p.archived_on > ic.month_end)
)
SELECT ic.month, ic.team_id, count(*),
    count(*) FILTER (WHERE ir.recent), count(pa.client_id),
    avg(ir.last_total - ir.first_total) FILTER (WHERE ir.n >= 2), count(*) FILTER (WHERE ir.n >= 2),
    avg(ho.last_total - ho.first_total) FILTER (WHERE ho.n >= 2), count(*) FILTER (WHERE ho.n >= 2)
FROM in_care ic
LEFT JOIN iroc_at ir ON ir.month = ic.month AND ir.client_id = ic.client_id
LEFT JOIN honos_at ho ON ho.month = ic.month AND ho.client_id = ic.client_id
LEFT JOIN plan_at pa ON pa.month = ic.month AND pa.client_id = ic.client_id
GROUP BY GROUPING SETS ((ic.month, ic.team_id), (ic.month))
"""
)

_WAITING_SQL = (
    "WITH"  # noqa: S608 - built from constants and model table names only
    + _MONTHS_CTE
    + ","
    + _LAST_PHASE_CTE
    + """,
waiting AS (
    SELECT oe.month, oe.team_id, oe.month_end - COALESCE(r.referred_on, oe.started_on) AS days
    FROM open_episodes oe LEFT JOIN {referral} r ON r.id = oe.referral_id
    WHERE oe.to_phase = ANY(%(waiting)s)
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


def numerator_key(key: str) -> str:
    """The raw entry holding the count on top of a percentage (``key`` is the percentage)."""
    return f"{key}#numerator"


def _pct(part: int, whole: int) -> Decimal | None:
    return _dec(Decimal(100) * part / whole) if whole else None


def _params(team_ids: list[int], months: list[dt.date], today: dt.date) -> dict[str, Any]:
    return {
        "today": today,
        "teams": team_ids,
        "first": months[0],
        "last": months[-1],
        "after": months[-1] + relativedelta(months=1),
        "last_end": months[-1] + relativedelta(months=1) - relativedelta(days=1),
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
        raw[team_id, numerator_key("iroc_coverage_pct"), month] = (iroc, iroc)
        raw[team_id, "plan_coverage_pct", month] = (_pct(plan, n), n)
        raw[team_id, numerator_key("plan_coverage_pct"), month] = (plan, plan)
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
        raw[team_id, numerator_key("wmo_within_14_pct"), month] = (on_time, on_time)


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
    team_ids: list[int], months: list[dt.date], team: Team | None, today: dt.date | None = None
) -> tuple[Raw, list[str]]:
    """Every raw figure of the period: a fixed number of queries. The open month is
    measured up to ``today`` (default today)."""
    raw: Raw = {}
    params = _params(team_ids, months, today or timezone.localdate())
    _care_facts(raw, params)
    _waiting(raw, params)
    _flows(raw, params)
    sources = _referrals(raw, params)
    _wmo(raw, params)
    _formation(raw, params)
    _accounts(raw, team_ids, months, team)
    return raw, [s for s in ReferralSource.values if s in sources]
