"""The client file and "my caseload" at 1k and at 300k clients with 50 contacts each.

Everything is COPY-loaded (``benchmarks.copyload``) inside one transaction that is rolled
back: teams of 150 clients (the national roll-out: 2,000 teams of ~150) with 8 workers each
(a psychiatrist who is regiebehandelaar of all 150, six casemanagers of 25 clients each, an
ambulant begeleider of a support organisation), one care episode and two assignments per
client, and 50 contacts per client over the last two years with their workers (a second
worker at 30% of them): 15 million contacts and ~19.5 million ContactWorker rows at 300k.
The rows are built by generators (arithmetic on the row number, no lists in memory); the
contact tables' secondary indexes and foreign keys are dropped for the load and built again
afterwards (the foreign keys as NOT VALID: the load made them, the rollback restores the
originals), then everything is ANALYZEd.

The pages are requested in-process through Django's test client (full middleware, past the
second factor) for users of the first team, whose data is the same at both sizes: the page
should not grow with the rows of other teams. ``CASELOAD_BENCH_SIZES`` (e.g. "1000,3000")
and ``CASELOAD_BENCH_CONTACTS`` change the sizes for a quick try; the report is only
meaningful at the defaults.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import statistics
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from benchmarks.copyload import copy_rows, model_columns
from benchmarks.pages import verified_client
from benchmarks.registry import Result, benchmark
from caseload.constants import ContactFunding, ContactKind
from caseload.models import Contact, ContactWorker
from olteams.constants import DataCategory, Discipline, OrganisationKind, TeamRole
from olteams.models import Organisation, User

SIZES = tuple(int(n) for n in os.environ.get("CASELOAD_BENCH_SIZES", "1000,300000").split(","))
CONTACTS_PER_CLIENT = int(os.environ.get("CASELOAD_BENCH_CONTACTS", "50"))
TEAM_CLIENTS = 150
CASEMANAGERS = 6  # workers 1..6 of a team; worker 0 is the regiebehandelaar, 7 support
WORKERS_PER_TEAM = CASEMANAGERS + 2
CONTACT_SPACING_DAYS = 14  # 50 contacts ≈ two years
TIMED_REQUESTS = 30
SLUG = "bench-caseload"  # teams bench-caseload-0 …, users bench.caseload.0.1 …
CONTACT_TABLES = ("caseload_contact", "caseload_contactworker")
ANALYZE = (
    "olteams_team",
    "olteams_user",
    "olteams_membership",
    "clients_client",
    "clients_careepisode",
    "clients_phasetransition",
    "clients_assignment",
    "caseload_contact",
    "caseload_contactworker",
)

# Deterministic mixes, indexed by a hash of the row number.
KINDS = (
    [ContactKind.HOME] * 7
    + [ContactKind.PHONE] * 5
    + [ContactKind.TEAM_LOCATION] * 3
    + [ContactKind.NEIGHBOURHOOD] * 2
    + [ContactKind.VIDEO, ContactKind.WRITTEN, ContactKind.GROUP, ContactKind.MDO]
)
NOTES = (
    "Huisbezoek. Cliënt oogt rustiger dan vorige keer. Gesproken over dagstructuur en slaap. "
    "Afspraak: volgende week zelfde tijd.",
    "Telefonisch contact. Stemming wisselend; cliënt geeft aan het zwaar te hebben. "
    "Signaleringsplan doorgenomen.",
    "Gesprek op de teamlocatie. Medicatie wordt volgens afspraak ingenomen. Terugvalpreventie "
    "besproken.",
    "Samen boodschappen gedaan. Budget en schulden doorgenomen. Cliënt belt zelf als het "
    "minder gaat.",
    "Besproken in het MDO. Vervolg Wmo-ondersteuning afgestemd met de begeleiding.",
)
TRAVELLED = frozenset({ContactKind.HOME, ContactKind.NEIGHBOURHOOD})
TEAM_COLUMNS = [
    "id",
    "name",
    "slug",
    "neighbourhoods",
    "address",
    "postcode",
    "city",
    "phone",
    "email",
    "cost_centre",
    "started_on",
]
USER_COLUMNS = [
    "id",
    "password",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "is_stuurgroep",
    "is_functional_admin",
    "is_privacy_officer",
]
MEMBERSHIP_COLUMNS = [
    "user_id",
    "team_id",
    "organisation_id",
    "discipline",
    "role",
    "fte",
    "valid_from",
    "valid_to",
]
CLIENT_COLUMNS = [
    "id",
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
EPISODE_COLUMNS = [
    "id",
    "client_id",
    "phase",
    "started_on",
    "outflow_reason",
    "outflow_destination",
    "plan_review_required",
    "created_at",
]
TRANSITION_COLUMNS = ["episode_id", "from_phase", "to_phase", "on", "by_id", "note", "created_at"]
ASSIGNMENT_COLUMNS = ["client_id", "worker_id", "role", "start_date", "end_date"]
CONTACT_COLUMNS = model_columns(Contact)
WORKER_COLUMNS = model_columns(ContactWorker, exclude=("id",))


@dataclass(frozen=True)
class Layout:
    """Where one load's rows live: first ids of each table, the organisations, the day."""

    clients: int
    contacts_per_client: int
    first_team_number: int  # teams are numbered across loads (slug suffix)
    team_id: int  # first id of this load's teams
    user_id: int
    client_id: int
    episode_id: int
    contact_id: int
    ggz_id: int
    support_id: int
    today: dt.date

    @property
    def teams(self) -> int:
        return math.ceil(self.clients / TEAM_CLIENTS)

    @property
    def contacts(self) -> int:
        return self.clients * self.contacts_per_client

    def worker(self, team: int, number: int) -> int:
        return self.user_id + team * WORKERS_PER_TEAM + number

    def care_team(self, client: int) -> tuple[int, int, int, int]:
        """(team id, casemanager, regiebehandelaar, support worker) of the n-th client."""
        team, position = divmod(client, TEAM_CLIENTS)
        return (
            self.team_id + team,
            self.worker(team, 1 + position % CASEMANAGERS),
            self.worker(team, 0),
            self.worker(team, WORKERS_PER_TEAM - 1),
        )


