"""Reads of the monthly accounts: totals computed from the lines, series, business case.

Every total and result is a sum over the account's lines (one query for one account or for
many); nothing is stored. Accounts are aggregates without client data, but only controllers
and functional administrators open them here (the steering group sees the dashboard).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from finance.constants import (
    LineCode,
    LineSection,
    zvw_prestatie_label,
    zvw_prestatie_sort_key,
)
from finance.models import AccountLine, BusinessCase, BusinessCaseLine, MonthlyAccount
from olteams.access import is_controller, team_ids_for
from olteams.constants import Discipline, TeamRole
from olteams.models import Membership, Team, User

_ZERO = Decimal("0")


def can_work_with_accounts(user: User) -> bool:
    """Controllers and functional administrators see and work with the accounts."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_functional_admin) or is_controller(user)


@dataclass
class AccountTotals:
    revenue: Decimal = _ZERO
    costs: Decimal = _ZERO
    result_excl_subsidy: Decimal = _ZERO
    subsidy: Decimal = _ZERO
    result_incl_subsidy: Decimal = _ZERO
    clients_month_end: int = 0
    clients_average: Decimal = _ZERO
    inflow: int = 0
    outflow: int = 0
    fte: Decimal = _ZERO
    direct_hours: Decimal = _ZERO
    indirect_hours: Decimal = _ZERO
    unpaid_hours: Decimal = _ZERO
    revenue_by_stream: dict[str, Decimal] = field(default_factory=dict)


_QUANTITY_FIELDS = {
    LineCode.CLIENTS_MONTH_END: "clients_month_end",
    LineCode.CLIENTS_AVERAGE: "clients_average",
    LineCode.INFLOW: "inflow",
    LineCode.OUTFLOW: "outflow",
    LineCode.FTE: "fte",
    LineCode.DIRECT_HOURS: "direct_hours",
    LineCode.INDIRECT_HOURS: "indirect_hours",
    LineCode.UNPAID_HOURS: "unpaid_hours",
}
_INT_FIELDS = {"clients_month_end", "inflow", "outflow"}


def _add(totals: AccountTotals, section: str, code: str, stream: str, qty, amount) -> None:  # type: ignore[no-untyped-def]
    amount = amount or _ZERO
    if section == LineSection.PRODUCTION:
        name = _QUANTITY_FIELDS.get(code)  # type: ignore[call-overload]
        if name:
            value = qty or _ZERO
            current = getattr(totals, name)
            setattr(totals, name, current + (int(value) if name in _INT_FIELDS else value))
    elif section == LineSection.REVENUE:
        totals.revenue += amount
        key = stream or ""
        totals.revenue_by_stream[key] = totals.revenue_by_stream.get(key, _ZERO) + amount
    elif section == LineSection.COST:
        totals.costs += amount
    elif section == LineSection.SUBSIDY:
        totals.subsidy += amount


def _finish(totals: AccountTotals) -> AccountTotals:
    totals.result_excl_subsidy = totals.revenue - totals.costs
    totals.result_incl_subsidy = totals.result_excl_subsidy + totals.subsidy
    return totals


def _grouped_lines(account_ids: Iterable[int]) -> QuerySet:
    return (
        AccountLine.objects.filter(account_id__in=list(account_ids))
        .values("account_id", "section", "code", "funding_stream")
        .annotate(q=Sum("quantity"), a=Sum("amount"))
        .order_by()
    )


def account_totals_many(accounts: Iterable[MonthlyAccount]) -> dict[int, AccountTotals]:
    """Account id → totals, for any number of accounts in one query."""
    ids = [a.pk for a in accounts]
    result = {pk: AccountTotals() for pk in ids}
    if not ids:
        return result
    for row in _grouped_lines(ids):
        _add(
            result[row["account_id"]],
            row["section"],
            row["code"],
            row["funding_stream"],
            row["q"],
            row["a"],
        )
    return {pk: _finish(t) for pk, t in result.items()}


def account_totals(account: MonthlyAccount) -> AccountTotals:
    """The totals and results of one account, computed from its lines (one query)."""
    return account_totals_many([account])[account.pk]


