"""Time that is not one contact: non-client time (hour-sheet codes) and consultations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from caseload.constants import (
    NON_CLIENT_TARGETS,
    ConsultationRequester,
    NonClientCode,
    NonClientTarget,
)
from caseload.models import Consultation, NonClientTime
from caseload.services._common import (
    check_choice,
    check_day,
    check_minutes,
    raise_if,
    today_or,
)
from olteams.access import active_on, clients_visible_to, team_ids_for
from olteams.constants import TeamRole
from olteams.models import Membership, Team, User

# Codes whose sub-code (with whom) must be given; codes 2 and 6 take one optionally.
TARGET_REQUIRED_CODES = frozenset(
    {NonClientCode.COLLABORATION, NonClientCode.CONSULTATION, NonClientCode.REFERRAL}
)


def _team_member(
    errors: dict[str, str], worker: User, team: Team, day: Any, field: str
) -> Membership | None:
    """The worker's membership of ``team`` on ``day`` (the snapshot), or an error."""
    if not isinstance(day, dt.date):
        return None
    membership = (
        Membership.objects.filter(active_on(day), user=worker, team=team)
        .order_by("valid_from", "pk")
        .first()
    )
    if membership is None:
        errors[field] = _("%(name)s was op die dag geen lid van %(team)s.") % {
            "name": worker,
            "team": team,
        }
    return membership


def _check_target(errors: dict[str, str], code: str, target: str) -> None:
    allowed = NON_CLIENT_TARGETS.get(code, ())
    if target and target not in allowed:
        errors["target"] = (
            _("Kies een subcode die bij deze code hoort.")
            if allowed
            else _("Bij deze code hoort geen subcode.")
        )
    elif not target and code in TARGET_REQUIRED_CODES:
        errors["target"] = _("Kies met wie of waarvoor.")


@transaction.atomic
def non_client_time_log(
    *,
    actor: User,
    team: Team,
    date: dt.date,
    minutes: int,
    code: str,
    target: str = "",
    explanation: str = "",
    worker: User | None = None,
    today: dt.date | None = None,
) -> NonClientTime:
    """Record a worker's time on the team's work that belongs to no client.

    The team must be one of the actor's; a team lead may record for another worker of the
    team. Code 7 ("overig") needs an explanation; codes 1, 3 and 4 need a sub-code.
    """
    day = today_or(today)
    worker = worker or actor
    target, explanation = (target or "").strip(), (explanation or "").strip()
    errors: dict[str, str] = {}
    if team.pk not in team_ids_for(actor, today=day):
        raise_if({"team": _("U werkt niet in dit team.")})
    if worker.pk != actor.pk and team.pk not in team_ids_for(
        actor, roles=(TeamRole.LEAD,), today=day
    ):
        errors["worker"] = _("Alleen de teamleider kan tijd voor een ander vastleggen.")
    check_day(errors, "date", date, day)
    check_minutes(errors, "minutes", minutes, minimum=1, label=_("De tijd"))
    check_choice(errors, "code", code, NonClientCode)
    if target:
        check_choice(errors, "target", target, NonClientTarget)
    if "code" not in errors and "target" not in errors:
        _check_target(errors, code, target)
    if code == NonClientCode.OTHER and not explanation:
        errors["explanation"] = _("Geef een toelichting bij code 7 (overig).")
    membership = _team_member(errors, worker, team, date, "worker" if worker != actor else "date")
    raise_if(errors)
    assert membership is not None
    return NonClientTime.objects.create(
        worker=worker,
        team=team,
        organisation_id=membership.organisation_id,
        discipline=membership.discipline,
        date=date,
        minutes=minutes,
        code=code,
        target=target,
        explanation=explanation,
        created_by=actor,
    )


@transaction.atomic
def consultation_log(
    *,
    actor: User,
    team: Team,
    date: dt.date,
    requester_kind: str,
    minutes: int,
    requester_name: str = "",
    client: Any = None,
    about: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> Consultation:
    """Record advice given without care, counted for ``team``.

    About a client the actor may see, or else about someone described without identifying
    data (``about``).
    """
    day = today_or(today)
    about = (about or "").strip()
    errors: dict[str, str] = {}
    if team.pk not in team_ids_for(actor, today=day):
        raise_if({"team": _("U werkt niet in dit team.")})
    if (
        client is not None
        and not clients_visible_to(actor, today=day).filter(pk=client.pk).exists()
    ):
        errors["client"] = _("Deze cliënt is niet gevonden.")
    if client is None and not about:
        errors["about"] = _("Beschrijf over wie de vraag ging (zonder naam), of kies een cliënt.")
    check_day(errors, "date", date, day)
    check_minutes(errors, "minutes", minutes, minimum=1, label=_("De tijd"))
    check_choice(errors, "requester_kind", requester_kind, ConsultationRequester)
    membership = _team_member(errors, actor, team, date, "date")
    raise_if(errors)
    assert membership is not None
    return Consultation.objects.create(
        team=team,
        worker=actor,
        organisation_id=membership.organisation_id,
        discipline=membership.discipline,
        date=date,
        requester_kind=requester_kind,
        requester_name=(requester_name or "").strip(),
        client=client,
        about=about,
        minutes=minutes,
        note=(note or "").strip(),
    )
