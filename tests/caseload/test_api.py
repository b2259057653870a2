"""The caseload API: 201s, Dutch 400 field errors that save nothing, scoping and audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseload.constants import ContactKind, NonClientCode
from caseload.models import (
    Consultation,
    Contact,
    ContactWorker,
    Crisis,
    IntensityChange,
    NonClientTime,
)
from olteams.constants import DataCategory
from olteams.models import AuditEvent
from tests.factories.caseload import (
    ConsultationFactory,
    ContactFactory,
    CrisisFactory,
    NonClientTimeFactory,
)
from tests.factories.clients import ClientFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

CONTACTS = "/api/v1/caseload/contacten/"
TIME = "/api/v1/caseload/tijd/"
CONSULTATIONS = "/api/v1/caseload/consultaties/"


def contact_body(client, **overrides):
    body = {
        "client": client.pk,
        "starts_at": "2026-03-02T10:00:00+01:00",
        "duration_minutes": 45,
        "kind": ContactKind.HOME,
        "note": "Samen de post doorgenomen.",
    }
    return body | overrides


def post(http, url, body):
    return http.post(url, body, content_type="application/json")


# --- contacts ----------------------------------------------------------------------------


def test_logging_a_contact(member, welfare_member, care_client, login):
    response = post(login(member), CONTACTS, contact_body(care_client, workers=[welfare_member.pk]))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["client"] == care_client.pk
    assert body["date"] == "2026-03-02"
    assert body["funding_proposed"] == body["funding_stream"] == "lijntje_houden"
    assert body["note"] == "Samen de post doorgenomen." and body["note_hidden"] is False
    assert {w["worker"] for w in body["workers"]} == {member.pk, welfare_member.pk}
    assert AuditEvent.objects.filter(client_id=care_client.pk, event_type="create").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"duration_minutes": -10},
            "duration_minutes",
            "De duur moet tussen 1 en 1440 minuten (24 uur) liggen.",
        ),
        (
            {"duration_minutes": 1441},
            "duration_minutes",
            "De duur moet tussen 1 en 1440 minuten (24 uur) liggen.",
        ),
        (
            {"duration_minutes": 10**30},
            "duration_minutes",
            "De duur moet tussen 1 en 1440 minuten (24 uur) liggen.",
        ),
        (
            {"travel_minutes": -1},
            "travel_minutes",
            "De reistijd moet tussen 0 en 1440 minuten (24 uur) liggen.",
        ),
        (
            {"starts_at": "2026-03-02T15:00:00+01:00"},
            "starts_at",
            "Het contact ligt in de toekomst.",
        ),
        ({"goals": [999999]}, "goals", "Kies alleen doelen uit het herstelplan van deze cliënt."),
    ],
)
def test_bad_contacts_are_400_with_dutch_field_errors(
    member, care_client, login, overrides, field, message
):
    response = post(login(member), CONTACTS, contact_body(care_client, **overrides))

    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert Contact.objects.count() == ContactWorker.objects.count() == 0


def test_a_client_of_another_team_is_a_field_error_not_a_crash(member, other_client, login):
    response = post(login(member), CONTACTS, contact_body(other_client))

    assert response.status_code == 400
    assert response.json() == {"client": ["Deze cliënt is niet gevonden of valt buiten uw team."]}
    assert Contact.objects.count() == 0


def test_an_invalid_worker_saves_nothing(member, outsider, care_client, login):
    response = post(login(member), CONTACTS, contact_body(care_client, workers=[outsider.pk]))

    assert response.status_code == 400
    assert "workers" in response.json()
    assert Contact.objects.count() == ContactWorker.objects.count() == 0


def test_the_contact_list_is_scoped_filtered_and_shields_notes(
    member, welfare_member, care_client, other_client, team, login
):
    mine = ContactFactory(client=care_client, author=member, kind=ContactKind.PHONE)
    ContactFactory(
        client=care_client, author=member, kind=ContactKind.HOME, date=dt.date(2026, 1, 5)
    )
    ContactFactory(client=other_client)

    listed = login(member).get(CONTACTS).json()
    assert listed["count"] == 2
    filtered = login(member).get(CONTACTS, {"kind": "telefoon", "client": care_client.pk}).json()
    assert [r["id"] for r in filtered["results"]] == [mine.pk]
    period = login(member).get(CONTACTS, {"date_from": "2026-02-01", "date_to": "2026-02-28"})
    assert [r["id"] for r in period.json()["results"]] == [mine.pk]

    # A welfare worker of the team, not in the care team, sees the meta but not the GGZ note.
    rows = login(welfare_member).get(CONTACTS).json()["results"]
    assert {(r["note"], r["note_hidden"]) for r in rows} == {(None, True)}
    assert AuditEvent.objects.filter(user=welfare_member, event_type="search").exists()


def _counted(queries: CaptureQueriesContext) -> int:
    """Queries of the page itself: the cached session may be read from the database when
    the shared test cache was flushed meanwhile."""
    return sum("django_session" not in q["sql"] for q in queries.captured_queries)


def test_the_contact_list_has_a_constant_number_of_queries(member, care_client, team, login):
    http = login(member)
    ContactFactory(client=ClientFactory(team=team), author=member)
    http.get(CONTACTS)  # warm up the session
    with CaptureQueriesContext(connection) as few:
        assert http.get(CONTACTS).status_code == 200
    for _ in range(6):
        ContactFactory(client=ClientFactory(team=team), author=member)
    with CaptureQueriesContext(connection) as many:
        assert http.get(CONTACTS).json()["count"] == 7
    assert _counted(many) == _counted(few)


def test_reading_and_correcting_a_contact(member, lead, care_client, login):
    contact = ContactFactory(client=care_client, author=member, note_category=DataCategory.WELFARE)
    url = f"{CONTACTS}{contact.pk}/"

    assert login(member).get(url).json()["id"] == contact.pk
    response = login(lead).patch(url, {"duration_minutes": 20}, content_type="application/json")

    assert response.status_code == 200, response.json()
    contact.refresh_from_db()
    assert contact.duration_minutes == 20
    assert AuditEvent.objects.filter(client_id=care_client.pk, event_type="update").exists()


def test_a_wrong_correction_is_400_and_changes_nothing(member, care_client, login):
    contact = ContactFactory(client=care_client, author=member)

    response = login(member).patch(
        f"{CONTACTS}{contact.pk}/", {"duration_minutes": 0}, content_type="application/json"
    )

    assert response.status_code == 400
    contact.refresh_from_db()
    assert contact.duration_minutes == 45


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [("outsider", 404, 404), ("consultant", 404, 404), ("welfare_member", 200, 403)],
)
def test_contact_detail_permissions(who, read, write, request, member, care_client, login):
    contact = ContactFactory(client=care_client, author=member)
    http = login(request.getfixturevalue(who))

    assert http.get(f"{CONTACTS}{contact.pk}/").status_code == read
    assert (
        http.patch(
            f"{CONTACTS}{contact.pk}/", {"duration_minutes": 5}, content_type="application/json"
        ).status_code
        == write
    )
    contact.refresh_from_db()
    assert contact.duration_minutes == 45


def test_anonymous_requests_are_refused(client, care_client):
    assert client.get(CONTACTS).status_code in (401, 403)
    assert post(client, CONTACTS, contact_body(care_client)).status_code in (401, 403)
    assert Contact.objects.count() == 0


# --- non-client time ---------------------------------------------------------------------


def test_recording_non_client_time(member, team, login):
    response = post(
        login(member), TIME, {"team": team.pk, "date": "2026-03-02", "minutes": 60, "code": "2"}
    )

    assert response.status_code == 201, response.json()
    assert response.json()["discipline"] == "casemanager"


def test_code_7_without_explanation_is_400(member, team, login):
    response = post(
        login(member),
        TIME,
        {"team": team.pk, "date": "2026-03-02", "minutes": 60, "code": NonClientCode.OTHER},
    )

    assert response.status_code == 400
    assert response.json() == {"explanation": ["Geef een toelichting bij code 7 (overig)."]}
    assert NonClientTime.objects.count() == 0


@pytest.mark.parametrize("minutes", [-5, 0, 1441])
def test_absurd_non_client_minutes_are_400(member, team, login, minutes):
    response = post(
        login(member),
        TIME,
        {"team": team.pk, "date": "2026-03-02", "minutes": minutes, "code": "2"},
    )

    assert response.status_code == 400
    assert "minutes" in response.json()
    assert NonClientTime.objects.count() == 0


def test_non_client_time_of_another_team_is_refused(member, other_team, login):
    response = post(
        login(member),
        TIME,
        {"team": other_team.pk, "date": "2026-03-02", "minutes": 60, "code": "2"},
    )

    assert response.status_code == 400
    assert response.json() == {"team": ["U werkt niet in dit team."]}


def test_non_client_time_list_is_own_for_members_and_team_for_leads(
    member, welfare_member, lead, team, login
):
    NonClientTimeFactory(worker=member, team=team)
    NonClientTimeFactory(worker=welfare_member, team=team)

    assert login(member).get(TIME).json()["count"] == 1
    assert login(lead).get(TIME).json()["count"] == 2
    assert login(lead).get(TIME, {"worker": member.pk}).json()["count"] == 1


# --- consultations -----------------------------------------------------------------------


def test_recording_a_consultation_about_a_client(member, team, care_client, login):
    response = post(
        login(member),
        CONSULTATIONS,
        {
            "team": team.pk,
            "date": "2026-03-02",
            "requester_kind": "huisarts",
            "client": care_client.pk,
            "minutes": 15,
        },
    )

    assert response.status_code == 201, response.json()
    assert AuditEvent.objects.filter(client_id=care_client.pk, event_type="create").exists()


def test_a_consultation_about_a_client_of_another_team_is_a_field_error(
    member, team, other_client, login
):
    response = post(
        login(member),
        CONSULTATIONS,
        {
            "team": team.pk,
            "date": "2026-03-02",
            "requester_kind": "huisarts",
            "client": other_client.pk,
            "minutes": 15,
        },
    )

    assert response.status_code == 400
    assert list(response.json()) == ["client"]
    assert Consultation.objects.count() == 0


def test_consultations_are_listed_for_the_team(member, outsider, team, other_team, login):
    ConsultationFactory(team=team)
    ConsultationFactory(team=other_team)

    assert login(member).get(CONSULTATIONS).json()["count"] == 1
    assert login(outsider).get(CONSULTATIONS).json()["count"] == 1


# --- intensity and crises ----------------------------------------------------------------


def test_intensity_changes_per_client(member, care_client, login):
    url = f"/api/v1/caseload/clienten/{care_client.pk}/intensiteit/"
    http = login(member)

    created = post(http, url, {"date": "2026-03-01", "level": 4, "reason": "Meer onrust."})
    assert created.status_code == 201, created.json()
    assert [r["level"] for r in http.get(url).json()] == [4]

    refused = post(http, url, {"date": "2026-03-05", "level": 2, "reason": ""})
    assert refused.status_code == 400
    assert set(refused.json()) == {"date", "reason"}
    assert IntensityChange.objects.count() == 1


def test_crises_per_client_and_ending_one(member, care_client, login):
    url = f"/api/v1/caseload/clienten/{care_client.pk}/crises/"
    http = login(member)

    created = post(
        http, url, {"started_on": "2026-02-25", "setting": "acuut", "reason": "Psychose."}
    )
    assert created.status_code == 201, created.json()
    crisis_url = f"{url}{created.json()['id']}/"
    ended = http.patch(crisis_url, {"ended_on": "2026-03-01"}, content_type="application/json")
    assert ended.status_code == 200 and ended.json()["ended_on"] == "2026-03-01"
    again = http.patch(crisis_url, {"ended_on": "2026-03-02"}, content_type="application/json")
    assert again.status_code == 400
    assert again.json() == {"ended_on": ["Deze crisis is al beëindigd."]}


@pytest.mark.parametrize("who", ["outsider", "consultant", "stuurgroep_user"])
def test_per_client_endpoints_are_404_outside_the_scope(who, request, care_client, login):
    crisis = CrisisFactory(client=care_client)
    http = login(request.getfixturevalue(who))
    base = f"/api/v1/caseload/clienten/{care_client.pk}/"

    assert http.get(base + "intensiteit/").status_code == 404
    assert (
        post(
            http, base + "intensiteit/", {"date": "2026-03-01", "level": 4, "reason": "x"}
        ).status_code
        == 404
    )
    assert (
        post(
            http, base + "crises/", {"started_on": "2026-03-01", "setting": "geen", "reason": "x"}
        ).status_code
        == 404
    )
    assert (
        http.patch(
            f"{base}crises/{crisis.pk}/",
            {"ended_on": "2026-03-01"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert IntensityChange.objects.count() == 0 and Crisis.objects.count() == 1
    crisis.refresh_from_db()
    assert crisis.ended_on is None
    assert AuditEvent.objects.filter(client_id=care_client.pk, outcome="denied").count() == 4
