from __future__ import annotations

import datetime as dt

import pytest

from clients.constants import AssignmentRole
from clients.models import Assignment, Client
from tests.factories.herstelplan import put_in_care
from tests.factories.olteams import MembershipFactory, UserFactory


@pytest.fixture
def care_client(team, member):
    """A client of ``team`` in care since 2025, with ``member`` as casemanager."""
    client = Client.objects.create(team=team, first_name="Sanne", last_name="de Boer")
    put_in_care(client, member, on=dt.date(2025, 1, 1))
    return client


@pytest.fixture
def colleague(team, org_ggz):
    """A second team member who is also in the client's care team (as begeleider)."""
    return MembershipFactory(
        user=UserFactory(username="collega", first_name="Karin", last_name="Mulder"),
        team=team,
        organisation=org_ggz,
    ).user


@pytest.fixture
def assigned_colleague(care_client, colleague):
    Assignment.objects.create(
        client=care_client,
        worker=colleague,
        role=AssignmentRole.BEGELEIDER,
        start_date=dt.date(2025, 1, 1),
    )
    return colleague


@pytest.fixture(autouse=True)
def iroc_items(db):
    """The I.ROC wording is loaded by a data migration; a transactional test elsewhere flushes
    the tables, so make sure it is there."""
    from django.core.management import call_command

    from herstelplan.models import IrocIndicator

    if IrocIndicator.objects.count() != 12:
        call_command("loaddata", "iroc_items", verbosity=0)
