from django.urls import URLPattern, URLResolver, path

from caseload.portal import views

app_name = "portal"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("aanmelden/", views.sign_in, name="login"),
    path("afmelden/", views.sign_out, name="logout"),
]
