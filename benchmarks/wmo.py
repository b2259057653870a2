"""The Wmo deadline sweep over 1,000,000 open requests, against its own statement as bare SQL.

Everything happens in one transaction that is rolled back at the end. The requests are
COPY-loaded (``benchmarks.copyload``); the submission dates are spread over 15 days in
steady state (older rows already reminded), so each run finds about 1/15 of the rows at
day 10 (a reminder) and 1/15 at day 14 (an escalation), as the daily run would. Both
timings run on the same data (a savepoint is restored after every run); the ratio
service / bare SQL is the cost of going through Django. ``WMO_BENCH_ROWS`` changes the
size for a quick try; the report is only meaningful at the default.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from benchmarks.copyload import copy_rows
from benchmarks.registry import Result, benchmark
from clients.models import Client
from olteams.constants import TeamRole
from olteams.models import (
    Membership,
    Municipality,
    MunicipalityRole,
    Notification,
    Organisation,
    Team,
    User,
)
from wmo import services
from wmo.models import IndicationRequest, MunicipalProduct, ProductCategory
from wmo.services import sweeps

ROWS = int(os.environ.get("WMO_BENCH_ROWS", "1000000"))
CLIENTS = 1000
ROUNDS = 3
TODAY = dt.date(2026, 3, 2)
COLUMNS = [
    "client_id",
    "team_id",
    "municipality_id",
    "requested_by_id",
    "status",
    "product_id",
    "volume",
    "unit",
    "frequency",
    "start",
    "end",
    "result_areas",
    "motivation",
    "is_temporary",
    "reference",
    "submitted_at",
    "submitted_on",
    "deadline",
    "reminder_sent_at",
    "escalated_at",
    "is_overdue",
    "created_at",
    "updated_at",
]


def _fixtures() -> tuple[list[int], int, int, int, int]:
    """One municipality with a consultant and a consultant lead, one team with a lead,
    one product and 1,000 clients: who the sweep's notices go to."""
    municipality = Municipality.objects.create(name="Benchgemeente", cbs_code="9999")
    org = Organisation.objects.create(name="Bench GGZ wmo", short_name="BENCHW", kind="ggz")
    team = Team.objects.create(name="Bench Wmo-team", slug="bench-wmo-team")
    team.municipalities.set([municipality])
    worker = User.objects.create(username="bench.wmo.lid")
    for name, lead in (("bench.consulent", False), ("bench.consulentlead", True)):
        MunicipalityRole.objects.create(
            user=User.objects.create(username=name),
            municipality=municipality,
            is_lead=lead,
            valid_from=dt.date(2020, 1, 1),
        )
    Membership.objects.create(
        user=User.objects.create(username="bench.wmo.leider"),
        team=team,
        organisation=org,
        discipline="projectleider",
        role=TeamRole.LEAD,
        fte=1,
        valid_from=dt.date(2020, 1, 1),
    )
    category, _ = ProductCategory.objects.get_or_create(code="02", defaults={"name": "Begeleiding"})
    product = MunicipalProduct.objects.create(
        municipality=municipality,
        code="02Z01",
        name="Begeleiding",
        category=category,
        unit="04",
        start=dt.date(2020, 1, 1),
    )
    clients = Client.objects.bulk_create(
        Client(team=team, municipality=municipality, first_name="Bench", last_name=f"C{i}")
        for i in range(CLIENTS)
    )
    return [c.pk for c in clients], team.pk, municipality.pk, worker.pk, product.pk


