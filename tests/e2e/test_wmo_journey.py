"""Journey 2: the team asks, the Wmo consultant grants a temporary indication, the team sees it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from clients.constants import AssignmentRole
from olteams.models import AuditEvent
from tests.e2e.browser import serious_violations
from tests.e2e.helpers import record_wmo_consent
from tests.factories.clients import AssignmentFactory, ClientFactory
from tests.factories.olteams import TEST_PASSWORD, give_backup_code
from tests.factories.wmo import MunicipalProductFactory, active_plan, wmo_consent
from wmo import services
from wmo.models import Indication, IndicationRequest

# serialized_rollback: restore what data migrations loaded (other apps' tests rely on it).
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
BACKUP_CODE = "12345678"


def _sign_in(page: Page, base_url: str, user, code: str = BACKUP_CODE) -> None:
    page.goto(f"{base_url}/aanmelden/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    page.get_by_role("textbox", name="Code", exact=True).fill(code)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page).to_have_url(f"{base_url}/")


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Afmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden")


def test_team_requests_consultant_grants_temporary_team_sees_indication(
    live_server, page, traffic, member, lead, consultant, team, municipality
):
    for user in (member, consultant):
        give_backup_code(user, BACKUP_CODE)
    give_backup_code(member, "87654321")  # a backup code works once; the member signs in twice
    MunicipalProductFactory(municipality=municipality, code="02B01", name="Begeleiding individueel")
    client = ClientFactory(
        team=team,
        municipality=municipality,
        first_name="Sanne",
        last_name="Visser",
        address="Kerkstraat 12",
        postcode="9401 AA",
        phone="0612345678",
    )
    AssignmentFactory(client=client, worker=member, role=AssignmentRole.CASEMANAGER)
    active_plan(client, member)
    # Another client's request, submitted later: it must sort below ours.
    other = ClientFactory(
        team=team, municipality=municipality, first_name="Piet", last_name="Jansen"
    )
    other_goals = active_plan(other, member, goals=("Ik wil mijn huis op orde hebben.",))
    today = timezone.localdate()
    later = services.request_create(
        actor=member,
        client=other,
        data={
            "product_code": "02B01",
            "volume": 2,
            "unit": "04",
            "frequency": "2",
            "start": today,
            "end": None,
            "result_areas": [3],
            "motivation": "Administratie loopt vast.",
            "goal_ids": [other_goals[0].pk],
        },
    )
    wmo_consent(other)
    services.request_submit(actor=member, request=later, now=timezone.now() + dt.timedelta(days=2))

    # --- the team drafts and submits --------------------------------------------------
    _sign_in(page, live_server.url, member)
    # By clicks: the client list, the client's frame, the Wmo tab, "Wmo-aanvraag maken".
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Cliënten").click()
    page.get_by_role("link", name="Sanne Visser").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sanne Visser")
    tabs = page.get_by_role("navigation", name="Onderdelen van het dossier")
    tabs.get_by_role("link", name="Wmo").click()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Wmo-aanvraag maken").click()
    expect(page.get_by_role("heading", name="Nieuwe Wmo-aanvraag")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Ik wil mijn post zelf bijhouden.").check()
    page.get_by_label("Product").select_option("02B01")
    page.get_by_label("Omvang").fill("3")
    page.get_by_label("Gewenste ingangsdatum").fill(today.isoformat())
    page.get_by_label("Gewenste einddatum").fill((today + dt.timedelta(days=180)).isoformat())
    page.get_by_label("Huishoudelijke administratie").check()
    page.get_by_label("Onderbouwing").fill("Sanne raakt het overzicht over haar post kwijt.")
    page.get_by_label("Financiën").select_option("2")
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_role("heading", name="Wmo-aanvraag voor Sanne Visser")).to_be_visible()
    # Without the client's consent nothing goes to the municipality: the page says so.
    detail_url = page.url
    page.get_by_role("button", name="Indienen bij de gemeente").click()
    expect(page.get_by_role("status")).to_contain_text("Geen toestemming van de cliënt")
    assert IndicationRequest.objects.get(client=client).status == "concept"
    record_wmo_consent(page, municipality.name)
    assert serious_violations(page) == []
    page.goto(detail_url)
    page.get_by_role("button", name="Indienen bij de gemeente").click()
    expect(page.get_by_role("status")).to_contain_text("De aanvraag is ingediend bij de gemeente.")
    expect(page.get_by_role("main")).to_contain_text("nog 14 dagen")
    assert serious_violations(page) == []
    request = IndicationRequest.objects.get(client=client)
    _sign_out(page)

    # --- the consultant decides ---------------------------------------------------------
    _sign_in(page, live_server.url, consultant)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Wmo-inbox").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wmo-inbox")
    assert serious_violations(page) == []
    first_row = page.locator("tr.inbox-row").first
    expect(first_row).to_contain_text("Sanne Visser")
    expect(page.locator("tr.inbox-row").nth(1)).to_contain_text("Piet Jansen")
    first_row.get_by_role("link", name="Sanne Visser").click()
    expect(page.get_by_role("main")).to_contain_text("Ik wil mijn post zelf bijhouden.")
    expect(page.get_by_role("main")).not_to_contain_text("0612345678")
    assert serious_violations(page) == []
    page.get_by_role("link", name="Besluit nemen").click()
    assert serious_violations(page) == []
    page.get_by_label("Tijdelijke indicatie").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_role("status")).to_contain_text("Het besluit is vastgelegd")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Beschikking (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("beschikking-")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    _sign_out(page)

    # --- the team sees the indication ---------------------------------------------------
    _sign_in(page, live_server.url, member, code="87654321")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Cliënten").click()
    page.get_by_role("link", name="Sanne Visser").click()
    page.get_by_role("navigation", name="Onderdelen van het dossier").get_by_role(
        "link", name="Wmo"
    ).click()
    page.get_by_role("link", name=request.reference).click()
    expect(page.get_by_role("main")).to_contain_text("Tijdelijke indicatie")
    page.get_by_role("link", name="Indicaties van de cliënt").click()
    indication = Indication.objects.get(client=client)
    expect(page.get_by_role("main")).to_contain_text(indication.toewijzing_number)
    expect(page.get_by_role("main")).to_contain_text("tijdelijk")
    assert serious_violations(page) == []
    assert (indication.volume, indication.unit, indication.is_temporary) == (2, "04", True)

    # Reads are audited: the consultant's inbox search, request read and the letter print.
    consultant_events = set(
        AuditEvent.objects.filter(user=consultant).values_list("event_type", "client_id")
    )
    assert {("search", None), ("read", client.pk), ("print", client.pk)} <= consultant_events
    assert AuditEvent.objects.filter(user=member, client_id=client.pk, event_type="read").exists()
    assert traffic.problems == []
