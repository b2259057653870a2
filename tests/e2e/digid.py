"""Signing in to the portal in the browser, by clicks, through the mock DigiD.

``portal_sign_in(page, base_url, bsn)``: from /mijn/aanmelden/ "Inloggen met DigiD", on the
mock DigiD's page "Met burgerservicenummer.", type the BSN, "Inloggen", back at the portal.
Lands on /mijn/ for a person with one file; a naaste of several clients lands on the choice
"Wiens dossier wilt u bekijken?" (``choose_file(page, name)`` picks one).
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def portal_sign_in(page: Page, base_url: str, bsn: str, *, expect_home: bool = True) -> None:
    page.goto(f"{base_url}/mijn/aanmelden/")
    page.get_by_role("link", name="Inloggen met DigiD").click()
    expect(page).to_have_url(re.compile(r"/digid-mock/inloggen/"))
    # The mock's page runs a script of its own: a click before the page has loaded was once
    # lost on a busy machine (the BSN page never came), so each page loads first.
    page.wait_for_load_state("load")
    page.get_by_role("link", name=re.compile("Met burgerservicenummer")).click()
    expect(page).to_have_url(re.compile(r"/digid-mock/inloggen_bsn/"))
    page.wait_for_load_state("load")
    page.locator("input[name=auth_bsn]").fill(bsn)
    page.get_by_role("button", name="Inloggen").click()
    if expect_home:
        expect(page).to_have_url(f"{base_url}/mijn/")


def choose_file(page: Page, name: str) -> None:
    """On "Wiens dossier wilt u bekijken?": open the file of the client called ``name``."""
    page.get_by_role("button", name=re.compile(re.escape(name))).click()


# The library's mock DigiD page ships a script that looks for a field its own BSN page lacks
# (django-digid-eherkenning 0.25, digid-mock/extra.js): that one page error is the mock's,
# never ours. Every other problem on the way counts.
MOCK_IDP_PAGE_ERROR = "page error: Cannot read properties of null (reading 'addEventListener')"


def without_mock_idp_noise(problems: list[str]) -> list[str]:
    """``traffic.problems`` less the mock DigiD's own known script error."""
    return [problem for problem in problems if problem != MOCK_IDP_PAGE_ERROR]
