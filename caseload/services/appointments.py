"""Appointments: planning (one-off or every N weeks), changing one or the series, cancelling,
and logging the contact of a past appointment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from caseload.constants import AppointmentPlace, AppointmentScope, AppointmentState
from caseload.models import Appointment, AppointmentSeries, Contact
from caseload.services._appointment_rules import (
    MAX_YEARS_AWAY,
    ONCE,
    Recurrence,
    ids_of,
    occurrences,
    validate,
)
from caseload.services._common import check_choice, raise_if
from caseload.services.contacts import contact_log
from clients.models import Client
from olteams.access import require_client
from olteams.models import User

__all__ = [
    "MAX_YEARS_AWAY",
    "ONCE",
    "Recurrence",
    "appointment_cancel",
    "appointment_contact_log",
    "appointment_plan",
    "appointment_update",
    "occurrences",
]


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
    worker_ids, naaste_ids = ids_of(workers), ids_of(naasten)
    validate(
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
    worker_ids, naaste_ids = ids_of(workers), ids_of(naasten)
    rule = (
        None
        if scope == AppointmentScope.ONE
        else recurrence or Recurrence(series.interval_weeks, series.until, series.count)
    )
    validate(
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
    # A one-off that stays one-off changes in place (its link stays the same).
    stays_single = not series.repeats and rule is not None and rule.count == 1
    if scope == AppointmentScope.ONE or stays_single:
        changed: list[Appointment | AppointmentSeries] = [appointment]
        if stays_single:
            changed.append(series)
        for row in changed:
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
            row.workers.set(worker_ids)
            row.naasten.set(naaste_ids)
        if not stays_single:
            Appointment.objects.filter(pk=appointment.pk).update(detached=True)
            appointment.detached = True
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
