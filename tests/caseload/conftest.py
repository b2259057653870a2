"""Fixtures of the caseload tests: a client of Team Noord with a care team, a fixed clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from clients.constants import AssignmentRole
from olteams.constants import Discipline, OrganisationKind
from tests.factories.clients import AssignmentFactory, ClientFactory
from tests.factories.olteams import MembershipFactory, OrganisationFactory, UserFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 2, 14, 30, tzinfo=AMSTERDAM)


def at(hour: int, minute: int = 0, day: dt.date = TODAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def org_begeleiding(db):
    return OrganisationFactory(
        name="Begeleiding Testregio", short_name="BG-T", kind=OrganisationKind.BEGELEIDING
    )


@pytest.fixture
def begeleider(team, org_begeleiding):
    return MembershipFactory(
        user=UserFactory(username="begeleider", first_name="Bo", last_name="Begeleider"),
        team=team,
        organisation=org_begeleiding,
        discipline=Discipline.AMBULANT_BEGELEIDER,
    ).user


@pytest.fixture
def care_client(team, member):
    client = ClientFactory(team=team, first_name="Sanne", last_name="Visser")
    AssignmentFactory(client=client, worker=member, role=AssignmentRole.CASEMANAGER)
    return client


@pytest.fixture
def other_client(other_team):
    return ClientFactory(team=other_team, first_name="Piet", last_name="Zuidema")
