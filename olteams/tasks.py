"""Celery entry points of the backbone."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

BEAT_TICK_KEY = "beat:last_tick"


@shared_task(name="olteams.tasks.beat_heartbeat_task", ignore_result=True)
def beat_heartbeat_task() -> str:
    """Scheduled every minute by beat; /healthz reads the time of the last tick."""
    now = timezone.now().isoformat()
    cache.set(BEAT_TICK_KEY, now, timeout=None)
    return now


@shared_task(name="olteams.tasks.jobs_reconcile_task", ignore_result=True)
def jobs_reconcile_task(startup: bool = False) -> dict[str, int]:
    """The outbox sweep (olteams.outbox): from beat every minute and when a worker starts."""
    from olteams.outbox import jobs_reconcile

    return jobs_reconcile(startup=startup)
