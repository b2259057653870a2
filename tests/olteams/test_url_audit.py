"""Every client-scoped URL records an audit event (issue 2, NEN 7513).

``client_urls_without_audit`` walks the URLconf. A pattern is client-scoped when its view
(class, DRF view or decorated function) says ``audit_scope == "client"`` or when its route
carries a ``client_id``. Each one must be marked client-scoped, and a request to it for a
seeded client must write an AuditEvent with that client's id.

Apps whose client-scoped routes take more URL kwargs than ``client_id`` register a factory
in ``tests/<app>/url_kwargs.py`` (a dict ``KWARG_FACTORIES``, merged in here so each app owns
its own file): either per kwarg name for every route
(``"kwarg": callable(*, client, user) -> value``) or per URL name when the same kwarg means
different objects on different routes (``"app:url-name": {"pk": callable(...)}``); the URL
name entry wins. Each factory creates an object of ``client`` that ``user`` may open.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from olteams.audit import AUDIT_SCOPE_CLIENT
from olteams.constants import TeamRole
from olteams.models import AuditEvent
from tests.conftest import verified_client
from tests.factories.clients import ClientFactory
from tests.factories.olteams import ControllerRoleFactory, MembershipFactory, UserFactory

KWARG_FACTORIES: dict[str, Any] = {}
APPS_WITH_URL_KWARGS = ("clients", "herstelplan", "wmo", "caseload", "finance")


def collected_kwarg_factories() -> dict[str, Any]:
    """``KWARG_FACTORIES`` above plus those of ``tests/<app>/url_kwargs.py`` of every app."""
    merged = dict(KWARG_FACTORIES)
    for app in APPS_WITH_URL_KWARGS:
        name = f"tests.{app}.url_kwargs"
        if importlib.util.find_spec(f"tests.{app}") is None or (
            importlib.util.find_spec(name) is None
        ):
            continue
        merged.update(importlib.import_module(name).KWARG_FACTORIES)
    return merged


_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class WalkedPattern:
    route: str
    name: str | None
    kwarg_names: tuple[str, ...]
    view: Callable
    is_regex: bool


def _kwarg_names(pattern: Any) -> list[str]:
    if hasattr(pattern, "converters"):  # RoutePattern
        return list(pattern.converters)
    return list(getattr(pattern, "regex", re.compile("")).groupindex)


def walk(
    patterns: list, prefix: str = "", namespace: str = "", kwargs: tuple[str, ...] = ()
) -> Iterator[WalkedPattern]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        names = kwargs + tuple(_kwarg_names(entry.pattern))
        is_regex = not hasattr(entry.pattern, "converters")
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, route, ns, names)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield WalkedPattern(route, name, names, entry.callback, is_regex)


def audit_scope_of(view: Callable) -> str | None:
    """The audit marking of a view: on the function, its ``view_class`` (Django), ``cls``
    (DRF) or anything it wraps (``functools.wraps`` chains)."""
    seen = 0
    current: Any = view
    while current is not None and seen < 20:
        for candidate in (
            current,
            getattr(current, "view_class", None),
            getattr(current, "cls", None),
        ):
            scope = getattr(candidate, "audit_scope", None)
            if scope is not None:
                return scope
        current = getattr(current, "__wrapped__", None)
        seen += 1
    return None


def is_client_scoped(p: WalkedPattern) -> bool:
    return audit_scope_of(p.view) == AUDIT_SCOPE_CLIENT or "client_id" in p.kwarg_names


def _factory_for(
    p: WalkedPattern, kwarg: str, factories: dict[str, Any]
) -> Callable[..., Any] | None:
    per_route = factories.get(p.name or "")
    if isinstance(per_route, dict) and kwarg in per_route:
        return per_route[kwarg]
    shared = factories.get(kwarg)
    return shared if callable(shared) else None


def _url_for(p: WalkedPattern, kwargs: dict[str, Any]) -> str:
    if p.name:
        return reverse(p.name, kwargs=kwargs)
    if p.is_regex:
        raise ValueError("unnamed regex pattern")
    return "/" + _ROUTE_PARAM.sub(lambda m: str(kwargs[m.group("name")]), p.route)


def _request_records(http, url: str, client_id: int) -> bool:
    before = AuditEvent.objects.filter(client_id=client_id).count()
    response = http.get(url)
    if response.status_code == 405:  # a POST-only endpoint: empty input, audited before handling
        response = http.post(url, {})
    return AuditEvent.objects.filter(client_id=client_id).count() > before


def client_urls_without_audit(
    *, urlconf: str | None, http, client, user, kwarg_factories: dict[str, Any]
) -> list[str]:
    """The problems found: client-scoped routes that are not marked or do not record.

    Any event for the client counts, a DENIED one too: routes for another role than the probe
    user's (a Wmo decision) still prove that they go through the audit wrapper."""
    problems = []
    for p in walk(get_resolver(urlconf).url_patterns):
        if not is_client_scoped(p):
            continue
        if audit_scope_of(p.view) != AUDIT_SCOPE_CLIENT:
            problems.append(
                f"{p.route}: has client_id but no audit_scope (use ClientScopedMixin, "
                "client_view or ClientScopedApiMixin)"
            )
            continue
        factories = {
            k: _factory_for(p, k, kwarg_factories) for k in p.kwarg_names if k != "client_id"
        }
        missing = [k for k, factory in factories.items() if factory is None]
        if missing:
            problems.append(f"{p.route}: no KWARG_FACTORIES entry for {', '.join(missing)}")
            continue
        kwargs = {"client_id": client.pk}
        kwargs.update({k: factory(client=client, user=user) for k, factory in factories.items()})
        try:
            url = _url_for(p, kwargs)
            if not _request_records(http, url, client.pk):
                problems.append(f"{p.route}: a request recorded no audit event for the client")
        except Exception as exc:  # report every broken route, not just the first
            problems.append(f"{p.route}: {type(exc).__name__}: {exc}")
    return problems


