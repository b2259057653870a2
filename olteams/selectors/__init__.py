"""Reads of the platform: notifications and the audit log."""

from olteams.selectors.privacy import (
    access_log,
    client_access_history,
    client_id_for_lookup,
    emergency_access_list,
    emergency_candidate,
)
from olteams.selectors.records import (
    StaffScope,
    audit_event_list,
    notification_list,
    notification_unread_count,
    staff_annotate,
    staff_label,
    staff_label_of,
    staff_search,
)

__all__ = [
    "StaffScope",
    "access_log",
    "audit_event_list",
    "client_access_history",
    "client_id_for_lookup",
    "emergency_access_list",
    "emergency_candidate",
    "notification_list",
    "notification_unread_count",
    "staff_annotate",
    "staff_label",
    "staff_label_of",
    "staff_search",
]