@dataclass(frozen=True)
class LoadStats:
    seconds: float
    contacts: int
    contact_workers: int


def _reserve(table: str, count: int) -> int:
    """The first of ``count`` consecutive fresh ids of ``table`` (its identity sequence is
    moved past them; nothing else writes to the bench database meanwhile)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'),"
            " nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, max(count, 1)],
        )
        last = cursor.fetchone()[0]
    return last - max(count, 1) + 1


def _mix(client: int, number: int) -> int:
    """A cheap deterministic hash of (client, contact number) that picks the row's values."""
    return ((client * 2_654_435_761) ^ (number * 40_503 + 0x9E37)) & 0xFFFFFFFF


def _contact_day(layout: Layout, client: int, number: int) -> dt.date:
    return layout.today - dt.timedelta(
        days=1 + number * CONTACT_SPACING_DAYS + client % CONTACT_SPACING_DAYS
    )


def _author(layout: Layout, client: int, h: int) -> tuple[int, str, str]:
    """(worker, discipline, organisation kind) of a contact: 70% casemanager, 15% the
    regiebehandelaar, 15% the support worker."""
    _team, casemanager, regie, support = layout.care_team(client)
    pick = h % 20
    if pick < 14:
        return casemanager, Discipline.CASEMANAGER, OrganisationKind.GGZ
    if pick < 17:
        return regie, Discipline.PSYCHIATER, OrganisationKind.GGZ
    return support, Discipline.AMBULANT_BEGELEIDER, OrganisationKind.BEGELEIDING


def _team_rows(layout: Layout) -> Iterator[tuple[Any, ...]]:
    for i in range(layout.teams):
        number = layout.first_team_number + i
        yield (
            layout.team_id + i,
            f"Bench team {number}",
            f"{SLUG}-{number}",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            dt.date(2020, 1, 1),
        )


