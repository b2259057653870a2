"""The herstelplan app's part of the client frame header: the current herstelfase."""

from __future__ import annotations

import datetime as dt
from typing import Any

from herstelplan.selectors.facts import recovery_phase_on
from olteams.access import ClientAction
from olteams.client_frame import Header
from olteams.models import User


def header_part(
    *, header: Header, user: User, client: Any, actions: frozenset[str], today: dt.date
) -> None:
    """The latest recovery phase on or before today; clinical, so only for clinical readers."""
    if ClientAction.VIEW_CLINICAL not in actions:
        return
    phase = recovery_phase_on(client=client, day=today)
    if phase is not None:
        header.herstelfase = phase.get_phase_display()
