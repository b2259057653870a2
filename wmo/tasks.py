"""Celery entry points of the Wmo workflow: each takes a date and calls one service."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from wmo import services


def _day(day: str | None) -> dt.date:
    return dt.date.fromisoformat(day) if day else timezone.localdate()


@shared_task(name="wmo.tasks.deadline_sweep_task", acks_late=True, ignore_result=False)
def deadline_sweep_task(day: str | None = None) -> dict[str, int]:
    """Daily (and on demand): reminders at day 10, escalations at day 14. Idempotent."""
    result = services.deadline_sweep(today=_day(day))
    return {
        "reminded": result.reminded,
        "escalated": result.escalated,
        "notifications": result.notifications,
    }


@shared_task(name="wmo.tasks.expiry_task", acks_late=True, ignore_result=False)
def expiry_task(day: str | None = None) -> int:
    """Daily: the casemanager is asked to request a follow-up before an indication ends."""
    return services.expiry_sweep(today=_day(day))
