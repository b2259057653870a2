"""/api/: the versioned REST API of every app, the schema and its docs page."""

from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from olteams.api import views

v1_patterns: list[URLPattern | URLResolver] = [
    path("me/", views.MeApi.as_view(), name="me"),
    path("meldingen/", views.NotificationListApi.as_view(), name="notification-list"),
    path("tokens/", views.ApiTokenListApi.as_view(), name="token-list"),
    path("tokens/<int:token_id>/", views.ApiTokenRevokeApi.as_view(), name="token-revoke"),
    path("meldingen/gelezen/", views.NotificationMarkReadApi.as_view(), name="notification-read"),
]

v1_patterns += [
    path("", include("clients.api.urls")),
    path("", include("herstelplan.api.urls")),
    path("", include("wmo.api.urls")),
    path("", include("caseload.api.urls")),
    path("", include("finance.api.urls")),
    re_path(r"^", views.api_not_found),  # last: what no pattern above matched
]

urlpatterns = [
    path("v1/", include((v1_patterns, "api"))),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
