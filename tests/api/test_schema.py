"""Property-based API tests: schemathesis drives every operation of the OpenAPI schema.

The schema is read from the running app (``/api/schema/``) when the tests are collected,
so endpoints that later apps add are covered without touching this file. Requests go
in-process through the WSGI application, authenticated with a personal API token of a user
who is team lead, Wmo consultant lead and controller at once, so the generated requests
reach as much code as possible. Per operation valid (positive) and invalid (negative)
input (the fuzzing phase; the schema has no examples, so that phase adds nothing), then the stateful phase across linked operations
(create, then read, change, delete), with every check schemathesis has (the CLI's
``--checks all``): no server error, every status code, content type, header and body as
documented, valid input accepted (or refused by a business rule with 400, see
``schemathesis.toml``), invalid input refused, authentication enforced.

Bounded and derandomized so the file runs in well under 90 seconds (30 s measured) and the same way every time;
``SCHEMA_MAX_EXAMPLES`` raises the bound. The coverage phase (boundary values and every
HTTP method on every path: thousands of requests) runs in the full CLI run of
docs/operations.md, which also covers every phase unbounded.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS
from schemathesis.generation.stateful import run_state_machine_as_test

from olteams.services import api_token_authenticate, api_token_create, notification_create
from olteams.wsgi import application
from tests.factories.clients import ClientFactory
from tests.factories.olteams import ControllerRoleFactory, MunicipalityRoleFactory

pytestmark = [pytest.mark.schema, pytest.mark.django_db]

MAX_EXAMPLES = int(os.environ.get("SCHEMA_MAX_EXAMPLES", "3"))
ALL_CHECKS = CHECKS.get_all()
BOUNDS = settings(
    max_examples=MAX_EXAMPLES,  # fuzzing examples per operation (examples/coverage: all)
    stateful_step_count=6,
    deadline=None,  # a slow example is not a failure here; the total is bounded
    derandomize=True,  # the same examples on every run: a failure is reproducible
    database=None,  # nothing to replay: derandomized runs are reproducible anyway
    suppress_health_check=list(HealthCheck),
)

# The schema view needs no database, so it can be read while collecting.
SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/", application)
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}


@SCHEMA.auth(refresh_interval=None)
class PersonalToken:
    """The API user's token; a fresh one when a generated ``DELETE /tokens/{id}/`` revoked it."""

    user: Any = None
    key = ""

    def get(self, case: Any, ctx: Any) -> str:
        cls = type(self)
        if cls.user is None:  # while collecting: no database yet, the request is not sent
            return "collecting"
        if not cls.key or api_token_authenticate(cls.key) is None:
            _token, cls.key = api_token_create(
                actor=cls.user, name="schemathesis", scope="schrijven", days=1, verified=True
            )
        return cls.key

    def set(self, case: Any, data: str, ctx: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


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
def api_user(lead, team, municipality, org_ggz):  # type: ignore[no-untyped-def]
    """One user holding the team, Wmo and controller roles: the widest reachable API,
    with a few clients and notifications so lists and links have something to give."""
    MunicipalityRoleFactory(user=lead, municipality=municipality, is_lead=True)
    ControllerRoleFactory(user=lead, organisation=org_ggz)
    for n in range(3):
        notification_create(recipients=[lead], title=f"Testmelding {n}")
        ClientFactory(team=team, municipality=municipality)
    PersonalToken.user, PersonalToken.key = lead, ""
    yield lead
    PersonalToken.user, PersonalToken.key = None, ""


def test_schema_lists_the_operations_of_every_loaded_app():
    assert {"GET /api/v1/me/", "GET /api/v1/meldingen/"} <= set(OPERATIONS)


def test_generated_requests_are_authenticated(api_user):
    _token, key = api_token_create(
        actor=api_user, name="probe", scope="lezen", days=1, verified=True
    )
    response = OPERATIONS["GET /api/v1/me/"].Case().call(headers={"Authorization": f"Token {key}"})

    assert response.status_code == 200
    assert response.json()["username"] == api_user.username
    assert response.json()["roles"] == ["team_lead", "wmo_lead", "wmo_consultant", "controller"]


def _has_own_input(operation: Any) -> bool:
    """Parameters or a body to make invalid (the auth header/cookie do not count)."""
    own = [p for p in operation.iter_parameters() if "x-original-security-type" not in p.definition]
    return bool(own) or bool(operation.body)


CASES = [(label, GenerationMode.POSITIVE) for label in sorted(OPERATIONS)] + [
    (label, GenerationMode.NEGATIVE)
    for label in sorted(OPERATIONS)
    if _has_own_input(OPERATIONS[label])
]


@pytest.mark.parametrize(("label", "mode"), CASES, ids=[f"{lbl} {mode}" for lbl, mode in CASES])
def test_api_operation(label, mode, api_user):  # type: ignore[no-untyped-def]
    """The fuzzing phase of one operation (valid or invalid input), every check."""
    operation = OPERATIONS[label]

    @BOUNDS
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):  # type: ignore[no-untyped-def]
        case.call_and_validate(checks=ALL_CHECKS)

    try:
        run()
    except Unsatisfiable:
        # Only an unconstrained input (e.g. a binary XML upload): nothing can be invalid.
        if mode is GenerationMode.POSITIVE:
            raise
        pytest.skip(f"{label}: the schema admits every input, so there is no invalid one")


def test_api_stateful(api_user):  # type: ignore[no-untyped-def]
    """The stateful phase: chains of linked operations (create, then read, change, delete)."""

    class Workflow(SCHEMA.as_state_machine()):  # type: ignore[misc]
        def validate_response(self, response, case, additional_checks=None, **kwargs):  # type: ignore[no-untyped-def]
            super().validate_response(response, case, additional_checks=ALL_CHECKS, **kwargs)

    run_state_machine_as_test(Workflow, settings=settings(BOUNDS, max_examples=4 * MAX_EXAMPLES))
