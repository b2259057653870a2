from django.urls import URLPattern, URLResolver, path

from caseload.portal import views, views_sign_in

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
]
