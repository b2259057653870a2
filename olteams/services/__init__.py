"""Writes of the platform: notifications, their e-mail, accounts."""

from olteams.services.email import (
    notification_email_mode,
    notification_email_mode_set,
    notification_emails_send,
)
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
    "notification_email_mode",
    "notification_email_mode_set",
    "notification_emails_send",
    "notification_mark_read",
    "notifications_close",
]
