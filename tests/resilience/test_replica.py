"""Reads on a real streaming replica: a second PostgreSQL cluster made by ``pg_basebackup -R``.

The app runs under gunicorn against both clusters (``DATABASE_REPLICA_URL``). Where a query
ran is read from each server's statement log (``log_statement=all`` for the runtime role),
so the test sees which server answered the steering dashboard's figures, which one the
access checks, and that the page still answers when the replica is stopped.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
import requests
from django.urls import reverse

from tests.resilience.conftest import Seeded
from tests.resilience.stack import (
    ROOT,
    RUNTIME,
    Postgres,
    Process,
    Redis,
    app_env,
    free_port,
    port_open,
    python,
    wait_for,
)

pytestmark = pytest.mark.resilience

FIGURES = 'FROM "finance_steeringfigure"'  # the stored dashboard figures
LINES = 'FROM "finance_accountline"'  # what a report renders
ACCESS = ('FROM "olteams_team"', 'FROM "olteams_user"', 'FROM "django_session"')


@dataclass
class Replicated:
    primary: Postgres
    replica: Postgres
    web: Process
    web_port: int
    sessions: dict[str, str]
    month: str
    env: dict[str, str]

    def http(self, who: str) -> requests.Session:
        http = requests.Session()
        http.cookies.set("sessionid", self.sessions[who], domain="127.0.0.1")
        return http

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.web_port}{path}"

    def lsn(self, pg: Postgres, query: str) -> str:
        with psycopg.connect(pg.url("postgres", "postgres"), autocommit=True) as conn:
            return str(conn.execute(query).fetchone()[0])  # type: ignore[index]

    def replayed(self) -> bool:
        """The replica has replayed everything the primary has written so far."""
        target = self.lsn(self.primary, "SELECT pg_current_wal_lsn()")
        with psycopg.connect(self.replica.url("postgres", "postgres"), autocommit=True) as conn:
            row = conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,))
            return bool(row.fetchone()[0])  # type: ignore[index]


@pytest.fixture(scope="module")
def replicated(tmp_path_factory: pytest.TempPathFactory, seeded: Seeded) -> Iterator[Replicated]:
    base = tmp_path_factory.mktemp("replica")
    primary, redis = seeded.pg, Redis(base)
    replica: Postgres | None = None
    web: Process | None = None
    with psycopg.connect(primary.url("postgres", "postgres"), autocommit=True) as conn:
        # Every statement of the app's role in each server's log (replicated to the standby).
        conn.execute(f"ALTER ROLE {RUNTIME} SET log_statement = 'all'")
    try:
        replica = primary.streaming_replica()
        redis.start()
        env = app_env(primary, redis, base)
        env.update(
            DATABASE_REPLICA_URL=replica.url(RUNTIME),
            REPLICA_PIN_SECONDS="300",
            REPLICA_RETRY_SECONDS="300",
        )
        web_port = free_port()
        web = Process(
            "web",
            python(
                "-m",
                "gunicorn",
                "olteams.wsgi:application",
                *("-b", f"127.0.0.1:{web_port}", "--workers", "1", "--threads", "2"),
            ),
            env,
            base / "web.log",
        )
        web.start()
        wait_for(lambda: port_open(web_port), 30, "gunicorn")
        sessions = {
            "controller": seeded.seed["session"],
            "stuurgroep": seeded.seed["steering_session"],
        }
        yield Replicated(primary, replica, web, web_port, sessions, seeded.seed["month"], env)
    finally:
        if web is not None:
            web.stop()
        if replica is not None:
            if port_open(replica.port):
                replica.stop()
            replica.remove()
        redis.stop()
        with psycopg.connect(primary.url("postgres", "postgres"), autocommit=True) as conn:
            conn.execute(f"ALTER ROLE {RUNTIME} RESET log_statement")


class Logs:
    """What each server logged from here on."""

    def __init__(self, stack: Replicated) -> None:
        self.stack = stack
        self.start = {
            "primary": len(stack.primary.log_text()),
            "replica": len(stack.replica.log_text()),
        }

    def new(self, server: str) -> str:
        pg = self.stack.primary if server == "primary" else self.stack.replica
        return pg.log_text()[self.start[server] :]


def _dashboard(stack: Replicated, http: requests.Session) -> requests.Response:
    response = http.get(stack.url(reverse("finance:dashboard")), timeout=15)
    assert response.status_code == 200, (response.status_code, stack.web.log.read_text())
    assert "Dashboard stuurgroep" in response.text
    return response


def _django(stack: Replicated, code: str) -> str:
    """Run ``code`` in a Django process of the app (as a Celery task would); its stdout."""
    script = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "from finance.services.reports import report_file_render, report_job_prepare\n" + code
    )
    done = subprocess.run(  # noqa: S603
        python("-c", script), env=stack.env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_dashboard_and_report_reads_on_the_replica_writes_on_the_primary_survive_its_stop(
    replicated,
):
    stack = replicated
    steering, controller = stack.http("stuurgroep"), stack.http("controller")

    # First view: the figures are computed and stored (primary), and read back there.
    _dashboard(stack, steering)
    wait_for(stack.replayed, 15, "the replica to replay the stored figures")

    # The stored figures come from the replica; the access checks stay on the primary.
    logs = Logs(stack)
    _dashboard(stack, steering)
    assert FIGURES in logs.new("replica")
    assert FIGURES not in logs.new("primary")
    assert any(access in logs.new("primary") for access in ACCESS)
    assert not any(access in logs.new("replica") for access in ACCESS)

    # A write goes to the primary; its writer then reads the primary (read-after-write).
    token_page = controller.get(stack.url(reverse("finance:report-list")), timeout=15)
    token = token_page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    logs = Logs(stack)
    created = controller.post(
        stack.url(reverse("finance:report-create")),
        data={"csrfmiddlewaretoken": token, "month": stack.month, "format": "xlsx"},
        allow_redirects=False,
        timeout=15,
    )
    assert created.status_code == 302, (created.status_code, stack.web.log.read_text())
    assert 'INSERT INTO "finance_reportjob"' in logs.new("primary")
    assert "INSERT INTO" not in logs.new("replica")
    logs = Logs(stack)
    _dashboard(stack, controller)
    assert FIGURES in logs.new("primary")
    assert FIGURES not in logs.new("replica")

    # The worker's rendering right after its job was prepared (drafts computed on the primary):
    # it waits for the replica to replay that, reads the accounts there, writes the file on
    # the primary.
    job_id = int(created.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    logs = Logs(stack)
    _django(
        stack,
        f"account_id = report_job_prepare(job_id={job_id})[0]\n"
        "connection.cursor().execute(\"SELECT 'render-starts'\")\n"
        f"assert report_file_render(job_id={job_id}, account_id=account_id) is not None\n",
    )
    rendering = logs.new("primary").split("render-starts", 1)[1]
    assert LINES in logs.new("replica")
    assert LINES not in rendering
    assert 'INSERT INTO "finance_reportfile"' in rendering

    # The replica stops: the page still answers, from the primary, with a warning logged.
    stack.replica.stop()
    logs = Logs(stack)
    _dashboard(stack, steering)
    assert FIGURES in logs.new("primary")
    assert "replica unreachable" in stack.web.log.read_text()
    _dashboard(stack, steering)  # and the next one does not try it again first
    assert stack.web.alive()


def test_the_app_role_cannot_write_on_the_replica(replicated):
    """The standby is read-only: a write routed there by mistake would fail loudly."""
    if not port_open(replicated.replica.port):
        replicated.replica.start()
    with (
        psycopg.connect(replicated.replica.url(RUNTIME, "olteams_resilience")) as conn,
        pytest.raises(psycopg.errors.ReadOnlySqlTransaction),
    ):
        conn.execute("UPDATE finance_steeringfigure SET mark = mark")
