"""Real outages against a real stack: Redis stopped, the worker killed, PostgreSQL restarted.

Each test waits only for the state it asserts (bounded polls, seconds each)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.resilience.conftest import Stack
from tests.resilience.stack import wait_for

pytestmark = pytest.mark.resilience


def _team_id(stack: Stack, slug: str) -> int:
    return stack.sql("SELECT id FROM olteams_team WHERE slug = %s", (slug,))[0][0]


def _request_report(stack: Stack, http, team_id: int | None) -> int:  # type: ignore[no-untyped-def]
    token = stack.csrf(http, reverse("finance:report-list"))
    data = {"csrfmiddlewaretoken": token, "month": stack.month, "format": "pdf"}
    if team_id is not None:
        data["team"] = str(team_id)
    response = http.post(
        stack.url(reverse("finance:report-create")), data=data, allow_redirects=False, timeout=10
    )
    assert response.status_code == 302, (response.status_code, stack.logs())
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def _job(stack: Stack, job_id: int) -> tuple[str, int, int, int]:
    status, done, total = stack.sql(
        "SELECT status, done, total FROM finance_reportjob WHERE id = %s", (job_id,)
    )[0]
    files = stack.sql("SELECT count(*) FROM finance_reportfile WHERE job_id = %s", (job_id,))
    return status, done, total, files[0][0]


def _wait_done(stack: Stack, job_id: int, timeout: float = 60) -> None:
    try:
        wait_for(lambda: _job(stack, job_id)[0] == "klaar", timeout, f"report job {job_id}")
    except AssertionError:
        raise AssertionError(f"{_job(stack, job_id)}\n{stack.logs()}") from None


def test_redis_down_pages_work_and_a_report_asked_meanwhile_runs_after_redis_returns(stack):
    http = stack.http()
    home = stack.url(reverse("olteams:home"))
    assert http.get(home, timeout=10).status_code == 200
    worker_pid = stack.worker.pid

    stack.redis.stop()
    response = http.get(home, timeout=10)
    assert response.status_code == 200
    assert http.get(stack.url(reverse("finance:report-list")), timeout=10).status_code == 200
    job_id = _request_report(stack, http, _team_id(stack, "team-1"))
    # committed, not sent: the job row is the outbox
    assert stack.sql(
        "SELECT status, queued_at FROM finance_reportjob WHERE id = %s", (job_id,)
    ) == [("wachtend", None)]

    stack.redis.start()  # an empty Redis, as after a restart without persistence
    _wait_done(stack, job_id)
    assert _job(stack, job_id) == ("klaar", 1, 1, 1)
    # the same worker process reconnected by itself
    assert stack.worker.alive() and stack.worker.pid == worker_pid
    assert stack.web.alive() and stack.beat.alive()


def test_kill_9_of_the_worker_mid_job_then_a_restart_gives_exactly_five_pdfs(stack):
    http = stack.http()
    job_id = _request_report(stack, http, None)  # four teams and the total: five PDFs
    wait_for(lambda: _job(stack, job_id)[3] >= 1, 60, "the first PDF")
    stack.worker.kill9()
    status, done, total, files = _job(stack, job_id)
    assert done == files
    assert (status, total) == ("bezig", 5) and 1 <= files < 5

    stack.worker.start()
    _wait_done(stack, job_id)
    assert _job(stack, job_id) == ("klaar", 5, 5, 5)
    accounts = stack.sql(
        "SELECT count(DISTINCT account_id) FROM finance_reportfile WHERE job_id = %s", (job_id,)
    )
    assert accounts == [(5,)]


def test_a_postgresql_restart_is_survived_by_web_and_worker_without_restarting_them(stack):
    http = stack.http()
    home = stack.url(reverse("olteams:home"))
    assert http.get(home, timeout=10).status_code == 200
    web_pid, worker_pid = stack.web.pid, stack.worker.pid

    stack.pg.stop()
    stack.pg.start()

    assert http.get(home, timeout=10).status_code == 200
    job_id = _request_report(stack, http, _team_id(stack, "team-2"))
    _wait_done(stack, job_id)
    assert _job(stack, job_id) == ("klaar", 1, 1, 1)
    assert (stack.web.pid, stack.worker.pid) == (web_pid, worker_pid)
    assert stack.web.alive() and stack.worker.alive()
