"""The job outbox (olteams.outbox): jobs are sent after commit, unsent ones by the sweep,
stuck ones requeued and, after three attempts, failed with a reason the user sees."""

from __future__ import annotations

import datetime as dt

import pytest
import redis
import time_machine
from django.conf import settings

from clients.models import ImportJob
from finance.models import ReportJob
from finance.services.reports import report_request
from olteams.outbox import jobs_reconcile

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def broker():
    """The test Redis database the Celery app sends to; emptied before and after."""
    connection = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    connection.delete("celery")
    yield connection
    connection.delete("celery")


def _queued_tasks(broker) -> list[str]:
    import json

    return [json.loads(m)["headers"]["task"] for m in broker.lrange("celery", 0, -1)]


def _report(**fields) -> ReportJob:
    return ReportJob.objects.create(month=dt.date(2026, 3, 1), format="pdf", **fields)


def test_a_requested_report_is_sent_after_the_commit_and_stamped(
    controller, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(actor=controller, month=dt.date(2026, 3, 1), format="pdf")
    job.refresh_from_db()
    assert job.queued_at is not None and job.attempts == 1
    assert _queued_tasks(broker) == ["finance.tasks.report_job_start_task"]


def test_the_sweep_sends_a_committed_job_that_was_never_sent_after_the_grace(broker):
    with time_machine.travel(T0, tick=False) as traveller:
        job = _report()
        assert jobs_reconcile() == {"sent": 0, "requeued": 0, "failed": 0}  # within grace
        traveller.shift(dt.timedelta(seconds=31))
        assert jobs_reconcile() == {"sent": 1, "requeued": 0, "failed": 0}
        job.refresh_from_db()
        assert (job.status, job.queued_at, job.attempts) == (
            "wachtend",
            T0 + dt.timedelta(seconds=31),
            1,
        )
        assert jobs_reconcile() == {"sent": 0, "requeued": 0, "failed": 0}  # once
    assert _queued_tasks(broker) == ["finance.tasks.report_job_start_task"]


def test_a_pending_job_whose_message_was_lost_is_sent_again(broker):
    with time_machine.travel(T0, tick=False) as traveller:
        job = _report(queued_at=T0, attempts=1)
        traveller.shift(dt.timedelta(minutes=15))
        assert jobs_reconcile()["sent"] == 0
        traveller.shift(dt.timedelta(minutes=2))  # past the time limit plus a minute
        assert jobs_reconcile()["sent"] == 1
    job.refresh_from_db()
    assert job.attempts == 2


def test_a_running_report_without_progress_is_requeued_then_failed_after_three_attempts(broker):
    with time_machine.travel(T0, tick=False) as traveller:
        job = _report(status="bezig", total=5, done=3, queued_at=T0, progress_at=T0, attempts=1)
        traveller.shift(dt.timedelta(minutes=15))
        assert jobs_reconcile()["requeued"] == 0  # still within its time limit
        for attempts in (2, 3):
            traveller.shift(dt.timedelta(minutes=17))
            assert jobs_reconcile() == {"sent": 0, "requeued": 1, "failed": 0}
            job.refresh_from_db()
            assert (job.status, job.attempts) == ("bezig", attempts)
        traveller.shift(dt.timedelta(minutes=17))
        assert jobs_reconcile() == {"sent": 0, "requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert (job.status, job.done, job.finished_at) == ("mislukt", 3, T0 + dt.timedelta(minutes=66))
    assert job.error == (
        "Het maken van het rapport is vastgelopen en na drie pogingen gestopt. "
        "Vraag het rapport opnieuw aan."
    )
    assert _queued_tasks(broker) == ["finance.tasks.report_job_start_task"] * 2


def test_a_crashed_import_is_started_again_from_pending_then_failed(member, team, broker):
    with time_machine.travel(T0, tick=False) as traveller:
        job = ImportJob.objects.create(
            team=team, created_by=member, filename="a.csv", content=b"x", status="bezig",
            progress_at=T0, queued_at=T0, attempts=2,
        )  # fmt: skip
        traveller.shift(dt.timedelta(minutes=17))
        assert jobs_reconcile()["requeued"] == 1
        job.refresh_from_db()
        assert (job.status, job.attempts) == ("wachtend", 3)  # import_run starts pending jobs
        ImportJob.objects.filter(pk=job.pk).update(status="bezig", progress_at=T0)
        assert jobs_reconcile()["failed"] == 1
    job.refresh_from_db()
    assert job.status == "mislukt" and job.error.startswith("De import is vastgelopen")
    assert _queued_tasks(broker) == ["clients.tasks.import_run_task"]


def test_a_starting_worker_resends_running_reports_but_not_running_imports(member, team, broker):
    with time_machine.travel(T0, tick=False):
        report = _report(status="bezig", total=5, done=1, queued_at=T0, progress_at=T0, attempts=1)
        ImportJob.objects.create(
            team=team, created_by=member, filename="a.csv", content=b"x", status="bezig",
            progress_at=T0, queued_at=T0, attempts=1,
        )  # fmt: skip
        assert jobs_reconcile()["requeued"] == 0
        assert jobs_reconcile(startup=True) == {"sent": 0, "requeued": 1, "failed": 0}
    report.refresh_from_db()
    assert report.attempts == 2
    assert _queued_tasks(broker) == ["finance.tasks.report_job_start_task"]
