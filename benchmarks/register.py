"""Client registrations per second over the API with 300k clients in the database.

300,000 clients are COPY-loaded (``benchmarks.clients``' rows: names ``Achternaam…`` with
spread birth dates) inside one transaction that is rolled back afterwards. A signed-in team
member (second factor passed) then POSTs new clients to ``/api/v1/clienten/`` one after the
other through Django's test client: the whole middleware stack and DRF, in-process, on one
database connection. Every registration runs the duplicate check (normalised last name and
birth date: the functional index of clients 0006; BSN: its unique index), the insert and
the CREATE audit event, each in its own savepoint as in production.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import time
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.clients import CLIENT_COLUMNS, _client_rows
from benchmarks.copyload import copy_rows
from benchmarks.pages import verified_client
from benchmarks.registry import Result, benchmark
from clients.models import Client
from olteams.constants import Discipline, OrganisationKind, TeamRole
from olteams.models import Membership, Organisation, Team, User

SEEDED = int(os.environ.get("REGISTER_BENCH_CLIENTS", "300000"))
REGISTRATIONS = 300
WARMUP = 20
THRESHOLD_PER_SECOND = 100.0


def _payload(n: int, team_id: int) -> dict[str, object]:
    born = dt.date(1950, 1, 1) + dt.timedelta(days=n * 7 % 20_000)
    return {
        "team": team_id,
        "first_name": f"Nieuw{n % 97}",
        "last_name": f"Registratie{n:06d}",
        "date_of_birth": born.isoformat(),
        "city": "Leiden",
    }


def _duplicate_check_plan() -> str:
    """How PostgreSQL runs the duplicate check on the loaded table (index or not)."""
    qs = Client.objects.filter(
        merged_into__isnull=True,
        last_name__iexact="Achternaam0012345",
        date_of_birth=dt.date(1970, 1, 1),
    ).order_by("pk")[:1]
    plan = qs.explain()
    nodes = [line.strip() for line in plan.splitlines() if "Scan" in line]
    return nodes[0] if nodes else plan.splitlines()[0]


@benchmark("client-register", title="Client registrations per second over the API at 300k")
def client_register() -> Result:
    with transaction.atomic():
        org, _ = Organisation.objects.get_or_create(
            short_name="BENCHREG-GGZ", defaults={"name": "Bench GGZ register", "kind": "ggz"}
        )
        assert org.kind == OrganisationKind.GGZ
        other = Team.objects.create(name="Bench register other", slug="bench-register-other")
        team = Team.objects.create(name="Bench register", slug="bench-register")
        user = User.objects.create(username="bench.register")
        Membership.objects.create(
            user=user,
            team=team,
            organisation=org,
            role=TeamRole.MEMBER,
            discipline=Discipline.CASEMANAGER,
            fte=Decimal("0.8"),
            valid_from=dt.date(2020, 1, 1),
        )
        started = time.perf_counter()
        copy_rows("clients_client", CLIENT_COLUMNS, _client_rows(other.pk, SEEDED, 0))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE clients_client")  # the planner sees the 300k rows
        seeded_in = time.perf_counter() - started
        http = verified_client(user)
        url = reverse("api:client-list")
        for n in range(WARMUP):
            _post(http, url, _payload(n, team.pk))
        with CaptureQueriesContext(connection) as queries:
            _post(http, url, _payload(WARMUP, team.pk))
        per_create = len(queries)
        timings = []
        started = time.perf_counter()
        for n in range(WARMUP + 1, WARMUP + 1 + REGISTRATIONS):
            one = time.perf_counter()
            _post(http, url, _payload(n, team.pk))
            timings.append((time.perf_counter() - one) * 1000)
        elapsed = time.perf_counter() - started
        duplicate = http.post(url, _payload(WARMUP, team.pk), content_type="application/json")
        if duplicate.status_code != 400:
            raise RuntimeError(f"a duplicate was not refused: {duplicate.status_code}")
        plan = _duplicate_check_plan()
        in_db = Client.objects.count()
        transaction.set_rollback(True)
    rate = REGISTRATIONS / elapsed
    verdict = "meets" if rate >= THRESHOLD_PER_SECOND else "MISSES"
    return Result(
        what=(
            "Registrations per second of POST /api/v1/clienten/ (DRF, full middleware stack, "
            "second factor passed) one after the other on one database connection, "
            "in-process (Django test client), with the database already holding "
            f"{SEEDED:,} clients; each request runs the duplicate check, the insert and "
            "the CREATE audit event."
        ),
        size=(
            f"{SEEDED:,} clients COPY-loaded in {seeded_in:.0f} s; {WARMUP} warm-up "
            f"registrations, then {REGISTRATIONS} timed; rolled back afterwards"
        ),
        columns=["Clients in database", "Registrations", "Per second", "Median", "p95", "Queries"],
        rows=[
            [
                f"{in_db:,}",
                f"{REGISTRATIONS:,}",
                f"{rate:,.1f}",
                f"{statistics.median(timings):.1f} ms",
                f"{statistics.quantiles(timings, n=20)[18]:.1f} ms",
                str(per_create),
            ]
        ],
        notes=[
            f"Threshold (issue 15): at least {THRESHOLD_PER_SECOND:.0f} registrations/s at "
            f"300k clients: {verdict} it ({rate:,.1f}/s). Before: 25.8/s on a small database.",
            f"The duplicate check on the loaded table: {plan}.",
            "A repeated registration (same last name and birth date) is refused with a 400 "
            "carrying the field errors (checked at the end of the run).",
            "Queries: one registration, session and user included.",
        ],
    )


def _post(http, url: str, payload: dict[str, object]) -> None:  # type: ignore[no-untyped-def]
    response = http.post(url, json.dumps(payload), content_type="application/json")
    if response.status_code != 201:
        raise RuntimeError(f"registration answered {response.status_code}: {response.content!r}")
