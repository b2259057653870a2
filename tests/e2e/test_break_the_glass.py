"""Break-the-glass in Chromium, by clicks: a worker of another team finds a client by BSN,
asks for emergency access with a reason, sees the banner and the file; the privacy officer
signs in, opens the Toegangslog, sees the emergency access with its reason and reviews it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from olteams.constants import Ground
from olteams.models import AuditEvent, EmergencyAccess
from tests.e2e.browser import serious_violations
from tests.e2e.helpers import sign_in
from tests.factories.clients import ClientFactory
from tests.factories.olteams import UserFactory

# Serialized rollback like every transactional test here: the flush after a test without
# it re-creates content types with new ids, which the next serialized test then clashes with.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BSN = "123456782"
REASON = "Cliënt in crisis bij de huisartsenpost, medicatie onbekend"


def _axe_clean(page: Page) -> None:
    assert serious_violations(page) == []


def test_break_the_glass_by_clicks(live_server, page, traffic, team, outsider):
    client = ClientFactory(team=team, first_name="Karin", last_name="Mulder", bsn=BSN)
    officer = UserFactory(
        username="privacy", first_name="Paula", last_name="Prins", is_privacy_officer=True
    )

    # A worker of the other team searches by the full BSN: no name, only the way in.
    sign_in(page, live_server.url, outsider)
    page.get_by_role("link", name="Cliënten", exact=True).click()
    page.get_by_label("Zoeken").fill(BSN)
    page.get_by_role("button", name="Filteren").click()
    expect(page.locator("#client-table")).to_contain_text("Cliënt buiten uw teams")
    expect(page.locator("main")).not_to_contain_text("Mulder")
    _axe_clean(page)
    page.get_by_role("link", name="noodtoegang aanvragen").click()
    expect(page.locator("h1")).to_have_text("Noodtoegang aanvragen")
    expect(page.locator("main")).to_contain_text("Cliënt buiten uw teams gevonden.")
    _axe_clean(page)

    # Without a reason: a Dutch message, nothing granted.
    page.get_by_role("button", name="Noodtoegang aanvragen").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert not EmergencyAccess.objects.exists()
    page.get_by_label("Reden voor de noodtoegang").fill(REASON)
    page.get_by_role("button", name="Noodtoegang aanvragen").click()

    # The file, with the banner.
    expect(page.locator("h1")).to_have_text("Karin Mulder")
    expect(page.locator(".emergency-banner")).to_contain_text("U kijkt met noodtoegang")
    _axe_clean(page)
    access = EmergencyAccess.objects.get(user=outsider, client_id=client.pk)
    assert AuditEvent.objects.filter(
        client_id=client.pk, emergency_access=access, grounds=Ground.EMERGENCY.value
    ).exists()
    page.get_by_role("button", name="Afmelden").click()

    # The privacy officer reads the Toegangslog and reviews the emergency access.
    sign_in(page, live_server.url, officer)
    page.get_by_role("link", name="Toegangslog", exact=True).click()
    expect(page.locator("h1")).to_have_text("Toegangslog (NEN 7513)")
    page.get_by_label("Alleen noodtoegang").check()
    page.get_by_role("button", name="Filteren").click()
    table = page.locator("table")
    expect(table).to_contain_text("Noodtoegang")
    expect(table).to_contain_text(REASON)
    expect(table).to_contain_text(outsider.username)
    _axe_clean(page)
    page.get_by_role("link", name="Noodtoegangen beoordelen").click()
    expect(page.locator("h1")).to_have_text("Noodtoegangen")
    expect(page.locator("table")).to_contain_text(REASON)
    page.get_by_label("Notitie").fill("Gerechtvaardigd: crisis buiten kantoortijd.")
    page.get_by_role("button", name="Beoordeeld").click()
    expect(page.locator("table")).to_contain_text("Gerechtvaardigd")
    _axe_clean(page)
    access.refresh_from_db()
    assert access.reviewed_by == officer
    # the one refusal: the request without a reason (a form answered with 400)
    refused = [p for p in traffic.problems if "400" in p]
    assert [p for p in traffic.problems if p not in refused] == []
    assert any(p.startswith("HTTP 400: ") and "/noodtoegang/" in p for p in refused)
