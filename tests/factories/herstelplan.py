"""Test data for the herstelplan app, created through its services where rules apply."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from clients.constants import AssignmentRole, OutflowReason, Phase
from clients.models import Assignment, CareEpisode, PhaseTransition
from herstelplan import services
from herstelplan.constants import AgreementMethod
from herstelplan.models import HonosAssessment, IrocAssessment, Plan


def iroc_answers(
    scores: Sequence[int] | int = 3, notes: dict[int, str] | None = None
) -> list[dict]:
    values = [scores] * 12 if isinstance(scores, int) else list(scores)
    return [
        {"indicator": n, "score": s, "note": (notes or {}).get(n, "")}
        for n, s in enumerate(values, start=1)
    ]


def make_iroc(
    client,
    by,
    *,
    date: dt.date,
    scores: Sequence[int] | int = 3,
    filled_in_with: str = "Cliënt en casemanager",
) -> IrocAssessment:
    return services.iroc_assessment_create(
        actor=by,
        client=client,
        date=date,
        filled_in_with=filled_in_with,
        answers=iroc_answers(scores),
        today=date,
    )


def make_honos(
    client, rater, *, date: dt.date, scores: Sequence[int] | int = 1, problem_type: str = "B"
) -> HonosAssessment:
    values = [scores] * 12 if isinstance(scores, int) else list(scores)
    item_8 = values[7]
    return services.honos_assessment_create(
        actor=rater,
        client=client,
        date=date,
        scores=dict(enumerate(values, start=1)),
        item_8_problem_type=problem_type if 1 <= item_8 <= 4 else "",
        today=date,
    )


def make_plan(
    client,
    actor,
    *,
    goals: Sequence[tuple[str, Sequence[int]]] = (("Weer werken", (6,)),),
    agreed_on: dt.date | None = None,
    activate: bool = False,
    now: dt.datetime | None = None,
    **fields,
) -> Plan:
    """A draft (optionally agreed and activated) with the given goals."""
    plan = services.plan_create(actor=actor, client=client, now=now)
    if fields:
        plan = services.plan_update(
            actor=actor, plan=plan, lock_version=plan.lock_version, now=now, **fields
        )
    for priority, (text, indicators) in enumerate(goals, start=1):
        services.goal_create(
            actor=actor,
            plan=plan,
            lock_version=plan.lock_version,
            text=text,
            priority=priority,
            indicators=indicators,
            now=now,
        )
        plan.refresh_from_db()
    if agreed_on or activate:
        plan = services.plan_agreement_record(
            actor=actor,
            plan=plan,
            lock_version=plan.lock_version,
            agreed_on=agreed_on or timezone.localdate(now),
            agreed_how=AgreementMethod.PAPER,
            now=now,
        )
    if activate:
        plan = services.plan_activate(
            actor=actor, plan=plan, lock_version=plan.lock_version, now=now
        )
    plan.refresh_from_db()
    return plan


def put_in_care(client, worker, *, on):
    """An episode in care from ``on`` (with its transition) and ``worker`` as casemanager."""
    episode = CareEpisode.objects.create(client=client, phase=Phase.IN_CARE, started_on=on)
    PhaseTransition.objects.create(episode=episode, to_phase=Phase.IN_CARE, on=on, by=worker)
    Assignment.objects.create(
        client=client, worker=worker, role=AssignmentRole.CASEMANAGER, start_date=on
    )
    return episode


def end_care(client, worker, *, on):
    """Outflow on ``on``: the episode ends and the care team stops."""
    episode = CareEpisode.objects.get(client=client, ended_on__isnull=True)
    PhaseTransition.objects.create(
        episode=episode, from_phase=episode.phase, to_phase=Phase.OUTFLOW, on=on, by=worker
    )
    episode.phase, episode.ended_on = Phase.OUTFLOW, on
    episode.outflow_reason = OutflowReason.GOALS_MET
    episode.save()
    Assignment.objects.filter(client=client).update(end_date=on)
