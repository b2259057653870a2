"""The clients app's part of the client frame header (registered in ``ClientsConfig.ready``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from clients.constants import AssignmentRole, FundingStream, Phase
from clients.models import Assignment, CareEpisode, Consent, InvolvedOrganisation
from olteams.access import ClientAction, active_on
from olteams.client_frame import Header
from olteams.models import User

# Phases in which the team works with the client and consent for sharing should be on record.
_CONSENT_PHASES = (Phase.INTAKE, Phase.IN_CARE, Phase.AFTERCARE)


def header_part(
    *, header: Header, user: User, client: Any, actions: frozenset[str], today: dt.date
) -> None:
    """Phase, team, casemanager and regiebehandelaar, funding by the involved organisations,
    and the 'consent missing' alert. Staff without care access (a Wmo consultant) see
    the client's identity only."""
    if ClientAction.VIEW not in actions:
        return
    header.team = client.team.name if client.team_id else ""
    episode = (
        CareEpisode.objects.filter(client=client)
        .order_by(F("ended_on").desc(nulls_first=True), "-started_on", "-id")
        .first()
    )
    if episode is not None:
        header.phase = episode.get_phase_display()
        header.in_care = episode.ended_on is None and episode.phase != Phase.OUTFLOW
    leads = (
        Assignment.objects.filter(
            active_on(today, start="start_date", end="end_date"),
            client=client,
            role__in=[AssignmentRole.CASEMANAGER, AssignmentRole.REGIEBEHANDELAAR],
        )
        .select_related("worker")
        .order_by("start_date")
    )
    for assignment in leads:
        name = assignment.worker.get_full_name() or assignment.worker.get_username()
        if assignment.role == AssignmentRole.CASEMANAGER:
            header.casemanager = name
        else:
            header.regiebehandelaar = name
    if not header.in_care:
        return
    streams = (
        InvolvedOrganisation.objects.filter(
            active_on(today, start="start_date", end="end_date"), client=client
        )
        .exclude(funding_stream=FundingStream.NONE)
        .values_list("funding_stream", flat=True)
        .distinct()
    )
    for stream in sorted(streams):
        header.add_funding(FundingStream(stream).label)
    if episode is not None and episode.phase in _CONSENT_PHASES:
        has_consent = (
            Consent.objects.filter(client=client, given_on__lte=today)
            .exclude(withdrawn_on__lte=today)
            .exists()
        )
        if not has_consent:
            header.alert(_("toestemming ontbreekt"), "warn")
