"""Appointments: planning (one-off or every N weeks), changing one or the series, cancelling,
and logging the contact of a past appointment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from caseload.constants import (
    APPOINTMENT_KINDS,
    MAX_INTERVAL_WEEKS,
    MAX_OCCURRENCES,
    AppointmentPlace,
    AppointmentScope,
    AppointmentState,
)
from caseload.models import Appointment, AppointmentSeries, Contact
from caseload.services._common import check_choice, check_minutes, raise_if
from caseload.services.contacts import contact_log
from clients.models import Assignment, Client, Naaste
from olteams.access import active_on, require_client
from olteams.models import Membership, User


@dataclass(frozen=True)
class Recurrence:
    """Every ``interval_weeks`` weeks, until ``until`` (inclusive) or ``count`` times; a
    one-off appointment is ``count=1`` (``ONCE``)."""

    interval_weeks: int = 1
    until: dt.date | None = None
    count: int | None = None


ONCE = Recurrence(interval_weeks=1, count=1)
MAX_YEARS_AWAY = 5  # an appointment further off is a typing error (and out of the calendar)


def occurrences(starts_at: dt.datetime, rule: Recurrence) -> list[dt.datetime]:
    """The moments of a series: the same local time of day every ``interval_weeks`` weeks
    (so 10:00 stays 10:00 across the change to and from summer time)."""
    local = timezone.localtime(starts_at)
    moments = []
    for index in range(MAX_OCCURRENCES + 1):
        day = local.date() + dt.timedelta(weeks=index * rule.interval_weeks)
        if rule.count is not None and index >= rule.count:
            break
        if rule.until is not None and day > rule.until:
            break
        moments.append(timezone.make_aware(dt.datetime.combine(day, local.time())))
    return moments


def _ids(values: Iterable[Any]) -> list[int]:
    return list(dict.fromkeys(int(getattr(v, "pk", v)) for v in values))


def _check_rule(errors: dict[str, str], starts_at: Any, rule: Recurrence) -> None:
    if isinstance(rule.interval_weeks, bool) or not isinstance(rule.interval_weeks, int):
        errors["interval_weeks"] = _("Vul een heel aantal weken in.")
        return
    if not 1 <= rule.interval_weeks <= MAX_INTERVAL_WEEKS:
        errors["interval_weeks"] = _("Herhaal elke 1 tot %(max)s weken.") % {
            "max": MAX_INTERVAL_WEEKS
        }
        return
    if (rule.until is None) == (rule.count is None):
        errors["count"] = _("Kies of de reeks eindigt op een datum of na een aantal keer.")
        return
    if rule.count is not None and not 1 <= rule.count <= MAX_OCCURRENCES:
        errors["count"] = _("Een reeks heeft 1 tot %(max)s afspraken.") % {"max": MAX_OCCURRENCES}
        return
    if not isinstance(starts_at, dt.datetime) or timezone.is_naive(starts_at):
        return
    first_day = timezone.localdate(starts_at)
    if rule.until is not None and rule.until <= first_day:
        errors["until"] = _("De einddatum van de herhaling moet na de eerste afspraak liggen.")
    elif len(occurrences(starts_at, rule)) > MAX_OCCURRENCES:
        errors["until"] = _(
            "Zo worden het meer dan %(max)s afspraken. Kies een eerdere einddatum."
        ) % {"max": MAX_OCCURRENCES}


def _check_workers(
    errors: dict[str, str], client: Client, worker_ids: list[int], day: dt.date
) -> None:
    """Every worker works in the client's team or is assigned to the client (they may come
    from different organisations and teams)."""
    if not worker_ids:
        errors["workers"] = _("Kies minstens één medewerker.")
        return
    in_team = set(
        Membership.objects.filter(
            active_on(day), team_id=client.team_id, user_id__in=worker_ids, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    assigned = set(
        Assignment.objects.filter(
            active_on(day, start="start_date", end="end_date"),
            client=client,
            worker_id__in=worker_ids,
        ).values_list("worker_id", flat=True)
    )
    strangers = set(worker_ids) - in_team - assigned
    if strangers:
        names = ", ".join(
            str(u) for u in User.objects.filter(pk__in=strangers).order_by("last_name")
        )
        errors["workers"] = _(
            "%(names)s werkt niet in het team van de cliënt en is niet aan de cliënt toegewezen."
        ) % {"names": names or ", ".join(map(str, sorted(strangers)))}


def _check_naasten(errors: dict[str, str], client: Client, naaste_ids: list[int]) -> None:
    found = set(
        Naaste.objects.filter(client=client, pk__in=naaste_ids).values_list("pk", flat=True)
    )
    if found != set(naaste_ids):
        errors["naasten"] = _("Kies alleen naasten van deze cliënt.")


def _validate(
    *,
    client: Client,
    starts_at: Any,
    duration_minutes: Any,
    kind: Any,
    place_kind: Any,
    place: str,
    worker_ids: list[int],
    naaste_ids: list[int],
    rule: Recurrence | None,
    today: dt.date,
) -> None:
    errors: dict[str, str] = {}
    check_minutes(errors, "duration_minutes", duration_minutes, minimum=1, label=_("De duur"))
    if kind not in APPOINTMENT_KINDS:
        errors["kind"] = _("Kies een van de mogelijkheden.")
    check_choice(errors, "place_kind", place_kind, AppointmentPlace)
    if place_kind == AppointmentPlace.ELSEWHERE and not place.strip():
        errors["place"] = _("Vul in waar de afspraak is.")
    if len(place) > 200:
        errors["place"] = _("Gebruik hoogstens 200 tekens.")
    if not isinstance(starts_at, dt.datetime) or timezone.is_naive(starts_at):
        errors["starts_at"] = _("Vul een datum en tijd in.")
    elif abs(starts_at.year - today.year) > MAX_YEARS_AWAY:
        errors["starts_at"] = _("Plan een afspraak binnen %(n)s jaar van vandaag.") % {
            "n": MAX_YEARS_AWAY
        }
    if rule is not None and "starts_at" not in errors:
        _check_rule(errors, starts_at, rule)
    _check_workers(errors, client, worker_ids, today)
    _check_naasten(errors, client, naaste_ids)
    raise_if(errors)


def _fields(
    starts_at: dt.datetime,
    duration_minutes: int,
    kind: str,
    place_kind: str,
    place: str,
    client_present: bool,
    note: str,
) -> dict[str, Any]:
    return {
        "starts_at": starts_at,
        "duration_minutes": duration_minutes,
        "kind": kind,
        "place_kind": place_kind,
        "place": place.strip(),
        "client_present": bool(client_present),
        "note": (note or "").strip(),
    }


def _materialise(
    series: AppointmentSeries, *, actor: User, skip: set[int], not_before: dt.datetime | None
) -> list[Appointment]:
    """Create the series' occurrences, except the sequence numbers in ``skip`` (kept rows)
    and those before ``not_before``; copy the participants in two bulk inserts."""
    fields = _fields(
        series.starts_at,
        series.duration_minutes,
        series.kind,
        series.place_kind,
        series.place,
        series.client_present,
        series.note,
    )
    rule = Recurrence(series.interval_weeks, series.until, series.count)
    rows = [
        Appointment(
            series=series,
            sequence=index,
            client_id=series.client_id,
            team_id=series.team_id,
            created_by=actor,
            **(fields | {"starts_at": moment}),
        )
        for index, moment in enumerate(occurrences(series.starts_at, rule))
        if index not in skip and (not_before is None or moment >= not_before)
    ]
    created = Appointment.objects.bulk_create(rows)
    worker_ids = list(series.workers.values_list("pk", flat=True))
    naaste_ids = list(series.naasten.values_list("pk", flat=True))
    Appointment.workers.through.objects.bulk_create(
        Appointment.workers.through(appointment_id=a.pk, user_id=w)
        for a in created
        for w in worker_ids
    )
    Appointment.naasten.through.objects.bulk_create(
        Appointment.naasten.through(appointment_id=a.pk, naaste_id=n)
        for a in created
        for n in naaste_ids
    )
    return created


@transaction.atomic
def appointment_plan(
    *,
    actor: User,
    client: Client,
    starts_at: dt.datetime,
    duration_minutes: int,
    kind: str,
    workers: Iterable[Any],
    place_kind: str = AppointmentPlace.HOME,
    place: str = "",
    naasten: Iterable[Any] = (),
    client_present: bool = True,
    note: str = "",
    recurrence: Recurrence | None = None,
    now: dt.datetime | None = None,
) -> list[Appointment]:
    """Plan an appointment with ``client``: one, or a series every N weeks until a date or N
    times (at most ``MAX_OCCURRENCES``). Every worker is in the client's team or assigned to
    the client; naasten are the client's own. Returns the occurrences, first first."""
    now = now or timezone.now()
    require_client(actor, client)
    rule = recurrence or ONCE
    worker_ids, naaste_ids = _ids(workers), _ids(naasten)
    _validate(
        client=client,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        kind=kind,
        place_kind=place_kind,
        place=place,
        worker_ids=worker_ids,
        naaste_ids=naaste_ids,
        rule=rule,
        today=timezone.localdate(now),
    )
    series = AppointmentSeries.objects.create(
        client=client,
        team_id=client.team_id,
        created_by=actor,
        interval_weeks=rule.interval_weeks,
        until=rule.until,
        count=rule.count,
        **_fields(starts_at, duration_minutes, kind, place_kind, place, client_present, note),
    )
    series.workers.set(worker_ids)
    series.naasten.set(naaste_ids)
    return _materialise(series, actor=actor, skip=set(), not_before=None)


