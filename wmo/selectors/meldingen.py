"""Reads of the municipal route: the consultant's meldingen, the team's new toewijzingen, one
melding with its goals and their attainment, and the report to the municipality."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Prefetch, QuerySet, Value, When
from django.http import Http404

from clients.constants import AssignmentRole
from clients.models import Assignment
from olteams.access import (
    ClientAction,
    active_on,
    can,
    clients_visible_to,
    municipality_ids_for,
    team_ids_for,
)
from olteams.disclosure import suppressed_count, suppressed_share
from olteams.models import User
from wmo.constants import SATISFIED_FROM, GoalResult, MeldingStatus
from wmo.models import GoalAttainment, GoalReview, Melding, SupportGoal


def _with_related(qs: QuerySet[Melding]) -> QuerySet[Melding]:
    return qs.select_related(
        "client",
        "municipality",
        "team",
        "naaste",
        "request",
        "intake_organisation",
        "registered_by",
    )


def melding_list(*, user: User, municipality_ids: list[int]) -> QuerySet[Melding]:
    """The consultant's meldingen: of their municipalities, open ones first."""
    open_first = Case(
        When(status__in=(MeldingStatus.GEMELD, MeldingStatus.ONDERZOEK), then=Value(0)),
        default=Value(1),
    )
    return (
        _with_related(
            Melding.objects.filter(municipality_id__in=municipality_ids).exclude(
                status=MeldingStatus.INGETROKKEN
            )
        )
        .annotate(open_first=open_first)
        .order_by("open_first", "-reported_on", "-id")
    )


def toewijzing_inbox(*, user: User, today: dt.date | None = None) -> QuerySet[Melding]:
    """'Nieuwe toewijzingen van de gemeente': decided meldingen addressed to the user's
    teams that the team has not taken up yet, the earliest intake deadline first."""
    teams = team_ids_for(user, today=today)
    visible = clients_visible_to(user, today=today).values("pk")
    return _with_related(
        Melding.objects.filter(
            team_id__in=teams,
            status=MeldingStatus.BESLOTEN,
            accepted_at__isnull=True,
            client_id__in=visible,
        )
    ).order_by("intake_due_on", "id")


def client_meldingen(*, user: User, client: Any) -> list[Melding]:
    """The client's meldingen on the Wmo tab: all for the team, the consultant's own
    municipality's for a consultant."""
    qs = Melding.objects.filter(client=client).exclude(status=MeldingStatus.INGETROKKEN)
    if not can(user, client, ClientAction.VIEW):
        qs = qs.filter(municipality_id__in=municipality_ids_for(user))
    return list(_with_related(qs).order_by("-reported_on", "-id"))


def melding_get(*, user: User, client: Any, pk: Any) -> Melding:
    """One melding of a client the caller already accessed (404 otherwise)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    qs = Melding.objects.filter(client=client)
    if not can(user, client, ClientAction.VIEW):
        qs = qs.filter(municipality_id__in=municipality_ids_for(user))
    melding = (
        _with_related(qs)
        .prefetch_related(
            "zrm_scores",
            "providers",
            Prefetch("goals", queryset=SupportGoal.objects.order_by("priority", "id")),
            "request__decisions__indication__arrangement",
            "request__decisions__indication__product",
        )
        .filter(pk=pk)
        .first()
    )
    if melding is None:
        raise Http404
    return melding


def is_consultant_of(*, user: User, melding: Melding) -> bool:
    return melding.municipality_id in municipality_ids_for(user)


def casusregisseur(*, client: Any, day: dt.date) -> Assignment | None:
    return (
        Assignment.objects.filter(
            active_on(day, start="start_date", end="end_date"),
            client=client,
            role=AssignmentRole.CASUSREGISSEUR,
        )
        .select_related("worker")
        .first()
    )


@dataclass
class GoalProgress:
    goal: SupportGoal
    latest: GoalAttainment | None
    history: list[GoalAttainment]
    plan_goal_count: int


def goal_progress(*, melding: Melding) -> tuple[list[GoalProgress], list[GoalReview]]:
    """Per support goal its latest result and history, and the reviews (newest first). Only
    the result, the short reason and the satisfaction: nothing of the plan's text."""
    reviews = list(
        GoalReview.objects.filter(melding=melding)
        .select_related("recorded_by")
        .prefetch_related("attainments")
        .order_by("-reviewed_on", "-id")
    )
    by_goal: dict[int, list[GoalAttainment]] = defaultdict(list)
    for review in reviews:
        for attainment in review.attainments.all():
            attainment.reviewed_on = review.reviewed_on  # type: ignore[attr-defined]
            by_goal[attainment.goal_id].append(attainment)
    rows = []
    for goal in melding.goals.all():
        history = by_goal.get(goal.pk, [])
        rows.append(
            GoalProgress(
                goal=goal,
                latest=history[0] if history else None,
                history=history,
                plan_goal_count=goal.plan_links.count(),
            )
        )
    return rows, reviews


