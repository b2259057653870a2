"""Reads of tasks and MDO meetings: "Mijn taken", the team's tasks, the client's open tasks,
the team's meetings. A task's client is named only to a reader the access policy lets see
the client today (``client_visible``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from caseload.constants import TaskState
from caseload.models import MdoItem, MdoMeeting, Task
from clients.models import Client
from olteams.access import ClientAction, clients_visible_to, team_ids_for
from olteams.constants import TeamRole
from olteams.models import User
from olteams.request_cache import known_absent


def _with_visibility(qs: QuerySet[Task], user: User, day: dt.date) -> QuerySet[Task]:
    visible = clients_visible_to(user, today=day).filter(pk=OuterRef("client_id"))
    return qs.annotate(client_visible=Exists(visible))


def _in_state(qs: QuerySet[Task], state: str, day: dt.date) -> QuerySet[Task]:
    if state == TaskState.DONE:
        return qs.filter(done_at__isnull=False).order_by("-done_at", "-id")
    qs = qs.filter(done_at__isnull=True)
    if state == TaskState.OVERDUE:
        qs = qs.filter(due_on__lt=day)
    return qs.order_by("due_on", "id")


def task_list(
    *,
    user: User,
    state: str = TaskState.OPEN,
    team_id: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[Task]:
    """The user's own tasks, or with ``team_id`` the team's tasks (its lead only; another
    team is "not found")."""
    day = today or timezone.localdate()
    if team_id is None:
        qs = Task.objects.filter(assignee=user)
    else:
        if team_id not in team_ids_for(user, roles=(TeamRole.LEAD,), today=day):
            raise Http404
        qs = Task.objects.filter(team_id=team_id)
    qs = qs.select_related("assignee", "client", "created_by", "done_by", "team")
    return _in_state(_with_visibility(qs, user, day), state, day)


def task_open_count(*, user: User) -> int:
    """The user's open tasks."""
    return Task.objects.filter(assignee=user, done_at__isnull=True).count()


def open_tasks_of_user() -> QuerySet[Task]:
    """The badge beside "Mijn taken": the open tasks of the user row ``OuterRef("pk")``
    (the header counts it in its one query on the user)."""
    return Task.objects.filter(assignee_id=OuterRef("pk"), done_at__isnull=True)


def task_get(*, user: User, task_id: Any, today: dt.date | None = None) -> Task:
    """One task the user may see: theirs, made by them, or of a team they lead; a task about
    a client also needs access to the client. Missing and not-yours are both 404."""
    day = today or timezone.localdate()
    try:
        pk = int(task_id)
    except (TypeError, ValueError):
        raise Http404 from None
    lead_teams = team_ids_for(user, roles=(TeamRole.LEAD,), today=day)
    task = (
        _with_visibility(Task.objects.select_related("assignee", "client", "team"), user, day)
        .filter(Q(assignee=user) | Q(created_by=user) | Q(team_id__in=lead_teams), pk=pk)
        .first()
    )
    if task is None or (task.client_id is not None and not getattr(task, "client_visible", False)):
        raise Http404
    return task


def client_open_tasks(*, client: Client) -> list[Task]:
    """The client's open tasks for the box on the client file (the reader may see the
    client: the page checked it). No query when the client's row says there are none."""
    if known_absent(client, "open_tasks"):
        return []
    return list(
        Task.objects.filter(client=client, done_at__isnull=True)
        .select_related("assignee")
        .order_by("due_on", "id")
    )


def task_client_choices(*, user: User, team_ids: list[int], today: dt.date | None = None) -> Any:
    """The clients a task may be about: the user's teams' clients they may change."""
    return (
        clients_visible_to(user, action=ClientAction.CHANGE, today=today)
        .filter(team_id__in=team_ids)
        .order_by("last_name", "first_name", "id")
    )


# --- MDO meetings ---------------------------------------------------------------------------


def mdo_meeting_list(*, team_id: int) -> QuerySet[MdoMeeting]:
    return (
        MdoMeeting.objects.filter(team_id=team_id)
        .select_related("chair")
        .annotate(client_count=Count("items"))
        .order_by("-starts_at", "-id")
    )


def mdo_meeting_get(
    *, user: User, meeting_id: Any, roles: Any, today: dt.date | None = None
) -> Any:
    """One meeting of a team where the user has one of ``roles``; else 404. Its items with
    their clients and follow-up tasks, and its attendees, are read with it."""
    try:
        pk = int(meeting_id)
    except (TypeError, ValueError):
        raise Http404 from None
    teams = team_ids_for(user, roles=roles, today=today)
    meeting = (
        MdoMeeting.objects.filter(pk=pk, team_id__in=teams)
        .select_related("team", "chair", "closed_by")
        .prefetch_related(
            "attendees",
            Prefetch(
                "items",
                MdoItem.objects.select_related("client").prefetch_related(
                    Prefetch("tasks", Task.objects.select_related("assignee", "done_by"))
                ),
            ),
        )
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting
