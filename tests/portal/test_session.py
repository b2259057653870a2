"""The portal's own session: separate from staff sessions, 15 minutes idle, every read
audited under the principal's own label, and a naaste's shares read afresh each time."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from clients.constants import PortalShare
from olteams.access import portal_shares
from olteams.constants import AuditEventType, AuditOutcome
from olteams.models import AuditEvent
from olteams.portal import portal_principal
from tests.conftest import verified_client
from tests.factories.clients import (
    ClientPortalAccountFactory,
    NaasteGrantFactory,
    NaastePortalAccountFactory,
)
from tests.factories.olteams import MembershipFactory
from tests.portal.browser import portal_browser

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC)
HOME = "/mijn/"


def test_nobody_signed_in_goes_to_the_portal_sign_in_page() -> None:
    from django.test import Client as HttpClient

    response = HttpClient().get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('portal:login')}?next=%2Fmijn%2F"


def test_the_client_reads_their_start_page_and_the_read_is_audited() -> None:
    account = ClientPortalAccountFactory()
    response = portal_browser(account).get(HOME)
    assert response.status_code == 200
    assert account.client.first_name in response.content.decode()
    event = AuditEvent.objects.get(path=HOME)
    assert event.user is None
    assert event.username == f"portaal:client:{account.pk}"
    assert event.role == "client"
    assert event.client_id == account.client_id
    assert event.event_type == AuditEventType.READ
    assert event.grounds == "portaal"


def test_a_staff_session_is_nobody_in_the_portal() -> None:
    account = ClientPortalAccountFactory()
    member = MembershipFactory(team=account.client.team).user
    response = verified_client(member).get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


def test_a_portal_session_is_nobody_on_the_staff_side() -> None:
    account = ClientPortalAccountFactory()
    browser = portal_browser(account)
    response = browser.get(reverse("clients:client-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("olteams:login"))


def test_the_portal_session_expires_after_fifteen_idle_minutes() -> None:
    account = ClientPortalAccountFactory()
    with time_machine.travel(NOW, tick=False) as traveller:
        browser = portal_browser(account)
        assert browser.get(HOME).status_code == 200
        # Sliding: a visit after 14 minutes keeps the session alive for another 15.
        traveller.shift(dt.timedelta(minutes=14))
        assert browser.get(HOME).status_code == 200
        traveller.shift(dt.timedelta(minutes=14))
        assert browser.get(HOME).status_code == 200
        traveller.shift(dt.timedelta(minutes=15, seconds=1))
        response = browser.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


def test_the_cookie_is_the_portals_own_and_goes_only_to_the_portal() -> None:
    account = ClientPortalAccountFactory()
    with time_machine.travel(NOW, tick=False) as traveller:
        browser = portal_browser(account)
        traveller.shift(dt.timedelta(minutes=2))  # past the refresh interval
        response = browser.get(HOME)
    cookie = response.cookies[settings.PORTAL_SESSION_COOKIE_NAME]
    assert cookie["path"] == "/mijn/"
    assert cookie["httponly"]
    assert int(cookie["max-age"]) == settings.PORTAL_IDLE_SECONDS
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_signing_out_ends_the_session() -> None:
    account = ClientPortalAccountFactory()
    browser = portal_browser(account)
    response = browser.post(reverse("portal:logout"))
    assert response.status_code == 200
    assert browser.get(HOME).status_code == 302


def test_a_deactivated_account_is_nobody() -> None:
    account = ClientPortalAccountFactory()
    browser = portal_browser(account)
    account.is_active = False
    account.save()
    assert browser.get(HOME).status_code == 302
    assert not AuditEvent.objects.filter(path=HOME, outcome=AuditOutcome.SUCCESS).exists()


def test_a_naaste_whose_link_ended_is_refused() -> None:
    account = NaastePortalAccountFactory()
    browser = portal_browser(account)
    assert browser.get(HOME).status_code == 200
    account.naaste.ended_on = dt.date(2026, 1, 1)
    account.naaste.save()
    assert browser.get(HOME).status_code == 404


def test_a_naaste_reads_only_what_is_granted_now() -> None:
    account = NaastePortalAccountFactory()
    rf_request = portal_browser(account).get(HOME).wsgi_request
    principal = portal_principal(rf_request)
    assert principal is not None and not principal.is_client
    assert portal_shares(principal) == frozenset()
    grant = NaasteGrantFactory(naaste=account.naaste, category=PortalShare.PLAN)
    assert portal_shares(principal) == {PortalShare.PLAN}
    later = grant.granted_at + dt.timedelta(minutes=1)
    grant.withdrawn_at = later
    grant.save()
    assert portal_shares(principal, at=later - dt.timedelta(seconds=1)) == {PortalShare.PLAN}
    assert portal_shares(principal, at=later) == frozenset()


def test_the_client_reads_every_category() -> None:
    account = ClientPortalAccountFactory()
    principal = portal_principal(portal_browser(account).get(HOME).wsgi_request)
    assert principal is not None
    assert portal_shares(principal) == frozenset(PortalShare.values)


def test_a_grant_for_another_clients_naaste_does_not_count() -> None:
    account = NaastePortalAccountFactory()
    NaasteGrantFactory(category=PortalShare.PLAN)  # another naaste of another client
    principal = portal_principal(portal_browser(account).get(HOME).wsgi_request)
    assert principal is not None
    assert portal_shares(principal) == frozenset()


# The portal's URL names that are not pages of a client's file: signing in and out.
# A sign-in flow adds its URL names here.
SIGN_IN_NAMES = frozenset(
    {"login", "logout", "digid-choose", "digid-refused", "activate", "activate-setup", "code-login"}
)


def test_every_portal_page_is_guarded_and_audited() -> None:
    from django.urls import get_resolver

    from olteams.portal import AUDIT_SCOPE_PORTAL

    prefix, resolver = get_resolver().namespace_dict["portal"]
    assert prefix == "mijn/"
    pages = {
        pattern.name: pattern.callback
        for pattern in resolver.url_patterns
        if getattr(pattern, "name", None)
    }
    assert set(pages) >= SIGN_IN_NAMES
    for name, view in pages.items():
        if name not in SIGN_IN_NAMES:
            assert getattr(view, "audit_scope", None) == AUDIT_SCOPE_PORTAL, name


def test_a_signed_in_portal_page_is_never_cached() -> None:
    account = ClientPortalAccountFactory()
    response = portal_browser(account).get(HOME)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
