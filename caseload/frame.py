"""The caseload app's part of the client frame header: intensity and a recent crisis."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from caseload.selectors.facts import latest_intensity, open_or_recent_crises
from olteams.access import ClientAction
from olteams.client_frame import Header
from olteams.models import User


def header_part(
    *, header: Header, user: User, client: Any, actions: frozenset[str], today: dt.date
) -> None:
    """The care intensity in force (only while care runs) and an open or recent crisis."""
    if ClientAction.VIEW not in actions:
        return
    if header.in_care:
        change = latest_intensity(client=client, day=today)
        if change is not None:
            header.intensity = change.get_level_display()
    crisis = next(
        (c for c in open_or_recent_crises(client=client, day=today) if c.started_on <= today),
        None,
    )
    if crisis is not None:
        if crisis.ended_on is None:
            header.alert(_("crisis loopt"), "late")
        else:
            header.alert(_("recente crisis"), "warn")
