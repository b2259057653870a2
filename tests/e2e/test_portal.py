"""Issue 12 in Chromium, by clicks: the client's own door.

A worker opens a client's dossier; the client then signs in through the (mock) DigiD, reads
the plan, finds that very read under "Wie heeft mijn dossier bekeken" with the worker's name
and organisation, agrees to the draft of the next plan, lets a naaste read the plan; the
naaste signs in through DigiD, reads the plan and cannot open the team contacts; the client
withdraws the grant and the naaste's next request is refused; the client downloads the
whole file (the JSON validates against the documented schema, the PDF renders). axe finds
nothing serious or critical on any portal page, on a phone (390 x 844) and on an office
screen (1366 x 768)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from clients.constants import AssignmentRole
from clients.models import NaasteGrant, PortalAccount
from herstelplan import services as plan_services
from herstelplan.models import Plan
from tests.e2e.browser import TrafficGuard, serious_violations
from tests.e2e.digid import portal_sign_in, without_mock_idp_noise
from tests.e2e.helpers import sign_in
from tests.factories.caseload import ContactFactory
from tests.factories.clients import ClientFactory, NaasteFactory, make_bsn
from tests.factories.herstelplan import make_plan, put_in_care
from tests.factories.olteams import MembershipFactory, UserFactory
from tests.portal.care_data import appointment, care_worker, contact

# Serialized rollback like every transactional test here: the flush after a test without
# it re-creates content types with new ids, which the next serialized test then clashes with.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENS = ({"width": 390, "height": 844}, {"width": 1366, "height": 768})
SCHEMA = Path(settings.BASE_DIR) / "docs" / "inzage-export.schema.json"


def _axe(page: Page) -> None:
    """axe on the current portal page at both screen sizes (back to the phone after)."""
    found = []
    for size in SCREENS:
        page.set_viewport_size(size)
        found += [f"{page.url} {size['width']}: {v}" for v in serious_violations(page)]
    page.set_viewport_size(SCREENS[0])
    assert found == []


def _device(browser: Browser, live_server) -> tuple[Page, TrafficGuard]:  # type: ignore[no-untyped-def]
    """A second person's own phone: a new browser context, watched like the first."""
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = context.new_page()
    page.set_viewport_size(SCREENS[0])
    guard = TrafficGuard(origin=live_server.url)
    guard.attach(page)
    return page, guard


