"""Writes of the organisational backbone: notifications and e-mail."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
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
) -> int:
    """Notify each recipient once. With a ``dedupe_key`` a repeated call (a job run twice,
    or two runs at once) creates nothing new: the unique constraint decides, not a check.
    Returns the number of notifications actually created."""
    recipients = list({u.pk: u for u in recipients}.values())
    fields = {"kind": kind, "title": title[:200], "body": body, "url": url[:300], "due_on": due_on}
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


def membership_changed(
    *, actor: User, membership: Any, event_type: str, request: Any = None
) -> None:
    """A team membership was added, changed or removed (admin): an audit event, and the
    member, the team's leads and every functional administrator hear of it."""
    from olteams.audit import audit_record
    from olteams.constants import AuditEventType, TeamRole
    from olteams.models import Membership

    verb = {
        AuditEventType.CREATE: "toegevoegd",
        AuditEventType.UPDATE: "gewijzigd",
        AuditEventType.DELETE: "verwijderd",
    }[AuditEventType(event_type)]
    detail = (
        f"lidmaatschap {verb}: {membership.user} in {membership.team} als "
        f"{membership.get_role_display()} ({membership.valid_from:%d-%m-%Y}"
        f" t/m {membership.valid_to:%d-%m-%Y})"
        if membership.valid_to
        else f"lidmaatschap {verb}: {membership.user} in {membership.team} als "
        f"{membership.get_role_display()} (vanaf {membership.valid_from:%d-%m-%Y})"
    )
    audit_record(
        user=actor,
        event_type=event_type,
        request=request,
        object_type="olteams.membership",
        object_id=str(membership.pk or ""),
        detail=detail,
    )
    leads = User.objects.filter(
        memberships__in=Membership.objects.filter(team=membership.team, role=TeamRole.LEAD)
    )
    admins = User.objects.filter(is_functional_admin=True, is_active=True)
    notification_create(
        recipients=[membership.user, *leads, *admins],
        kind=NotificationKind.INFO,
        title=f"Teamlidmaatschap {verb}: {membership.user} in {membership.team}",
        body=f"Door {actor}. {detail}.",
    )
