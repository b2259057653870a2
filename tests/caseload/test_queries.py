"""The client file, my caseload and the team overview: the same number of queries whatever
the number of contacts and clients."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.constants import AssignmentRole
from olteams.models import Notification
from tests.caseload.pages_fixtures import (
    TODAY,
    assign,
    bulk_contacts,
    consultation,
    contact,
    crisis,
    in_care,
    intensity,
    make_client,
    non_client,
)
from tests.factories.herstelplan import make_iroc

pytestmark = pytest.mark.django_db


def _page_queries(ctx: CaptureQueriesContext) -> int:
    """Queries of the page itself (session reads left out, as in the clients tests)."""
    return sum(1 for q in ctx.captured_queries if '"django_session"' not in q["sql"])


def _count(http, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = http.get(url, params or {})
    assert response.status_code == 200
    return _page_queries(ctx)


def _rich_client(team, member, lead, name: str):
    c = make_client(team, name=name)
    in_care(c, member)
    assign(c, member, AssignmentRole.CASEMANAGER)
    make_iroc(c, member, date=dt.date(2026, 1, 1))
    intensity(c, lead, day=dt.date(2026, 2, 1))
    crisis(c, member, start=dt.date(2026, 2, 3), end=dt.date(2026, 2, 5))
    consultation(member, day=dt.date(2026, 2, 4), minutes=15, client=c)
    return c


@pytest.mark.parametrize(
    "params", [{}, {"soort": "contact"}, {"soort": "contact", "pagina": "2"}, {"pagina": "1"}]
)
def test_client_file_same_queries_for_10_and_5000_contacts(
    team, member, lead, welfare_member, login, params
):
    c = _rich_client(team, member, lead, "Groot")
    contact(c, [member, welfare_member], day=dt.date(2026, 3, 1))
    bulk_contacts(c, member, 59, start=TODAY)  # 60 contacts: two pages
    http = login(member)
    http.get(reverse("olteams:home"))
    url = reverse("caseload:client-file", kwargs={"client_id": c.pk})
    small = _count(http, url, params)

    bulk_contacts(c, member, 4940, start=TODAY - dt.timedelta(days=30))
    large = _count(http, url, params)

    assert small == large
    assert http.get(url, params).context["page"].paginator.count >= 5000


def test_client_file_timeline_queries_depend_on_the_kinds_on_the_page_not_their_number(
    team, member, lead, login
):
    """One query per kind of entry on the page (contacts with their workers and goals in one): the
    bound is fixed, whatever the number of rows."""
    c = _rich_client(team, member, lead, "Oud")
    http = login(member)
    http.get(reverse("olteams:home"))
    url = reverse("caseload:client-file", kwargs={"client_id": c.pk})
    every_kind = _count(http, url)
    phase_only = _count(http, url, {"soort": "fase"})
    assert every_kind - phase_only == 3  # intensity, crisis, consultation


def test_my_caseload_same_queries_for_3_and_30_clients(team, member, lead, login):
    http = login(member)
    http.get(reverse("olteams:home"))
    for i in range(3):
        c = _rich_client(team, member, lead, f"Klein{i}")
        contact(c, [member], day=dt.date(2026, 3, 1))
    Notification.objects.create(recipient=member, kind="task", title="Taak")
    small = _count(http, reverse("caseload:my-caseload"))

    for i in range(27):
        c = _rich_client(team, member, lead, f"Groot{i}")
        bulk_contacts(c, member, 20, start=TODAY)
        Notification.objects.create(recipient=member, kind="task", title=f"Taak {i}")
    large = _count(http, reverse("caseload:my-caseload"))

    assert small == large
    assert len(http.get(reverse("caseload:my-caseload")).context["rows"]) == 30


def test_team_overview_same_queries_for_small_and_large_team(
    team, member, welfare_member, lead, login
):
    http = login(lead)
    http.get(reverse("olteams:home"))
    _rich_client(team, member, lead, "Een")
    non_client(member, day=dt.date(2026, 3, 2), minutes=60)
    small = _count(http, reverse("caseload:team-overview"))

    for i in range(20):
        c = _rich_client(team, member, lead, f"Meer{i}")
        assign(c, welfare_member)
        contact(c, [member, welfare_member], day=dt.date(2026, 1, 5))
        non_client(welfare_member, day=dt.date(2026, 1, 2 + i % 20), minutes=30)
    large = _count(http, reverse("caseload:team-overview"))

    assert small == large
