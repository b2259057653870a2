"""Tasks: made by a colleague, by the daily reminder jobs (system tasks) or in an MDO.

The reminder jobs of ``herstelplan`` and ``wmo`` sit below caseload and write notifications
(``olteams.Notification`` with a ``dedupe_key`` and a ``client_id``). ``system_tasks_sync``,
run by beat after those jobs, turns each open reminder that asks for work on a client into a
``Task`` of its recipient, once: the (assignee, dedupe_key) unique constraint decides, so a
second run, or two at once, create nothing. Completing the task closes the reminder.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caseload.constants import (
    SYSTEM_TASK_KEY_PREFIXES,
    SYSTEM_TASK_NOTIFICATION_KINDS,
    TaskSource,
)
from caseload.models import MdoItem, Task
from caseload.services._common import raise_if, today_or
from clients.models import Client
from olteams.access import ClientAction, active_on, can, team_ids_for
from olteams.constants import TeamRole
from olteams.models import Membership, Notification, Team, User
from olteams.services import notifications_close

logger = logging.getLogger(__name__)

TITLE_MAX = 200

# The task's title per kind of reminder: the reminder's own title names the client, the
# task does not (the task list names the client only to who may see them).
SYSTEM_TASK_TITLES = {
    "herstelplan:plan-review:": gettext_lazy("Herstelplan evalueren"),
    "herstelplan:goal-review:": gettext_lazy("Doel uit het herstelplan evalueren"),
    "herstelplan:iroc-due:": gettext_lazy("I.ROC invullen"),
    "herstelplan:naaste-zag:": gettext_lazy("Jaarlijks gesprek met naaste voeren"),
    "wmo-expiry:": gettext_lazy("Vervolgindicatie Wmo aanvragen"),
}


def _is_team_member(user: Any, team_id: int, day: dt.date) -> bool:
    return Membership.objects.filter(
        active_on(day), user=user, team_id=team_id, user__is_active=True
    ).exists()


def _check_fields(
    errors: dict[str, str],
    *,
    team: Team,
    assignee: Any,
    title: str,
    client: Client | None,
    due_on: Any,
    actor: User,
    day: dt.date,
) -> None:
    if not title:
        errors["title"] = _("Geef de taak een titel.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("Een titel is hoogstens %(n)s tekens.") % {"n": TITLE_MAX}
    if assignee is None or not _is_team_member(assignee, team.pk, day):
        errors["assignee"] = _("Kies een medewerker van het team.")
    if due_on is not None and not isinstance(due_on, dt.date):
        errors["due_on"] = _("Vul een datum in.")
    if client is not None and (
        client.team_id != team.pk or not can(actor, client, ClientAction.CHANGE, today=day)
    ):
        errors["client"] = _("Kies een cliënt van dit team.")


@transaction.atomic
def task_create(
    *,
    actor: User,
    team: Team,
    assignee: Any,
    title: str,
    description: str = "",
    client: Client | None = None,
    due_on: dt.date | None = None,
    source: str = TaskSource.USER,
    mdo_item: MdoItem | None = None,
    today: dt.date | None = None,
) -> Task:
    """A task for a member of ``team``, made by a member of that team. A task about a
    client needs the actor's access to the client (the client must be the team's)."""
    day = today_or(today)
    if team.pk not in team_ids_for(actor, today=day):
        raise PermissionDenied(_("U werkt niet in dit team."))
    title = (title or "").strip()
    errors: dict[str, str] = {}
    _check_fields(
        errors,
        team=team,
        assignee=assignee,
        title=title,
        client=client,
        due_on=due_on,
        actor=actor,
        day=day,
    )
    raise_if(errors)
    task = Task.objects.create(
        title=title,
        description=(description or "").strip(),
        team=team,
        assignee=assignee,
        client=client,
        due_on=due_on,
        source=source,
        mdo_item=mdo_item,
        created_by=actor,
    )
    logger.info("task created task_id=%s team_id=%s source=%s", task.pk, team.pk, source)
    return task


def can_manage_task(user: User, task: Task, *, today: dt.date | None = None) -> bool:
    """The assignee, the one who made it, and the team's lead may change or complete a task."""
    if task.assignee_id == user.pk or (task.created_by_id and task.created_by_id == user.pk):
        return True
    return task.team_id in team_ids_for(user, roles=(TeamRole.LEAD,), today=today)


def _require_manage(actor: User, task: Task) -> None:
    if not can_manage_task(actor, task):
        raise PermissionDenied(_("Alleen de medewerker, de maker en de teamleider mogen dit."))


