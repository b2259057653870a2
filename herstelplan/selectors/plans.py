"""Reads of the Herstelplan: versions, the detail page, history and what is overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from clients.models import Client
from herstelplan.constants import GoalStatus, PlanStatus
from herstelplan.models import (
    Evaluation,
    Goal,
    GoalAction,
    IrocIndicator,
    Plan,
    PlanChange,
    PlanComment,
)
from herstelplan.selectors.instruments import iroc_latest_scores


def plan_list(*, client: Client) -> QuerySet[Plan]:
    return (
        Plan.objects.filter(client=client)
        .select_related("created_by", "updated_by", "agreed_recorded_by")
        .order_by("-version")
    )


def plan_get(*, client: Client, plan_id: int | str) -> Plan:
    """A plan version of this client; another client's plan answers 404 like a missing one."""
    plan = plan_list(client=client).filter(pk=plan_id).first() if str(plan_id).isdigit() else None
    if plan is None:
        raise Http404
    return plan


def plan_active(*, client: Client) -> Plan | None:
    return plan_list(client=client).filter(status=PlanStatus.ACTIVE).first()


def plan_draft(*, client: Client) -> Plan | None:
    return plan_list(client=client).filter(status=PlanStatus.DRAFT).first()


@dataclass
class GoalRow:
    goal: Goal
    indicators: list[tuple[IrocIndicator, int | None]]

    @property
    def actions(self) -> list[GoalAction]:
        return list(self.goal.actions.all())

    @property
    def evaluations(self) -> list[Evaluation]:
        return list(self.goal.evaluations.all())


@dataclass
class PlanDetail:
    plan: Plan
    goals: list[GoalRow]
    evaluations: list[Evaluation]
    latest_scores: dict[int, int] = field(default_factory=dict)

    @property
    def running_goals(self) -> list[GoalRow]:
        return [g for g in self.goals if g.goal.status == GoalStatus.ACTIVE]


def plan_detail(*, plan: Plan) -> PlanDetail:
    """Goals with their indicators (and the latest I.ROC score of each), actions and
    evaluations, in a fixed number of queries."""
    goals = list(
        plan.goals.prefetch_related(
            "indicators",
            Prefetch(
                "actions", queryset=GoalAction.objects.select_related("worker", "organisation")
            ),
            Prefetch("evaluations", queryset=Evaluation.objects.select_related("by")),
        ).order_by("priority", "id")
    )
    scores = iroc_latest_scores(client=plan.client)
    rows = [GoalRow(g, [(i, scores.get(i.number)) for i in g.indicators.all()]) for g in goals]
    evaluations = list(
        plan.evaluations.filter(goal__isnull=True).select_related("by").order_by("-date", "-id")
    )
    return PlanDetail(plan, rows, evaluations, scores)


def plan_change_list(*, plan: Plan) -> QuerySet[PlanChange]:
    return plan.changes.select_related("changed_by").order_by("-changed_at", "-id")


def _plan_overdue_q(today: dt.date) -> Q:
    """Active plans with a review or goal evaluation date passed without an evaluation."""
    plan_review_done = Evaluation.objects.filter(
        plan=OuterRef("pk"), goal__isnull=True, date__gte=OuterRef("review_date")
    )
    goal_done = Evaluation.objects.filter(
        goal=OuterRef("pk"), date__gte=OuterRef("evaluation_date")
    )
    goal_overdue = Goal.objects.filter(
        plan=OuterRef("pk"), status=GoalStatus.ACTIVE, evaluation_date__lt=today
    ).exclude(Exists(goal_done))
    return (Q(review_date__lt=today) & ~Exists(plan_review_done)) | Exists(goal_overdue)


def plans_overdue(*, today: dt.date | None = None) -> QuerySet[Plan]:
    today = today or timezone.localdate()
    return Plan.objects.filter(_plan_overdue_q(today), status=PlanStatus.ACTIVE)


def plan_overdue_items(*, detail: PlanDetail, today: dt.date | None = None) -> list[str]:
    """Human-readable list of overdue evaluations of one plan (uses the prefetched detail)."""
    today = today or timezone.localdate()
    plan = detail.plan
    items: list[str] = []
    if plan.status != PlanStatus.ACTIVE:
        return items
    if (
        plan.review_date
        and plan.review_date < today
        and not any(e.date >= plan.review_date for e in detail.evaluations)
    ):
        items.append("plan")
    for row in detail.running_goals:
        due = row.goal.evaluation_date
        if due and due < today and not any(e.date >= due for e in row.evaluations):
            items.append(f"goal:{row.goal.pk}")
    return items


# --- the client's own view (portal) and the inzage export --------------------------------


def plan_versions(*, client: Client) -> QuerySet[Plan]:
    """The versions that were agreed and in force (the one in force and the archived
    ones), newest first: what the client reads as "my plan" and its earlier versions."""
    return plan_list(client=client).exclude(status=PlanStatus.DRAFT)


def plan_comment_list(*, plan: Plan) -> QuerySet[PlanComment]:
    """The client's remarks on this version (written in the portal), oldest first."""
    return plan.comments.order_by("written_at", "id")


def plan_comments_of_client(*, client: Client) -> QuerySet[PlanComment]:
    """Every remark the client wrote in the portal, on any version, oldest first."""
    return (
        PlanComment.objects.filter(plan__client=client)
        .select_related("plan")
        .order_by("written_at", "id")
    )
