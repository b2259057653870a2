"""The steering-group figures on constructed data: exact values, suppression, query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clients.constants import Phase, ReferralSource
from clients.models import CareEpisode, PhaseTransition
from finance.selectors.dashboard import (
    COMPLEMENTARY,
    METRICS,
    NO_FIGURE,
    SUPPRESSED,
    Cell,
    dashboard_period,
    last_complete_month,
    month_range,
    scope_charts,
    sparkline,
    suppress,
)
from finance.selectors.dashboard import dashboard_overview as _overview
from finance.selectors.dashboard import dashboard_team as _team
from finance.services.accounts import account_compute
from finance.services.steering import (
    Figure,
    steering_month_compute,
    steering_month_mark_stale,
    steering_months_ensure,
    suppress_month,
)
from olteams.constants import Discipline
from olteams.models import Team
from tests.factories.clients import ClientFactory, ReferralFactory
from tests.factories.finance import BusinessCaseFactory, build_team_month, episode_in_care
from tests.factories.herstelplan import end_care, make_honos, make_iroc, make_plan
from tests.factories.olteams import MembershipFactory, TeamFactory, UserFactory
from tests.factories.wmo import MunicipalProductFactory
from wmo.constants import DecisionKind, Frequency, Unit
from wmo.models import Decision, IndicationRequest

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = dt.date(2026, 4, 15)
MARCH = dt.date(2026, 3, 1)


def _fill(kwargs):
    """What the views do first: compute the period's months that were never stored."""
    period = {k: kwargs[k] for k in ("end_month", "months", "today") if k in kwargs}
    steering_months_ensure(months=dashboard_period(**period))


def dashboard_overview(**kwargs):
    _fill(kwargs)
    return _overview(**kwargs)


def dashboard_team(**kwargs):
    _fill(kwargs)
    return _team(**kwargs)


def _latest(scope, key):
    return scope.metric(key).latest


def _in_care(team, n, *, by, since=dt.date(2025, 6, 1)):
    clients = [ClientFactory(team=team) for _ in range(n)]
    for client in clients:
        episode_in_care(client, since=since, by=by)
    return clients


def _waiting(team, *, referred_on, phase=Phase.WAITING, by):
    client = ClientFactory(team=team)
    referral = ReferralFactory(team=team, client=client, referred_on=referred_on)
    episode = CareEpisode.objects.create(
        client=client, referral=referral, phase=phase, started_on=referred_on
    )
    PhaseTransition.objects.create(episode=episode, to_phase=Phase.REFERRED, on=referred_on, by=by)
    if phase != Phase.REFERRED:
        PhaseTransition.objects.create(
            episode=episode, from_phase=Phase.REFERRED, to_phase=phase, on=referred_on, by=by
        )
    return client


_ref = iter(range(1, 10**6))


def _wmo_decision(client, municipality, *, submitted_on, days, by, kind=DecisionKind.GRANTED):
    product = MunicipalProductFactory(municipality=municipality)
    request = IndicationRequest.objects.create(
        client=client,
        team=client.team,
        municipality=municipality,
        requested_by=by,
        status="toegekend",
        product=product,
        volume=2,
        unit=Unit.UUR,
        frequency=Frequency.PER_WEEK,
        start=submitted_on,
        motivation="Ondersteuning",
        reference=f"DASH{next(_ref):06d}",
        submitted_on=submitted_on,
        submitted_at=timezone.make_aware(dt.datetime.combine(submitted_on, dt.time(9))),
        deadline=submitted_on + dt.timedelta(days=14),
    )
    decided_on = submitted_on + dt.timedelta(days=days)
    return Decision.objects.create(
        request=request,
        kind=kind,
        reason="Motivering",
        decided_on=decided_on,
        decided_at=timezone.make_aware(dt.datetime.combine(decided_on, dt.time(9))),
        municipality=municipality,
    )


