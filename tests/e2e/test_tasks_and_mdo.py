"""Journey: a casemanager completes a task from "Mijn taken"; the team lead runs an MDO from
the team overview, records a decision for a client on the MDO list and closes it; the
decision is in the client's dossier. All by clicks from the start page; axe on each page."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from caseload.models import MdoItem, Task
from caseload.services.tasks import task_create
from clients.constants import AssignmentRole
from olteams.models import AuditEvent
from tests.caseload.pages_fixtures import in_care
from tests.e2e.browser import serious_violations
from tests.e2e.helpers import sign_in
from tests.factories.clients import AssignmentFactory, ClientFactory

# serialized_rollback: restore what data migrations loaded (other apps' tests rely on it).
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=name).click()


def test_member_completes_a_task_lead_runs_an_mdo(live_server, page, traffic, team, member, lead):
    client = ClientFactory(team=team, first_name="Anna", last_name="Vlinderbos")
    in_care(client, member, on=dt.date(2025, 1, 6))  # no contact since: on the MDO list
    AssignmentFactory(
        client=client,
        worker=member,
        role=AssignmentRole.CASEMANAGER,
        start_date=dt.date(2025, 1, 6),
    )
    task = task_create(
        actor=lead, team=team, assignee=member, title="Huisarts terugbellen", client=client
    )

    # --- the casemanager: "Mijn taken" from the menu, complete the task ------------------
    sign_in(page, live_server.url, member)
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(nav.get_by_role("link", name="Mijn taken")).to_contain_text("1")
    _menu(page, "Mijn taken")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn taken")
    expect(page.get_by_role("main")).to_contain_text("Huisarts terugbellen")
    expect(page.get_by_role("main")).to_contain_text("Anna Vlinderbos")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Afronden").click()
    expect(page.get_by_role("status").first).to_contain_text("De taak is afgerond.")
    expect(page.get_by_role("main")).to_contain_text("Geen taken.")
    page.get_by_label("Status").select_option("afgerond")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("main")).to_contain_text("Huisarts terugbellen")
    task.refresh_from_db()
    assert task.done_by == member
    page.get_by_role("button", name="Afmelden").click()

    # --- the team lead: team overview → Nieuw MDO → decision → close ---------------------
    sign_in(page, live_server.url, lead)
    _menu(page, "Teamoverzicht")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teamoverzicht")
    page.get_by_role("link", name="Nieuw MDO").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nieuw MDO")
    expect(page.get_by_label("Anna Vlinderbos", exact=False)).to_be_checked()
    assert serious_violations(page) == []
    page.get_by_role("button", name="MDO plannen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("MDO Team Noord")
    assert serious_violations(page) == []
    item = MdoItem.objects.get(client=client)
    section = page.locator(f"#item-{item.pk}-kop").locator("xpath=..")
    section.get_by_label("Besluiten").fill("Opschalen naar FACT; huisbezoek deze week.")
    section.get_by_label("Vervolgactie", exact=True).fill("Huisbezoek plannen")
    section.get_by_label("Vervolgactie voor").select_option(str(member.pk))
    section.get_by_role("button", name="Bespreking opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("De bespreking is opgeslagen.")
    page.get_by_role("button", name="MDO afsluiten").click()
    expect(page.get_by_role("status").first).to_contain_text("Het MDO is afgesloten")
    page.get_by_role("link", name="Anna Vlinderbos").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anna Vlinderbos")
    timeline = page.locator("#tijdlijn")
    expect(timeline).to_contain_text("MDO-besluit")
    expect(timeline).to_contain_text("Opschalen naar FACT; huisbezoek deze week.")
    expect(page.get_by_role("main")).to_contain_text("Huisbezoek plannen")  # open tasks box
    assert serious_violations(page) == []

    follow_up = Task.objects.get(title="Huisbezoek plannen")
    assert (follow_up.assignee, follow_up.client) == (member, client)
    assert AuditEvent.objects.filter(user=lead, client_id=client.pk, event_type="read").exists()
    assert traffic.problems == []
