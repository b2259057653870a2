"""The project's PostgreSQL backend (olteams.dbbackend): Django's outcome, fewer steps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, connections
from django.db.backends.postgresql.psycopg_any import orig_tz_loader_cls, register_tzloader
from psycopg.pq import Format

from olteams.dbbackend.base import DatabaseWrapper

TIMESTAMPTZ_OID = 1184
VALUES_SQL = (
    "SELECT '2024-06-01 12:00:00+02'::timestamptz, '1999-12-31 23:59:59.999999-11'::timestamptz,"
    " NULL::timestamptz, 'infinity'::timestamptz < now()"
)


def _read_with_djangos_loader(sql: str) -> tuple:
    """The row as Django's own timestamptz loader reads it (registered on the cursor)."""
    with connection.cursor() as cursor:
        register_tzloader(connection.timezone, cursor.cursor)
        cursor.execute(sql)
        return cursor.fetchone()


def _loader_of(cursor) -> object:
    return cursor.cursor._tx.get_loader(TIMESTAMPTZ_OID, Format.TEXT)


@pytest.mark.django_db
def test_the_engine_is_djangos_postgresql_backend_with_its_features():
    assert isinstance(connections["default"], DatabaseWrapper)
    assert connection.vendor == "postgresql"
    assert connection.timezone is dt.UTC


@pytest.mark.django_db
def test_timestamptz_values_are_read_as_djangos_loader_reads_them_by_the_c_loader():
    with connection.cursor() as cursor:
        cursor.execute(VALUES_SQL)
        row = cursor.fetchone()
        loader = _loader_of(cursor)
    assert row == _read_with_djangos_loader(VALUES_SQL)
    assert row[0] == dt.datetime(2024, 6, 1, 10, 0, tzinfo=dt.UTC)
    assert row[0].tzinfo is dt.UTC and row[1].tzinfo is dt.UTC
    assert row[1] == dt.datetime(2000, 1, 1, 10, 59, 59, 999999, tzinfo=dt.UTC)
    assert row[2] is None
    # The fast path: the value comes from psycopg's C loader without Django's Python step.
    assert type(loader.load.__self__) is orig_tz_loader_cls


@pytest.mark.django_db
def test_another_session_time_zone_keeps_djangos_python_step_and_its_result():
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'America/Santiago'")
        try:
            cursor.execute(VALUES_SQL)
            row = cursor.fetchone()
            loader = _loader_of(cursor)
            djangos = _read_with_djangos_loader(VALUES_SQL)
        finally:
            cursor.execute("SET TIME ZONE 'UTC'")
    assert row == djangos
    assert row[0].tzinfo is dt.UTC  # Django's zone, not the session's
    assert getattr(loader.load, "__self__", None) is loader  # Django's own Python step


def _last_statement_of(pid: int) -> str:
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
            return cursor.fetchone()[0]
    finally:
        other.close()


def _terminate(pid: int) -> None:
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            assert cursor.fetchone() == (True,)
    finally:
        other.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_health_check_of_a_healthy_idle_connection_sends_nothing():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'the last statement'")
    pid = connection.connection.info.backend_pid

    connection.health_check_done = False
    connection.close_if_health_check_failed()

    assert connection.connection is not None
    assert connection.connection.info.backend_pid == pid
    assert _last_statement_of(pid) == "SELECT 'the last statement'"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_terminated_connection_fails_the_health_check_and_the_next_query_reconnects():
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    _terminate(pid)

    assert connection.is_usable() is False
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    assert connection.connection is None

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


@pytest.mark.django_db
def test_inside_a_transaction_the_health_check_asks_the_server():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'inside the test transaction'")
    pid = connection.connection.info.backend_pid

    assert connection.is_usable() is True
    assert _last_statement_of(pid) == "SELECT 1"