def _request_rows(
    client_ids: list[int], team_id: int, municipality_id: int, worker_id: int, product_id: int
) -> Iterator[tuple[Any, ...]]:
    """Open requests: per client non-overlapping one-day periods (the exclusion constraint
    holds), submitted 0-14 days ago, the ones past day 10 already reminded."""
    now = timezone.now()
    for i in range(ROWS):
        age = i % 15
        submitted = TODAY - dt.timedelta(days=age)
        start = dt.date(2027, 1, 1) + dt.timedelta(days=2 * (i // CLIENTS))
        yield (
            client_ids[i % CLIENTS],
            team_id,
            municipality_id,
            worker_id,
            "ingediend",
            product_id,
            2,
            "04",
            "2",
            start,
            start,
            [1],
            "bench",
            False,
            f"B{i:018d}",
            now,
            submitted,
            submitted + dt.timedelta(days=sweeps.WMO_DECISION_DAYS),
            now if age > sweeps.WMO_REMINDER_DAY else None,
            None,
            False,
            now,
            now,
        )


def _bare_sql() -> tuple[int, int, int]:
    """The service's own statement and parameters on the psycopg connection itself."""
    sql = sweeps._DEADLINE_SQL.format(
        request=IndicationRequest._meta.db_table,
        mrole=MunicipalityRole._meta.db_table,
        membership=Membership._meta.db_table,
        notification=Notification._meta.db_table,
        user=User._meta.db_table,
    )
    params = {
        "today": TODAY,
        "now": timezone.now(),
        "pending": [str(s) for s in sweeps.PENDING_STATUSES],
        "remind_before": TODAY - dt.timedelta(days=sweeps.WMO_REMINDER_DAY),
        "reminder_day": sweeps.WMO_REMINDER_DAY,
        "decision_days": sweeps.WMO_DECISION_DAYS,
        "reminder_title": sweeps.REMINDER_TITLE,
        "reminder_body": sweeps.REMINDER_BODY,
        "escalation_title": sweeps.ESCALATION_TITLE,
        "escalation_body": sweeps.ESCALATION_BODY,
        "url": sweeps._url_template("wmo:request-detail", client_id=0, pk=0),
    }
    with connection.connection.cursor() as cursor:  # no Django in between
        cursor.execute(sql, params)
        return cursor.fetchone()


def _service() -> tuple[int, int, int]:
    result = services.deadline_sweep(today=TODAY)
    return result.reminded, result.escalated, result.notifications


def _timed(run: Callable[[], tuple[int, int, int]]) -> tuple[float, tuple[int, int, int]]:
    """One run inside a savepoint that is rolled back: the next run finds the same data."""
    sid = transaction.savepoint()
    started = time.perf_counter()
    counts = run()
    elapsed = time.perf_counter() - started
    transaction.savepoint_rollback(sid)
    return elapsed, tuple(counts)


@benchmark("wmo-deadline-sweep", title="Wmo deadline sweep over 1,000,000 open requests")
def wmo_deadline_sweep() -> Result:
    variants: dict[str, Callable[[], tuple[int, int, int]]] = {
        "deadline_sweep (service)": _service,
        "same statement, bare SQL (psycopg)": _bare_sql,
    }
    timings: dict[str, list[float]] = {label: [] for label in variants}
    counts: dict[str, tuple[int, int, int]] = {}
    with transaction.atomic():
        started = time.perf_counter()
        copy_rows(IndicationRequest._meta.db_table, COLUMNS, _request_rows(*_fixtures()))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE wmo_indicationrequest")
        load_seconds = time.perf_counter() - started
        # Alternate the two on identical data; the first run of either pays for a cold
        # cache, so the best of the rounds counts.
        for _round in range(ROUNDS):
            for label, run in variants.items():
                elapsed, counts[label] = _timed(run)
                timings[label].append(elapsed)
        transaction.set_rollback(True)
    if len(set(counts.values())) != 1:
        raise RuntimeError(f"service and bare SQL disagree: {counts}")
    rows = []
    for label, values in timings.items():
        reminded, escalated, notices = counts[label]
        rows.append(
            [
                label,
                f"{min(values):.3f} s",
                f"{statistics.median(values):.3f} s",
                f"{reminded:,}",
                f"{escalated:,}",
                f"{notices:,}",
            ]
        )
    service, bare = (min(values) for values in timings.values())
    return Result(
        what=(
            "Time of the daily Wmo deadline sweep (day-10 reminders, day-14 escalations with "
            "their notifications, one SQL statement) through wmo.services.deadline_sweep, "
            "and of the same statement sent bare on the psycopg connection."
        ),
        size=(
            f"{ROWS:,} open requests of {CLIENTS:,} clients in one municipality, COPY-loaded "
            f"in {load_seconds:.0f} s; {ROUNDS} alternating runs each, every run rolled "
            "back to a savepoint; everything rolled back afterwards"
        ),
        columns=["Run", "Best", "Median", "Reminded", "Escalated", "Notifications"],
        rows=rows,
        notes=[
            f"Ratio service / bare SQL (best runs): {service / bare:.2f}x.",
            "Both runs return the same counts (checked): the service adds only Django's "
            "cursor wrapper, a savepoint and a log line to the statement itself.",
        ],
    )
