"""Writes of the platform: notifications."""

from olteams.services.notifications import (
    notification_create,
    notification_mark_read,
    notifications_close,
)

__all__ = [
    "notification_create",
    "notification_mark_read",
    "notifications_close",
]
