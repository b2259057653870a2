"""The remaining lists record exactly the clients they showed (``client_ids``): the
referral page and the caseload API lists (contacts, consultations, tasks, my caseload, the
MDO list). The Wmo API lists are in tests/wmo/test_shown_clients.py, the controller's
checks page in tests/finance/test_views.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from caseload.models import Task
from clients.constants import AssignmentRole
from olteams.models import AuditEvent
from tests.conftest import verified_client
from tests.factories.caseload import ConsultationFactory, ContactFactory
from tests.factories.clients import AssignmentFactory, ClientFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def _last(detail: str) -> AuditEvent:
    event = AuditEvent.objects.filter(detail=detail).order_by("-seq").first()
    assert event is not None, detail
    return event


def test_the_referral_list_records_the_clients_it_names(member, team, other_team, own_client):
    second = ClientFactory(team=team, last_name="Zwart")
    ReferralFactory(team=team, client=own_client)
    ReferralFactory(team=team, client=second)
    ReferralFactory(team=team, client=None)  # not yet registered: names no client row
    ReferralFactory(team=other_team, client=ClientFactory(team=other_team))  # not shown
    http = verified_client(member)
    assert http.get(reverse("clients:referral-list")).status_code == 200
    assert sorted(_last("aanmeldingen").client_ids or []) == sorted([own_client.pk, second.pk])


def test_the_caseload_api_lists_record_the_clients_of_their_rows(
    member, team, own_client, foreign_client, org_ggz
):
    second = ClientFactory(team=team)
    for client in (own_client, second, foreign_client):
        ContactFactory(client=client, author=member)
    ConsultationFactory(team=team, worker=member, organisation=org_ggz, client=second, about="")
    ConsultationFactory(team=team, worker=member, organisation=org_ggz)  # about no client
    Task.objects.create(
        title="Bellen", team=team, assignee=member, created_by=member, client=second
    )
    Task.objects.create(title="Notitie", team=team, assignee=member, created_by=member)
    AssignmentFactory(client=own_client, worker=member, role=AssignmentRole.CASEMANAGER)
    http = verified_client(member)

    assert http.get("/api/v1/caseload/contacten/").status_code == 200
    assert sorted(_last("API: contacten").client_ids or []) == sorted([own_client.pk, second.pk])
    assert http.get("/api/v1/caseload/contacten/", {"client": second.pk}).status_code == 200
    assert _last("API: contacten").client_ids == [second.pk]
    assert http.get("/api/v1/caseload/consultaties/").status_code == 200
    assert _last("API: consultaties").client_ids == [second.pk]
    assert http.get("/api/v1/caseload/taken/").status_code == 200
    assert _last("API: taken").client_ids == [second.pk]
    assert http.get("/api/v1/caseload/mijn-caseload/").status_code == 200
    assert _last("mijn caseload (API)").client_ids == [own_client.pk]


def test_the_mdo_api_list_records_its_clients(lead, team):
    response = verified_client(lead).get(f"/api/v1/caseload/teams/{team.pk}/mdo/")
    assert response.status_code == 200
    shown = [row["client_id"] for row in response.json()]
    assert _last(f"MDO-lijst team {team.pk} (API)").client_ids == shown
