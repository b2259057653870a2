"""Team-day steps (issue 16, run by test_team_day.py): a casemanager completes a task from
"Mijn taken"; the team lead runs an MDO from the team overview, records a decision for a client on the MDO list and closes it; the
decision is in the client's dossier. All by clicks from the start page; axe on each page."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from caseload.models import MdoItem, Task
from clients.models import Client
from olteams.models import AuditEvent, User
from tests.e2e.browser import serious_violations
from tests.e2e.helpers import sign_in


def _menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=name).click()


def complete_a_task(page: Page, live_server_url: str, member: User, task: Task) -> None:
    """Signed in as ``member``, from the start page: complete ``task`` in "Mijn taken"."""
    page.goto(f"{live_server_url}/")
    name = f"{task.client.first_name} {task.client.last_name}" if task.client else ""
    # --- the casemanager: "Mijn taken" from the menu, complete the task ------------------
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(nav.get_by_role("link", name="Mijn taken")).to_contain_text("1")
    _menu(page, "Mijn taken")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn taken")
    expect(page.get_by_role("main")).to_contain_text(task.title)
    expect(page.get_by_role("main")).to_contain_text(name)
    assert serious_violations(page) == []
    page.get_by_role("button", name="Afronden").click()
    expect(page.get_by_role("status").first).to_contain_text("De taak is afgerond.")
    expect(page.get_by_role("main")).to_contain_text("Geen taken.")
    page.get_by_label("Status").select_option("afgerond")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("main")).to_contain_text(task.title)
    task.refresh_from_db()
    assert task.done_by == member
    page.get_by_role("button", name="Afmelden").click()


def run_an_mdo(page: Page, live_server_url: str, lead: User, member: User, client: Client) -> None:
    """The team lead signs in and runs an MDO from the team overview; ``client`` is on the
    MDO list; the decision lands in the client's dossier with a follow-up task for member."""
    name = f"{client.first_name} {client.last_name}"
    # --- the team lead: team overview → Nieuw MDO → decision → close ---------------------
    sign_in(page, live_server_url, lead)
    _menu(page, "Teamoverzicht")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teamoverzicht")
    page.get_by_role("link", name="Nieuw MDO").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nieuw MDO")
    expect(page.get_by_label(name, exact=False)).to_be_checked()
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
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    timeline = page.locator("#tijdlijn")
    expect(timeline).to_contain_text("MDO-besluit")
    expect(timeline).to_contain_text("Opschalen naar FACT; huisbezoek deze week.")
    expect(page.get_by_role("main")).to_contain_text("Huisbezoek plannen")  # open tasks box
    assert serious_violations(page) == []

    follow_up = Task.objects.get(title="Huisbezoek plannen")
    assert (follow_up.assignee, follow_up.client) == (member, client)
    assert AuditEvent.objects.filter(user=lead, client_id=client.pk, event_type="read").exists()
