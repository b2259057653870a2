from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from olteams.models import AuditEvent
from tests.factories.olteams import MunicipalityRoleFactory, UserFactory
from wmo.models import Decision, IndicationRequest

pytestmark = pytest.mark.django_db
BASE = "/api/v1/wmo/"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC), tick=True):
        yield


def _payload(request_data, **change):
    data = request_data | change
    for key in ("start", "end"):
        data[key] = data[key].isoformat() if data[key] else None
    return data


def _create(http, client, request_data, **change):
    return http.post(
        f"{BASE}clienten/{client.pk}/aanvragen/",
        _payload(request_data, **change),
        content_type="application/json",
    )


def test_team_creates_and_submits_consultant_grants_through_the_api(
    member, consultant, wmo_client, request_data, login
):
    team = login(member)
    created = _create(team, wmo_client, request_data)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["product_code"], body["days_left"]) == ("concept", "02B01", None)
    url = f"{BASE}clienten/{wmo_client.pk}/aanvragen/{body['id']}/"
    submitted = team.post(url + "indienen/")
    assert (submitted.json()["status"], submitted.json()["days_left"]) == ("ingediend", 14)
    inbox = login(consultant).get(f"{BASE}inbox/").json()
    assert [row["id"] for row in inbox["results"]] == [body["id"]]
    assert "phone" not in inbox["results"][0]
    decided = login(consultant).post(
        f"{BASE}besluiten/",
        {"request": body["id"], "kind": "temporary"},
        content_type="application/json",
    )
    assert decided.status_code == 201, decided.json()
    assert decided.json()["indication"]["volume"] == 2
    indications = team.get(f"{BASE}clienten/{wmo_client.pk}/indicaties/").json()
    assert [i["is_temporary"] for i in indications] == [True]
    assert AuditEvent.objects.filter(
        client_id=wmo_client.pk, user=consultant, event_type="create"
    ).exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"volume": 0}, "volume", "De omvang moet een geheel getal groter dan 0 zijn."),
        ({"end": dt.date(2026, 3, 1)}, "end", "De einddatum ligt vóór de ingangsdatum."),
        (
            {"product_code": "99X99"},
            "product_code",
            "Onbekende productcode 99X99 voor gemeente Testgemeente.",
        ),
    ],
)
def test_bad_input_is_a_400_with_dutch_field_errors(
    member, wmo_client, request_data, login, change, field, message
):
    response = _create(login(member), wmo_client, request_data, **change)
    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert IndicationRequest.objects.count() == 0


def test_second_open_request_for_same_period_is_a_400(member, wmo_client, request_data, login):
    http = login(member)
    assert _create(http, wmo_client, request_data).status_code == 201
    response = _create(http, wmo_client, request_data)
    assert response.status_code == 400
    assert response.json() == {
        "start": ["Er loopt al een aanvraag voor dit product in (een deel van) deze periode."]
    }


def test_decision_before_submission_is_a_400(member, consultant, wmo_client, request_data, login):
    pk = _create(login(member), wmo_client, request_data).json()["id"]
    response = login(consultant).post(
        f"{BASE}besluiten/", {"request": pk, "kind": "granted"}, content_type="application/json"
    )
    assert response.status_code == 400
    # The concept is not the municipality's yet: the consultant cannot even see it.
    assert response.json() == {"request": ["Deze aanvraag is niet aan uw gemeente gericht."]}


