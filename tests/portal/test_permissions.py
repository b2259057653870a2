"""The portal's permission table (tests/portal/table.py): every portal URL, every visitor.

No visitor ever sees another client's data; a refusal is logged as DENIED and changes
nothing else (every row of the clients, herstelplan and caseload apps is the same)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import get_resolver, reverse

from olteams.constants import AuditOutcome
from olteams.models import AuditEvent
from tests.permissions import body, http_as, models_of, rows_of, shared_world
from tests.portal.browser import portal_browser
from tests.portal.table import (
    ANON,
    OK,
    PORTAL_LOGIN,
    PORTAL_ROLES,
    ROLES,
    PortalRoute,
    PortalWorld,
    build_world,
)
from tests.portal.test_session import SIGN_IN_NAMES

pytestmark = pytest.mark.django_db

# Each portal area's rows: a module ``tests.portal.rows_<area>`` with ``ROUTES`` and,
# optionally, ``prepare(world)`` that adds what its pages need to the world.
ROW_MODULES: tuple[str, ...] = (
    "tests.portal.rows_home",
    "tests.portal.rows_care",
    "tests.portal.rows_rights",
    "tests.portal.rows_plan",
    "tests.portal.rows_requests",
)
_modules = [importlib.import_module(name) for name in ROW_MODULES]
ROUTES: list[PortalRoute] = [route for module in _modules for route in module.ROUTES]
BY_ID = {route.id: route for route in ROUTES}
assert len(BY_ID) == len(ROUTES), "two rows with the same name and case"


@shared_world
def world() -> PortalWorld:
    """Built once for the module (tests/permissions.py, ``shared_world``)."""
    built = build_world()
    for module in _modules:
        prepare = getattr(module, "prepare", None)
        if prepare is not None:
            prepare(built)
    return built


def _browser(world: PortalWorld, role: str) -> HttpClient:
    if role == ANON:
        return HttpClient()
    if role in PORTAL_ROLES:
        return portal_browser(world.accounts[role])
    return http_as(world, role)


def _snapshot() -> dict[str, list[dict[str, Any]]]:
    return rows_of(models_of("clients", "herstelplan", "caseload", "wmo"))


def test_every_portal_url_is_in_the_table() -> None:
    resolver = get_resolver().namespace_dict["portal"][1]
    names = {name for name in resolver.reverse_dict if isinstance(name, str)}
    assert names - SIGN_IN_NAMES == {route.name for route in ROUTES}


def _check(world: PortalWorld, route: PortalRoute, role: str, expected: Any, method: str) -> None:
    url = route.url(world)
    before = _snapshot()
    denied_before = AuditEvent.objects.filter(outcome=AuditOutcome.DENIED).count()
    http = _browser(world, role)
    if method == "post":
        assert route.post is not None
        response = http.post(url, route.post(world, role))
    else:
        response = http.get(url)
    if expected == PORTAL_LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("portal:login"))
    elif expected == OK:
        status = route.post_status if method == "post" else 200
        assert response.status_code == status, body(response)[:2000]
        page = body(response)
        if route.shows is not None and method == "get":
            assert route.shows(world, role, page)
        if route.never_shows is not None:
            assert not route.never_shows(world, role, page)
        if method == "post":
            return  # the change itself is the area's own test
    else:
        assert response.status_code == expected
        assert AuditEvent.objects.filter(outcome=AuditOutcome.DENIED).count() > denied_before
    assert _snapshot() == before


def _cases(method: str) -> list[Any]:
    cases = []
    for route in ROUTES:
        if method == "post" and route.post is None:
            continue
        table = (route.post_expected if method == "post" else None) or route.expected
        for role in ROLES:
            cases.append(pytest.param(route.id, role, table[role], id=f"{route.id}-{role}"))
    return cases


@pytest.mark.parametrize(("route_id", "role", "expected"), _cases("get"))
def test_get(world: PortalWorld, route_id: str, role: str, expected: Any) -> None:
    _check(world, BY_ID[route_id], role, expected, "get")


@pytest.mark.parametrize(("route_id", "role", "expected"), _cases("post"))
def test_post(world: PortalWorld, route_id: str, role: str, expected: Any) -> None:
    _check(world, BY_ID[route_id], role, expected, "post")


def test_the_table_has_every_staff_role(world: PortalWorld) -> None:
    from olteams.access import roles_of
    from olteams.constants import Role

    held = {role for user in world.users.values() for role in roles_of(user)}
    assert held == set(Role.values)
