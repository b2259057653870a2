"""A URL configuration for ``test_fast_url``: patterns ``fast_reverse`` can and cannot build."""

from django.http import HttpResponse
from django.urls import include, path, re_path


def _view(request, **kwargs):
    return HttpResponse()


urlpatterns = [
    path("dossier/<int:client_id>/", _view, name="file"),
    path("dossier/<int:client_id>/contact/<int:contact_id>/", _view, name="contact"),
    path("team/<slug:slug>/", _view, name="team"),
    re_path(r"^jaar/(?P<year>[0-9]{4})/$", _view, name="year"),
    path("a&b/<int:pk>/", _view, name="escaped"),
    path("", _view, name="home"),
    path("ns/", include(([path("<int:pk>/", _view, name="item")], "app"), namespace="app")),
]
