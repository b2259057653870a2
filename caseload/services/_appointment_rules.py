"""The rules of an appointment: its recurrence, who may take part, the Dutch messages.

Shared by ``caseload.services.appointments``; the moments of a series come from
``occurrences`` (also read by the demo and the tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from caseload.constants import (
    APPOINTMENT_KINDS,
    MAX_INTERVAL_WEEKS,
    MAX_OCCURRENCES,
    AppointmentPlace,
)
from caseload.services._common import check_choice, check_minutes, raise_if
from clients.models import Assignment, Client, Naaste
from olteams.access import active_on
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


def ids_of(values: Iterable[Any]) -> list[int]:
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


def validate(
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
