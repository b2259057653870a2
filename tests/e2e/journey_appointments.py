"""Team-day step (issue 16, run by test_team_day.py) by clicks from the start page: a casemanager plans a fortnightly call
with a client for two months (five appointments, the first one last week), finds them in the
week view (htmx: previous and next week), and logs the first one as a contact in one click.

The clock is the real one: the series starts seven days ago, so its first appointment is in
the past (loggable) and the second falls in next week. axe on every page of the journey."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from playwright.sync_api import Page, expect

from caseload.constants import AppointmentState
from caseload.models import Appointment, Contact
from clients.models import Client
from tests.e2e.browser import serious_violations


def _week_title(page: Page) -> str:
    return page.locator("#agenda-week-title").inner_text()


def plan_a_fortnightly_call_see_it_in_the_week_and_log_the_first(
    page: Page, live_server_url: str, client: Client
) -> None:
    """From the start page (signed in as the client's casemanager)."""
    NAME = f"{client.first_name} {client.last_name}"
    first = timezone.localdate() - dt.timedelta(days=7)
    until = first + dt.timedelta(days=60)  # two months

    # --- plan from the client's Afspraken tab ---------------------------------------------
    page.goto(f"{live_server_url}/")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Mijn caseload").click()
    page.get_by_role("link", name=NAME, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    page.get_by_role("link", name="Afspraken", exact=True).click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Afspraken")
    assert serious_violations(page) == []
    page.get_by_role("link", name="Afspraak plannen").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Afspraak plannen")
    page.get_by_role("textbox", name="Datum", exact=True).fill(first.isoformat())
    page.get_by_label("Begintijd").fill("10:00")
    page.get_by_label("Eindtijd").fill("10:30")
    page.get_by_label("Soort contact").select_option(label="Telefonisch")
    page.locator("#id_place_kind").select_option(label="Telefonisch")
    page.get_by_label("Herhalen tot en met een datum").check()
    page.get_by_label("Elke zoveel weken").fill("2")
    page.get_by_role("textbox", name="Tot en met").fill(until.isoformat())
    assert serious_violations(page) == []
    page.get_by_role("button", name="Plannen").click()
    expect(page.get_by_role("main")).to_contain_text("5 afspraken gepland.")
    expect(page.get_by_role("main")).to_contain_text("4 komende afspraken")
    expect(page.get_by_role("main")).to_contain_text("1 eerdere afspraak")
    assert Appointment.objects.filter(client=client).count() == 5
    assert serious_violations(page) == []

    # --- the week view: next week holds the second, the week before last the first -------
    menu.get_by_role("link", name="Mijn agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn agenda")
    this_week = _week_title(page)
    assert serious_violations(page) == []
    page.get_by_role("link", name="Volgende week →").click()
    expect(page.locator("#agenda-week-title")).not_to_have_text(this_week)
    week = page.locator("#agenda-week")
    expect(week).to_contain_text(NAME)
    expect(week).to_contain_text("10:00\N{EN DASH}10:30")
    expect(page).to_have_url(
        f"{live_server_url}/agenda/?week="
        f"{(first + dt.timedelta(days=14) - dt.timedelta(days=first.weekday())).isoformat()}"
    )
    page.get_by_role("link", name="← Vorige week").click()
    expect(page.locator("#agenda-week-title")).to_have_text(this_week)
    page.get_by_role("link", name="← Vorige week").click()
    expect(week).to_contain_text(NAME)
    assert serious_violations(page) == []

    # --- log the first one in one click ------------------------------------------------------
    week.get_by_role("link", name=NAME).click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Afspraken")
    page.get_by_role("link", name="Contact vastleggen").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Contact vastleggen")
    expect(page.get_by_role("textbox", name="Datum", exact=True)).to_have_value(first.isoformat())
    expect(page.get_by_label("Begintijd")).to_have_value("10:00")
    expect(page.get_by_label("Duur (minuten)")).to_have_value("30")
    expect(page.get_by_label("Soort contact")).to_have_value("telefoon")
    assert serious_violations(page) == []
    page.get_by_label("Verslag").fill("Gebeld: het gaat goed met de post.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("main")).to_contain_text("Het contact is vastgelegd.")
    expect(page.get_by_role("heading", level=2)).to_have_text("Afspraken")
    expect(page.get_by_role("main")).to_contain_text("Contact vastgelegd")
    expect(page.get_by_role("link", name="Contact vastleggen")).to_have_count(0)

    contact = Contact.objects.get(client=client)
    logged = Appointment.objects.get(client=client, sequence=0)
    assert logged.state == AppointmentState.LOGGED
    assert logged.contact == contact
    assert contact.duration_minutes == 30
    assert timezone.localdate(contact.starts_at) == first
