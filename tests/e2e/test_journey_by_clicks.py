"""Journey 1 of DESIGN.md by clicks only: referral → waiting list → intake (letter, naaste
invited) → in care → contact → I.ROC → Herstelplan agreed with the client → a Wmo request
made from a plan goal → scaling → outflow through the checklist, after which the Wmo
consultant's inbox no longer lists the client's request.

``page.goto`` is used only for the sign-in (which lands on the start page); every other
step is a click on a link or button. Every page of the journey is checked at 1366x768 for
horizontal scrolling and with axe (no serious or critical violations); the client's tabs
are checked again at 390x844.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from clients.constants import Phase
from clients.models import CareEpisode, Client
from herstelplan.constants import PlanStatus
from herstelplan.models import IrocIndicator, Plan
from olteams.constants import Discipline
from tests.e2e.browser import serious_violations
from tests.e2e.helpers import record_wmo_consent, sign_in
from tests.factories.olteams import MembershipFactory, UserFactory
from tests.factories.wmo import MunicipalProductFactory
from wmo.constants import RequestStatus
from wmo.models import IndicationRequest

# serialized_rollback: restore what data migrations loaded (other apps' tests rely on it).
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDE = {"width": 1366, "height": 768}
NARROW = {"width": 390, "height": 844}
GOAL = "Ik wil mijn post zelf bijhouden."


@pytest.fixture
def browser_context_args(browser_context_args):  # type: ignore[no-untyped-def]
    return {**browser_context_args, "viewport": WIDE}


def _check(page: Page) -> None:
    """The page fits the screen's width and axe finds nothing serious or critical."""
    page.wait_for_load_state("load")
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width, (page.url, scroll_width, inner_width, _too_wide(page))
    assert serious_violations(page) == [], page.url


def _too_wide(page: Page) -> list[str]:
    """The innermost elements that reach past the right edge of the screen (for the message)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
          .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5
                        && ![...el.children].some(c => c.getBoundingClientRect().right
                                                       > window.innerWidth + 0.5))
          .slice(0, 8)
          .map(el => `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent.trim().slice(0, 40)}`
                     + ` (${Math.round(el.getBoundingClientRect().right)})`)"""
    )


