"""Reminders of the daily job: plan and goal evaluations, I.ROC and naaste meetings due."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Max, Min
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from clients.models import Assignment, Naaste
from herstelplan.constants import REVIEW_NOTICE_DAYS, GoalStatus, PlanStatus
from herstelplan.models import Evaluation, Goal, IrocAssessment, Plan, TeamInstrumentSettings
from herstelplan.selectors.figures import clients_in_care
from herstelplan.selectors.instruments import iroc_due_date
from olteams.access import active_on
from olteams.constants import NotificationKind
from olteams.models import User
from olteams.services import notification_create


def _care_teams(client_ids: set[int], today: dt.date) -> dict[int, list[User]]:
    """Who is assigned to each client today: they receive the client's reminders."""
    rows = Assignment.objects.filter(
        active_on(today, start="start_date", end="end_date"), client_id__in=client_ids
    ).select_related("worker")
    teams: dict[int, list[User]] = defaultdict(list)
    for row in rows:
        if row.worker.is_active:
            teams[row.client_id].append(row.worker)
    return teams


def _date(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _notify(
    teams: dict[int, list[User]], client_id: int, *, title: str, url: str, key: str, due: dt.date
) -> int:
    recipients = teams.get(client_id, [])
    if not recipients:
        return 0
    return notification_create(
        recipients=recipients,
        title=title,
        kind=NotificationKind.REMINDER,
        url=url,
        dedupe_key=key,
        due_on=due,
        client_id=client_id,
    )


def _plan_reviews(client_ids: set[int], teams: dict, horizon: dt.date) -> int:
    created = 0
    plans = Plan.objects.filter(
        client_id__in=client_ids, status=PlanStatus.ACTIVE, review_date__lte=horizon
    ).select_related("client")
    done = dict(
        Evaluation.objects.filter(plan__in=plans, goal__isnull=True)
        .values("plan_id")
        .annotate(last=Max("date"))
        .values_list("plan_id", "last")
    )
    for plan in plans:
        assert plan.review_date is not None  # filtered on review_date__lte
        if done.get(plan.pk) and done[plan.pk] >= plan.review_date:
            continue
        created += _notify(
            teams,
            plan.client_id,
            title=_("Evaluatie herstelplan %(name)s uiterlijk %(date)s")
            % {"name": plan.client.full_name, "date": _date(plan.review_date)},
            url=reverse("herstelplan:plan-detail", args=[plan.client_id, plan.pk]),
            key=f"herstelplan:plan-review:{plan.pk}:{plan.review_date.isoformat()}",
            due=plan.review_date,
        )
    return created


def _goal_reviews(client_ids: set[int], teams: dict, horizon: dt.date) -> int:
    created = 0
    goals = (
        Goal.objects.filter(
            plan__client_id__in=client_ids,
            plan__status=PlanStatus.ACTIVE,
            status=GoalStatus.ACTIVE,
            evaluation_date__lte=horizon,
        )
        .select_related("plan__client")
        .annotate(last=Max("evaluations__date"))
    )
    for goal in goals:
        assert goal.evaluation_date is not None  # filtered on evaluation_date__lte
        if goal.last and goal.last >= goal.evaluation_date:
            continue
        created += _notify(
            teams,
            goal.plan.client_id,
            title=_('Evaluatie doel "%(goal)s" van %(name)s uiterlijk %(date)s')
            % {
                "goal": goal.text[:60],
                "name": goal.plan.client.full_name,
                "date": _date(goal.evaluation_date),
            },
            url=reverse("herstelplan:plan-detail", args=[goal.plan.client_id, goal.plan_id]),
            key=f"herstelplan:goal-review:{goal.pk}:{goal.evaluation_date.isoformat()}",
            due=goal.evaluation_date,
        )
    return created


def _iroc_due(clients: list, teams: dict, horizon: dt.date, today: dt.date) -> int:
    created = 0
    ids = [c.pk for c in clients]
    last = dict(
        IrocAssessment.objects.filter(client_id__in=ids)
        .values("client_id")
        .annotate(d=Max("date"))
        .values_list("client_id", "d")
    )
    care_start = dict(
        Assignment.objects.filter(client_id__in=ids)
        .values("client_id")
        .annotate(d=Min("start_date"))
        .values_list("client_id", "d")
    )
    settings = {
        s.team_id: s
        for s in TeamInstrumentSettings.objects.filter(team_id__in={c.team_id for c in clients})
    }
    for client in clients:
        if client.pk in last:
            due = iroc_due_date(
                client=client,
                today=today,
                last_date=last[client.pk],
                settings=settings.get(client.team_id)
                or TeamInstrumentSettings(team_id=client.team_id),
            )
        else:  # never measured: due since the start of care
            due = care_start.get(client.pk, today)
        if due > horizon:
            continue
        created += _notify(
            teams,
            client.pk,
            title=_("I.ROC van %(name)s invullen uiterlijk %(date)s")
            % {"name": client.full_name, "date": _date(due)},
            url=reverse("herstelplan:iroc-list", args=[client.pk]),
            key=f"herstelplan:iroc-due:{client.pk}:{due.isoformat()}",
            due=due,
        )
    return created


def _naaste_meetings(client_ids: set[int], teams: dict, horizon: dt.date) -> int:
    created = 0
    naasten = Naaste.objects.filter(
        client_id__in=client_ids, ended_on__isnull=True, zag_due_on__lte=horizon
    ).select_related("client")
    for naaste in naasten:
        assert naaste.zag_due_on is not None  # filtered on zag_due_on__lte
        created += _notify(
            teams,
            naaste.client_id,
            title=_("Jaarlijks gesprek met naaste %(naaste)s (%(name)s) uiterlijk %(date)s")
            % {
                "naaste": naaste.name,
                "name": naaste.client.full_name,
                "date": _date(naaste.zag_due_on),
            },
            url=reverse("herstelplan:client-overview", args=[naaste.client_id]),
            key=f"herstelplan:naaste-zag:{naaste.pk}:{naaste.zag_due_on.isoformat()}",
            due=naaste.zag_due_on,
        )
    return created


def plan_reminders_create(*, today: dt.date) -> dict[str, int]:
    """Remind each client's care team, 14 days ahead and until done, of: the plan's review
    date, goal evaluation dates, the next I.ROC (team interval, 3 months by default) and the
    yearly meeting with each naaste. Every reminder carries a dedupe key of the thing and its
    due date, so running twice on one day (or on later days) never repeats one."""
    horizon = today + dt.timedelta(days=REVIEW_NOTICE_DAYS)
    clients = list(
        clients_in_care(today=today).only("pk", "team_id", "first_name", "name_prefix", "last_name")
    )
    ids = {c.pk for c in clients}
    teams = _care_teams(ids, today)
    return {
        "plan_reviews": _plan_reviews(ids, teams, horizon),
        "goal_reviews": _goal_reviews(ids, teams, horizon),
        "iroc_due": _iroc_due(clients, teams, horizon, today),
        "naaste_meetings": _naaste_meetings(ids, teams, horizon),
    }
