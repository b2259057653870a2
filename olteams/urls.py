"""Root URL configuration: names every app (configuration, not a dependency)."""

from django.contrib import admin
from django.urls import include, path, re_path

from olteams import views
from olteams.views import account, retention

olteams_patterns = (
    [
        path("", views.home, name="home"),
        path("aanmelden/", views.sign_in, name="login"),
        path("aanmelden/verificatie/", views.otp_verify, name="otp-verify"),
        path("aanmelden/koppelen/", views.otp_enrol, name="otp-enrol"),
        path("afmelden/", views.sign_out, name="logout"),
        path("aanmelden/wachtwoord-vergeten/", account.password_reset, name="password-reset"),
        path(
            "aanmelden/wachtwoord-vergeten/verstuurd/",
            account.password_reset_done,
            name="password-reset-done",
        ),
        path(
            "aanmelden/wachtwoord-herstellen/<uidb64>/<token>/",
            account.password_reset_confirm,
            name="password-reset-confirm",
        ),
        path(
            "aanmelden/wachtwoord-herstellen/klaar/",
            account.password_reset_complete,
            name="password-reset-complete",
        ),
        path("meldingen/", views.notifications, name="notification-list"),
        path("meldingen/per-email/", account.email_preference, name="email-preference"),
        path("meldingen/gelezen/", views.notifications_mark_read, name="notification-mark-read"),
        path("medewerkers/zoeken/", views.staff_search, name="staff-search"),
        path("beheer/auditlog/", views.audit_list, name="audit-list"),
        path("beheer/auditlog/export.csv", views.audit_export, name="audit-export"),
        path("beheer/bewaartermijnen/", retention.retention_list, name="retention-list"),
        path(
            "beheer/bewaartermijnen/<int:pk>/",
            retention.retention_detail,
            name="retention-detail",
        ),
        path(
            "beheer/bewaartermijnen/verslag.csv",
            retention.retention_export,
            name="retention-export",
        ),
        path("beheer/tweestapsverificatie/", account.otp_user_list, name="otp-user-list"),
        path(
            "beheer/tweestapsverificatie/<int:user_id>/",
            account.otp_reset,
            name="otp-reset",
        ),
        path("noodtoegang/", views.emergency_request, name="emergency-request"),
        path("noodtoegang/<int:pk>/beeindigen/", views.emergency_end, name="emergency-end"),
        path("privacy/toegangslog/", views.access_log_view, name="access-log"),
        path("privacy/toegangslog/export.csv", views.access_log_export, name="access-log-export"),
        path("privacy/noodtoegang/", views.emergency_list, name="emergency-list"),
        path(
            "privacy/noodtoegang/<int:pk>/beoordelen/",
            views.emergency_review,
            name="emergency-review",
        ),
    ],
    "olteams",
)

urlpatterns = [
    path("", include(olteams_patterns)),
    path("healthz", views.healthz, name="healthz"),
    # Every client page of every app lives under /clienten/<id>/…: each app names its own
    # paths, so the apps are mounted at the root. Links from before the client frame redirect.
    re_path(
        r"^(?P<app>herstelplan|wmo|caseload)/clienten/(?P<legacy_id>[0-9]+)/(?P<rest>.*)$",
        views.old_client_url,
    ),
    path("", include("caseload.urls")),
    path("", include("clients.urls")),
    path("", include("herstelplan.urls")),
    path("", include("wmo.urls")),
    path("financien/", include("finance.urls")),
    # The client's own door: its own session and sign-in (olteams.portal).
    path("mijn/", include("caseload.portal.urls")),
    path("mijn/digid/", include("caseload.portal.digid_urls")),
    # The library's mock DigiD: answers only with DIGID_MODE "mock" (development, tests).
    path("digid-mock/", include("caseload.portal.digid_mock_urls")),
    path("admin/", admin.site.urls),
    path("api/", include("olteams.api_urls")),
]

# Django's own 400 (too many form fields, a bad multipart body) answers JSON under /api/.
handler400 = "olteams.api.views.api_bad_request"
