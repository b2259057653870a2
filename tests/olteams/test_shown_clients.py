"""Searches, lists and list exports record which clients they showed (``client_ids``), so
"who saw client X?" includes the lists, and a client's access history ("Wie heeft mijn
dossier bekeken") is one indexed query. The new fields of an event (organisation, shown
clients, emergency access) are in the hash chain; events written before them keep theirs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from olteams.audit import audit_chain_verify, audit_record
from olteams.constants import AuditEventType
from olteams.models import AuditEvent
from olteams.selectors import client_access_history
from tests.conftest import verified_client
from tests.factories.clients import CareEpisodeFactory, ClientFactory
from tests.olteams.test_audit_chain import _owner_sql
from tests.permissions import body


def _last(detail: str) -> AuditEvent:
    event = AuditEvent.objects.filter(detail__startswith=detail).order_by("-seq").first()
    assert event is not None, detail
    return event


@pytest.mark.django_db
def test_the_client_list_records_the_clients_of_the_page(member, team, own_client, org_ggz):
    second = ClientFactory(team=team, last_name="Zwart")
    http = verified_client(member)
    http.get(reverse("clients:client-list"))
    event = _last("cliëntenlijst")
    assert sorted(event.client_ids or []) == sorted([own_client.pk, second.pk])
    assert event.organisation_id == org_ggz.pk
    http.get(reverse("clients:client-list"), {"q": "Zwart"})
    assert _last("cliëntenlijst").client_ids == [second.pk]
    http.get(reverse("clients:client-list"), {"q": "niemand"})
    assert _last("cliëntenlijst").client_ids == []


@pytest.mark.django_db
def test_list_exports_record_every_exported_client(lead, team, own_client):
    others = [ClientFactory(team=team) for _ in range(3)]
    http = verified_client(lead)
    response = http.get(reverse("clients:client-export", kwargs={"fmt": "csv"}))
    assert response.status_code == 200
    body(response)
    assert sorted(_last("cliëntenlijst (csv)").client_ids or []) == sorted(
        [own_client.pk, *(c.pk for c in others)]
    )


@pytest.mark.django_db
def test_the_waiting_list_records_its_clients(member, team):
    waiting = ClientFactory(team=team)
    CareEpisodeFactory(client=waiting)
    verified_client(member).get(reverse("clients:waiting-list"))
    event = _last("wachtlijst")
    assert event.client_ids is not None
    assert set(event.client_ids) <= {waiting.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "detail"),
    [
        ("/api/v1/clienten/", "cliëntenlijst (API)"),
        ("/api/v1/aanmeldingen/", "aanmeldingen (API)"),
        ("/api/v1/wachtlijst/", "wachtlijst (API)"),
    ],
)
def test_api_lists_record_the_clients_of_the_page(member, own_client, route, detail):
    response = verified_client(member).get(route)
    assert response.status_code == 200
    event = _last(detail)
    assert event.client_ids is not None
    if route == "/api/v1/clienten/":
        assert event.client_ids == [own_client.pk]


@pytest.mark.django_db
def test_who_saw_the_client_includes_the_lists(member, lead, own_client, foreign_client):
    verified_client(member).get(reverse("clients:client-list"))
    verified_client(lead).get(reverse("caseload:client-file", kwargs={"client_id": own_client.pk}))
    audit_record(user=lead, event_type=AuditEventType.READ, client_id=foreign_client.pk)
    history = list(client_access_history(client_id=own_client.pk))
    assert {(e.username, bool(e.client_ids)) for e in history} >= {
        ("lid", True),
        ("leider", False),
    }
    assert all(
        e.client_id == own_client.pk or own_client.pk in (e.client_ids or []) for e in history
    )


@pytest.mark.django_db
def test_the_access_history_of_a_client_is_one_indexed_query(own_client):
    sql, params = client_access_history(client_id=own_client.pk).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "audit_client_ids" in plan and "audit_client_time" in plan, plan


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_new_fields_are_in_the_hash_chain(member, org_ggz):
    plain = audit_record(user=None, event_type=AuditEventType.LOGIN, detail="zonder velden")
    listed = audit_record(user=member, event_type=AuditEventType.SEARCH, client_ids=[7, 8, 9])
    listed.refresh_from_db()
    assert listed.organisation_id == org_ggz.pk and listed.client_ids == [7, 8, 9]
    assert audit_chain_verify()[1] is None
    # an event without the new fields keeps the digest of before (the 0004 formula)
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT hash = encode(sha256(convert_to(json_build_array(
                prev_hash, seq, to_char(occurred_at AT TIME ZONE 'UTC',
                'YYYY-MM-DD"T"HH24:MI:SS.US'), action, event_type, outcome, user_id, username,
                responsible_user_id, role, team_id, host(ip_address), client_id, object_type,
                object_id, grounds, request_id::text, path, detail)::text, 'UTF8')), 'hex')
            FROM olteams_auditevent WHERE id = %s""",
            [plain.pk],
        )
        assert cursor.fetchone()[0] is True
    # removing a client from the shown list breaks the chain at that event
    _owner_sql(
        "ALTER TABLE olteams_auditevent DISABLE TRIGGER olteams_auditevent_no_update_delete",
        f"UPDATE olteams_auditevent SET client_ids = '{{7,9}}' WHERE id = {listed.pk}",
        "ALTER TABLE olteams_auditevent ENABLE TRIGGER olteams_auditevent_no_update_delete",
    )
    broken = audit_chain_verify()[1]
    assert broken is not None and broken.event_id == listed.pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_clearing_the_new_fields_does_not_pass_for_an_old_event(member):
    event = audit_record(user=member, event_type=AuditEventType.SEARCH, client_ids=[3])
    _owner_sql(
        "ALTER TABLE olteams_auditevent DISABLE TRIGGER olteams_auditevent_no_update_delete",
        "UPDATE olteams_auditevent SET client_ids = NULL, organisation_id = NULL"
        f" WHERE id = {event.pk}",
        "ALTER TABLE olteams_auditevent ENABLE TRIGGER olteams_auditevent_no_update_delete",
    )
    broken = audit_chain_verify()[1]
    assert broken is not None and broken.event_id == event.pk