def account_series(
    *, team: Team | None, end_month: dt.date, months: int = 12
) -> list[tuple[dt.date, AccountTotals | None]]:
    """The ``months`` months up to and including ``end_month`` (oldest first) with their
    totals, None where the month has no account. Two queries."""
    end = end_month.replace(day=1)
    wanted = [end - relativedelta(months=n) for n in range(months - 1, -1, -1)]
    accounts = MonthlyAccount.objects.filter(
        team=team, month__gte=wanted[0], month__lte=end
    ).order_by("month")
    by_month = {a.month: a for a in accounts}
    totals = account_totals_many(by_month.values())
    return [(m, totals[by_month[m].pk] if m in by_month else None) for m in wanted]


def account_list(
    *, user: User, month: dt.date | None = None, team: Team | None = None
) -> QuerySet[MonthlyAccount]:
    """The accounts the user may open (none for anyone but controllers and functional
    administrators), optionally of one month and/or one team."""
    if not can_work_with_accounts(user):
        return MonthlyAccount.objects.none()
    qs = MonthlyAccount.objects.select_related("team", "closed_by")
    if month is not None:
        qs = qs.filter(month=month.replace(day=1))
    if team is not None:
        qs = qs.filter(team=team)
    return qs.order_by("-month", "team__name")


def account_get(*, user: User, account_id: object) -> MonthlyAccount:
    """One account, or 404 for a missing account and for users who may not see accounts."""
    try:
        pk = int(account_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise Http404 from None
    account = account_list(user=user).filter(pk=pk).first()
    if account is None:
        raise Http404
    return account


def lead_accounts(
    *, user: User, today: dt.date | None = None, team: Team | None = None
) -> QuerySet[MonthlyAccount]:
    """The accounts of the teams the user leads today (read-only for a team lead: project
    leads sit in the monthly control meeting). Never the consolidated account."""
    if not user.is_authenticated or not user.is_active:
        return MonthlyAccount.objects.none()
    team_ids = team_ids_for(user, roles=[TeamRole.LEAD], today=today)
    qs = MonthlyAccount.objects.select_related("team", "closed_by").filter(team_id__in=team_ids)
    if team is not None:
        qs = qs.filter(team=team)
    return qs.order_by("-month", "team__name")


def account_get_for_reading(*, user: User, account_id: object) -> tuple[MonthlyAccount, bool]:
    """One account to look at, and whether it is read-only for this user: controllers and
    administrators work with every account, a team lead reads their own team's accounts;
    anything else is a 404."""
    if can_work_with_accounts(user):
        return account_get(user=user, account_id=account_id), False
    try:
        pk = int(account_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise Http404 from None
    account = lead_accounts(user=user).filter(pk=pk).first()
    if account is None:
        raise Http404
    return account, True


@dataclass(frozen=True)
class BusinessCaseRow:
    discipline: str
    label: str
    target_fte: Decimal
    actual_fte: Decimal
    difference: Decimal


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _actual_fte_from_memberships(team: Team | None, month: dt.date) -> dict[str, Decimal]:
    end = month_end(month)
    days = Decimal(end.day)
    qs = Membership.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=month), valid_from__lte=end
    )
    if team is not None:
        qs = qs.filter(team=team)
    actual: dict[str, Decimal] = defaultdict(lambda: _ZERO)
    for discipline, fte, start, stop in qs.values_list(
        "discipline", "fte", "valid_from", "valid_to"
    ):
        active = (min(stop or end, end) - max(start, month)).days + 1
        actual[discipline] += fte * active / days
    return actual


def _actual_fte(team: Team | None, month: dt.date) -> dict[str, Decimal]:
    """FTE per discipline: from the account's FTE lines when the month has an account (a
    closed month keeps its figures), else from the memberships."""
    lines = (
        AccountLine.objects.filter(account__team=team, account__month=month, code=LineCode.FTE)
        .values("discipline")
        .annotate(q=Sum("quantity"))
        .order_by()
    )
    from_lines = {row["discipline"]: row["q"] or _ZERO for row in lines}
    if from_lines or MonthlyAccount.objects.filter(team=team, month=month).exists():
        return from_lines
    return _actual_fte_from_memberships(team, month)