# --- the suppression rule ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "base", "expected"),
    [
        (7, "count", 7, Cell(7, False, "7")),
        (5, "count", 5, Cell(5, False, "5")),
        (4, "count", 4, Cell(None, True, SUPPRESSED)),
        (0, "count", 0, Cell(None, True, SUPPRESSED)),
        (D("75.0"), "pct", 4, Cell(None, True, SUPPRESSED)),
        (D("60.0"), "pct", 5, Cell(D("60.0"), False, "60,0 %")),
        (D("1234.5"), "money", None, Cell(D("1234.5"), False, "€ 1.234,50")),
        (D("-3"), "money", None, Cell(D("-3"), False, "€ -3,00")),
        (D("250.00"), "money", 3, Cell(None, True, SUPPRESSED)),
        (None, "money", None, Cell(None, False, NO_FIGURE)),
        (D("2.5"), "score", 6, Cell(D("2.5"), False, "+2,5")),
        (D("1.25"), "fte", None, Cell(D("1.25"), False, "1,25")),
    ],
)
def test_suppress_is_the_one_rule(value, unit, base, expected):
    assert suppress(value, unit=unit, base=base) == expected


def test_sparkline_leaves_a_gap_for_suppressed_months():
    cells = [Cell(0), Cell(None, True, SUPPRESSED), Cell(8), Cell(None)]
    assert sparkline(cells) == "▁ █ "
    assert sparkline([Cell(None, True, SUPPRESSED)]) == ""


def test_months():
    assert last_complete_month(TODAY) == MARCH
    assert last_complete_month(dt.date(2026, 1, 1)) == dt.date(2025, 12, 1)
    assert month_range(MARCH, 3) == [dt.date(2026, 1, 1), dt.date(2026, 2, 1), MARCH]


# --- figures -------------------------------------------------------------------------------


@pytest.fixture
def seven_and_three(team, other_team, member, outsider):
    """Team Noord: 7 clients in care since June 2025; Team Zuid: 3."""
    return _in_care(team, 7, by=member), _in_care(other_team, 3, by=outsider)


def test_clients_in_care_per_team_and_all_teams_with_suppression(
    stuurgroep_user, team, other_team, seven_and_three
):
    board = dashboard_overview(user=stuurgroep_user, today=TODAY)

    assert board.end_month == MARCH
    assert len(board.months) == 12 and board.months[0] == dt.date(2025, 4, 1)
    assert _latest(board.scope, "clients_in_care") == Cell(10, False, "10")
    by_team = {s.team.name: s for s in board.teams}
    # Team Zuid's 3 is "<5"; Team Noord's 7 is withheld too (a cross): 10 - 7 would give it away.
    assert _latest(by_team["Team Noord"], "clients_in_care") == Cell(None, True, COMPLEMENTARY)
    assert _latest(by_team["Team Zuid"], "clients_in_care") == Cell(None, True, "<5")
    # Before June 2025 nobody was in care: zero is under 5 too.
    assert board.scope.metric("clients_in_care").cells[0].suppressed
    # Inflow of 7 + 3 in June 2025 (month index 2 of Apr 2025 .. Mar 2026).
    assert board.scope.metric("inflow").cells[2] == Cell(10, False, "10")
    assert by_team["Team Noord"].metric("inflow").cells[2] == Cell(None, True, COMPLEMENTARY)
    assert by_team["Team Zuid"].metric("inflow").cells[2].suppressed


def test_outflow_and_in_care_follow_the_phase_at_month_end(stuurgroep_user, team, member):
    clients = _in_care(team, 6, by=member, since=dt.date(2025, 1, 1))
    for client in clients[:5]:
        end_care(client, member, on=dt.date(2026, 2, 10))

    scope = dashboard_team(user=stuurgroep_user, team_id=team.pk, months=3, today=TODAY).scope

    assert [c.text for c in scope.metric("clients_in_care").cells] == ["6", "<5", "<5"]
    assert [c.text for c in scope.metric("outflow").cells] == ["<5", "5", "<5"]


