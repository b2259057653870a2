"""The duplicate check of a registration (same last name, any case, and birth date) can use
an index: at 300k clients a sequential scan cost 42.6 ms per registration (issue 15)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from clients.models import Client
from tests.factories.clients import ClientFactory

pytestmark = pytest.mark.django_db


def test_the_duplicate_check_query_uses_the_upper_name_index(team):
    # Enough clients for the planner to choose between the indexes as on a real table.
    first = ClientFactory(team=team)
    Client.objects.bulk_create(
        Client(
            team=team,
            municipality_id=first.municipality_id,
            first_name="Test",
            last_name=f"Naam {n}",
            date_of_birth=dt.date(1950, 1, 1) + dt.timedelta(days=n),
        )
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clients_client")
    query = Client.objects.filter(
        merged_into__isnull=True, last_name__iexact="de Vries", date_of_birth=dt.date(1970, 1, 2)
    ).order_by("pk")[:1]
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "client_upper_name_dob" in plan, plan
