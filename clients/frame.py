"""The clients app's part of the client frame header (registered in ``ClientsConfig.ready``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from clients.constants import AssignmentRole, FundingStream, Phase
from clients.selectors.facts import (
    client_care_team,
    client_funding_streams,
    client_has_consent,
    current_episode,
)
from clients.selectors.privacy_requests import open_disputes
from olteams.access import ClientAction
from olteams.client_frame import Header
from olteams.models import User

# Phases in which the team works with the client and consent for sharing should be on record.
_CONSENT_PHASES = (Phase.INTAKE, Phase.IN_CARE, Phase.AFTERCARE)


def header_part(
    *, header: Header, user: User, client: Any, actions: frozenset[str], today: dt.date
) -> None:
    """Phase, team, casemanager, casusregisseur and regiebehandelaar, funding by the involved organisations,
    and the 'consent missing' alert. Staff without care access (a Wmo consultant) see
    the client's identity only."""
    if ClientAction.VIEW in actions or ClientAction.VIEW_PRIVACY in actions:
        header.disputes.extend(open_disputes(client=client))
    if ClientAction.VIEW not in actions:
        return
    header.team = client.team.name if client.team_id else ""
    episode = current_episode(client=client)
    if episode is not None:
        header.phase = episode.get_phase_display()
        header.in_care = episode.ended_on is None and episode.phase != Phase.OUTFLOW
    leads = sorted(
        (
            a
            for a in client_care_team(client=client, day=today)
            if a.role
            in (
                AssignmentRole.CASEMANAGER,
                AssignmentRole.REGIEBEHANDELAAR,
                AssignmentRole.CASUSREGISSEUR,
            )
        ),
        key=lambda a: a.start_date,
    )
    for assignment in leads:
        name = assignment.worker.get_full_name() or assignment.worker.get_username()
        if assignment.role == AssignmentRole.CASEMANAGER:
            header.casemanager = name
        elif assignment.role == AssignmentRole.CASUSREGISSEUR:
            header.casusregisseur = name
        else:
            header.regiebehandelaar = name
    if not header.in_care:
        return
    for stream in client_funding_streams(client=client, day=today):
        header.add_funding(FundingStream(stream).label)
    if (
        episode is not None
        and episode.phase in _CONSENT_PHASES
        and not client_has_consent(client=client, day=today)
    ):
        header.alert(_("toestemming ontbreekt"), "warn")
