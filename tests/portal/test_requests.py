"""The client files and withdraws privacy requests in 'Mijn gegevens'; they land in the
team's register with the statutory term, logged as the client's own act."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from clients.constants import (
    DisputedPart,
    FiledVia,
    PrivacyDecision,
    PrivacyRequestKind,
    PrivacyRequestStatus,
)
from clients.models import PrivacyRequest
from clients.services.privacy_requests import decide
from olteams.constants import AuditEventType, TeamRole
from olteams.models import AuditEvent
from tests.factories.clients import ClientPortalAccountFactory
from tests.factories.olteams import MembershipFactory
from tests.portal.browser import portal_browser

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 1, 31, 10, tzinfo=dt.UTC)
FORM = {
    "kind": PrivacyRequestKind.CORRECTION,
    "disputed": DisputedPart.CONTACTVERSLAGEN,
    "description": "In het verslag van 12 januari staat dat ik niet kwam, maar ik was er wel.",
}


def test_the_client_files_a_request_that_lands_in_the_register() -> None:
    account = ClientPortalAccountFactory()
    with time_machine.travel(NOW, tick=False):
        browser = portal_browser(account)
        response = browser.post(reverse("portal:request-create"), FORM)
        assert response.status_code == 302
        page = browser.get(reverse("portal:gegevens")).content.decode()
    filed = PrivacyRequest.objects.get(client=account.client)
    assert filed.kind == PrivacyRequestKind.CORRECTION
    assert filed.filed_via == FiledVia.PORTAL
    assert filed.filed_by is None
    assert filed.filed_by_label == "cliënt, via Mijn Optimaal Leven (DigiD)"
    assert filed.received_on == dt.date(2026, 1, 31)
    assert filed.due_on == dt.date(2026, 2, 28)  # one calendar month (AVG art. 12(3))
    assert "ik was er wel" in page
    assert "28 februari 2026" in page
    event = AuditEvent.objects.get(object_type="clients.privacyrequest", object_id=str(filed.pk))
    assert event.event_type == AuditEventType.CREATE
    assert event.username == f"portaal:client:{account.pk}"
    assert event.role == "client"
    assert event.user is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"description": "  "}, "Dit veld is vereist."),
        ({"kind": "inzage-van-iemand-anders"}, "Selecteer een geldige keuze."),
        ({"disputed": DisputedPart.OTHER, "disputed_other": ""}, "Omschrijf welke gegevens"),
    ],
)
def test_bad_input_gets_a_dutch_message_and_saves_nothing(change, message) -> None:
    account = ClientPortalAccountFactory()
    response = portal_browser(account).post(reverse("portal:request-create"), FORM | change)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Er is iets niet goed ingevuld" in page
    assert message in page
    assert not PrivacyRequest.objects.exists()


def test_the_client_withdraws_an_open_request_and_reads_the_decision_of_another() -> None:
    account = ClientPortalAccountFactory()
    lead = MembershipFactory(team=account.client.team, role=TeamRole.LEAD).user
    browser = portal_browser(account)
    browser.post(reverse("portal:request-create"), FORM)
    browser.post(reverse("portal:request-create"), FORM | {"kind": PrivacyRequestKind.REMOVAL})
    first, second = PrivacyRequest.objects.order_by("pk")
    response = browser.post(reverse("portal:request-withdraw", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == PrivacyRequestStatus.WITHDRAWN
    assert first.withdrawn_by_label.startswith("cliënt, via Mijn Optimaal Leven")
    decide(
        second,
        actor=lead,
        decision=PrivacyDecision.REFUSED,
        reason="Het verslag moeten wij twintig jaar bewaren (Wgbo).",
    )
    page = browser.get(reverse("portal:gegevens")).content.decode()
    assert "U heeft dit verzoek ingetrokken." in page
    assert "Afgewezen" in page
    assert "twintig jaar bewaren" in page
    # A withdrawn request cannot be withdrawn again: a message, nothing changes.
    browser.post(reverse("portal:request-withdraw", args=[first.pk]))
    first.refresh_from_db()
    assert first.status == PrivacyRequestStatus.WITHDRAWN


def test_opening_a_request_url_is_a_read_in_the_audit_log() -> None:
    account = ClientPortalAccountFactory()
    browser = portal_browser(account)
    browser.post(reverse("portal:request-create"), FORM)
    filed = PrivacyRequest.objects.get()
    for url in (
        reverse("portal:request-create"),
        reverse("portal:request-withdraw", args=[filed.pk]),
    ):
        assert browser.get(url).status_code == 200
        event = AuditEvent.objects.filter(path=url).latest("id")
        assert (event.event_type, event.username) == (
            AuditEventType.READ,
            f"portaal:client:{account.pk}",
        )
