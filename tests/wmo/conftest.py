"""Fixtures of the Wmo tests: a client of Team Noord in Testgemeente with an active plan."""

from __future__ import annotations

import datetime as dt

import pytest

from clients.constants import AssignmentRole
from tests.factories.clients import AssignmentFactory, ClientFactory
from tests.factories.wmo import MunicipalProductFactory, active_plan, category, wmo_consent

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def product(municipality):
    return MunicipalProductFactory(
        municipality=municipality, code="02B01", name="Begeleiding individueel"
    )


@pytest.fixture
def day_product(municipality):
    return MunicipalProductFactory(
        municipality=municipality,
        code="07D01",
        name="Dagbesteding",
        category=category("07"),
        unit="16",
    )


@pytest.fixture
def wmo_client(team, municipality, member):
    client = ClientFactory(
        team=team,
        municipality=municipality,
        first_name="Sanne",
        last_name="Visser",
        gender="V",
        address="Kerkstraat 12",
        postcode="9401 AA",
        city="Assen",
        phone="0612345678",
        email="sanne.visser@example.invalid",
        gp_practice="Huisartsenpraktijk De Linde",
        gp_name="dr. Bakker",
    )
    AssignmentFactory(client=client, worker=member, role=AssignmentRole.CASEMANAGER)
    wmo_consent(client)  # the client agreed to send the request's goals and ZRM
    return client


@pytest.fixture
def goals(wmo_client, member):
    return active_plan(wmo_client, member)


@pytest.fixture
def request_data(product, goals):
    return {
        "product_code": "02B01",
        "volume": 3,
        "unit": "04",
        "frequency": "2",
        "start": dt.date(2026, 3, 9),
        "end": dt.date(2026, 9, 8),
        "result_areas": [1, 3],
        "motivation": "Sanne raakt het overzicht over haar post en afspraken kwijt.",
        "is_temporary": False,
        "client_authorised": True,
        "goal_ids": [g.pk for g in goals],
        "zrm_scores": {"financien": 2, "huisvesting": 3},
    }
