"""Issue 7 journeys in the browser: the controller's month, and the steering group's dashboard.

Report jobs run in Celery; no worker runs in the browser tests, so the controller journey runs
the tasks in this process (``celery_in_process``: Celery's eager mode, set on the app that the
live server thread shares), nothing mocked.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from finance.models import MonthlyAccount, ReportFile
from tests.e2e.browser import serious_violations
from tests.e2e.helpers import sign_in
from tests.factories.clients import ClientFactory
from tests.factories.finance import build_team_month, episode_in_care
from tests.factories.olteams import TeamFactory
from tests.finance.report_helpers import celery_in_process

# serialized_rollback: restore what data migrations loaded (other apps' tests rely on it).
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def march(team, other_team, org_ggz, municipality, other_municipality, member):
    """Both teams' March 2026 work; Team Noord has 8 clients in care, Team Zuid 3."""
    noord = build_team_month(
        team=team, month=MARCH, organisation=org_ggz, municipality=municipality
    )
    zuid = build_team_month(
        team=other_team, month=MARCH, organisation=org_ggz, municipality=other_municipality
    )
    for n in range(5):
        client = ClientFactory(team=team, first_name="Extra", last_name=f"Cliëntnaam{n}")
        episode_in_care(client, since=dt.date(2025, 9, 1), by=member)
    return noord, zuid


def _main(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("main")


def test_controller_opens_checks_closes_and_downloads_the_month(
    live_server, page, traffic, controller, march, team
):
    sign_in(page, live_server.url, controller)
    page.goto(f"{live_server.url}/financien/?maand=2026-03")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maandverantwoording maart 2026")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Maand openen").click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(_main(page).get_by_role("link", name="Team Noord")).to_be_visible()
    assert serious_violations(page) == []

    _main(page).get_by_role("link", name="Team Noord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team Noord — maart 2026")
    assert serious_violations(page) == []
    page.get_by_role("link", name="Controle").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Controle: Team Noord")
    # The client in care since the 16th has no registered hours: a mismatch.
    expect(page.get_by_role("heading", name="Cliënten in zorg zonder geregistreerde uren (1)"))
    assert serious_violations(page) == []
    page.get_by_role("link", name="Terug naar de verantwoording").click()

    page.get_by_role("link", name="Maand sluiten").click()
    assert serious_violations(page) == []
    # The small test month registers far fewer hours than its formation: the page says so
    # and the close needs a reason.
    expect(_main(page)).to_contain_text("liggen ver van de formatie")
    page.get_by_label("Toelichting").fill("Testmaand: weinig uren geregistreerd.")
    page.get_by_role("button", name="Ja, maand sluiten").click()
    expect(page.get_by_role("status")).to_contain_text("De maand is gesloten.")
    account = MonthlyAccount.objects.get(team=team, month=MARCH)
    assert account.is_closed

    with celery_in_process():
        for label, suffix in (("PDF", ".pdf"), ("Spreadsheet (XLSX)", ".xlsx")):
            page.get_by_role("button", name=f"Download als {label}").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Rapport maart 2026")
            link = _main(page).get_by_role("link", name="Download")
            expect(link).to_be_visible()
            assert serious_violations(page) == []
            with page.expect_download() as info:
                link.click()
            download = info.value
            assert download.suggested_filename.endswith(suffix)
            assert download.failure() is None
            page.goto(f"{live_server.url}/financien/verantwoording/{account.pk}/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Team Noord — maart 2026")
    assert ReportFile.objects.filter(was_draft=False).count() == 2
    assert traffic.problems == []


@pytest.fixture
def west(march, member):
    """A third team with 6 clients in care: the smallest shown count beside Team Zuid's 3."""
    west = TeamFactory(name="Team West", slug="team-west")
    for n in range(6):
        client = ClientFactory(team=west, first_name="West", last_name=f"Cliëntnaam{n}")
        episode_in_care(client, since=dt.date(2025, 9, 1), by=member)
    return west


def test_steering_group_opens_the_dashboard_and_drills_into_a_team(
    live_server, page, traffic, stuurgroep_user, march, west, team, other_team
):
    sign_in(page, live_server.url, stuurgroep_user)
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    nav.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard stuurgroep: alle teams")
    assert serious_violations(page) == []

    page.get_by_label("Aantal maanden").fill("6")
    page.get_by_label("Tot en met maand").fill("2026-03")
    page.get_by_role("button", name="Toon").click()
    expect(_main(page)).to_contain_text("Periode: oktober 2025 tot en met maart 2026.")
    rows = page.locator("table.dashboard-teams tbody tr")
    noord = rows.filter(has=page.get_by_role("rowheader", name="Team Noord"))
    zuid = rows.filter(has=page.get_by_role("rowheader", name="Team Zuid"))
    west_row = rows.filter(has=page.get_by_role("rowheader", name="Team West"))
    expect(noord.locator("td").nth(1)).to_have_text("8")
    expect(zuid.locator("td").nth(1)).to_have_text("<5")
    # Shown, West's 6 would give Zuid's 3 away (all teams minus Noord minus West): withheld.
    expect(west_row.locator("td").nth(1)).to_have_text("\u00d7")
    assert serious_violations(page) == []

    noord.get_by_role("link", name="Team Noord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard stuurgroep: Team Noord")
    chart = page.locator("#grafiek-clients")
    expect(chart.locator("svg[role=img] title")).to_contain_text("Cliënten in zorg")
    chart.get_by_text("Toon als tabel").click()
    expect(chart.get_by_role("table")).to_contain_text("okt 2025")
    expect(chart.get_by_role("row", name="mrt 2026")).to_contain_text("8")
    assert serious_violations(page) == []
    # Issue 11: the per-team tables were 2216 px wide; the page itself never scrolls sideways.
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 720})

    text = _main(page).inner_text()
    for client in [*march[0].clients, *march[1].clients]:
        assert client.last_name not in text
    assert "Cliëntnaam" not in text
    assert traffic.problems == []
