"""The worker's private calendar address: made, remade and revoked by the worker alone.

The secret is 32 random bytes (``secrets.token_urlsafe``); only its SHA-256 is stored, so
the address is shown once, right after it is made. Whoever holds the address reads the
worker's appointments with a client number and the kind of contact, never a name, note or
address (``caseload.selectors.calendar_feed``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from caseload.models import CalendarFeedToken
from olteams.models import User

TOKEN_BYTES = 32
# A calendar app polls every few minutes: record the last use at most once an hour.
LAST_USED_PRECISION = dt.timedelta(hours=1)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def calendar_feed_revoke(*, actor: User, now: dt.datetime | None = None) -> int:
    """Revoke the actor's address (the row stays, with the moment it was revoked)."""
    return CalendarFeedToken.objects.filter(user=actor, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )


@transaction.atomic
def calendar_feed_create(*, actor: User, now: dt.datetime | None = None) -> str:
    """Make a new address for the actor (revoking the old one) and return its secret."""
    calendar_feed_revoke(actor=actor, now=now)
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    CalendarFeedToken.objects.create(user=actor, token_hash=token_hash(secret))
    return secret


def calendar_feed_user(*, secret: str, now: dt.datetime | None = None) -> User | None:
    """The active worker whose active address this is, or None (unknown or revoked)."""
    now = now or timezone.now()
    feed = (
        CalendarFeedToken.objects.select_related("user")
        .filter(token_hash=token_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    if feed.last_used_at is None or now - feed.last_used_at >= LAST_USED_PRECISION:
        CalendarFeedToken.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.user
