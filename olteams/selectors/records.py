"""Reads of the organisational backbone."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from olteams.models import AuditEvent, Notification, User


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_unread_count(*, user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def audit_event_list(
    *,
    client_id: int | None = None,
    username: str = "",
    action: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events, newest first; filters use the (client_id, occurred_at) index."""
    qs = AuditEvent.objects.select_related("team")
    if client_id is not None:
        qs = qs.filter(client_id=client_id)
    if username:
        qs = qs.filter(username=username)
    if action:
        qs = qs.filter(action=action)
    if start:
        qs = qs.filter(occurred_at__date__gte=start)
    if end:
        qs = qs.filter(occurred_at__date__lte=end)
    return qs.order_by("-occurred_at", "-id")
