"""Reads of the organisational backbone."""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, Func, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import NullIf

from olteams.access import clients_visible_to
from olteams.models import AuditEvent, Notification, User


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notices, newest first. ``client_name`` names the client a notice is about
    only when the access policy lets this reader see that client today; otherwise it is None."""
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    name = Func(
        Value(" "),
        "first_name",
        NullIf("name_prefix", Value("")),
        "last_name",
        function="CONCAT_WS",
        output_field=CharField(),
    )
    visible = clients_visible_to(user).filter(pk=OuterRef("client_id"))
    return qs.annotate(
        client_name=Subquery(visible.annotate(full_name_=name).values("full_name_")[:1])
    ).order_by("-created_at", "-id")


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