@transaction.atomic
def task_update(
    *,
    actor: User,
    task: Task,
    title: str | None = None,
    description: str | None = None,
    assignee: Any = None,
    due_on: Any = ...,
    today: dt.date | None = None,
) -> Task:
    """Change the title, description, assignee or due date of an open task."""
    _require_manage(actor, task)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.is_done:
        raise ValidationError({"task": _("Een afgeronde taak wijzigt u niet meer.")})
    new_title = task.title if title is None else title.strip()
    new_assignee = task.assignee if assignee is None else assignee
    new_due = task.due_on if due_on is ... else due_on
    errors: dict[str, str] = {}
    _check_fields(
        errors,
        team=task.team,
        assignee=new_assignee,
        title=new_title,
        client=None,  # the client does not change; access was checked when it was made
        due_on=new_due,
        actor=actor,
        day=today_or(today),
    )
    raise_if(errors)
    task.title, task.assignee, task.due_on = new_title, new_assignee, new_due
    if description is not None:
        task.description = description.strip()
    task.save()
    return task


@transaction.atomic
def task_complete(*, actor: User, task: Task, now: dt.datetime | None = None) -> Task:
    """Mark the task done (by whom, when). A system task is one reminder for the whole care
    team: the same reminder's tasks of the others are done too, and its notices closed.
    Completing a done task changes nothing."""
    _require_manage(actor, task)
    moment = now or timezone.now()
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.is_done:
        return task
    task.done_at, task.done_by = moment, actor
    task.save(update_fields=["done_at", "done_by"])
    if task.source == TaskSource.SYSTEM and task.dedupe_key:
        Task.objects.filter(dedupe_key=task.dedupe_key, done_at__isnull=True).update(
            done_at=moment, done_by=actor
        )
        notifications_close(dedupe_keys=[task.dedupe_key], now=moment)
    logger.info("task completed task_id=%s", task.pk)
    return task


@transaction.atomic
def task_delete(*, actor: User, task: Task) -> None:
    """Remove a task made by mistake: only an open task made by a person (not a reminder,
    not an MDO follow-up, which the meeting's record refers to)."""
    _require_manage(actor, task)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.source != TaskSource.USER or task.is_done:
        raise ValidationError(
            {"task": _("Alleen een open taak die een medewerker maakte, kan weg.")}
        )
    task.delete()


def _system_title(key: str) -> str | None:
    for prefix, title in SYSTEM_TASK_TITLES.items():
        if key.startswith(prefix):
            return str(title)
    return None


def system_tasks_sync(*, today: dt.date | None = None) -> int:
    """Turn each open reminder of the daily jobs that asks for work on a client into a
    system task of its recipient (team: the client's; due: the reminder's date; link: where
    to act). Idempotent: a reminder already turned into a task is skipped by the unique
    (assignee, dedupe_key) constraint. Returns the number of tasks created."""
    starts = Q()
    for prefix in SYSTEM_TASK_KEY_PREFIXES:
        starts |= Q(dedupe_key__startswith=prefix)
    reminders = (
        Notification.objects.filter(
            starts,
            kind__in=SYSTEM_TASK_NOTIFICATION_KINDS,
            client_id__isnull=False,
            read_at__isnull=True,
        )
        .exclude(
            Exists(
                Task.objects.filter(
                    assignee_id=OuterRef("recipient_id"), dedupe_key=OuterRef("dedupe_key")
                )
            )
        )
        .order_by("pk")
    )
    teams = dict(
        Client.objects.filter(pk__in=reminders.values("client_id")).values_list("pk", "team_id")
    )
    tasks = []
    for n in reminders:
        title = _system_title(n.dedupe_key)
        if title is None or n.client_id not in teams:
            continue
        tasks.append(
            Task(
                title=title,
                team_id=teams[n.client_id],
                assignee_id=n.recipient_id,
                client_id=n.client_id,
                due_on=n.due_on,
                source=TaskSource.SYSTEM,
                dedupe_key=n.dedupe_key,
                url=n.url,
            )
        )
    Task.objects.bulk_create(tasks, ignore_conflicts=True)
    logger.info("system tasks synced today=%s created=%s", today_or(today), len(tasks))
    return len(tasks)


@transaction.atomic
def tasks_close_for_client(*, client: Client, actor: User, now: dt.datetime | None = None) -> int:
    """Care ended (outflow): the client's open system tasks ask for nothing any more."""
    return Task.objects.filter(
        client=client, source=TaskSource.SYSTEM, done_at__isnull=True
    ).update(done_at=now or timezone.now(), done_by=actor)
