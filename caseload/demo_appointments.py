"""Demo appointments: a populated week for every casemanager, the demo team member first.

``demo.teamlid`` gets a fortnightly phone call that started last week (its first occurrence
is past and not logged: the one-click "Contact vastleggen"), a weekly home visit with a
colleague from the care team, a video call, an appointment at the team office with a naaste
and a four-weekly series; every other casemanager one weekly and one fortnightly series, so
the team agenda is full. Planned through ``caseload.services.appointment_plan`` (the same
rules as the pages). Idempotent: a team that has appointments is skipped.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from caseload.constants import AppointmentPlace, ContactKind
from caseload.models import Appointment
from caseload.services.appointments import Recurrence, appointment_plan
from clients.constants import AssignmentRole
from clients.models import Assignment, Naaste
from olteams.access import active_on
from olteams.models import Membership, Team

DEMO_LOGIN = "demo.teamlid"
OTHER_CASEMANAGERS = 6  # per team, besides the demo user


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _clients_of(worker_id: int, team: Team, today: dt.date) -> list[Assignment]:
    return list(
        Assignment.objects.filter(
            active_on(today, start="start_date", end="end_date"),
            worker_id=worker_id,
            role=AssignmentRole.CASEMANAGER,
            client__team=team,
            client__merged_into__isnull=True,
        )
        .select_related("client")
        .order_by("client_id")
    )


def _colleague(client: Any, worker_id: int, today: dt.date) -> list[int]:
    """Another worker of the client's care team, when there is one."""
    other = (
        Assignment.objects.filter(active_on(today, start="start_date", end="end_date"))
        .filter(client=client)
        .exclude(worker_id=worker_id)
        .values_list("worker_id", flat=True)
        .first()
    )
    return [other] if other else []


def _plan(worker: Any, client: Any, now: dt.datetime, **values: Any) -> None:
    values.setdefault("duration_minutes", 45)
    values.setdefault("workers", [])
    values["workers"] = [worker.pk, *values["workers"]]
    appointment_plan(actor=worker, client=client, now=now, **values)


def _demo_user_week(worker: Any, rows: list[Assignment], today: dt.date, now: Any) -> None:
    monday = today - dt.timedelta(days=today.weekday())
    last_week = monday - dt.timedelta(days=7)
    plans = [
        # Fortnightly phone call for two months, started last week (first one unlogged).
        {
            "starts_at": _at(last_week + dt.timedelta(days=1), 10),
            "duration_minutes": 30,
            "kind": ContactKind.PHONE,
            "place_kind": AppointmentPlace.PHONE,
            "recurrence": Recurrence(2, last_week + dt.timedelta(days=60), None),
        },
        {
            "starts_at": _at(monday + dt.timedelta(days=1), 14),
            "kind": ContactKind.HOME,
            "place_kind": AppointmentPlace.HOME,
            "recurrence": Recurrence(1, None, 8),
            "colleague": True,
        },
        {
            "starts_at": _at(monday + dt.timedelta(days=3), 11),
            "duration_minutes": 30,
            "kind": ContactKind.VIDEO,
            "place_kind": AppointmentPlace.VIDEO,
        },
        {
            "starts_at": _at(monday + dt.timedelta(days=2), 9, 30),
            "duration_minutes": 60,
            "kind": ContactKind.TEAM_LOCATION,
            "place_kind": AppointmentPlace.TEAM_OFFICE,
            "naaste": True,
        },
        {
            "starts_at": _at(monday + dt.timedelta(days=4), 13),
            "kind": ContactKind.NEIGHBOURHOOD,
            "place_kind": AppointmentPlace.ELSEWHERE,
            "place": "Wijkcentrum, koffieruimte",
            "recurrence": Recurrence(4, None, 3),
        },
    ]
    for plan, row in zip(plans, rows, strict=False):
        values: dict[str, Any] = dict(plan)
        if values.pop("colleague", False):
            values["workers"] = _colleague(row.client, worker.pk, today)
        if values.pop("naaste", False):
            values["naasten"] = list(
                Naaste.objects.filter(client=row.client).values_list("pk", flat=True)[:1]
            )
        _plan(worker, row.client, now, **values)


def _colleague_week(
    worker: Any, rows: list[Assignment], today: dt.date, now: Any, rng: random.Random
) -> None:
    monday = today - dt.timedelta(days=today.weekday())
    for row, weeks in zip(rows[:2], (1, 2), strict=False):
        day = monday + dt.timedelta(days=rng.randint(0, 4))
        _plan(
            worker,
            row.client,
            now,
            starts_at=_at(day, rng.choice((9, 10, 11, 13, 14, 15))),
            kind=rng.choice((ContactKind.HOME, ContactKind.PHONE, ContactKind.TEAM_LOCATION)),
            place_kind=AppointmentPlace.HOME,
            recurrence=Recurrence(weeks, None, 6),
        )


def seed_appointments(*, today: dt.date, rng: random.Random) -> None:
    """A week of appointments in every team that has none yet."""
    now = _at(today, 7)
    users = get_user_model().objects
    demo_user = users.filter(username=DEMO_LOGIN).first()
    for team in Team.objects.order_by("slug"):
        if Appointment.objects.filter(team=team).exists():
            continue
        members = Membership.objects.filter(active_on(today), team=team).values("user_id")
        casemanagers = (
            Assignment.objects.filter(
                active_on(today, start="start_date", end="end_date"),
                role=AssignmentRole.CASEMANAGER,
                client__team=team,
                worker_id__in=members,
                worker__is_active=True,
            )
            .values_list("worker_id", flat=True)
            .distinct()
            .order_by("worker_id")
        )
        others = [pk for pk in casemanagers if demo_user is None or pk != demo_user.pk]
        if demo_user is not None and demo_user.pk in casemanagers:
            _demo_user_week(demo_user, _clients_of(demo_user.pk, team, today), today, now)
        for pk in others[:OTHER_CASEMANAGERS]:
            _colleague_week(users.get(pk=pk), _clients_of(pk, team, today), today, now, rng)
