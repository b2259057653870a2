"""The herstelplan app's part of the client frame header: the current herstelfase and
whether a signaleringsplan is in force."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from herstelplan.selectors.facts import recovery_phase_on
from herstelplan.selectors.signal_plans import signal_plan_in_force
from olteams.access import ClientAction, record_visible
from olteams.client_frame import Header
from olteams.constants import RecordKind
from olteams.models import User


def header_part(
    *, header: Header, user: User, client: Any, actions: frozenset[str], today: dt.date
) -> None:
    """The latest recovery phase on or before today and the signaleringsplan in force;
    clinical, so only for clinical readers."""
    if ClientAction.VIEW_CLINICAL not in actions:
        return
    phase = recovery_phase_on(client=client, day=today)
    if phase is not None:
        header.herstelfase = phase.get_phase_display()
    if not record_visible(user, client, RecordKind.SIGNAL_PLAN):  # no consent: not even that
        return
    signal_plan = signal_plan_in_force(client=client)
    if signal_plan is not None and signal_plan.agreed_on is not None:
        header.alert(
            _("signaleringsplan aanwezig (versie %(v)s, %(d)s)")
            % {
                "v": signal_plan.version,
                "d": formats.date_format(signal_plan.agreed_on, "SHORT_DATE_FORMAT"),
            },
            "info",
        )
    elif header.in_care:
        header.alert(_("geen signaleringsplan"), "warn")
