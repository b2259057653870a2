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


@shared_task(name="olteams.tasks.audit_verify_task", ignore_result=True)
def audit_verify_task() -> bool:
    """Nightly: verify the audit hash chain; a break alerts every functional administrator."""
    import logging

    from olteams.audit import audit_chain_verify
    from olteams.constants import NotificationKind
    from olteams.models import User
    from olteams.services import notification_create

    total, broken = audit_chain_verify()
    if broken is None:
        return True
    logging.getLogger(__name__).error(
        "audit chain broken seq=%s event_id=%s total=%s", broken.seq, broken.event_id, total
    )
    notification_create(
        recipients=User.objects.filter(is_functional_admin=True, is_active=True),
        kind=NotificationKind.ESCALATION,
        title=f"Auditlog gebroken bij gebeurtenis nummer {broken.seq}",
        body=f"Gebeurtenis id {broken.event_id}: {broken.reason}. Controleer met "
        "'manage.py audit_verify' en meld het als beveiligingsincident.",
        dedupe_key=f"audit:chain:{broken.seq}:{broken.event_id}",
        email=True,
    )
    return False


@shared_task(
    name="olteams.tasks.notification_email_direct_task", acks_late=True, ignore_result=True
)
def notification_email_direct_task(user_ids: list[int] | None = None) -> int:
    """After a notice is committed (those users), and every few minutes from beat (everyone
    who chose "direct": notices the Wmo sweeps wrote in SQL). Mails nothing twice."""
    from olteams.models import NotificationEmailPreference
    from olteams.services import notification_emails_send

    return notification_emails_send(mode=NotificationEmailPreference.Mode.DIRECT, user_ids=user_ids)


@shared_task(
    name="olteams.tasks.notification_email_digest_task", acks_late=True, ignore_result=True
)
def notification_email_digest_task() -> int:
    """Daily: one overview e-mail to everyone who chose "dagelijks" and has new notices."""
    from olteams.models import NotificationEmailPreference
    from olteams.services import notification_emails_send

    return notification_emails_send(mode=NotificationEmailPreference.Mode.DAILY)


@shared_task(name="olteams.tasks.retention_scan_task", acks_late=True, ignore_result=True)
def retention_scan_task(today: str | None = None) -> int | None:
    """Daily: record what passed its retention term as a pending batch and tell the
    functional administrators; removes nothing (olteams.services.retention). Idempotent:
    a second run finds nothing that a pending batch already holds."""
    import datetime as dt

    from django.urls import reverse

    from olteams.constants import NotificationKind
    from olteams.models import User
    from olteams.services import notification_create
    from olteams.services.retention import retention_scan

    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    batch = retention_scan(today=day)
    if batch is None:
        return None
    notification_create(
        recipients=User.objects.filter(is_functional_admin=True, is_active=True),
        kind=NotificationKind.TASK,
        title="Bewaartermijnen verstreken: bevestiging nodig",
        body="Gegevens hebben hun bewaartermijn bereikt. Beoordeel de lijst; er wordt niets "
        "verwijderd zonder uw bevestiging.",
        url=reverse("olteams:retention-detail", kwargs={"pk": batch.pk}),
        dedupe_key=f"retention:batch:{batch.pk}",
    )
    return batch.pk
