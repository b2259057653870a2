"""Signing in with DigiD: the whole flow through the library's mock identity provider
(tests/portal/digid.py), for a client, a naaste, a naaste of two clients, an unknown BSN,
a merged client and a switched-off account. The BSN never shows in a page or the log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse

from clients.constants import PortalAccountKind
from clients.models import PortalAccount
from clients.services.portal import bsn_fingerprint
from olteams.constants import AuditEventType, AuditOutcome
from olteams.models import AuditEvent
from olteams.portal import portal_principal
from tests.factories.clients import (
    ClientFactory,
    ClientPortalAccountFactory,
    NaasteFactory,
    NaastePortalAccountFactory,
    make_bsn,
)
from tests.portal.digid import digid_sign_in

pytestmark = pytest.mark.django_db


def _principal(response):
    return portal_principal(response.wsgi_request)


def _no_bsn_anywhere(response, bsn: str) -> None:
    assert bsn not in response.content.decode()
    for url, _status in response.redirect_chain[1:]:
        assert bsn not in url
    assert bsn not in response.wsgi_request.get_full_path()
    assert not AuditEvent.objects.filter(detail__contains=bsn).exists()
    assert not AuditEvent.objects.filter(path__contains=bsn).exists()


def test_a_client_signs_in_and_gets_their_account_on_the_first_sign_in(caplog) -> None:
    client = ClientFactory(bsn=make_bsn(11))
    assert not PortalAccount.objects.filter(client=client).exists()
    response = digid_sign_in(HttpClient(), client.bsn)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/mijn/"
    account = PortalAccount.objects.get(client=client, kind=PortalAccountKind.CLIENT)
    principal = _principal(response)
    assert principal is not None and principal.account_id == account.pk
    assert principal.method == "digid"
    assert client.first_name in response.content.decode()
    login = AuditEvent.objects.get(event_type=AuditEventType.LOGIN)
    assert login.username == f"portaal:client:{account.pk}"
    assert login.detail == "digid"
    # No Django (staff) user, ever: the portal session is the portal's own.
    assert response.wsgi_request.user.is_anonymous
    assert "_auth_user_id" not in response.wsgi_request.session
    assert settings.PORTAL_SESSION_COOKIE_NAME in response.client.cookies
    assert client.bsn not in caplog.text


def test_a_second_sign_in_reuses_the_account_and_lands_on_next() -> None:
    account = ClientPortalAccountFactory()
    response = digid_sign_in(HttpClient(), account.client.bsn, next_url="/mijn/?x=1")
    assert response.redirect_chain[-1][0] == "/mijn/?x=1"
    assert PortalAccount.objects.filter(client=account.client).count() == 1
    assert _principal(response).account_id == account.pk


def test_a_naaste_signs_in_with_their_own_bsn() -> None:
    account = NaastePortalAccountFactory()
    response = digid_sign_in(HttpClient(), account.bsn)
    principal = _principal(response)
    assert principal is not None and principal.account_id == account.pk
    assert not principal.is_client
    _no_bsn_anywhere(response, account.bsn)


def test_a_naaste_of_two_clients_chooses_whose_file() -> None:
    bsn = make_bsn(12)
    first = NaastePortalAccountFactory(bsn=bsn)
    second = NaastePortalAccountFactory(bsn=bsn)
    http = HttpClient()
    response = digid_sign_in(http, bsn)
    assert response.redirect_chain[-1][0] == reverse("portal:digid-choose")
    page = response.content.decode()
    assert "Wiens dossier wilt u bekijken?" in page
    assert first.client.full_name in page and second.client.full_name in page
    assert _principal(response) is None  # nobody until they choose
    _no_bsn_anywhere(response, bsn)
    chosen = http.post(reverse("portal:digid-choose"), {"account": second.pk}, follow=True)
    assert chosen.redirect_chain[-1][0] == "/mijn/"
    assert _principal(chosen).account_id == second.pk
    assert second.client.first_name in chosen.content.decode()


def test_the_choice_offers_only_the_accounts_of_this_sign_in() -> None:
    bsn = make_bsn(13)
    NaastePortalAccountFactory(bsn=bsn)
    NaastePortalAccountFactory(bsn=bsn)
    stranger = ClientPortalAccountFactory()
    http = HttpClient()
    digid_sign_in(http, bsn)
    response = http.post(reverse("portal:digid-choose"), {"account": stranger.pk})
    assert response.status_code == 200
    assert portal_principal(response.wsgi_request) is None
    assert stranger.client.full_name not in response.content.decode()


def test_without_a_digid_sign_in_there_is_no_choice() -> None:
    response = HttpClient().get(reverse("portal:digid-choose"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:login")


def test_a_client_who_is_also_a_naaste_chooses_between_both() -> None:
    client = ClientFactory(bsn=make_bsn(14))
    naaste = NaastePortalAccountFactory(bsn=client.bsn)
    http = HttpClient()
    page = digid_sign_in(http, client.bsn).content.decode()
    assert "Mijn eigen dossier" in page
    assert naaste.client.full_name in page


def test_an_unknown_bsn_gets_a_kind_page_and_a_log_without_the_bsn(caplog) -> None:
    bsn = make_bsn(15)
    response = digid_sign_in(HttpClient(), bsn)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Wij kennen u nog niet" in page
    assert "Bel dan uw casemanager" in page
    assert _principal(response) is None
    event = AuditEvent.objects.get(event_type=AuditEventType.LOGIN)
    assert event.outcome == AuditOutcome.DENIED
    assert event.detail == f"DigiD: onbekend (vingerafdruk {bsn_fingerprint(bsn)})"
    _no_bsn_anywhere(response, bsn)
    assert bsn not in caplog.text
    assert bsn_fingerprint(bsn) in caplog.text


def test_a_merged_client_is_not_signed_in_to_the_old_record() -> None:
    survivor = ClientFactory(bsn=None)
    merged = ClientFactory(bsn=make_bsn(16), merged_into=survivor)
    response = digid_sign_in(HttpClient(), merged.bsn)
    assert "Wij kennen u nog niet" in response.content.decode()
    assert not PortalAccount.objects.filter(client=merged).exists()
    assert _principal(response) is None


def test_a_switched_off_account_is_told_so() -> None:
    account = ClientPortalAccountFactory(is_active=False)
    response = digid_sign_in(HttpClient(), account.client.bsn)
    assert "Uw toegang staat uit" in response.content.decode()
    assert _principal(response) is None
    assert AuditEvent.objects.get(event_type=AuditEventType.LOGIN).outcome == AuditOutcome.DENIED


def test_a_naaste_whose_link_ended_is_unknown() -> None:
    naaste = NaasteFactory(ended_on=dt.date(2026, 1, 1))
    account = NaastePortalAccountFactory(naaste=naaste)
    response = digid_sign_in(HttpClient(), account.bsn)
    assert "Wij kennen u nog niet" in response.content.decode()


def test_the_acs_refuses_a_bsn_that_fails_the_11_proef() -> None:
    response = HttpClient().get(reverse("digid:acs"), {"bsn": "123456789"}, follow=True)
    assert "Inloggen is niet gelukt" in response.content.decode()
    assert _principal(response) is None


def test_the_acs_never_sends_anyone_outside_the_portal() -> None:
    account = ClientPortalAccountFactory()
    response = HttpClient().get(
        reverse("digid:acs"), {"bsn": account.client.bsn, "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/mijn/"


def test_a_staff_session_does_not_survive_into_the_portal_sign_in() -> None:
    from tests.conftest import verified_client
    from tests.factories.olteams import MembershipFactory

    account = ClientPortalAccountFactory()
    staff = verified_client(MembershipFactory(team=account.client.team).user)
    response = digid_sign_in(staff, account.client.bsn)
    assert _principal(response).account_id == account.pk
    # The staff session is still a staff session, and never the portal's.
    assert response.wsgi_request.user.is_authenticated
    staff_page = staff.get(reverse("clients:client-list"))
    assert staff_page.status_code == 200


def test_the_choice_buttons_carry_plain_ids_above_a_thousand() -> None:
    bsn = make_bsn(17)
    NaastePortalAccountFactory(bsn=bsn, id=4514)
    second = NaastePortalAccountFactory(bsn=bsn, id=4515)
    http = HttpClient()
    page = digid_sign_in(http, bsn).content.decode()
    assert 'value="4515"' in page  # not "4.515" (Dutch thousands separator)
    chosen = http.post(reverse("portal:digid-choose"), {"account": "4515"}, follow=True)
    assert _principal(chosen).account_id == second.pk
