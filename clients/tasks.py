"""Celery entry points of the clients app."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="clients.tasks.import_run_task", ignore_result=True, acks_late=True)
def import_run_task(job_id: int) -> None:
    """Run a (large) spreadsheet import; re-running a finished job does nothing."""
    from clients.imports import import_run

    import_run(job_id=job_id)


@shared_task(
    name="clients.tasks.privacy_request_reminders_task", acks_late=True, ignore_result=False
)
def privacy_request_reminders_task(day: str | None = None) -> int:
    """Daily: privacy requests due within 7 days or overdue are brought to the privacy
    officers and the casemanager, once per state (idempotent)."""
    import datetime as dt

    from django.utils import timezone

    from clients.services.privacy_requests import send_reminders

    return send_reminders(today=dt.date.fromisoformat(day) if day else timezone.localdate())
