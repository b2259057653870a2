"""The caseload app's part of the client frame header: intensity and a recent crisis."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from caseload.models import Crisis, IntensityChange
from olteams.access import ClientAction
from olteams.client_frame import Header
from olteams.models import User

# A crisis that ended within this many days still shows in the header.
RECENT_CRISIS_DAYS = 30


def header_part(
    *, header: Header, user: User, client: Any, actions: frozenset[str], today: dt.date
) -> None:
    """The care intensity in force (only while care runs) and an open or recent crisis."""
    if ClientAction.VIEW not in actions:
        return
    if header.in_care:
        change = (
            IntensityChange.objects.filter(client=client, date__lte=today)
            .order_by("-date", "-id")
            .first()
        )
        if change is not None:
            header.intensity = change.get_level_display()
    recent = today - dt.timedelta(days=RECENT_CRISIS_DAYS)
    crisis = (
        Crisis.objects.filter(client=client, started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=recent))
        .order_by("-started_on")
        .first()
    )
    if crisis is not None:
        if crisis.ended_on is None:
            header.alert(_("crisis loopt"), "late")
        else:
            header.alert(_("recente crisis"), "warn")
