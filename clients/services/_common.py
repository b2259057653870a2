"""Small helpers the clients services share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from olteams.access import team_ids_for
from olteams.constants import TeamRole


def today_or(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def fmt(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def require_team(
    actor: Any, team_id: int, *, roles: tuple[str, ...] | None = None, today: dt.date | None = None
) -> None:
    """Team-level writes (no client yet): the actor must be in the team, in one of ``roles``."""
    if team_id not in team_ids_for(actor, roles=roles, today=today):
        raise PermissionDenied(_("U hebt geen toegang tot dit team."))


def require_lead(actor: Any, team_id: int) -> None:
    require_team(actor, team_id, roles=(TeamRole.LEAD,))


def not_in_future(field: str, value: dt.date | None, today: dt.date, label: str) -> None:
    if value is not None and value > today:
        raise ValidationError({field: _("%(label)s ligt in de toekomst.") % {"label": label}})


def strip_all(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
