"""Root URL configuration: names every app (configuration, not a dependency)."""

from django.contrib import admin
from django.urls import include, path

from olteams import views

olteams_patterns = (
    [
        path("", views.home, name="home"),
        path("aanmelden/", views.sign_in, name="login"),
        path("aanmelden/verificatie/", views.otp_verify, name="otp-verify"),
        path("aanmelden/koppelen/", views.otp_enrol, name="otp-enrol"),
        path("afmelden/", views.sign_out, name="logout"),
        path("meldingen/", views.notifications, name="notification-list"),
        path("meldingen/gelezen/", views.notifications_mark_read, name="notification-mark-read"),
        path("medewerkers/zoeken/", views.staff_search, name="staff-search"),
        path("beheer/auditlog/", views.audit_list, name="audit-list"),
        path("beheer/auditlog/export.csv", views.audit_export, name="audit-export"),
    ],
    "olteams",
)

urlpatterns = [
    path("", include(olteams_patterns)),
    path("healthz", views.healthz, name="healthz"),
    path("clienten/", include("clients.urls")),
    path("herstelplan/", include("herstelplan.urls")),
    path("wmo/", include("wmo.urls")),
    path("caseload/", include("caseload.urls")),
    path("financien/", include("finance.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("olteams.api_urls")),
]
