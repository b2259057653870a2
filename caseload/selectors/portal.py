"""Reads behind the portal's care pages (``/mijn/team/``, ``/mijn/afspraken/``,
``/mijn/contacten/``): what the client (or a naaste with the grant) reads of their own file.

Every function takes the ``client`` that the portal guard (``olteams.portal.portal_view``)
found for the signed-in principal through ``olteams.access.portal_client``; never a client
id from a URL or a form. Each returns the rows with the related rows they need loaded, so a
page's query count does not grow with its rows.

What the portal never shows, even though it is on these rows: an appointment's ``note``
(the team's planning note) and ``cancel_reason`` (written by staff for staff, not for the
client), a contact's funding stream, proposed funding, travel time and consent category.
A contact's report (``note``, "verslag") IS shown: it is what is written about the client
in their file, and the client has the right to read it (Wgbo art. 7:456, AVG art. 15). The
product holds no personal work notes ("persoonlijke werkaantekeningen", which the Wgbo
keeps out of inzage): a contact's report is part of the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from caseload.models import Appointment, Contact, ContactWorker
from clients.models import Assignment, Client
from herstelplan.constants import PlanStatus
from herstelplan.models import SignalPlanContact
from olteams.access import active_on
from olteams.models import Membership, User

PORTAL_PAST_DAYS = 31  # "Mijn afspraken" shows the past month
PORTAL_AHEAD_DAYS = 92  # and the coming three months


@dataclass(frozen=True)
class CareTeamMember:
    """One worker of the client's care team as the portal shows them."""

    assignment: Assignment
    membership: Membership | None  # the worker's place in a team today (discipline, org)

    @property
    def worker(self) -> User:
        return self.assignment.worker


def portal_care_team(*, client: Client, today: dt.date | None = None) -> list[CareTeamMember]:
    """The client's care team today (open assignments), casemanager first, each worker with
    their membership of the client's team (else any active one: a worker assigned from
    another team) for discipline and organisation. Two queries."""
    day = today or timezone.localdate()
    memberships = (
        Membership.objects.filter(active_on(day))
        .select_related("organisation")
        .order_by("valid_from", "id")
    )
    assignments = (
        Assignment.objects.filter(active_on(day, start="start_date", end="end_date"), client=client)
        .select_related("worker")
        .prefetch_related(
            Prefetch("worker__memberships", queryset=memberships, to_attr="portal_memberships")
        )
        .order_by("role", "worker__last_name", "worker__first_name", "id")
    )
    members = []
    for assignment in assignments:
        own: list[Membership] = assignment.worker.portal_memberships  # type: ignore[attr-defined]
        in_team = [m for m in own if m.team_id == client.team_id]
        chosen = in_team or own
        members.append(CareTeamMember(assignment, chosen[0] if chosen else None))
    return sorted(members, key=lambda m: _ROLE_ORDER.get(m.assignment.role, len(_ROLE_ORDER)))


# The client's own contacts first: casemanager/casusregisseur, then the lead clinician.
_ROLE_ORDER = {"casemanager": 0, "casusregisseur": 1, "regiebehandelaar": 2, "psychiater": 3}


def portal_crisis_contacts(*, client: Client) -> QuerySet[SignalPlanContact]:
    """The crisis contacts of the signaleringsplan in force (agreed by the client); none
    while only a draft exists. One query."""
    return SignalPlanContact.objects.filter(
        plan__client=client, plan__status=PlanStatus.ACTIVE
    ).order_by("position", "id")


def portal_appointments(
    *, client: Client, now: dt.datetime | None = None
) -> tuple[list[Appointment], list[Appointment]]:
    """(coming, past): the client's appointments of the next ``PORTAL_AHEAD_DAYS`` (first
    first) and of the past ``PORTAL_PAST_DAYS`` (latest first), cancelled ones included.
    Three queries: the appointments, their workers, their naasten."""
    moment = now or timezone.now()
    rows = list(
        Appointment.objects.filter(
            client=client,
            starts_at__gte=moment - dt.timedelta(days=PORTAL_PAST_DAYS),
            starts_at__lt=moment + dt.timedelta(days=PORTAL_AHEAD_DAYS),
        )
        .only(*_APPOINTMENT_FIELDS)
        .prefetch_related(
            Prefetch(
                "workers",
                queryset=User.objects.only("id", "first_name", "last_name", "username").order_by(
                    "last_name", "first_name"
                ),
            ),
            "naasten",
        )
        .order_by("starts_at", "id")
    )
    coming = [a for a in rows if a.starts_at + dt.timedelta(minutes=a.duration_minutes) > moment]
    past = [a for a in rows if a not in coming]
    return coming, past[::-1]


# Only what the page shows: never the planning note nor the staff's cancel reason.
_APPOINTMENT_FIELDS = (
    "id",
    "client_id",
    "starts_at",
    "duration_minutes",
    "kind",
    "place_kind",
    "place",
    "client_present",
    "state",
    "contact_id",
)


def portal_contacts(*, client: Client) -> QuerySet[Contact]:
    """The client's contacts with the team, newest first, with who was there (worker,
    organisation, discipline) and the plan goals worked on. Paged by the view: a count, the
    page of contacts, their presences, their goals."""
    presences = ContactWorker.objects.select_related("worker", "organisation").order_by(
        "worker__last_name", "worker__first_name", "id"
    )
    return (
        Contact.objects.filter(client=client)
        .only(*_CONTACT_FIELDS)
        .prefetch_related(Prefetch("presences", queryset=presences), "goals")
        .order_by("-starts_at", "-id")
    )


_CONTACT_FIELDS = (
    "id",
    "client_id",
    "starts_at",
    "date",
    "duration_minutes",
    "kind",
    "naaste_present",
    "note",
)
