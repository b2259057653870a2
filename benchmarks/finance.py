"""Monthly accounts for 2,000 teams: the service against bare aggregate SQL, and PDF render time.

One month of a national roll-out is COPY-loaded (``benchmarks.copyload``) inside one
transaction that is rolled back at the end: 2,000 teams of ~150 clients in care, ~15
memberships per team with FTE, ~20 contacts per client in the month (each with its
ContactWorker rows, every tenth with a second worker), non-client time and consultations,
plus the dated financial data (tariffs, cost rates, housing, overhead, subsidies).

Then, in the same run and on the same rows:

(a) ``finance.services.accounts.accounts_compute_month`` for the month (every team and the
    consolidated account), through the service as the monthly Celery job calls it;
(b) hand-written GROUP BY queries that produce the same per-team figures (clients in care at
    month end, direct hours, revenue per stream, personnel cost) straight from the rows;
(c) the PDF of a few team accounts through ``finance.pdf``: seconds per team.

``FINANCE_BENCH_TEAMS``, ``FINANCE_BENCH_CONTACTS`` (per client) change the size for a quick
try; the report is only meaningful at the defaults.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from benchmarks.copyload import copy_rows, model_columns
from benchmarks.registry import Result, benchmark
from caseload.constants import ContactFunding
from caseload.models import Contact
from olteams.constants import DataCategory, Discipline, OrganisationKind, TeamRole

MONTH = dt.date(2026, 3, 1)
MONTH_END = dt.date(2026, 3, 31)
MEMBERS_SINCE = dt.date(2025, 1, 1)
CLIENTS_SINCE = dt.date(2025, 6, 1)
MUNICIPALITIES = 20
PDF_TEAMS = 10

# The formation of every bench team: 15 posts (discipline, organisation key, FTE).
FORMATION: list[tuple[str, str, Decimal]] = [
    (Discipline.PROJECTLEIDER, "ggz", Decimal("0.80")),
    (Discipline.PSYCHIATER, "ggz", Decimal("0.60")),
    (Discipline.GZ_PSYCHOLOOG, "ggz", Decimal("0.80")),
    (Discipline.VERPLEEGKUNDIG_SPECIALIST, "ggz", Decimal("0.70")),
    (Discipline.SPV, "ggz", Decimal("0.80")),
    (Discipline.CASEMANAGER, "ggz", Decimal("0.90")),
    (Discipline.CASEMANAGER, "ggz", Decimal("0.90")),
    (Discipline.CASEMANAGER, "ggz", Decimal("0.80")),
    (Discipline.VERSLAVINGSZORG_MEDEWERKER, "vnn", Decimal("0.80")),
    (Discipline.AMBULANT_BEGELEIDER, "begeleiding", Decimal("0.90")),
    (Discipline.AMBULANT_BEGELEIDER, "begeleiding", Decimal("0.80")),
    (Discipline.MAATSCHAPPELIJK_WERKER, "welzijn", Decimal("0.60")),
    (Discipline.ERVARINGSDESKUNDIGE, "ggz", Decimal("0.80")),
    (Discipline.IPS, "ggz", Decimal("0.50")),
    (Discipline.SECRETARIAAT, "ggz", Decimal("0.80")),
]
# Which posts (indexes into FORMATION) register contacts of which funding stream.
WORKERS_FOR = {
    ContactFunding.ZVW: [1, 2, 3, 4, 5, 6, 7, 8],
    ContactFunding.WMO: [9, 10, 11, 5],
    ContactFunding.WLZ: [9, 10],
    "": [12, 13],
    ContactFunding.LIJNTJE_HOUDEN: [5, 6, 7, 12],
}
# One cycle of 20 contacts: funding stream and duration in minutes.
CONTACT_CYCLE: list[tuple[str, int]] = [
    (ContactFunding.ZVW, 45),
    (ContactFunding.WMO, 60),
    (ContactFunding.ZVW, 30),
    (ContactFunding.ZVW, 15),
    (ContactFunding.WMO, 90),
    (ContactFunding.ZVW, 60),
    (ContactFunding.WLZ, 60),
    (ContactFunding.ZVW, 25),
    (ContactFunding.WMO, 45),
    (ContactFunding.LIJNTJE_HOUDEN, 10),
    (ContactFunding.ZVW, 50),
    (ContactFunding.ZVW, 75),
    (ContactFunding.WMO, 30),
    (ContactFunding.ZVW, 20),
    ("", 30),
    (ContactFunding.ZVW, 45),
    (ContactFunding.WMO, 120),
    (ContactFunding.ZVW, 95),
    (ContactFunding.ZVW, 5),
    (ContactFunding.WMO, 60),
]
ZVW_CLASSES = [(5, 14), (15, 29), (30, 44), (45, 59), (60, 74), (75, 89), (90, None)]
ZVW_BASE = {  # consult tariff of the class 30-44 minutes per treatment discipline
    Discipline.PSYCHIATER: Decimal("215.00"),
    Discipline.VERSLAVINGSARTS: Decimal("205.00"),
    Discipline.GZ_PSYCHOLOOG: Decimal("165.00"),
    Discipline.VERPLEEGKUNDIG_SPECIALIST: Decimal("150.00"),
    Discipline.SPV: Decimal("128.00"),
    Discipline.VERPLEEGKUNDIGE: Decimal("118.00"),
    Discipline.CASEMANAGER: Decimal("118.00"),
    Discipline.VERSLAVINGSZORG_MEDEWERKER: Decimal("118.00"),
}
ZVW_FACTOR = [Decimal(f) for f in ("0.32", "0.62", "1", "1.32", "1.65", "1.95", "2.45")]
COST_PER_FTE = {  # per month, GGZ; other organisations a little lower
    Discipline.PROJECTLEIDER: Decimal("7800"),
    Discipline.PSYCHIATER: Decimal("14000"),
    Discipline.GZ_PSYCHOLOOG: Decimal("8500"),
    Discipline.VERPLEEGKUNDIG_SPECIALIST: Decimal("8800"),
    Discipline.SPV: Decimal("7000"),
    Discipline.CASEMANAGER: Decimal("6500"),
    Discipline.VERSLAVINGSZORG_MEDEWERKER: Decimal("6200"),
    Discipline.AMBULANT_BEGELEIDER: Decimal("5400"),
    Discipline.MAATSCHAPPELIJK_WERKER: Decimal("5900"),
    Discipline.ERVARINGSDESKUNDIGE: Decimal("4800"),
    Discipline.IPS: Decimal("5800"),
    Discipline.SECRETARIAAT: Decimal("4600"),
}


@dataclass(frozen=True)
class Size:
    teams: int = int(os.environ.get("FINANCE_BENCH_TEAMS", "2000"))
    clients_per_team: int = 150
    contacts_per_client: int = int(os.environ.get("FINANCE_BENCH_CONTACTS", "20"))
    inflow_per_team: int = 4  # of the clients: in care from a day in the month
    outflow_per_team: int = 3  # extra clients who left care in the month
    nonclient_per_member: int = 6
    consultations_per_team: int = 3


@dataclass
class Loaded:
    team_ids: list[int]
    organisation_ids: dict[str, int]
    municipality_ids: list[int]
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608 — fixed names
        return int(cursor.fetchone()[0])


def _sync_sequence(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
            f" (SELECT coalesce(max(id), 1) FROM {table}))"
        )


class _Loader:
    def __init__(self, size: Size, loaded: Loaded) -> None:
        self.size = size
        self.loaded = loaded
        self.now = timezone.now()

    def copy(self, table: str, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> None:
        started = time.perf_counter()
        written = copy_rows(table, columns, rows)
        self.loaded.rows[table] = self.loaded.rows.get(table, 0) + written
        self.loaded.seconds[table] = self.loaded.seconds.get(table, 0.0) + (
            time.perf_counter() - started
        )


def _create_places(loader: _Loader, size: Size) -> tuple[dict[str, int], list[int], list[int]]:
    from olteams.models import Municipality, Organisation

    organisations = {
        key: Organisation.objects.create(
            name=f"Bench {key}", short_name=f"BFIN-{key}"[:20], kind=kind
        ).pk
        for key, kind in (
            ("ggz", OrganisationKind.GGZ),
            ("vnn", OrganisationKind.VERSLAVINGSZORG),
            ("begeleiding", OrganisationKind.BEGELEIDING),
            ("welzijn", OrganisationKind.WELZIJN),
        )
    }
    municipalities = [
        Municipality.objects.create(name=f"Benchgemeente {n:02d}", cbs_code=f"9{n:03d}").pk
        for n in range(MUNICIPALITIES)
    ]
    first_team = _next_id("olteams_team")
    team_ids = list(range(first_team, first_team + size.teams))
    loader.copy(
        "olteams_team",
        [
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
        ],
        (
            (
                tid,
                f"Benchteam {n:05d}",
                f"bench-fin-{n:05d}",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                MEMBERS_SINCE,
            )
            for n, tid in enumerate(team_ids)
        ),
    )
    _sync_sequence("olteams_team")
    loader.copy(
        "olteams_team_municipalities",
        ["team_id", "municipality_id"],
        ((tid, municipalities[n % MUNICIPALITIES]) for n, tid in enumerate(team_ids)),
    )
    return organisations, municipalities, team_ids


def _load_staff(loader: _Loader, size: Size, team_ids: list[int], orgs: dict[str, int]) -> int:
    """Users and memberships; returns the id of the first bench user (user id of post p of
    team n is first + n * len(FORMATION) + p)."""
    first_user = _next_id("olteams_user")
    posts = len(FORMATION)
    loader.copy(
        "olteams_user",
        [
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
        ],
        (
            (
                first_user + n * posts + p,
                "!",
                False,
                f"bench.fin.{n}.{p}",
                "Bench",
                f"Medewerker {n}.{p}",
                "",
                False,
                True,
                loader.now,
                False,
                False,
                False,
            )
            for n in range(len(team_ids))
            for p in range(posts)
        ),
    )
    _sync_sequence("olteams_user")
    loader.copy(
        "olteams_membership",
        ["user_id", "team_id", "organisation_id", "discipline", "role", "fte", "valid_from"],
        (
            (
                first_user + n * posts + p,
                tid,
                orgs[org],
                discipline,
                TeamRole.LEAD if p == 0 else TeamRole.MEMBER,
                fte,
                MEMBERS_SINCE,
            )
            for n, tid in enumerate(team_ids)
            for p, (discipline, org, fte) in enumerate(FORMATION)
        ),
    )
    return first_user


def _load_clients(
    loader: _Loader, size: Size, team_ids: list[int], municipalities: list[int], first_user: int
) -> int:
    """Clients in care (a few from a day in the month) and a few who left care in it.

    Client ``k`` of team ``n`` has id first + n * per_team + k; the first ``clients_per_team``
    are in care at month end, the last ``outflow_per_team`` left in the month."""
    per_team = size.clients_per_team + size.outflow_per_team
    first_client = _next_id("clients_client")
    loader.copy(
        "clients_client",
        [
            "id",
            "team_id",
            "municipality_id",
            "initials",
            "first_name",
            "name_prefix",
            "last_name",
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
        ],
        (
            (
                first_client + n * per_team + k,
                tid,
                municipalities[n % MUNICIPALITIES],
                "",
                "Bench",
                "",
                f"Client {n}.{k}",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                loader.now,
                loader.now,
            )
            for n, tid in enumerate(team_ids)
            for k in range(per_team)
        ),
    )
    _sync_sequence("clients_client")

    def started(k: int) -> dt.date:
        if k < size.inflow_per_team:  # inflow: in care from a day in the month
            return MONTH + dt.timedelta(days=3 + 5 * k)
        return CLIENTS_SINCE + dt.timedelta(days=k % 200)

    first_episode = _next_id("clients_careepisode")
    loader.copy(
        "clients_careepisode",
        [
            "id",
            "client_id",
            "phase",
            "started_on",
            "ended_on",
            "outflow_reason",
            "outflow_destination",
            "plan_review_required",
            "created_at",
        ],
        (
            (
                first_episode + n * per_team + k,
                first_client + n * per_team + k,
                "in_zorg" if k < size.clients_per_team else "uitgestroomd",
                started(k),
                None if k < size.clients_per_team else MONTH + dt.timedelta(days=10 + k % 15),
                "" if k < size.clients_per_team else "doelen_bereikt",
                "",
                False,
                loader.now,
            )
            for n, _tid in enumerate(team_ids)
            for k in range(per_team)
        ),
    )
    _sync_sequence("clients_careepisode")

    def transitions() -> Iterator[tuple[Any, ...]]:
        for n, _tid in enumerate(team_ids):
            author = first_user + n * len(FORMATION) + 5
            for k in range(per_team):
                episode = first_episode + n * per_team + k
                on = started(k)
                yield (episode, "intake", "in_zorg", on, author, "", loader.now)
                if k >= size.clients_per_team:
                    left = MONTH + dt.timedelta(days=10 + k % 15)
                    yield (episode, "in_zorg", "uitgestroomd", left, author, "", loader.now)

    loader.copy(
        "clients_phasetransition",
        ["episode_id", "from_phase", "to_phase", "on", "by_id", "note", "created_at"],
        transitions(),
    )
    return first_client


def _load_contacts(
    loader: _Loader,
    size: Size,
    team_ids: list[int],
    orgs: dict[str, int],
    first_user: int,
    first_client: int,
) -> None:
    per_team = size.clients_per_team + size.outflow_per_team
    posts = len(FORMATION)
    first_contact = _next_id("caseload_contact")
    tz = timezone.get_current_timezone()
    days = (MONTH_END - MONTH).days + 1
    org_of = [orgs[org] for _, org, _ in FORMATION]
    discipline_of = [discipline for discipline, _, _ in FORMATION]

    def plan() -> Iterator[tuple[int, int, int, int, dt.date, str, int, int]]:
        """(contact id, team, client, worker post, date, funding, minutes, team index)"""
        contact_id = first_contact
        for n, tid in enumerate(team_ids):
            for k in range(per_team):
                client = first_client + n * per_team + k
                first_day = 3 + 5 * k if k < size.inflow_per_team else 0
                last_day = 10 + k % 15 if k >= size.clients_per_team else days - 1
                span = last_day - first_day + 1
                for c in range(size.contacts_per_client):
                    funding, minutes = CONTACT_CYCLE[(k + c) % len(CONTACT_CYCLE)]
                    workers = WORKERS_FOR[funding]
                    post = workers[(k + c) % len(workers)]
                    day = MONTH + dt.timedelta(days=first_day + (c * 7 + k) % span)
                    yield contact_id, tid, client, post, day, funding, minutes, n
                    contact_id += 1

    contact_columns = model_columns(Contact)
    starts = {
        MONTH + dt.timedelta(days=d): dt.datetime.combine(
            MONTH + dt.timedelta(days=d), dt.time(10), tzinfo=tz
        )
        for d in range(days)
    }
    now = loader.now
    loader.copy(
        "caseload_contact",
        contact_columns,
        (
            (
                cid,
                client,
                tid,
                starts[day],
                day,
                minutes,
                15 if cid % 3 == 0 else 0,
                "huisbezoek" if cid % 2 else "telefoon",
                False,
                "",
                DataCategory.WMO_SUPPORT
                if funding == ContactFunding.WMO
                else DataCategory.GGZ_TREATMENT,
                funding,
                "",
                first_user + n * posts + post,
                now,
                now,
            )
            for cid, tid, client, post, day, funding, minutes, n in plan()
        ),
    )
    _sync_sequence("caseload_contact")

    def presences() -> Iterator[tuple[int, int, int, str]]:
        for cid, _tid, _client, post, _day, _funding, _minutes, n in plan():
            yield cid, first_user + n * posts + post, org_of[post], discipline_of[post]
            if cid % 10 == 0:  # a second worker at every tenth contact
                second = 5 if post != 5 else 6
                yield cid, first_user + n * posts + second, org_of[second], discipline_of[second]

    loader.copy(
        "caseload_contactworker",
        ["contact_id", "worker_id", "organisation_id", "discipline"],
        presences(),
    )

    codes = ["1", "2", "3", "5", "6", "2"]
    loader.copy(
        "caseload_nonclienttime",
        [
            "worker_id",
            "team_id",
            "organisation_id",
            "discipline",
            "date",
            "minutes",
            "code",
            "target",
            "explanation",
            "created_by_id",
            "created_at",
        ],
        (
            (
                first_user + n * posts + p,
                tid,
                org_of[p],
                discipline_of[p],
                MONTH + dt.timedelta(days=(3 * i + p) % days),
                60 + 30 * ((i + p) % 5),
                codes[i % len(codes)],
                "",
                "",
                first_user + n * posts + p,
                now,
            )
            for n, tid in enumerate(team_ids)
            for p in range(posts)
            for i in range(size.nonclient_per_member)
        ),
    )
    loader.copy(
        "caseload_consultation",
        [
            "team_id",
            "worker_id",
            "organisation_id",
            "discipline",
            "date",
            "requester_kind",
            "requester_name",
            "about",
            "minutes",
            "note",
            "created_at",
        ],
        (
            (
                tid,
                first_user + n * posts + 1,
                org_of[1],
                discipline_of[1],
                MONTH + dt.timedelta(days=7 * i),
                "huisarts",
                "",
                "man, 40",
                30,
                "",
                now,
            )
            for n, tid in enumerate(team_ids)
            for i in range(size.consultations_per_team)
        ),
    )


def _load_finance(
    loader: _Loader, team_ids: list[int], orgs: dict[str, int], municipalities: list[int]
) -> None:
    tariffs: list[tuple[Any, ...]] = []
    for discipline, base in ZVW_BASE.items():
        for (low, high), class_factor in zip(ZVW_CLASSES, ZVW_FACTOR, strict=True):
            tariffs.append(
                (
                    "zvw_consult",
                    "zvw",
                    "consult",
                    None,
                    None,
                    discipline,
                    low,
                    high,
                    base * class_factor,
                )
            )
    for n, municipality in enumerate(municipalities):
        tariffs.append(
            ("wmo_uur", "wmo", "uur", municipality, None, "", None, None, Decimal(60 + n % 10))
        )
    tariffs.append(("wlz_uur", "wlz", "uur", None, None, "", None, None, Decimal("72.50")))
    loader.copy(
        "finance_tariff",
        [
            "kind",
            "funding_stream",
            "unit",
            "municipality_id",
            "team_id",
            "discipline",
            "min_minutes",
            "max_minutes",
            "amount",
            "valid_from",
            "note",
            "created_at",
        ],
        ((*t[:3], t[3], t[4], *t[5:], MEMBERS_SINCE, "", loader.now) for t in tariffs),
    )
    factor: dict[str, Decimal] = {
        "ggz": Decimal("1"),
        "vnn": Decimal("0.98"),
        "begeleiding": Decimal("0.95"),
        "welzijn": Decimal("0.93"),
    }
    loader.copy(
        "finance_costrate",
        ["organisation_id", "discipline", "monthly_cost_per_fte", "valid_from"],
        (
            (orgs[org], discipline, (cost * factor[org]).quantize(Decimal("1")), MEMBERS_SINCE)
            for org in orgs
            for discipline, cost in COST_PER_FTE.items()
        ),
    )
    loader.copy(
        "finance_teamcost",
        ["team_id", "kind", "monthly_amount", "valid_from"],
        (
            (tid, kind, Decimal(amount + 100 * (n % 7)), MEMBERS_SINCE)
            for n, tid in enumerate(team_ids)
            for kind, amount in (("huisvesting", 3800), ("overhead", 6500))
        ),
    )
    loader.copy(
        "finance_subsidy",
        ["team_id", "source", "amount", "valid_from", "valid_to", "note"],
        (
            (
                tid,
                "Transformatiebudget gemeente",
                Decimal("60000"),
                dt.date(2026, 1, 1),
                dt.date(2026, 12, 1),
                "",
            )
            for tid in team_ids
        ),
    )


ANALYZED = [
    "olteams_team",
    "olteams_team_municipalities",
    "olteams_user",
    "olteams_membership",
    "clients_client",
    "clients_careepisode",
    "clients_phasetransition",
    "caseload_contact",
    "caseload_contactworker",
    "caseload_nonclienttime",
    "caseload_consultation",
    "finance_tariff",
    "finance_costrate",
    "finance_teamcost",
    "finance_subsidy",
]


def load(size: Size) -> Loaded:
    """COPY one month of ``size`` into the database (the caller's transaction) and ANALYZE."""
    loader = _Loader(size, Loaded(team_ids=[], organisation_ids={}, municipality_ids=[]))
    orgs, municipalities, team_ids = _create_places(loader, size)
    loader.loaded.team_ids = team_ids
    loader.loaded.organisation_ids = orgs
    loader.loaded.municipality_ids = municipalities
    first_user = _load_staff(loader, size, team_ids, orgs)
    first_client = _load_clients(loader, size, team_ids, municipalities, first_user)
    _load_contacts(loader, size, team_ids, orgs, first_user, first_client)
    _load_finance(loader, team_ids, orgs, municipalities)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in ANALYZED:
            cursor.execute(f"ANALYZE {table}")
    loader.loaded.seconds["ANALYZE"] = time.perf_counter() - started
    return loader.loaded


# --- (b) the bare aggregate SQL --------------------------------------------------------------

BARE_CONTACTS_SQL = """
SELECT c.team_id,
       SUM(c.duration_minutes) AS direct_minutes,
       COALESCE(SUM(zt.amount), 0) AS zvw,
       COALESCE(SUM(c.duration_minutes * wt.amount) / 60, 0) AS wmo_hours,
       COALESCE(SUM(c.duration_minutes * lt.amount) / 60, 0) AS wlz
FROM caseload_contactworker cw
JOIN caseload_contact c ON c.id = cw.contact_id
JOIN clients_client cl ON cl.id = c.client_id
LEFT JOIN finance_tariff zt
       ON c.funding_stream = 'zvw' AND zt.kind = 'zvw_consult' AND zt.discipline = cw.discipline
      AND c.duration_minutes >= zt.min_minutes
      AND (zt.max_minutes IS NULL OR c.duration_minutes <= zt.max_minutes)
      AND zt.valid_from <= c.date AND (zt.valid_to IS NULL OR zt.valid_to >= c.date)
LEFT JOIN finance_tariff wt
       ON c.funding_stream = 'wmo' AND wt.kind = 'wmo_uur'
      AND wt.municipality_id = cl.municipality_id
      AND wt.valid_from <= c.date AND (wt.valid_to IS NULL OR wt.valid_to >= c.date)
LEFT JOIN finance_tariff lt
       ON c.funding_stream = 'wlz' AND lt.kind = 'wlz_uur'
      AND lt.valid_from <= c.date AND (lt.valid_to IS NULL OR lt.valid_to >= c.date)
WHERE c.date BETWEEN %(s)s AND %(e)s
GROUP BY c.team_id
"""
BARE_PERSONNEL_SQL = """
SELECT m.team_id,
       SUM(m.fte * r.monthly_cost_per_fte * (
           LEAST(COALESCE(m.valid_to, %(e)s), COALESCE(r.valid_to, %(e)s), %(e)s)
           - GREATEST(m.valid_from, r.valid_from, %(s)s) + 1)) / %(days)s
FROM olteams_membership m
JOIN finance_costrate r
  ON r.organisation_id = m.organisation_id AND r.discipline = m.discipline
 AND r.valid_from <= LEAST(COALESCE(m.valid_to, %(e)s), %(e)s)
 AND COALESCE(r.valid_to, %(e)s) >= GREATEST(m.valid_from, %(s)s)
WHERE m.valid_from <= %(e)s AND (m.valid_to IS NULL OR m.valid_to >= %(s)s)
GROUP BY m.team_id
"""
BARE_CLIENTS_SQL = """
SELECT team_id, COUNT(DISTINCT client_id)
FROM (
    SELECT DISTINCT ON (p.episode_id) cl.team_id, e.client_id, p.to_phase
    FROM clients_phasetransition p
    JOIN clients_careepisode e ON e.id = p.episode_id
    JOIN clients_client cl ON cl.id = e.client_id
    WHERE p."on" <= %(e)s AND cl.merged_into_id IS NULL
    ORDER BY p.episode_id, p."on" DESC, p.id DESC
) last_phase
WHERE to_phase = 'in_zorg'
GROUP BY team_id
"""


@dataclass
class Figures:
    """The per-team figures both ways produce."""

    clients_month_end: int = 0
    direct_hours: Decimal = Decimal("0")
    zvw: Decimal = Decimal("0")
    wmo_hours: Decimal = Decimal("0")
    wlz: Decimal = Decimal("0")
    personnel: Decimal = Decimal("0")

    @property
    def revenue(self) -> Decimal:
        return self.zvw + self.wmo_hours + self.wlz


def bare_figures(month: dt.date = MONTH) -> dict[int, Figures]:
    """Team id → figures, straight from the rows with three GROUP BY queries."""
    end = month_end_of(month)
    params: dict[str, Any] = {"s": month, "e": end, "days": end.day}
    figures: dict[int, Figures] = {}
    with connection.cursor() as cursor:
        cursor.execute(BARE_CONTACTS_SQL, params)
        for team_id, minutes, zvw, wmo, wlz in cursor.fetchall():
            f = figures.setdefault(team_id, Figures())
            f.direct_hours = Decimal(minutes) / 60
            f.zvw, f.wmo_hours, f.wlz = Decimal(zvw), Decimal(wmo), Decimal(wlz)
        cursor.execute(BARE_PERSONNEL_SQL, params)
        for team_id, cost in cursor.fetchall():
            figures.setdefault(team_id, Figures()).personnel = Decimal(cost or 0)
        cursor.execute(BARE_CLIENTS_SQL, params)
        for team_id, clients in cursor.fetchall():
            figures.setdefault(team_id, Figures()).clients_month_end = clients
    return figures


def month_end_of(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def service_figures(accounts: list[Any]) -> dict[int, Figures]:
    """Team id → the same figures from the accounts' lines (``account_totals_many``)."""
    from finance.constants import LineCode
    from finance.models import AccountLine
    from finance.selectors.accounts import account_totals_many

    team_accounts = [a for a in accounts if a.team_id is not None]
    totals = account_totals_many(team_accounts)
    personnel = dict(
        AccountLine.objects.filter(account__in=team_accounts, code=LineCode.PERSONNEL)
        .values("account_id")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "total")
    )
    result = {}
    for account in team_accounts:
        t = totals[account.pk]
        result[account.team_id] = Figures(
            clients_month_end=t.clients_month_end,
            direct_hours=t.direct_hours,
            zvw=t.revenue_by_stream.get(ContactFunding.ZVW, Decimal("0")),
            wmo_hours=t.revenue_by_stream.get(ContactFunding.WMO, Decimal("0")),
            wlz=t.revenue_by_stream.get(ContactFunding.WLZ, Decimal("0")),
            personnel=personnel.get(account.pk) or Decimal("0"),
        )
    return result


def differences(service: dict[int, Figures], bare: dict[int, Figures]) -> dict[str, Decimal]:
    """Largest absolute difference per figure over all teams (the service rounds each line
    to cents, the bare SQL does not round)."""
    worst = {name: Decimal("0") for name in ("clients", "direct_hours", "revenue", "personnel")}
    for team_id in set(service) | set(bare):
        s, b = service.get(team_id, Figures()), bare.get(team_id, Figures())
        worst["clients"] = max(
            worst["clients"], Decimal(abs(s.clients_month_end - b.clients_month_end))
        )
        worst["direct_hours"] = max(worst["direct_hours"], abs(s.direct_hours - b.direct_hours))
        worst["revenue"] = max(worst["revenue"], abs(s.revenue - b.revenue))
        worst["personnel"] = max(worst["personnel"], abs(s.personnel - b.personnel))
    return worst


# --- the benchmark --------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, -(-int(share * 100) * len(ordered) // 100) - 1))
    return ordered[index]


def _warm_up() -> None:
    """Read the big tables once, so neither timing pays for a cold cache alone."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM caseload_contact WHERE date >= %s", [MONTH])
        cursor.execute("SELECT count(*) FROM caseload_contactworker")


@benchmark(
    "finance-month",
    title="Monthly accounts of 2,000 teams: service vs bare SQL; PDF per team",
)
def finance_month() -> Result:
    from finance.models import AccountLine, MonthlyAccount
    from finance.pdf import render_account_pdf
    from finance.services._compute import MonthComputation
    from finance.services.accounts import accounts_compute_month

    size = Size()
    with transaction.atomic():
        started = time.perf_counter()
        loaded = load(size)
        seed_seconds = time.perf_counter() - started
        _warm_up()

        started = time.perf_counter()
        accounts = accounts_compute_month(month=MONTH)
        service_seconds = time.perf_counter() - started

        started = time.perf_counter()
        bare = bare_figures(MONTH)
        bare_seconds = time.perf_counter() - started

        started = time.perf_counter()
        MonthComputation(month=MONTH).run()
        compute_only_seconds = time.perf_counter() - started

        service = service_figures(accounts)
        worst = differences(service, bare)
        written = MonthlyAccount.objects.filter(month=MONTH).count()
        lines = AccountLine.objects.filter(account__month=MONTH).count()

        render_seconds = []
        now = timezone.now()
        for account in [a for a in accounts if a.team_id is not None][:PDF_TEAMS]:
            started = time.perf_counter()
            pdf = render_account_pdf(account, now=now)
            render_seconds.append(time.perf_counter() - started)
            if not pdf.startswith(b"%PDF"):
                raise RuntimeError("finance.pdf did not render a PDF")
        transaction.set_rollback(True)

    contacts = loaded.rows["caseload_contact"]
    presences = loaded.rows["caseload_contactworker"]
    teams = len(loaded.team_ids)
    rows = [
        [
            "(a) accounts_compute_month (service: compute, write lines, consolidate)",
            f"{service_seconds:.2f} s",
            f"{service_seconds / bare_seconds:.2f}x",
        ],
        [
            "(a') the service's own aggregate queries only (MonthComputation.run, no writes)",
            f"{compute_only_seconds:.2f} s",
            f"{compute_only_seconds / bare_seconds:.2f}x",
        ],
        ["(b) bare GROUP BY SQL, same per-team figures", f"{bare_seconds:.2f} s", "1.00x"],
        [
            f"(c) PDF per team, finance.pdf.render_account_pdf, {len(render_seconds)} teams",
            f"median {statistics.median(render_seconds):.2f} s, "
            f"p95 {_percentile(render_seconds, 0.95):.2f} s",
            "",
        ],
    ]
    load_notes = ", ".join(
        f"{table.split('_', 1)[-1]} {loaded.rows.get(table, 0):,} rows in {seconds:.1f} s"
        for table, seconds in loaded.seconds.items()
        if table in ("clients_client", "caseload_contact", "caseload_contactworker")
    )
    return Result(
        what=(
            "Wall time of computing one month's integrated accounts for every team plus the "
            "consolidated account through finance.services.accounts.accounts_compute_month, "
            "against hand-written GROUP BY queries producing the same per-team figures "
            "(clients in care at month end, direct hours, revenue per stream, personnel cost) "
            "over the same rows, timed in one run; and the PDF render time per team."
        ),
        size=(
            f"{teams:,} teams x {size.clients_per_team} clients in care "
            f"(+{size.outflow_per_team} outflow) = {loaded.rows['clients_client']:,} clients; "
            f"{size.contacts_per_client} contacts per client in the month = {contacts:,} "
            f"contacts with {presences:,} ContactWorker rows; "
            f"{loaded.rows['olteams_membership']:,} memberships with FTE; "
            f"{loaded.rows['caseload_nonclienttime']:,} non-client time rows; "
            f"COPY-loaded and ANALYZEd in {seed_seconds:.0f} s, rolled back afterwards"
        ),
        columns=["Step", "Time", "Ratio to bare SQL"],
        rows=rows,
        notes=[
            f"Accounts written: {written:,} ({teams:,} teams + consolidated) with {lines:,} "
            "lines. Largest per-team "
            f"difference service vs bare SQL: clients {worst['clients']}, direct hours "
            f"{worst['direct_hours']:.2f}, revenue € {worst['revenue']:.2f}, personnel "
            f"€ {worst['personnel']:.2f} (the service rounds each line to cents and hours to "
            "0.01; the bare SQL does not round).",
            "The service does more than the bare SQL: tariff priority (team / municipality / "
            "product-specific tariffs win, LATERAL lookups), indirect and unpaid hours, Wmo "
            "fixed amounts and lump sums, housing, overhead, subsidies, average clients, "
            "inflow and outflow, and it writes every account line and the consolidated sums.",
            f"Seeding: {load_notes}; ANALYZE {loaded.seconds['ANALYZE']:.1f} s.",
        ],
    )
