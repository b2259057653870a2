"""Self-service password reset (a link by e-mail: once, expiring, throttled, never telling
whether an account exists, the second factor still asked) and the functional administrator's
audited reset of a lost second factor."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from olteams.models import AuditEvent
from tests.factories.olteams import TEST_PASSWORD

pytestmark = pytest.mark.django_db

RESET = reverse("olteams:password-reset")
DONE = reverse("olteams:password-reset-done")
LOGIN = reverse("olteams:login")
NEW_PASSWORD = "Zonnig-Voorjaar-2026!"
NOW = dt.datetime(2026, 3, 16, 9, 0, tzinfo=dt.UTC)


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/aanmelden/wachtwoord-herstellen/\S+/)", message.body)[1]


def test_the_sign_in_page_links_to_the_reset(client):
    assert RESET in client.get(LOGIN).content.decode()


def test_known_and_unknown_addresses_get_the_same_answer(client, member):
    known = client.post(RESET, {"email": member.email})
    unknown = client.post(RESET, {"email": "niemand@example.invalid"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known["Location"] == DONE
    [message] = mail.outbox
    assert message.to == [member.email]
    assert message.subject == "Nieuw wachtwoord voor Optimaal Leven"
    assert "http://localhost:8000/aanmelden/wachtwoord-herstellen/" in message.body


def test_the_link_ignores_the_host_header(client, member, settings):
    settings.ALLOWED_HOSTS = ["*"]
    client.post(RESET, {"email": member.email}, HTTP_HOST="evil.example")
    assert "evil.example" not in mail.outbox[0].body


def test_the_link_sets_a_new_password_once_and_the_second_factor_is_still_asked(client, member):
    device = TOTPDevice.objects.create(user=member, name="telefoon", confirmed=True)
    with time_machine.travel(NOW, tick=False):
        client.post(RESET, {"email": member.email})
        link = _link(mail.outbox[0])
        form = client.get(link, follow=True)
        assert form.context["validlink"] is True
        set_url = form.redirect_chain[-1][0]
        done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        assert done["Location"] == reverse("olteams:password-reset-complete")
        # not signed in by the reset: the start page asks to sign in
        assert client.get("/")["Location"].startswith(LOGIN)
        # the link worked once
        again = client.get(link, follow=True)
        assert again.context["validlink"] is False
        # sign in with the new password: the second factor comes next
        response = client.post(LOGIN, {"username": member.username, "password": NEW_PASSWORD})
        assert response["Location"] == reverse("olteams:otp-verify")
        assert client.get("/")["Location"].startswith(reverse("olteams:otp-verify"))
        response = client.post(
            reverse("olteams:otp-verify"), {"token": f"{totp(device.bin_key):06d}"}
        )
        assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(
        user=member, event_type="update", detail="wachtwoord hersteld via e-maillink"
    ).exists()


def test_the_link_expires(client, member, settings):
    with time_machine.travel(NOW, tick=False):
        client.post(RESET, {"email": member.email})
    link = _link(mail.outbox[0])
    later = NOW + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later, tick=False):
        assert client.get(link, follow=True).context["validlink"] is False
    member.refresh_from_db()
    assert member.check_password(TEST_PASSWORD)


def test_a_too_weak_password_is_refused_in_dutch(client, member):
    client.post(RESET, {"email": member.email})
    form = client.get(_link(mail.outbox[0]), follow=True)
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "1234", "new_password2": "1234"}
    )
    assert response.status_code == 200
    assert "Dit wachtwoord bevat alleen cijfers." in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(TEST_PASSWORD)


def test_requests_are_limited_per_account_silently(client, member, settings):
    for _ in range(settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT + 2):
        response = client.post(RESET, {"email": member.email})
        assert response["Location"] == DONE  # the same answer every time
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT


def test_requests_are_limited_per_ip_address(client, settings):
    for n in range(settings.PASSWORD_RESET_LIMIT_PER_IP):
        assert client.post(RESET, {"email": f"iemand{n}@example.invalid"}).status_code == 302
    response = client.post(RESET, {"email": "nog-een@example.invalid"})
    assert response.status_code == 429
    assert "Te veel aanvragen" in response.content.decode()
    # another connection may still ask
    from django.test import Client

    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(RESET, {"email": "ander@example.invalid"}).status_code == 302


# --- the functional administrator resets a lost second factor --------------------------------


def test_the_admin_resets_a_lost_second_factor_with_a_reason(client, login, admin_user, member):
    TOTPDevice.objects.create(user=member, name="telefoon", confirmed=True)
    StaticDevice.objects.create(user=member, name="reserve")
    http = login(admin_user)
    start = http.get(reverse("olteams:home")).content.decode()
    assert reverse("olteams:otp-user-list") in start
    listing = http.get(reverse("olteams:otp-user-list"), {"q": member.last_name}).content.decode()
    url = reverse("olteams:otp-reset", kwargs={"user_id": member.pk})
    assert url in listing
    refused = http.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert "Geef de reden, bijvoorbeeld: telefoon kwijt." in refused.content.decode()
    assert TOTPDevice.objects.filter(user=member).exists()
    response = http.post(url, {"reason": "Telefoon kwijt"})
    assert response["Location"] == reverse("olteams:otp-user-list")
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert not StaticDevice.objects.filter(user=member).exists()
    event = AuditEvent.objects.get(user=admin_user, event_type="delete", object_id=str(member.pk))
    assert event.detail == "tweede factor gereset (2 apparaten): Telefoon kwijt"
    # at the next sign-in the user enrols again
    response = client.post(LOGIN, {"username": member.username, "password": TEST_PASSWORD})
    assert response["Location"] == reverse("olteams:otp-enrol")


def test_only_the_functional_admin_resets_a_second_factor(login, member, lead):
    TOTPDevice.objects.create(user=member, name="telefoon", confirmed=True)
    http = login(lead)
    url = reverse("olteams:otp-reset", kwargs={"user_id": member.pk})
    assert http.get(reverse("olteams:otp-user-list")).status_code == 403
    assert http.post(url, {"reason": "Telefoon kwijt"}).status_code == 403
    assert TOTPDevice.objects.filter(user=member).exists()


# --- who may open the new pages -------------------------------------------------------------

PUBLIC = [
    "olteams:password-reset",
    "olteams:password-reset-done",
    "olteams:password-reset-complete",
]
ADMIN_ONLY = ["olteams:otp-user-list"]


@pytest.mark.parametrize("name", PUBLIC)
def test_the_reset_pages_are_public(client, name):
    assert client.get(reverse(name)).status_code == 200


def test_a_made_up_reset_link_is_a_page_not_an_error(client):
    url = reverse("olteams:password-reset-confirm", kwargs={"uidb64": "xx", "token": "yy"})
    response = client.get(url)
    assert response.status_code == 200 and response.context["validlink"] is False


@pytest.mark.parametrize(
    "url",
    [
        reverse("olteams:email-preference"),
        reverse("olteams:otp-user-list"),
        reverse("olteams:otp-reset", kwargs={"user_id": 1}),
    ],
)
def test_anonymous_users_sign_in_first(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("user_fixture", ["member", "lead", "controller", "stuurgroep_user"])
def test_every_signed_in_user_has_the_e_mail_page_and_only_the_admin_the_otp_pages(
    request, login, user_fixture, admin_user
):
    http = login(request.getfixturevalue(user_fixture))
    assert http.get(reverse("olteams:email-preference")).status_code == 200
    assert http.get(reverse("olteams:otp-user-list")).status_code == 403
    url = reverse("olteams:otp-reset", kwargs={"user_id": admin_user.pk})
    assert http.get(url).status_code == 403
    assert login(admin_user).get(url).status_code == 200
