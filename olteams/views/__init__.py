"""Pages of the platform: sign-in and second factor, start page, notifications, health,
audit log."""

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

__all__ = [
    "SignInView",
    "audit_export",
    "audit_list",
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
