"""Stored steering figures: computed with the month, stale after a recomputation, frozen with
the closed month, refreshed by the beat task; the neighbouring-month secondary suppression."""

from __future__ import annotations

import datetime as dt

import pytest

from clients.constants import ReferralSource
from finance.models import MonthlyAccount, SteeringFigure, SteeringMonth
from finance.selectors.dashboard import COMPLEMENTARY, METRICS, SUPPRESSED
from finance.services import account_close, account_compute, accounts_compute_month
from finance.services.steering import Figure, steering_month_compute, suppress_month
from finance.tasks import steering_figures_refresh_task
from tests.factories.clients import ClientFactory
from tests.factories.finance import episode_in_care
from tests.finance.conftest import MARCH, TEST_REASON

pytestmark = pytest.mark.django_db


def _in_care(team_id, month):
    return SteeringFigure.objects.get(team_id=team_id, key="clients_in_care", month__month=month)


def test_computing_the_month_stores_its_figures(team_month):
    accounts_compute_month(month=MARCH)
    state = SteeringMonth.objects.get(month=MARCH)
    assert not state.stale and not state.frozen
    team_ids = {team_month.team.pk, None}
    stored = set(
        SteeringFigure.objects.filter(month=state).values_list("team_id", flat=True).distinct()
    )
    assert team_ids <= stored
    n = len(team_month.clients)
    figure = _in_care(team_month.team.pk, MARCH)
    assert figure.base == n
    assert figure.mark == ("" if n >= 5 else SUPPRESSED)


def test_recomputing_a_team_marks_the_month_stale(team_month):
    accounts_compute_month(month=MARCH)
    account_compute(team=team_month.team, month=MARCH)
    assert SteeringMonth.objects.get(month=MARCH).stale


def test_closing_the_month_freezes_its_figures(team_month, controller, member):
    accounts_compute_month(month=MARCH)
    account_close(
        actor=controller,
        account=MonthlyAccount.objects.get(team=team_month.team, month=MARCH),
        reason=TEST_REASON,
    )
    account_close(
        actor=controller,
        account=MonthlyAccount.objects.get(team=None, month=MARCH),
        reason=TEST_REASON,
    )
    state = SteeringMonth.objects.get(month=MARCH)
    assert state.frozen
    before = list(SteeringFigure.objects.filter(month=state).values_list("key", "value", "mark"))
    for _ in range(6):  # more clients in care in March: the frozen figures do not change
        episode_in_care(ClientFactory(team=team_month.team), since=dt.date(2026, 3, 2), by=member)
    steering_month_compute(month=MARCH)
    after = list(SteeringFigure.objects.filter(month=state).values_list("key", "value", "mark"))
    assert sorted(after, key=str) == sorted(before, key=str)


def test_the_beat_task_computes_this_month_and_last_month(team, member):
    for _ in range(6):
        episode_in_care(ClientFactory(team=team), since=dt.date(2026, 1, 5), by=member)
    assert steering_figures_refresh_task("2026-04-10") == 2
    assert set(SteeringMonth.objects.values_list("month", flat=True)) == {
        dt.date(2026, 3, 1),
        dt.date(2026, 4, 1),
    }
    assert _in_care(team.pk, dt.date(2026, 4, 1)).value == 6


def _month(stock, inflow, outflow):
    figures = {}
    for scope in (None, 1):
        for d in METRICS:
            figures[scope, d.key] = Figure(None, None, None)
        for source in ReferralSource.values:
            figures[scope, f"referrals:{source}"] = Figure(0, None, 0)
        figures[scope, "referrals"] = Figure(0, None, 0)
        for key, n in (("clients_in_care", stock), ("inflow", inflow), ("outflow", outflow)):
            figures[scope, key] = Figure(n, None, n)
    return figures


def test_a_hidden_stock_last_month_cannot_be_recovered_from_this_months_flows():
    # Last month 3 in care ("<5"); this month 20 in care, 9 in, 6 out: 20 - 9 + 6 would give
    # the 3 away, so the smallest of this month's three is withheld too.
    figures = _month(20, 9, 6)
    suppress_month(figures, [1], {(None, "clients_in_care"): True, (1, "clients_in_care"): True})
    marks = {k: figures[1, k].mark for k in ("clients_in_care", "inflow", "outflow")}
    assert marks == {"clients_in_care": "", "inflow": "", "outflow": COMPLEMENTARY}
    # Nothing hidden last month: all three shown.
    figures = _month(20, 9, 6)
    suppress_month(figures, [1], {(None, "clients_in_care"): False, (1, "clients_in_care"): False})
    assert [figures[1, k].mark for k in ("clients_in_care", "inflow", "outflow")] == ["", "", ""]


def test_a_hidden_flow_hides_a_neighbour_and_the_per_client_figures_follow_the_stock():
    figures = _month(20, 3, 6)  # the inflow of 3 is "<5"; the outflow (6) goes with it
    suppress_month(figures, [1], {(None, "clients_in_care"): False, (1, "clients_in_care"): False})
    assert figures[1, "inflow"].mark == SUPPRESSED
    assert figures[1, "outflow"].mark == COMPLEMENTARY
    assert figures[1, "clients_in_care"].mark == ""
    figures = _month(4, 9, 6)  # 4 in care: "<5", and so are the figures per client
    suppress_month(figures, [1], {(None, "clients_in_care"): False, (1, "clients_in_care"): False})
    assert figures[1, "caseload_per_fte"].mark == COMPLEMENTARY
    assert figures[1, "revenue_per_client"].mark == COMPLEMENTARY
