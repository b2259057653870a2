"""The Wmo facts that the frame header and the client file both show, read once per request
(``olteams.request_cache.memo``)."""

from __future__ import annotations

import datetime as dt

from clients.models import Client
from olteams.request_cache import known_absent, memo
from wmo.constants import PENDING_STATUSES
from wmo.models import Indication, IndicationRequest


def client_requests(*, client: Client) -> list[IndicationRequest]:
    """Every indication request of the client, newest first (tens at most per client)."""
    if known_absent(client, "wmo_requests"):
        return []
    return memo(
        ("wmo.requests", client.pk),
        lambda: list(
            IndicationRequest.objects.filter(client=client)
            .select_related("municipality", "product")
            .order_by("-created_at", "-id")
        ),
    )


def client_indications(*, client: Client) -> list[Indication]:
    """Every indication of the client, latest start first."""
    if known_absent(client, "indications"):
        return []
    return memo(
        ("wmo.indications", client.pk),
        lambda: list(
            Indication.objects.filter(client=client)
            .select_related("product")
            .order_by("-start", "-id")
        ),
    )


def indication_in_force(*, client: Client, day: dt.date) -> bool:
    return any(
        i.start <= day and (i.end is None or i.end >= day)
        for i in client_indications(client=client)
    )


def request_overdue(*, client: Client, day: dt.date) -> bool:
    """A pending request past its deadline."""
    return any(
        r.status in PENDING_STATUSES and r.deadline is not None and r.deadline < day
        for r in client_requests(client=client)
    )
