"""Small helpers the caseload services share: access, dates, minutes and the snapshot."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from caseload.constants import MAX_MINUTES
from olteams.access import active_on
from olteams.models import Membership


def today_or(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def check_minutes(
    errors: dict[str, str], field: str, value: Any, *, minimum: int, label: str
) -> None:
    """Minutes are whole numbers from ``minimum`` up to 24 hours (more is a typing error)."""
    if isinstance(value, bool) or not isinstance(value, int):
        errors[field] = _("Vul een heel aantal minuten in.")
    elif not minimum <= value <= MAX_MINUTES:
        errors[field] = _("%(label)s moet tussen %(min)s en %(max)s minuten (24 uur) liggen.") % {
            "label": label,
            "min": minimum,
            "max": MAX_MINUTES,
        }


def check_day(errors: dict[str, str], field: str, day: Any, today: dt.date) -> None:
    if not isinstance(day, dt.date):
        errors[field] = _("Vul een datum in.")
    elif day > today:
        errors[field] = _("De datum ligt in de toekomst.")


def check_choice(errors: dict[str, str], field: str, value: Any, choices: Any) -> None:
    if value not in choices.values:
        errors[field] = _("Kies een van de mogelijkheden.")


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def membership_on(worker: Any, *, day: dt.date, team_id: int | None) -> Membership | None:
    """The worker's membership on ``day``: in ``team_id`` when they have one there, else
    their first active one (an assigned worker of another team). None when not working."""
    memberships = list(
        Membership.objects.filter(active_on(day), user=worker)
        .select_related("organisation")
        .order_by("valid_from", "pk")
    )
    for membership in memberships:
        if membership.team_id == team_id:
            return membership
    return memberships[0] if memberships else None
