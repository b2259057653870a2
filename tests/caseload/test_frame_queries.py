"""Query budgets of the client frame's tabs for a client with a full file: one query per
kind of row, no query sent twice (issue 15, "worker pages at a fraction of today's cost")."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.constants import AssignmentRole, FundingStream
from clients.models import Consent, InvolvedOrganisation, Naaste
from olteams.constants import DataCategory
from olteams.models import AuditEvent
from tests.caseload.pages_fixtures import (
    assign,
    consultation,
    contact,
    crisis,
    in_care,
    intensity,
    make_client,
)
from tests.factories.finance import indication
from tests.factories.herstelplan import active_plan, make_iroc

pytestmark = pytest.mark.django_db

# The tabs of the frame and the most queries each may send for a client with a full file
# (session, user, second factor, access facts, the client, the audit insert and the
# navigation included): one query per kind of row the tab shows. Before issue 15 the
# client file sent 57 for this client. The header's signaleringsplan in force (issue 16) is
# one more kind of row: one query, shared with the Herstelplan tab's overview. The data the
# client disputes (open privacy requests, issue 12) is one more; none on the client file (EXISTS).
TAB_BUDGETS = [
    ("caseload:client-file", 30),
    ("clients:client-detail", 26),
    ("herstelplan:client-overview", 26),
    ("wmo:client-overview", 26),
    ("clients:network", 27),  # + the parties beyond the partner organisations (issue 17)
]


@pytest.fixture
def full_client(team, member, welfare_member, lead, municipality, org_ggz):
    """A client in care with contacts, crises, a plan, a Wmo request and indication,
    naasten, consent, an involved organisation and a care team of two."""
    c = make_client(team, name="Volledig")
    in_care(c, member)
    assign(c, member, AssignmentRole.CASEMANAGER)
    assign(c, lead, AssignmentRole.REGIEBEHANDELAAR)
    assign(c, welfare_member)
    make_iroc(c, member, date=dt.date(2026, 1, 1))
    active_plan(c, member)
    intensity(c, lead, day=dt.date(2026, 2, 1))
    crisis(c, member, start=dt.date(2026, 2, 3), end=dt.date(2026, 2, 5))
    crisis(c, member, start=dt.date(2026, 11, 20))
    consultation(member, day=dt.date(2026, 2, 4), minutes=15, client=c)
    for day in range(1, 6):
        contact(c, [member, welfare_member], day=dt.date(2026, 3, day))
    indication(c, municipality=municipality, start=dt.date(2026, 1, 1), by=member)
    Naaste.objects.create(client=c, name="Moeder Volledig", relation="moeder", role="steun")
    Naaste.objects.create(client=c, name="Broer Volledig", relation="broer", role="steun")
    InvolvedOrganisation.objects.create(
        client=c,
        organisation=org_ggz,
        start_date=dt.date(2025, 1, 1),
        funding_stream=FundingStream.ZVW,
    )
    Consent.objects.create(
        client=c,
        recipient_organisation=org_ggz,
        category=DataCategory.WELFARE,
        purpose="Samenwerking",
        given_on=dt.date(2025, 1, 1),
        recorded_by=member,
    )
    return c


def _capture(http, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = http.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize(("url_name", "budget"), TAB_BUDGETS)
def test_frame_tab_within_its_query_budget_and_no_query_twice(
    member, full_client, login, url_name, budget, django_assert_max_num_queries
):
    http = login(member)
    http.get(reverse("olteams:home"))
    url = reverse(url_name, kwargs={"client_id": full_client.pk})
    before = AuditEvent.objects.filter(client_id=full_client.pk).count()
    with django_assert_max_num_queries(budget):
        queries = _capture(http, url)
    repeated = {sql: n for sql, n in Counter(queries).items() if n > 1}
    assert repeated == {}
    # The access policy still ran and the read is still audited: one event per page.
    assert AuditEvent.objects.filter(client_id=full_client.pk).count() == before + 1


def test_client_file_of_a_client_in_care_with_contacts_within_20_queries(
    team, member, login, django_assert_max_num_queries
):
    """The benchmark's client (care episode, casemanager, 50 contacts, nothing else): the
    kinds of rows it does not have cost no query (EXISTS on the client's own row)."""
    c = make_client(team, name="Gewoon")
    in_care(c, member)
    assign(c, member, AssignmentRole.CASEMANAGER)
    for day in range(1, 26):
        contact(c, [member], day=dt.date(2026, 3, day))
        contact(c, [member], day=dt.date(2026, 4, day))
    http = login(member)
    http.get(reverse("olteams:home"))
    url = reverse("caseload:client-file", kwargs={"client_id": c.pk})
    with django_assert_max_num_queries(20):
        queries = _capture(http, url)
    assert [sql for sql, n in Counter(queries).items() if n > 1] == []
