"""Bulk loading through PostgreSQL COPY, for benchmarks that need 1k to millions of rows.

``copy_rows("clients_client", ["team_id", "last_name"], rows)`` streams an iterator of
tuples into the table with psycopg 3's ``cursor.copy()``: one statement, no per-row round
trip, no model instances, so 300k rows load in seconds. Values go through psycopg's own
adaptation (None → NULL, dates, Decimals, lists, JSON via ``psycopg.types.json.Jsonb``).
Constraints and triggers still apply; defaults that live only in Django (not in the
database) do not, so name every NOT NULL column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models
from psycopg import sql


def model_columns(model: type[models.Model], *, exclude: Sequence[str] = ()) -> list[str]:
    """The model's table columns in field order (what a COPY row of that model lists)."""
    return [str(f.column) for f in model._meta.concrete_fields if f.column not in exclude]


def copy_statement(table: str, columns: Sequence[str]) -> sql.Composed:
    """``COPY "schema"."table" ("a", "b") FROM STDIN`` with every name quoted safely."""
    if not columns:
        raise ValueError("COPY needs at least one column")
    return sql.SQL("COPY {table} ({columns}) FROM STDIN").format(
        table=sql.Identifier(*table.split(".")),
        columns=sql.SQL(", ").join(sql.Identifier(column) for column in columns),
    )


def copy_rows(
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    using: str = "default",
) -> int:
    """Stream ``rows`` into ``table`` with COPY on Django's connection ``using``.

    Runs inside the caller's transaction when there is one (a failed row aborts it all).
    Returns the number of rows written.
    """
    width = len(columns)
    count = 0
    connection = connections[using]
    # Django's error wrapping, so callers catch django.db.IntegrityError as usual.
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(copy_statement(table, columns)) as copy,
    ):
        for row in rows:
            if len(row) != width:
                raise ValueError(f"row {count + 1} has {len(row)} values for {width} columns")
            copy.write_row(row)
            count += 1
    return count
