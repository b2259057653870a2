"""The wmo app's part of the client frame header: Wmo funding and an overdue request."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from olteams.access import ClientAction
from olteams.client_frame import Header
from olteams.models import User
from wmo.selectors.facts import indication_in_force, request_overdue


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
        and indication_in_force(client=client, day=today)
    ):
        header.add_funding("Wmo")
    if request_overdue(client=client, day=today):
        header.alert(_("Wmo-aanvraag te laat"), "late")
