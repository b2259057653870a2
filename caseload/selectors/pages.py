"""Reads behind the worker's pages: my caseload and the client file with its timeline.

Every list here is a fixed number of queries however many clients or contacts there are:
what a row needs (last contact, next due dates) is annotated with subqueries. The
timeline of the client file is in ``caseload.selectors.timeline``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    DateField,
    Exists,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseload.models import (
    Contact,
    Crisis,
    IntensityChange,
    Task,
)
from caseload.selectors.contacts import contact_notes_visible
from caseload.selectors.facts import latest_intensity, open_or_recent_crises
from caseload.selectors.tasks import client_open_tasks
from clients.constants import AssignmentRole
from clients.models import Assignment, CareEpisode, Client, Naaste
from clients.selectors.facts import client_care_team, client_episodes, client_involved
from herstelplan.constants import IROC_DEFAULT_INTERVAL_MONTHS, GoalStatus, PlanStatus
from herstelplan.models import (
    Evaluation,
    Goal,
    HonosAssessment,
    IrocAssessment,
    Plan,
    RecoveryPhase,
    TeamInstrumentSettings,
)
from herstelplan.selectors.facts import recovery_phases
from olteams.access import (
    ClientAction,
    active_on,
    can,
    clients_visible_to,
    withheld_message,
)
from olteams.constants import RECORD_KIND_CATEGORY, RecordKind
from olteams.models import User
from olteams.request_cache import known_absent
from wmo.models import Indication, IndicationRequest
from wmo.selectors.facts import client_indications, client_requests


class _PlusMonths(Func):
    """``date + n months`` as a date (PostgreSQL interval arithmetic)."""

    template = "((%(expressions)s))::date"
    arg_joiner = " + make_interval(months => 1) * "
    output_field = DateField()


def _plan_due() -> Least:
    """The earliest open evaluation date of the client's active plan: the plan's review date
    or a running goal's evaluation date, not yet followed by an evaluation."""
    review_done = Evaluation.objects.filter(
        plan=OuterRef("pk"), goal__isnull=True, date__gte=OuterRef("review_date")
    )
    review = (
        Plan.objects.filter(
            client=OuterRef("pk"), status=PlanStatus.ACTIVE, review_date__isnull=False
        )
        .exclude(Exists(review_done))
        .values("review_date")[:1]
    )
    goal_done = Evaluation.objects.filter(
        goal=OuterRef("pk"), date__gte=OuterRef("evaluation_date")
    )
    goal = (
        Goal.objects.filter(
            plan__client=OuterRef("pk"),
            plan__status=PlanStatus.ACTIVE,
            status=GoalStatus.ACTIVE,
            evaluation_date__isnull=False,
        )
        .exclude(Exists(goal_done))
        .order_by("evaluation_date")
        .values("evaluation_date")[:1]
    )
    # PostgreSQL's LEAST ignores NULLs: either date alone is the answer.
    return Least(Subquery(review), Subquery(goal), output_field=DateField())


