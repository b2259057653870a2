"""The herstelplan facts that the frame header and the client file both show, read once
per request (``olteams.request_cache.memo``)."""

from __future__ import annotations

import datetime as dt

from clients.models import Client
from herstelplan.models import RecoveryPhase
from olteams.request_cache import known_absent, memo


def recovery_phases(*, client: Client) -> list[RecoveryPhase]:
    """The client's recovery phases, newest first (a handful per client)."""
    if known_absent(client, "recovery_phases"):
        return []
    return memo(
        ("herstelplan.recovery_phases", client.pk),
        lambda: list(RecoveryPhase.objects.filter(client=client).order_by("-date", "-id")),
    )


def recovery_phase_on(*, client: Client, day: dt.date) -> RecoveryPhase | None:
    """The latest recovery phase on or before ``day``."""
    return next((p for p in recovery_phases(client=client) if p.date <= day), None)