@dataclass
class ReportRow:
    municipality: str
    arrangement: str
    clients: str
    goals: str
    behaald: str
    deels: str
    niet: str
    behaald_share: str
    satisfied_share: str


def goal_report(*, municipality_ids: list[int], start: dt.date, end: dt.date) -> list[ReportRow]:
    """Goal attainment per municipality and arrangement, from the latest review in the
    period of every client's melding; small numbers suppressed (``olteams.disclosure``)."""
    reviews = (
        GoalReview.objects.filter(
            melding__municipality_id__in=municipality_ids,
            reviewed_on__gte=start,
            reviewed_on__lte=end,
        )
        .select_related("melding__municipality", "melding__request")
        .prefetch_related("attainments", "melding__request__decisions__indication__arrangement")
        .order_by("melding_id", "-reviewed_on", "-id")
    )
    latest: dict[int, GoalReview] = {}
    for review in reviews:
        latest.setdefault(review.melding_id, review)
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for review in latest.values():
        melding = review.melding
        arrangement = "—"
        if melding.request is not None:
            for decision in melding.request.decisions.all():
                indication = getattr(decision, "indication", None)
                if indication is not None and indication.arrangement is not None:
                    arrangement = indication.arrangement.name
        key = (melding.municipality.name, arrangement)
        group = groups.setdefault(key, {"clients": set(), "results": Counter(), "satisfied": 0})
        group["clients"].add(melding.client_id)
        group["satisfied"] += int(review.satisfaction >= SATISFIED_FROM)
        for attainment in review.attainments.all():
            group["results"][attainment.result] += 1
    rows = []
    for (municipality, arrangement), group in sorted(groups.items()):
        results: Counter[str] = group["results"]
        goals = sum(results.values())
        clients = len(group["clients"])
        rows.append(
            ReportRow(
                municipality=municipality,
                arrangement=arrangement,
                clients=suppressed_count(clients),
                goals=suppressed_count(goals),
                behaald=suppressed_count(results[GoalResult.BEHAALD]),
                deels=suppressed_count(results[GoalResult.DEELS]),
                niet=suppressed_count(results[GoalResult.NIET]),
                behaald_share=suppressed_share(results[GoalResult.BEHAALD], goals),
                satisfied_share=suppressed_share(group["satisfied"], clients),
            )
        )
    return rows


@dataclass(frozen=True)
class MeldingClock:
    """The running term of a melding: the onderzoek (6 weeks), the beschikking (2 weeks
    after the aanvraag), then the team's intake (working days); None when none runs."""

    label: str
    deadline: dt.date
    days: int  # days left (negative: overdue)

    @property
    def state(self) -> str:
        if self.days < 0:
            return "late"
        return "last_day" if self.days == 0 else "running"


def melding_clock(melding: Melding, today: dt.date) -> MeldingClock | None:
    from django.utils.translation import gettext as _

    if melding.status == MeldingStatus.GEMELD:
        deadline, label = melding.onderzoek_deadline, _("onderzoek uiterlijk")
    elif melding.status == MeldingStatus.ONDERZOEK:
        deadline = melding.decision_deadline or melding.onderzoek_deadline
        label = _("besluit uiterlijk") if melding.decision_deadline else _("onderzoek uiterlijk")
    elif melding.status == MeldingStatus.BESLOTEN and melding.accepted_at is None:
        if melding.intake_due_on is None:
            return None
        deadline, label = melding.intake_due_on, _("intake uiterlijk")
    else:
        return None
    return MeldingClock(str(label), deadline, (deadline - today).days)


def team_staff(*, team_id: int, day: dt.date) -> list[tuple[User, str]]:
    """The team's workers with their mother organisation, for the intake and casusregisseur."""
    from olteams.models import Membership

    rows = (
        Membership.objects.filter(active_on(day), team_id=team_id, user__is_active=True)
        .exclude(role="secretariaat")
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    seen: dict[int, tuple[User, str]] = {}
    for m in rows:
        seen.setdefault(m.user_id, (m.user, m.organisation.short_name))
    return list(seen.values())


def team_organisations(*, team_id: int, day: dt.date) -> list[Any]:
    from olteams.models import Membership, Organisation

    ids = Membership.objects.filter(active_on(day), team_id=team_id).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))
