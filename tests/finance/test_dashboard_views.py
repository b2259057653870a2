"""The dashboard pages: who gets in, suppression on the page, no client data, query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from olteams.models import AuditEvent
from tests.factories.clients import ClientFactory, ReferralFactory
from tests.factories.finance import episode_in_care
from tests.factories.herstelplan import make_iroc
from tests.factories.olteams import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 4, 15, 10, 0, tzinfo=dt.UTC)
NAMES = [("Zeldzaam", "Achternaamxyz", "111222333"), ("Qwerta", "Uniekenaam", "123456782")]


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def named_clients(team, other_team, member, outsider):
    """Team Noord: 7 clients in care (two with known names and BSNs); Team Zuid: 3."""
    clients = [
        ClientFactory(team=team, first_name=first, last_name=last, bsn=bsn)
        for first, last, bsn in NAMES
    ]
    clients += [ClientFactory(team=team) for _ in range(5)]
    for client in clients:
        episode_in_care(client, since=dt.date(2025, 6, 1), by=member)
        make_iroc(client, member, date=dt.date(2026, 1, 10))
    others = [ClientFactory(team=other_team) for _ in range(3)]
    for client in others:
        episode_in_care(client, since=dt.date(2025, 6, 1), by=outsider)
    ReferralFactory(team=team, referred_on=dt.date(2026, 3, 2), person_name="Persoon Geheimnaam")
    return clients + others


def _cells(html: str, row_header: str) -> list[str]:
    """The cells of the table row whose header links or reads ``row_header``."""
    row = re.search(
        r"<tr>\s*<th scope=\"row\">(?:<a [^>]*>)?" + re.escape(row_header) + r".*?</tr>",
        html,
        re.S,
    )
    assert row, row_header
    return [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)]


def test_anonymous_is_sent_to_sign_in(client, team):
    for url in (reverse("finance:dashboard"), reverse("finance:dashboard-team", args=[team.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert "/aanmelden/" in response["Location"]


@pytest.mark.parametrize("who", ["member", "secretary", "consultant", "outsider"])
def test_team_and_wmo_roles_are_refused(request, login, who, team):
    http = login(request.getfixturevalue(who))
    assert http.get(reverse("finance:dashboard")).status_code == 403
    assert http.get(reverse("finance:dashboard-team", args=[team.pk])).status_code == 403


def test_a_team_lead_sees_their_own_team_page_and_nothing_else(login, lead, team, other_team):
    http = login(lead)
    assert http.get(reverse("finance:dashboard")).status_code == 403
    own = http.get(reverse("finance:dashboard-team", args=[team.pk]))
    assert own.status_code == 200
    html = own.content.decode()
    assert "Maandverantwoordingen van uw team" in html
    assert reverse("finance:dashboard") not in html  # no way back to an overview they cannot open
    assert http.get(reverse("finance:dashboard-team", args=[other_team.pk])).status_code == 404


@pytest.mark.parametrize("who", ["stuurgroep_user", "controller", "admin_user"])
def test_steering_group_controller_and_admin_see_the_pages(request, login, who, team):
    http = login(request.getfixturevalue(who))
    overview = http.get(reverse("finance:dashboard"))
    detail = http.get(reverse("finance:dashboard-team", args=[team.pk]))
    assert overview.status_code == 200
    assert detail.status_code == 200
    assert b"Dashboard stuurgroep" in overview.content
    assert reverse("finance:dashboard-team", args=[team.pk]).encode() in overview.content


def test_missing_team_is_404(login, stuurgroep_user):
    assert login(stuurgroep_user).get("/financien/dashboard/team/999999/").status_code == 404


def test_counts_under_five_read_lt5_and_seven_reads_seven(login, stuurgroep_user, named_clients):
    html = login(stuurgroep_user).get(reverse("finance:dashboard")).content.decode()

    noord, zuid = _cells(html, "Team Noord"), _cells(html, "Team Zuid")
    # Column order: trend, clients in care, inflow, outflow, waiting, ...
    # Team Noord's 7 is withheld (a cross) because the total minus it would reveal Team Zuid's 3.
    assert noord[1] == "\u00d7"
    assert zuid[1] == "&lt;5"
    assert "3" not in zuid[1:]  # the three of Team Zuid appear nowhere in its row
    # I.ROC coverage of Team Zuid is derived from 3: hidden; Team Noord's (7 of 7) is withheld
    # too (a cross), or all teams' 100 % of 10 minus Team Noord's would give Zuid's away.
    assert noord[7] == "\u00d7"
    assert zuid[7] == "&lt;5"
    assert "Toon als tabel" in html
    assert 'role="img"' in html and "<desc" in html


def test_team_page_shows_the_team_and_suppresses(login, stuurgroep_user, named_clients, other_team):
    html = (
        login(stuurgroep_user)
        .get(reverse("finance:dashboard-team", args=[other_team.pk]))
        .content.decode()
    )
    assert "Dashboard stuurgroep: Team Zuid" in html
    assert _cells(html, "Cliënten in zorg (einde maand)")[0] == "&lt;5"


def test_no_client_name_or_bsn_reaches_the_page(login, stuurgroep_user, named_clients, team):
    http = login(stuurgroep_user)
    pages = [
        http.get(reverse("finance:dashboard")).content.decode(),
        http.get(reverse("finance:dashboard-team", args=[team.pk])).content.decode(),
    ]
    secrets = [part for first, last, bsn in NAMES for part in (first, last, bsn, bsn[-4:])]
    secrets += ["Geheimnaam", "/clienten/"]  # no link to any client file either
    for html in pages:
        for secret in secrets:
            assert secret not in html
    # No client was read, so no client audit event either.
    assert not AuditEvent.objects.filter(client_id__isnull=False).exists()


def test_period_parameters_and_bad_input(login, stuurgroep_user, team):
    http = login(stuurgroep_user)
    response = http.get(reverse("finance:dashboard"), {"months": "24", "end": "2025-12"})
    assert response.status_code == 200
    assert "januari 2024 tot en met december 2025" in response.content.decode()

    for bad, message in (
        ({"months": "99"}, "Kies hoogstens 24 maanden."),
        ({"months": "0"}, "Kies minstens 1 maand."),
        ({"months": "x"}, "Geef een aantal maanden op, van 1 tot en met 24."),
        ({"end": "2026-13"}, "Geef een maand op als JJJJ-MM."),
        ({"end": "2027-01"}, "Kies een maand tot en met de huidige maand."),
    ):
        response = http.get(reverse("finance:dashboard"), bad)
        assert response.status_code == 400
        assert message in response.content.decode()


def _queries(http, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        assert http.get(url, params or {}).status_code == 200
    # The session middleware reads the session from the database or from its cache: not ours.
    return len([q for q in ctx.captured_queries if "django_session" not in q["sql"]])


def test_page_query_count_is_constant(login, stuurgroep_user, team, member, named_clients):
    http = login(stuurgroep_user)
    url = reverse("finance:dashboard")
    detail = reverse("finance:dashboard-team", args=[team.pk])
    _queries(http, url, {"months": "24"})  # the first read stores the months
    few = _queries(http, url)
    few_detail = _queries(http, detail)
    by = UserFactory()
    for _ in range(3):
        extra_team = TeamFactory()
        for _ in range(6):
            episode_in_care(ClientFactory(team=extra_team), since=dt.date(2025, 1, 1), by=by)
    for _ in range(6):
        episode_in_care(ClientFactory(team=team), since=dt.date(2025, 1, 1), by=by)
    assert _queries(http, url, {"months": "24"}) == few
    assert _queries(http, detail, {"months": "24"}) == few_detail
