"""MDO meetings: plan one with the clients of the team's MDO list, record per client the
discussion, the decisions and the follow-up tasks, then close it.

Closing writes each decision into the client's file as an "MDO-besluit" on the timeline
(``MdoItem.decided_on``). It writes no Contact of kind MDO: an MDO contact is a billed Zvw
prestatie and counts hours per worker present, and the workers already log the meeting as
their own MDO time (hour-sheet code 5) or as a contact; a contact made here would count those
hours twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseload.constants import MdoStatus, TaskSource
from caseload.models import MdoItem, MdoMeeting
from caseload.services._common import raise_if, today_or
from caseload.services.tasks import task_create
from clients.models import Client
from olteams.access import ClientAction, active_on, clients_visible_to, team_ids_for
from olteams.constants import TeamRole
from olteams.models import Membership, Team, User

logger = logging.getLogger(__name__)

# Who runs an MDO: the team's clinical roles (they read and write clinical notes).
MDO_ROLES = (TeamRole.LEAD, TeamRole.MEMBER)


def can_run_mdo(user: User, team_id: int, *, today: dt.date | None = None) -> bool:
    return team_id in team_ids_for(user, roles=MDO_ROLES, today=today)


def _require_mdo(actor: User, team_id: int, day: dt.date) -> None:
    if not can_run_mdo(actor, team_id, today=day):
        raise PermissionDenied(_("Alleen de teamleider en de teamleden houden een MDO."))


def _team_member_ids(team: Team, day: dt.date) -> set[int]:
    return set(
        Membership.objects.filter(active_on(day), team=team, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


def _team_clients(actor: User, team: Team, ids: Iterable[int], day: dt.date) -> list[Client]:
    """The asked-for clients of ``team`` that the actor may discuss (clinical access)."""
    wanted = {int(i) for i in ids}
    found = list(
        clients_visible_to(actor, action=ClientAction.VIEW_CLINICAL, today=day).filter(
            pk__in=wanted, team=team
        )
    )
    if len(found) != len(wanted):
        raise ValidationError({"clients": _("Kies alleen cliënten van dit team.")})
    return found


@transaction.atomic
def mdo_meeting_create(
    *,
    actor: User,
    team: Team,
    starts_at: Any,
    chair: Any,
    attendee_ids: Iterable[int],
    client_ids: Iterable[int],
    reasons: dict[int, str] | None = None,
    today: dt.date | None = None,
) -> MdoMeeting:
    """Plan an MDO of ``team``: its chair and attendees are team members, its clients the
    team's (usually today's MDO list, pre-selected on the form)."""
    day = today_or(today)
    _require_mdo(actor, team.pk, day)
    members = _team_member_ids(team, day)
    attendees = {int(i) for i in attendee_ids}
    errors: dict[str, str] = {}
    if not isinstance(starts_at, dt.datetime):
        errors["starts_at"] = _("Vul de datum en de tijd van het MDO in.")
    if chair is None or chair.pk not in members:
        errors["chair"] = _("Kies een voorzitter uit het team.")
    if not attendees or not attendees <= members:
        errors["attendees"] = _("Kies de aanwezigen uit het team.")
    ids = list(client_ids)
    if not ids:
        errors["clients"] = _("Kies ten minste één cliënt om te bespreken.")
    raise_if(errors)
    clients = _team_clients(actor, team, ids, day)
    meeting = MdoMeeting.objects.create(
        team=team, starts_at=starts_at, chair=chair, created_by=actor
    )
    meeting.attendees.set(attendees | {chair.pk})
    order = {int(pk): n for n, pk in enumerate(ids)}
    MdoItem.objects.bulk_create(
        MdoItem(
            meeting=meeting,
            client=client,
            reasons=((reasons or {}).get(client.pk) or "")[:300],
            position=order[client.pk],
        )
        for client in clients
    )
    logger.info("mdo planned meeting_id=%s team_id=%s clients=%s", meeting.pk, team.pk, len(ids))
    return meeting


def _open_meeting(actor: User, meeting: MdoMeeting, day: dt.date) -> MdoMeeting:
    _require_mdo(actor, meeting.team_id, day)
    locked = MdoMeeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status != MdoStatus.OPEN:
        raise ValidationError({"meeting": _("Dit MDO is afgesloten en wijzigt niet meer.")})
    return locked


@transaction.atomic
def mdo_item_add(
    *, actor: User, meeting: MdoMeeting, client_id: Any, today: dt.date | None = None
) -> MdoItem:
    """Discuss another client of the team in an open MDO."""
    day = today_or(today)
    meeting = _open_meeting(actor, meeting, day)
    try:
        pk = int(client_id)
    except (TypeError, ValueError):
        raise ValidationError({"client": _("Kies een cliënt van dit team.")}) from None
    if meeting.items.filter(client_id=pk).exists():
        raise ValidationError({"client": _("Deze cliënt staat al op de agenda.")})
    try:
        (client,) = _team_clients(actor, meeting.team, [pk], day)
    except ValidationError:
        raise ValidationError({"client": _("Kies een cliënt van dit team.")}) from None
    last = meeting.items.order_by("-position").values_list("position", flat=True).first()
    return MdoItem.objects.create(meeting=meeting, client=client, position=(last or 0) + 1)


@transaction.atomic
def mdo_item_remove(*, actor: User, item: MdoItem, today: dt.date | None = None) -> None:
    """Take a client off the agenda of an open MDO (not when follow-ups were made)."""
    _open_meeting(actor, item.meeting, today_or(today))
    if item.tasks.exists():
        raise ValidationError({"item": _("Er zijn al vervolgacties voor deze cliënt.")})
    item.delete()


@transaction.atomic
def mdo_item_record(
    *,
    actor: User,
    item: MdoItem,
    summary: str,
    decisions: str,
    follow_ups: Iterable[dict[str, Any]] = (),
    today: dt.date | None = None,
) -> MdoItem:
    """Record the discussion of one client: the summary, the decisions and follow-up tasks
    (``{"title", "assignee", "due_on"}``, each for a member of the team, about the client)."""
    day = today_or(today)
    meeting = _open_meeting(actor, item.meeting, day)
    item = MdoItem.objects.select_related("client").get(pk=item.pk)
    item.summary, item.decisions = (summary or "").strip(), (decisions or "").strip()
    item.save(update_fields=["summary", "decisions"])
    for n, follow_up in enumerate(follow_ups):
        try:
            task_create(
                actor=actor,
                team=meeting.team,
                assignee=follow_up.get("assignee"),
                title=follow_up.get("title") or "",
                client=item.client,
                due_on=follow_up.get("due_on"),
                source=TaskSource.MDO,
                mdo_item=item,
                today=day,
            )
        except ValidationError as exc:
            raise ValidationError(
                {f"follow_up_{n}_{field}": msgs for field, msgs in exc.message_dict.items()}
            ) from None
    return item


@transaction.atomic
def mdo_meeting_close(
    *, actor: User, meeting: MdoMeeting, now: dt.datetime | None = None
) -> MdoMeeting:
    """Close the MDO: every client with decisions gets an "MDO-besluit" in the file, dated
    the day of the meeting. An MDO without any decision is not closed (nothing to write)."""
    moment = now or timezone.now()
    meeting = _open_meeting(actor, meeting, timezone.localdate(moment))
    items = meeting.items.exclude(decisions="")
    if not items.exists():
        raise ValidationError(
            {"meeting": _("Leg eerst bij ten minste één cliënt een besluit vast.")}
        )
    items.update(decided_on=timezone.localdate(meeting.starts_at))
    meeting.status, meeting.closed_at, meeting.closed_by = MdoStatus.CLOSED, moment, actor
    meeting.save(update_fields=["status", "closed_at", "closed_by"])
    logger.info("mdo closed meeting_id=%s decisions=%s", meeting.pk, items.count())
    return meeting