def with_due_items(qs: QuerySet[Client], *, today: dt.date) -> QuerySet[Client]:
    """Annotate each client with the dates a worker plans around, all as subqueries:

    - ``last_contact_on``: the last contact by anyone of the team (not only by the user);
    - ``plan_due_on``: next open plan review / goal evaluation of the active plan;
    - ``iroc_due_on``: last I.ROC plus the team's interval (as ``iroc_due_date``), or today
      when the client never had one;
    - ``wmo_end_on``: the end of the first Wmo indication running today that ends;
    - ``naaste_due_on``: the first yearly naaste meeting (ZAG) due;
    - ``phase``: the phase of the open episode.
    """
    last_iroc = IrocAssessment.objects.filter(client=OuterRef("pk")).order_by("-date")
    interval = TeamInstrumentSettings.objects.filter(team=OuterRef("team_id"))
    return qs.annotate(
        last_contact_on=Subquery(
            Contact.objects.filter(client=OuterRef("pk")).order_by("-starts_at").values("date")[:1]
        ),
        plan_due_on=_plan_due(),
        last_iroc_on=Subquery(last_iroc.values("date")[:1]),
        iroc_due_on=Coalesce(
            _PlusMonths(
                Subquery(last_iroc.values("date")[:1]),
                Coalesce(
                    Subquery(interval.values("iroc_interval_months")[:1]),
                    Value(IROC_DEFAULT_INTERVAL_MONTHS),
                    output_field=IntegerField(),
                ),
            ),
            Value(today),
            output_field=DateField(),
        ),
        wmo_end_on=Subquery(
            Indication.objects.filter(client=OuterRef("pk"), start__lte=today, end__gte=today)
            .order_by("end")
            .values("end")[:1]
        ),
        naaste_due_on=Subquery(
            Naaste.objects.filter(
                client=OuterRef("pk"), ended_on__isnull=True, zag_due_on__isnull=False
            )
            .order_by("zag_due_on")
            .values("zag_due_on")[:1]
        ),
        phase=Subquery(
            CareEpisode.objects.filter(client=OuterRef("pk"), ended_on__isnull=True).values(
                "phase"
            )[:1]
        ),
    )


@dataclass(frozen=True)
class DueItem:
    kind: str
    label: str
    on: dt.date
    overdue: bool


DUE_LABELS = {
    "plan": _("Evaluatie herstelplan"),
    "iroc": _("I.ROC"),
    "wmo": _("Wmo-indicatie loopt af"),
    "naaste": _("Gesprek met naaste"),
}


def due_items(client: Any, *, today: dt.date) -> list[DueItem]:
    """The annotated due dates of one row, soonest first (no queries)."""
    pairs = [
        ("plan", client.plan_due_on),
        ("iroc", client.iroc_due_on),
        ("wmo", client.wmo_end_on),
        ("naaste", client.naaste_due_on),
    ]
    items = [
        DueItem(kind, str(DUE_LABELS[kind]), on, on < today) for kind, on in pairs if on is not None
    ]
    return sorted(items, key=lambda item: item.on)


def days_since(day: dt.date | None, today: dt.date) -> int | None:
    return None if day is None else (today - day).days


def my_caseload_list(*, user: User, today: dt.date | None = None) -> QuerySet[Client]:
    """The user's own clients: those with an active assignment of the user (every role,
    casemanager and regiebehandelaar included), with the user's roles and due dates."""
    day = today or timezone.localdate()
    mine = Assignment.objects.filter(
        active_on(day, start="start_date", end="end_date"), client=OuterRef("pk"), worker=user
    )
    return (
        with_due_items(clients_visible_to(user, today=day).filter(Exists(mine)), today=day)
        .select_related("team")
        .annotate(my_roles=ArraySubquery(mine.order_by("role").values("role")))
        .order_by("last_name", "first_name", "id")
    )


@dataclass
class CaseloadRow:
    client: Client
    roles: list[str]
    last_contact_days: int | None
    due: list[DueItem]


def my_caseload_rows(*, user: User, today: dt.date | None = None) -> list[CaseloadRow]:
    day = today or timezone.localdate()
    clients: Any = my_caseload_list(user=user, today=day)
    return [
        CaseloadRow(
            client=c,
            roles=[str(AssignmentRole(r).label) for r in c.my_roles],
            last_contact_days=days_since(c.last_contact_on, day),
            due=due_items(c, today=day),
        )
        for c in clients
    ]


# --- the client file ----------------------------------------------------------------------


@dataclass
class ClientFile:
    client: Client
    clinical: bool
    categories: frozenset[str]
    assigned: bool
    episodes: list[CareEpisode]
    assignments: list[Assignment]
    involved: list[Any]
    naasten: list[Naaste]
    plan: Plan | None = None
    goals: list[Goal] = field(default_factory=list)
    iroc_latest: IrocAssessment | None = None
    honos_latest: HonosAssessment | None = None
    recovery_phase: RecoveryPhase | None = None
    wmo_requests: list[IndicationRequest] = field(default_factory=list)
    indications: list[Indication] = field(default_factory=list)
    intensity: IntensityChange | None = None
    open_crises: list[Crisis] = field(default_factory=list)
    open_tasks: list[Task] = field(default_factory=list)
    # Explanations of what the client did not consent to share with the user's organisation.
    withheld: list[str] = field(default_factory=list)

    def shows(self, kind: str) -> bool:
        return RECORD_KIND_CATEGORY[kind] in self.categories

    @property
    def open_episode(self) -> CareEpisode | None:
        return next((e for e in self.episodes if e.ended_on is None), None)


def intensity_in_force(*, client: Client, day: dt.date) -> IntensityChange | None:
    """The latest intensity change on ``day``, unless care intensity ended (outflow)."""
    latest = latest_intensity(client=client, day=day)
    if latest is None or (latest.ended_on is not None and latest.ended_on <= day):
        return None
    return latest


def client_file(*, user: User, client: Client, today: dt.date | None = None) -> ClientFile:
    """Everything of one client the user may see, one query per kind of row; the rows the
    frame header shows too are read once per request (the ``facts`` selectors). ``client``
    comes from ``access_client`` (the view checked VIEW access and audited the read) with
    its team, municipality and registering organisation."""
    day = today or timezone.localdate()
    assignments = client_care_team(client=client, day=day)
    clinical = can(user, client, ClientAction.VIEW_CLINICAL, today=day)
    result = ClientFile(
        client=client,
        clinical=clinical,
        categories=(
            contact_notes_visible(user=user, client=client, today=day) if clinical else frozenset()
        ),
        assigned=any(a.worker_id == user.pk for a in assignments),
        episodes=client_episodes(client=client),
        assignments=assignments,
        involved=client_involved(client=client, day=day),
        naasten=(
            []
            if known_absent(client, "naasten")
            else list(Naaste.objects.filter(client=client, ended_on__isnull=True).order_by("name"))
        ),
        wmo_requests=client_requests(client=client)[:10],
        indications=client_indications(client=client)[:10],
        intensity=intensity_in_force(client=client, day=day),
        open_crises=[
            c for c in open_or_recent_crises(client=client, day=day) if c.ended_on is None
        ],
        open_tasks=client_open_tasks(client=client),
    )
    if clinical:
        _add_clinical(result, client)
    return result


_PRESENCE = {RecordKind.RECOVERY_PLAN: "plans", RecordKind.IROC: "iroc", RecordKind.HONOS: "honos"}


def _add_clinical(result: ClientFile, client: Client) -> None:
    """The clinical records the user may read under the consent rule; for each kind left
    out, a short explanation (no query: the categories were read with the file)."""
    for kind in (RecordKind.RECOVERY_PLAN, RecordKind.IROC, RecordKind.HONOS):
        if not result.shows(kind) and not known_absent(client, _PRESENCE[kind]):
            result.withheld.append(withheld_message(kind))
    if result.shows(RecordKind.RECOVERY_PLAN) and not known_absent(client, "plans"):
        result.plan = Plan.objects.filter(client=client, status=PlanStatus.ACTIVE).first()
    if result.plan is not None:
        result.goals = list(
            result.plan.goals.filter(status=GoalStatus.ACTIVE).order_by("priority", "id")
        )
    if result.shows(RecordKind.IROC) and not known_absent(client, "iroc"):
        result.iroc_latest = (
            IrocAssessment.objects.filter(client=client)
            .annotate(iroc_total=Sum("answers__score"))
            .order_by("-date", "-id")
            .first()
        )
    if result.shows(RecordKind.HONOS) and not known_absent(client, "honos"):
        result.honos_latest = (
            HonosAssessment.objects.filter(client=client).order_by("-date", "-id").first()
        )
    result.recovery_phase = next(iter(recovery_phases(client=client)), None)


__all__ = [
    "CaseloadRow",
    "ClientFile",
    "DueItem",
    "client_file",
    "days_since",
    "due_items",
    "my_caseload_list",
    "my_caseload_rows",
    "with_due_items",
]
