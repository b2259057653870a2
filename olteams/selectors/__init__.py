"""Reads of the platform: notifications and the audit log."""

from olteams.selectors.records import (
    audit_event_list,
    notification_list,
    notification_unread_count,
)

__all__ = [
    "audit_event_list",
    "notification_list",
    "notification_unread_count",
]
