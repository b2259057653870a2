"""Database queries (and in-process time) of each role's start page on the demo data.

The backbone's demo data (``olteams.demo.seed``: organisations, the four teams with their
staff, one login per role; idempotent) is loaded into the bench database, then
each demo login requests ``/`` through Django's test client with the full middleware
stack, already past the second factor. The count must not grow with the data: a page
whose count changes between runs on more data has an N+1 query.
"""

from __future__ import annotations

import html
import random
import re
import statistics
import time

from django.db import connection, transaction
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from benchmarks.registry import Result, benchmark
from olteams import demo
from olteams.constants import Role
from olteams.demo import DEMO_LOGINS
from olteams.models import Membership, User

TIMED_REQUESTS = 20
DEMO_SEED = 20191101  # the seed_demo default: the same people as `make run`
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def verified_client(user: User) -> HttpClient:
    """A browser signed in as ``user`` with the second factor passed (as after sign-in)."""
    http = HttpClient(HTTP_HOST="127.0.0.1")
    http.force_login(user)
    device = StaticDevice.objects.filter(user=user).first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name="backup")
    session = http.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return http


def _heading(content: bytes) -> str:
    match = _H1.search(content.decode())
    return html.unescape(re.sub(r"<[^>]+>", "", match[1])).strip() if match else "(no h1)"


@benchmark("start-page-queries", title="Start page per role: queries and time")
def start_page_queries() -> Result:
    with transaction.atomic():
        demo.seed(today=timezone.localdate(), rng=random.Random(DEMO_SEED))  # noqa: S311 — demo data
    rows = []
    for username, role in DEMO_LOGINS:
        http = verified_client(User.objects.get(username=username))
        warm = http.get("/")  # first request fills per-process caches (content types, …)
        if warm.status_code != 200:
            raise RuntimeError(f"{username}: start page answered {warm.status_code}")
        with CaptureQueriesContext(connection) as queries:
            response = http.get("/")
        count = len(queries)  # now: the next request's reset_queries empties the log
        timings = []
        for _ in range(TIMED_REQUESTS):
            started = time.perf_counter()
            http.get("/")
            timings.append((time.perf_counter() - started) * 1000)
        rows.append(
            [
                str(Role(role).label),
                username,
                _heading(response.content),
                str(count),
                f"{statistics.median(timings):.1f} ms",
            ]
        )
    return Result(
        what=(
            "Database queries of one request to the start page (/) per demo role, counted "
            "with CaptureQueriesContext, and the median in-process time of the request "
            "(Django test client, full middleware stack, no network)."
        ),
        size=(
            f"backbone demo data (olteams.demo.seed: {User.objects.count()} users, "
            f"{Membership.objects.count()} memberships); queries of the 2nd request; time: "
            f"median of {TIMED_REQUESTS} requests"
        ),
        columns=["Role", "Demo login", "Start page (h1)", "Queries", "Median time"],
        rows=rows,
        notes=[
            "The count includes the session (read and save on every request: sliding idle "
            "expiry), the user, the OTP device and the role look-ups of the navigation.",
        ],
    )
