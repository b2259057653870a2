from django.urls import URLPattern, URLResolver, path

from caseload.portal import (
    views,
    views_accesslog,
    views_care,
    views_gegevens,
    views_naasten,
    views_plan,
    views_requests,
    views_sign_in,
)

app_name = "portal"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("aanmelden/", views.sign_in, name="login"),
    path("afmelden/", views.sign_out, name="logout"),
    path("aanmelden/digid/kiezen/", views_sign_in.digid_choose, name="digid-choose"),
    path("aanmelden/digid/niet-gelukt/", views_sign_in.digid_refused, name="digid-refused"),
    path("aanmelden/activeren/", views_sign_in.activate, name="activate"),
    path("aanmelden/activeren/instellen/", views_sign_in.activate_setup, name="activate-setup"),
    path("aanmelden/met-code/", views_sign_in.code_sign_in, name="code-login"),
    path("team/", views_care.team, name="team"),
    path("afspraken/", views_care.appointments, name="appointments"),
    path("contacten/", views_care.contacts, name="contacts"),
    path("wie-heeft-mijn-dossier-bekeken/", views_accesslog.access_log, name="access-log"),
    path(
        "wie-heeft-mijn-dossier-bekeken/pdf/",
        views_accesslog.access_log_pdf,
        name="access-log-pdf",
    ),
    path("naasten/", views_naasten.naasten, name="naasten"),
    path("gegevens/", views_gegevens.gegevens, name="gegevens"),
    path("gegevens/download.json", views_gegevens.export_json, name="export-json"),
    path("gegevens/download.pdf", views_gegevens.export_pdf_view, name="export-pdf"),
    path("gegevens/verzoek/", views_requests.request_create, name="request-create"),
    path(
        "gegevens/verzoek/<int:pk>/intrekken/",
        views_requests.request_withdraw,
        name="request-withdraw",
    ),
    path("plan/", views_plan.plan, name="plan"),
    path("plan/versies/", views_plan.plan_versions, name="plan-versions"),
    path("plan/versies/<int:plan_id>/", views_plan.plan_version, name="plan-version"),
    path("plan/versies/<int:plan_id>/pdf/", views_plan.plan_pdf, name="plan-pdf"),
    path("plan/versies/<int:plan_id>/opmerking/", views_plan.plan_comment, name="plan-comment"),
    path("plan/versies/<int:plan_id>/akkoord/", views_plan.plan_agree, name="plan-agree"),
    path("iroc/", views_plan.iroc, name="iroc"),
    path("iroc/invullen/", views_plan.iroc_new, name="iroc-new"),
]
