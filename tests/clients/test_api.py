"""REST API: same services, 400 with Dutch field errors, 404 for not-yours, audit events."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework import serializers

from clients.api.serializers import ClientSerializer
from clients.constants import Phase
from clients.models import Client, Naaste
from olteams.constants import AuditEventType
from olteams.models import AuditEvent
from tests.clients.conftest import VALID_BSN
from tests.factories.clients import ClientFactory

pytestmark = pytest.mark.django_db


def _api(name, *args):
    return reverse(f"api:{name}", args=args)


def test_anonymous_gets_403(client):
    assert client.get(_api("client-list")).status_code == 403


def test_client_list_masks_bsn_filters_and_paginates(registered, member, team, login):
    ClientFactory(team=team, last_name="Zwart")
    http = login(member)
    data = http.get(_api("client-list")).json()
    assert data["count"] == 2
    anna = next(r for r in data["results"] if r["last_name"] == "Boer")
    assert anna["masked_bsn"] == "*****6782" and "bsn" not in anna
    assert anna["phase"] == Phase.REFERRED
    assert http.get(_api("client-list"), {"phase": "aangemeld"}).json()["count"] == 1
    assert http.get(_api("client-list"), {"team": team.pk, "q": "zwart"}).json()["count"] == 1
    assert http.get(_api("client-list"), {"waiting": "true"}).json()["count"] == 0
    assert AuditEvent.objects.filter(event_type=AuditEventType.SEARCH).count() == 4


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (
            {"first_name": "A", "last_name": "B", "bsn": "123456789"},
            {"bsn": ["Dit BSN is niet geldig (de elfproef klopt niet)."]},
        ),
        (
            {"first_name": "A", "last_name": "B", "date_of_birth": "2999-01-01"},
            {"date_of_birth": ["De geboortedatum ligt in de toekomst."]},
        ),
        (
            {"first_name": "A", "last_name": "B", "date_of_birth": "1899-01-01"},
            {"date_of_birth": ["De geboortedatum ligt vóór 1900."]},
        ),
    ],
)
def test_register_bad_input_is_400_with_field_errors(member, login, payload, errors):
    response = login(member).post(_api("client-list"), payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == errors
    assert Client.objects.count() == 0


def test_register_duplicate_bsn_names_existing_client(registered, member, login):
    response = login(member).post(
        _api("client-list"),
        {"first_name": "A", "last_name": "B", "bsn": VALID_BSN},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "bsn": ["Er is al een cliënt met dit BSN geregistreerd."],
        "existing_client": registered.pk,
    }


def test_register_and_read_client(member, login):
    http = login(member)
    response = http.post(
        _api("client-list"),
        {"first_name": "Kees", "last_name": "Mulder", "bsn": "111222333"},
        content_type="application/json",
    )
    assert response.status_code == 201
    client_id = response.json()["id"]
    detail = http.get(_api("client-detail", client_id))
    assert detail.json()["bsn"] == "111222333"
    assert (
        AuditEvent.objects.filter(client_id=client_id, event_type=AuditEventType.READ).count() == 1
    )


def test_register_duplicate_name_and_birth_date_is_400_naming_the_existing_client(
    registered, member, login
):
    payload = {"first_name": "Anna", "last_name": "BOER", "date_of_birth": "1985-04-12"}
    response = login(member).post(_api("client-list"), payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "last_name": [
            "Er is al een cliënt met deze achternaam en geboortedatum. Controleer of het "
            "dezelfde persoon is."
        ],
        "existing_client": registered.pk,
    }
    assert Client.objects.count() == 1
    assert not AuditEvent.objects.filter(event_type=AuditEventType.CREATE).exists()


def test_register_records_the_create_event_with_the_actors_role_and_organisation(
    member, team, org_ggz, login
):
    response = login(member).post(
        _api("client-list"),
        {"team": team.pk, "first_name": "Kees", "last_name": "Mulder"},
        content_type="application/json",
    )
    assert response.status_code == 201
    event = AuditEvent.objects.get(event_type=AuditEventType.CREATE)
    assert event.client_id == response.json()["id"]
    assert (event.object_type, event.object_id) == ("clients.client", str(event.client_id))
    assert (event.user, event.role, event.organisation_id) == (member, "team_member", org_ggz.pk)
    assert event.path == _api("client-list") and event.seq is not None and event.hash


def test_register_in_a_team_of_someone_else_is_refused_and_changes_nothing(
    member, other_team, login
):
    response = login(member).post(
        _api("client-list"),
        {"team": other_team.pk, "first_name": "Kees", "last_name": "Mulder"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Client.objects.count() == 0
    assert not AuditEvent.objects.filter(event_type=AuditEventType.CREATE).exists()


def test_one_registration_takes_ten_queries_and_reads_the_access_facts_once(member, team, login):
    """Session, user, second factor; the team; the registration's savepoint, the access
    facts (the team check and the audit event share one read), the duplicate check and the
    insert; the audit event. The same count whatever the number of clients."""
    http = login(member)
    url = _api("client-list")

    def register(n: int) -> CaptureQueriesContext:
        payload = {"team": team.pk, "first_name": "Kees", "last_name": f"Mulder{n}"}
        payload["date_of_birth"] = "1970-01-01"
        with CaptureQueriesContext(connection) as queries:
            assert http.post(url, payload, content_type="application/json").status_code == 201
        return queries

    register(0)  # the first request after sign-in refreshes the session (one write)
    queries = register(1)
    ClientFactory.create_batch(20, team=team)
    assert len(register(2)) == len(queries) == 10
    facts = [q for q in queries.captured_queries if '"olteams_membership"' in q["sql"]]
    assert len(facts) == 1


def test_other_team_gets_404_and_denial_is_logged(registered, outsider, login):
    response = login(outsider).get(_api("client-detail", registered.pk))
    assert response.status_code == 404
    event = AuditEvent.objects.get(client_id=registered.pk)
    assert event.outcome == "denied"


def test_referral_flow_via_api(member, lead, team, login):
    response = login(member).post(
        _api("referral-list"),
        {
            "team": team.pk,
            "referred_on": "2020-01-06",
            "source": "huisarts",
            "person_name": "Piet",
            "question": "Hulp gezocht.",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    referral_id = response.json()["id"]
    assert (
        login(member)
        .post(
            _api("referral-decide", referral_id),
            {"kind": "consultatie"},
            content_type="application/json",
        )
        .status_code
        == 403
    )
    response = login(lead).post(
        _api("referral-decide", referral_id),
        {"kind": "doorverwijzen"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"destination": ["Vul in waarheen de persoon is doorverwezen."]}
    response = login(lead).post(
        _api("referral-decide", referral_id),
        {"kind": "consultatie"},
        content_type="application/json",
    )
    assert response.status_code == 201
    listing = login(member).get(_api("referral-list"), {"status": "consultatie"}).json()
    assert listing["count"] == 1


def test_waiting_list_api(waiting, member, login):
    with time_machine.travel(dt.datetime(2020, 3, 2, 12, tzinfo=dt.UTC)):
        data = login(member).get(_api("waiting-list"), {"urgency": "hoog"}).json()
    assert data["count"] == 1
    row = data["results"][0]
    assert (row["days_waited"], row["voorzorg_contact"], row["source"]) == (56, False, "huisarts")


def test_phase_jump_and_outflow_without_reason_are_400(registered, member, login):
    http = login(member)
    response = http.post(
        _api("episode-transition", registered.pk),
        {"to_phase": "in_zorg", "on": "2020-01-10"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "er worden stappen overgeslagen" in response.json()["to_phase"][0]
    response = http.post(
        _api("episode-outflow", registered.pk),
        {"on": "2020-01-10", "reason": ""},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"reason": ["Kies een reden van uitstroom."]}


def test_intake_before_referral_is_400(waiting, member, login):
    response = login(member).post(
        _api("intake", waiting.client_id),
        {
            "planned_on": "2020-01-01",
            "planned_time": "10:00",
            "location": "Kantoor",
            "workers": [member.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "planned_on": ["De intake ligt vóór de datum van aanmelding (6 januari 2020)."]
    }


def test_intake_to_care_outflow_reentry_via_api(waiting, member, psychiatrist, org_ggz, login):
    http = login(member)
    cid = waiting.client_id
    with time_machine.travel(dt.datetime(2020, 1, 10, 9, tzinfo=dt.UTC)):
        assert (
            http.post(
                _api("intake", cid),
                {
                    "planned_on": "2020-01-20",
                    "planned_time": "10:00",
                    "location": "Kantoor",
                    "workers": [member.pk],
                },
                content_type="application/json",
            ).status_code
            == 200
        )
    with time_machine.travel(dt.datetime(2020, 1, 21, 9, tzinfo=dt.UTC)):
        http = login(member)  # sessions expire after 30 idle minutes, also in travelled time
        response = http.post(
            _api("intake-complete", cid),
            {
                "completed_on": "2020-01-20",
                "outcome_notes": "Goed",
                "casemanager": member.pk,
                "regiebehandelaar": psychiatrist.pk,
                "organisations": [{"organisation": org_ggz.pk, "funding_stream": "zvw"}],
            },
            content_type="application/json",
        )
        assert response.status_code == 200, response.json()
        assert (
            http.post(
                _api("episode-outflow", cid),
                {"on": "2020-01-21", "reason": "verhuisd"},
                content_type="application/json",
            ).status_code
            == 200
        )
        response = http.post(
            _api("episode-reenter", cid), {"on": "2020-01-21"}, content_type="application/json"
        )
    assert response.status_code == 201
    assert response.json()["plan_review_required"] is True
    http = login(member)
    episodes = http.get(_api("episode-list", cid)).json()
    assert [e["phase"] for e in episodes] == ["in_zorg", "uitgestroomd"]
    team = http.get(_api("care-team", cid)).json()
    assert {a["role"] for a in team} == {"casemanager", "regiebehandelaar"}
    assert http.get(_api("involved-list", cid)).json()[0]["funding_stream"] == "zvw"


def test_naaste_without_relation_is_400(registered, member, login):
    response = login(member).post(
        _api("naaste-list", registered.pk),
        {"name": "Piet", "relation": "", "role": "familie"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "relation": ["Vul de relatie tot de cliënt in, bijvoorbeeld 'moeder' of 'buurman'."]
    }
    assert Naaste.objects.count() == 0


def test_naaste_and_consent_via_api(registered, member, org_welzijn, login):
    http = login(member)
    naaste = http.post(
        _api("naaste-list", registered.pk),
        {"name": "Piet", "relation": "vader", "role": "familie"},
        content_type="application/json",
    )
    assert naaste.status_code == 201
    response = http.patch(
        _api("naaste-detail", registered.pk, naaste.json()["id"]),
        {"share_scope": "alles"},
        content_type="application/json",
    )
    assert response.json()["share_scope"] == "alles"
    consent = http.post(
        _api("consent-list", registered.pk),
        {
            "recipient_organisation": org_welzijn.pk,
            "category": "ggz_treatment",
            "purpose": "Afstemming",
            "given_on": "2020-02-01",
        },
        content_type="application/json",
    )
    assert consent.status_code == 201
    response = http.post(
        _api("consent-withdraw", registered.pk, consent.json()["id"]),
        {"withdrawn_on": "2020-02-05"},
        content_type="application/json",
    )
    assert response.json()["withdrawn_on"] == "2020-02-05"


def test_the_registrations_answer_is_the_client_as_a_model_serializer_writes_it(
    member, team, login
):
    """ClientSerializer builds its fields once per class (FieldsOnceModelSerializer); the
    answer is what DRF's ModelSerializer writes, and each instance has its own fields."""

    class Plain(serializers.ModelSerializer):
        class Meta:
            model = Client
            fields = ClientSerializer.Meta.fields

    payload = {"team": team.pk, "first_name": "Kees", "last_name": "Mulder", "city": "Assen"}
    response = login(member).post(_api("client-list"), payload, content_type="application/json")
    assert response.status_code == 201
    client = Client.objects.get()
    assert response.json() == Plain(client).data
    assert response.json()["team"] == team.pk and response.json()["city"] == "Assen"
    first, second = ClientSerializer(client), ClientSerializer(client)
    assert first.fields["team"] is not second.fields["team"]
    assert first.fields["team"].parent is first
