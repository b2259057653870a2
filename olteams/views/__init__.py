"""Pages of the platform: sign-in and second factor, start page, notifications, health,
audit log, break-the-glass and the privacy officer's Toegangslog."""

from olteams.views.pages import (
    SignInView,
    audit_export,
    audit_list,
    healthz,
    home,
    notifications,
    notifications_mark_read,
    old_client_url,
    otp_enrol,
    otp_verify,
    sign_in,
    sign_out,
    staff_search,
)
from olteams.views.privacy import (
    access_log_export,
    access_log_view,
    emergency_end,
    emergency_list,
    emergency_request,
    emergency_review,
)

__all__ = [
    "SignInView",
    "access_log_export",
    "access_log_view",
    "audit_export",
    "audit_list",
    "emergency_end",
    "emergency_list",
    "emergency_request",
    "emergency_review",
    "healthz",
    "home",
    "notifications",
    "notifications_mark_read",
    "old_client_url",
    "otp_enrol",
    "otp_verify",
    "sign_in",
    "sign_out",
    "staff_search",
]
