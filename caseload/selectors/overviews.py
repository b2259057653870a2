"""Reads behind the team lead's overviews: waiting list, caseload per worker, shared caseload,
inflow and outflow, referrals, hours, and the MDO list.

Every figure is computed in the database (GROUP BY / subqueries), so each overview is a
fixed number of queries whatever the size of the team. Only the teams the user leads or
supports (lead, secretariaat) can be asked for: ``overview_team_get`` is the gate.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from caseload.constants import (
    ABSENCE_CODES,
    CASELOAD_NORM_PER_FTE,
    UNPAID_FUNDING,
)
from caseload.models import Consultation, ContactWorker, Crisis, IntensityChange, NonClientTime
from caseload.selectors.pages import days_since, with_due_items
from clients.constants import AssignmentRole, Phase, ReferralSource
from clients.models import Assignment, CareEpisode, Client, PhaseTransition, Referral
from clients.selectors import waiting_list
from olteams.access import active_on, clients_visible_to, team_ids_for
from olteams.constants import Discipline, TeamRole
from olteams.models import Membership, Team, User

OVERVIEW_ROLES = (TeamRole.LEAD, TeamRole.SECRETARIAAT)
MONTHS = 12
MDO_RECENT_DAYS = 28  # crisis, intensity change: in the last 4 weeks
MDO_DUE_DAYS = 28  # plan evaluation, I.ROC: due within 4 weeks
MDO_WMO_DAYS = 42  # Wmo indication ending within 6 weeks
MDO_NO_CONTACT_DAYS = 42  # no contact in 6 weeks or more
IN_CARE_PHASES = (Phase.IN_CARE, Phase.AFTERCARE)


def _day(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def overview_teams(*, user: User, today: dt.date | None = None) -> QuerySet[Team]:
    """The teams whose overviews the user may open: as team lead or secretariaat."""
    ids = team_ids_for(user, roles=OVERVIEW_ROLES, today=today)
    return Team.objects.filter(pk__in=ids).order_by("name")


def overview_team_get(
    *, user: User, team_id: Any = None, today: dt.date | None = None, roles: Any = OVERVIEW_ROLES
) -> Team:
    """One of the user's overview teams (the first when none is asked for); 404 otherwise,
    for a team that is missing and one that is not the user's alike."""
    ids = team_ids_for(user, roles=roles, today=today)
    qs = Team.objects.filter(pk__in=ids).order_by("name")
    if team_id in (None, ""):
        team = qs.first()
    else:
        try:
            team = qs.filter(pk=int(team_id)).first()
        except (TypeError, ValueError):
            team = None
    if team is None:
        raise Http404
    return team


def month_starts(today: dt.date, months: int = MONTHS) -> list[dt.date]:
    """The first days of the last ``months`` months, oldest first, this month included."""
    first = today.replace(day=1)
    return [first - relativedelta(months=n) for n in range(months - 1, -1, -1)]


# --- waiting list -------------------------------------------------------------------------


@dataclass
class WaitingSummary:
    total: int
    longest_days: int | None
    per_phase: list[tuple[str, int, int]]  # (phase label, count, longest wait in days)


def waiting_summary(*, user: User, team: Team, today: dt.date | None = None) -> WaitingSummary:
    day = _day(today)
    rows = (
        waiting_list(user=user, today=day)
        .filter(client__team=team)
        .order_by()
        .values("phase")
        .annotate(n=Count("id"), since=Min("waiting_since"))
        .order_by("phase")
    )
    per_phase = [(str(Phase(r["phase"]).label), r["n"], (day - r["since"]).days) for r in rows]
    oldest = [days for _label, _n, days in per_phase]
    return WaitingSummary(sum(n for _l, n, _d in per_phase), max(oldest, default=None), per_phase)


# --- caseload per worker ------------------------------------------------------------------


@dataclass
class WorkerLoad:
    worker: User
    organisation: str
    discipline: str
    fte: Decimal
    clients: int
    casemanager_clients: int

    @property
    def discipline_label(self) -> str:
        return (
            str(Discipline(self.discipline).label) if self.discipline in Discipline.values else ""
        )

    @property
    def norm_applies(self) -> bool:
        """The 20-per-FTE norm is the casemanagers' norm."""
        return self.discipline == Discipline.CASEMANAGER or self.casemanager_clients > 0

    @property
    def per_fte(self) -> Decimal | None:
        if not self.fte:
            return None
        return (Decimal(self.clients) / self.fte).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def norm_clients(self) -> Decimal:
        return (self.fte * CASELOAD_NORM_PER_FTE).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def over_norm(self) -> bool:
        if not self.norm_applies:
            return False
        return self.clients > self.fte * CASELOAD_NORM_PER_FTE