def test_waiting_list_and_waiting_days_at_month_end(stuurgroep_user, team, member):
    # Referred 10, 20, 30, 40 and 100 days before 31 March 2026; one in intake.
    end = dt.date(2026, 3, 31)
    for days in (10, 20, 30, 40):
        _waiting(team, referred_on=end - dt.timedelta(days=days), by=member)
    _waiting(team, referred_on=end - dt.timedelta(days=100), phase=Phase.INTAKE, by=member)
    # Someone taken into care before the end of March no longer waits.
    taken = _waiting(team, referred_on=dt.date(2026, 1, 5), by=member)
    episode = taken.episodes.get()
    PhaseTransition.objects.create(
        episode=episode, from_phase=Phase.WAITING, to_phase=Phase.IN_CARE, on=MARCH, by=member
    )

    scope = dashboard_team(user=stuurgroep_user, team_id=team.pk, months=2, today=TODAY).scope

    assert _latest(scope, "waiting") == Cell(5, False, "5")
    assert _latest(scope, "waiting_days_avg").value == D("40.0")  # (10+20+30+40+100) / 5
    assert _latest(scope, "waiting_days_median").value == D("30.0")
    # End of February: the 100-day one, the 40-day one (9 Feb... no: 19 Feb) and "taken".
    february = scope.metric("waiting").cells[0]
    assert february.suppressed
    assert scope.metric("waiting_days_avg").cells[0].suppressed


def test_referrals_per_source_per_month(stuurgroep_user, team, member):
    for _ in range(5):
        ReferralFactory(team=team, referred_on=dt.date(2026, 3, 3), source=ReferralSource.HUISARTS)
    for _ in range(2):
        ReferralFactory(team=team, referred_on=dt.date(2026, 3, 9), source=ReferralSource.POLITIE)

    scope = dashboard_team(user=stuurgroep_user, team_id=team.pk, months=2, today=TODAY).scope

    assert _latest(scope, "referrals") == Cell(7, False, "7")
    # Politie's 2 is "<5"; the 5 of the huisarts is withheld too: 7 - 5 would give it away.
    assert _latest(scope, "referrals:huisarts") == Cell(None, True, COMPLEMENTARY)
    assert _latest(scope, "referrals:politie").text == SUPPRESSED
    assert scope.metric("referrals:huisarts").cells[0].text == SUPPRESSED  # February: none


def test_referral_sources_shown_when_no_source_can_be_recovered(stuurgroep_user, team):
    for source, n in ((ReferralSource.HUISARTS, 6), (ReferralSource.POLITIE, 5)):
        for _ in range(n):
            ReferralFactory(team=team, referred_on=dt.date(2026, 3, 3), source=source)

    scope = dashboard_team(user=stuurgroep_user, team_id=team.pk, months=1, today=TODAY).scope

    assert _latest(scope, "referrals") == Cell(11, False, "11")
    assert _latest(scope, "referrals:huisarts") == Cell(6, False, "6")
    assert _latest(scope, "referrals:politie") == Cell(5, False, "5")


def test_wmo_lead_time_and_share_within_14_days(stuurgroep_user, team, member, municipality):
    clients = [ClientFactory(team=team) for _ in range(6)]
    for client, days in zip(clients, (5, 10, 14, 15, 20, 30), strict=True):
        _wmo_decision(
            client,
            municipality,
            submitted_on=dt.date(2026, 3, 31) - dt.timedelta(days=days),
            days=days,
            by=member,
        )
    # Decided in February (not March) and an "in onderzoek" that is no final decision.
    _wmo_decision(clients[0], municipality, submitted_on=dt.date(2026, 2, 1), days=3, by=member)
    _wmo_decision(
        clients[1],
        municipality,
        submitted_on=dt.date(2026, 3, 1),
        days=2,
        by=member,
        kind=DecisionKind.IN_ONDERZOEK,
    )

    scope = dashboard_team(user=stuurgroep_user, team_id=team.pk, months=2, today=TODAY).scope

    assert _latest(scope, "wmo_decided") == Cell(6, False, "6")
    assert _latest(scope, "wmo_lead_time_median").value == D("14.5")
    # 3 of the 6 within 14 days: the numerator is under 5, so the 50 % is not given.
    assert _latest(scope, "wmo_within_14_pct") == Cell(None, True, SUPPRESSED)
    assert scope.metric("wmo_within_14_pct").cells[0].suppressed  # one decision in February


