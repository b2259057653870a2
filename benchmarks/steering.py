"""The steering-group dashboard at national scale: 2,000 teams x 24 months.

Two years of a national roll-out are COPY-loaded (``benchmarks.copyload``) inside one
transaction that is rolled back at the end: 2,000 teams of 153 clients (306,000), each
client with a referral, a care episode and its phase transitions through the waiting list
into care (a quarter flows out again), and, spread over the clients, I.ROC assessments with
their 12 answers, HoNOS assessments, agreed and active recovery plans and Wmo requests with
their decisions; every team has its 15 memberships with FTE.

Then, in the same run and on the same rows:

(a) ``finance.services.steering.steering_months_compute`` for the 24 months in one batch,
    then one month again (what the month computation and the beat task do): every team's
    figures, set-based, suppressed and stored;
(b) GET ``finance:dashboard`` (24 months) and ``finance:dashboard-team`` (24 months) for a
    steering-group user through Django's test client with the full middleware stack
    (DEBUG off), median and p95 of the timed requests;
(c) the bare SQL read of the stored rows those pages need, for comparison.

``STEERING_BENCH_TEAMS`` changes the number of teams for a quick try; the report is only
meaningful at the default.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from collections.abc import Iterator
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.finance import (
    FORMATION,
    Loaded,
    Size,
    _create_places,
    _load_staff,
    _Loader,
    _next_id,
    _sync_sequence,
)
from benchmarks.pages import verified_client
from benchmarks.registry import Result, benchmark

TEAMS = int(os.environ.get("STEERING_BENCH_TEAMS", "2000"))
CLIENTS_PER_TEAM = 153
END_MONTH = dt.date(2026, 2, 1)
MONTHS = 24
FIRST_MONTH = END_MONTH - relativedelta(months=MONTHS - 1)
START = FIRST_MONTH - relativedelta(months=2)  # referrals from two months before the period
SPAN_DAYS = (END_MONTH + relativedelta(months=1) - START).days
TIMED_REQUESTS = 9
IROC_INDICATORS = 12
ANALYZED = [
    "olteams_team",
    "olteams_membership",
    "clients_client",
    "clients_referral",
    "clients_careepisode",
    "clients_phasetransition",
    "herstelplan_irocassessment",
    "herstelplan_irocanswer",
    "herstelplan_honosassessment",
    "herstelplan_plan",
    "wmo_indicationrequest",
    "wmo_decision",
]


def _path(k: int, n: int) -> dict[str, Any]:
    """The dates of client ``k`` of team ``n``: referral, waiting, in care, outflow."""
    referred = START + dt.timedelta(days=(k * 37 + n * 11) % (SPAN_DAYS - 20))
    waiting = referred + dt.timedelta(days=3 + k % 5)
    in_care = waiting + dt.timedelta(days=20 + (k * 7) % 60)
    outflow = in_care + dt.timedelta(days=200 + k % 150) if k % 4 == 0 else None
    limit = END_MONTH + relativedelta(months=1) - dt.timedelta(days=1)
    return {
        "referred": referred,
        "waiting": waiting,
        "in_care": in_care if in_care <= limit else None,
        "outflow": outflow if outflow is not None and outflow <= limit else None,
    }


def _load_clients(
    loader: _Loader, team_ids: list[int], municipalities: list[int], first_user: int
) -> int:
    from clients.constants import ReferralSource

    posts = len(FORMATION)
    sources = list(ReferralSource.values)
    first_client = _next_id("clients_client")
    now = loader.now

    def cid(n: int, k: int) -> int:
        return first_client + n * CLIENTS_PER_TEAM + k

    def author(n: int) -> int:
        return first_user + n * posts + 5  # the team's casemanager

    loader.copy(
        "clients_client",
        [
            "id", "team_id", "municipality_id", "initials", "first_name", "name_prefix",
            "last_name", "gender", "address", "postcode", "city", "neighbourhood", "phone",
            "email", "gp_practice", "gp_name", "created_at", "updated_at",
        ],
        (
            (
                cid(n, k), tid, municipalities[n % len(municipalities)], "", "Bench", "",
                f"Stuur {n}.{k}", "", "", "", "", "", "", "", "", "", now, now,
            )
            for n, tid in enumerate(team_ids)
            for k in range(CLIENTS_PER_TEAM)
        ),
    )  # fmt: skip
    _sync_sequence("clients_client")
    first_referral = _next_id("clients_referral")
    loader.copy(
        "clients_referral",
        [
            "id", "person_name", "referred_on", "source", "referrer_name",
            "referrer_organisation", "question", "urgency", "status", "created_at",
            "client_id", "created_by_id", "team_id",
        ],
        (
            (
                first_referral + n * CLIENTS_PER_TEAM + k, f"Stuur {n}.{k}",
                _path(k, n)["referred"], sources[(k + n) % len(sources)], "", "", "",
                "normaal", "wachtlijst", now, cid(n, k), author(n), tid,
            )
            for n, tid in enumerate(team_ids)
            for k in range(CLIENTS_PER_TEAM)
        ),
    )  # fmt: skip
    _sync_sequence("clients_referral")
    first_episode = _next_id("clients_careepisode")

    def phase(p: dict[str, Any]) -> str:
        return "uitgestroomd" if p["outflow"] else "in_zorg" if p["in_care"] else "voorzorg"

    loader.copy(
        "clients_careepisode",
        [
            "id", "client_id", "phase", "started_on", "ended_on", "outflow_reason",
            "outflow_destination", "plan_review_required", "created_at", "referral_id",
        ],
        (
            (
                first_episode + n * CLIENTS_PER_TEAM + k, cid(n, k), phase(p), p["referred"],
                p["outflow"], "doelen_bereikt" if p["outflow"] else "", "", False, now,
                first_referral + n * CLIENTS_PER_TEAM + k,
            )
            for n, _tid in enumerate(team_ids)
            for k in range(CLIENTS_PER_TEAM)
            for p in [_path(k, n)]
        ),
    )  # fmt: skip
    _sync_sequence("clients_careepisode")

    def transitions() -> Iterator[tuple[Any, ...]]:
        for n, _tid in enumerate(team_ids):
            for k in range(CLIENTS_PER_TEAM):
                p, episode = _path(k, n), first_episode + n * CLIENTS_PER_TEAM + k
                yield (episode, "", "aangemeld", p["referred"], author(n), "", now)
                yield (episode, "aangemeld", "voorzorg", p["waiting"], author(n), "", now)
                if p["in_care"]:
                    yield (episode, "voorzorg", "in_zorg", p["in_care"], author(n), "", now)
                if p["outflow"]:
                    yield (episode, "in_zorg", "uitgestroomd", p["outflow"], author(n), "", now)

    loader.copy(
        "clients_phasetransition",
        ["episode_id", "from_phase", "to_phase", "on", "by_id", "note", "created_at"],
        transitions(),
    )
    return first_client


def _in_care(team_ids: list[int]) -> Iterator[tuple[int, int, dict[str, Any]]]:
    for n, _tid in enumerate(team_ids):
        for k in range(CLIENTS_PER_TEAM):
            p = _path(k, n)
            if p["in_care"]:
                yield n, k, p


def _load_outcomes(
    loader: _Loader, team_ids: list[int], first_user: int, first_client: int
) -> None:
    posts, now = len(FORMATION), loader.now
    limit = END_MONTH + relativedelta(months=1) - dt.timedelta(days=1)

    def measurements(k: int, p: dict[str, Any]) -> list[dt.date]:
        days = [p["in_care"] + dt.timedelta(days=10 + k % 20)]
        days.append(days[0] + dt.timedelta(days=180))
        return [d for d in days if d <= limit]

    iroc = [
        (first_client + n * CLIENTS_PER_TEAM + k, first_user + n * posts + 5, day)
        for n, k, p in _in_care(team_ids)
        if k % 3 == 0
        for day in measurements(k, p)
    ]
    first_iroc = _next_id("herstelplan_irocassessment")
    loader.copy(
        "herstelplan_irocassessment",
        ["id", "date", "filled_in_with", "created_at", "by_id", "client_id"],
        ((first_iroc + i, day, "", now, by, client) for i, (client, by, day) in enumerate(iroc)),
    )
    _sync_sequence("herstelplan_irocassessment")
    loader.copy(
        "herstelplan_irocanswer",
        ["score", "note", "assessment_id", "indicator_id"],
        (
            (1 + (i + x + (day.month if day.year > 2024 else 0)) % 6, "", first_iroc + i, x)
            for i, (_client, _by, day) in enumerate(iroc)
            for x in range(1, IROC_INDICATORS + 1)
        ),
    )
    loader.copy(
        "herstelplan_honosassessment",
        [
            "date", *[f"item_{i}" for i in range(1, 13)], "item_8_problem_type", "notes",
            "created_at", "client_id", "rater_id",
        ],
        (
            (
                day, *[(k + i + j) % 3 for i in range(12)], "", "", now,
                first_client + n * CLIENTS_PER_TEAM + k, first_user + n * posts + 1,
            )
            for n, k, p in _in_care(team_ids)
            if k % 3 == 1
            for j, day in enumerate(measurements(k, p))
        ),
    )  # fmt: skip
    loader.copy(
        "herstelplan_plan",
        [
            "version", "status", "valid_from", "review_date", "who_i_am", "wishes", "dreams",
            "strengths", "agreed_on", "agreed_how", "activated_on", "archived_on",
            "lock_version", "created_at", "updated_at", "agreed_recorded_by_id", "client_id",
            "copied_from_id", "created_by_id", "updated_by_id",
        ],
        (
            (
                1, "active", day, day + dt.timedelta(days=180), "", "", "", "", day,
                "verbal", day, None, 0, now, now, by, client, None, by, by,
            )
            for n, k, p in _in_care(team_ids)
            if k % 2 == 0
            for day in [p["in_care"] + dt.timedelta(days=15)]
            if day <= limit
            for client, by in [(first_client + n * CLIENTS_PER_TEAM + k, first_user + n * posts + 5)]
        ),
    )  # fmt: skip


def _load_wmo(
    loader: _Loader,
    team_ids: list[int],
    municipalities: list[int],
    first_user: int,
    first_client: int,
) -> None:
    from wmo.models import MunicipalProduct, ProductCategory

    category = ProductCategory.objects.order_by("pk").first()
    if category is None:
        raise RuntimeError("no Wmo product category (migration data missing)")
    products = {
        m: MunicipalProduct.objects.create(
            municipality_id=m, code="02B01", name="Begeleiding individueel",
            category=category, unit="04", start=dt.date(2020, 1, 1),
        ).pk
        for m in municipalities
    }  # fmt: skip
    posts, now = len(FORMATION), loader.now
    limit = END_MONTH + relativedelta(months=1) - dt.timedelta(days=1)
    rows = []
    for n, k, p in _in_care(team_ids):
        if k % 5 != 0:
            continue
        submitted = p["in_care"] + dt.timedelta(days=5)
        decided = submitted + dt.timedelta(days=(k * 3 + n) % 24)
        if decided > limit:
            continue
        rows.append((n, k, submitted, decided))
    first_request = _next_id("wmo_indicationrequest")
    loader.copy(
        "wmo_indicationrequest",
        [
            "id", "status", "volume", "unit", "frequency", "start", "end", "result_areas",
            "motivation", "is_temporary", "reference", "submitted_at", "submitted_on",
            "deadline", "is_overdue", "created_at", "updated_at", "client_id",
            "municipality_id", "requested_by_id", "team_id", "product_id",
        ],
        (
            (
                first_request + i, "toegekend", 2, "04", "2", submitted,
                submitted + dt.timedelta(days=365), "{}", "", False, f"B{n}.{k}", now, submitted,
                submitted + dt.timedelta(days=14), False, now, now,
                first_client + n * CLIENTS_PER_TEAM + k, municipalities[n % len(municipalities)],
                first_user + n * posts + 5, team_ids[n],
                products[municipalities[n % len(municipalities)]],
            )
            for i, (n, k, submitted, _decided) in enumerate(rows)
        ),
    )  # fmt: skip
    _sync_sequence("wmo_indicationrequest")
    loader.copy(
        "wmo_decision",
        [
            "kind", "reason", "decided_on", "decided_at", "beschikking_number", "source",
            "decided_by_id", "municipality_id", "request_id",
        ],
        (
            (
                "granted", "", decided, now, f"BS{i}", "app", None,
                municipalities[n % len(municipalities)], first_request + i,
            )
            for i, (n, _k, _submitted, decided) in enumerate(rows)
        ),
    )  # fmt: skip


def load() -> Loaded:
    size = Size(teams=TEAMS)
    loader = _Loader(size, Loaded(team_ids=[], organisation_ids={}, municipality_ids=[]))
    orgs, municipalities, team_ids = _create_places(loader, size)
    loader.loaded.team_ids = team_ids
    first_user = _load_staff(loader, size, team_ids, orgs)
    first_client = _load_clients(loader, team_ids, municipalities, first_user)
    _load_outcomes(loader, team_ids, first_user, first_client)
    _load_wmo(loader, team_ids, municipalities, first_user, first_client)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in ANALYZED:
            cursor.execute(f"ANALYZE {table}")
    loader.loaded.seconds["ANALYZE"] = time.perf_counter() - started
    return loader.loaded


def _timed(http: Any, url: str, params: dict[str, str]) -> tuple[list[float], int]:
    response = http.get(url, params)  # warm-up
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code}")
    seconds = []
    for _ in range(TIMED_REQUESTS):
        started = time.perf_counter()
        response = http.get(url, params)
        seconds.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as ctx:
        http.get(url, params)
    return seconds, len(ctx.captured_queries)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


BARE_OVERVIEW_SQL = """
SELECT f.team_id, f.key, m.month, f.value, f.mark
FROM finance_steeringfigure f JOIN finance_steeringmonth m ON m.id = f.month_id
WHERE m.month BETWEEN %(first)s AND %(last)s AND f.team_id IS NULL
UNION ALL
SELECT f.team_id, f.key, m.month, f.value, f.mark
FROM finance_steeringfigure f JOIN finance_steeringmonth m ON m.id = f.month_id
WHERE m.month BETWEEN %(first)s AND %(last)s AND f.team_id = ANY(%(page)s)
  AND f.key = ANY(%(keys)s) AND (f.key = %(trend)s OR m.month = %(last)s)