def _assignment_count(team: Team, day: dt.date, **extra: Any) -> Coalesce:
    rows = (
        Assignment.objects.filter(
            active_on(day, start="start_date", end="end_date"),
            worker=OuterRef("user_id"),
            client__team=team,
            client__merged_into__isnull=True,
            **extra,
        )
        .order_by()
        .values("worker")
        .annotate(n=Count("client", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(rows), Value(0), output_field=IntegerField())


def caseload_per_worker(*, team: Team, today: dt.date | None = None) -> list[WorkerLoad]:
    """Workers of the team today (not the secretariaat) with their number of clients (active
    assignments to the team's clients, any role) and of clients they are casemanager of."""
    day = _day(today)
    memberships = (
        Membership.objects.filter(active_on(day), team=team)
        .exclude(role=TeamRole.SECRETARIAAT)
        .select_related("user", "organisation")
        .annotate(
            n_clients=_assignment_count(team, day),
            n_casemanager=_assignment_count(team, day, role=AssignmentRole.CASEMANAGER),
        )
        .order_by("user__last_name", "user__first_name", "pk")
    )
    return [
        WorkerLoad(
            worker=m.user,
            organisation=m.organisation.short_name,
            discipline=m.discipline,
            fte=m.fte,
            clients=m.n_clients,
            casemanager_clients=m.n_casemanager,
        )
        for m in memberships
    ]


# --- shared caseload ----------------------------------------------------------------------

_SHARED_SQL = """
WITH pairs AS (
    SELECT io.client_id, io.organisation_id
      FROM clients_involvedorganisation io
      JOIN clients_client c ON c.id = io.client_id
     WHERE c.team_id = %(team)s AND c.merged_into_id IS NULL
       AND io.start_date <= %(day)s AND (io.end_date IS NULL OR io.end_date >= %(day)s)
    UNION
    SELECT a.client_id, m.organisation_id
      FROM clients_assignment a
      JOIN clients_client c ON c.id = a.client_id
      JOIN olteams_membership m ON m.user_id = a.worker_id AND m.team_id = c.team_id
     WHERE c.team_id = %(team)s AND c.merged_into_id IS NULL
       AND a.start_date <= %(day)s AND (a.end_date IS NULL OR a.end_date >= %(day)s)
       AND m.valid_from <= %(day)s AND (m.valid_to IS NULL OR m.valid_to >= %(day)s)
), combinations AS (
    SELECT p.client_id, array_agg(DISTINCT o.short_name ORDER BY o.short_name) AS names
      FROM pairs p JOIN olteams_organisation o ON o.id = p.organisation_id
     GROUP BY p.client_id
)
SELECT names, count(*) AS clients FROM combinations
 GROUP BY names ORDER BY count(*) DESC, names
"""


def shared_caseload(*, team: Team, today: dt.date | None = None) -> list[tuple[str, int]]:
    """Clients per combination of organisations involved today: the involved organisations
    on record plus the organisations of the assigned workers (their membership in the
    team). One query; e.g. ``[("GGZ + Welzijn", 34), ("GGZ", 20)]``."""
    with connection.cursor() as cursor:
        cursor.execute(_SHARED_SQL, {"team": team.pk, "day": _day(today)})
        return [(" + ".join(names), count) for names, count in cursor.fetchall()]


# --- inflow and outflow, referrals --------------------------------------------------------


@dataclass
class MonthFlow:
    month: dt.date
    inflow: int = 0
    outflow: int = 0


def inflow_outflow(
    *, team: Team, today: dt.date | None = None, months: int = MONTHS
) -> list[MonthFlow]:
    """Per month: clients coming into care (a transition to 'in zorg', not the return from
    aftercare) and clients flowing out (a transition to 'uitgestroomd')."""
    day = _day(today)
    starts = month_starts(day, months)
    rows = (
        PhaseTransition.objects.filter(
            episode__client__team=team,
            on__gte=starts[0],
            on__lte=day,
            to_phase__in=[Phase.IN_CARE, Phase.OUTFLOW],
        )
        .exclude(to_phase=Phase.IN_CARE, from_phase=Phase.AFTERCARE)
        .annotate(month=TruncMonth("on"))
        .order_by()
        .values("month", "to_phase")
        .annotate(n=Count("id"))
    )
    flows = {m: MonthFlow(m) for m in starts}
    for r in rows:
        flow = flows[r["month"]]
        if r["to_phase"] == Phase.IN_CARE:
            flow.inflow = r["n"]
        else:
            flow.outflow = r["n"]
    return list(flows.values())


def referrals_per_source(
    *, team: Team, today: dt.date | None = None, months: int = MONTHS
) -> list[tuple[str, int]]:
    """Referrals of the last ``months`` months per kind of referrer, most first."""
    day = _day(today)
    rows = (
        Referral.objects.filter(team=team, referred_on__gte=month_starts(day, months)[0])
        .filter(referred_on__lte=day)
        .order_by()
        .values("source")
        .annotate(n=Count("id"))
        .order_by("-n", "source")
    )
    return [(str(ReferralSource(r["source"]).label), r["n"]) for r in rows]


# --- hours per worker and month -----------------------------------------------------------


def minutes_to_hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class WorkerMonthHours:
    worker: User
    month: dt.date
    direct_minutes: int = 0
    indirect_minutes: int = 0
    unpaid_minutes: int = 0

    @property
    def direct(self) -> Decimal:
        return minutes_to_hours(self.direct_minutes)

    @property
    def indirect(self) -> Decimal:
        return minutes_to_hours(self.indirect_minutes)

    @property
    def unpaid(self) -> Decimal:
        return minutes_to_hours(self.unpaid_minutes)


def hours_per_worker_month(
    *, team: Team, today: dt.date | None = None, months: int = MONTHS
) -> list[WorkerMonthHours]:
    """Direct, indirect and unpaid hours per worker and month (four queries).

    - direct: minutes of the contacts the worker was present at;
    - indirect: the travel minutes of those contacts plus the worker's non-client time,
      absence (sickness, holiday) left out;
    - unpaid: minutes of those contacts funded as lijntje houden / voorzorg / nazorg, plus
      the worker's consultations (advice without care). Unpaid contact minutes are also
      direct minutes: unpaid is a "thereof", not a third kind of time.
    """
    day = _day(today)
    since = month_starts(day, months)[0]
    cells: dict[tuple[int, dt.date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    contacts = (
        ContactWorker.objects.filter(
            contact__team=team, contact__date__gte=since, contact__date__lte=day
        )
        .annotate(month=TruncMonth("contact__date"))
        .order_by()
        .values("worker_id", "month")
        .annotate(
            direct=Sum("contact__duration_minutes"),
            travel=Sum("contact__travel_minutes"),
            unpaid=Sum(
                Case(
                    When(
                        contact__funding_stream__in=list(UNPAID_FUNDING),
                        then="contact__duration_minutes",
                    ),
                    default=Value(0),
                )
            ),
        )
    )
    for r in contacts:
        cell = cells[(r["worker_id"], r["month"])]
        cell["direct"] += r["direct"]
        cell["indirect"] += r["travel"]
        cell["unpaid"] += r["unpaid"]
    other: list[tuple[QuerySet[Any], str]] = [
        (
            NonClientTime.objects.filter(team=team, date__gte=since, date__lte=day).exclude(
                code__in=list(ABSENCE_CODES)
            ),
            "indirect",
        ),
        (Consultation.objects.filter(team=team, date__gte=since, date__lte=day), "unpaid"),
    ]
    for qs, key in other:
        per_month: Any = (
            qs.annotate(month=TruncMonth("date"))
            .order_by()
            .values("worker_id", "month")
            .annotate(m=Sum("minutes"))
        )
        for r in per_month:
            cells[(r["worker_id"], r["month"])][key] += r["m"]
    workers = User.objects.in_bulk({worker_id for worker_id, _m in cells})
    result = [
        WorkerMonthHours(
            workers[worker_id], month, cell["direct"], cell["indirect"], cell["unpaid"]
        )
        for (worker_id, month), cell in cells.items()
    ]
    return sorted(
        result, key=lambda h: (h.worker.last_name, h.worker.first_name, h.worker.pk, h.month)
    )


# --- the MDO list -------------------------------------------------------------------------


@dataclass
class MdoRow:
    client: Client
    reasons: list[str] = field(default_factory=list)
    last_contact_days: int | None = None


def mdo_queryset(*, user: User, team: Team, today: dt.date | None = None) -> QuerySet[Client]:
    """The team's clients in care with something to discuss, as one query: a crisis open or
    in the last 4 weeks, an intensity change in the last 4 weeks, a plan evaluation or
    I.ROC due within 4 weeks (or overdue), a Wmo indication ending within 6 weeks, or no
    contact for 6 weeks or more."""
    day = _day(today)
    recent = day - dt.timedelta(days=MDO_RECENT_DAYS)
    in_care = CareEpisode.objects.filter(
        client=OuterRef("pk"), ended_on__isnull=True, phase__in=IN_CARE_PHASES
    )
    crisis = Crisis.objects.filter(client=OuterRef("pk"), started_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=recent) | Q(started_on__gte=recent)
    )
    intensity = IntensityChange.objects.filter(
        client=OuterRef("pk"), date__gte=recent, date__lte=day
    )
    qs = with_due_items(
        clients_visible_to(user, today=day).filter(Exists(in_care), team=team), today=day
    ).annotate(
        crisis_open=Exists(crisis.filter(ended_on__isnull=True)),
        crisis_recent=Exists(crisis),
        intensity_changed=Exists(intensity),
    )
    no_contact_since = day - dt.timedelta(days=MDO_NO_CONTACT_DAYS)
    return qs.filter(
        Q(crisis_recent=True)
        | Q(intensity_changed=True)
        | Q(plan_due_on__lte=day + dt.timedelta(days=MDO_DUE_DAYS))
        | Q(iroc_due_on__lte=day + dt.timedelta(days=MDO_DUE_DAYS))
        | Q(wmo_end_on__lte=day + dt.timedelta(days=MDO_WMO_DAYS))
        | Q(last_contact_on__isnull=True)
        | Q(last_contact_on__lte=no_contact_since)
    ).order_by("last_name", "first_name", "id")


def mdo_reasons(c: Any, day: dt.date) -> list[str]:
    """Why a client of ``mdo_queryset`` is on the list, in words (no queries)."""
    due = day + dt.timedelta(days=MDO_DUE_DAYS)
    reasons = []
    if c.crisis_open:
        reasons.append(_("crisis loopt"))
    elif c.crisis_recent:
        reasons.append(_("crisis in de afgelopen 4 weken"))
    if c.intensity_changed:
        reasons.append(_("op- of afgeschaald in de afgelopen 4 weken"))
    if c.plan_due_on and c.plan_due_on <= due:
        reasons.append(_("evaluatie herstelplan"))
    if c.iroc_due_on and c.iroc_due_on <= due:
        reasons.append(_("I.ROC"))
    if c.wmo_end_on and c.wmo_end_on <= day + dt.timedelta(days=MDO_WMO_DAYS):
        reasons.append(_("Wmo-indicatie loopt af"))
    if c.last_contact_on is None:
        reasons.append(_("nog geen contact"))
    elif c.last_contact_on <= day - dt.timedelta(days=MDO_NO_CONTACT_DAYS):
        reasons.append(_("6 weken of langer geen contact"))
    return reasons


def mdo_list(*, user: User, team: Team, today: dt.date | None = None) -> list[MdoRow]:
    day = _day(today)
    clients: Any = mdo_queryset(user=user, team=team, today=day)
    return [MdoRow(c, mdo_reasons(c, day), days_since(c.last_contact_on, day)) for c in clients]


# --- reassignment ---------------------------------------------------------------------------


def team_worker_assignments(
    *, team: Team, worker: Any, today: dt.date | None = None
) -> QuerySet[Assignment]:
    """The worker's active assignments to the team's clients (what a lead may move)."""
    day = _day(today)
    return (
        Assignment.objects.filter(
            active_on(day, start="start_date", end="end_date"),
            worker=worker,
            client__team=team,
            client__merged_into__isnull=True,
        )
        .select_related("client")
        .order_by("client__last_name", "client__first_name", "client_id", "role")
    )
