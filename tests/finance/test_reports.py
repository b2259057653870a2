"""Report jobs: drafts computed, one task per account, progress, idempotency, notifications."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from finance.constants import AccountStatus, ReportFormat, ReportStatus
from finance.models import MonthlyAccount, ReportFile, ReportJob
from finance.services.accounts import account_close
from finance.services.reports import (
    previous_month,
    report_file_render,
    report_job_prepare,
    report_request,
)
from finance.tasks import report_job_start_task, reports_monthly_task
from olteams.models import Notification
from tests.factories.olteams import ControllerRoleFactory, UserFactory
from tests.finance.conftest import TEST_REASON
from tests.finance.report_helpers import MONTH, celery_in_process, compute, two_team_month

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def month_of_work(team, other_team):
    return two_team_month(team, other_team)


def test_on_demand_job_renders_every_account_in_its_own_task(
    controller, month_of_work, django_capture_on_commit_callbacks
):
    with celery_in_process(), django_capture_on_commit_callbacks(execute=True):
        job = report_request(actor=controller, month=dt.date(2026, 3, 17), format="xlsx")
    job.refresh_from_db()
    assert (job.month, job.status, job.total, job.done, job.percent) == (MONTH, "klaar", 3, 3, 100)
    assert job.finished_at is not None and job.error == ""
    files = list(job.files.select_related("account__team"))
    assert sorted(f.filename for f in files) == [
        "verantwoording-alle-teams-2026-03.xlsx",
        "verantwoording-team-noord-2026-03.xlsx",
        "verantwoording-team-zuid-2026-03.xlsx",
    ]
    assert all(f.was_draft and f.render_seconds > 0 for f in files)
    assert {f.content_type for f in files} == {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    }
    # the drafts were computed by the job
    assert MonthlyAccount.objects.filter(month=MONTH, status=AccountStatus.DRAFT).count() == 3
    # the one who asked hears it is ready, once
    notes = Notification.objects.filter(recipient=controller)
    assert [n.title for n in notes] == ["Uw rapport van 03-2026 staat klaar"]


def test_one_team_pdf_job(controller, team, month_of_work, django_capture_on_commit_callbacks):
    with celery_in_process(), django_capture_on_commit_callbacks(execute=True):
        job = report_request(actor=controller, month=MONTH, format="pdf", team=team)
    job.refresh_from_db()
    assert (job.status, job.total, job.done) == ("klaar", 1, 1)
    file = job.files.get()
    assert file.account.team == team and bytes(file.content).startswith(b"%PDF")
    assert file.content_type == "application/pdf"


def test_progress_moves_and_rerunning_a_task_does_nothing_twice(controller, month_of_work):
    job = ReportJob.objects.create(month=MONTH, format=ReportFormat.XLSX, requested_by=controller)
    account_ids = report_job_prepare(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.total, job.done, job.percent) == ("bezig", 3, 0, 0)
    first = report_file_render(job_id=job.pk, account_id=account_ids[0])
    again = report_file_render(job_id=job.pk, account_id=account_ids[0])
    assert first == again
    job.refresh_from_db()
    assert (job.done, job.percent, ReportFile.objects.filter(job=job).count()) == (1, 33, 1)
    # a repeated start task finds the job prepared and offers only what is left
    assert sorted(report_job_prepare(job_id=job.pk)) == sorted(account_ids[1:])
    for account_id in account_ids[1:]:
        report_file_render(job_id=job.pk, account_id=account_id)
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("klaar", 3, 3)
    with celery_in_process():
        report_job_start_task(job.pk)  # a finished job is left alone
    job.refresh_from_db()
    assert (job.done, ReportFile.objects.filter(job=job).count()) == (3, 3)
    assert Notification.objects.filter(recipient=controller).count() == 1


def test_closed_account_is_rendered_as_closed(controller, team, month_of_work):
    compute()
    account_close(
        actor=controller,
        account=MonthlyAccount.objects.get(team=team, month=MONTH),
        reason=TEST_REASON,
    )
    job = ReportJob.objects.create(month=MONTH, format=ReportFormat.XLSX, requested_by=controller)
    with celery_in_process():
        report_job_start_task(job.pk)
    drafts = dict(job.files.values_list("account__team__name", "was_draft"))
    assert drafts == {"Team Noord": False, "Team Zuid": True, None: True}


def test_a_failing_render_fails_the_job_with_a_reason(controller, month_of_work, monkeypatch):
    def broken(account, *, now=None):  # type: ignore[no-untyped-def]
        raise RuntimeError("lettertype ontbreekt")

    monkeypatch.setattr("finance.services.reports.render_account_pdf", broken)
    job = ReportJob.objects.create(month=MONTH, format=ReportFormat.PDF, requested_by=controller)
    with celery_in_process():
        report_job_start_task(job.pk)
    job.refresh_from_db()
    assert job.status == ReportStatus.FAILED
    assert job.error.startswith("Maken van Team Noord 03-2026 mislukt: lettertype ontbreekt")
    assert job.done == 0 and not job.files.exists()
    assert not Notification.objects.filter(recipient=controller).exists()


def test_request_rules(controller, member, stuurgroep_user, team):
    for user in (member, stuurgroep_user):
        with pytest.raises(PermissionDenied):
            report_request(actor=user, month=MONTH, format="pdf")
    with pytest.raises(ValidationError) as exc:
        report_request(actor=controller, month=MONTH, format="docx")
    assert exc.value.message_dict == {"format": ["Kies PDF of spreadsheet (XLSX)."]}
    with pytest.raises(ValidationError):
        report_request(
            actor=controller, month=MONTH, format="pdf", team=team, consolidated_only=True
        )
    assert not ReportJob.objects.exists()


def test_the_schedule_runs_on_the_first_of_the_month():
    entry = settings.CELERY_BEAT_SCHEDULE["finance-monthly-reports"]
    assert entry["task"] == "finance.tasks.reports_monthly_task"
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert (schedule.day_of_month, schedule.hour, schedule.minute) == ({1}, {5}, {30})


@pytest.mark.parametrize(
    ("today", "month"),
    [
        (dt.date(2026, 4, 1), dt.date(2026, 3, 1)),
        (dt.date(2026, 1, 1), dt.date(2025, 12, 1)),
        (dt.date(2026, 3, 31), dt.date(2026, 2, 1)),
    ],
)
def test_previous_month(today, month):
    assert previous_month(today) == month


def test_monthly_job_notifies_every_controller_once(
    controller, month_of_work, django_capture_on_commit_callbacks
):
    second = ControllerRoleFactory(user=UserFactory(username="controller2"), organisation=None).user
    first_of_april = dt.datetime(2026, 4, 1, 5, 30, tzinfo=AMS)
    with time_machine.travel(first_of_april, tick=False), celery_in_process():
        job_id = reports_monthly_task()
        again = reports_monthly_task()  # beat fired twice, or a retry
    assert job_id == again
    job = ReportJob.objects.get()
    assert (job.month, job.format, job.requested_by, job.status) == (MONTH, "pdf", None, "klaar")
    assert (job.total, job.done, job.files.count()) == (3, 3, 3)
    for user in (controller, second):
        notes = Notification.objects.filter(recipient=user)
        assert [(n.kind, n.title) for n in notes] == [
            ("report", "De conceptverantwoordingen van 03-2026 staan klaar")
        ]
        assert notes[0].url == f"/financien/rapporten/{job.pk}/"


def test_monthly_task_just_after_new_year_reports_december(controller):
    new_year = dt.datetime(2026, 1, 1, 5, 30, tzinfo=AMS)
    with time_machine.travel(new_year, tick=False), celery_in_process():
        reports_monthly_task()
    assert ReportJob.objects.get().month == dt.date(2025, 12, 1)
