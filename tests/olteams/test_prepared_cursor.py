"""The connection's one prepared cursor (olteams.compiled.prepared_cursor): statements in
turn share it and psycopg's transformer, and a block within another gets its own."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from olteams.compiled import prepared_cursor

pytestmark = pytest.mark.django_db


def _raw(wrapper):
    return wrapper.cursor


def test_statements_in_turn_share_the_cursor_and_read_each_their_own_types():
    with prepared_cursor() as first:
        first.execute(
            "SELECT %s::bigint, %s::text, %s::timestamptz",
            [7, "zeven", dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)],
        )
        assert first.fetchall() == [(7, "zeven", dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC))]
        transformer = _raw(first)._tx
    with prepared_cursor() as second:
        # Other types in the same places: the kept transformer loads each by its own type.
        second.execute(
            "SELECT %s::text, %s::numeric, %s::date, NULL::bigint, %s::jsonb",
            ["acht", decimal.Decimal("8.50"), dt.date(2026, 1, 3), '{"a": 1}'],
        )
        assert second.fetchone() == (
            "acht",
            decimal.Decimal("8.50"),
            dt.date(2026, 1, 3),
            None,
            '{"a": 1}',
        )
        assert _raw(second) is _raw(first)
        assert _raw(second)._tx is transformer
    with prepared_cursor() as third:
        third.execute(
            "SELECT %s::bigint, %s::text, %s::timestamptz",
            [9, "negen", dt.datetime(2026, 1, 2, tzinfo=dt.UTC)],
        )
        assert third.fetchone() == (9, "negen", dt.datetime(2026, 1, 2, tzinfo=dt.UTC))


def test_a_block_within_another_gets_a_cursor_of_its_own_and_leaves_the_outer_rows_alone():
    with prepared_cursor() as outer:
        outer.execute("SELECT g FROM generate_series(1, %s) g", [5])
        assert outer.fetchone() == (1,)
        with prepared_cursor() as inner:
            assert _raw(inner) is not _raw(outer)
            inner.execute("SELECT %s::text", ["binnen"])
            assert inner.fetchall() == [("binnen",)]
        assert outer.fetchall() == [(2,), (3,), (4,), (5,)]
    with prepared_cursor() as after:
        assert _raw(after) is _raw(outer)  # the connection's own again, free now


def test_an_error_frees_the_cursor_and_the_statements_are_still_counted():
    with (
        pytest.raises(DataError, match="division by zero"),
        transaction.atomic(),
        prepared_cursor() as failing,
    ):
        failing.execute("SELECT 1 / %s::int", [0])
    with CaptureQueriesContext(connection) as seen, prepared_cursor() as cursor:
        cursor.execute("SELECT %s::int + 1", [1])
        assert cursor.fetchone() == (2,)
        assert _raw(cursor) is _raw(failing)
    assert len(seen.captured_queries) == 1
    assert "SELECT %s::int + 1" in seen.captured_queries[0]["sql"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_new_connection_gets_a_new_cursor():
    with prepared_cursor() as before:
        before.execute("SELECT 1")
    connection.close()
    with prepared_cursor() as after:
        after.execute("SELECT %s::int", [2])
        assert after.fetchone() == (2,)
        assert _raw(after) is not _raw(before)
        assert _raw(after).connection is connection.connection
