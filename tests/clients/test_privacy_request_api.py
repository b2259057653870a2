"""REST API of the privacy request register: list, create, retrieve, decide; 400 with Dutch
field errors and nothing saved; 403/404 for who may not; audit events."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from clients.constants import AssignmentRole
from clients.models import PrivacyRequest
from clients.services import privacy_requests as svc
from olteams.models import AuditEvent
from tests.factories.clients import AssignmentFactory, ClientFactory
from tests.factories.olteams import UserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
PAYLOAD = {
    "kind": "bezwaar",
    "description": "Ik wil niet dat mijn plan met de gemeente wordt gedeeld.",
    "disputed": "herstelplan",
    "received_on": "2026-02-27",
    "filed_via": "email",
}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def client_(team, member):
    c = ClientFactory(team=team)
    AssignmentFactory(client=c, worker=member, role=AssignmentRole.CASEMANAGER)
    return c


def _api(name, client=None, **kw):
    kwargs = {"client_id": client.pk, **kw} if client is not None else {}
    return reverse(f"api:{name}", kwargs=kwargs)


def test_create_list_retrieve(client_, member, login):
    http = login(member)
    response = http.post(
        _api("privacy-request-list", client_), PAYLOAD, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["due_on"], data["deadline"], data["status"], data["overdue"]) == (
        "2026-03-27",
        "2026-03-27",
        "open",
        False,
    )
    assert data["filed_by"] == member.pk
    listed = http.get(_api("privacy-request-list", client_)).json()
    assert [r["id"] for r in listed] == [data["id"]]
    one = http.get(_api("privacy-request-detail", client_, pk=data["id"])).json()
    assert one["description"] == PAYLOAD["description"]
    register = http.get(_api("privacy-register")).json()
    assert [r["id"] for r in register["results"]] == [data["id"]]
    event = AuditEvent.objects.filter(detail="privacyverzoeken (API)").get()
    assert event.client_ids == [client_.pk]


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"kind": "klacht"}, {"kind"}),
        ({"received_on": "2026-03-05"}, {"received_on"}),
        ({"disputed": "overig"}, {"disputed_other"}),
        ({"filed_via": "portaal"}, {"filed_via"}),
        ({"description": ""}, {"description"}),
    ],
)
def test_bad_input_is_400_with_field_errors_and_saves_nothing(
    client_, member, login, change, errors
):
    response = login(member).post(
        _api("privacy-request-list", client_),
        {**PAYLOAD, **change},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) == errors
    assert not PrivacyRequest.objects.exists()


def test_the_error_text_is_dutch(client_, member, login):
    response = login(member).post(
        _api("privacy-request-list", client_),
        {**PAYLOAD, "received_on": "2026-03-05"},
        content_type="application/json",
    )
    assert response.json() == {"received_on": ["De datum van ontvangst ligt in de toekomst."]}


def _filed(client_, member):
    return svc.file_request(
        client_,
        kind="correctie",
        description="Mijn adres klopt niet.",
        disputed="personalia",
        received_on=dt.date(2026, 2, 1),
        filed_via="brief",
        filed_by=member,
    )


def test_decide_by_the_lead_and_the_privacy_officer_not_by_a_member(client_, member, lead, login):
    pr = _filed(client_, member)
    url = _api("privacy-request-decide", client_, pk=pr.pk)
    payload = {"decision": "toegewezen", "reason": "Het adres is aangepast."}
    assert login(member).post(url, payload, content_type="application/json").status_code == 403
    response = login(lead).post(
        url, {"decision": "toegewezen", "reason": ""}, content_type="application/json"
    )
    assert response.status_code == 400 and set(response.json()) == {"reason"}
    pr.refresh_from_db()
    assert pr.status == "open"
    response = login(lead).post(url, payload, content_type="application/json")
    assert response.status_code == 200 and response.json()["decision"] == "toegewezen"
    officer = UserFactory(is_privacy_officer=True)
    second = _filed(client_, member)
    response = login(officer).post(
        _api("privacy-request-decide", client_, pk=second.pk),
        {"decision": "afgewezen", "reason": "Het adres is juist vastgelegd."},
        content_type="application/json",
    )
    assert response.status_code == 200
    # Decided already: a 400, nothing changes.
    response = login(lead).post(
        url, {"decision": "afgewezen", "reason": "Toch niet goed."}, content_type="application/json"
    )
    assert response.status_code == 400
    pr.refresh_from_db()
    assert pr.decision == "toegewezen"


def test_other_team_and_privacy_officer_without_a_request_get_404(client_, outsider, login):
    officer = UserFactory(is_privacy_officer=True)
    for user in (outsider, officer):
        response = login(user).post(
            _api("privacy-request-list", client_), PAYLOAD, content_type="application/json"
        )
        assert response.status_code == 404
    assert not PrivacyRequest.objects.exists()
    assert login(officer).get(_api("privacy-register")).json()["count"] == 0
