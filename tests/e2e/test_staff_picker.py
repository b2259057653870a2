"""The staff picker in Chromium with the keyboard only (issue 11): in a team of 22 the contact
form lists the client's care team, and anyone else is found by typing and chosen with Space."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from caseload.models import Contact
from clients.constants import AssignmentRole
from olteams.constants import Discipline
from tests.e2e.browser import serious_violations
from tests.e2e.helpers import sign_in
from tests.factories.clients import AssignmentFactory, ClientFactory
from tests.factories.olteams import MembershipFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _tab_until(page: Page, script: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {script}; }})()"):
            return
    raise AssertionError(f"never focused: {script}")


def test_choose_a_care_team_member_and_a_searched_colleague_by_keyboard(
    live_server, page, traffic, team, org_ggz
):
    workers = [
        MembershipFactory(
            user=UserFactory(
                username=f"w{n:02}", first_name=f"Werker{n:02}", last_name=f"Achternaam{n:02}"
            ),
            team=team,
            organisation=org_ggz,
            discipline=Discipline.SPV if n == 19 else Discipline.CASEMANAGER,
        ).user
        for n in range(1, 23)
    ]
    me, regie = workers[0], workers[4]
    client = ClientFactory(team=team, first_name="Anna", last_name="Bakker")
    AssignmentFactory(client=client, worker=me, role=AssignmentRole.CASEMANAGER)
    AssignmentFactory(client=client, worker=regie, role=AssignmentRole.REGIEBEHANDELAAR)

    sign_in(page, live_server.url, me)
    page.goto(live_server.url + reverse("caseload:contact-create", args=[client.pk]))
    group = page.get_by_role("group", name="Aanwezige medewerkers")
    expect(group.get_by_role("checkbox")).to_have_count(2)  # the care team, not 22
    expect(group).to_contain_text("Werker05 Achternaam05 · Casemanager, GGZ-T")
    assert serious_violations(page) == []

    _tab_until(page, f"el.value === '{regie.pk}' && el.type === 'checkbox'")
    page.keyboard.press("Space")
    _tab_until(page, "el.type === 'search'")
    page.keyboard.type("werker19")
    result = group.get_by_label("Werker19 Achternaam19 · SPV'er, GGZ-T")
    expect(result).to_be_visible()
    page.keyboard.press("Tab")
    expect(result).to_be_focused()
    page.keyboard.press("Space")
    expect(result).to_be_checked()
    # A new search keeps the chosen colleague in the list.
    page.locator("input[type=search]").fill("werker2")
    expect(group.get_by_label("Werker20 Achternaam20 · Casemanager, GGZ-T")).to_be_visible()
    expect(group.get_by_label("Werker19 Achternaam19 · SPV'er, GGZ-T")).to_be_checked()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    _tab_until(page, "el.name === 'note'")
    page.keyboard.type("Samen met de SPV'er gesproken.")
    page.keyboard.press("Control+Enter")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Contact vastleggen")
    contact = Contact.objects.get(client=client)
    assert set(contact.workers.values_list("username", flat=True)) == {"w01", "w05", "w19"}
    assert traffic.problems == []
