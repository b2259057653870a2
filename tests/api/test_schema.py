"""Property-based API tests: schemathesis drives every operation of the OpenAPI schema.

The schema is read from the running app (``/api/schema/``) when the tests are collected,
so endpoints that later apps add are covered without touching this file. Requests go
in-process through the WSGI application, authenticated with a DRF token of a user who is
team lead, Wmo consultant lead and controller at once, so the generated requests reach as
much code as possible. Each operation gets valid (positive) and invalid (negative)
input; the server may refuse either, but never with a 5xx.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from olteams.services import api_token_create, notification_create
from olteams.wsgi import application
from tests.factories.olteams import ControllerRoleFactory, MunicipalityRoleFactory

pytestmark = [pytest.mark.schema, pytest.mark.django_db]

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
BOUNDS = settings(
    max_examples=int(os.environ.get("SCHEMA_MAX_EXAMPLES", "25")),  # per operation and mode
    deadline=3000,  # milliseconds per example
    derandomize=True,  # the same examples on every run: a failure is reproducible
    database=None,  # nothing to replay: derandomized runs are reproducible anyway
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)

# The schema view needs no database, so it can be read while collecting.
SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/", application)
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}


def _has_own_input(operation) -> bool:  # type: ignore[no-untyped-def]
    """Parameters or a body to make invalid (the auth header/cookie do not count)."""
    own = [p for p in operation.iter_parameters() if "x-original-security-type" not in p.definition]
    return bool(own) or bool(operation.body)


CASES = [(label, GenerationMode.POSITIVE) for label in sorted(OPERATIONS)] + [
    (label, GenerationMode.NEGATIVE)
    for label in sorted(OPERATIONS)
    if _has_own_input(OPERATIONS[label])
]


@pytest.fixture(autouse=True)
def _keep_test_transaction():  # type: ignore[no-untyped-def]
    # The WSGI handler closes "obsolete" connections around each request, which would end
    # the test transaction; Django's own test client disconnects the same receivers.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def api_user(lead, municipality, org_ggz):  # type: ignore[no-untyped-def]
    """One user holding the team, Wmo and controller roles: the widest reachable API."""
    MunicipalityRoleFactory(user=lead, municipality=municipality, is_lead=True)
    ControllerRoleFactory(user=lead, organisation=org_ggz)
    for n in range(3):
        notification_create(recipients=[lead], title=f"Testmelding {n}")
    return lead


@pytest.fixture
def api_headers(api_user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _token, key = api_token_create(
        actor=api_user, name="schemathesis", scope="schrijven", days=1, verified=True
    )
    return {"Authorization": f"Token {key}"}


def test_schema_lists_the_operations_of_every_loaded_app():
    assert {"GET /api/v1/me/", "GET /api/v1/meldingen/"} <= set(OPERATIONS)


def test_generated_requests_are_authenticated(api_headers, api_user):
    response = OPERATIONS["GET /api/v1/me/"].Case().call(headers=api_headers)

    assert response.status_code == 200
    assert response.json()["username"] == api_user.username
    assert response.json()["roles"] == ["team_lead", "wmo_lead", "wmo_consultant", "controller"]


@pytest.mark.parametrize(("label", "mode"), CASES, ids=[f"{lbl} {mode}" for lbl, mode in CASES])
def test_api_operation_never_fails_on_the_server(label, mode, api_headers):
    operation = OPERATIONS[label]

    @BOUNDS
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):  # type: ignore[no-untyped-def]
        case.call_and_validate(headers=api_headers, checks=CHECKS)

    try:
        run()
    except Unsatisfiable:
        # Only an unconstrained input (e.g. a binary XML upload): nothing can be invalid.
        if mode is GenerationMode.POSITIVE:
            raise
        pytest.skip(f"{label}: the schema admits every input, so there is no invalid one")
