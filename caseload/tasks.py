"""Celery entry points of the caseload app."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone


@shared_task(name="caseload.tasks.system_tasks_sync_task", acks_late=True, ignore_result=True)
def system_tasks_sync_task(today: str | None = None) -> int:
    """Daily, after the reminder jobs: each reminder asking for work on a client becomes a
    task of its recipient. Idempotent (one task per recipient and reminder)."""
    from caseload.services.tasks import system_tasks_sync

    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return system_tasks_sync(today=day)
