"""The controllers' checks: hours per client by registering organisation, and mismatches."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from finance.selectors import controller_client_hours, mismatches
from tests.factories.clients import ClientFactory
from tests.factories.finance import contact, non_client_time
from tests.factories.olteams import ControllerRoleFactory, OrganisationFactory, UserFactory
from tests.finance.conftest import MARCH

pytestmark = pytest.mark.django_db
D = Decimal


def test_client_hours_split_paid_unpaid(team_month, controller):
    rows = controller_client_hours(user=controller, team=team_month.team, month=MARCH)
    by_client = {r.client.pk: r for r in rows}
    first, second, third = team_month.clients
    assert set(by_client) == {first.pk, second.pk, third.pk}
    assert (by_client[first.pk].paid_hours, by_client[first.pk].unpaid_hours) == (
        D("2.00"),
        D("0.50"),
    )
    assert by_client[first.pk].direct_hours == D("2.50")
    assert by_client[second.pk].paid_hours == D("1.50")
    assert by_client[third.pk].direct_hours == D("0.00")
    assert by_client[third.pk].in_care
    assert {r.organisation for r in rows} == {team_month.organisation.name}


def test_client_hours_include_clients_with_contacts_but_not_in_care(team_month, controller):
    walk_in = ClientFactory(team=team_month.team, registering_organisation=team_month.organisation)
    contact(
        client=walk_in,
        team=team_month.team,
        date=dt.date(2026, 3, 4),
        minutes=30,
        workers=[team_month.casemanager],
        funding="",
    )
    rows = {
        r.client.pk: r
        for r in controller_client_hours(user=controller, team=team_month.team, month=MARCH)
    }
    assert rows[walk_in.pk].unfunded_hours == D("0.50")
    assert rows[walk_in.pk].in_care is False


def test_controller_of_another_organisation_sees_no_clients(team_month):
    stranger = ControllerRoleFactory(user=UserFactory(), organisation=OrganisationFactory()).user
    assert controller_client_hours(user=stranger, team=team_month.team, month=MARCH) == []
    found = mismatches(user=stranger, team=team_month.team, month=MARCH)
    assert found.in_care_without_hours == []
    assert found.contacts_without_funding == []


@pytest.mark.parametrize("who", ["member", "stuurgroep_user", "lead"])
def test_non_controllers_get_nothing(team_month, who, request):
    user = request.getfixturevalue(who)
    assert controller_client_hours(user=user, team=team_month.team, month=MARCH) == []
    assert mismatches(user=user, team=team_month.team, month=MARCH).total == 0


def test_mismatches(team_month, controller):
    team = team_month.team
    stray = ClientFactory(team=team)  # never in care
    contact(
        client=stray,
        team=team,
        date=dt.date(2026, 3, 5),
        minutes=30,
        workers=[team_month.casemanager],
    )
    unfunded = contact(
        client=team_month.clients[1],
        team=team,
        date=dt.date(2026, 3, 6),
        minutes=20,
        workers=[team_month.casemanager],
        funding="",
    )
    # third client: in care from the 16th; a contact on the 10th is before the care path
    early = contact(
        client=team_month.clients[2],
        team=team,
        date=dt.date(2026, 3, 10),
        minutes=20,
        workers=[team_month.casemanager],
    )
    found = mismatches(user=controller, team=team, month=MARCH)
    assert found.in_care_without_hours == []  # the third client now has hours
    assert {c.pk for c in found.hours_not_in_care} == {early.pk, found.hours_not_in_care[0].pk}
    assert {c.client_id for c in found.hours_not_in_care} == {stray.pk, team_month.clients[2].pk}
    assert [c.pk for c in found.contacts_without_funding] == [unfunded.pk]
    # casemanager: 1.0 fte → 36 x 31/7 = 159.43 h expected, ~7 h registered; psychiater too
    workers = {w.name: w for w in found.workers_off_fte}
    assert len(workers) == 2
    cm = workers[team_month.casemanager.user.get_full_name()]
    assert cm.expected_hours == D("159.43")
    assert cm.percentage < 50


def test_client_in_care_without_hours(team_month, controller):
    found = mismatches(user=controller, team=team_month.team, month=MARCH)
    assert [c.pk for c in found.in_care_without_hours] == [team_month.clients[2].pk]
    assert found.total == 1 + 0 + 2 + 0


def test_worker_within_fte_band_is_not_flagged(team_month, controller):
    # psychiater 0.5 fte: 79.71 h expected; absence counts as registered
    for day in range(2, 12):
        non_client_time(team_month.psychiater, date=dt.date(2026, 3, day), minutes=480, code="6")
    found = mismatches(user=controller, team=team_month.team, month=MARCH)
    names = {w.name for w in found.workers_off_fte}
    assert team_month.psychiater.user.get_full_name() not in names
    assert team_month.casemanager.user.get_full_name() in names