def test_deciding_another_municipalitys_request_is_a_400(
    member, wmo_client, request_data, login, other_municipality
):
    http = login(member)
    pk = _create(http, wmo_client, request_data).json()["id"]
    http.post(f"{BASE}clienten/{wmo_client.pk}/aanvragen/{pk}/indienen/")
    stranger = MunicipalityRoleFactory(
        user=UserFactory(username="anderconsulent"), municipality=other_municipality
    ).user
    response = login(stranger).post(
        f"{BASE}besluiten/", {"request": pk, "kind": "granted"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"request": ["Deze aanvraag is niet aan uw gemeente gericht."]}
    assert Decision.objects.count() == 0


def test_rejection_without_reason_is_a_400(member, consultant, wmo_client, request_data, login):
    http = login(member)
    pk = _create(http, wmo_client, request_data).json()["id"]
    http.post(f"{BASE}clienten/{wmo_client.pk}/aanvragen/{pk}/indienen/")
    response = login(consultant).post(
        f"{BASE}besluiten/", {"request": pk, "kind": "rejected"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["reason"]


@pytest.mark.parametrize("who", ["anonymous", "outsider", "consultant"])
def test_request_create_permissions(
    who, outsider, consultant, wmo_client, request_data, login, client
):
    http = (
        client
        if who == "anonymous"
        else login({"outsider": outsider, "consultant": consultant}[who])
    )
    response = _create(http, wmo_client, request_data)
    assert response.status_code == {"anonymous": 403, "outsider": 404, "consultant": 404}[who]
    assert IndicationRequest.objects.count() == 0


def test_inbox_is_for_consultants_only(member, login):
    assert login(member).get(f"{BASE}inbox/").status_code == 403


def test_wmo301_import_api(member, consultant, wmo_client, request_data, login):
    http = login(member)
    pk = _create(http, wmo_client, request_data).json()["id"]
    http.post(f"{BASE}clienten/{wmo_client.pk}/aanvragen/{pk}/indienen/")
    from tests.wmo.test_iwmo import _wmo301

    message = _wmo301(IndicationRequest.objects.get(pk=pk))
    post = {
        "content_type": "application/xml",
        "headers": {"Content-Disposition": "attachment; filename=wmo301.xml"},
    }
    # A team member cannot grant their own client an indication: 403, nothing stored.
    refused = http.post(f"{BASE}iwmo/wmo301/", message, **post)
    assert refused.status_code == 403, refused.content
    assert not Decision.objects.exists()
    municipality = login(consultant)
    response = municipality.post(f"{BASE}iwmo/wmo301/", message, **post)
    assert response.status_code == 201, response.content
    assert [d["indication"]["toewijzing_number"] for d in response.json()] == ["4711"]
    bad = municipality.post(f"{BASE}iwmo/wmo301/", b"<kapot", **post)
    assert bad.status_code == 400


def test_a_system_client_bound_to_the_municipality_posts_wmo301(
    member, wmo_client, request_data, login, municipality, other_municipality
):
    """A municipality's system posts with an API token of a service account that holds the
    role of exactly that municipality; the same message from another municipality's system
    is refused (403) and stores nothing."""
    from rest_framework.test import APIClient

    from olteams.services import api_token_create
    from tests.factories.olteams import MunicipalityRoleFactory, UserFactory
    from tests.wmo.test_iwmo import _wmo301

    http = login(member)
    pk = _create(http, wmo_client, request_data).json()["id"]
    http.post(f"{BASE}clienten/{wmo_client.pk}/aanvragen/{pk}/indienen/")
    message = _wmo301(IndicationRequest.objects.get(pk=pk))

    def system(place, name):
        user = MunicipalityRoleFactory(user=UserFactory(username=name), municipality=place).user
        api = APIClient()
        _token, key = api_token_create(
            actor=user, name="gemeentesysteem", scope="schrijven", verified=True
        )
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return api

    headers = {"HTTP_CONTENT_DISPOSITION": "attachment; filename=wmo301.xml"}
    elsewhere = system(other_municipality, "systeem-elders").post(
        f"{BASE}iwmo/wmo301/", message, content_type="application/xml", **headers
    )
    assert elsewhere.status_code == 403
    assert not Decision.objects.exists()
    ours = system(municipality, "systeem-testgemeente").post(
        f"{BASE}iwmo/wmo301/", message, content_type="application/xml", **headers
    )
    assert ours.status_code == 201, ours.content
    assert Decision.objects.get().source == "iwmo"


def test_wmo319_import_api(member, consultant, wmo_client, request_data, login):
    from tests.wmo.test_iwmo import _wmo319

    http = login(member)
    pk = _create(http, wmo_client, request_data).json()["id"]
    http.post(f"{BASE}clienten/{wmo_client.pk}/aanvragen/{pk}/indienen/")
    message = _wmo319(IndicationRequest.objects.get(pk=pk), "2")
    post = {
        "content_type": "application/xml",
        "headers": {"Content-Disposition": "attachment; filename=wmo319.xml"},
    }
    assert http.post(f"{BASE}iwmo/wmo319/", message, **post).status_code == 403
    assert not Decision.objects.exists()
    response = login(consultant).post(f"{BASE}iwmo/wmo319/", message, **post)
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "in_onderzoek"
