"""Celery entry points of the finance app: they take ids and dates and call one service."""

from __future__ import annotations

import datetime as dt

from celery import group, shared_task
from django.utils import timezone

from finance.services.reports import report_file_render, report_job_prepare, reports_monthly
from finance.services.steering import steering_open_months_refresh


def _day(day: str | None) -> dt.date:
    return dt.date.fromisoformat(day) if day else timezone.localdate()


@shared_task(name="finance.tasks.reports_monthly_task", acks_late=True, ignore_result=True)
def reports_monthly_task(day: str | None = None) -> int | None:
    """On the 1st: the drafts of the previous month for all teams, rendered as PDFs.

    Running it twice (a retry, beat fired twice) continues the first job; the controllers
    are notified once per month."""
    job, _created = reports_monthly(today=_day(day))
    report_job_start_task(job.pk)
    return job.pk


@shared_task(name="finance.tasks.report_job_start_task", acks_late=True, ignore_result=True)
def report_job_start_task(job_id: int) -> None:
    """Compute the drafts, then render every account in its own task (in parallel)."""
    account_ids = report_job_prepare(job_id=job_id)
    if account_ids:
        group(report_file_render_task.s(job_id, account_id) for account_id in account_ids)()


@shared_task(name="finance.tasks.report_file_render_task", acks_late=True, ignore_result=True)
def report_file_render_task(job_id: int, account_id: int) -> None:
    """Render one account of a job; the last one to finish completes the job."""
    report_file_render(job_id=job_id, account_id=account_id)


@shared_task(name="finance.tasks.steering_figures_refresh_task", acks_late=True, ignore_result=True)
def steering_figures_refresh_task(day: str | None = None) -> int:
    """Every quarter of an hour: the open months' steering figures (and stale months) again."""
    return steering_open_months_refresh(today=_day(day))
