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

__all__ = [
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "membership_changed",
    "notification_create",
    "notification_mark_read",
    "notifications_close",
]
