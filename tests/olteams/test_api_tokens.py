"""Personal API tokens: made only after a passed second factor, scoped, expiring, listed and
revocable; the old single-factor tokens are gone (issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from olteams.models import ApiToken, AuditEvent

pytestmark = pytest.mark.django_db
TOKENS = "/api/v1/tokens/"


def _create(http, **data):
    body = {"name": "Rapportage-script", "scope": "lezen", "days": 30, **data}
    return http.post(TOKENS, body, content_type="application/json")


def test_a_token_is_made_only_in_a_verified_session_and_its_key_is_shown_once(member, login):
    unverified = HttpClient()
    unverified.force_login(member)
    assert _create(unverified).status_code == 403
    assert not ApiToken.objects.exists()

    http = login(member)
    response = _create(http)
    assert response.status_code == 201
    data = response.json()
    token = ApiToken.objects.get()
    assert (data["name"], data["scope"], data["prefix"]) == (
        "Rapportage-script",
        "lezen",
        data["key"][:8],
    )
    assert token.key_hash != data["key"] and len(token.key_hash) == 64
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(
        minutes=1
    )
    assert "key" not in http.get(TOKENS).json()[0]
    assert (
        AuditEvent.objects.filter(object_type="olteams.apitoken", detail="API-token").count() == 1
    )


def test_a_token_cannot_make_another_token(member, login):
    key = _create(login(member), scope="schrijven").json()["key"]
    api = HttpClient(HTTP_AUTHORIZATION=f"Token {key}")
    response = _create(api)
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Een API-token maakt u alleen na aanmelden met tweestapsverificatie."
    )
    assert ApiToken.objects.count() == 1


def test_a_read_token_reads_but_may_not_write(member, login, team):
    key = _create(login(member), scope="lezen").json()["key"]
    api = HttpClient(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:me")).status_code == 200
    response = api.post(reverse("api:notification-read"), {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Dit token mag alleen lezen."


def test_an_expired_or_revoked_token_is_refused(member, login):
    http = login(member)
    key = _create(http, days=1).json()["key"]
    api = HttpClient(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:me")).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=1, minutes=1)):
        assert api.get(reverse("api:me")).status_code == 403

    other = _create(http).json()
    api = HttpClient(HTTP_AUTHORIZATION=f"Token {other['key']}")
    assert http.delete(f"{TOKENS}{other['id']}/").json()["revoked_at"] is not None
    response = api.get(reverse("api:me"))
    assert response.status_code == 403
    assert response.json()["detail"] == "Token onbekend, verlopen of ingetrokken."


def test_tokens_are_personal_another_user_cannot_list_or_revoke_them(member, lead, login):
    token_id = _create(login(member)).json()["id"]
    http = login(lead)
    assert http.get(TOKENS).json() == []
    assert http.delete(f"{TOKENS}{token_id}/").status_code == 404
    assert ApiToken.objects.get(pk=token_id).revoked_at is None


@pytest.mark.parametrize("days", [0, 91])
def test_a_token_lives_at_most_ninety_days(member, login, days):
    response = _create(login(member), days=days)
    assert response.status_code == 400
    assert "days" in response.json()
    assert not ApiToken.objects.exists()
