"""Reads of the Wmo workflow. Every one starts from the access policy (olteams.access)."""

from wmo.selectors.requests import (
    Clock,
    IndicationRow,
    PercentileCont,
    client_requests,
    deadline_clock,
    has_care_access,
    inbox_list,
    indication_register,
    indication_state,
    indications_for_user,
    is_deciding_consultant,
    lead_time_stats,
    pending_counts,
    products_for,
    request_get,
    request_list,
)

__all__ = [
    "Clock",
    "IndicationRow",
    "PercentileCont",
    "client_requests",
    "deadline_clock",
    "has_care_access",
    "inbox_list",
    "indication_register",
    "indication_state",
    "indications_for_user",
    "is_deciding_consultant",
    "lead_time_stats",
    "pending_counts",
    "products_for",
    "request_get",
    "request_list",
]
