"""The COPY bulk loader of the benchmarks, on a scratch table and on a model's table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection

from benchmarks.copyload import copy_rows, copy_statement
from olteams.constants import OrganisationKind
from olteams.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def probe_table():
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE copy_probe (id int PRIMARY KEY, name text, born date,"
            " amount numeric(8, 2), tags text[])"
        )
    return "copy_probe"


def _probe_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name, born, amount, tags FROM copy_probe ORDER BY id")
        return cursor.fetchall()


def test_copy_rows_writes_every_value_type_and_returns_the_count(probe_table):
    rows = [
        (1, "Jansen\tde Vries", dt.date(1970, 1, 31), Decimal("1234.56"), ["a", "b"]),
        (2, "regel 1\nregel 2 \\ schuin", None, None, []),
        (3, None, dt.date(2026, 11, 24), Decimal("0.00"), None),
    ]

    written = copy_rows(probe_table, ["id", "name", "born", "amount", "tags"], iter(rows))

    assert written == 3
    assert _probe_rows() == rows


def test_copy_rows_streams_a_generator_of_many_rows(probe_table):
    written = copy_rows(probe_table, ["id", "name"], ((n, f"rij {n}") for n in range(1, 5001)))

    assert written == 5000
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), min(id), max(id), max(name) FROM copy_probe")
        assert cursor.fetchone() == (5000, 1, 5000, "rij 999")


def test_copy_rows_loads_a_model_table_that_the_orm_then_reads():
    copy_rows(
        "olteams_organisation",
        ["name", "short_name", "kind", "agb_code"],
        [("Kopie GGZ", "KGGZ", OrganisationKind.GGZ, ""), ("Kopie Welzijn", "KWZ", "welzijn", "")],
    )

    assert list(Organisation.objects.order_by("short_name").values_list("short_name", "kind")) == [
        ("KGGZ", "ggz"),
        ("KWZ", "welzijn"),
    ]


def test_copy_rows_keeps_the_database_constraints():
    Organisation.objects.create(name="Bestaat al", short_name="BA", kind=OrganisationKind.GGZ)

    with pytest.raises(IntegrityError):
        copy_rows(
            "olteams_organisation",
            ["name", "short_name", "kind", "agb_code"],
            [("Nieuw", "BA", OrganisationKind.GGZ, "")],
        )


def test_copy_rows_refuses_a_row_of_the_wrong_width(probe_table):
    with pytest.raises(ValueError, match="row 2 has 1 values for 2 columns"):
        copy_rows(probe_table, ["id", "name"], [(1, "een"), (2,)])


def test_copy_statement_quotes_schema_table_and_columns():
    statement = copy_statement("public.olteams_team", ["name", 'odd "col"'])

    assert statement.as_string(connection.connection) == (
        'COPY "public"."olteams_team" ("name", "odd ""col""") FROM STDIN'
    )
