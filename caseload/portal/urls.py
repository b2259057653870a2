from django.urls import URLPattern, URLResolver, path

from caseload.portal import views, views_care

app_name = "portal"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("aanmelden/", views.sign_in, name="login"),
    path("afmelden/", views.sign_out, name="logout"),
    path("team/", views_care.team, name="team"),
    path("afspraken/", views_care.appointments, name="appointments"),
    path("contacten/", views_care.contacts, name="contacts"),
]
