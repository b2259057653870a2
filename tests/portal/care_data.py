"""Test data for the portal's care pages: a care team, appointments and contacts of a
client, built directly (the staff services' rules have their own tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from caseload.constants import AppointmentPlace, AppointmentState, ContactKind
from caseload.models import Appointment, AppointmentSeries
from clients.constants import AssignmentRole
from olteams.constants import Discipline
from tests.factories.caseload import ContactFactory
from tests.factories.clients import AssignmentFactory
from tests.factories.olteams import MembershipFactory, OrganisationFactory, UserFactory


def care_worker(
    client: Any,
    *,
    last_name: str,
    role: str = AssignmentRole.CASEMANAGER,
    discipline: str = Discipline.SPV,
    organisation: Any = None,
) -> Any:
    """A worker of the client's team, assigned to the client in ``role``; returns the user."""
    worker = UserFactory(first_name="Wil", last_name=last_name)
    MembershipFactory(
        user=worker,
        team=client.team,
        organisation=organisation or OrganisationFactory(),
        discipline=discipline,
    )
    AssignmentFactory(client=client, worker=worker, role=role)
    return worker


def appointment(
    client: Any,
    worker: Any,
    *,
    starts_at: dt.datetime,
    place_kind: str = AppointmentPlace.ELSEWHERE,
    place: str = "",
    note: str = "",
    cancel_reason: str = "",
    naasten: tuple[Any, ...] = (),
    client_present: bool = True,
) -> Appointment:
    """One appointment (a series of one) of ``client`` with ``worker``; cancelled when a
    ``cancel_reason`` is given."""
    fields = {
        "client": client,
        "team": client.team,
        "starts_at": starts_at,
        "duration_minutes": 45,
        "kind": ContactKind.HOME,
        "place_kind": place_kind,
        "place": place,
        "note": note,
        "client_present": client_present,
        "created_by": worker,
    }
    series = AppointmentSeries.objects.create(count=1, **fields)
    row = Appointment.objects.create(series=series, sequence=1, **fields)
    if cancel_reason:
        row.state = AppointmentState.CANCELLED
        row.cancel_reason = cancel_reason
        row.cancelled_at = starts_at - dt.timedelta(days=1)
        row.cancelled_by = worker
        row.save()
    for planned in (series, row):
        planned.workers.set([worker])
        planned.naasten.set(naasten)
    return row


def contact(client: Any, worker: Any, *, starts_at: dt.datetime, note: str, **extra: Any) -> Any:
    return ContactFactory(client=client, author=worker, starts_at=starts_at, note=note, **extra)
