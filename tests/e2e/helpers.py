"""Small helpers for browser tests of the clients journey."""

from __future__ import annotations

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