def _h1(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text(text)
    _check(page)


def _frame(page: Page, heading: str) -> None:
    """A page of the client frame: the client's name in the header, the page's own h2."""
    expect(page.locator("h1#client-naam")).to_have_text("Anna de Boer")
    expect(page.locator("#tab-inhoud h2").first).to_contain_text(heading)
    _check(page)


def _tab(page: Page, name: str) -> None:
    page.locator("nav.client-tabs").get_by_role("link", name=name, exact=True).click()
    expect(page.locator("nav.client-tabs [aria-current]")).to_have_text(name)
    expect(page.locator("h1#client-naam")).to_have_text("Anna de Boer")
    _check(page)


def test_journey_one_by_clicks_only(
    live_server, page, traffic, team, lead, org_ggz, municipality, consultant
):
    if IrocIndicator.objects.count() != 12:
        call_command("loaddata", "iroc_items", verbosity=0)
    MunicipalProductFactory(municipality=municipality, code="02B01", name="Begeleiding individueel")
    psychiatrist = MembershipFactory(
        user=UserFactory(username="psy", first_name="Petra", last_name="Bakker"),
        team=team,
        organisation=org_ggz,
        discipline=Discipline.PSYCHIATER,
    ).user
    today = timezone.localdate()
    referred_on = today - dt.timedelta(days=5)

    sign_in(page, live_server.url, lead)
    _check(page)

    # --- referral -----------------------------------------------------------------------
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Aanmeldingen"
    ).click()
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

    page.get_by_role("link", name="Cliënt registreren").click()
    _h1(page, "Cliënt registreren")
    page.get_by_label("Roepnaam").fill("Anna")
    page.get_by_label("Tussenvoegsel").fill("de")
    page.get_by_label("Achternaam").fill("Boer")
    page.get_by_label("Geboortedatum").fill("1985-04-12")
    page.get_by_label("Gemeente").select_option(str(municipality.pk))
    page.get_by_role("button", name="Registreren").click()
    expect(page.locator("h1#client-naam")).to_have_text("Anna de Boer")
    _check(page)
    client = Client.objects.get()

    # The team lead accepts the referral onto the waiting list.
    page.get_by_role("link", name=f"{referred_on:%-d}").first.click()
    _h1(page, "Aanmelding: Anna de Boer")
    page.get_by_label("Accepteren op de wachtlijst").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_role("status")).to_contain_text("Het besluit is vastgelegd.")
    _check(page)

    # --- waiting list -------------------------------------------------------------------
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Wachtlijst", exact=True
    ).click()
    _h1(page, "Wachtlijst")
    page.get_by_role("row", name="Anna de Boer").get_by_role("link", name="Anna de Boer").click()
    expect(page.locator("h1#client-naam")).to_have_text("Anna de Boer")
    _check(page)

    # --- a naaste in the network, invited to the intake ------------------------------------
    _tab(page, "Netwerk")
    page.get_by_role("link", name="Naaste toevoegen").click()
    _check(page)
    page.get_by_label("Naam", exact=True).fill("Wim de Boer")
    page.get_by_label("Relatie tot de cliënt").fill("broer")
    page.get_by_label("Rol").select_option("familie")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("main")).to_contain_text("Wim de Boer")
    _check(page)

    _tab(page, "Gegevens")
    page.get_by_role("link", name="Intake plannen").click()
    _frame(page, "Intake plannen")
    page.get_by_label("Datum").fill(today.isoformat())
    page.get_by_label("Tijd").fill("10:30")
    page.get_by_label("Locatie").fill("Stationsstraat 1, Assen")
    page.get_by_label("Petra Bakker").check()
    page.get_by_label("Wim de Boer").check()
    page.get_by_role("button", name="Intake plannen").click()
    expect(page.get_by_role("heading", name="Geplande intake")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Naaste uitgenodigd")
    _check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Uitnodigingsbrief downloaden (PDF)").click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    # --- intake outcome: in care --------------------------------------------------------
    page.get_by_role("link", name="Intake afronden").click()
    _frame(page, "Intake afronden")
    page.get_by_label("Verslag").fill("Hulpvraag besproken; start met herstelplan.")
    casemanager = page.get_by_role("group", name="Casemanager", exact=True)
    casemanager.get_by_label(f"{lead.get_full_name()} · Regionale projectleider, GGZ-T").check()
    regie = page.get_by_role("group", name="Regiebehandelaar", exact=True)
    regie.get_by_label(f"{psychiatrist.get_full_name()} · Psychiater, GGZ-T").check()
    page.get_by_label("Betrokken organisatie 1").select_option(str(org_ggz.pk))
    page.get_by_label("Financiering organisatie 1").select_option("zvw")
    page.get_by_role("button", name="Intake afronden").click()
    expect(page.locator(".client-header")).to_contain_text("In zorg")
    _check(page)

    # --- a contact ------------------------------------------------------------------------
    _tab(page, "Dossier")
    page.get_by_role("link", name="Contact registreren").click()
    _frame(page, "Contact vastleggen")
    page.get_by_label("Verslag").fill("Kennismaking thuis; Anna vertelt over haar post.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#tijdlijn")).to_contain_text("Kennismaking thuis")
    _check(page)

    # --- I.ROC ----------------------------------------------------------------------------
    _tab(page, "Herstelplan")
    page.get_by_role("navigation", name="Herstel en herstelplan").get_by_role(
        "link", name="I.ROC"
    ).click()
    _check(page)
    page.get_by_role("link", name="I.ROC invullen").first.click()
    _check(page)
    page.get_by_label("Ingevuld met").fill("Anna en haar casemanager")
    for number in range(1, 13):
        page.locator(f"#item-{number}").get_by_label("3 - soms").check()
    page.get_by_role("button", name="I.ROC opslaan").click()
    expect(page.get_by_text("De I.ROC is opgeslagen.")).to_be_visible()
    _check(page)

    # --- Herstelplan, agreed with the client and active ---------------------------------
    page.get_by_role("navigation", name="Herstel en herstelplan").get_by_role(
        "link", name="Herstelplan"
    ).click()
    _check(page)
    page.get_by_role("button", name="Herstelplan starten").click()
    _check(page)
    page.get_by_label("Wie ben ik").fill("Ik ben Anna; ik hou van wandelen.")
    page.get_by_role("button", name="Opslaan").click()
    _frame(page, "Herstelplan")
    page.get_by_role("link", name="Doel toevoegen").click()
    _check(page)
    page.get_by_label("Doel in de woorden van de cliënt").fill(GOAL)
    page.get_by_label("2. Vaardigheden voor het dagelijks leven").check()
    page.get_by_role("button", name="Doel opslaan").click()
    expect(page.get_by_role("heading", name=GOAL)).to_be_visible()
    page.get_by_label("Op papier getekend").check()
    page.get_by_role("button", name="Akkoord vastleggen").click()
    expect(page.get_by_text("Het akkoord van de cliënt is vastgelegd.")).to_be_visible()
    page.get_by_role("button", name="Plan activeren").click()
    expect(page.get_by_text("Het herstelplan is nu actief.")).to_be_visible()
    _check(page)

    # --- a Wmo request from the plan goal ---------------------------------------------------
    goal_card = page.locator("article.goal").filter(has_text=GOAL)
    goal_card.get_by_role("link", name="Wmo-aanvraag maken").click()
    _frame(page, "Nieuwe Wmo-aanvraag")
    expect(page.get_by_label(GOAL)).to_be_checked()
    page.get_by_label("Product").select_option("02B01")
    page.get_by_label("Omvang").fill("3")
    page.get_by_label("Gewenste einddatum").fill((today + dt.timedelta(days=180)).isoformat())
    page.get_by_label("Huishoudelijke administratie").check()
    page.get_by_label("Onderbouwing").fill("Anna raakt het overzicht over haar post kwijt.")
    page.get_by_label("Financiën").select_option("2")
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_role("status")).to_contain_text("De aanvraag is opgeslagen als concept.")
    # The client agrees to send the goals and the ZRM to the municipality (by clicks).
    detail_url = page.url
    record_wmo_consent(page, municipality.name)
    page.goto(detail_url)
    page.get_by_role("button", name="Indienen bij de gemeente").click()
    expect(page.get_by_role("status")).to_contain_text("De aanvraag is ingediend bij de gemeente.")
    _check(page)
    request = IndicationRequest.objects.get(client=client)
    assert request.status == RequestStatus.INGEDIEND
    assert [g.text for g in request.goals.all()] == [GOAL]

    # --- scaling up -------------------------------------------------------------------------
    _tab(page, "Dossier")
    page.get_by_role("link", name="Op- of afschalen").click()
    _check(page)
    page.get_by_label("Nieuwe intensiteit").select_option("4")
    page.get_by_label("Reden").fill("Meer steun nodig bij de post.")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.locator("h1#client-naam")).to_have_text("Anna de Boer")
    _check(page)

    # --- the client's tabs on a phone ----------------------------------------------------
    page.set_viewport_size(NARROW)
    for tab in ("Dossier", "Gegevens", "Herstelplan", "Wmo", "Netwerk"):
        _tab(page, tab)
    page.set_viewport_size(WIDE)

    # --- outflow through the checklist ---------------------------------------------------
    _tab(page, "Dossier")
    page.get_by_role("link", name="Uitstroom vastleggen").click()
    _check(page)
    expect(page.locator("#check-aanvragen")).to_contain_text("Begeleiding individueel")
    expect(page.locator("#check-plan")).to_contain_text("versie 1")
    page.get_by_role("combobox", name="Reden").select_option("doelen_bereikt")
    page.get_by_role("button", name="Uitstroom vastleggen").click()
    expect(page.locator(".client-header")).to_contain_text("Uitgestroomd")
    _check(page)
    page.get_by_role("button", name="Afmelden").click()

    # --- the consultant's inbox no longer lists the request ----------------------------------
    sign_in(page, live_server.url, consultant)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Wmo-inbox").click()
    _h1(page, "Wmo-inbox")
    expect(page.get_by_role("main")).not_to_contain_text("Anna de Boer")

    request.refresh_from_db()
    assert request.status == RequestStatus.INGETROKKEN
    assert CareEpisode.objects.get(client=client).phase == Phase.OUTFLOW
    assert Plan.objects.get(client=client).status == PlanStatus.ARCHIVED
    assert traffic.problems == []
