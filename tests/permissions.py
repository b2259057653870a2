"""The shared machinery of the per-app permission tables (tests/<app>/test_permissions.py).

Each app's module keeps its own roles, world and route rows; what they share is here: the
expected-outcome table, the route row, the snapshot of rows a refused request must leave
alone, how a role's browser is made and a response read, and the ``test_get``/``test_post``
checks themselves (``PermissionTable.check_get`` / ``check_post``).
"""

from __future__ import annotations

import copy
import datetime as dt
import inspect
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
import time_machine
from django.apps import apps
from django.db import connection, transaction
from django.db.models import Model
from django.test import Client as HttpClient
from django.urls import get_resolver, reverse

from olteams.constants import Discipline, TeamRole
from tests.conftest import verified_client
from tests.factories.olteams import MembershipFactory, UserFactory

LOGIN, HIDDEN, OK = "login", "hidden", "ok"
ANON = "anonymous"
_OUTCOMES = {"ok": OK, "hidden": HIDDEN, "e403": 403, "e404": 404, "e405": 405}


def outcome_table(roles: Sequence[str], **by_outcome: tuple[str, ...]) -> dict[str, Any]:
    """The expected outcome of every role in ``roles`` (anonymous always goes to the login
    page); every role must be given exactly one outcome."""
    table: dict[str, Any] = {ANON: LOGIN}
    for name, named_roles in by_outcome.items():
        table |= dict.fromkeys(named_roles, _OUTCOMES[name])
    assert set(table) == set(roles), set(roles) - set(table)
    return table


def models_of(*app_labels: str) -> list[type[Model]]:
    return [model for label in app_labels for model in apps.get_app_config(label).get_models()]


