"""Team-day step (issue 16, run by test_team_day.py): from the start page a casemanager writes a signaleringsplan with the
client, records the client's agreement and downloads its PDF; then uploads a GP letter (PDF)
to the client file and opens it. axe on every page; the reads are audited."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from caseload.demo_documents import minimal_pdf
from caseload.models import Document
from clients.models import Client
from herstelplan.models import SignalPlan
from olteams.models import AuditEvent, User
from tests.e2e.browser import serious_violations


def _axe_clean(page: Page) -> None:
    assert serious_violations(page) == [], page.url


def _tab(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Onderdelen van het dossier").get_by_role(
        "link", name=name, exact=True
    ).click()


def write_a_signaleringsplan_and_file_a_gp_letter(
    page: Page, live_server_url: str, client: Client, member: User, tmp_path: Path
) -> None:
    """From the start page, signed in as the client's casemanager ``member``."""
    name = f"{client.first_name} {client.last_name}"
    page.goto(f"{live_server_url}/")

    # From the start page to the client: my caseload, then the client's name.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Mijn caseload"
    ).click()
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_text("geen signaleringsplan")).to_be_visible()

    # 1. The signaleringsplan, written with the client.
    _tab(page, "Herstelplan")
    page.get_by_role("link", name="Naar het signaleringsplan").click()
    _axe_clean(page)
    page.get_by_role("button", name="Signaleringsplan opstellen").click()
    expect(page.get_by_role("heading", name="Signaleringsplan versie 1 bewerken")).to_be_visible()
    _axe_clean(page)
    page.get_by_label("Vroege signalen").fill("Ik slaap slecht en zeg afspraken af.")
    page.get_by_label("Signalen van een crisis").fill("Ik kom mijn huis niet meer uit.")
    page.locator("#id_red_client").fill("Ik bel de crisisdienst.")
    page.locator("#id_contact-0-name").fill("Crisisdienst")
    page.locator("#id_contact-0-role").fill("crisisdienst")
    page.locator("#id_contact-0-phone").fill("0592 334 800")
    page.locator("#id_contact-1-name").fill("Marja (zus)")
    page.locator("#id_contact-1-role").fill("naaste")
    page.locator("#id_contact-1-phone").fill("06 12345678")
    page.get_by_label("Wie zorgt voor kinderen, huisdieren en huis").fill("Mijn zus voert de kat.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het signaleringsplan is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("cell", name="0592 334 800")).to_be_visible()
    _axe_clean(page)

    # The client agrees: the version is in force, the header says so.
    page.get_by_label("Op papier getekend").check()
    page.get_by_role("button", name="Akkoord vastleggen").click()
    expect(
        page.get_by_text("Het akkoord van de cliënt is vastgelegd. Versie 1 geldt nu.")
    ).to_be_visible()
    expect(page.get_by_text("signaleringsplan aanwezig (versie 1,")).to_be_visible()
    plan = SignalPlan.objects.get(client=client)
    assert (plan.status, plan.agreed_how, plan.agreed_recorded_by) == ("active", "paper", member)
    _axe_clean(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF downloaden").click()
    download = download_info.value
    assert download.suggested_filename == "signaleringsplan-versie-1.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"

    # 2. A GP letter in the client file, then opened.
    _tab(page, "Documenten")
    expect(page.get_by_role("heading", name="Documenten")).to_be_visible()
    _axe_clean(page)
    page.get_by_role("link", name="Document toevoegen").click()
    _axe_clean(page)
    letter = tmp_path / "brief-huisarts.pdf"
    letter.write_bytes(minimal_pdf(["Huisartsenpraktijk De Brink", "Verwijzing GGZ"]))
    page.get_by_label("Bestand").set_input_files(str(letter))
    page.get_by_label("Titel").fill("Verwijsbrief huisarts")
    page.get_by_label("Soort document").select_option(label="Brief van of aan de huisarts")
    page.get_by_label("Auteur").fill("Huisarts De Brink")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text("Het document is toegevoegd aan het dossier.")).to_be_visible()
    document = Document.objects.get(client=client)
    assert (document.content_type, document.original_filename) == (
        "application/pdf",
        "brief-huisarts.pdf",
    )
    _axe_clean(page)

    with page.expect_response(lambda r: r.url.endswith(f"/documenten/{document.pk}/")) as info:
        page.get_by_role("link", name="Verwijsbrief huisarts", exact=True).click()
    response = info.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert AuditEvent.objects.filter(
        client_id=client.pk, event_type="read", object_type="caseload.document"
    ).exists()
    assert AuditEvent.objects.filter(
        client_id=client.pk, event_type="print", path__endswith="/pdf/"
    ).exists()
