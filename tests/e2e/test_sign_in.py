"""Every role signs in through the browser with two factors and lands on its own start page."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.e2e.browser import TrafficGuard, assert_styled_and_scripted, serious_violations
from tests.factories.olteams import TEST_PASSWORD, UserFactory, give_backup_code

# Serialized rollback like every transactional test here: the flush after a test without
# it re-creates content types with new ids, which the next serialized test then clashes with.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BACKUP_CODE = "12345678"

# conftest fixture of the role → the start page's h1 (None: "Goedendag, <first name>")
# and a line that only that role's start page shows.
ROLE_START_PAGES = {
    "member": (None, "Startpagina voor het team · Teamlid"),
    "lead": (None, "Startpagina voor het team · Teamleider"),
    "secretary": (None, "Startpagina voor het team · Zorgsecretariaat"),
    "consultant": ("Wmo-consulent: startpagina", "indicatieaanvragen voor uw gemeente"),
    "controller": ("Controller: startpagina", "Maandafsluiting"),
    "stuurgroep_user": ("Stuurgroep: startpagina", "Trends per team"),
    "admin_user": ("Functioneel beheer: startpagina", "Auditlog (NEN 7513)"),
}


def _sign_in_with_password(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/")
    expect(page).to_have_url(f"{base_url}/aanmelden/?next=/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Volgende").click()


@pytest.mark.parametrize("role_fixture", list(ROLE_START_PAGES))
def test_role_signs_in_with_backup_code_and_sees_own_start_page(
    role_fixture, live_server, page, traffic, request
):
    user = request.getfixturevalue(role_fixture)
    give_backup_code(user, BACKUP_CODE)
    heading, marker = ROLE_START_PAGES[role_fixture]

    page.goto(f"{live_server.url}/aanmelden/")
    assert_styled_and_scripted(page)
    assert serious_violations(page) == []

    _sign_in_with_password(page, live_server.url, user.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie")
    assert serious_violations(page) == []
    page.get_by_role("textbox", name="Code", exact=True).fill(BACKUP_CODE)
    page.get_by_role("button", name="Bevestigen").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expected_heading = heading or f"Goedendag, {user.first_name}"
    expect(page.get_by_role("heading", level=1)).to_have_text(expected_heading)
    expect(page.get_by_role("main")).to_contain_text(marker)
    assert_styled_and_scripted(page)
    assert serious_violations(page) == []
    assert traffic.problems == []


def test_wrong_backup_code_keeps_user_on_verification_page(live_server, page, traffic, member):
    give_backup_code(member, BACKUP_CODE)

    _sign_in_with_password(page, live_server.url, member.username)
    page.get_by_role("textbox", name="Code", exact=True).fill("87654321")
    page.get_by_role("button", name="Bevestigen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie")
    expect(page.locator("#id_token_error")).to_have_text(
        "Deze code klopt niet of is verlopen. Probeer het opnieuw."
    )
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie")
    assert traffic.problems == []


def test_new_user_enrols_totp_and_lands_on_start_page(live_server, page, traffic, team, org_ggz):
    from tests.factories.olteams import MembershipFactory

    user = MembershipFactory(
        user=UserFactory(username="nieuw"), team=team, organisation=org_ggz
    ).user

    _sign_in_with_password(page, live_server.url, user.username)
    expect(page).to_have_url(f"{live_server.url}/aanmelden/koppelen/?next=%2F")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")
    assert_styled_and_scripted(page)
    assert serious_violations(page) == []

    secret = page.locator("[data-testid=totp-secret]").inner_text().strip()
    code = totp(base64.b32decode(secret))
    page.get_by_role("textbox", name="Code", exact=True).fill(f"{code:06d}")
    page.get_by_role("button", name="Koppelen").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Goedendag, {user.first_name}")
    expect(page.get_by_role("status")).to_contain_text("Tweestapsverificatie is ingesteld.")
    assert serious_violations(page) == []
    assert traffic.problems == []
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1


def test_axe_check_reports_a_serious_violation(page):
    """The accessibility check itself works: an image without text is caught."""
    page.set_content(
        '<html lang="nl"><head><title>Proef</title></head>'
        '<body><main><h1>Proef</h1><img src="data:,"></main></body></html>'
    )
    assert serious_violations(page) == ["image-alt (critical): [['img']]"]


def test_traffic_guard_reports_other_hosts_and_console_errors(page, live_server):
    guard = TrafficGuard(origin=live_server.url)
    guard.attach(page)
    page.goto(f"{live_server.url}/aanmelden/")
    page.evaluate(
        "() => { console.error('kapot');"
        " document.body.insertAdjacentHTML('beforeend',"
        ' \'<img alt="" src="http://elders.invalid/pixel.png">\'); }'
    )
    page.wait_for_load_state("networkidle")
    assert "console error: kapot" in guard.problems
    assert "request to another host: http://elders.invalid/pixel.png" in guard.problems
