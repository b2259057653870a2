"""Events in a client's care: intensity changes (op/afschalen) and crises or admissions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from caseload.constants import CrisisSetting, IntensityLevel
from caseload.models import Crisis, IntensityChange
from caseload.services._common import check_choice, check_day, raise_if, today_or
from clients.models import Client
from olteams.access import require_client
from olteams.models import User


def _in_force(client: Client, day: dt.date) -> IntensityChange | None:
    change = IntensityChange.objects.filter(client=client, date__lte=day).order_by("-date", "-id")
    latest = change.first()
    if latest is None or (latest.ended_on is not None and latest.ended_on <= day):
        return None
    return latest


def _previous_level(client: Client, day: dt.date) -> int | None:
    latest = _in_force(client, day)
    return latest.level if latest is not None else None


@transaction.atomic
def intensity_end(
    *, actor: User, client: Client, end_date: dt.date, today: dt.date | None = None
) -> IntensityChange | None:
    """Care ends (outflow, death): the intensity in force stops on ``end_date``, so no
    page shows the client as, say, "Intensief (FACT)" any more. Changes dated after the
    end are ended on their own date. Returns the change that was ended, or None when no
    intensity was in force."""
    require_client(actor, client)
    Client.objects.select_for_update().filter(pk=client.pk).first()  # one change at a time
    errors: dict[str, str] = {}
    check_day(errors, "end_date", end_date, today_or(today))
    raise_if(errors)
    latest = _in_force(client, end_date)
    if latest is not None:
        latest.ended_on = end_date
        latest.save(update_fields=["ended_on"])
    later = IntensityChange.objects.filter(client=client, date__gt=end_date, ended_on__isnull=True)
    for change in later:
        change.ended_on = change.date
        change.save(update_fields=["ended_on"])
    return latest


@transaction.atomic
def intensity_change_record(
    *,
    actor: User,
    client: Client,
    date: dt.date,
    level: int,
    reason: str,
    today: dt.date | None = None,
) -> IntensityChange:
    """Scale the client's care up or down from ``date``, with the reason.

    The previous level is the one in force on that day; a change recorded afterwards for an
    earlier day becomes the previous level of the change that follows it.
    """
    day = today_or(today)
    require_client(actor, client)
    Client.objects.select_for_update().filter(pk=client.pk).first()  # one change at a time
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    check_day(errors, "date", date, day)
    check_choice(errors, "level", level, IntensityLevel)
    if not reason:
        errors["reason"] = _("Geef de reden van het op- of afschalen.")
    raise_if(errors)
    change = IntensityChange.objects.create(
        client=client,
        team_id=client.team_id,
        date=date,
        level=level,
        previous_level=_previous_level(client, date),
        reason=reason,
        by=actor,
    )
    following = (
        IntensityChange.objects.filter(client=client, date__gt=date).order_by("date", "id").first()
    )
    if following is not None:
        following.previous_level = level
        following.save(update_fields=["previous_level"])
    return change


def _check_crisis(
    errors: dict[str, str],
    *,
    setting: Any,
    setting_other: str,
    admission_prevented: bool,
    started_on: Any,
    ended_on: Any,
    today: dt.date,
) -> None:
    check_choice(errors, "setting", setting, CrisisSetting)
    if setting == CrisisSetting.OTHER and not setting_other:
        errors["setting_other"] = _("Beschrijf waar de cliënt is opgenomen.")
    if admission_prevented and setting != CrisisSetting.NONE:
        errors["admission_prevented"] = _("Een opname is alleen voorkomen als er geen opname was.")
    check_day(errors, "started_on", started_on, today)
    if ended_on is not None:
        check_day(errors, "ended_on", ended_on, today)
        if isinstance(started_on, dt.date) and "ended_on" not in errors and ended_on < started_on:
            errors["ended_on"] = _("Het einde ligt vóór het begin.")


@transaction.atomic
def crisis_record(
    *,
    actor: User,
    client: Client,
    started_on: dt.date,
    setting: str,
    reason: str,
    setting_other: str = "",
    admission_prevented: bool = False,
    ended_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Crisis:
    """Record a crisis, with or without an admission (``setting`` "geen": at home)."""
    day = today_or(today)
    require_client(actor, client)
    reason, setting_other = (reason or "").strip(), (setting_other or "").strip()
    errors: dict[str, str] = {}
    _check_crisis(
        errors,
        setting=setting,
        setting_other=setting_other,
        admission_prevented=bool(admission_prevented),
        started_on=started_on,
        ended_on=ended_on,
        today=day,
    )
    if not reason:
        errors["reason"] = _("Beschrijf de aanleiding.")
    raise_if(errors)
    return Crisis.objects.create(
        client=client,
        team_id=client.team_id,
        started_on=started_on,
        ended_on=ended_on,
        setting=setting,
        setting_other=setting_other if setting == CrisisSetting.OTHER else "",
        reason=reason,
        admission_prevented=bool(admission_prevented),
        by=actor,
    )


@transaction.atomic
def crisis_end(
    *,
    actor: User,
    crisis: Crisis,
    ended_on: dt.date,
    admission_prevented: bool | None = None,
    today: dt.date | None = None,
) -> Crisis:
    """End a crisis (or admission); optionally record that an admission was prevented."""
    day = today_or(today)
    crisis = Crisis.objects.select_for_update().select_related("client").get(pk=crisis.pk)
    require_client(actor, crisis.client)
    if crisis.ended_on is not None:
        raise ValidationError({"ended_on": _("Deze crisis is al beëindigd.")})
    if not isinstance(ended_on, dt.date):
        raise ValidationError({"ended_on": _("Vul een datum in.")})
    prevented = crisis.admission_prevented if admission_prevented is None else admission_prevented
    errors: dict[str, str] = {}
    _check_crisis(
        errors,
        setting=crisis.setting,
        setting_other=crisis.setting_other,
        admission_prevented=bool(prevented),
        started_on=crisis.started_on,
        ended_on=ended_on,
        today=day,
    )
    raise_if(errors)
    crisis.ended_on, crisis.admission_prevented = ended_on, bool(prevented)
    crisis.save(update_fields=["ended_on", "admission_prevented", "updated_at"])
    return crisis