"""
BARE_TEAM_SQL = """
SELECT f.key, m.month, f.value, f.mark
FROM finance_steeringfigure f JOIN finance_steeringmonth m ON m.id = f.month_id
WHERE m.month BETWEEN %(first)s AND %(last)s AND f.team_id = %(team)s
"""


def _bare(sql: str, params: dict[str, Any]) -> tuple[float, int]:
    seconds, count = [], 0
    for _ in range(TIMED_REQUESTS):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            count = len(cursor.fetchall())
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), count


@benchmark(
    "steering-dashboard-scale",
    title="Steering dashboard at 2,000 teams x 24 months: stored figures, pages vs bare SQL",
)
def steering_dashboard_scale() -> Result:
    from finance.models import SteeringFigure
    from finance.services.steering import steering_month_compute, steering_months_compute
    from finance.views.dashboard import TEAM_COLUMNS, TEAMS_PER_PAGE, TREND
    from olteams.models import Team, User

    months = [FIRST_MONTH + relativedelta(months=i) for i in range(MONTHS)]
    with transaction.atomic():
        started = time.perf_counter()
        loaded = load()
        load_seconds = time.perf_counter() - started

        started = time.perf_counter()
        steering_months_compute(months=months)
        compute_all = time.perf_counter() - started
        started = time.perf_counter()
        steering_month_compute(month=months[-1])  # the open month again (the beat task)
        compute_one = time.perf_counter() - started
        stored = SteeringFigure.objects.count()
        hidden = SteeringFigure.objects.exclude(mark="").count()

        user = User.objects.create(username="bench.stuurgroep", is_stuurgroep=True)
        http = verified_client(user)
        params = {"months": str(MONTHS), "end": END_MONTH.strftime("%Y-%m")}
        overview, overview_queries = _timed(http, reverse("finance:dashboard"), params)
        team_id = loaded.team_ids[len(loaded.team_ids) // 2]
        team, team_queries = _timed(http, reverse("finance:dashboard-team", args=[team_id]), params)
        bare_params = {
            "first": months[0],
            "last": months[-1],
            "keys": [key for key, _h in TEAM_COLUMNS],
            "trend": TREND,
            "page": list(
                Team.objects.order_by("name", "pk").values_list("pk", flat=True)[:TEAMS_PER_PAGE]
            ),
            "team": team_id,
        }
        bare_overview, overview_rows = _bare(BARE_OVERVIEW_SQL, bare_params)
        bare_team, team_rows = _bare(BARE_TEAM_SQL, bare_params)
        transaction.set_rollback(True)

    rows = [
        [
            f"overview (all teams; first page of {TEAMS_PER_PAGE} teams), GET finance:dashboard",
            f"{statistics.median(overview) * 1000:.0f} ms",
            f"{_p95(overview) * 1000:.0f} ms",
            str(overview_queries),
            f"{bare_overview * 1000:.1f} ms ({overview_rows:,} rows)",
        ],
        [
            "one team, GET finance:dashboard-team",
            f"{statistics.median(team) * 1000:.0f} ms",
            f"{_p95(team) * 1000:.0f} ms",
            str(team_queries),
            f"{bare_team * 1000:.1f} ms ({team_rows:,} rows)",
        ],
    ]
    load_notes = ", ".join(
        f"{table.split('_', 1)[-1]} {loaded.rows.get(table, 0):,}"
        for table in ANALYZED
        if table in loaded.rows
    )
    return Result(
        what=(
            "Median and p95 in-process time (Django test client, full middleware stack, DEBUG "
            "off, second factor passed) of the steering-group overview and of one team's page "
            "over 24 months, read from the stored steering figures, beside the bare SQL read "
            "of the stored rows each page needs (the all-teams rows and the page's teams, by "
            "the (team, month) index); and the time to compute and store the figures of every "
            "team (finance.services.steering.steering_months_compute)."
        ),
        size=(
            f"{len(loaded.team_ids):,} teams x {CLIENTS_PER_TEAM} clients = "
            f"{loaded.rows.get('clients_client', 0):,} clients over {MONTHS} months "
            f"({months[0]:%Y-%m} to {months[-1]:%Y-%m}); rows: {load_notes}; COPY-loaded and "
            f"ANALYZEd in {load_seconds:.0f} s, rolled back afterwards; {TIMED_REQUESTS} timed "
            "requests per page after a warm-up"
        ),
        columns=["Page", "Median", "p95", "Queries", "Bare SQL read of the stored rows"],
        rows=rows,
        notes=[
            f"Computing and storing the figures: {compute_all:.0f} s for all {MONTHS} months in "
            f"one batch (steering_months_compute), {compute_one:.1f} s for one month again "
            f"({stored:,} rows stored, {hidden:,} of them withheld as '<5' or a cross). This "
            "runs when the month is "
            "computed and by the beat task for the open months, never on a page request "
            "once the month is stored.",
            f"The overview lists the teams {TEAMS_PER_PAGE} per page (by name, 'pagina'), each "
            "with its columns of the last month and a sparkline of clients in care; the "
            "all-teams figures and charts cover every team.",
            "Before (issue 15, same machine): the overview computed every figure on request, "
            "181 s at 24 months; the team page 206 s (it recomputed the overview for the "
            "secondary suppression).",
        ],
    )