def _lock(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update()
        .select_related("client", "series")
        .get(pk=appointment.pk)
    )


def _check_changeable(appointment: Appointment) -> None:
    if appointment.state == AppointmentState.LOGGED:
        raise ValidationError(
            _("Deze afspraak is al gelogd als contact en kan niet meer wijzigen.")
        )
    if appointment.state == AppointmentState.CANCELLED:
        raise ValidationError(_("Deze afspraak is geannuleerd."))


def _shifted_anchor(series: AppointmentSeries, old: dt.datetime, new: dt.datetime) -> dt.datetime:
    """The series' first moment moved by the days this occurrence moved, at its new time."""
    old_local, new_local = timezone.localtime(old), timezone.localtime(new)
    anchor = timezone.localtime(series.starts_at).date()
    anchor += new_local.date() - old_local.date()
    return timezone.make_aware(dt.datetime.combine(anchor, new_local.time()))


def _regenerate(series: AppointmentSeries, *, actor: User, not_before: dt.datetime) -> None:
    """Replace the planned, attached occurrences from ``not_before`` on; keep the rest."""
    series.appointments.filter(
        state=AppointmentState.PLANNED, detached=False, starts_at__gte=not_before
    ).delete()
    kept = set(series.appointments.values_list("sequence", flat=True))
    _materialise(series, actor=actor, skip=kept, not_before=not_before)


