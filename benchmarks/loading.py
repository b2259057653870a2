"""How fast the shared COPY helper loads rows: the budget for the data-scale benchmarks.

Later benchmarks load 1k to 300k clients (and millions of contacts) with
``benchmarks.copyload.copy_rows``; this one measures the helper itself on a table shaped
like a client row, without and with indexes, inside a transaction that is rolled back.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection, transaction

from benchmarks.copyload import copy_rows
from benchmarks.registry import Result, benchmark

ROWS = 300_000
COLUMNS = ["id", "team_id", "last_name", "born_on", "status", "note"]
DEFINITION = (
    "id bigint PRIMARY KEY, team_id int NOT NULL, last_name text NOT NULL, born_on date,"
    " status text NOT NULL, note text"
)
# label → (temporary table, indexes besides the primary key)
TABLES = {
    "primary key only": ("bench_copy_plain", []),
    "primary key + 2 b-tree indexes": ("bench_copy_indexed", ["team_id, status", "last_name"]),
}


def _rows():  # type: ignore[no-untyped-def]
    first = dt.date(1950, 1, 1)
    for n in range(ROWS):
        yield (
            n + 1,
            n % 4 + 1,
            f"Achternaam {n:06d}",
            first + dt.timedelta(days=n % 20000),
            "in_zorg" if n % 3 else "aangemeld",
            None if n % 5 else "notitie met\ttab en \\ schuine streep",
        )


def _load(label: str, table: str, indexes: list[str]) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE {table} ({DEFINITION})")
        for columns in indexes:
            cursor.execute(f"CREATE INDEX ON {table} ({columns})")
    started = time.perf_counter()
    written = copy_rows(table, COLUMNS, _rows())
    elapsed = time.perf_counter() - started
    return [label, f"{written:,}", f"{elapsed:.2f} s", f"{written / elapsed:,.0f}"]


@benchmark("copy-load", title="Bulk loading with COPY (benchmarks.copyload)")
def copy_load() -> Result:
    rows = []
    with transaction.atomic():
        for label, (table, indexes) in TABLES.items():
            rows.append(_load(label, table, indexes))
        transaction.set_rollback(True)
    return Result(
        what=(
            "Rows per second that copy_rows streams from a Python generator into PostgreSQL "
            "with COPY (psycopg 3), on a table shaped like a client row."
        ),
        size=f"{ROWS:,} rows of {len(COLUMNS)} columns per table; temporary tables, rolled back",
        columns=["Table", "Rows", "Time", "Rows/s"],
        rows=rows,
        notes=["Generating the tuples in Python is part of the time, as it is for real loads."],
    )
