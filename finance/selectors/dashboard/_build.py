"""From raw figures to suppressed metrics, per team and for all teams; secondary suppression."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.constants import ReferralSource
from finance.selectors.accounts import AccountTotals
from finance.selectors.dashboard._figures import Raw, _collect, _dec
from finance.selectors.dashboard._shape import (
    ALL,
    COMPLEMENTARY,
    DEFAULT_MONTHS,
    MAX_MONTHS,
    METRICS,
    Cell,
    Dashboard,
    Metric,
    Scope,
    dashboard_allowed,
    last_complete_month,
    month_range,
    suppress,
)
from olteams.access import teams_visible_to
from olteams.models import Team, User


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
