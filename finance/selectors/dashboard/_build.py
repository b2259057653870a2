"""Raw figures of one scope-month (for storing), and the dashboards read from the stored rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.constants import ReferralSource
from finance.models import SteeringFigure, SteeringMonth
from finance.selectors.accounts import AccountTotals
from finance.selectors.dashboard._figures import Raw, _dec
from finance.selectors.dashboard._shape import (
    ALL,
    DEFAULT_MONTHS,
    MAX_MONTHS,
    METRICS,
    Cell,
    Dashboard,
    Metric,
    Number,
    Scope,
    _format,
    dashboard_allowed,
    dashboard_team_allowed,
    dashboard_teams_for,
    last_complete_month,
    month_range,
)
from olteams.access import teams_visible_to
from olteams.models import Team, User
from olteams.replica import on_replica

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


def _period(
    *, end_month: dt.date | None, months: int, today: dt.date | None
) -> tuple[dt.date, list[dt.date]]:
    today = today or timezone.localdate()
    end = (end_month or last_complete_month(today)).replace(day=1)
    return end, month_range(end, max(1, min(months, MAX_MONTHS)))


def dashboard_period(
    *, end_month: dt.date | None = None, months: int = DEFAULT_MONTHS, today: dt.date | None = None
) -> list[dt.date]:
    """The months a dashboard of these parameters shows (for filling the stored figures)."""
    return _period(end_month=end_month, months=months, today=today)[1]


def steering_open_until(month: dt.date) -> dt.date | None:
    """The day a running month's stored figures were measured at (None: a month that is
    over, or not stored): the page marks it "lopende maand, t/m <dag>"."""
    state = SteeringMonth.objects.filter(month=month.replace(day=1)).first()
    return state.measured_until if state is not None and state.is_open else None


# --- reading the stored figures -------------------------------------------------------------

_UNITS = {d.key: d.unit for d in METRICS}


def _stored_cell(value: Decimal | None, mark: str, unit: str) -> Cell:
    if mark:
        return Cell(None, True, mark)
    if value is None:
        return Cell(None)
    number: Number = int(value) if unit == "count" else value
    return Cell(number, False, _format(number, unit))


Stored = dict[tuple[int | None, str], dict[dt.date, Cell]]


def _read(
    period: list[dt.date],
    *,
    scope_filter: Q,
    keys: Sequence[str] | None = None,
    series: Sequence[str] | None = None,
) -> Stored:
    """The stored cells of the period for the scopes (and keys) asked: one query. With
    ``series``, only those keys are read for every month, the other keys for the last."""
    rows = SteeringFigure.objects.filter(
        scope_filter, month__month__gte=period[0], month__month__lte=period[-1]
    )
    if keys is not None:
        rows = rows.filter(key__in=keys)
    if series is not None:
        rows = rows.filter(Q(key__in=series) | Q(month__month=period[-1]))
    stored: Stored = {}
    for team_id, key, month, value, mark in rows.values_list(
        "team_id", "key", "month__month", "value", "mark"
    ).order_by():
        unit = _UNITS.get(key, "count")
        stored.setdefault((team_id, key), {})[month] = _stored_cell(value, mark, unit)
    return stored


def _stored[R](read: Callable[[], R], *, user: User, from_replica: bool) -> R:
    """The stored figures, on the replica when allowed (only ``SteeringFigure`` goes there)."""
    if not from_replica:
        return read()
    return on_replica(read, models=[SteeringFigure], user=user)


def _scope_from(
    stored: Stored, key: int | None, team: Team | None, period: list[dt.date], *, sources: bool
) -> Scope:
    empty = Cell(None)

    def cells(name: str) -> list[Cell]:
        by_month = stored.get((key, name), {})
        return [by_month.get(m, empty) for m in period]

    metrics = [
        Metric(d.key, str(d.label), d.unit, d.chart, cells(d.key), str(d.short)) for d in METRICS
    ]
    if sources:
        labels = dict(ReferralSource.choices)
        for source in ReferralSource.values:
            name_key = f"referrals:{source}"
            series = cells(name_key)
            if not any(c.suppressed or c.value for c in series):
                continue  # no referral from this source in the period
            name = str(labels.get(source, source))
            label = str(_("Aanmeldingen: %(source)s") % {"source": name})
            metrics.append(Metric(name_key, label, "count", "referrals_source", series, name))
    return Scope(team, period, metrics)


def dashboard_overview(
    *,
    user: User,
    end_month: dt.date | None = None,
    months: int = DEFAULT_MONTHS,
    today: dt.date | None = None,
    teams: Sequence[Team] | None = None,
    team_keys: Sequence[str] | None = None,
    team_series: Sequence[str] | None = None,
    from_replica: bool = False,
) -> Dashboard:
    """All teams together plus one series per team, read from the stored figures.

    ``teams`` are the teams to read (a page of them; default every team the user may see),
    ``team_keys`` the figures read per team and ``team_series`` those of them read for
    every month (the others for the last month only): at national scale the overview page
    shows a page of teams with a few columns; the API everything. ``from_replica``: the
    stored figures may be read on the replica (olteams.replica; the access checks and the
    list of teams stay on the primary); pass False when this request just stored them."""
    if not dashboard_allowed(user):
        raise PermissionDenied
    end, period = _period(end_month=end_month, months=months, today=today)
    if teams is None:
        teams = list(teams_visible_to(user, today=today).order_by("name"))
    team_ids = [t.pk for t in teams]  # the access policy's answer, read on the primary

    def read() -> tuple[Stored, Stored]:
        overall = _read(period, scope_filter=Q(team__isnull=True))
        per_team = _read(
            period, scope_filter=Q(team__in=team_ids), keys=team_keys, series=team_series
        )
        return overall, per_team

    overall_stored, stored = _stored(read, user=user, from_replica=from_replica)
    overall = _scope_from(overall_stored, ALL, None, period, sources=True)
    per_team = [_scope_from(stored, t.pk, t, period, sources=False) for t in teams]
    return Dashboard(end, period, overall, per_team)


def dashboard_team(
    *,
    user: User,
    team_id: Any,
    end_month: dt.date | None = None,
    months: int = DEFAULT_MONTHS,
    today: dt.date | None = None,
    from_replica: bool = False,
) -> Dashboard:
    """One team's series, its own stored rows only (the suppression was settled when they
    were stored, against all teams). A team the user may not see is the same 404 as a
    missing one; a team lead sees the teams they lead."""
    if not dashboard_team_allowed(user, today=today):
        raise PermissionDenied
    try:
        team = dashboard_teams_for(user, today=today).get(pk=int(team_id))
    except (Team.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    end, period = _period(end_month=end_month, months=months, today=today)
    stored = _stored(
        lambda: _read(period, scope_filter=Q(team=team)), user=user, from_replica=from_replica
    )
    return Dashboard(end, period, _scope_from(stored, team.pk, team, period, sources=True), [])
