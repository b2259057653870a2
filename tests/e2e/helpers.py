"""Small helpers for browser tests of the clients journey."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.factories.olteams import TEST_PASSWORD, give_backup_code

BACKUP_CODE = "12345678"


def sign_in(page: Page, base_url: str, user) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the UI: password, then a static backup code as second factor."""
    give_backup_code(user, BACKUP_CODE)
    page.goto(f"{base_url}/aanmelden/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    page.get_by_role("textbox", name="Code", exact=True).fill(BACKUP_CODE)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page).to_have_url(f"{base_url}/")


def record_wmo_consent(page: Page, municipality: str) -> None:
    """From a page that links "Toestemming vastleggen" (the Wmo request's notice or the
    Netwerk tab): record, by clicks, the client's consent to send the request's goals (the
    Herstelplan) and its ZRM (Wmo-ondersteuning) to ``municipality`` for the Wmo request."""
    for category in ("Herstelplan", "Wmo-ondersteuning"):
        page.get_by_role("link", name="Toestemming vastleggen").first.click()
        page.get_by_label("Of ontvangende gemeente").select_option(label=municipality)
        page.get_by_label("Soort gegevens").select_option(label=category)
        page.get_by_label(re.compile(r"^Doel")).select_option(label="Wmo-aanvraag bij de gemeente")
        page.get_by_label("Toelichting op het doel").fill("Aanvraag begeleiding")
        page.get_by_role("button", name="Vastleggen").click()
        expect(page.get_by_role("status")).to_contain_text("De toestemming is vastgelegd.")
