"""The iCalendar (RFC 5545) rendering of a worker's calendar feed.

Each event says when, how long, the kind of contact, the kind of place and the client's
number: never a name, a note, a BSN or an address. Whoever finds the address learns no
more than that a worker sees client 1234 by phone on Tuesday at ten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from caseload.constants import AppointmentPlace, AppointmentState, ContactKind
from caseload.models import Appointment

PRODID = "-//Optimaal Leven//Agenda//NL"
UID_DOMAIN = "optimaal-leven.agenda"


def client_code(client_id: int) -> str:
    """The pseudonymous client number the feed uses (the same number the frame shows)."""
    return f"C{client_id}"


def _event(appointment: Appointment, now: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"afspraak-{appointment.pk}@{UID_DOMAIN}")
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("last-modified", appointment.updated_at.astimezone(dt.UTC))
    event.add("dtstart", appointment.starts_at.astimezone(dt.UTC))
    event.add("dtend", appointment.ends_at.astimezone(dt.UTC))
    kind = ContactKind(appointment.kind).label
    event.add(
        "summary",
        _("%(kind)s · cliënt %(code)s")
        % {"kind": kind, "code": client_code(appointment.client_id)},
    )
    event.add("location", str(AppointmentPlace(appointment.place_kind).label))
    event.add("status", "CONFIRMED")
    event.add("class", "PRIVATE")
    if appointment.state == AppointmentState.LOGGED:
        event.add("categories", [str(_("Gelogd"))])
    return event


def render_calendar(appointments: Iterable[Appointment], *, now: dt.datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Optimaal Leven: mijn afspraken"))
    for appointment in appointments:
        calendar.add_component(_event(appointment, now))
    return calendar.to_ical()
