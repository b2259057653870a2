"""Demo tasks and MDO meetings: the reminders of the daily jobs (the Wmo demo ran its sweeps)
become tasks, the demo team member gets a few tasks of their own (one overdue, one done),
and the demo team lead has held one MDO (closed, decisions in the files) and planned the
next from the MDO list. Idempotent: skipped when the demo team already has an MDO."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from caseload.models import MdoMeeting
from caseload.selectors.overviews import mdo_list
from caseload.selectors.pages import my_caseload_list
from caseload.services.mdo import mdo_item_record, mdo_meeting_close, mdo_meeting_create
from caseload.services.tasks import system_tasks_sync, task_complete, task_create
from clients.selectors import team_workers
from olteams.constants import TeamRole
from olteams.models import Membership

DEMO_MEMBER = "demo.teamlid"
DEMO_LEAD = "demo.teamleider"


def seed_tasks_and_mdo(*, today: dt.date) -> None:
    system_tasks_sync(today=today)
    users = get_user_model().objects
    member = users.filter(username=DEMO_MEMBER).first()
    lead = users.filter(username=DEMO_LEAD).first()
    membership = Membership.objects.filter(user=lead, role=TeamRole.LEAD).first()
    if member is None or lead is None or membership is None:
        return
    team = membership.team
    if MdoMeeting.objects.filter(team=team).exists():
        return
    mine = list(my_caseload_list(user=member, today=today)[:3])
    _own_tasks(member, lead, team, mine, today)
    _meetings(lead, member, team, today)


def _own_tasks(member, lead, team, clients, today: dt.date) -> None:  # type: ignore[no-untyped-def]
    first = clients[0] if clients else None
    task_create(
        actor=lead,
        team=team,
        assignee=member,
        title="Huisarts terugbellen over de medicatie",
        client=first,
        due_on=today - dt.timedelta(days=2),
        today=today,
    )
    task_create(
        actor=member,
        team=team,
        assignee=member,
        title="Verslag voor het wijkteamoverleg afronden",
        due_on=today + dt.timedelta(days=3),
        today=today,
    )
    done = task_create(
        actor=member,
        team=team,
        assignee=member,
        title="Afspraak met de woningcorporatie bevestigen",
        client=clients[1] if len(clients) > 1 else None,
        today=today,
    )
    task_complete(actor=member, task=done)


def _meetings(lead, member, team, today: dt.date) -> None:  # type: ignore[no-untyped-def]
    rows = mdo_list(user=lead, team=team, today=today)
    if not rows:
        return
    workers = [w.pk for w in team_workers(team_id=team.pk, today=today)]
    held = today - dt.timedelta(days=7)
    meeting = mdo_meeting_create(
        actor=lead,
        team=team,
        starts_at=timezone.make_aware(dt.datetime.combine(held, dt.time(13, 0))),
        chair=lead,
        attendee_ids=workers,
        client_ids=[r.client.pk for r in rows[:2]],
        reasons={r.client.pk: ", ".join(r.reasons) for r in rows[:2]},
        today=today,
    )
    for n, item in enumerate(meeting.items.all()):
        mdo_item_record(
            actor=lead,
            item=item,
            summary="Besproken met het team; de casemanager licht de situatie toe.",
            decisions=(
                "Contactfrequentie verhogen naar twee keer per week."
                if n == 0
                else "Evaluatie herstelplan binnen twee weken plannen."
            ),
            follow_ups=[
                {
                    "title": "Afspraak maken met cliënt en naaste",
                    "assignee": member if member.pk in workers else lead,
                    "due_on": today + dt.timedelta(days=5),
                }
            ],
            today=today,
        )
    mdo_meeting_close(
        actor=lead,
        meeting=meeting,
        now=timezone.make_aware(dt.datetime.combine(held, dt.time(14, 30))),
    )
    mdo_meeting_create(
        actor=lead,
        team=team,
        starts_at=timezone.make_aware(
            dt.datetime.combine(today + dt.timedelta(days=7), dt.time(13, 0))
        ),
        chair=lead,
        attendee_ids=workers,
        client_ids=[r.client.pk for r in rows[:5]],
        reasons={r.client.pk: ", ".join(r.reasons) for r in rows[:5]},
        today=today,
    )