def _user_rows(layout: Layout) -> Iterator[tuple[Any, ...]]:
    now = timezone.now()
    for i in range(layout.teams):
        for w in range(WORKERS_PER_TEAM):
            number = layout.first_team_number + i
            yield (
                layout.worker(i, w),
                "!",  # no usable password
                False,
                f"bench.caseload.{number}.{w}",
                f"Werker{w}",
                f"Team{number}",
                "",
                False,
                True,
                now,
                False,
                False,
                False,
            )


def _membership_rows(layout: Layout) -> Iterator[tuple[Any, ...]]:
    since = dt.date(2020, 1, 1)
    for i in range(layout.teams):
        team = layout.team_id + i
        for w in range(WORKERS_PER_TEAM):
            org, discipline = layout.ggz_id, Discipline.CASEMANAGER
            if w == 0:
                discipline = Discipline.PSYCHIATER
            elif w == WORKERS_PER_TEAM - 1:
                org, discipline = layout.support_id, Discipline.AMBULANT_BEGELEIDER
            yield (layout.worker(i, w), team, org, discipline, TeamRole.MEMBER, 0.8, since, None)


def _client_rows(layout: Layout) -> Iterator[tuple[Any, ...]]:
    now = timezone.now()
    born = dt.date(1940, 1, 1)
    for n in range(layout.clients):
        pk = layout.client_id + n
        yield (
            pk,
            layout.care_team(n)[0],
            "",
            f"Voornaam{pk % 997}",
            "",
            f"Caseload{pk:08d}",
            born + dt.timedelta(days=pk % 25_000),
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


def _episode_start(layout: Layout) -> dt.date:
    return layout.today - dt.timedelta(
        days=2 + layout.contacts_per_client * CONTACT_SPACING_DAYS + CONTACT_SPACING_DAYS
    )


def _episode_rows(layout: Layout) -> Iterator[tuple[Any, ...]]:
    now, start = timezone.now(), _episode_start(layout)
    for n in range(layout.clients):
        yield (layout.episode_id + n, layout.client_id + n, "in_zorg", start, "", "", False, now)


def _transition_rows(layout: Layout) -> Iterator[tuple[Any, ...]]:
    now, start = timezone.now(), _episode_start(layout)
    for n in range(layout.clients):
        casemanager = layout.care_team(n)[1]
        yield (layout.episode_id + n, "", "in_zorg", start, casemanager, "Intake afgerond", now)


def _assignment_rows(layout: Layout) -> Iterator[tuple[Any, ...]]:
    start = _episode_start(layout)
    for n in range(layout.clients):
        _team, casemanager, regie, _support = layout.care_team(n)
        yield (layout.client_id + n, casemanager, "casemanager", start, None)
        yield (layout.client_id + n, regie, "regiebehandelaar", start, None)


def _contact_rows(layout: Layout) -> Iterator[tuple[Any, ...]]:
    now = timezone.now()
    zone = timezone.get_default_timezone()
    pk = layout.contact_id
    for n in range(layout.clients):
        team = layout.care_team(n)[0]
        client = layout.client_id + n
        for j in range(layout.contacts_per_client):
            h = _mix(n, j)
            day = _contact_day(layout, n, j)
            worker, discipline, _kind = _author(layout, n, h)
            kind = KINDS[h % len(KINDS)]
            treatment = discipline != Discipline.AMBULANT_BEGELEIDER
            proposed = ContactFunding.ZVW if treatment else ContactFunding.LIJNTJE_HOUDEN
            yield (
                pk,
                client,
                team,
                dt.datetime(
                    day.year, day.month, day.day, 9 + h % 8, (h >> 3) % 4 * 15, tzinfo=zone
                ),
                day,
                15 + (h >> 5) % 16 * 5,
                (h >> 9) % 9 * 5 if kind in TRAVELLED else 0,
                kind,
                (h >> 13) % 10 == 0,
                NOTES[(h >> 16) % len(NOTES)],
                DataCategory.GGZ_TREATMENT if treatment else DataCategory.WMO_SUPPORT,
                "" if (h >> 20) % 20 == 0 else proposed,
                proposed,
                worker,
                now,
                now,
            )
            pk += 1


def _worker_rows(layout: Layout) -> Iterator[tuple[Any, ...]]:
    """The author of every contact and, at 30% of them, a second worker of the care team."""
    pk = layout.contact_id
    for n in range(layout.clients):
        _team, casemanager, regie, _support = layout.care_team(n)
        for j in range(layout.contacts_per_client):
            h = _mix(n, j)
            worker, discipline, kind = _author(layout, n, h)
            org = layout.support_id if kind == OrganisationKind.BEGELEIDING else layout.ggz_id
            yield (pk, worker, org, discipline)
            if (h >> 24) % 10 < 3:
                if worker == casemanager:
                    yield (pk, regie, layout.ggz_id, Discipline.PSYCHIATER)
                else:
                    yield (pk, casemanager, layout.ggz_id, Discipline.CASEMANAGER)
            pk += 1


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@contextlib.contextmanager
def indexes_built_afterwards(tables: Sequence[str]) -> Iterator[None]:
    """Drop the secondary indexes, unique constraints and foreign keys of ``tables`` for a
    bulk load and build them again afterwards (foreign keys NOT VALID: not re-checked).
    Primary keys stay. Run inside a transaction: a rollback restores the originals.

    Only a table's owner may drop its indexes: connected as the runtime role (which owns no
    table, docs/operations.md), the rows are loaded with the indexes in place."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT bool_and(pg_has_role(current_user, tableowner, 'USAGE')) FROM pg_tables"
            " WHERE tablename = ANY(%s)",
            [list(tables)],
        )
        (owner,) = cursor.fetchone()
    if not owner:
        yield
        return
    constraints = _fetch(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype"
        " FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u')"
        " ORDER BY contype, conname",
        [list(tables)],
    )
    indexes = _fetch(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
        " ORDER BY 1",
        [list(tables)],
    )
    with connection.cursor() as cursor:
        # Django's foreign keys are deferred: the checks queued by the rows loaded so far
        # run now, or PostgreSQL refuses to alter the referenced tables.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _definition, _kind in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, definition, kind in sorted(constraints, key=lambda c: c[3] != "u"):
            suffix = " NOT VALID" if kind == "f" else ""
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}{suffix}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's default again


def organisations() -> tuple[int, int]:
    ggz, _ = Organisation.objects.get_or_create(
        short_name="BENCHCL-GGZ", defaults={"name": "Bench GGZ caseload", "kind": "ggz"}
    )
    support, _ = Organisation.objects.get_or_create(
        short_name="BENCHCL-BEG",
        defaults={"name": "Bench begeleiding caseload", "kind": OrganisationKind.BEGELEIDING},
    )
    return ggz.pk, support.pk


def load(
    *,
    clients: int,
    contacts_per_client: int,
    first_team_number: int,
    ggz_id: int,
    support_id: int,
    today: dt.date,
) -> tuple[Layout, LoadStats]:
    """COPY-load ``clients`` clients in new teams of 150, each with ``contacts_per_client``
    contacts; returns where the rows are and how long the load took (indexes included)."""
    started = time.perf_counter()
    teams = math.ceil(clients / TEAM_CLIENTS)
    contacts = clients * contacts_per_client
    layout = Layout(
        clients=clients,
        contacts_per_client=contacts_per_client,
        first_team_number=first_team_number,
        team_id=_reserve("olteams_team", teams),
        user_id=_reserve("olteams_user", teams * WORKERS_PER_TEAM),
        client_id=_reserve("clients_client", clients),
        episode_id=_reserve("clients_careepisode", clients),
        contact_id=_reserve("caseload_contact", contacts),
        ggz_id=ggz_id,
        support_id=support_id,
        today=today,
    )
    copy_rows("olteams_team", TEAM_COLUMNS, _team_rows(layout))
    copy_rows("olteams_user", USER_COLUMNS, _user_rows(layout))
    copy_rows("olteams_membership", MEMBERSHIP_COLUMNS, _membership_rows(layout))
    copy_rows("clients_client", CLIENT_COLUMNS, _client_rows(layout))
    copy_rows("clients_careepisode", EPISODE_COLUMNS, _episode_rows(layout))
    copy_rows("clients_phasetransition", TRANSITION_COLUMNS, _transition_rows(layout))
    copy_rows("clients_assignment", ASSIGNMENT_COLUMNS, _assignment_rows(layout))
    with indexes_built_afterwards(CONTACT_TABLES):
        written = copy_rows("caseload_contact", CONTACT_COLUMNS, _contact_rows(layout))
        workers = copy_rows("caseload_contactworker", WORKER_COLUMNS, _worker_rows(layout))
    with connection.cursor() as cursor:
        for table in ANALYZE:
            cursor.execute(f"ANALYZE {table}")
    return layout, LoadStats(time.perf_counter() - started, written, workers)


@dataclass(frozen=True)
class Measurement:
    queries: int
    median_ms: float
    p95_ms: float
    sql_ms: float  # median time spent in the database per request


class _SqlTimer:
    """``connection.execute_wrapper``: adds up the time of every statement."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def measure(user: User, url: str, requests: int = TIMED_REQUESTS) -> Measurement:
    http = verified_client(user)
    warm = http.get(url)  # caches, session
    if warm.status_code != 200:
        raise RuntimeError(f"{url} answered {warm.status_code}")
    with CaptureQueriesContext(connection) as queries:
        http.get(url)
    count = len(queries)  # now: the next request's reset_queries empties the log
    timings, in_sql = [], []
    timer = _SqlTimer()
    with connection.execute_wrapper(timer):
        for _ in range(requests):
            timer.seconds = 0.0
            started = time.perf_counter()
            http.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            in_sql.append(timer.seconds * 1000)
    p95 = statistics.quantiles(timings, n=20)[18] if len(timings) > 1 else timings[0]
    return Measurement(count, statistics.median(timings), p95, statistics.median(in_sql))


def _scenarios(layout: Layout) -> list[tuple[str, User, str]]:
    """Pages of users of the first team, whose data is the same at every size."""
    casemanager = User.objects.get(pk=layout.worker(0, 1))
    regie = User.objects.get(pk=layout.worker(0, 0))
    client_file = reverse("caseload:client-file", kwargs={"client_id": layout.client_id})
    mine = reverse("caseload:my-caseload")
    per_casemanager = math.ceil(min(layout.clients, TEAM_CLIENTS) / CASEMANAGERS)
    return [
        (
            f"client file (1 client, {layout.contacts_per_client} contacts)",
            casemanager,
            client_file,
        ),
        (f"my caseload, casemanager ({per_casemanager} clients)", casemanager, mine),
        (
            f"my caseload, regiebehandelaar ({min(layout.clients, TEAM_CLIENTS)} clients)",
            regie,
            mine,
        ),
    ]


def _vacuum() -> None:
    """Give back the disk space of the rolled-back rows (outside any transaction): VACUUM
    empties the heaps, REINDEX shrinks the primary keys that took the loaded ids."""
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for table in ANALYZE:  # every table the load wrote to
            cursor.execute(f"VACUUM {table}")
            cursor.execute(f"REINDEX TABLE {table}")


# Issue 15: the client file at the largest size.
CLIENT_FILE_MEDIAN_MS = 25.0
CLIENT_FILE_QUERIES = 20
CLIENT_FILE_RATIO = 1.3


def _thresholds(medians: dict[str, list[float]], queries: dict[str, list[int]]) -> list[str]:
    label = next((name for name in medians if name.startswith("client file")), None)
    if label is None or len(medians[label]) < 2:
        return []
    median, ratio = medians[label][-1], medians[label][-1] / medians[label][0]
    count = max(queries[label])
    checks = [
        (
            f"median {median:.1f} ms ≤ {CLIENT_FILE_MEDIAN_MS:.0f} ms",
            median <= CLIENT_FILE_MEDIAN_MS,
        ),
        (f"{count} queries ≤ {CLIENT_FILE_QUERIES}", count <= CLIENT_FILE_QUERIES),
        (f"ratio {ratio:.2f} ≤ {CLIENT_FILE_RATIO}", ratio <= CLIENT_FILE_RATIO),
    ]
    text = "; ".join(f"{what}: {'met' if ok else 'MISSED'}" for what, ok in checks)
    return [f"Thresholds of issue 15 for the client file at {SIZES[-1]:,} clients: {text}."]


@benchmark("caseload-pages-scale", title="Client file and my caseload at 1k and 300k clients")
def caseload_pages_scale() -> Result:
    today = timezone.localdate()
    rows: list[list[str]] = []
    medians: dict[str, list[float]] = {}
    in_sql: dict[str, list[float]] = {}
    queries: dict[str, list[int]] = {}
    loads: list[str] = []
    with transaction.atomic():
        ggz_id, support_id = organisations()
        first: Layout | None = None
        loaded = teams = 0
        for size in SIZES:
            layout, stats = load(
                clients=size - loaded,
                contacts_per_client=CONTACTS_PER_CLIENT,
                first_team_number=teams,
                ggz_id=ggz_id,
                support_id=support_id,
                today=today,
            )
            loaded, teams = size, teams + layout.teams
            first = first or layout
            loads.append(
                f"{stats.contacts:,} contacts and {stats.contact_workers:,} ContactWorker rows "
                f"(clients up to {size:,}) loaded in {stats.seconds:.0f} s"
            )
            print(f"bench: caseload: {loads[-1]}", flush=True)
            for label, user, url in _scenarios(first):
                m = measure(user, url)
                medians.setdefault(label, []).append(m.median_ms)
                in_sql.setdefault(label, []).append(m.sql_ms)
                queries.setdefault(label, []).append(m.queries)
                rows.append(
                    [
                        label,
                        f"{size:,}",
                        f"{size * CONTACTS_PER_CLIENT:,}",
                        str(m.queries),
                        f"{m.median_ms:.1f} ms",
                        f"{m.p95_ms:.1f} ms",
                        f"{m.sql_ms:.1f} ms",
                    ]
                )
        transaction.set_rollback(True)
    _vacuum()
    notes = [
        f"Ratio {SIZES[-1]:,}/{SIZES[0]:,}, {label}: {values[-1] / values[0]:.2f}x median "
        f"time, {in_sql[label][-1] / max(in_sql[label][0], 0.001):.2f}x database time"
        for label, values in medians.items()
    ]
    notes += _thresholds(medians, queries)
    notes += [f"Load: {text}." for text in loads]
    notes.append(
        "Median in SQL: the time per request spent executing statements (timed with "
        "connection.execute_wrapper); the rest is Python, templates and middleware, which do "
        "not depend on the size of the database. The machine is shared (see its load "
        "average), so a few milliseconds either way are noise."
    )
    notes.append(
        "The contact tables' secondary indexes and foreign keys are dropped for the COPY and "
        "built again before the measurement; every client-file request also writes one READ "
        "audit event."
    )
    return Result(
        what=(
            "Median and 95th-percentile in-process time, database time and query count of GET "
            "caseload:client-file and caseload:my-caseload for a signed-in team member of "
            "the first team (Django test client, full middleware stack, 2FA passed)."
        ),
        size=(
            f"teams of {TEAM_CLIENTS} clients with {WORKERS_PER_TEAM} workers; "
            f"{CONTACTS_PER_CLIENT} contacts per client over two years; sizes "
            f"{', '.join(f'{s:,}' for s in SIZES)} clients; {TIMED_REQUESTS} timed requests "
            "per page after a warm-up; COPY-loaded and rolled back afterwards"
        ),
        columns=["Page", "Clients", "Contacts", "Queries", "Median", "p95", "Median in SQL"],
        rows=rows,
        notes=notes,
    )
