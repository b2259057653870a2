"""The appointments API: plan (201 with every occurrence), Dutch 400 field errors that save
nothing, change one or the series, cancel, scoping (404) and audit."""

from __future__ import annotations

import pytest

from caseload.constants import AppointmentState
from caseload.models import Appointment, AppointmentSeries
from olteams.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _url(client, *rest):
    tail = "".join(f"{part}/" for part in rest)
    return f"/api/v1/caseload/clienten/{client.pk}/afspraken/{tail}"


def body(member, **overrides):
    values = {
        "starts_at": "2026-03-09T10:00:00+01:00",
        "duration_minutes": 30,
        "kind": "telefoon",
        "place_kind": "telefoon",
        "workers": [member.pk],
        "interval_weeks": 2,
        "until": "2026-05-08",
    }
    return values | overrides


def post(http, url, data):
    return http.post(url, data, content_type="application/json")


def test_planning_a_fortnightly_series(member, care_client, login):
    response = post(login(member), _url(care_client), body(member))
    assert response.status_code == 201, response.json()
    rows = response.json()
    assert [row["starts_at"] for row in rows] == [
        "2026-03-09T10:00:00+01:00",
        "2026-03-23T10:00:00+01:00",
        "2026-04-06T10:00:00+02:00",
        "2026-04-20T10:00:00+02:00",
        "2026-05-04T10:00:00+02:00",
    ]
    assert rows[0]["workers"] == [member.pk]
    assert rows[0]["repeats"] is True
    assert rows[0]["state"] == AppointmentState.PLANNED
    assert AuditEvent.objects.filter(client_id=care_client.pk, event_type="create").exists()


def test_without_an_end_it_happens_once(member, care_client, login):
    response = post(login(member), _url(care_client), body(member, until=None))
    assert response.status_code == 201
    assert len(response.json()) == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"count": 105, "until": None}, "count", "Een reeks heeft hoogstens 104 afspraken."),
        ({"count": 3}, "count", "Kies of de reeks eindigt op een datum of na een aantal keer."),
        (
            {"until": "2026-03-01"},
            "until",
            "De einddatum van de herhaling moet na de eerste afspraak liggen.",
        ),
        (
            {"duration_minutes": 0},
            "duration_minutes",
            "De duur moet tussen 1 en 1440 minuten (24 uur) liggen.",
        ),
        ({"workers": []}, "workers", "Kies minstens één medewerker."),
        ({"kind": "schriftelijk"}, "kind", "Kies een van de mogelijkheden."),
        ({"place_kind": "elders"}, "place", "Vul in waar de afspraak is."),
        ({"starts_at": "morgen"}, "starts_at", None),
    ],
)
def test_bad_input_is_400_with_dutch_field_errors(
    member, care_client, login, overrides, field, message
):
    response = post(login(member), _url(care_client), body(member, **overrides))
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field]
    if message is not None:
        assert errors[field] == [message]
    else:
        assert errors[field][0].startswith("Datetime heeft een ongeldig formaat")
    assert not AppointmentSeries.objects.exists()
    assert not Appointment.objects.exists()


def test_a_client_of_another_team_is_not_found(member, other_client, login):
    response = post(login(member), _url(other_client), body(member))
    assert response.status_code == 404
    assert not Appointment.objects.exists()


def test_change_one_then_cancel_the_rest(member, care_client, login):
    http = login(member)
    rows = post(http, _url(care_client), body(member)).json()
    second = rows[1]["id"]
    response = http.patch(
        _url(care_client, second),
        {"starts_at": "2026-03-24T15:00:00+01:00"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["detached"] is True
    assert response.json()["starts_at"] == "2026-03-24T15:00:00+01:00"
    response = post(
        http,
        _url(care_client, rows[2]["id"], "annuleren"),
        {"reason": "Zorg afgeschaald.", "scope": "deze_en_volgende"},
    )
    assert response.status_code == 200
    assert response.json()["state"] == AppointmentState.CANCELLED
    listed = http.get(_url(care_client)).json()
    assert [row["state"] for row in listed] == [
        "gepland",
        "gepland",
        "geannuleerd",
        "geannuleerd",
        "geannuleerd",
    ]


def test_change_the_series_via_the_api(member, care_client, login):
    http = login(member)
    rows = post(http, _url(care_client), body(member)).json()
    response = http.patch(
        _url(care_client, rows[0]["id"]),
        {"scope": "hele_reeks", "interval_weeks": 1, "until": "2026-03-30"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    listed = http.get(_url(care_client)).json()
    assert len(listed) == 4  # weekly from 9 to 30 March


def test_cancel_without_a_reason_is_400(member, care_client, login):
    http = login(member)
    rows = post(http, _url(care_client), body(member, until=None)).json()
    response = post(http, _url(care_client, rows[0]["id"], "annuleren"), {"reason": ""})
    assert response.status_code == 400
    assert response.json() == {"reason": ["Geef de reden van het annuleren."]}
    assert Appointment.objects.get().state == AppointmentState.PLANNED


def test_an_appointment_of_another_client_is_not_found(member, care_client, team, login):
    from tests.factories.clients import ClientFactory

    http = login(member)
    rows = post(http, _url(care_client), body(member, until=None)).json()
    neighbour = ClientFactory(team=team)
    assert http.get(_url(neighbour, rows[0]["id"])).status_code == 404
