"""A client without BSN: the casemanager makes a one-time activation code in the client's
file; the client redeems it with their date of birth, chooses a password, links an
authenticator app and is signed in; later they sign in with login name, password and the
app's code. Expiry, single use and the lock after wrong attempts run on time-machine."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from django_otp.oath import TOTP

from clients.constants import AssignmentRole, PortalAccountKind
from clients.models import PortalAccount
from clients.services.portal import activation_code_hash
from olteams.constants import AuditEventType, TeamRole
from olteams.models import AuditEvent
from olteams.portal import portal_principal
from tests.conftest import verified_client
from tests.factories.clients import AssignmentFactory, ClientFactory
from tests.factories.olteams import MembershipFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC)
DOB = dt.date(1975, 3, 9)
PASSWORD = "zonnebloem-aan-zee-42"


@pytest.fixture
def client_without_bsn():
    return ClientFactory(bsn=None, date_of_birth=DOB)


@pytest.fixture
def casemanager(client_without_bsn):
    user = MembershipFactory(team=client_without_bsn.team, role=TeamRole.MEMBER).user
    AssignmentFactory(client=client_without_bsn, worker=user, role=AssignmentRole.CASEMANAGER)
    return user


def make_code(staff_user, client) -> str:
    """The casemanager clicks "Nieuwe activeringscode maken" and reads the code once."""
    http = verified_client(staff_user)
    url = reverse("clients:portal-activation", kwargs={"client_id": client.pk})
    assert http.post(url).status_code == 302
    page = http.get(url).content.decode()
    found = re.search(r'data-testid="activation-code">([A-Z0-9-]+)<', page)
    assert found is not None
    return found.group(1)


def token(account, at: dt.datetime) -> str:
    totp = TOTP(bytes.fromhex(account.totp_key), step=30, digits=6)
    totp.time = at.timestamp()
    return f"{totp.token():06d}"


def activate(http, code: str, *, at: dt.datetime, dob: dt.date = DOB):
    return http.post(reverse("portal:activate"), {"code": code, "date_of_birth": dob.isoformat()})


def finish(http, client, *, at: dt.datetime):
    account = PortalAccount.objects.get(client=client)
    return http.post(
        reverse("portal:activate-setup"),
        {"password": PASSWORD, "password_again": PASSWORD, "token": token(account, at)},
    )


def test_the_code_is_shown_once_stored_hashed_expires_in_14_days_and_is_audited(
    client_without_bsn, casemanager
) -> None:
    with time_machine.travel(NOW, tick=False):
        http = verified_client(casemanager)
        url = reverse("clients:portal-activation", kwargs={"client_id": client_without_bsn.pk})
        detail = http.get(
            reverse("clients:client-detail", kwargs={"client_id": client_without_bsn.pk})
        )
        assert url in detail.content.decode()  # the button on the client's file
        assert http.post(url).status_code == 302
        shown = http.get(url).content.decode()
        code = re.search(r'data-testid="activation-code">([A-Z0-9-]+)<', shown).group(1)
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
        assert code not in http.get(url).content.decode()  # once only
    account = PortalAccount.objects.get(client=client_without_bsn, kind=PortalAccountKind.CLIENT)
    assert account.activation_code_hash == activation_code_hash(code)
    assert code not in str(PortalAccount.objects.filter(pk=account.pk).values().first())
    assert account.activation_expires_at == NOW + dt.timedelta(days=14)
    event = AuditEvent.objects.get(event_type=AuditEventType.CREATE)
    assert event.user == casemanager
    assert event.client_id == client_without_bsn.pk
    assert event.detail == "activeringscode portaal gemaakt"


def test_a_team_lead_may_make_a_code_and_another_member_may_not(client_without_bsn) -> None:
    lead = MembershipFactory(team=client_without_bsn.team, role=TeamRole.LEAD).user
    member = MembershipFactory(team=client_without_bsn.team, role=TeamRole.MEMBER).user
    url = reverse("clients:portal-activation", kwargs={"client_id": client_without_bsn.pk})
    assert verified_client(member).post(url).status_code == 403
    assert not PortalAccount.objects.exists()
    assert make_code(lead, client_without_bsn)


def test_a_client_with_bsn_uses_digid(casemanager, client_without_bsn) -> None:
    client_without_bsn.bsn = "111222333"
    client_without_bsn.save()
    url = reverse("clients:portal-activation", kwargs={"client_id": client_without_bsn.pk})
    response = verified_client(casemanager).post(url)
    assert response.status_code == 400
    assert "logt in met DigiD" in response.content.decode()
    assert not PortalAccount.objects.exclude(activation_code_hash="").exists()


def test_activation_then_second_factor_then_signed_in_and_the_code_is_used_up(
    client_without_bsn, casemanager
) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        code = make_code(casemanager, client_without_bsn)
        http = HttpClient()
        login_page = http.get(reverse("portal:login")).content.decode()
        assert reverse("portal:activate") in login_page
        step1 = activate(http, code, at=NOW)
        assert step1.status_code == 302
        assert step1["Location"] == reverse("portal:activate-setup")
        setup = http.get(reverse("portal:activate-setup"))
        page = setup.content.decode()
        account = PortalAccount.objects.get(client=client_without_bsn)
        assert account.login_name and account.login_name in page
        assert "<svg" in page  # the QR code, rendered on the server
        assert portal_principal(setup.wsgi_request) is None  # not yet signed in
        traveller.shift(dt.timedelta(seconds=40))
        done = finish(http, client_without_bsn, at=NOW + dt.timedelta(seconds=40))
        assert done.status_code == 302 and done["Location"] == "/mijn/"
        home = http.get("/mijn/")
        assert home.status_code == 200
        principal = portal_principal(home.wsgi_request)
        assert principal is not None and principal.method == "activation"
        assert principal.account_id == account.pk
        account.refresh_from_db()
        assert account.activation_code_hash == "" and account.totp_confirmed
        assert account.activated_at == NOW + dt.timedelta(seconds=40)
        # Single use: the same code does not work again.
        again = activate(HttpClient(), code, at=NOW)
        assert again.status_code == 400
        assert "klopt niet" in again.content.decode()


def test_a_wrong_date_of_birth_is_refused_and_saves_nothing(
    client_without_bsn, casemanager
) -> None:
    code = make_code(casemanager, client_without_bsn)
    response = activate(HttpClient(), code, at=NOW, dob=dt.date(1975, 3, 10))
    assert response.status_code == 400
    assert "De code of de geboortedatum klopt niet" in response.content.decode()
    account = PortalAccount.objects.get(client=client_without_bsn)
    assert account.login_name == "" and account.totp_key == ""


def test_a_bad_date_is_a_field_error() -> None:
    response = HttpClient().post(
        reverse("portal:activate"), {"code": "ABCD-EFGH-JKMN", "date_of_birth": "gisteren"}
    )
    assert response.status_code == 400
    assert "Vul een datum in" in response.content.decode()


def test_the_code_expires_after_14_days(client_without_bsn, casemanager) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        code = make_code(casemanager, client_without_bsn)
        traveller.shift(dt.timedelta(days=14))
        assert activate(HttpClient(), code, at=NOW).status_code == 400
        traveller.shift(dt.timedelta(seconds=-1))
        assert activate(HttpClient(), code, at=NOW).status_code == 302


def test_a_new_code_revokes_the_old_one(client_without_bsn, casemanager) -> None:
    old = make_code(casemanager, client_without_bsn)
    new = make_code(casemanager, client_without_bsn)
    assert old != new
    assert activate(HttpClient(), old, at=NOW).status_code == 400
    assert activate(HttpClient(), new, at=NOW).status_code == 302


def test_the_setup_needs_a_good_password_and_the_right_app_code(
    client_without_bsn, casemanager
) -> None:
    with time_machine.travel(NOW, tick=False):
        code = make_code(casemanager, client_without_bsn)
        http = HttpClient()
        activate(http, code, at=NOW)
        response = http.post(
            reverse("portal:activate-setup"),
            {"password": "kort", "password_again": "kort", "token": "000000"},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "Deze code klopt niet" in page
        account = PortalAccount.objects.get(client=client_without_bsn)
        assert account.password == "" and not account.totp_confirmed
        assert portal_principal(response.wsgi_request) is None


def _activated(client, casemanager, *, at: dt.datetime) -> PortalAccount:
    code = make_code(casemanager, client)
    http = HttpClient()
    activate(http, code, at=at)
    assert finish(http, client, at=at).status_code == 302
    return PortalAccount.objects.get(client=client)


def _sign_in(
    account, *, at: dt.datetime, password: str = PASSWORD, ip: str = "10.0.0.1", code=None
):
    http = HttpClient(REMOTE_ADDR=ip)
    return http.post(
        reverse("portal:code-login"),
        {
            "login_name": account.login_name,
            "password": password,
            "token": code if code is not None else token(account, at),
        },
    )


def test_a_later_sign_in_takes_login_name_password_and_a_fresh_app_code(
    client_without_bsn, casemanager
) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        account = _activated(client_without_bsn, casemanager, at=NOW)
        traveller.shift(dt.timedelta(hours=1))
        later = NOW + dt.timedelta(hours=1)
        first = _sign_in(account, at=later)
        assert first.status_code == 302 and first["Location"] == "/mijn/"
        # The same app code does not work twice.
        assert _sign_in(account, at=later).status_code == 400
        wrong = _sign_in(account, at=later + dt.timedelta(minutes=5), password="fout-wachtwoord")
        assert wrong.status_code == 400
        assert "De inlognaam, het wachtwoord of de code klopt niet" in wrong.content.decode()


def test_five_wrong_codes_from_one_address_lock_it_for_15_minutes(
    client_without_bsn, casemanager
) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        code = make_code(casemanager, client_without_bsn)
        http = HttpClient(REMOTE_ADDR="10.0.0.9")
        for _attempt in range(4):
            assert activate(http, "AAAA-BBBB-CCCC", at=NOW).status_code == 400
        locked = activate(http, "AAAA-BBBB-CCCC", at=NOW)
        assert locked.status_code == 429
        assert "15 minuten" in locked.content.decode()
        # Locked: even the right code waits.
        assert activate(http, code, at=NOW).status_code == 429
        traveller.shift(dt.timedelta(minutes=15, seconds=1))
        assert activate(http, code, at=NOW).status_code == 302


def test_five_wrong_passwords_lock_the_account_from_any_address(
    client_without_bsn, casemanager
) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        account = _activated(client_without_bsn, casemanager, at=NOW)
        for attempt in range(4):
            response = _sign_in(account, at=NOW, password="fout", ip=f"10.1.0.{attempt}")
            assert response.status_code == 400
        assert _sign_in(account, at=NOW, password="fout", ip="10.1.0.8").status_code == 429
        traveller.shift(dt.timedelta(minutes=1))
        right = _sign_in(account, at=NOW + dt.timedelta(minutes=1), ip="10.1.0.9")
        assert right.status_code == 429
        traveller.shift(dt.timedelta(minutes=15))
        later = NOW + dt.timedelta(minutes=16)
        assert _sign_in(account, at=later, ip="10.1.0.9").status_code == 302


def test_the_client_file_offers_the_code_to_the_casemanager_and_the_lead_only(team, lead):
    """The button on the client's Gegevens page follows who may make a code (the
    casemanager now, a lead of the team), read from the assignments the page has loaded."""
    client = ClientFactory(team=team, bsn=None)
    casemanager = MembershipFactory(team=team).user
    other_member = MembershipFactory(team=team).user
    AssignmentFactory(client=client, worker=casemanager, role=AssignmentRole.CASEMANAGER)
    ended = MembershipFactory(team=team).user
    AssignmentFactory(
        client=client,
        worker=ended,
        role=AssignmentRole.CASEMANAGER,
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2020, 12, 31),
    )
    url = reverse("clients:client-detail", args=[client.pk])
    button = "Activeringscode voor het portaal"
    for user, shown in ((casemanager, True), (lead, True), (other_member, False), (ended, False)):
        page = verified_client(user).get(url).content.decode()
        assert (button in page) is shown, user
