"""The Herstelplan journey in the browser: I.ROC with radar chart, a plan with two goals
linked to indicators, agreement, activation, the PDF, and a stale save that gets the
conflict message. Every page passes axe (no serious or critical violations)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from clients.constants import AssignmentRole
from clients.models import Assignment, Client
from herstelplan.models import IrocIndicator, Plan
from olteams.models import AuditEvent
from tests.e2e.browser import serious_violations
from tests.e2e.helpers import sign_in
from tests.factories.olteams import MembershipFactory, UserFactory

# Serialized rollback like every transactional test here: the flush after a test without
# it re-creates content types with new ids, which the next serialized test then clashes with.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def iroc_wording(transactional_db):
    from django.core.management import call_command

    if IrocIndicator.objects.count() != 12:
        call_command("loaddata", "iroc_items", verbosity=0)


def _axe_clean(page: Page) -> None:
    assert serious_violations(page) == [], page.url


def test_iroc_plan_agreement_activation_pdf_and_conflict(
    iroc_wording,
    live_server,
    page,
    browser,
    browser_context_args,
    traffic,
    member,
    team,
    org_ggz,
):
    colleague = MembershipFactory(
        user=UserFactory(username="collega", first_name="Karin", last_name="Mulder"),
        team=team,
        organisation=org_ggz,
    ).user
    client = Client.objects.create(team=team, first_name="Sanne", last_name="de Boer")
    for worker, role in (
        (member, AssignmentRole.CASEMANAGER),
        (colleague, AssignmentRole.BEGELEIDER),
    ):
        Assignment.objects.create(
            client=client, worker=worker, role=role, start_date=dt.date(2025, 1, 1)
        )
    base = f"{live_server.url}/clienten/{client.pk}/herstelplan"
    sign_in(page, live_server.url, member)

    # 1. Fill in an I.ROC with the client and see the radar chart.
    page.goto(f"{base}/iroc/nieuw/")
    _axe_clean(page)
    page.get_by_label("Ingevuld met").fill("Sanne en haar casemanager")
    for number in range(1, 13):
        page.locator(f"#item-{number}").get_by_label("4 - vaak").check()
    page.locator("#item-3").get_by_label("Toelichting bij 3").fill("Woont sinds kort alleen")
    page.get_by_role("button", name="I.ROC opslaan").click()
    expect(page.get_by_text("De I.ROC is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("img", name="I.ROC: scores per indicator")).to_be_visible()
    expect(page.get_by_role("cell", name="48")).to_be_visible()
    _axe_clean(page)

    # 2. Write a plan with two goals linked to indicators.
    page.goto(f"{base}/plan/")
    _axe_clean(page)
    page.get_by_role("button", name="Herstelplan starten").click()
    page.get_by_label("Wie ben ik").fill("Ik ben Sanne, ik hou van tekenen.")
    page.get_by_label("Mijn sterke kanten").fill("Ik zet door.")
    _axe_clean(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Herstelplan, versie 1")).to_be_visible()
    for text, indicators in (
        ("Ik wil weer vrijwilligerswerk doen", ("6. Doel en richting",)),
        ("Ik wil mijn zus vaker zien", ("7. Persoonlijk netwerk", "8. Sociaal netwerk")),
    ):
        page.get_by_role("link", name="Doel toevoegen").click()
        page.get_by_label("Doel in de woorden van de cliënt").fill(text)
        for label in indicators:
            page.get_by_label(label).check()
        _axe_clean(page)
        page.get_by_role("button", name="Doel opslaan").click()
        expect(page.get_by_role("heading", name=text)).to_be_visible()
    expect(page.get_by_role("row", name="8. Sociaal netwerk 4")).to_be_visible()
    _axe_clean(page)

    # 3. Record the client's agreement, then activate.
    page.get_by_label("Op papier getekend").check()
    page.get_by_role("button", name="Akkoord vastleggen").click()
    expect(page.get_by_text("Het akkoord van de cliënt is vastgelegd.")).to_be_visible()
    page.get_by_role("button", name="Plan activeren").click()
    expect(page.get_by_text("Het herstelplan is nu actief.")).to_be_visible()
    expect(page.locator(".badge-ok", has_text="Actief")).to_be_visible()
    _axe_clean(page)

    # 4. Download the PDF for the client.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF voor de cliënt").click()
    download = download_info.value
    assert download.suggested_filename == "herstelplan-versie-1.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"

    # 5. A new version; both users open the draft; the second save is stale.
    page.get_by_role("button", name="Nieuwe versie maken").click()
    expect(page.get_by_role("heading", name="Herstelplan versie 2 bewerken")).to_be_visible()
    context = browser.new_context(**browser_context_args)
    other = context.new_page()
    sign_in(other, live_server.url, colleague)
    other.goto(page.url)
    other.get_by_label("Mijn dromen").fill("Naar zee met mijn zus")
    other.get_by_role("button", name="Opslaan").click()
    expect(other.get_by_text("Het herstelplan is opgeslagen.")).to_be_visible()
    context.close()

    page.get_by_label("Mijn dromen").fill("Een eigen atelier")
    page.get_by_role("button", name="Opslaan").click()
    expect(
        page.get_by_role("heading", name="Iemand anders heeft dit plan intussen gewijzigd")
    ).to_be_visible()
    expect(page.get_by_text('Karin Mulder wijzigde "mijn dromen"')).to_be_visible()
    expect(page.get_by_label("Mijn dromen")).to_have_value("Een eigen atelier")
    _axe_clean(page)
    draft = Plan.objects.get(client=client, version=2)
    assert draft.dreams == "Naar zee met mijn zus"

    # Reads and the print are audited.
    events = set(
        AuditEvent.objects.filter(client_id=client.pk).values_list("event_type", flat=True)
    )
    assert {"read", "create", "update", "print"} <= events
    # The stale save answers 409 Conflict on purpose; nothing else may go wrong.
    assert [p for p in traffic.problems if "409" not in p] == []
    assert any(p.startswith("HTTP 409: ") and p.endswith("/bewerken/") for p in traffic.problems)
