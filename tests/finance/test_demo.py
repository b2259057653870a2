"""The finance demo: dated financial data, business cases from the reference CSV, and two
years of closed months plus the open one, computed from the seeded work; idempotent."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.apps import apps

from caseload import demo as caseload_demo
from clients import demo as clients_demo
from clients.models import Client
from finance import demo
from finance.constants import AccountStatus, LineCode, TariffKind
from finance.models import (
    AccountLine,
    BusinessCase,
    CostRate,
    MonthlyAccount,
    Subsidy,
    Tariff,
    TeamCost,
)
from finance.selectors.accounts import account_totals_many
from olteams import demo as olteams_demo
from olteams.constants import Discipline
from olteams.models import Membership, Team
from wmo import demo as wmo_demo
from wmo.models import Arrangement, Indication

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 10)
CURRENT = dt.date(2026, 3, 1)


def _finance_counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_app_config("finance").get_models()
    }


@pytest.fixture
def seeded():
    olteams_demo.seed(today=TODAY, rng=random.Random(1))
    clients_demo.seed(today=TODAY, rng=random.Random(2), scale=0.05)
    wmo_demo.seed(today=TODAY, rng=random.Random(3))
    caseload_demo.seed(today=TODAY, rng=random.Random(4), scale=0.05)
    demo.seed(today=TODAY, rng=random.Random(5), scale=0.05)


def test_tariffs_rates_costs_subsidies_and_business_cases(seeded):
    zvw = Tariff.objects.filter(kind=TariffKind.ZVW_CONSULT, valid_to=None)
    per_table = len(demo.ZVW_BASE) * 2 * 8 + 8 + 2  # consults, group consults, MDO, travel
    assert zvw.count() == per_table * (1 + len(demo.INSURER_FACTOR))
    classes = list(
        zvw.filter(beroep="psychiater", prestatie="consult_behandeling", insurer=None)
        .order_by("min_minutes")
        .values_list("min_minutes", flat=True)
    )
    assert classes == [5, 15, 30, 45, 60, 75, 90, 120]  # the NZa duration classes
    assert set(zvw.values_list("insurer__short_name", flat=True)) == {
        None,
        "Zilveren Kruis",
        "Menzis",
    }
    assert not Client.objects.filter(insurer=None).exists()
    open_kinds = set(Tariff.objects.filter(valid_to=None).values_list("kind", flat=True))
    assert open_kinds == set(TariffKind.values)
    wmo_hour = Tariff.objects.filter(kind=TariffKind.WMO_HOUR, valid_to=None)
    assert sorted(wmo_hour.values_list("municipality__name", flat=True)) == ["Assen", "Emmen"]
    # One payment variant per municipality: no hourly tariff on top of a fixed or lump sum.
    other = Tariff.objects.filter(
        kind__in=[TariffKind.WMO_FIXED, TariffKind.WMO_LUMP_SUM], arrangement=None
    )
    assert not set(wmo_hour.values_list("municipality", flat=True)) & set(
        other.values_list("municipality", flat=True)
    )
    assert all(Decimal("60") <= t.amount <= Decimal("75") for t in wmo_hour)
    lump = Tariff.objects.get(
        kind=TariffKind.WMO_LUMP_SUM, valid_to=None, municipality__name="Hoogeveen"
    )
    assert lump.team.slug == "de-wolden-hoogeveen"
    # Every organisation and discipline that has staff has a cost rate in force.
    pairs = set(Membership.objects.values_list("organisation_id", "discipline"))
    rated = set(CostRate.objects.filter(valid_to=None).values_list("organisation_id", "discipline"))
    assert pairs <= rated
    assert TeamCost.objects.count() == 2 * Team.objects.count()
    assert Subsidy.objects.filter(team__slug="assen").exists()
    # Business cases from the reference CSV; teams without rows take the closest team's.
    assen = BusinessCase.objects.filter(team__slug="assen").order_by("valid_from")
    assert [c.target_clients for c in assen] == [140, 200]
    first = assen[0].lines.get(discipline=Discipline.CASEMANAGER)
    assert first.target_fte == Decimal("2.80")
    midden = BusinessCase.objects.get(team__slug="midden-drenthe")
    assert midden.target_clients == 140
    assert "Emmen" in midden.name
    assert midden.lines.get(discipline=Discipline.PSYCHIATER).target_fte == Decimal("0.60")


def test_two_years_closed_the_current_month_open_consolidated_is_the_sum(seeded):
    teams = Team.objects.count()
    accounts = MonthlyAccount.objects.all()
    closed = accounts.filter(status=AccountStatus.CLOSED)
    assert closed.filter(team=None).count() == 24
    assert closed.exclude(team=None).count() >= 24 * teams - 24  # a team may start later
    assert closed.order_by("month").first().month == dt.date(2024, 3, 1)
    assert closed.order_by("month").last().month == dt.date(2026, 2, 1)
    current = accounts.filter(month=CURRENT)
    assert current.exists()
    assert set(current.values_list("status", flat=True)) == {AccountStatus.DRAFT}
    for month in (dt.date(2025, 6, 1), CURRENT):
        month_accounts = list(accounts.filter(month=month))
        totals = account_totals_many(month_accounts)
        team_totals = [totals[a.pk] for a in month_accounts if a.team_id]
        consolidated = next(totals[a.pk] for a in month_accounts if a.team_id is None)
        for figure in ("revenue", "costs", "subsidy", "result_incl_subsidy", "direct_hours"):
            assert getattr(consolidated, figure) == sum(getattr(t, figure) for t in team_totals)
        assert consolidated.clients_month_end == sum(t.clients_month_end for t in team_totals)
        assert consolidated.revenue > 0 and consolidated.costs > 0


def test_seeding_again_changes_nothing(seeded):
    before = _finance_counts()
    closed_at = dict(MonthlyAccount.objects.values_list("pk", "closed_at"))
    demo.seed(today=TODAY, rng=random.Random(5), scale=0.05)
    assert _finance_counts() == before
    assert dict(MonthlyAccount.objects.values_list("pk", "closed_at")) == closed_at


def test_arrangements_with_tariffs_and_indications_earn_in_closed_months(seeded):
    arrangements = Arrangement.objects.filter(municipality__name="Assen").order_by("name")
    assert [a.name for a in arrangements] == [
        "Eén resultaatgebied",
        "Herstel, groei en stabilisatie",  # named by the Wmo demo (municipal route)
        "Kort herstel",
    ]
    for arrangement in arrangements:
        assert Tariff.objects.filter(
            arrangement=arrangement, kind=TariffKind.WMO_FIXED, valid_to=None
        ).exists()
    granted = Indication.objects.exclude(arrangement=None)
    assert granted.exists()
    lines = AccountLine.objects.filter(code=LineCode.REVENUE_WMO_ARRANGEMENT)
    assert lines.filter(account__status=AccountStatus.CLOSED, amount__gt=0).exists()
    # Closed demo months that look wrong carry the controller's reason.
    flagged = MonthlyAccount.objects.exclude(close_findings=[])
    assert not flagged.filter(close_reason="").exists()