def business_case_vs_actual(*, team: Team | None, month: dt.date) -> list[BusinessCaseRow]:
    """Target FTE per discipline (the business case in force in the month; for all teams
    the sum of the teams' cases) beside the actual FTE, in discipline order."""
    month = month.replace(day=1)
    end = month_end(month)
    cases = BusinessCase.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=month), valid_from__lte=end
    ).order_by("team_id", "-valid_from")
    if team is not None:
        cases = cases.filter(team=team)
    case_ids: dict[int, int] = {}
    for case in cases.values("pk", "team_id"):
        case_ids.setdefault(case["team_id"], case["pk"])  # the latest case per team
    target: dict[str, Decimal] = defaultdict(lambda: _ZERO)
    for discipline, fte in BusinessCaseLine.objects.filter(
        business_case_id__in=case_ids.values()
    ).values_list("discipline", "target_fte"):
        target[discipline] += fte
    actual = _actual_fte(team, month)
    rows = []
    for discipline in Discipline.values:
        if discipline not in target and not actual.get(discipline):
            continue
        t = target.get(discipline, _ZERO)
        a = Decimal(actual.get(discipline, _ZERO)).quantize(Decimal("0.01"))
        rows.append(
            BusinessCaseRow(
                discipline=discipline,
                label=str(Discipline(discipline).label),
                target_fte=t,
                actual_fte=a,
                difference=a - t,
            )
        )
    return rows


@dataclass(frozen=True)
class OrganisationShare:
    """One mother organisation's revenue and costs in an account (None: the team's own,
    e.g. housing, or revenue that belongs to no organisation)."""

    organisation_id: int | None
    name: str
    revenue: Decimal
    costs: Decimal

    @property
    def result(self) -> Decimal:
        return self.revenue - self.costs


def organisation_shares(account: MonthlyAccount) -> list[OrganisationShare]:
    """Revenue beside costs per mother organisation; the rows add up to the account's totals.
    One query."""
    rows = (
        AccountLine.objects.filter(
            account=account, section__in=[LineSection.REVENUE, LineSection.COST]
        )
        .values("organisation_id", "organisation__short_name", "section")
        .annotate(total=Sum("amount"))
    )
    by_org: dict[int | None, dict[str, Any]] = {}
    for row in rows:
        entry = by_org.setdefault(
            row["organisation_id"],
            {"name": row["organisation__short_name"] or "", "revenue": _ZERO, "costs": _ZERO},
        )
        key = "revenue" if row["section"] == LineSection.REVENUE else "costs"
        entry[key] += row["total"] or _ZERO
    shares = [
        OrganisationShare(
            organisation_id=org_id,
            name=entry["name"] or str(_("Team (niet aan een organisatie toe te rekenen)")),
            revenue=entry["revenue"],
            costs=entry["costs"],
        )
        for org_id, entry in by_org.items()
    ]
    return sorted(shares, key=lambda s: (s.organisation_id is None, s.name))


@dataclass(frozen=True)
class PrestatieCount:
    """One Zvw prestatie of an account: how many were billed and for how much."""

    code: str
    label: str
    count: Decimal
    amount: Decimal


def zvw_prestaties(account: MonthlyAccount) -> list[PrestatieCount]:
    """The account's Zvw prestaties over all organisations, in the order of the NZa kinds,
    beroepen and duration classes. One query."""
    rows = (
        AccountLine.objects.filter(account=account, code=LineCode.REVENUE_ZVW)
        .exclude(prestatie="")
        .values("prestatie")
        .annotate(count=Sum("quantity"), total=Sum("amount"))
    )
    return [
        PrestatieCount(
            code=row["prestatie"],
            label=zvw_prestatie_label(row["prestatie"]),
            count=row["count"] or _ZERO,
            amount=row["total"] or _ZERO,
        )
        for row in sorted(rows, key=lambda r: zvw_prestatie_sort_key(r["prestatie"]))
    ]