def test_iroc_coverage_and_change_of_iroc_and_honos(stuurgroep_user, team, member):
    clients = _in_care(team, 7, by=member, since=dt.date(2025, 1, 1))
    for client in clients[:5]:
        make_iroc(client, member, date=dt.date(2025, 2, 1), scores=2)  # total 24
        make_iroc(client, member, date=dt.date(2026, 1, 15), scores=4)  # total 48
    make_iroc(clients[5], member, date=dt.date(2025, 6, 1), scores=3)  # too long ago in March
    for client in clients[:5]:
        make_honos(client, member, date=dt.date(2025, 2, 1), scores=2)  # total 24
        make_honos(client, member, date=dt.date(2026, 2, 1), scores=1)  # total 12

    scope = dashboard_team(user=stuurgroep_user, team_id=team.pk, months=3, today=TODAY).scope

    assert _latest(scope, "iroc_coverage_pct").value == D("71.4")  # 5 of 7
    assert _latest(scope, "iroc_change") == Cell(D("24.0"), False, "+24,0")
    assert _latest(scope, "honos_change") == Cell(D("-12.0"), False, "-12,0")
    # January 2026: the second HoNOS was not made yet: nobody measured twice.
    assert scope.metric("honos_change").cells[0].suppressed
    assert scope.metric("iroc_change").cells[0].value == D("24.0")


def test_formation_business_case_and_caseload(stuurgroep_user, team, org_ggz, member):
    # ``member`` is a 0.80 casemanager; add a 1.0 SPV and a 0.5 psychiater (not caseload).
    MembershipFactory(team=team, organisation=org_ggz, discipline=Discipline.SPV, fte=D("1.00"))
    MembershipFactory(
        team=team, organisation=org_ggz, discipline=Discipline.PSYCHIATER, fte=D("0.50")
    )
    BusinessCaseFactory(team=team, lines={Discipline.CASEMANAGER: "2.0", Discipline.SPV: "1.5"})
    _in_care(team, 9, by=member)

    scope = dashboard_team(user=stuurgroep_user, team_id=team.pk, months=1, today=TODAY).scope

    assert _latest(scope, "fte").value == D("2.30")
    assert _latest(scope, "target_fte").value == D("3.50")
    assert _latest(scope, "casemanager_fte").value == D("1.80")
    assert _latest(scope, "caseload_per_fte") == Cell(D("5.0"), False, "5,0")  # 9 / 1.8


def test_money_from_the_accounts_and_per_client_suppression(
    stuurgroep_user, team, org_ggz, municipality
):
    build_team_month(team=team, month=MARCH, organisation=org_ggz, municipality=municipality)
    account_compute(team=team, month=MARCH)
    account_compute(team=None, month=MARCH)

    board = dashboard_overview(user=stuurgroep_user, months=2, today=TODAY)
    scope = board.teams[0]

    assert _latest(scope, "revenue").value == D("390.00")
    assert _latest(scope, "costs").value == D("12000.00")
    assert _latest(scope, "result_excl_subsidy").text == "€ -11.610,00"
    assert _latest(scope, "result_incl_subsidy").value == D("-11610.00")
    assert _latest(scope, "unpaid_hours").value == D("1.25")
    assert _latest(scope, "fte").value == D("1.50")  # from the account
    # Three clients: the per-client amount is withheld; the total is not a count.
    assert _latest(scope, "clients_in_care").text == SUPPRESSED
    assert _latest(scope, "revenue_per_client").text == SUPPRESSED
    # The consolidated account feeds "all teams together".
    assert _latest(board.scope, "revenue").value == D("390.00")
    # February has no account: no figure, not a zero.
    assert scope.metric("revenue").cells[0] == Cell(None)


