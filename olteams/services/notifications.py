"""Writes of the organisational backbone: notifications and e-mail."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from olteams.constants import NotificationKind
from olteams.models import Notification, User

logger = logging.getLogger(__name__)


def notification_create(
    *,
    recipients: Iterable[User],
    title: str,
    kind: str = NotificationKind.INFO,
    body: str = "",
    url: str = "",
    dedupe_key: str = "",
    due_on=None,
    email: bool = False,
    client_id: int | None = None,
) -> int:
    """Notify each recipient once. With a ``dedupe_key`` a repeated call (a job run twice,
    or two runs at once) creates nothing new: the unique constraint decides, not a check.
    Returns the number of notifications actually created. ``client_id`` names the client the
    notice is about; the list shows the client's name only to readers who may see them."""
    recipients = list({u.pk: u for u in recipients}.values())
    fields = {
        "kind": kind,
        "title": title[:200],
        "body": body,
        "url": url[:300],
        "due_on": due_on,
        "client_id": client_id,
    }
    if dedupe_key:
        # get_or_create per recipient: under a race the loser's INSERT hits the unique
        # constraint and it reads the winner's row, so only one caller reports (and mails) it.
        created_for = [
            u
            for u in recipients
            if Notification.objects.get_or_create(
                recipient=u, dedupe_key=dedupe_key, defaults=fields
            )[1]
        ]
    else:
        Notification.objects.bulk_create([Notification(recipient=u, **fields) for u in recipients])
        created_for = recipients
    if email and created_for:
        addresses = [u.email for u in created_for if u.email]
        transaction.on_commit(lambda: _send_mail(title, body, url, addresses))
    return len(created_for)


def _send_mail(title: str, body: str, url: str, addresses: list[str]) -> None:
    if not addresses:
        return
    text = f"{body}\n\n{url}" if url else body
    send_mail(f"[Optimaal Leven] {title}", text, settings.DEFAULT_FROM_EMAIL, addresses)
    logger.info("mail sent count=%s", len(addresses))


def notification_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread ones when no ids are given)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


def notifications_close(
    *,
    dedupe_keys: Iterable[str] = (),
    client_id: int | None = None,
    kinds: Iterable[str] = (),
    now: dt.datetime | None = None,
) -> int:
    """Close, for every recipient, the unread notices that ask for nothing any more: those
    with one of ``dedupe_keys`` (a withdrawn request's task and reminders) and, with
    ``client_id``, the client's notices of ``kinds`` (reminders and tasks after outflow).
    They are marked read, not deleted: the history stays. Returns the number closed."""
    keys = [k for k in dedupe_keys if k]
    condition = Q(dedupe_key__in=keys) if keys else Q(pk__in=[])
    if client_id is not None:
        condition |= Q(client_id=client_id, kind__in=list(kinds))
    return Notification.objects.filter(condition, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )
