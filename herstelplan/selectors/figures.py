"""Per-team figures for the dashboards: measurement coverage, plans, and change over time.

"In care" on a day means: the client has a care episode whose latest phase transition on or
before that day is "in zorg" (the clients app's ``CareEpisode`` and ``PhaseTransition``), so the
figures are right for past days too. The caller decides whether the user may see the team
(``teams_visible_to``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone

from clients.constants import Phase
from clients.models import CareEpisode, Client, PhaseTransition
from herstelplan.constants import PlanStatus
from herstelplan.models import HonosAssessment, IrocAssessment, Plan
from herstelplan.selectors.instruments import team_instrument_settings_get
from herstelplan.selectors.plans import _plan_overdue_q


def clients_in_care(
    *, team_id: int | None = None, today: dt.date | None = None
) -> QuerySet[Client]:
    today = today or timezone.localdate()
    phase_then = (
        PhaseTransition.objects.filter(episode=OuterRef("pk"), on__lte=today)
        .order_by("-on", "-id")
        .values("to_phase")[:1]
    )
    in_care = CareEpisode.objects.annotate(phase_then=Subquery(phase_then)).filter(
        client=OuterRef("pk"), started_on__lte=today, phase_then=Phase.IN_CARE
    )
    qs = Client.objects.filter(Exists(in_care), merged_into__isnull=True)
    return qs.filter(team_id=team_id) if team_id is not None else qs


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TeamOutcomeFigures:
    clients_in_care: int
    with_recent_iroc: int
    with_active_agreed_plan: int
    evaluations_on_time: int
    iroc_average_change: Decimal | None
    iroc_clients_measured_twice: int
    honos_average_change: Decimal | None
    honos_clients_measured_twice: int

    @property
    def recent_iroc_pct(self) -> Decimal | None:
        return _pct(self.with_recent_iroc, self.clients_in_care)

    @property
    def active_agreed_plan_pct(self) -> Decimal | None:
        return _pct(self.with_active_agreed_plan, self.clients_in_care)

    @property
    def evaluations_on_time_pct(self) -> Decimal | None:
        """Share of clients with a plan in force whose evaluations are all on time."""
        return _pct(self.evaluations_on_time, self.with_active_agreed_plan)


def _iroc_total(order: tuple[str, ...]) -> Subquery:
    rows = (
        IrocAssessment.objects.filter(client=OuterRef("pk"))
        .order_by(*order)
        .annotate(t=Sum("answers__score"))
        .values("t")[:1]
    )
    return Subquery(rows, output_field=IntegerField())


def _honos_total(order: tuple[str, ...]) -> Subquery:
    rows = HonosAssessment.objects.filter(client=OuterRef("pk")).order_by(*order).values("total")
    return Subquery(rows[:1], output_field=IntegerField())


def _count(model: type[Model]) -> Subquery:
    rows = (
        model._default_manager.filter(client=OuterRef("pk"))
        .order_by()
        .values("client")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(rows, output_field=IntegerField())


def _average_change(
    clients: QuerySet[Client], first: Subquery, last: Subquery, model: type
) -> tuple[Decimal | None, int]:
    result = (
        clients.annotate(first=first, last=last, n=_count(model))
        .filter(n__gte=2)
        .aggregate(avg=Avg(F("last") - F("first")), count=Count("pk"))
    )
    avg = result["avg"]
    if avg is None:
        return None, result["count"]
    return Decimal(str(avg)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), result["count"]


def team_outcome_figures(*, team_id: int, today: dt.date | None = None) -> TeamOutcomeFigures:
    """Coverage and change figures of one team, computed in the database (7 queries)."""
    today = today or timezone.localdate()
    settings = team_instrument_settings_get(team=team_id)
    clients = clients_in_care(team_id=team_id, today=today)
    since = today - relativedelta(months=settings.iroc_interval_months)
    recent_iroc = IrocAssessment.objects.filter(
        client=OuterRef("pk"), date__gt=since, date__lte=today
    )
    active = Plan.objects.filter(
        client=OuterRef("pk"), status=PlanStatus.ACTIVE, agreed_on__isnull=False
    )
    overdue = Plan.objects.filter(
        _plan_overdue_q(today), client=OuterRef("pk"), status=PlanStatus.ACTIVE
    )
    counts = clients.aggregate(
        total=Count("pk"),
        iroc=Count("pk", filter=Q(Exists(recent_iroc))),
        plan=Count("pk", filter=Q(Exists(active))),
        on_time=Count("pk", filter=Q(Exists(active)) & ~Q(Exists(overdue))),
    )
    iroc_avg, iroc_n = _average_change(
        clients, _iroc_total(("date", "id")), _iroc_total(("-date", "-id")), IrocAssessment
    )
    honos_avg, honos_n = _average_change(
        clients, _honos_total(("date", "id")), _honos_total(("-date", "-id")), HonosAssessment
    )
    return TeamOutcomeFigures(
        clients_in_care=counts["total"],
        with_recent_iroc=counts["iroc"],
        with_active_agreed_plan=counts["plan"],
        evaluations_on_time=counts["on_time"],
        iroc_average_change=iroc_avg,
        iroc_clients_measured_twice=iroc_n,
        honos_average_change=honos_avg,
        honos_clients_measured_twice=honos_n,
    )