def test_charts_leave_gaps_and_describe_themselves(stuurgroep_user, team, member):
    _in_care(team, 7, by=member, since=dt.date(2026, 2, 1))
    scope = dashboard_team(user=stuurgroep_user, team_id=team.pk, months=3, today=TODAY).scope

    charts = {c.key: c for c in scope_charts(scope)}
    clients = charts["clients"]
    assert clients.chart.series[0].values == [None, 7, 7]
    assert 'role="img"' in clients.chart.svg and "<title" in clients.chart.svg
    assert "Cliënten in zorg (einde maand): 7 in mrt 2026" in clients.chart.description
    assert "<5" in clients.chart.description
    assert [c.text for _label, c_list in clients.rows for c in c_list[:1]] == ["<5", "7", "7"]


# --- access --------------------------------------------------------------------------------


def test_who_may_see_the_dashboard(
    stuurgroep_user, controller, admin_user, member, lead, consultant, team
):
    for user in (stuurgroep_user, controller, admin_user):
        assert dashboard_overview(user=user, today=TODAY).scope.team is None
        assert dashboard_team(user=user, team_id=team.pk, today=TODAY).scope.team == team
    for user in (member, lead, consultant):
        with pytest.raises(PermissionDenied):
            dashboard_overview(user=user, today=TODAY)
    for user in (member, consultant):
        with pytest.raises(PermissionDenied):
            dashboard_team(user=user, team_id=team.pk, today=TODAY)


@pytest.mark.parametrize("from_replica", [False, True])
def test_a_team_lead_sees_their_own_team_and_nothing_else(lead, team, other_team, from_replica):
    """Project leads sit in the monthly control meeting: their own team's page, no other;
    the same when the figures may come from the replica (the access checks run first)."""
    period = {"today": TODAY, "from_replica": from_replica}
    assert dashboard_team(user=lead, team_id=team.pk, **period).scope.team == team
    with pytest.raises(Http404):
        dashboard_team(user=lead, team_id=other_team.pk, **period)
    with pytest.raises(PermissionDenied):
        dashboard_overview(user=lead, **period)


def test_a_missing_team_is_a_404(stuurgroep_user):
    with pytest.raises(Http404):
        dashboard_team(user=stuurgroep_user, team_id=999999, today=TODAY)
    with pytest.raises(Http404):
        dashboard_team(user=stuurgroep_user, team_id="x", today=TODAY)


def test_months_are_capped_at_24(stuurgroep_user):
    assert len(dashboard_overview(user=stuurgroep_user, months=60, today=TODAY).months) == 24


# --- query counts --------------------------------------------------------------------------


def _world(n_clients, n_teams=2):
    by = UserFactory()
    teams = [TeamFactory() for _ in range(n_teams)]
    for team in teams:
        for client in _in_care(team, n_clients, by=by, since=dt.date(2024, 1, 1)):
            make_iroc(client, by, date=dt.date(2025, 9, 1))
            make_honos(client, by, date=dt.date(2025, 9, 1))
            make_honos(client, by, date=dt.date(2026, 1, 1), scores=2)
        _waiting(teams[0], referred_on=dt.date(2026, 1, 1), by=by)
        ReferralFactory(team=team, referred_on=dt.date(2026, 2, 1))
        MembershipFactory(team=team)
    return teams


