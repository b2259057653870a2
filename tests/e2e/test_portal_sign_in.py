"""A client signs in to the portal by clicks: the portal's sign-in page, the mock DigiD,
back home in the portal. axe finds nothing serious on the portal's pages, on a phone
(390 x 844) and on an office screen (1366 x 768)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import serious_violations
from tests.e2e.digid import choose_file, portal_sign_in, without_mock_idp_noise
from tests.factories.clients import ClientFactory, NaastePortalAccountFactory, make_bsn

# Serialized rollback like every transactional test here: the flush after a test without
# it re-creates content types with new ids, which the next serialized test then clashes with.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENS = ({"width": 390, "height": 844}, {"width": 1366, "height": 768})


def _axe_on_both_screens(page: Page) -> list[str]:
    found: list[str] = []
    for size in SCREENS:
        page.set_viewport_size(size)
        found += [f"{size['width']}: {v}" for v in serious_violations(page)]
    return found


def _styled(page: Page) -> None:
    page.wait_for_load_state("load")
    background = page.locator(".site-header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(11, 92, 115)"


@pytest.mark.parametrize("screen", SCREENS, ids=["phone", "office"])
def test_a_client_signs_in_through_digid_by_clicks(live_server, page, traffic, screen):
    client = ClientFactory(bsn=make_bsn(21))
    page.set_viewport_size(screen)
    page.goto(f"{live_server.url}/mijn/")
    expect(page).to_have_url(f"{live_server.url}/mijn/aanmelden/?next=%2Fmijn%2F")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    expect(page.get_by_role("heading", name="Inloggen met activeringscode")).to_be_visible()
    _styled(page)
    assert _axe_on_both_screens(page) == []
    page.set_viewport_size(screen)

    portal_sign_in(page, live_server.url, client.bsn)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welkom, {client.full_name}")
    assert client.bsn not in page.url
    assert client.bsn not in page.content()
    assert _axe_on_both_screens(page) == []
    assert without_mock_idp_noise(traffic.problems) == []


def test_a_naaste_of_two_clients_chooses_and_the_pages_pass_axe(live_server, page, traffic):
    bsn = make_bsn(22)
    first = NaastePortalAccountFactory(bsn=bsn)
    second = NaastePortalAccountFactory(bsn=bsn)
    portal_sign_in(page, live_server.url, bsn, expect_home=False)
    expect(page.get_by_role("heading", level=1)).to_have_text("Wiens dossier wilt u bekijken?")
    assert _axe_on_both_screens(page) == []
    choose_file(page, second.client.full_name)
    expect(page).to_have_url(f"{live_server.url}/mijn/")
    expect(page.get_by_role("main")).to_contain_text(second.client.first_name)
    assert first.client.full_name not in page.content()
    assert without_mock_idp_noise(traffic.problems) == []


def test_an_unknown_bsn_gets_the_kind_page(live_server, page, traffic):
    portal_sign_in(page, live_server.url, make_bsn(23), expect_home=False)
    expect(page.get_by_role("heading", level=1)).to_have_text("Wij kennen u nog niet")
    assert _axe_on_both_screens(page) == []
    assert without_mock_idp_noise(traffic.problems) == []
