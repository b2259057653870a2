"""The job row is the outbox: a job is committed first, then sent to the broker.

A job model has ``queued_at`` (when its message was last handed to the broker, empty when
it never was), ``attempts`` (how often it was sent) and ``progress_at`` (when the worker last
moved it). Sending happens after the commit and never raises into the request: when Redis
is down the row simply stays unsent, and ``jobs_reconcile`` (every minute from beat, and
when a worker starts) sends it once Redis is back. The same sweep requeues jobs whose worker
died (no progress for longer than the task time limit) and, after ``MAX_ATTEMPTS``, marks
them failed with a reason the user sees. Tasks are idempotent, so sending twice is safe.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


def send_grace() -> dt.timedelta:
    """A job committed this recently may still be sent by its own on_commit hook."""
    return dt.timedelta(seconds=int(getattr(settings, "OUTBOX_SEND_GRACE_SECONDS", 30)))


def stuck_after() -> dt.timedelta:
    """No progress for longer than the hard task time limit (plus a margin): the worker died."""
    return dt.timedelta(seconds=int(settings.CELERY_TASK_TIME_LIMIT) + 60)


def send(task: Any, args: list[Any]) -> bool:
    """Hand a message to the broker now; False (logged) when the broker is unreachable."""
    try:
        task.apply_async(args=args, retry=False)
    except Exception as exc:  # kombu raises several types; the outbox sweep retries
        logger.warning("enqueue failed task=%s args=%s error=%s", task.name, args, exc)
        return False
    return True


def send_on_commit(model: type[models.Model], pk: int, task: Any, args: list[Any]) -> None:
    """After the current transaction commits, send the job and stamp ``queued_at``."""

    def _send() -> None:
        if send(task, args):
            model._default_manager.filter(pk=pk).update(
                queued_at=timezone.now(), attempts=models.F("attempts") + 1
            )

    transaction.on_commit(_send, robust=True)


@dataclass(frozen=True)
class JobKind:
    """How to reconcile one job model: its states, its task and its failure message."""

    model: type[models.Model]
    task: Callable[[], Any]  # returns the Celery task (imported lazily)
    pending: str
    running: str
    failed: str
    failed_message: Any  # a str or a lazy translation
    reset_to_pending: bool  # the task only starts a pending job (imports)
    # Send running jobs again when a worker starts (only when running twice is harmless).
    requeue_on_startup: bool


_KINDS: list[JobKind] = []


def register(kind: JobKind) -> None:
    """Apps register their job models in ``AppConfig.ready`` (olteams imports no app)."""
    if all(k.model is not kind.model for k in _KINDS):
        _KINDS.append(kind)


def jobs_reconcile(*, now: dt.datetime | None = None, startup: bool = False) -> dict[str, int]:
    """Send what was committed but never sent; requeue or fail jobs whose worker died.

    ``startup``: a worker just started, so messages of jobs that were running may sit
    unacknowledged in Redis until the visibility timeout; send those jobs again at once."""
    moment = now or timezone.now()
    counts = {"sent": 0, "requeued": 0, "failed": 0}
    for kind in _KINDS:
        manager = kind.model._default_manager
        unsent = manager.filter(
            status=kind.pending, queued_at__isnull=True, created_at__lte=moment - send_grace()
        )
        lost = manager.filter(status=kind.pending, queued_at__lte=moment - stuck_after())
        for job in list(unsent) + list(lost):
            counts["sent"] += _resend(kind, job, moment)
        stalled = Q(progress_at__lte=moment - stuck_after()) | Q(
            progress_at__isnull=True, queued_at__lte=moment - stuck_after()
        )
        running = manager.filter(status=kind.running)
        if not (startup and kind.requeue_on_startup):
            running = running.filter(stalled)
        for job in running:
            if getattr(job, "attempts", 0) >= MAX_ATTEMPTS:
                manager.filter(pk=job.pk, status=kind.running).update(
                    status=kind.failed,
                    error=str(kind.failed_message)[:300],
                    finished_at=moment,
                )
                logger.warning("job failed after attempts model=%s id=%s", kind.model, job.pk)
                counts["failed"] += 1
                continue
            if kind.reset_to_pending:
                manager.filter(pk=job.pk, status=kind.running).update(status=kind.pending)
            counts["requeued"] += _resend(kind, job, moment)
    if any(counts.values()):
        logger.info("jobs reconciled %s", " ".join(f"{k}={v}" for k, v in counts.items()))
    return counts


def _resend(kind: JobKind, job: Any, moment: dt.datetime) -> int:
    if not send(kind.task(), [job.pk]):
        return 0
    kind.model._default_manager.filter(pk=job.pk).update(
        queued_at=moment, attempts=models.F("attempts") + 1
    )
    return 1
