"""The caseload facts that the frame header and the client file both show, read once per
request (``olteams.request_cache.memo``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from caseload.models import Crisis, IntensityChange, Task
from clients.models import Client, Consent, InvolvedOrganisation, Naaste
from clients.selectors.clients import client_staff_annotation
from clients.selectors.facts import episodes_and_care_team_annotations
from clients.selectors.privacy_requests import disputes_presence
from herstelplan.models import HonosAssessment, IrocAssessment, Plan, RecoveryPhase
from herstelplan.selectors.signal_plans import signal_plan_in_force_annotation
from olteams.request_cache import client_presence, known_absent, memo
from wmo.models import Indication, IndicationRequest

# A crisis that ended within this many days still shows in the header.
RECENT_CRISIS_DAYS = 30


def latest_intensity(*, client: Client, day: dt.date) -> IntensityChange | None:
    """The latest intensity change on or before ``day``."""
    if known_absent(client, "intensity_changes"):
        return None
    return memo(
        ("caseload.intensity", client.pk, day),
        lambda: (
            IntensityChange.objects.filter(client=client, date__lte=day)
            .order_by("-date", "-id")
            .first()
        ),
    )


def open_or_recent_crises(*, client: Client, day: dt.date) -> list[Crisis]:
    """Crises still running or ended within ``RECENT_CRISIS_DAYS`` of ``day``, newest first."""
    recent = day - dt.timedelta(days=RECENT_CRISIS_DAYS)
    if known_absent(client, "crises"):
        return []
    return memo(
        ("caseload.crises", client.pk, day),
        lambda: list(
            Crisis.objects.filter(client=client)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=recent))
            .order_by("-started_on", "-id")
        ),
    )


def client_file_presence(day: dt.date) -> dict[str, Any]:
    """``has_<kind>`` annotations for the client's own query on the client file: the
    kinds a client does not have (most clients have no crisis, many no Wmo request) then
    cost no query of their own (``olteams.request_cache.known_absent``); the
    signaleringsplan in force, which the frame header shows; the episodes and
    assignments, which the header and the page show (``clients.selectors.facts``); and
    the staff on ``day`` to filter the timeline on (``client_staff_choices``)."""
    kinds: dict[str, Any] = {
        "involved": InvolvedOrganisation,
        "consent": Consent,
        "naasten": Naaste,
        "recovery_phases": RecoveryPhase,
        "plans": Plan,
        "iroc": IrocAssessment,
        "honos": HonosAssessment,
        "wmo_requests": IndicationRequest,
        "indications": Indication,
        "intensity_changes": IntensityChange,
        "crises": Crisis,
    }
    presence = {f"has_{kind}": client_presence(model) for kind, model in kinds.items()}
    presence.update(disputes_presence())
    presence["has_open_tasks"] = client_presence(Task, "p.done_at IS NULL")
    presence.update(signal_plan_in_force_annotation())  # what the frame header shows
    presence.update(episodes_and_care_team_annotations())  # the header's and the page's
    presence.update(client_staff_annotation(day))  # the timeline filter's workers
    return presence
