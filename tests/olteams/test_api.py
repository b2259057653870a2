"""The backbone's REST API: who am I, notifications, authentication, the schema."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from olteams.constants import Role
from olteams.models import Notification
from olteams.services import api_token_create, notification_create

pytestmark = pytest.mark.django_db


def test_me_returns_roles_and_active_memberships(member, team, org_ggz, login):
    response = login(member).get("/api/v1/me/")
    assert response.status_code == 200
    data = response.json()
    assert (data["id"], data["username"], data["roles"]) == (member.pk, "lid", [Role.TEAM_MEMBER])
    assert [
        {
            k: m[k]
            for k in ("team", "organisation", "discipline", "role", "fte", "valid_from", "valid_to")
        }
        for m in data["memberships"]
    ] == [
        {
            "team": "Team Noord",
            "organisation": "GGZ-T",
            "discipline": "casemanager",
            "role": "member",
            "fte": "0.80",
            "valid_from": "2020-01-01",
            "valid_to": None,
        }
    ]


def test_me_of_a_consultant_lead_has_no_memberships(consultant_lead, login):
    data = login(consultant_lead).get("/api/v1/me/").json()
    assert (data["roles"], data["memberships"]) == ([Role.WMO_LEAD, Role.WMO_CONSULTANT], [])


def test_notifications_list_only_own_newest_first_paginated(member, lead, login):
    notification_create(recipients=[member], title="Oud")
    notification_create(recipients=[member], title="Nieuw")
    notification_create(recipients=[lead], title="Niet voor jou")
    data = login(member).get("/api/v1/meldingen/").json()
    assert data["count"] == 2
    assert [n["title"] for n in data["results"]] == ["Nieuw", "Oud"]
    assert set(data["results"][0]) == {
        "id",
        "kind",
        "title",
        "body",
        "url",
        "created_at",
        "read_at",
        "due_on",
    }


def test_mark_read_marks_only_own_given_ids(member, lead, login):
    notification_create(recipients=[member, lead], title="Samen", dedupe_key="s")
    mine = Notification.objects.get(recipient=member)
    theirs = Notification.objects.get(recipient=lead)
    response = login(member).post(
        "/api/v1/meldingen/gelezen/", {"ids": [mine.pk, theirs.pk]}, content_type="application/json"
    )
    assert (response.status_code, response.json()) == (200, {"marked": 1})
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_read_without_ids_marks_all_own(member, login):
    notification_create(recipients=[member], title="Een")
    notification_create(recipients=[member], title="Twee")
    response = login(member).post("/api/v1/meldingen/gelezen/", {}, content_type="application/json")
    assert response.json() == {"marked": 2}


@pytest.mark.parametrize(
    ("payload", "field_error"),
    [
        ({"ids": ["abc"]}, "ids"),
        ({"ids": [0]}, "ids"),
        ({"ids": "1,2"}, "ids"),
        ({"ids": list(range(1, 1002))}, "ids"),
    ],
    ids=["not-a-number", "zero", "not-a-list", "too-many"],
)
def test_mark_read_with_bad_ids_is_400_with_field_errors(member, login, payload, field_error):
    notification_create(recipients=[member], title="Blijft ongelezen")
    response = login(member).post(
        "/api/v1/meldingen/gelezen/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == [field_error]
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_token_authentication_works_without_a_session(member):
    # A personal token (made in a verified session; tests/olteams/test_api_tokens.py).
    _token, key = api_token_create(actor=member, name="t", scope="lezen", verified=True)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get("/api/v1/me/")
    assert (response.status_code, response.json()["username"]) == (200, "lid")
    assert "sessionid" not in response.cookies


def test_a_wrong_token_is_refused(db):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    # Session authentication comes first, so DRF answers 403 rather than 401.
    response = api.get("/api/v1/me/")
    assert response.status_code == 403
    assert "username" not in response.json()


@pytest.mark.parametrize("path", ["/api/v1/me/", "/api/v1/meldingen/"])
def test_anonymous_is_refused(client, path):
    response = client.get(path)
    assert response.status_code in (401, 403)
    assert "detail" in response.json()


def test_anonymous_cannot_mark_read(client):
    assert client.post("/api/v1/meldingen/gelezen/", {}).status_code in (401, 403)


def test_schema_renders_with_the_endpoints(member, login):
    response = login(member).get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/me/", "/api/v1/meldingen/", "/api/v1/meldingen/gelezen/"} <= set(paths)


def test_docs_page_renders(member, login):
    response = login(member).get("/api/docs/")
    assert response.status_code == 200
    assert "swagger" in response.content.decode().lower()
