"""Journey: a team member logs three contacts from "my caseload" with the keyboard only and
finds them on the client file; the team lead sees the caseload per worker and reassigns
two clients. axe on every page; the reads are audited."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from caseload.models import Contact, Reassignment
from clients.constants import AssignmentRole
from clients.models import Assignment
from olteams.models import AuditEvent
from tests.e2e.browser import serious_violations
from tests.e2e.helpers import sign_in
from tests.factories.clients import AssignmentFactory, ClientFactory

# serialized_rollback: restore what data migrations loaded (other apps' tests rely on it).
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOTES = {
    "Anna Bakker": "Samen de post doorgenomen.",
    "Bert Claassen": "Telefonisch: afspraak huisarts verzet.",
    "Cor Dijkstra": "Wandeling in de wijk, gaat beter.",
}


def _tab_until(page: Page, script: str, limit: int = 80) -> None:
    """Press Tab until ``script`` (run on document.activeElement as ``el``) is true."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {script}; }})()"):
            return
    raise AssertionError(f"never focused: {script}")


def _log_contact_with_the_keyboard(page: Page, name: str, note: str) -> None:
    _tab_until(page, f"el.tagName === 'A' && el.textContent.includes('met {name}')")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2)).to_have_text("Contact vastleggen")
    expect(page.get_by_role("main")).to_contain_text(name)
    assert serious_violations(page) == []
    # The date has the focus; the defaults (now, me, my last kind) stand: only the report.
    _tab_until(page, "el.name === 'note'")
    page.keyboard.type(note)
    page.keyboard.press("Control+Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")


def test_member_logs_contacts_by_keyboard_lead_reassigns(
    live_server, page, traffic, team, member, welfare_member, lead
):
    clients = {}
    for full_name in NOTES:
        first, last = full_name.split()
        client = ClientFactory(team=team, first_name=first, last_name=last)
        AssignmentFactory(
            client=client,
            worker=member,
            role=AssignmentRole.CASEMANAGER,
            start_date=dt.date(2025, 1, 1),
        )
        clients[full_name] = client

    # --- the team member: three contacts from my caseload, keyboard only ----------------
    sign_in(page, live_server.url, member)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Mijn caseload"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")
    expect(page.get_by_role("main")).to_contain_text("nog geen contact")
    assert serious_violations(page) == []
    for name, note in NOTES.items():
        _log_contact_with_the_keyboard(page, name, note)
    assert Contact.objects.filter(author=member).count() == 3
    expect(page.get_by_role("main")).to_contain_text("vandaag")

    for name, note in NOTES.items():
        page.get_by_role("link", name=name, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        timeline = page.locator("#tijdlijn")
        expect(timeline).to_contain_text(note)
        expect(timeline).to_contain_text("Contact")
        assert serious_violations(page) == []
        page.go_back()
    page.get_by_role("button", name="Afmelden").click()

    # --- the team lead: caseload per worker, then reassign two clients ------------------
    sign_in(page, live_server.url, lead)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Teamoverzicht"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teamoverzicht")
    per_worker = page.get_by_role("table", name="Cliënten per medewerker")
    member_row = per_worker.get_by_role("row").filter(has_text=member.get_full_name())
    expect(member_row).to_contain_text("3")
    assert serious_violations(page) == []

    page.get_by_role("link", name="Cliënten overdragen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cliënten overdragen")
    page.get_by_label("Van medewerker").select_option(str(member.pk))
    page.get_by_role("button", name="Cliënten tonen").click()
    assert serious_violations(page) == []
    page.get_by_label("Anna Bakker").check()
    page.get_by_label("Bert Claassen").check()
    page.get_by_label("Naar medewerker").select_option(str(welfare_member.pk))
    page.get_by_label("Reden").fill("Herverdeling van de caseload")
    page.get_by_role("button", name="Overdragen").click()
    expect(page.get_by_role("status")).to_contain_text("2 cliënten zijn overgedragen")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teamoverzicht")
    assert serious_violations(page) == []

    moved = {clients["Anna Bakker"].pk, clients["Bert Claassen"].pk}
    record = Reassignment.objects.get()
    assert set(record.clients.values_list("pk", flat=True)) == moved
    assert (
        set(
            Assignment.objects.filter(worker=welfare_member, end_date__isnull=True).values_list(
                "client_id", flat=True
            )
        )
        == moved
    )
    assert Assignment.objects.filter(worker=member, end_date__isnull=True).count() == 1

    # Reads are audited: my caseload (search), each client file (read), the overview
    # (search), and every reassigned client (update).
    assert AuditEvent.objects.filter(
        user=member, event_type="search", detail="mijn caseload"
    ).exists()
    for client in clients.values():
        assert AuditEvent.objects.filter(
            user=member, client_id=client.pk, event_type="read", path=f"/clienten/{client.pk}/"
        ).exists()
    assert AuditEvent.objects.filter(user=lead, event_type="search").exists()
    assert (
        set(
            AuditEvent.objects.filter(user=lead, event_type="update").values_list(
                "client_id", flat=True
            )
        )
        >= moved
    )
    assert traffic.problems == []
