"""List pages keep the same number of queries whatever the number of clients."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.constants import AssignmentRole, Phase
from clients.models import Assignment, CareEpisode, Client, Referral
from tests.factories.clients import make_bsn

pytestmark = pytest.mark.django_db


def _bulk_clients(team, actor, n: int, start: int) -> None:
    clients = Client.objects.bulk_create(
        Client(
            team=team,
            first_name=f"Voornaam{i}",
            last_name=f"Achternaam{i:05d}",
            date_of_birth=dt.date(1960, 1, 1) + dt.timedelta(days=i),
            bsn=make_bsn(i),
        )
        for i in range(start, start + n)
    )
    referrals = Referral.objects.bulk_create(
        Referral(
            team=team,
            client=c,
            person_name=c.full_name,
            source="huisarts",
            referred_on=dt.date(2020, 1, 1) + dt.timedelta(days=i % 60),
            question="Hulp",
            created_by=actor,
        )
        for i, c in enumerate(clients)
    )
    CareEpisode.objects.bulk_create(
        CareEpisode(
            client=c,
            referral=r,
            phase=Phase.WAITING if i % 2 else Phase.IN_CARE,
            started_on=r.referred_on,
        )
        for i, (c, r) in enumerate(zip(clients, referrals, strict=True))
    )
    Assignment.objects.bulk_create(
        Assignment(
            client=c, worker=actor, role=AssignmentRole.CASEMANAGER, start_date=dt.date(2020, 1, 1)
        )
        for c in clients
    )


def _page_queries(ctx: CaptureQueriesContext) -> int:
    """Queries of the page itself. Session reads and writes are left out: they are the
    session machinery's (sessions live in the database), not the page's."""
    return sum(1 for q in ctx.captured_queries if '"django_session"' not in q["sql"])


def _count(http, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = http.get(url, params or {})
    assert response.status_code == 200
    return _page_queries(ctx)


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("clients:client-list", {}),
        ("clients:client-list", {"phase": "voorzorg", "sorteer": "-geboortedatum"}),
        ("clients:waiting-list", {}),
        ("clients:waiting-list", {"urgency": "normaal"}),
        ("clients:referral-list", {}),
    ],
)
def test_list_pages_same_query_count_for_10_and_1000_clients(team, lead, login, url_name, params):
    http = login(lead)
    url = reverse(url_name)
    http.get(reverse("olteams:home"))  # the first request of a session does session work
    _bulk_clients(team, lead, 10, start=0)
    small = _count(http, url, params)
    _bulk_clients(team, lead, 990, start=10)
    large = _count(http, url, params)
    assert small == large
    body = http.get(url, params).content.decode()
    assert "Pagina 1 van" in body


def test_client_detail_query_count_does_not_grow_with_history(in_care, member, login):
    http = login(member)
    http.get(reverse("olteams:home"))
    url = reverse("clients:client-detail", args=[in_care.client_id])
    with CaptureQueriesContext(connection) as first:
        http.get(url)
    from tests.factories.clients import ConsentFactory, NaasteFactory

    for _ in range(5):
        NaasteFactory(client=in_care.client)
        ConsentFactory(client=in_care.client, recorded_by=member)
    with CaptureQueriesContext(connection) as second:
        http.get(url)
    assert _page_queries(first) == _page_queries(second)
