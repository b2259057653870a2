"""Writes of the platform: notifications."""

from olteams.services.notifications import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    membership_changed,
    notification_create,
    notification_mark_read,
    notifications_close,
)
from olteams.services.privacy import (
    emergency_access_end,
    emergency_access_request,
    emergency_access_review,
    emergency_lookup,
)

__all__ = [
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "emergency_access_end",
    "emergency_access_request",
    "emergency_access_review",
    "emergency_lookup",
    "membership_changed",
    "notification_create",
    "notification_mark_read",
    "notifications_close",
]