def _split(series: AppointmentSeries, appointment: Appointment) -> None:
    """End ``series`` just before ``appointment``: the rows from it on that were logged,
    cancelled or changed on their own stay with the old series, detached."""
    series.until, series.count = None, appointment.sequence
    series.save(update_fields=["until", "count", "updated_at"])
    later = series.appointments.filter(sequence__gte=appointment.sequence)
    later.filter(state=AppointmentState.PLANNED, detached=False).delete()
    later.update(detached=True)


@transaction.atomic
def appointment_update(
    *,
    actor: User,
    appointment: Appointment,
    scope: str,
    starts_at: dt.datetime,
    duration_minutes: int,
    kind: str,
    workers: Iterable[Any],
    place_kind: str = AppointmentPlace.HOME,
    place: str = "",
    naasten: Iterable[Any] = (),
    client_present: bool = True,
    note: str = "",
    recurrence: Recurrence | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """Change one appointment (``alleen_deze``: it is detached from the series), this and the
    following ones (``deze_en_volgende``: the series ends before it and a new series starts
    with the new values and rule) or the whole series (``hele_reeks``: the rule and values
    change, moved by as many days as this one moved; its future occurrences that were not
    logged, cancelled or changed on their own are made anew). A ``count`` is the total of the
    series as first planned, so "this and following" keeps that total. Returns the changed
    (or new) occurrence."""
    now = now or timezone.now()
    appointment = _lock(appointment)
    client = appointment.client
    require_client(actor, client)
    _check_changeable(appointment)
    errors: dict[str, str] = {}
    check_choice(errors, "scope", scope, AppointmentScope)
    raise_if(errors)
    series = AppointmentSeries.objects.select_for_update().get(pk=appointment.series_id)
    worker_ids, naaste_ids = _ids(workers), _ids(naasten)
    rule = (
        None
        if scope == AppointmentScope.ONE
        else recurrence or Recurrence(series.interval_weeks, series.until, series.count)
    )
    _validate(
        client=client,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        kind=kind,
        place_kind=place_kind,
        place=place,
        worker_ids=worker_ids,
        naaste_ids=naaste_ids,
        rule=rule,
        today=timezone.localdate(now),
    )
    values = _fields(starts_at, duration_minutes, kind, place_kind, place, client_present, note)
    if scope == AppointmentScope.ONE:
        for name, value in values.items():
            setattr(appointment, name, value)
        appointment.detached = True
        appointment.save()
        appointment.workers.set(worker_ids)
        appointment.naasten.set(naaste_ids)
        return appointment
    assert rule is not None
    if scope == AppointmentScope.FOLLOWING and appointment.sequence > 0:
        count = rule.count
        if count is not None:  # the total of the series, as planned: the rest goes on
            count -= appointment.sequence
            if count < 1:
                raise ValidationError(
                    {"count": _("Zo zijn er na deze afspraak geen afspraken meer over.")}
                )
        _split(series, appointment)
        target = AppointmentSeries.objects.create(
            client=client,
            team_id=series.team_id,
            created_by=actor,
            interval_weeks=rule.interval_weeks,
            until=rule.until,
            count=count,
            **values,
        )
        not_before = starts_at
    else:
        target = series
        values["starts_at"] = _shifted_anchor(series, appointment.starts_at, starts_at)
        for name, value in values.items():
            setattr(target, name, value)
        target.interval_weeks, target.until, target.count = (
            rule.interval_weeks,
            rule.until,
            rule.count,
        )
        target.save()
        # The whole series: from now on; "this and following" from the first: from this one.
        not_before = now if scope == AppointmentScope.SERIES else appointment.starts_at
        not_before = min(not_before, starts_at)
    target.workers.set(worker_ids)
    target.naasten.set(naaste_ids)
    _regenerate(target, actor=actor, not_before=not_before)
    moved = target.appointments.filter(starts_at=starts_at).order_by("sequence").first()
    return moved or target.appointments.order_by("sequence").first() or appointment


@transaction.atomic
def appointment_cancel(
    *,
    actor: User,
    appointment: Appointment,
    reason: str,
    scope: str = AppointmentScope.ONE,
    now: dt.datetime | None = None,
) -> int:
    """Cancel one appointment or, with ``deze_en_volgende``/``hele_reeks``, every planned
    occurrence of the series from this one on; the reason and who cancelled are kept.
    Returns how many were cancelled."""
    now = now or timezone.now()
    appointment = _lock(appointment)
    require_client(actor, appointment.client)
    errors: dict[str, str] = {}
    check_choice(errors, "scope", scope, AppointmentScope)
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Geef de reden van het annuleren.")
    elif len(reason) > 300:
        errors["reason"] = _("Gebruik hoogstens 300 tekens.")
    raise_if(errors)
    _check_changeable(appointment)
    rows = Appointment.objects.filter(pk=appointment.pk)
    if scope != AppointmentScope.ONE:
        since = appointment.starts_at
        if scope == AppointmentScope.SERIES:
            since = min(since, now)  # every occurrence still to come
        rows = Appointment.objects.filter(
            series_id=appointment.series_id,
            state=AppointmentState.PLANNED,
            starts_at__gte=since,
        )
    return rows.update(
        state=AppointmentState.CANCELLED,
        cancel_reason=reason,
        cancelled_at=now,
        cancelled_by=actor,
    )


def _check_loggable(appointment: Appointment, client: Client, now: dt.datetime) -> None:
    if appointment.client_id != client.pk:
        raise ValidationError({"appointment": _("Deze afspraak hoort niet bij deze cliënt.")})
    if appointment.state != AppointmentState.PLANNED:
        raise ValidationError({"appointment": _("Deze afspraak is al gelogd of geannuleerd.")})
    if appointment.starts_at > now:
        raise ValidationError(
            {
                "appointment": _("De afspraak van %(moment)s is nog niet geweest.")
                % {
                    "moment": formats.date_format(
                        timezone.localtime(appointment.starts_at), "DATETIME_FORMAT"
                    )
                }
            }
        )


@transaction.atomic
def appointment_contact_log(
    *, actor: User, appointment: Appointment, now: dt.datetime | None = None, **contact: Any
) -> Contact:
    """Log the contact of a past, planned appointment (``caseload.services.contact_log``
    with ``contact``'s arguments) and mark the appointment logged, pointing at it. A second
    attempt is refused: the appointment row is locked and must still be planned."""
    now = now or timezone.now()
    appointment = _lock(appointment)
    client = contact.pop("client", appointment.client)
    _check_loggable(appointment, client, now)
    logged = contact_log(actor=actor, client=client, now=now, **contact)
    appointment.contact = logged
    appointment.state = AppointmentState.LOGGED
    appointment.save(update_fields=["contact", "state", "updated_at"])
    return logged