def test_the_clients_own_door(live_server, page, traffic, browser, team, org_ggz):
    plan_services.iroc_items_ensure()
    worker = MembershipFactory(
        user=UserFactory(username="wendy", first_name="Wendy", last_name="Werkers"),
        team=team,
        organisation=org_ggz,
    ).user
    client = ClientFactory(team=team, first_name="Sanne", last_name="Visser", bsn=make_bsn(41))
    put_in_care(client, worker, on=dt.date(2025, 1, 1))
    make_plan(client, worker, goals=[("Ik wil elke week sporten", [5])], activate=True)
    draft = make_plan(client, worker, goals=[("Ik wil weer werken", [6])])
    ContactFactory(client=client, author=worker, note="Gesprek over de verhuizing.")
    naaste = NaasteFactory(client=client, name="Gerda Visser", relation="moeder")
    naaste_bsn = make_bsn(42)

    # 1. The worker opens the client's dossier, by clicks.
    sign_in(page, live_server.url, worker)
    page.get_by_role("link", name="Cliënten", exact=True).click()
    page.get_by_role("link", name="Sanne Visser").first.click()
    expect(page.locator("h1")).to_have_text("Sanne Visser")

    # 2. The client, at home: DigiD, then the plan.
    home, home_traffic = _device(browser, live_server)
    portal_sign_in(home, live_server.url, client.bsn)
    _axe(home)
    home.get_by_role("navigation", name="Menu").get_by_role("link", name="Mijn plan").click()
    expect(home.locator("main")).to_contain_text("Ik wil elke week sporten")
    _axe(home)

    # 3. Who viewed my file: the worker's read, with name and organisation.
    home.get_by_role("link", name="Wie heeft mijn dossier bekeken").first.click()
    log = home.locator("main")
    expect(log).to_contain_text("Wendy Werkers")
    expect(log).to_contain_text(org_ggz.name)
    _axe(home)

    # 4. The client agrees to the draft of the next plan, themselves.
    home.get_by_role("navigation", name="Menu").get_by_role("link", name="Mijn plan").click()
    home.get_by_role("link", name="Het nieuwe plan lezen").click()
    expect(home.locator("main")).to_contain_text("Ik wil weer werken")
    _axe(home)
    home.get_by_role("link", name="Akkoord geven").click()
    _axe(home)
    home.get_by_role("button", name="Ja, ik ga akkoord met dit plan").click()
    draft.refresh_from_db()
    assert draft.agreed_in_portal_at is not None
    assert draft.agreed_recorded_by is None

    # 5. The client lets their mother read the plan (and only the plan).
    home.get_by_role("link", name="Mijn naasten").first.click()
    _axe(home)
    home.get_by_label("BSN van uw naaste").fill(naaste_bsn)
    home.get_by_role("button", name="BSN opslaan").click()
    expect(home.locator("main")).to_contain_text("*****" + naaste_bsn[-4:])
    home.get_by_role("button", name="'Mijn plan' delen").click()
    expect(home.locator("main")).to_contain_text("mag dit zien")
    assert NaasteGrant.objects.filter(naaste=naaste, withdrawn_at__isnull=True).count() == 1

    # 6. The naaste signs in on her own phone: the plan, not the team contacts.
    mother, mother_traffic = _device(browser, live_server)
    portal_sign_in(mother, live_server.url, naaste_bsn)
    menu = mother.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Contacten met het team")).to_have_count(0)
    _axe(mother)
    menu.get_by_role("link", name="Mijn plan").click()
    expect(mother.locator("main")).to_contain_text("Ik wil elke week sporten")
    expect(mother.locator("main")).not_to_contain_text("Gesprek over de verhuizing")
    _axe(mother)
    refused = mother.goto(f"{live_server.url}/mijn/contacten/")
    assert refused is not None and refused.status == 403
    mother.go_back()

    # 7. The client withdraws it; the naaste's next request is refused.
    home.get_by_role("button", name="'Mijn plan' niet meer delen").click()
    expect(home.locator("main")).to_contain_text("mag dit niet zien")
    again = mother.goto(f"{live_server.url}/mijn/plan/")
    assert again is not None and again.status == 403
    expect(mother.locator("main")).not_to_contain_text("Ik wil elke week sporten")

    # 8. The whole file: JSON against the documented schema, and the PDF.
    home.get_by_role("link", name="Mijn gegevens").first.click()
    _axe(home)
    with home.expect_download() as json_download:
        home.get_by_role("link", name=re.compile("Download als JSON")).click()
    exported = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    jsonschema.validate(exported, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert "Wendy Werkers" in json.dumps(exported, ensure_ascii=False)
    with home.expect_download() as pdf_download:
        home.get_by_role("link", name=re.compile("Download als PDF")).click()
    assert Path(pdf_download.value.path()).read_bytes().startswith(b"%PDF")

    assert PortalAccount.objects.filter(naaste=naaste, bsn=naaste_bsn).exists()
    assert Plan.objects.filter(pk=draft.pk, agreed_in_portal_at__isnull=False).exists()
    assert traffic.problems == []
    assert without_mock_idp_noise(home_traffic.problems) == []
    # The refused pages (403) are the point of step 6 and 7; nothing else may go wrong.
    refusals = [p for p in without_mock_idp_noise(mother_traffic.problems) if "403" in p]
    assert refusals  # the two refusals were seen
    assert [p for p in without_mock_idp_noise(mother_traffic.problems) if "403" not in p] == []


def test_every_portal_page_passes_axe_by_clicks(live_server, page, traffic, team, org_ggz):
    """Every portal page a client reaches by clicks, and the activation-code pages, at both
    screen sizes: nothing serious or critical."""
    plan_services.iroc_items_ensure()
    client = ClientFactory(team=team, first_name="Sanne", last_name="Visser", bsn=make_bsn(43))
    worker = care_worker(
        client, last_name="Werkers", organisation=org_ggz, role=AssignmentRole.BEGELEIDER
    )
    put_in_care(client, worker, on=dt.date(2025, 1, 1))
    make_plan(client, worker, goals=[("Ik wil elke week sporten", [5])], activate=True)
    make_plan(client, worker, goals=[("Ik wil weer werken", [6])])
    now = dt.datetime.now(dt.UTC)
    appointment(client, worker, starts_at=now + dt.timedelta(days=2))
    contact(client, worker, starts_at=now - dt.timedelta(days=3), note="Gesprek over werk.")
    NaasteFactory(client=client, name="Gerda Visser")

    # Signed out: the sign-in choices and the activation-code pages.
    page.set_viewport_size(SCREENS[0])
    page.goto(f"{live_server.url}/mijn/aanmelden/")
    _axe(page)
    page.get_by_role("link", name="Ik heb een activeringscode").click()
    _axe(page)
    page.go_back()
    page.get_by_role("link", name="Ik heb al een inlognaam").click()
    _axe(page)

    portal_sign_in(page, live_server.url, client.bsn)
    menu = page.get_by_role("navigation", name="Menu")
    names = [name.strip() for name in menu.get_by_role("link").all_inner_texts()]
    assert names == [
        "Overzicht",
        "Mijn plan",
        "Mijn I.ROC",
        "Mijn team",
        "Mijn afspraken",
        "Contacten met het team",
        "Wie heeft mijn dossier bekeken",
        "Mijn naasten",
        "Mijn gegevens",
    ]
    for name in names:
        menu.get_by_role("link", name=name, exact=True).click()
        expect(page.locator("h1")).to_be_visible()
        _axe(page)
    # The pages behind the sections.
    menu.get_by_role("link", name="Mijn plan", exact=True).click()
    page.get_by_role("link", name="Eerdere versies").first.click()
    _axe(page)
    menu.get_by_role("link", name="Mijn plan", exact=True).click()
    page.get_by_role("link", name="Het nieuwe plan lezen").click()
    _axe(page)
    page.get_by_role("link", name="Opmerking sturen").click()
    _axe(page)
    page.go_back()
    page.get_by_role("link", name="Akkoord geven").click()
    _axe(page)
    menu.get_by_role("link", name="Mijn I.ROC", exact=True).click()
    page.get_by_role("link", name="Zelf de I.ROC invullen").click()
    _axe(page)
    # A request with a mistake: the error summary passes axe too.
    menu.get_by_role("link", name="Mijn gegevens", exact=True).click()
    page.get_by_role("button", name="Verzoek versturen").click()
    expect(page.locator(".error-summary")).to_be_visible()
    _axe(page)
    assert without_mock_idp_noise([p for p in traffic.problems if "400" not in p]) == []
