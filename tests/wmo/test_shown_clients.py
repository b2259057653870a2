"""The Wmo API lists record exactly the clients of the rows they return (``client_ids``)."""

from __future__ import annotations

import pytest

from olteams.models import AuditEvent
from tests.conftest import verified_client
from tests.factories.clients import ClientFactory
from wmo import services

pytestmark = pytest.mark.django_db


def _last(detail: str) -> AuditEvent:
    event = AuditEvent.objects.filter(detail=detail).order_by("-seq").first()
    assert event is not None, detail
    return event


def test_the_wmo_api_lists_record_the_clients_of_their_rows(
    member, consultant, wmo_client, request_data, team, municipality
):
    submitted = services.request_submit(
        actor=member,
        request=services.request_create(actor=member, client=wmo_client, data=request_data),
    )
    ClientFactory(team=team, municipality=municipality)  # no request: in neither list
    rows = verified_client(member).get("/api/v1/wmo/aanvragen/").json()["results"]
    assert [row["id"] for row in rows] == [submitted.pk]
    assert _last("API: Wmo-aanvragen").client_ids == [wmo_client.pk]
    inbox = verified_client(consultant).get("/api/v1/wmo/inbox/").json()["results"]
    assert [row["id"] for row in inbox] == [submitted.pk]
    assert _last("API: Wmo-inbox").client_ids == [wmo_client.pk]
    empty = verified_client(member).get("/api/v1/wmo/aanvragen/", {"status": "afgewezen"})
    assert empty.json()["results"] == []
    assert _last("API: Wmo-aanvragen").client_ids == []