def _count(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_months_clients_or_teams(stuurgroep_user):
    """Reading the stored figures: a fixed number of queries; computing one month: a fixed
    number too, whatever the number of teams and clients."""
    teams = _world(3)
    _fill({"today": TODAY, "months": 24})
    overview_12 = _count(lambda: _overview(user=stuurgroep_user, today=TODAY))
    overview_24 = _count(lambda: _overview(user=stuurgroep_user, months=24, today=TODAY))
    team_12 = _count(lambda: _team(user=stuurgroep_user, team_id=teams[0].pk, today=TODAY))
    compute_small = _count(lambda: steering_month_compute(month=MARCH))
    _world(12, n_teams=4)
    _fill({"today": TODAY, "months": 24})
    steering_month_mark_stale(month=dt.date(2024, 1, 1))
    _fill({"today": TODAY, "months": 24})
    more_clients = _count(lambda: _overview(user=stuurgroep_user, today=TODAY))
    team_24_more = _count(
        lambda: _team(user=stuurgroep_user, team_id=teams[0].pk, months=24, today=TODAY)
    )
    compute_large = _count(lambda: steering_month_compute(month=MARCH))

    assert overview_12 == overview_24 == more_clients
    assert team_12 == team_24_more
    assert overview_12 <= 6
    assert team_12 <= 6
    assert compute_small == compute_large


def test_plan_coverage_counts_agreed_plans_in_force_at_month_end(stuurgroep_user, team, member):
    clients = _in_care(team, 6, by=member, since=dt.date(2025, 1, 1))
    feb = timezone.make_aware(dt.datetime(2026, 2, 10, 12))
    for client in clients[:5]:
        make_plan(client, member, agreed_on=dt.date(2026, 2, 10), activate=True, now=feb)
    make_plan(clients[5], member, now=feb)  # a draft: no agreement, not counted

    scope = dashboard_team(user=stuurgroep_user, team_id=team.pk, months=3, today=TODAY).scope

    # End of January: 0 of 6, a numerator under 5 (zero included): not given.
    assert scope.metric("plan_coverage_pct").cells[0].text == SUPPRESSED
    assert _latest(scope, "plan_coverage_pct") == Cell(D("83.3"), False, "83,3 %")  # 5 of 6


# --- secondary suppression ---------------------------------------------------------------


def _scope_of(name: str, counts: list[int]):
    from finance.selectors.dashboard import METRICS, Metric, Scope

    team = Team(pk=len(name), name=name) if name else None
    metrics = [
        Metric(
            d.key,
            str(d.label),
            d.unit,
            d.chart,
            [suppress(n, unit="count", base=n) for n in counts]
            if d.unit == "count"
            else [Cell(None)] * len(counts),
        )
        for d in METRICS
    ]
    return Scope(team, [dt.date(2026, 1, 1)] * len(counts), metrics)


def _month_of(counts_by_scope, key="clients_in_care"):
    """Figures of one month: every client count of METRICS as given, nothing else hidden."""
    figures = {}
    for scope, n in counts_by_scope.items():
        for d in METRICS:
            figures[scope, d.key] = Figure(
                n if d.unit == "count" else None,
                None,
                n if d.key == key or d.unit == "count" else None,
            )
        for source in ReferralSource.values:
            figures[scope, f"referrals:{source}"] = Figure(0, None, 0)
    return figures


def test_a_single_hidden_team_count_cannot_be_recovered_from_the_total():
    # Noord 8, Zuid 3, West 12; all teams 23. Zuid is "<5"; the smallest shown other team
    # (Noord, 8) is withheld too, West and the total stay.
    figures = _month_of({None: 23, 1: 8, 2: 3, 3: 12})
    suppress_month(figures, [1, 2, 3], {(s, "clients_in_care"): False for s in (None, 1, 2, 3)})
    marks = {s: figures[s, "clients_in_care"].mark for s in (None, 1, 2, 3)}
    assert marks == {None: "", 1: COMPLEMENTARY, 2: "<5", 3: ""}
    # Nothing hidden: nothing withheld.
    figures = _month_of({None: 27, 1: 9, 2: 6, 3: 12})
    suppress_month(figures, [1, 2, 3], {(s, "clients_in_care"): False for s in (None, 1, 2, 3)})
    assert [figures[s, "clients_in_care"].mark for s in (None, 1, 2, 3)] == ["", "", "", ""]


def test_with_one_team_the_total_is_withheld_with_its_hidden_count():
    figures = _month_of({None: 3, 1: 3})
    figures[None, "clients_in_care"] = Figure(3, None, 5)  # a total that would be shown
    suppress_month(figures, [1], {(s, "clients_in_care"): False for s in (None, 1)})
    assert figures[None, "clients_in_care"].mark == COMPLEMENTARY
