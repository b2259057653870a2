"""The client list page (/clienten/) at 1k and at 300k clients.

Two scenarios, both COPY-loaded (``benchmarks.copyload``) inside one transaction that is
rolled back, and requested in-process through Django's test client (full middleware, past
the second factor):

- *own team of 150*: a team lead's list when the database holds 1k and then 300k
  clients of other teams (the national roll-out: 2,000 teams of ~150), with 5 clients of
  another team assigned to the lead (the access scope is then "own team OR assigned").
  Its names sort after everyone else's, so a plan that walks the name index instead of
  fetching the scope pays for the whole table. It should not grow.
- *one scope of N*: a worst case where the user's team holds all N clients (1k, then
  300k): the count and the first page of the sorted list over the whole scope.

The page's query count is the same at both sizes (asserted by the test suite for 10 and
1,000 clients); the ratio of the median times shows how the page scales with the data.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from benchmarks.copyload import copy_rows
from benchmarks.pages import verified_client
from benchmarks.registry import Result, benchmark
from olteams.constants import Discipline, OrganisationKind, TeamRole
from olteams.models import Membership, Organisation, Team, User

# Name offsets: "Achternaam1…" (other teams) and "Achternaam2…" (the big scope) sort before
# "Achternaam3…" (the own team).
OTHER_OFFSET, BIG_OFFSET, OWN_OFFSET = 10_000_000, 20_000_000, 30_000_000

SIZES = (1_000, 300_000)
OWN_TEAM = 150
ASSIGNED = 5  # clients of the other teams in the own-team lead's care team
TIMED_REQUESTS = 15
CLIENT_COLUMNS = [
    "team_id",
    "initials",
    "first_name",
    "name_prefix",
    "last_name",
    "date_of_birth",
    "gender",
    "address",
    "postcode",
    "city",
    "neighbourhood",
    "phone",
    "email",
    "gp_practice",
    "gp_name",
    "created_at",
    "updated_at",
]


def _client_rows(team_id: int, count: int, offset: int):  # type: ignore[no-untyped-def]
    now = timezone.now()
    first = dt.date(1940, 1, 1)
    for n in range(offset, offset + count):
        yield (
            team_id,
            "",
            f"Voornaam{n % 997}",
            "",
            f"Achternaam{n:07d}",
            first + dt.timedelta(days=n % 25_000),
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            now,
            now,
        )


def _load(team_id: int, count: int, offset: int) -> None:
    copy_rows("clients_client", CLIENT_COLUMNS, _client_rows(team_id, count, offset))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO clients_careepisode (client_id, phase, started_on, outflow_reason,"
            " outflow_destination, plan_review_required, created_at)"
            " SELECT c.id, CASE WHEN c.id %% 10 = 0 THEN 'voorzorg' ELSE 'in_zorg' END,"
            " DATE '2024-01-01', '', '', false, now() FROM clients_client c"
            " LEFT JOIN clients_careepisode e ON e.client_id = c.id"
            " WHERE c.team_id = %s AND e.id IS NULL",
            [team_id],
        )
        cursor.execute("ANALYZE clients_client; ANALYZE clients_careepisode")


def _team(name: str, org: Organisation) -> tuple[Team, User]:
    team = Team.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    user = User.objects.create(username=f"{team.slug}.lid")
    Membership.objects.create(
        user=user,
        team=team,
        organisation=org,
        role=TeamRole.LEAD,
        discipline=Discipline.CASEMANAGER,
        fte=Decimal("0.8"),
        valid_from=dt.date(2020, 1, 1),
    )
    return team, user


def _assign(user: User, team: Team, count: int) -> None:
    """Put ``user`` in the care team of ``count`` clients of ``team`` (from today on)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO clients_assignment (client_id, worker_id, role, start_date, end_date)"
            " SELECT id, %s, 'begeleider', DATE '2024-01-01', NULL FROM clients_client"
            " WHERE team_id = %s ORDER BY id LIMIT %s",
            [user.pk, team.pk, count],
        )


def _measure(user: User) -> tuple[int, float]:
    http = verified_client(user)
    if http.get("/clienten/").status_code != 200:  # warm-up: caches, session
        raise RuntimeError("client list did not answer 200")
    with CaptureQueriesContext(connection) as queries:
        http.get("/clienten/")
    count = len(queries)  # now: the next request's reset_queries empties the log
    timings = []
    for _ in range(TIMED_REQUESTS):
        started = time.perf_counter()
        http.get("/clienten/")
        timings.append((time.perf_counter() - started) * 1000)
    return count, statistics.median(timings)


@benchmark("client-list-scale", title="Client list page at 1k and 300k clients")
def client_list_scale() -> Result:
    rows: list[list[str]] = []
    with transaction.atomic():
        org = Organisation.objects.create(
            name="Bench GGZ clients", short_name="BENCHC", kind=OrganisationKind.GGZ
        )
        own, own_user = _team("Bench eigen team", org)
        others, _ = _team("Bench andere teams", org)
        big, big_user = _team("Bench grote scope", org)
        _load(own.pk, OWN_TEAM, OWN_OFFSET)
        loaded_other = loaded_big = 0
        timings: dict[str, list[float]] = {"own": [], "big": []}
        for size in SIZES:
            _load(others.pk, size - OWN_TEAM - loaded_other, OTHER_OFFSET + loaded_other)
            if not loaded_other:
                _assign(own_user, others, ASSIGNED)
            loaded_other = size - OWN_TEAM
            queries, median = _measure(own_user)
            timings["own"].append(median)
            rows.append(
                [
                    f"own team of {OWN_TEAM} + {ASSIGNED} assigned",
                    f"{size:,}",
                    f"{OWN_TEAM + ASSIGNED:,}",
                    str(queries),
                    f"{median:.1f} ms",
                ]
            )
            _load(big.pk, size - loaded_big, BIG_OFFSET + loaded_big)
            loaded_big = size
            queries, median = _measure(big_user)
            timings["big"].append(median)
            rows.append(
                [
                    "one scope of N",
                    f"{loaded_other + OWN_TEAM + size:,}",
                    f"{size:,}",
                    str(queries),
                    f"{median:.1f} ms",
                ]
            )
        transaction.set_rollback(True)
    ratio_own = timings["own"][1] / timings["own"][0]
    ratio_big = timings["big"][1] / timings["big"][0]
    return Result(
        what=(
            "Median in-process time and query count of GET /clienten/ (first page of 50, "
            "sorted by name, with count, phase and casemanager per row) for a signed-in "
            "team lead, Django test client with the full middleware stack."
        ),
        size=(
            f"clients COPY-loaded with one care episode each; sizes {SIZES[0]:,} and "
            f"{SIZES[1]:,}; median of {TIMED_REQUESTS} requests; rolled back afterwards"
        ),
        columns=["Scenario", "Clients in database", "Clients visible", "Queries", "Median time"],
        rows=rows,
        notes=[
            f"Ratio 300k/1k, own team of {OWN_TEAM} + {ASSIGNED} assigned: {ratio_own:.2f}x "
            "(the scope is fetched through the team and primary-key indexes: the count and "
            "the page stay flat).",
            f"Ratio 300k/1k, one scope of N: {ratio_big:.2f}x (the count(*) and the sort "
            "over the whole scope grow with N; the index (team, last_name) serves the sort).",
            "Each request also writes one SEARCH audit event.",
        ],
    )
