"""The guards of a month close: what refuses a close, and what a close must explain.

A month cannot be closed
- before it is over: its last day must lie before today (the 1st of the next month at the
  earliest);
- before every mother organisation's figures for it are in. "Figures in" means: every
  organisation with team members (memberships) in the month has, for every discipline of
  those members, a cost rate (Financiële gegevens → Kostentarieven) that is valid in that
  month. For a team's account the team's members count, for the total account every team's.

A close that looks wrong needs the controller's written reason (stored on the account and
shown on its page and PDF): no revenue, no costs, or registered hours (direct plus
indirect) under 50% or over 130% of the formation (fte x 36 hours x weeks of the month).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils import formats
from django.utils.translation import gettext as _

from finance.models import CostRate, MonthlyAccount
from finance.selectors.accounts import AccountTotals, month_end
from finance.selectors.checks import FTE_HIGH, FTE_LOW, HOURS_PER_WEEK
from olteams.constants import Discipline
from olteams.models import Membership

_ZERO = Decimal("0")


@dataclass(frozen=True)
class CloseCheck:
    """``blockers`` refuse the close; ``findings`` need a written reason."""

    blockers: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)

    @property
    def needs_reason(self) -> bool:
        return bool(self.findings)


def month_is_over(month: dt.date, today: dt.date) -> bool:
    return month_end(month) < today


def missing_cost_rates(*, month: dt.date, team_id: int | None) -> list[tuple[str, str]]:
    """(organisation, discipline label) of members in the month without a cost rate in it."""
    end = month_end(month)
    rated = CostRate.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=month),
        organisation_id=OuterRef("organisation_id"),
        discipline=OuterRef("discipline"),
        valid_from__lte=end,
    )
    members = Membership.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=month), valid_from__lte=end
    )
    if team_id is not None:
        members = members.filter(team_id=team_id)
    pairs = (
        members.filter(~Exists(rated))
        .values_list("organisation__name", "discipline")
        .distinct()
        .order_by("organisation__name", "discipline")
    )
    return [(name, str(Discipline(d).label) if d in Discipline.values else d) for name, d in pairs]


def close_blockers(*, account: MonthlyAccount, today: dt.date) -> list[str]:
    """Why this account cannot be closed today (empty: it can)."""
    blockers = []
    if not month_is_over(account.month, today):
        first_day = month_end(account.month) + dt.timedelta(days=1)
        blockers.append(
            _(
                "Deze maand is nog niet voorbij: u kunt hem sluiten vanaf %(day)s, als alle "
                "uren van de maand geregistreerd kunnen zijn."
            )
            % {"day": formats.date_format(first_day, "DATE_FORMAT")}
        )
    missing = missing_cost_rates(month=account.month, team_id=account.team_id)
    if missing:
        blockers.append(
            _(
                "De cijfers van deze maand zijn nog niet compleet: er geldt geen kostentarief "
                "voor %(pairs)s. Vul ze in bij Financiële gegevens → Kostentarieven."
            )
            % {"pairs": "; ".join(f"{org} ({discipline})" for org, discipline in missing)}
        )
    return blockers


def expected_hours(fte: Decimal, start: dt.date, end: dt.date) -> Decimal:
    """The hours ``fte`` is expected to register from ``start`` to ``end`` (inclusive)."""
    days = Decimal((end - start).days + 1)
    return (fte * HOURS_PER_WEEK * days / 7).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def close_findings(*, account: MonthlyAccount, totals: AccountTotals) -> list[str]:
    """What in these totals needs the controller's explanation before the close."""
    findings = []
    if totals.revenue == 0:
        findings.append(_("Deze maand heeft geen opbrengsten (€ 0)."))
    if totals.costs == 0:
        findings.append(_("Deze maand heeft geen kosten (€ 0)."))
    registered = totals.direct_hours + totals.indirect_hours
    expected = expected_hours(totals.fte, account.month, month_end(account.month))
    if expected > 0 and not (FTE_LOW * expected <= registered <= FTE_HIGH * expected):
        findings.append(
            _(
                "De geregistreerde uren (%(hours)s) liggen ver van de formatie: %(fte)s fte "
                "verwacht ongeveer %(expected)s uur (tussen %(low)s%% en %(high)s%% is gewoon)."
            )
            % {
                "hours": formats.number_format(registered, 2),
                "fte": formats.number_format(totals.fte, 2),
                "expected": formats.number_format(expected, 2),
                "low": int(FTE_LOW * 100),
                "high": int(FTE_HIGH * 100),
            }
        )
    return findings


def close_check(*, account: MonthlyAccount, totals: AccountTotals, today: dt.date) -> CloseCheck:
    return CloseCheck(
        blockers=close_blockers(account=account, today=today),
        findings=close_findings(account=account, totals=totals),
    )
