"""Every API list of client data writes an audit event (issue 14, NEN 7513).

Walks the ``api`` URLconf: each list route without URL kwargs whose serializer's model is
client data (the Client itself, a referral, or anything with a ``client`` field) is read by
a user holding every role, and must write at least one audit event. Client-scoped routes
(with a ``client_id``) are covered by tests/olteams/test_url_audit.py."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.generics import ListAPIView

from olteams.models import AuditEvent
from tests.factories.olteams import ControllerRoleFactory, MunicipalityRoleFactory

CLIENT_MODELS = {"clients.client", "clients.referral"}


def _walk(patterns, prefix=""):  # type: ignore[no-untyped-def]
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _is_client_data(view_class) -> bool:  # type: ignore[no-untyped-def]
    serializer = getattr(view_class, "serializer_class", None)
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None:
        return False
    names = {f.name for f in model._meta.get_fields()}
    return model._meta.label_lower in CLIENT_MODELS or "client" in names


def client_data_lists() -> list[str]:
    routes = []
    for route, pattern in _walk(get_resolver().url_patterns):
        view_class = getattr(pattern.callback, "view_class", None)
        if not route.startswith("api/v1/") or "<" in route or view_class is None:
            continue
        if issubclass(view_class, ListAPIView) and _is_client_data(view_class):
            routes.append("/" + route)
    return sorted(routes)


def test_the_walk_finds_the_client_data_lists():
    routes = client_data_lists()
    assert {"/api/v1/clienten/", "/api/v1/aanmeldingen/", "/api/v1/wachtlijst/"} <= set(routes)


@pytest.mark.django_db
@pytest.mark.parametrize("route", client_data_lists())
def test_every_client_data_api_list_writes_an_audit_event(
    route, lead, municipality, org_ggz, login
):
    MunicipalityRoleFactory(user=lead, municipality=municipality, is_lead=True)
    ControllerRoleFactory(user=lead, organisation=org_ggz)
    before = AuditEvent.objects.count()
    response = login(lead).get(route)
    assert response.status_code == 200, route
    assert AuditEvent.objects.count() > before, f"{route} wrote no audit event"
