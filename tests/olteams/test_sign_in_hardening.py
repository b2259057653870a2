"""Sign-in hardening (issue 14): a new session key at the second factor, a bad ``next``."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories.olteams import TEST_PASSWORD

pytestmark = pytest.mark.django_db
LOGIN, VERIFY = "/aanmelden/", "/aanmelden/verificatie/"


def test_the_session_key_changes_when_the_second_factor_is_accepted(client, member):
    device = TOTPDevice.objects.create(user=member, name="telefoon", confirmed=True)
    client.post(LOGIN, {"username": "lid", "password": TEST_PASSWORD})
    before = client.session.session_key
    response = client.post(VERIFY, {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    after = client.session.session_key
    assert before and after and before != after
    assert client.get("/").status_code == 200
    # the key known before the second factor opens nothing
    client.cookies["sessionid"] = before
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    "bad", ["/meldingen/\r\nSet-Cookie: x=1", "/\nevil", "https://evil.example/", "//evil.example"]
)
def test_a_bad_next_gives_a_redirect_home_never_a_500(client, member, bad):
    device = TOTPDevice.objects.create(user=member, name="telefoon", confirmed=True)
    response = client.post(LOGIN, {"username": "lid", "password": TEST_PASSWORD, "next": bad})
    assert (response.status_code, response["Location"]) == (302, VERIFY)
    response = client.post(VERIFY, {"token": f"{totp(device.bin_key):06d}", "next": bad})
    assert (response.status_code, response["Location"]) == (302, "/")
