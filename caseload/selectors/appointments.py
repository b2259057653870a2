"""Reads of appointments: a client's list, a worker's or a team's week, the calendar feed.

A week shows every appointment of its workers, but names the client only to a reader who
may see that client (``client_visible``, an EXISTS over ``olteams.access``); the calendar
feed never names one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from caseload.constants import AppointmentState
from caseload.models import Appointment
from clients.models import Client
from olteams.access import ClientAction, active_on, clients_visible_to, team_ids_for
from olteams.models import Membership, Team, User

FEED_HISTORY = dt.timedelta(days=90)  # how far back the calendar feed reaches
FEED_LIMIT = 1000


def _with_people(rows: QuerySet[Appointment]) -> QuerySet[Appointment]:
    return rows.select_related("series").prefetch_related(
        Prefetch("workers", queryset=User.objects.order_by("last_name", "first_name")),
        "naasten",
    )


def appointment_list(*, client: Client) -> QuerySet[Appointment]:
    """Every appointment of a client the caller already has access to, oldest first."""
    return _with_people(Appointment.objects.filter(client=client)).order_by("starts_at", "id")


def appointment_get(*, client: Client, appointment_id: Any) -> Appointment:
    """One appointment of ``client`` (which came from ``access_client``); 404 otherwise."""
    try:
        pk = int(appointment_id)
    except (TypeError, ValueError):
        raise Http404 from None
    appointment = _with_people(Appointment.objects.filter(pk=pk, client=client)).first()
    if appointment is None:
        raise Http404
    return appointment


def appointment_list_for(*, user: User, action: str = ClientAction.VIEW) -> QuerySet[Appointment]:
    """Appointments of every client the user may see (the API's list)."""
    visible = clients_visible_to(user, action=action).values("pk")
    return _with_people(
        Appointment.objects.filter(client_id__in=visible).select_related("client")
    ).order_by("starts_at", "id")


def appointment_get_for(*, user: User, appointment_id: Any, action: str) -> Appointment:
    """One appointment of a client the user may ``action`` on; 404 for missing and not yours."""
    try:
        pk = int(appointment_id)
    except (TypeError, ValueError):
        raise Http404 from None
    appointment = appointment_list_for(user=user, action=action).filter(pk=pk).first()
    if appointment is None:
        raise Http404
    return appointment


# --- the week ----------------------------------------------------------------------------


def week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


@dataclass
class AgendaDay:
    day: dt.date
    appointments: list[Appointment] = field(default_factory=list)


def _week_rows(user: User, monday: dt.date, **filters: Any) -> list[Appointment]:
    visible = clients_visible_to(user).filter(pk=OuterRef("client_id"))
    rows = (
        Appointment.objects.filter(
            starts_at__gte=_local_midnight(monday),
            starts_at__lt=_local_midnight(monday + dt.timedelta(days=7)),
            **filters,
        )
        .exclude(state=AppointmentState.CANCELLED)
        .annotate(client_visible=Exists(visible))
        .select_related("client")
        .prefetch_related(
            Prefetch("workers", queryset=User.objects.order_by("last_name", "first_name"))
        )
        .distinct()
        .order_by("starts_at", "id")
    )
    return list(rows)


def _days(monday: dt.date, rows: list[Appointment]) -> list[AgendaDay]:
    days = [AgendaDay(monday + dt.timedelta(days=n)) for n in range(7)]
    for row in rows:
        days[(timezone.localdate(row.starts_at) - monday).days].appointments.append(row)
    return days


def agenda_week(*, user: User, worker: User, monday: dt.date) -> list[AgendaDay]:
    """The seven days of ``worker``'s week from ``monday``: the appointments they take part
    in (not cancelled), each with ``client_visible`` for ``user``."""
    return _days(monday, _week_rows(user, monday, workers=worker))


def agenda_teams(*, user: User) -> QuerySet[Team]:
    """The teams whose agenda the user may open: the teams they work in."""
    return Team.objects.filter(pk__in=team_ids_for(user)).order_by("name")


def team_agenda_week(*, user: User, team: Team, monday: dt.date) -> list[AgendaDay]:
    """The week of every worker of ``team`` (members that week): appointments they take
    part in, whichever team the client is in; names as ``agenda_week``."""
    members = Membership.objects.filter(active_on(monday + dt.timedelta(days=6)), team=team).values(
        "user_id"
    )
    return _days(monday, _week_rows(user, monday, workers__in=members))


# --- the calendar feed -------------------------------------------------------------------


def calendar_feed_appointments(*, worker: User, now: dt.datetime) -> list[Appointment]:
    """The worker's appointments for their calendar: from ``FEED_HISTORY`` ago on, not
    cancelled. Only what the feed prints is read (no names, notes or addresses)."""
    return list(
        Appointment.objects.filter(workers=worker, starts_at__gte=now - FEED_HISTORY)
        .exclude(state=AppointmentState.CANCELLED)
        .only(
            "pk",
            "client_id",
            "starts_at",
            "duration_minutes",
            "kind",
            "place_kind",
            "state",
            "updated_at",
        )
        .order_by("starts_at", "id")[:FEED_LIMIT]
    )
