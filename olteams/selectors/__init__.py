"""Reads of the platform: notifications and the audit log."""

from olteams.selectors.records import (
    StaffScope,
    audit_event_list,
    notification_list,
    notification_unread_count,
    staff_annotate,
    staff_label,
    staff_search,
)

__all__ = [
    "StaffScope",
    "audit_event_list",
    "notification_list",
    "notification_unread_count",
    "staff_annotate",
    "staff_label",
    "staff_search",
]