@pytest.fixture
def probe(team, org_ggz, member):
    """A team lead who is also controller of all organisations: the widest client scope."""
    user = MembershipFactory(
        user=UserFactory(username="auditprobe"), team=team, organisation=org_ggz, role=TeamRole.LEAD
    ).user
    ControllerRoleFactory(user=user, organisation=None)
    return user, ClientFactory(team=team), verified_client(user)


@pytest.mark.django_db
def test_every_client_scoped_url_of_the_product_records_an_audit_event(probe):
    user, client, http = probe
    assert (
        client_urls_without_audit(
            urlconf=None,
            http=http,
            client=client,
            user=user,
            kwarg_factories=collected_kwarg_factories(),
        )
        == []
    )


def test_the_walker_reaches_every_app_so_the_check_cannot_pass_vacuously():
    walked = list(walk(get_resolver().url_patterns))
    names = {p.name for p in walked}
    assert len(walked) > 10
    assert {
        "olteams:home",
        "olteams:login",
        "olteams:audit-list",
        "healthz",
        "api:me",
        "api:notification-list",
        "admin:index",
    } <= names


def test_the_walker_finds_views_marked_on_class_drf_view_and_wrapped_function():
    walked = {p.name: p for p in walk(get_resolver("tests.olteams.fake_urls").url_patterns)}
    scoped = {name for name, p in walked.items() if is_client_scoped(p)}
    assert scoped == {
        "fake:client-file",
        "fake:client-print",
        "fake:client-notes",
        "fake:client-api",
        "bad:unaudited",
        "bad:claims-audit",
    }
    assert walked["fake:client-notes"].kwarg_names == ("client_id",)
    assert audit_scope_of(walked["bad:unaudited"].view) is None


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.olteams.fake_urls")
def test_the_checker_fails_on_an_unaudited_client_view_and_passes_audited_ones(probe):
    user, client, http = probe
    problems = client_urls_without_audit(
        urlconf="tests.olteams.fake_urls", http=http, client=client, user=user, kwarg_factories={}
    )
    assert problems == [
        "fout/kaal/<int:client_id>/: has client_id but no audit_scope (use ClientScopedMixin, "
        "client_view or ClientScopedApiMixin)",
        "fout/belofte/<int:client_id>/: a request recorded no audit event for the client",
    ]
    # The four audited fake views each recorded one success event for the client.
    assert AuditEvent.objects.filter(client_id=client.pk, outcome="success").count() == 4


@pytest.mark.django_db
def test_the_checker_asks_for_a_factory_for_other_url_kwargs(probe, settings):
    from django.urls import clear_url_caches, include, path

    from olteams.urls import olteams_patterns
    from tests.olteams import fake_urls

    urlconf = type(
        "UrlConf",
        (),
        {
            "urlpatterns": [
                path(
                    "x/<int:client_id>/<int:pk>/",
                    fake_urls.ClientFileView.as_view(),
                    name="x-detail",
                ),
                path("", include(olteams_patterns)),
            ]
        },
    )
    user, client, http = probe
    settings.ROOT_URLCONF = urlconf
    try:
        assert client_urls_without_audit(
            urlconf=urlconf, http=http, client=client, user=user, kwarg_factories={}
        ) == ["x/<int:client_id>/<int:pk>/: no KWARG_FACTORIES entry for pk"]
        assert (
            client_urls_without_audit(
                urlconf=urlconf,
                http=http,
                client=client,
                user=user,
                kwarg_factories={"pk": lambda *, client, user: 7},
            )
            == []
        )
        per_route = {"x-detail": {"pk": lambda *, client, user: 8}, "pk": "not callable"}
        assert (
            client_urls_without_audit(
                urlconf=urlconf, http=http, client=client, user=user, kwarg_factories=per_route
            )
            == []
        )
        assert AuditEvent.objects.filter(client_id=client.pk, path=f"/x/{client.pk}/8/").exists()
    finally:
        clear_url_caches()
