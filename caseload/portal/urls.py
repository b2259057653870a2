from django.urls import URLPattern, URLResolver, path

from caseload.portal import views, views_care, views_plan

app_name = "portal"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("aanmelden/", views.sign_in, name="login"),
    path("afmelden/", views.sign_out, name="logout"),
    path("team/", views_care.team, name="team"),
    path("afspraken/", views_care.appointments, name="appointments"),
    path("contacten/", views_care.contacts, name="contacts"),
    path("plan/", views_plan.plan, name="plan"),
    path("plan/versies/", views_plan.plan_versions, name="plan-versions"),
    path("plan/versies/<int:plan_id>/", views_plan.plan_version, name="plan-version"),
    path("plan/versies/<int:plan_id>/pdf/", views_plan.plan_pdf, name="plan-pdf"),
    path("plan/versies/<int:plan_id>/opmerking/", views_plan.plan_comment, name="plan-comment"),
    path("plan/versies/<int:plan_id>/akkoord/", views_plan.plan_agree, name="plan-agree"),
    path("iroc/", views_plan.iroc, name="iroc"),
    path("iroc/invullen/", views_plan.iroc_new, name="iroc-new"),
]
