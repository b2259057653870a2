"""Test data for the herstelplan app (synthetic only).

Model factories (``PlanFactory`` and its ``active`` trait, ``GoalFactory``,
``GoalActionFactory``, ``EvaluationFactory``, ``RecoveryPhaseFactory``) for rows a test only
needs to exist; the ``make_*`` helpers go through the services where the rules matter
(scores, versions, agreement, activation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import factory
from django.utils import timezone

from clients.constants import AssignmentRole, OutflowReason, Phase
from clients.models import Assignment, CareEpisode, PhaseTransition
from herstelplan import services
from herstelplan.constants import (
    ActionPerformer,
    AgreementMethod,
    EvaluationOutcome,
    PlanStatus,
    RecoveryPhaseNumber,
)
from herstelplan.models import (
    Evaluation,
    Goal,
    GoalAction,
    HonosAssessment,
    IrocAssessment,
    Plan,
    RecoveryPhase,
)
from olteams.access import PortalPrincipal
from tests.factories.clients import ClientFactory
from tests.factories.olteams import UserFactory

PLAN_START = dt.date(2026, 1, 1)


class PlanFactory(factory.django.DjangoModelFactory):
    """A draft plan (version 1); ``PlanFactory(active=True)`` an agreed, active one."""

    class Meta:
        model = Plan

    client = factory.SubFactory(ClientFactory)
    version = 1
    status = PlanStatus.DRAFT
    created_by = factory.SubFactory(UserFactory)
    updated_by = factory.SelfAttribute("created_by")

    class Params:
        active = factory.Trait(
            status=PlanStatus.ACTIVE,
            valid_from=PLAN_START,
            agreed_on=PLAN_START,
            agreed_how=AgreementMethod.PAPER,
            agreed_recorded_by=factory.SelfAttribute("created_by"),
            activated_on=PLAN_START,
        )


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(PlanFactory)
    text = "Ik wil weer een dag per week naar buiten."
    priority = factory.Sequence(lambda n: n % 9 + 1)


class GoalActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalAction

    goal = factory.SubFactory(GoalFactory)
    description = "Samen een wandelroute zoeken"
    performer = ActionPerformer.CLIENT


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    plan = factory.SubFactory(PlanFactory, active=True)
    date = PLAN_START + dt.timedelta(days=30)
    text = "Het gaat goed, we gaan door."
    outcome = EvaluationOutcome.CONTINUE
    by = factory.SelfAttribute("plan.created_by")


class RecoveryPhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecoveryPhase

    client = factory.SubFactory(ClientFactory)
    phase = RecoveryPhaseNumber.STRUGGLING
    date = PLAN_START
    set_with = "Cliënt en casemanager"
    recorded_by = factory.SubFactory(UserFactory)


def active_plan(
    client,
    user,
    goals: Sequence[str] = (
        "Ik wil mijn post zelf bijhouden.",
        "Ik wil weer een dag per week naar buiten.",
    ),
) -> list[Goal]:
    """An agreed, active Herstelplan (from 2026-01-01) with running goals in the client's
    words; returns the goals."""
    plan = PlanFactory(client=client, created_by=user, active=True)
    return [GoalFactory(plan=plan, text=text, priority=i) for i, text in enumerate(goals, start=1)]


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


def signal_plan_in_force(client, user, *, agreed_on=None, red_signs="Ik slaap niet meer."):
    """A signaleringsplan that the client agreed to (through the services), with two crisis
    contacts; returns the plan in force."""
    draft = services.signal_plan_create(actor=user, client=client)
    draft = services.signal_plan_update(
        actor=user,
        plan=draft,
        lock_version=draft.lock_version,
        red_signs=red_signs,
        red_client="Ik bel mijn zus.",
        red_team="De casemanager komt langs.",
        admission_care="Mijn zus zorgt voor de kat.",
        contacts=[
            {"name": "Crisisdienst", "role": "crisisdienst", "phone": "088 123 45 67"},
            {"name": "Dokter Jansen", "role": "huisarts", "phone": "020-1234567"},
        ],
    )
    return services.signal_plan_agree(
        actor=user,
        plan=draft,
        lock_version=draft.lock_version,
        agreed_on=agreed_on or dt.date(2026, 3, 2),
        agreed_how="paper",
    )


def portal_principal_of(account) -> PortalPrincipal:
    """The principal a ``clients.PortalAccount`` is when signed in with DigiD."""
    return PortalPrincipal(
        account_id=account.pk,
        kind=account.kind,
        client_id=account.client_id,
        naaste_id=account.naaste_id,
        name="",
        method="digid",
    )


def make_self_iroc(account, *, scores: Sequence[int] | int = 4, now: dt.datetime | None = None):
    """The client's own I.ROC, filled in in the portal (an ``IrocSelfAssessment``)."""
    return services.iroc_self_assessment_create(
        principal=portal_principal_of(account),
        client=account.client,
        answers=iroc_answers(scores),
        now=now,
    )
