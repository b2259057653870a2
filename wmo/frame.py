"""The wmo app's part of the client frame header: Wmo funding and an overdue request."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from olteams.access import ClientAction, active_on
from olteams.client_frame import Header
from olteams.models import User
from wmo.constants import PENDING_STATUSES
from wmo.models import Indication, IndicationRequest


def header_part(
    *, header: Header, user: User, client: Any, actions: frozenset[str], today: dt.date
) -> None:
    """An indication in force adds 'Wmo' to the funding; a pending request past its
    deadline (or flagged overdue by the sweep) raises the 'Wmo-aanvraag te laat' alert."""
    if ClientAction.VIEW_WMO not in actions:
        return
    if (
        ClientAction.VIEW in actions
        and header.in_care
        and Indication.objects.filter(
            active_on(today, start="start", end="end"), client=client
        ).exists()
    ):
        header.add_funding("Wmo")
    overdue = IndicationRequest.objects.filter(
        client=client, status__in=PENDING_STATUSES, deadline__lt=today
    ).exists()
    if overdue:
        header.alert(_("Wmo-aanvraag te laat"), "late")
