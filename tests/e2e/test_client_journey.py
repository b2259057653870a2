"""Journey 1 in Chromium: referral → waiting list → intake letter PDF → in care → outflow →
re-entry, axe-clean on every page, and every page of it writes audit events."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from clients.constants import Phase
from clients.models import CareEpisode, Client
from olteams.constants import AuditEventType, Discipline
from olteams.models import AuditEvent
from tests.e2e.browser import assert_styled_and_scripted, serious_violations
from tests.e2e.helpers import sign_in
from tests.factories.olteams import MembershipFactory, UserFactory

# Serialized rollback like every transactional test here: the flush after a test without
# it re-creates content types with new ids, which the next serialized test then clashes with.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _h1(page: Page, text: str) -> None:
    """The page's title: the h1 of a list page, or on a client's page (whose h1 is the
    client's name in the frame header) the client's name or the h2 of the form."""
    expect(page.locator("h1, h2").filter(has_text=text).first).to_be_visible()
    assert serious_violations(page) == []


def _tab(page: Page, name: str) -> None:
    """A tab of the client frame."""
    page.get_by_role("navigation", name="Onderdelen van het dossier").get_by_role(
        "link", name=name, exact=True
    ).click()
    expect(page.locator('.client-tabs a[aria-current="page"]')).to_have_text(name)


def test_referral_to_reentry_journey(live_server, page, traffic, team, lead, org_ggz):
    psychiatrist = MembershipFactory(
        user=UserFactory(username="psy", first_name="Petra", last_name="Bakker"),
        team=team,
        organisation=org_ggz,
        discipline=Discipline.PSYCHIATER,
    ).user
    today = timezone.localdate()
    referred_on = today - dt.timedelta(days=5)
    sign_in(page, live_server.url, lead)

    # Referral.
    page.get_by_role("link", name="Aanmeldingen").click()
    _h1(page, "Aanmeldingen")
    page.get_by_role("link", name="Nieuwe aanmelding").click()
    _h1(page, "Nieuwe aanmelding")
    page.get_by_label("Naam aangemelde").fill("Anna de Boer")
    page.get_by_label("Datum aanmelding").fill(referred_on.isoformat())
    page.get_by_label("Verwijzer (soort)").select_option("huisarts")
    page.get_by_label("Urgentie").select_option("hoog")
    page.get_by_label("Hulpvraag in eigen woorden").fill("Ik wil weer rust in mijn hoofd.")
    page.get_by_role("button", name="Aanmelding vastleggen").click()
    _h1(page, "Aanmelding: Anna de Boer")
    expect(page.get_by_role("status")).to_contain_text("De aanmelding is vastgelegd.")

    # Register the client from the referral.
    page.get_by_role("link", name="Cliënt registreren").click()
    _h1(page, "Cliënt registreren")
    page.get_by_label("Roepnaam").fill("Anna")
    page.get_by_label("Tussenvoegsel").fill("de")
    page.get_by_label("Achternaam").fill("Boer")
    page.get_by_label("Geboortedatum").fill("1985-04-12")
    page.get_by_label("BSN").fill("123456782")
    page.get_by_role("button", name="Registreren").click()
    _h1(page, "Anna de Boer")
    client = Client.objects.get()
    expect(page.locator("main")).to_contain_text("*****6782")
    assert "123456782" not in page.url

    # The team lead accepts the referral onto the waiting list.
    page.get_by_role("link", name=f"{referred_on:%-d}").first.click()
    _h1(page, "Aanmelding: Anna de Boer")
    page.get_by_label("Accepteren op de wachtlijst").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_role("status")).to_contain_text("Het besluit is vastgelegd.")
    assert serious_violations(page) == []

    # Waiting list.
    page.get_by_role("link", name="Wachtlijst", exact=True).click()
    _h1(page, "Wachtlijst")
    assert_styled_and_scripted(page)
    row = page.get_by_role("row", name="Anna de Boer")
    expect(row).to_contain_text("5")
    expect(row).to_contain_text("nog niet gepland")
    row.get_by_role("link", name="Anna de Boer").click()
    _h1(page, "Anna de Boer")
    _tab(page, "Gegevens")

    # Intake planning and the invitation letter.
    page.get_by_role("link", name="Intake plannen").click()
    _h1(page, "Intake plannen")
    page.get_by_label("Datum").fill(today.isoformat())
    page.get_by_label("Tijd").fill("10:30")
    page.get_by_label("Locatie").fill("Stationsstraat 1, Assen")
    page.get_by_label("Petra Bakker").check()
    page.get_by_role("button", name="Intake plannen").click()
    _h1(page, "Anna de Boer")
    expect(page.get_by_role("heading", name="Geplande intake")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Uitnodigingsbrief downloaden (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"uitnodiging-intake-{today:%Y-%m-%d}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    # Intake outcome: into care.
    page.reload()
    page.get_by_role("link", name="Intake afronden").click()
    _h1(page, "Intake afronden")
    page.get_by_label("Verslag").fill("Hulpvraag besproken; start met herstelplan.")
    # The staff picker: a small team is listed whole, each worker with discipline and
    # organisation.
    casemanager = page.get_by_role("group", name="Casemanager", exact=True)
    casemanager.get_by_label(f"{lead.get_full_name()} · Regionale projectleider, GGZ-T").check()
    regie = page.get_by_role("group", name="Regiebehandelaar", exact=True)
    regie.get_by_label(f"{psychiatrist.get_full_name()} · Psychiater, GGZ-T").check()
    page.get_by_label("Betrokken organisatie 1").select_option(str(org_ggz.pk))
    page.get_by_label("Financiering organisatie 1").select_option("zvw")
    page.get_by_role("button", name="Intake afronden").click()
    _h1(page, "Anna de Boer")
    expect(page.locator(".client-header")).to_contain_text("In zorg")
    _tab(page, "Netwerk")
    expect(page.get_by_role("table", name="Zorgteam")).to_contain_text("Petra Bakker")
    _tab(page, "Gegevens")

    # Outflow: the checklist.
    page.get_by_role("link", name="Uitstroom vastleggen").click()
    _h1(page, "Uitstroom")
    page.get_by_label("Reden van uitstroom").select_option("doelen_bereikt")
    page.get_by_role("button", name="Uitstroom vastleggen").click()
    _h1(page, "Anna de Boer")
    expect(page.locator(".client-header")).to_contain_text("Uitgestroomd")
    _tab(page, "Gegevens")

    # Re-entry: back in care without a second intake.
    page.get_by_role("link", name="Heraanmelding").click()
    _h1(page, "Heraanmelding")
    page.get_by_role("button", name="Weer in zorg nemen").click()
    _h1(page, "Anna de Boer")
    expect(page.get_by_role("main")).to_contain_text("herstelplan herzien")

    episodes = list(CareEpisode.objects.filter(client=client).order_by("id"))
    assert [e.phase for e in episodes] == [Phase.OUTFLOW, Phase.IN_CARE]
    assert episodes[1].reopened_from == episodes[0] and not hasattr(episodes[1], "intake")

    # Every page of the journey wrote audit events on this client.
    types = set(AuditEvent.objects.filter(client_id=client.pk).values_list("event_type", flat=True))
    assert {
        AuditEventType.CREATE,
        AuditEventType.READ,
        AuditEventType.UPDATE,
        AuditEventType.PRINT,
    } <= types
    searches = AuditEvent.objects.filter(event_type=AuditEventType.SEARCH)
    assert set(searches.values_list("detail", flat=True)) >= {"aanmeldingen", "wachtlijst"}
    assert traffic.problems == []
