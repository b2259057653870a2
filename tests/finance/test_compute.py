"""The rules of the computed account lines, on constructed data with exact euro figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseload.constants import ContactFunding
from finance.constants import LineCode, TariffKind, TeamCostKind
from finance.models import AccountLine, MonthlyAccount
from finance.selectors import account_totals, business_case_vs_actual
from finance.services import account_compute, accounts_compute_month
from olteams.constants import Discipline
from tests.factories.clients import ClientFactory
from tests.factories.finance import (
    BusinessCaseFactory,
    CostRateFactory,
    SubsidyFactory,
    TariffFactory,
    TeamCostFactory,
    build_team_month,
    contact,
    episode_in_care,
    indication,
)
from tests.factories.olteams import MembershipFactory, TeamFactory
from tests.finance.conftest import MARCH

pytestmark = pytest.mark.django_db

D = Decimal


def _lines(account: MonthlyAccount, code: str) -> list[AccountLine]:
    return list(account.lines.filter(code=code).order_by("position"))


def _amount(account: MonthlyAccount, code: str) -> Decimal:
    return sum((line.amount for line in _lines(account, code)), D("0"))


def test_team_month_figures(team_month):
    account = account_compute(team=team_month.team, month=MARCH)
    totals = account_totals(account)
    assert account.status == "concept"
    assert totals.clients_month_end == 3
    assert totals.clients_average == D("2.52")  # (31 + 31 + 16) / 31
    assert totals.inflow == 1
    assert totals.outflow == 0
    assert totals.fte == D("1.50")
    assert totals.direct_hours == D("4.00")  # 2x60 + 90 + 30 minutes
    assert totals.indirect_hours == D("3.25")  # travel 2x15 + learning 120 + consult 45
    assert totals.unpaid_hours == D("1.25")  # lijntje houden 30 + consultation 45
    assert totals.revenue == D("390.00")  # zvw 100 + 200, wmo 1.5 h x 60
    assert totals.revenue_by_stream == {"zvw": D("300.00"), "wmo": D("90.00")}
    assert totals.costs == D("12000.00")  # 1.0 x 6000 + 0.5 x 12000
    assert totals.subsidy == D("0")
    assert totals.result_excl_subsidy == D("-11610.00")
    assert totals.result_incl_subsidy == D("-11610.00")


def test_zvw_one_consult_per_worker_present_by_prestatie(team_month):
    account = account_compute(team=team_month.team, month=MARCH)
    zvw = {
        line.prestatie: (line.quantity, line.amount)
        for line in _lines(account, LineCode.REVENUE_ZVW)
    }
    # A 60-minute home visit by a casemanager (an NZa nurse) and a psychiater with travel
    # time: two consults and two travel supplements (no tariff for those: EUR 0, counted).
    assert zvw == {
        "consult_behandeling/60/psychiater": (D("1.00"), D("200.00")),
        "consult_behandeling/60/verpleegkundige": (D("1.00"), D("100.00")),
        "reistijd": (D("2.00"), D("0.00")),
    }


def test_zvw_duration_classes(team, org_ggz, municipality):
    member = MembershipFactory(team=team, organisation=org_ggz, discipline=Discipline.SPV)
    TariffFactory(discipline=Discipline.SPV, min_minutes=None, max_minutes=44, amount=D("50"))
    TariffFactory(discipline=Discipline.SPV, min_minutes=45, max_minutes=None, amount=D("110"))
    client = ClientFactory(team=team, municipality=municipality)
    for minutes in (30, 44, 45, 120):
        contact(
            client=client, team=team, date=dt.date(2026, 3, 5), minutes=minutes, workers=[member]
        )
    account = account_compute(team=team, month=MARCH)
    assert _amount(account, LineCode.REVENUE_ZVW) == D("320.00")  # 50 + 50 + 110 + 110


def test_zvw_tariff_valid_on_contact_date(team, org_ggz, municipality):
    member = MembershipFactory(team=team, organisation=org_ggz, discipline=Discipline.SPV)
    TariffFactory(discipline=Discipline.SPV, valid_to=dt.date(2026, 3, 14), amount=D("90"))
    TariffFactory(discipline=Discipline.SPV, valid_from=dt.date(2026, 3, 15), amount=D("95"))
    client = ClientFactory(team=team, municipality=municipality)
    contact(client=client, team=team, date=dt.date(2026, 3, 14), minutes=60, workers=[member])
    contact(client=client, team=team, date=dt.date(2026, 3, 15), minutes=60, workers=[member])
    account = account_compute(team=team, month=MARCH)
    assert _amount(account, LineCode.REVENUE_ZVW) == D("185.00")


def test_wmo_hours_by_client_municipality(team, org_ggz, municipality, other_municipality):
    member = MembershipFactory(team=team, organisation=org_ggz)
    TariffFactory(kind=TariffKind.WMO_HOUR, municipality=municipality, amount=D("61.20"))
    TariffFactory(kind=TariffKind.WMO_HOUR, municipality=other_municipality, amount=D("70.00"))
    here = ClientFactory(team=team, municipality=municipality)
    there = ClientFactory(team=team, municipality=other_municipality)
    for client, place in ((here, municipality), (there, other_municipality)):
        indication(client, municipality=place, start=dt.date(2026, 1, 1), by=member.user)
    day = dt.date(2026, 3, 3)
    contact(client=here, team=team, date=day, minutes=45, workers=[member], funding="wmo")
    contact(client=there, team=team, date=day, minutes=30, workers=[member], funding="wmo")
    account = account_compute(team=team, month=MARCH)
    lines = {
        line.municipality_id: (line.quantity, line.amount)
        for line in _lines(account, LineCode.REVENUE_WMO_HOURS)
    }
    assert lines == {
        municipality.pk: (D("0.75"), D("45.90")),  # 0.75 h x 61.20
        other_municipality.pk: (D("0.50"), D("35.00")),
    }


def test_wmo_fixed_amount_per_indication_day(team, org_ggz, municipality, member):
    TariffFactory(kind=TariffKind.WMO_FIXED, municipality=municipality, amount=D("280.00"))
    whole = ClientFactory(team=team, municipality=municipality)
    half = ClientFactory(team=team, municipality=municipality)
    indication(whole, municipality=municipality, start=dt.date(2026, 1, 1), by=member)
    indication(half, municipality=municipality, start=dt.date(2026, 3, 15), by=member)
    ended = ClientFactory(team=team, municipality=municipality)
    indication(
        ended,
        municipality=municipality,
        start=dt.date(2025, 1, 1),
        end=dt.date(2026, 2, 28),
        by=member,
    )
    account = account_compute(team=team, month=MARCH)
    [line] = _lines(account, LineCode.REVENUE_WMO_FIXED)
    assert line.quantity == D("2.00")
    assert line.amount == D("480.00")  # 280 x (31 + 17) / 28


def test_wmo_lump_sum_once_per_month(team, municipality, other_team):
    TariffFactory(
        kind=TariffKind.WMO_LUMP_SUM, team=team, municipality=municipality, amount=D("2500")
    )
    TariffFactory(
        kind=TariffKind.WMO_LUMP_SUM,
        team=other_team,
        municipality=municipality,
        amount=D("3100"),
        valid_from=dt.date(2026, 3, 16),
    )
    accounts = {a.team_id: a for a in accounts_compute_month(month=MARCH)}
    assert _amount(accounts[team.pk], LineCode.REVENUE_WMO_LUMP_SUM) == D("2500.00")
    # valid from the 16th: 16 of 31 days
    assert _amount(accounts[other_team.pk], LineCode.REVENUE_WMO_LUMP_SUM) == D("1600.00")


def test_wlz_hours(team, org_ggz, municipality):
    member = MembershipFactory(team=team, organisation=org_ggz)
    TariffFactory(kind=TariffKind.WLZ_HOUR, amount=D("80.00"))
    client = ClientFactory(team=team, municipality=municipality)
    contact(
        client=client,
        team=team,
        date=dt.date(2026, 3, 3),
        minutes=90,
        workers=[member],
        funding="wlz",
    )
    account = account_compute(team=team, month=MARCH)
    [line] = _lines(account, LineCode.REVENUE_WLZ)
    assert (line.quantity, line.amount) == (D("1.50"), D("120.00"))


def test_contact_without_tariff_or_funding_earns_nothing(team, org_ggz, municipality):
    member = MembershipFactory(team=team, organisation=org_ggz)
    client = ClientFactory(team=team, municipality=municipality)
    contact(
        client=client, team=team, date=dt.date(2026, 3, 3), minutes=60, workers=[member], funding=""
    )
    contact(client=client, team=team, date=dt.date(2026, 3, 3), minutes=60, workers=[member])
    totals = account_totals(account_compute(team=team, month=MARCH))
    assert totals.revenue == D("0")
    assert totals.direct_hours == D("2.00")


def test_personnel_cost_partial_month_and_rate_change(team, org_ggz):
    MembershipFactory(
        team=team,
        organisation=org_ggz,
        discipline=Discipline.CASEMANAGER,
        fte=D("0.80"),
        valid_from=dt.date(2026, 3, 16),
    )
    CostRateFactory(
        organisation=org_ggz,
        discipline=Discipline.CASEMANAGER,
        monthly_cost_per_fte=D("6000"),
        valid_to=dt.date(2026, 3, 20),
    )
    CostRateFactory(
        organisation=org_ggz,
        discipline=Discipline.CASEMANAGER,
        monthly_cost_per_fte=D("6200"),
        valid_from=dt.date(2026, 3, 21),
    )
    account = account_compute(team=team, month=MARCH)
    [line] = _lines(account, LineCode.PERSONNEL)
    # 0.8 x (6000 x 5 + 6200 x 11) / 31 = 0.8 x 98200 / 31
    assert line.amount == D("2534.19")
    assert line.quantity == D("0.41")  # 0.8 x 16 / 31
    assert line.organisation_id == org_ggz.pk
    assert line.discipline == Discipline.CASEMANAGER
    [fte] = _lines(account, LineCode.FTE)
    assert fte.quantity == D("0.41")


def test_personnel_one_line_per_organisation_and_discipline(team, org_ggz, org_welzijn):
    for org, discipline, fte in (
        (org_ggz, Discipline.CASEMANAGER, "1.0"),
        (org_ggz, Discipline.CASEMANAGER, "0.5"),
        (org_welzijn, Discipline.WELZIJNSWERKER, "0.6"),
    ):
        MembershipFactory(team=team, organisation=org, discipline=discipline, fte=D(fte))
    CostRateFactory(
        organisation=org_ggz, discipline=Discipline.CASEMANAGER, monthly_cost_per_fte=D("6000")
    )
    CostRateFactory(
        organisation=org_welzijn,
        discipline=Discipline.WELZIJNSWERKER,
        monthly_cost_per_fte=D("4500"),
    )
    account = account_compute(team=team, month=MARCH)
    lines = {
        (line.organisation_id, line.discipline): line.amount
        for line in _lines(account, LineCode.PERSONNEL)
    }
    assert lines == {
        (org_ggz.pk, Discipline.CASEMANAGER): D("9000.00"),
        (org_welzijn.pk, Discipline.WELZIJNSWERKER): D("2700.00"),
    }


def test_housing_overhead_and_subsidy(team):
    TeamCostFactory(team=team, kind=TeamCostKind.HOUSING, monthly_amount=D("1500"))
    TeamCostFactory(team=team, kind=TeamCostKind.OVERHEAD, monthly_amount=D("800"))
    SubsidyFactory(
        team=team,
        source="Zorgverzekeraar — transitie",
        amount=D("12000"),
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2026, 12, 1),
    )
    SubsidyFactory(
        team=team,
        source="Gemeente",
        amount=D("1000"),
        valid_from=dt.date(2026, 2, 1),
        valid_to=dt.date(2026, 4, 1),
    )
    SubsidyFactory(
        team=team,
        source="Verlopen",
        amount=D("5000"),
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 12, 1),
    )
    account = account_compute(team=team, month=MARCH)
    assert _amount(account, LineCode.HOUSING) == D("1500.00")
    assert _amount(account, LineCode.OVERHEAD) == D("800.00")
    subsidies = {line.label: line.amount for line in _lines(account, LineCode.SUBSIDY)}
    assert subsidies == {"Zorgverzekeraar — transitie": D("1000.00"), "Gemeente": D("333.33")}
    totals = account_totals(account)
    assert totals.costs == D("2300.00")
    assert totals.subsidy == D("1333.33")
    assert totals.result_excl_subsidy == D("-2300.00")
    assert totals.result_incl_subsidy == D("-966.67")


def test_outflow_and_average(team, member, municipality):
    client = ClientFactory(team=team, municipality=municipality)
    episode_in_care(client, since=dt.date(2026, 1, 1), until=dt.date(2026, 3, 10), by=member)
    totals = account_totals(account_compute(team=team, month=MARCH))
    assert totals.outflow == 1
    assert totals.clients_month_end == 0
    assert totals.clients_average == D("0.29")  # 9 days (1-9 March) / 31


def test_recompute_replaces_lines_and_keeps_count(team_month):
    account = account_compute(team=team_month.team, month=MARCH)
    before = account.lines.count()
    again = account_compute(team=team_month.team, month=MARCH)
    assert again.pk == account.pk
    assert again.lines.count() == before
    contact(
        client=team_month.clients[0],
        team=team_month.team,
        date=dt.date(2026, 3, 20),
        minutes=60,
        workers=[team_month.casemanager],
    )
    assert account_totals(account_compute(team=team_month.team, month=MARCH)).revenue == D("490.00")


def test_consolidated_equals_sum_of_teams(team_month, other_team_month):
    SubsidyFactory(
        team=team_month.team,
        amount=D("1200"),
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2026, 12, 1),
    )
    TeamCostFactory(team=other_team_month.team, monthly_amount=D("999.99"))
    accounts = accounts_compute_month(month=MARCH)
    teams = [a for a in accounts if a.team_id is not None]
    [consolidated] = [a for a in accounts if a.team_id is None]
    assert len(teams) == 2
    assert accounts[-1] == consolidated
    team_totals = [account_totals(a) for a in teams]
    total = account_totals(consolidated)
    for name in (
        "revenue",
        "costs",
        "result_excl_subsidy",
        "subsidy",
        "result_incl_subsidy",
        "clients_month_end",
        "clients_average",
        "inflow",
        "outflow",
        "fte",
        "direct_hours",
        "indirect_hours",
        "unpaid_hours",
    ):
        assert getattr(total, name) == sum(getattr(t, name) for t in team_totals), name
    assert total.revenue_by_stream == {"zvw": D("600.00"), "wmo": D("180.00")}
    assert total.revenue == D("780.00")
    assert total.clients_month_end == 6


def test_consolidated_compute_creates_missing_team_drafts(team_month, other_team_month):
    consolidated = account_compute(team=None, month=MARCH)
    assert consolidated.team_id is None
    assert MonthlyAccount.objects.filter(month=MARCH, team__isnull=False).count() == 2
    assert account_totals(consolidated).revenue == D("780.00")


def test_team_recompute_resums_consolidated(team_month, other_team_month):
    consolidated = account_compute(team=None, month=MARCH)
    contact(
        client=team_month.clients[0],
        team=team_month.team,
        date=dt.date(2026, 3, 20),
        minutes=60,
        workers=[team_month.casemanager],
    )
    account_compute(team=team_month.team, month=MARCH)
    assert account_totals(consolidated).revenue == D("880.00")


def _teams_with_work(n: int) -> None:
    for i in range(n):
        build_team_month(
            team=TeamFactory(name=f"Bench {n}-{i}", slug=f"bench-{n}-{i}"), month=MARCH
        )


def _queries(month: dt.date) -> int:
    with CaptureQueriesContext(connection) as ctx:
        accounts_compute_month(month=month)
    return len(ctx.captured_queries)


def test_compute_month_query_count_does_not_grow_with_teams():
    _teams_with_work(2)
    accounts_compute_month(month=MARCH)
    two = _queries(MARCH)  # a recompute of two drafts
    _teams_with_work(4)  # now six teams
    accounts_compute_month(month=MARCH)
    six = _queries(MARCH)  # a recompute of six drafts
    assert MonthlyAccount.objects.filter(month=MARCH, team__isnull=False).count() == 6
    assert six == two
    # 25 for the accounts, and a fixed number for the month's stored steering figures
    # (finance.services.steering, computed with the month).
    assert two <= 45


def test_business_case_vs_actual(team_month):
    BusinessCaseFactory(
        team=team_month.team, lines={Discipline.CASEMANAGER: "2.0", Discipline.GZ_PSYCHOLOOG: "0.5"}
    )
    rows = business_case_vs_actual(team=team_month.team, month=MARCH)
    by = {r.discipline: (r.target_fte, r.actual_fte, r.difference) for r in rows}
    assert by == {
        Discipline.PSYCHIATER: (D("0"), D("0.50"), D("0.50")),
        Discipline.GZ_PSYCHOLOOG: (D("0.5"), D("0.00"), D("-0.50")),
        Discipline.CASEMANAGER: (D("2.0"), D("1.00"), D("-1.00")),
    }
    account_compute(team=team_month.team, month=MARCH)  # from the account's lines now
    assert business_case_vs_actual(team=team_month.team, month=MARCH) == rows


def test_unpaid_funding_streams(team, org_ggz, municipality):
    member = MembershipFactory(team=team, organisation=org_ggz)
    client = ClientFactory(team=team, municipality=municipality)
    for funding in (ContactFunding.VOORZORG, ContactFunding.NAZORG, ContactFunding.LIJNTJE_HOUDEN):
        contact(
            client=client,
            team=team,
            date=dt.date(2026, 3, 3),
            minutes=20,
            workers=[member],
            funding=funding,
        )
    totals = account_totals(account_compute(team=team, month=MARCH))
    assert totals.unpaid_hours == D("1.00")


def test_wmo_product_tariff_only_while_the_client_holds_that_indication(
    team, org_ggz, municipality, member
):
    worker = MembershipFactory(team=team, organisation=org_ggz)
    client = ClientFactory(team=team, municipality=municipality)
    granted = indication(
        client,
        municipality=municipality,
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 15),
        by=member,
    )
    TariffFactory(kind=TariffKind.WMO_HOUR, municipality=municipality, amount=D("60.00"))
    TariffFactory(
        kind=TariffKind.WMO_HOUR,
        municipality=municipality,
        product=granted.product,
        amount=D("80.00"),
    )
    for day in (dt.date(2026, 3, 10), dt.date(2026, 3, 20)):
        contact(client=client, team=team, date=day, minutes=60, workers=[worker], funding="wmo")
    account = account_compute(team=team, month=MARCH)
    # 10 March: the product's tariff (80); 20 March, after the indication: nothing.
    assert _amount(account, LineCode.REVENUE_WMO_HOURS) == D("80.00")


def test_a_tariff_change_mid_month_splits_the_month(team, org_ggz, municipality):
    worker = MembershipFactory(team=team, organisation=org_ggz, discipline=Discipline.SPV)
    TariffFactory(discipline=Discipline.SPV, valid_to=dt.date(2026, 3, 9), amount=D("90"))
    TariffFactory(
        discipline=Discipline.SPV,
        valid_from=dt.date(2026, 3, 10),
        valid_to=dt.date(2026, 3, 19),
        amount=D("95"),
    )
    TariffFactory(discipline=Discipline.SPV, valid_from=dt.date(2026, 3, 20), amount=D("99"))
    client = ClientFactory(team=team, municipality=municipality)
    for day in (1, 9, 10, 19, 20, 31):
        contact(client=client, team=team, date=dt.date(2026, 3, day), minutes=60, workers=[worker])
    account = account_compute(team=team, month=MARCH)
    assert _amount(account, LineCode.REVENUE_ZVW) == D("568.00")  # 2x90 + 2x95 + 2x99


# --- Wmo revenue as municipalities pay it ---------------------------------------------------


def _wmo_setup(team, org_ggz, municipality, **indication_kwargs):
    worker = MembershipFactory(team=team, organisation=org_ggz)
    client = ClientFactory(team=team, municipality=municipality)
    TariffFactory(kind=TariffKind.WMO_HOUR, municipality=municipality, amount=D("60.00"))
    granted = (
        indication(client, municipality=municipality, by=worker.user, **indication_kwargs)
        if indication_kwargs
        else None
    )
    return worker, client, granted


def test_no_wmo_revenue_without_an_active_indication(team, org_ggz, municipality):
    worker, client, _ = _wmo_setup(team, org_ggz, municipality)
    contact(
        client=client,
        team=team,
        date=dt.date(2026, 3, 10),
        minutes=60,
        workers=[worker],
        funding="wmo",
    )
    account = account_compute(team=team, month=MARCH)
    assert _lines(account, LineCode.REVENUE_WMO_HOURS) == []
    assert account_totals(account).direct_hours == D("1.00")  # the work itself still counts


def test_hours_above_the_granted_volume_are_not_counted(team, org_ggz, municipality):
    # 2 hours a week granted; 3 hours delivered in the week of 9 March, 1 in the next week.
    worker, client, _ = _wmo_setup(team, org_ggz, municipality, start=dt.date(2026, 1, 1), volume=2)
    for day, minutes in ((9, 90), (11, 90), (17, 60)):
        contact(
            client=client,
            team=team,
            date=dt.date(2026, 3, day),
            minutes=minutes,
            workers=[worker],
            funding="wmo",
        )
    [line] = _lines(account_compute(team=team, month=MARCH), LineCode.REVENUE_WMO_HOURS)
    assert (line.quantity, line.amount) == (D("3.00"), D("180.00"))  # 2 h + 1 h


def test_a_week_across_the_month_start_counts_against_one_cap(team, org_ggz, municipality):
    # Week of Monday 23 February: 2 h granted, 2 h used in February, 1 h on 1 March.
    worker, client, _ = _wmo_setup(team, org_ggz, municipality, start=dt.date(2026, 1, 1), volume=2)
    contact(
        client=client,
        team=team,
        date=dt.date(2026, 2, 24),
        minutes=120,
        workers=[worker],
        funding="wmo",
    )
    contact(
        client=client,
        team=team,
        date=dt.date(2026, 3, 1),
        minutes=60,
        workers=[worker],
        funding="wmo",
    )
    assert _lines(account_compute(team=team, month=MARCH), LineCode.REVENUE_WMO_HOURS) == []


def test_a_second_worker_counts_only_where_the_indication_allows_it(
    team, org_ggz, org_welzijn, municipality
):
    worker, client, _ = _wmo_setup(
        team, org_ggz, municipality, start=dt.date(2026, 1, 1), volume=10
    )
    second = MembershipFactory(team=team, organisation=org_welzijn)
    contact(
        client=client,
        team=team,
        date=dt.date(2026, 3, 10),
        minutes=60,
        workers=[worker, second],
        funding="wmo",
    )
    [line] = _lines(account_compute(team=team, month=MARCH), LineCode.REVENUE_WMO_HOURS)
    assert (line.quantity, line.amount, line.organisation_id) == (D("1.00"), D("60.00"), org_ggz.pk)

    allowed = ClientFactory(team=team, municipality=municipality)
    indication(
        allowed,
        municipality=municipality,
        start=dt.date(2026, 1, 1),
        by=worker.user,
        volume=10,
        second_worker=True,
    )
    contact(
        client=allowed,
        team=team,
        date=dt.date(2026, 3, 10),
        minutes=60,
        workers=[worker, second],
        funding="wmo",
    )
    lines = {
        line.organisation_id: line.amount
        for line in _lines(account_compute(team=team, month=MARCH), LineCode.REVENUE_WMO_HOURS)
    }
    # Per organisation: GGZ 60 + 60, welzijn 60 (the allowed second worker).
    assert lines == {org_ggz.pk: D("120.00"), org_welzijn.pk: D("60.00")}


def test_the_fixed_amount_stops_at_outflow(team, org_ggz, municipality, member):
    TariffFactory(kind=TariffKind.WMO_FIXED, municipality=municipality, amount=D("280.00"))
    client = ClientFactory(team=team, municipality=municipality)
    episode_in_care(client, since=dt.date(2025, 1, 1), until=dt.date(2026, 3, 14), by=member)
    indication(client, municipality=municipality, start=dt.date(2026, 1, 1), by=member)
    [line] = _lines(account_compute(team=team, month=MARCH), LineCode.REVENUE_WMO_FIXED)
    assert line.amount == D("140.00")  # 280 x 14 / 28: the indication still runs, care ended
    april = account_compute(team=team, month=dt.date(2026, 4, 1))
    assert _lines(april, LineCode.REVENUE_WMO_FIXED) == []


@pytest.mark.parametrize("other", [TariffKind.WMO_FIXED, TariffKind.WMO_LUMP_SUM])
def test_a_municipality_cannot_have_two_payment_variants_for_one_product(team, municipality, other):
    from django.db import IntegrityError, transaction

    hourly = TariffFactory(kind=TariffKind.WMO_HOUR, municipality=municipality, amount=D("60"))
    variant = {
        "kind": other,
        "municipality": municipality,
        "team": team if other == TariffKind.WMO_LUMP_SUM else None,
        "amount": D("500.00"),
        "valid_from": dt.date(2026, 6, 1),
    }
    with pytest.raises(IntegrityError, match="tariff_one_wmo_variant"), transaction.atomic():
        TariffFactory(**variant)
    # After the hourly tariff ends the municipality may switch variant.
    hourly.valid_to = dt.date(2026, 5, 31)
    hourly.save()
    assert TariffFactory(**variant).pk is not None


def test_revenue_per_organisation_sums_to_the_team_and_consolidated_to_the_teams(
    team_month, other_team_month
):
    from finance.selectors import organisation_shares
    from tests.factories.olteams import MunicipalityFactory, OrganisationFactory

    # A second organisation in the team: a welfare worker at a Zvw contact, and a lump sum
    # shared by the organisations' fte.
    welfare = OrganisationFactory(name="Welzijn Zuid", short_name="WZ-Z")
    worker = MembershipFactory(
        team=team_month.team,
        organisation=welfare,
        discipline=Discipline.CASEMANAGER,
        fte=D("0.50"),
        valid_from=dt.date(2020, 1, 1),
    )
    contact(
        client=team_month.clients[0],
        team=team_month.team,
        date=dt.date(2026, 3, 12),
        minutes=60,
        workers=[worker],
    )
    TariffFactory(
        kind=TariffKind.WMO_LUMP_SUM,
        team=team_month.team,
        municipality=MunicipalityFactory(),  # one that pays a lump sum, not per hour
        amount=D("1000.00"),
    )
    accounts = accounts_compute_month(month=MARCH)
    account = next(a for a in accounts if a.team_id == team_month.team.pk)
    shares = {s.name: (s.revenue, s.costs) for s in organisation_shares(account)}
    own = team_month.organisation.short_name
    # Zvw 100 + 200 + Wmo 90 for the team's organisation, Zvw 100 for welfare; the lump sum
    # 1000 by fte: 1.5 of 2.0 and 0.5 of 2.0.
    assert shares[own][0] == D("390.00") + D("750.00")
    assert shares["WZ-Z"][0] == D("100.00") + D("250.00")
    totals = account_totals(account)
    assert sum(r for r, _c in shares.values()) == totals.revenue == D("1490.00")
    assert sum(c for _r, c in shares.values()) == totals.costs
    [consolidated] = [a for a in accounts if a.team_id is None]
    teams = [a for a in accounts if a.team_id is not None]
    assert account_totals(consolidated).revenue == sum(account_totals(a).revenue for a in teams)
    consolidated_shares = organisation_shares(consolidated)
    assert sum(s.revenue for s in consolidated_shares) == account_totals(consolidated).revenue
