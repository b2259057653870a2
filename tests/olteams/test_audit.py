"""NEN 7513 audit log: the single writer, the append-only table, the view wrappers."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection, transaction
from django.db.utils import ProgrammingError
from django.test import RequestFactory, override_settings

from olteams.audit import audit_client, audit_record
from olteams.constants import AuditEventType, AuditOutcome, Role
from olteams.models import AuditEvent
from tests.factories.clients import AssignmentFactory

pytestmark = pytest.mark.django_db

FAKE_URLS = "tests.olteams.fake_urls"
# The app's database role may only INSERT and SELECT audit events (the append-only trigger
# stays as a second line for the owner role; tests/olteams/test_audit_chain.py).
DENIED = "permission denied for table olteams_auditevent"


@pytest.mark.parametrize(
    ("event_type", "action"),
    [
        (AuditEventType.CREATE, "C"),
        (AuditEventType.READ, "R"),
        (AuditEventType.UPDATE, "U"),
        (AuditEventType.DELETE, "D"),
        (AuditEventType.SEARCH, "E"),
        (AuditEventType.EXPORT, "E"),
        (AuditEventType.PRINT, "E"),
        (AuditEventType.MERGE, "U"),
        (AuditEventType.EMERGENCY, "R"),
        (AuditEventType.LOGIN, "E"),
    ],
)
def test_each_event_type_maps_to_its_nen7513_action_code(member, event_type, action):
    event = audit_record(user=member, event_type=event_type)
    assert (event.action, event.event_type) == (action, event_type)


def test_audit_record_fills_every_field_from_the_request_and_the_grant(own_client, member, team):
    from olteams.access import access_client

    request = RequestFactory().get("/clienten/1/", REMOTE_ADDR="10.1.2.3")
    request.user = member
    request.request_id = uuid.UUID("12345678-1234-5678-1234-567812345678")
    client = access_client(member, own_client.pk)
    event = audit_client(request, client, event_type=AuditEventType.READ, detail="dossier")
    event.refresh_from_db()
    assert event.action == "R"
    assert event.outcome == AuditOutcome.SUCCESS
    assert event.user == member
    assert event.username == "lid"
    assert event.responsible_user == member
    assert event.role == Role.TEAM_MEMBER
    assert event.team == team
    assert event.ip_address == "10.1.2.3"
    assert event.client_id == own_client.pk
    assert (event.object_type, event.object_id) == ("clients.client", str(own_client.pk))
    assert event.grounds == "authorisation"
    assert event.request_id == request.request_id
    assert event.path == "/clienten/1/"
    assert event.detail == "dossier"
    assert event.occurred_at.microsecond == 0


def test_audit_record_without_a_request_or_user(db):
    event = audit_record(
        user=None, event_type=AuditEventType.LOGIN, detail="mislukt", outcome=AuditOutcome.FAILURE
    )
    assert (event.username, event.user, event.role, event.ip_address, event.path) == (
        "anoniem",
        None,
        "",
        None,
        "",
    )
    assert isinstance(event.request_id, uuid.UUID)


def test_audit_record_uses_the_first_role_when_there_is_no_grant(lead, admin_user):
    assert audit_record(user=lead, event_type=AuditEventType.SEARCH).role == Role.TEAM_LEAD
    assert audit_record(user=admin_user, event_type=AuditEventType.EXPORT).role == (
        Role.FUNCTIONAL_ADMIN
    )


def test_grounds_name_the_treatment_relation_of_an_assigned_worker(
    own_client, outsider, other_team
):
    from olteams.access import access_client

    AssignmentFactory(client=own_client, worker=outsider)
    request = RequestFactory().get("/")
    request.user = outsider
    event = audit_client(
        request, access_client(outsider, own_client.pk), event_type=AuditEventType.READ
    )
    assert (event.grounds, event.team_id) == ("authorisation,treatment", other_team.pk)


# --- append-only ------------------------------------------------------------------------


@pytest.fixture
def event(member):
    return audit_record(user=member, event_type=AuditEventType.READ, client_id=42)


def _refused(operation) -> str:
    with pytest.raises(ProgrammingError) as excinfo, transaction.atomic():
        operation()
    return str(excinfo.value)


def test_the_database_refuses_an_orm_update(event):
    event.detail = "achteraf aangepast"
    assert DENIED in _refused(event.save)
    assert DENIED in _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(client_id=43))
    event.refresh_from_db()
    assert (event.detail, event.client_id) == ("", 42)


def test_the_database_refuses_an_orm_delete(event):
    assert DENIED in _refused(event.delete)
    assert DENIED in _refused(AuditEvent.objects.all().delete)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    ("sql", "operation"),
    [
        ("UPDATE olteams_auditevent SET client_id = 7 WHERE id = %s", "UPDATE"),
        ("DELETE FROM olteams_auditevent WHERE id = %s", "DELETE"),
    ],
)
def test_the_database_refuses_raw_sql(event, sql, operation):
    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])

    assert DENIED in _refused(run), operation
    assert AuditEvent.objects.get(pk=event.pk).client_id == 42


# --- the wrappers of client-scoped views ---------------------------------------------------


def _without_per_response_tokens(response) -> str:
    """The body minus the CSP nonce and CSRF token, which differ on every response."""
    text = response.content.decode()
    text = re.sub(r'nonce="[^"]*"', "", text)
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", text)


def _events(client_id):
    return list(AuditEvent.objects.filter(client_id=client_id).order_by("id"))


@override_settings(ROOT_URLCONF=FAKE_URLS)
@pytest.mark.parametrize(
    ("path", "event_type", "action"),
    [
        ("/dossier/{}/", AuditEventType.READ, "R"),
        ("/dossier/{}/notities/", AuditEventType.READ, "R"),
        ("/api/clienten/{}/", AuditEventType.READ, "R"),
    ],
    ids=["ClientScopedMixin", "client_view", "ClientScopedApiMixin"],
)
def test_a_read_records_exactly_one_event_with_the_request_id(
    own_client, member, team, login, path, event_type, action
):
    response = login(member).get(path.format(own_client.pk))
    assert response.status_code == 200
    [event] = _events(own_client.pk)
    assert (event.event_type, event.action, event.outcome) == (event_type, action, "success")
    assert (event.user, event.role, event.team, event.grounds) == (
        member,
        Role.TEAM_MEMBER,
        team,
        "authorisation",
    )
    assert event.ip_address == "127.0.0.1"
    assert event.path == path.format(own_client.pk)
    assert str(event.request_id) == response["X-Request-ID"]


@override_settings(ROOT_URLCONF=FAKE_URLS)
def test_a_post_through_the_class_mixin_records_an_update(own_client, member, login):
    assert login(member).post(f"/dossier/{own_client.pk}/").status_code == 200
    assert [(e.event_type, e.action) for e in _events(own_client.pk)] == [("update", "U")]


@override_settings(ROOT_URLCONF=FAKE_URLS)
def test_a_post_to_the_api_records_a_create(own_client, member, login):
    response = login(member).post(
        f"/api/clienten/{own_client.pk}/", {}, content_type="application/json"
    )
    assert response.status_code == 201
    assert [(e.event_type, e.action) for e in _events(own_client.pk)] == [("create", "C")]


@override_settings(ROOT_URLCONF=FAKE_URLS)
def test_a_print_view_records_an_execute_event(own_client, lead, login):
    assert login(lead).get(f"/dossier/{own_client.pk}/afdruk/").status_code == 200
    assert [(e.event_type, e.action, e.role) for e in _events(own_client.pk)] == [
        ("print", "E", Role.TEAM_LEAD)
    ]


@override_settings(ROOT_URLCONF=FAKE_URLS)
@pytest.mark.parametrize(
    "path",
    ["/dossier/{}/", "/dossier/{}/notities/", "/api/clienten/{}/"],
    ids=["ClientScopedMixin", "client_view", "ClientScopedApiMixin"],
)
def test_an_outsider_gets_404_and_only_a_denied_event(own_client, outsider, login, path):
    response = login(outsider).get(path.format(own_client.pk))
    assert response.status_code == 404
    [event] = _events(own_client.pk)
    assert (event.outcome, event.user, event.grounds, event.team) == (
        AuditOutcome.DENIED,
        outsider,
        "",
        None,
    )
    assert str(event.request_id) == response["X-Request-ID"]


@override_settings(ROOT_URLCONF=FAKE_URLS)
@pytest.mark.parametrize(
    "path",
    ["/dossier/{}/", "/dossier/{}/notities/", "/api/clienten/{}/"],
    ids=["ClientScopedMixin", "client_view", "ClientScopedApiMixin"],
)
def test_missing_and_not_yours_answer_the_same(own_client, foreign_client, member, login, path):
    http = login(member)
    not_yours = http.get(path.format(foreign_client.pk))
    missing_id = foreign_client.pk + 1000
    missing = http.get(path.format(missing_id))
    assert (not_yours.status_code, missing.status_code) == (404, 404)
    assert _without_per_response_tokens(not_yours) == _without_per_response_tokens(missing)
    assert [e.outcome for e in _events(missing_id)] == [AuditOutcome.DENIED]
    assert [e.outcome for e in _events(foreign_client.pk)] == [AuditOutcome.DENIED]


@override_settings(ROOT_URLCONF=FAKE_URLS)
def test_the_wrong_role_in_the_right_team_is_denied(own_client, secretary, login):
    # Clinical notes are not for the zorgsecretariaat.
    assert login(secretary).get(f"/dossier/{own_client.pk}/notities/").status_code == 404
    assert [e.outcome for e in _events(own_client.pk)] == [AuditOutcome.DENIED]


@override_settings(ROOT_URLCONF=FAKE_URLS)
def test_anonymous_requests_record_nothing(own_client, client):
    assert client.get(f"/dossier/{own_client.pk}/").status_code == 302
    assert client.get(f"/api/clienten/{own_client.pk}/").status_code in (401, 403)
    assert _events(own_client.pk) == []
