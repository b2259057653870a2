"""Celery entry points of the herstelplan app."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.utils import timezone

from herstelplan.services import plan_reminders_create

logger = logging.getLogger(__name__)


@shared_task(name="herstelplan.tasks.plan_reviews_due_task", acks_late=True, ignore_result=True)
def plan_reviews_due_task(today: str | None = None) -> dict[str, int]:
    """Daily: reminders for plan and goal evaluations, I.ROC and yearly naaste meetings due.
    Idempotent: every reminder has a dedupe key, so a second run creates nothing."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    counts = plan_reminders_create(today=day)
    logger.info(
        "plan reminders today=%s %s",
        day.isoformat(),
        " ".join(f"{k}={v}" for k, v in counts.items()),
    )
    return counts