def rows_of(models: Iterable[type[Model]]) -> dict[str, Any]:
    """Every row of ``models``: what a refused request must leave exactly as it was.

    Per model, the number of rows and a digest of every column of every row (in primary key
    order), read in one query: any insert, update or delete changes it. (To see the rows
    themselves when a comparison fails: ``model.objects.order_by("pk").values()``.)"""
    tables = {model._meta.label: model._meta for model in models}
    if not tables:
        return {}
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT %s, count(*), md5(coalesce(string_agg(t::text, E'\\n' "
        f"ORDER BY t.{quote(meta.pk.column)}), '')) FROM {quote(meta.db_table)} t"
        for meta in tables.values()
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(tables))
        return {label: (count, digest) for label, count, digest in cursor.fetchall()}


def http_for(user: Any) -> HttpClient:
    """A browser for the role: anonymous (None) or signed in with the second factor passed."""
    return HttpClient() if user is None else verified_client(user)


def http_as(world: World, role: str) -> HttpClient:
    """A browser for ``role``: with the session signed in once for the module when the world
    is shared (``shared_world``), else signed in now (``http_for``)."""
    cookies = getattr(world, "_signed_in", {}).get(role)
    if cookies is None:
        return http_for(world.users[role])
    http = HttpClient(REMOTE_ADDR="127.0.0.1")
    http.cookies = copy.deepcopy(cookies)
    return http


def body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def frozen_at(moment: dt.datetime) -> Any:
    """An autouse fixture that stops the clock at ``moment`` (``_frozen = frozen_at(NOW)``)."""

    @pytest.fixture(autouse=True)
    def _frozen() -> Iterator[None]:
        with time_machine.travel(moment, tick=False):
            yield

    return _frozen


def leads_elsewhere(*, team: Any, other_team: Any, organisation: Any) -> tuple[Any, Any]:
    """Two roles of every table: the lead of the other team, and a user who leads the other
    team and is a plain member (casemanager) of ``team``."""
    other_lead = MembershipFactory(
        user=UserFactory(username="andereleider"),
        team=other_team,
        organisation=organisation,
        role=TeamRole.LEAD,
    ).user
    mixed = MembershipFactory(
        user=UserFactory(username="gemengd"),
        team=other_team,
        organisation=organisation,
        role=TeamRole.LEAD,
    ).user
    MembershipFactory(
        user=mixed, team=team, organisation=organisation, discipline=Discipline.CASEMANAGER
    )
    return other_lead, mixed


def assert_login_redirect(response: Any) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("olteams:login"))


# --- the route table and the two tests every table runs -------------------------------

World = Any  # each app's own dataclass; what is used here is ``world.users[role]``
Build = Callable[[World], Any]
Shows = Callable[[World, Any], bool]


@dataclass(frozen=True)
class Route:
    """One row of a permission table: a URL name of the app and what each role gets."""

    name: str  # the URL name in the app's namespace
    expected: dict[str, Any]  # role -> outcome of a GET
    kwargs: Build = lambda w: {}
    query: Build | None = None  # GET parameters of the URL
    case: str = ""  # tells rows of the same URL name apart (another object, another query)
    # Whether the data is on the page: true for OK (unless hidden_from), false for HIDDEN.
    shows: Shows | None = None
    post: Build | None = None  # a valid form for the right role; None: GET only
    post_expected: dict[str, Any] | None = None  # when POST differs from GET
    # Roles that get the page (OK) but must not see what ``shows`` looks for.
    hidden_from: tuple[str, ...] = ()
    # The right role's GET records something (printing a letter): the snapshot may change.
    get_writes: bool = False
    xfail: dict[str, str] = field(default_factory=dict)  # role -> reason (a real bug)

    @property
    def id(self) -> str:
        return f"{self.name}[{self.case}]" if self.case else self.name


def text(marker: str) -> Shows:
    return lambda w, response: marker in body(response)


@dataclass
class PermissionTable:
    """An app's routes, its roles and the rows a refusal must leave alone.

    ``page_check(world, role, response)`` adds what every 200 page must satisfy (such as
    no private detail for roles outside the team)."""

    namespace: str
    roles: Sequence[str]
    routes: Sequence[Route]
    snapshot: Callable[[], dict[str, list[dict[str, Any]]]]
    page_check: Callable[[World, str, Any], None] | None = None
    # URL names that only redirect after the access check; the target's table covers them.
    redirects: frozenset[str] = frozenset()
    by_id: dict[str, Route] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {route.id: route for route in self.routes}
        assert len(self.by_id) == len(self.routes), "two rows with the same name and case"

    def cases(self, method: str) -> list[Any]:
        """``(route_id, role, expected)`` for every route (with a form, for POST) and role."""
        cases = []
        for route in self.routes:
            if method == "post" and route.post is None:
                continue
            table = (route.post_expected if method == "post" else None) or route.expected
            for role in self.roles:
                marks = []
                if role in route.xfail:
                    marks.append(pytest.mark.xfail(strict=True, reason=route.xfail[role]))
                cases.append(
                    pytest.param(route.id, role, table[role], id=f"{route.id}-{role}", marks=marks)
                )
        return cases

    def url(self, world: World, route: Route) -> str:
        url = reverse(f"{self.namespace}:{route.name}", kwargs=route.kwargs(world))
        if route.query is not None:
            url = f"{url}?{urlencode(route.query(world))}"
        return url

    def assert_lists_every_route(self) -> None:
        resolver = get_resolver().namespace_dict[self.namespace][1]
        names = {name for name in resolver.reverse_dict if isinstance(name, str)}
        assert names - self.redirects == {route.name for route in self.routes}

    def check_get(self, world: World, route_id: str, role: str, expected: Any) -> None:
        route = self.by_id[route_id]
        url = self.url(world, route)  # before the snapshot: the kwargs may make the object
        before = self.snapshot()
        response = http_as(world, role).get(url)
        if expected == LOGIN:
            assert_login_redirect(response)
        elif expected in (403, 404, 405):
            assert response.status_code == expected
        else:
            assert response.status_code == 200
            if route.shows is not None:
                shown = route.shows(world, response)
                assert shown is (expected == OK and role not in route.hidden_from)
            if self.page_check is not None:
                self.page_check(world, role, response)
        if expected != OK or not route.get_writes:
            assert self.snapshot() == before

    def check_post(self, world: World, route_id: str, role: str, expected: Any) -> None:
        route = self.by_id[route_id]
        assert route.post is not None
        url = self.url(world, route)
        before = self.snapshot()
        response = http_as(world, role).post(url, route.post(world))
        if expected == OK:
            # The right role is not refused, and this same payload really changes the data:
            # so the refusals, with the same payload, can fail.
            assert response.status_code == 302, body(response)[:3000]
            assert not response["Location"].startswith(reverse("olteams:login"))
            assert self.snapshot() != before
            return
        if expected == LOGIN:
            assert_login_redirect(response)
        elif expected == HIDDEN:
            assert response.status_code in (200, 400)
        else:
            assert response.status_code == expected
        assert self.snapshot() == before

    def tests(self) -> tuple[Callable[..., None], ...]:
        """The table's three tests, for the app's module to bind at its top level:
        ``test_every_route_is_in_the_table, test_get, test_post = TABLE.tests()``."""

        def test_every_route_is_in_the_table() -> None:
            self.assert_lists_every_route()

        @pytest.mark.parametrize(("route_id", "role", "expected"), self.cases("get"))
        def test_get(world: World, route_id: str, role: str, expected: Any) -> None:
            self.check_get(world, route_id, role, expected)

        @pytest.mark.parametrize(("route_id", "role", "expected"), self.cases("post"))
        def test_post(world: World, route_id: str, role: str, expected: Any) -> None:
            self.check_post(world, route_id, role, expected)

        return test_every_route_is_in_the_table, test_get, test_post


# --- one world per module ----------------------------------------------------------------
# Building a table's world takes hundreds of queries and every table has hundreds of cases.
# ``@shared_world`` (instead of ``@pytest.fixture``) on a module's ``world`` fixture builds it
# once per module, the way Django's ``TestCase.setUpTestData`` does: inside an outer
# transaction that is rolled back when the module ends. Every test still runs in its own
# savepoint (pytest-django rolls it back), so what a case writes is gone before the next one,
# and each test gets its own deep copy of the world's objects. Each role is signed in (with
# the second factor passed) once for the module too; each case gets a new browser with that
# session's cookie.

_BUILDERS: dict[str, Callable[..., Any]] = {}
# The fixtures a world may ask for that only stand for "the database may be used".
_DB_ONLY = frozenset({"db", "transactional_db", "django_db_reset_sequences"})


def shared_world(build: Callable[..., Any]) -> Any:
    """Decorator for a permission table's ``world`` fixture (see above). ``build`` asks for
    fixtures as any fixture does; they are made for the module (the module's and its
    conftests' autouse fixtures, such as ``frozen_at``, are in force while it is built)."""
    _BUILDERS[build.__module__] = build

    @pytest.fixture(name=build.__name__)
    def world(module_world: Any) -> Any:
        world = copy.deepcopy(module_world)
        object.__setattr__(world, "_signed_in", getattr(module_world, "_signed_in", {}))
        return world

    world.__doc__ = build.__doc__
    return world


class _ModuleFixtures:
    """Calls function-scoped fixtures (and what they ask for) once for a module-scoped
    fixture; their teardown runs when ``stack`` closes."""

    def __init__(self, request: pytest.FixtureRequest, stack: ExitStack) -> None:
        self.request = request
        self.stack = stack
        self.values: dict[str, Any] = {}

    def call(
        self, func: Callable[..., Any], argnames: Iterable[str], own: tuple[str, int] | None = None
    ) -> Any:
        kwargs = {
            name: self.value(name, below=own[1] if own and name == own[0] else None)
            for name in argnames
        }
        if inspect.isgeneratorfunction(func):
            generator = func(**kwargs)
            value = next(generator)
            self.stack.callback(next, generator, None)
            return value
        return func(**kwargs)

    def value(self, name: str, below: int | None = None) -> Any:
        if name == "request":
            return self.request
        if name in _DB_ONLY:
            return None
        if below is None and name in self.values:
            return self.values[name]
        manager = self.request._fixturemanager
        definitions = manager.getfixturedefs(name, self.request.node)
        assert definitions, f"no fixture {name!r}"
        index = len(definitions) - 1 if below is None else below - 1
        definition = definitions[index]
        if definition.scope != "function":
            assert below is None, name
            value = self.request.getfixturevalue(name)
        else:
            assert not definition.params, f"{name!r} is parametrized"
            value = self.call(definition.func, definition.argnames, own=(name, index))
        if below is None:
            self.values[name] = value
        return value

    def autouse(self) -> None:
        """The function-scoped autouse fixtures of the project's tests (a frozen clock...)."""
        manager = self.request._fixturemanager
        for name in dict.fromkeys(manager._getautousenames(self.request.node)):
            definitions = manager.getfixturedefs(name, self.request.node)
            if not definitions:
                continue
            definition = definitions[-1]
            if definition.scope == "function" and definition.func.__module__.startswith("tests"):
                self.value(name)


def build_module_world(request: pytest.FixtureRequest, django_db_blocker: Any) -> Iterator[Any]:
    """The body of the ``module_world`` fixture (tests/conftest.py)."""
    build = _BUILDERS.get(request.module.__name__)
    assert build is not None, f"{request.module.__name__} has no @shared_world fixture"
    with django_db_blocker.unblock(), transaction.atomic(), ExitStack() as teardown:
        fixtures = _ModuleFixtures(request, teardown)
        with ExitStack() as building:
            fixtures.stack = building
            fixtures.autouse()  # the clock stops only while the world is built
            fixtures.stack = teardown
            world = fixtures.call(build, inspect.signature(build).parameters)
            fixtures.stack = building
            signed_in = {
                role: verified_client(user).cookies
                for role, user in world.users.items()
                if user is not None
            }
        object.__setattr__(world, "_signed_in", signed_in)
        yield world
        transaction.set_rollback(True)
