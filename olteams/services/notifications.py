"""Writes of the organisational backbone: notifications and e-mail."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from olteams.constants import NotificationKind
from olteams.models import Notification, User
from olteams.services.email import notification_email_enqueue, urgent_email_send

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
        # Urgent: mailed at once whatever the recipients chose, with fixed words only (the
        # title and body may name a client).
        addresses = [u.email for u in created_for if u.email]
        transaction.on_commit(lambda: urgent_email_send(addresses=addresses))
    elif created_for:
        notification_email_enqueue(recipient_ids=[u.pk for u in created_for])
    return len(created_for)


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


API_TOKEN_MAX_DAYS = 90


def _token_hash(key: str) -> str:
    import hashlib

    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(
    *, actor: User, name: str, scope: str, days: int = 30, verified: bool
) -> tuple[Any, str]:
    """A personal token for ``actor``; only in a session whose second factor was passed.
    Returns the token and its key (shown once; only its hash is stored)."""
    import secrets

    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import gettext as _

    from olteams.audit import audit_record
    from olteams.constants import AuditEventType
    from olteams.models import ApiToken

    if not verified:
        raise PermissionDenied(
            _("Een API-token maakt u alleen na aanmelden met tweestapsverificatie.")
        )
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Geef het token een naam, bijvoorbeeld waarvoor u het gebruikt.")
    if scope not in ApiToken.Scope.values:
        errors["scope"] = _("Kies 'lezen' of 'schrijven'.")
    if not 1 <= int(days or 0) <= API_TOKEN_MAX_DAYS:
        errors["days"] = _("Een token is 1 tot %(n)s dagen geldig.") % {"n": API_TOKEN_MAX_DAYS}
    if errors:
        raise ValidationError(errors)
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name.strip()[:100],
        prefix=key[:8],
        key_hash=_token_hash(key),
        scope=scope,
        expires_at=timezone.now() + dt.timedelta(days=int(days)),
    )
    audit_record(user=actor, event_type=AuditEventType.CREATE, obj=token, detail="API-token")
    return token, key


def api_token_revoke(*, actor: User, token_id: int) -> Any:
    """Revoke one of the actor's own tokens (a revoked token stays listed)."""
    from olteams.audit import audit_record
    from olteams.constants import AuditEventType
    from olteams.models import ApiToken

    token = ApiToken.objects.get(pk=token_id, user=actor)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            user=actor, event_type=AuditEventType.DELETE, obj=token, detail="API-token ingetrokken"
        )
    return token


def api_token_authenticate(key: str) -> Any:
    """The active token for a key, or None (unknown, expired or revoked)."""
    from olteams.models import ApiToken

    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_token_hash(key), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
