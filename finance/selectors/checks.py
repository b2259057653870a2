"""The controllers' checks of a team month: hours per client, and what does not add up.

Client-identifying: every list of clients starts from
``olteams.access.clients_visible_to(user, action=VIEW_FINANCE)`` (a controller sees the
clients of the teams their organisation staffs, or registered by it); the view records the
read in the audit log. Worker figures are not client data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import Q, Sum
from django.utils import timezone

from caseload.constants import PAID_FUNDING, UNPAID_FUNDING
from caseload.models import Consultation, Contact, ContactWorker, NonClientTime
from clients.constants import Phase
from finance.selectors.accounts import can_work_with_accounts, month_end
from olteams.access import ClientAction, clients_visible_to
from olteams.models import Membership, Team, User

_ZERO = Decimal("0")
_SIXTY = Decimal("60")
HOURS_PER_WEEK = 36
FTE_LOW = Decimal("0.50")  # registered under 50% of the expected hours
FTE_HIGH = Decimal("1.30")  # or over 130%
# A client is "in the team's care path" on a day in one of these phases.
OPEN_PHASES = (Phase.REFERRED, Phase.WAITING, Phase.INTAKE, Phase.IN_CARE, Phase.AFTERCARE)


def _hours(minutes: int | Decimal | None) -> Decimal:
    return (Decimal(minutes or 0) / _SIXTY).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


_PHASES_SQL = """
SELECT e.client_id, p.to_phase, p."on",
       LEAD(p."on") OVER (PARTITION BY p.episode_id ORDER BY p."on", p.id)
FROM clients_phasetransition p
JOIN clients_careepisode e ON e.id = p.episode_id
WHERE p."on" <= %(e)s AND e.client_id IN (
    SELECT id FROM clients_client WHERE team_id = %(team)s
    UNION SELECT client_id FROM caseload_contact
          WHERE team_id = %(team)s AND date BETWEEN %(s)s AND %(e)s
)
"""


@dataclass
class _PhaseIntervals:
    """Per client: (phase, from, until exclusive or None) up to the month's end."""

    by_client: dict[int, list[tuple[str, dt.date, dt.date | None]]]

    def in_phase(self, client_id: int, day: dt.date, phases: tuple[str, ...]) -> bool:
        return any(
            phase in phases and since <= day and (until is None or until > day)
            for phase, since, until in self.by_client.get(client_id, [])
        )

    def in_care_during(self, client_id: int, start: dt.date, end: dt.date) -> bool:
        return any(
            phase == Phase.IN_CARE and since <= end and (until is None or until > max(since, start))
            for phase, since, until in self.by_client.get(client_id, [])
        )


def _phase_intervals(team: Team, month: dt.date) -> _PhaseIntervals:
    by_client: dict[int, list[tuple[str, dt.date, dt.date | None]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(_PHASES_SQL, {"s": month, "e": month_end(month), "team": team.pk})
        for client_id, phase, since, until in cursor.fetchall():
            if until is None or until > since:
                by_client[client_id].append((phase, since, until))
    return _PhaseIntervals(dict(by_client))


@dataclass
class ClientHours:
    client: Any
    organisation: str
    in_care: bool
    paid_hours: Decimal
    unpaid_hours: Decimal
    unfunded_hours: Decimal

    @property
    def direct_hours(self) -> Decimal:
        return self.paid_hours + self.unpaid_hours + self.unfunded_hours


def _month_contacts(team: Team, month: dt.date) -> Any:
    return Contact.objects.filter(team=team, date__gte=month, date__lte=month_end(month))


def controller_client_hours(*, user: User, team: Team, month: dt.date) -> list[ClientHours]:
    """The team's clients in the month (in care on any day of it, or with a contact of the
    team in it) with the direct hours registered on them (per worker present), split paid /
    unpaid / without funding stream, ordered by registering organisation and name."""
    if not can_work_with_accounts(user):
        return []
    month = month.replace(day=1)
    phases = _phase_intervals(team, month)
    end = month_end(month)
    minutes: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        ContactWorker.objects.filter(
            contact__team=team, contact__date__gte=month, contact__date__lte=end
        )
        .values("contact__client_id", "contact__funding_stream")
        .annotate(m=Sum("contact__duration_minutes"))
        .order_by()
    ):
        minutes[row["contact__client_id"]][row["contact__funding_stream"]] += row["m"] or 0
    in_care_ids = {
        client_id for client_id in phases.by_client if phases.in_care_during(client_id, month, end)
    }
    clients = (
        clients_visible_to(user, action=ClientAction.VIEW_FINANCE)
        .filter(Q(pk__in=set(minutes)) | Q(pk__in=in_care_ids, team=team))
        .select_related("registering_organisation")
        .order_by("registering_organisation__name", "last_name", "first_name", "pk")
    )
    rows = []
    for client in clients:
        by_stream = minutes.get(client.pk, {})
        rows.append(
            ClientHours(
                client=client,
                organisation=(
                    client.registering_organisation.name if client.registering_organisation else ""
                ),
                in_care=client.pk in in_care_ids,
                paid_hours=_hours(sum(m for s, m in by_stream.items() if s in PAID_FUNDING)),
                unpaid_hours=_hours(sum(m for s, m in by_stream.items() if s in UNPAID_FUNDING)),
                unfunded_hours=_hours(by_stream.get("", 0)),
            )
        )
    return rows


@dataclass
class WorkerHours:
    name: str
    fte: Decimal
    expected_hours: Decimal
    registered_hours: Decimal

    @property
    def percentage(self) -> int:
        if not self.expected_hours:
            return 0
        return round(100 * self.registered_hours / self.expected_hours)


@dataclass
class Mismatches:
    in_care_without_hours: list[Any] = field(default_factory=list)  # clients
    hours_not_in_care: list[Contact] = field(default_factory=list)
    workers_off_fte: list[WorkerHours] = field(default_factory=list)
    contacts_without_funding: list[Contact] = field(default_factory=list)

    @property
    def client_ids(self) -> list[int]:
        """The clients the lists name, in the order the checks page shows them."""
        return [
            *(c.pk for c in self.in_care_without_hours),
            *(c.client_id for c in self.hours_not_in_care),
            *(c.client_id for c in self.contacts_without_funding),
        ]

    @property
    def total(self) -> int:
        return (
            len(self.in_care_without_hours)
            + len(self.hours_not_in_care)
            + len(self.workers_off_fte)
            + len(self.contacts_without_funding)
        )


def _worker_hours(team: Team, month: dt.date, today: dt.date | None = None) -> list[WorkerHours]:
    """Registered hours (direct incl. travel, non-client incl. absence, consultations)
    against the expected fte x 36 hours x weeks of the month (active share). In the open
    month (``today`` inside it) the hours are expected up to and including today only."""
    end = month_end(month)
    upto = min(end, today) if today is not None and today >= month else end
    days = Decimal((upto - month).days + 1)
    period = {"date__gte": month, "date__lte": end, "team": team}
    registered: dict[int, int] = defaultdict(int)
    for worker_id, m, travel in (
        ContactWorker.objects.filter(
            contact__team=team, contact__date__gte=month, contact__date__lte=end
        )
        .values("worker_id")
        .annotate(m=Sum("contact__duration_minutes"), t=Sum("contact__travel_minutes"))
        .values_list("worker_id", "m", "t")
        .order_by()
    ):
        registered[worker_id] += (m or 0) + (travel or 0)
    for model in (NonClientTime, Consultation):
        for worker_id, m in (
            model.objects.filter(**period)  # type: ignore[attr-defined]
            .values("worker_id")
            .annotate(m=Sum("minutes"))
            .values_list("worker_id", "m")
            .order_by()
        ):
            registered[worker_id] += m or 0
    fte: dict[int, Decimal] = defaultdict(lambda: _ZERO)
    names: dict[int, str] = {}
    for membership in Membership.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=month), team=team, valid_from__lte=upto
    ).select_related("user"):
        active = (min(membership.valid_to or upto, upto) - max(membership.valid_from, month)).days
        fte[membership.user_id] += membership.fte * (active + 1) / days
        names[membership.user_id] = membership.user.get_full_name() or membership.user.username
    weeks = days / 7
    rows = []
    for worker_id, share in fte.items():
        expected = (share * HOURS_PER_WEEK * weeks).quantize(Decimal("0.01"))
        rows.append(
            WorkerHours(
                name=names[worker_id],
                fte=share.quantize(Decimal("0.01")),
                expected_hours=expected,
                registered_hours=_hours(registered.get(worker_id, 0)),
            )
        )
    return sorted(rows, key=lambda r: r.name)


def mismatches(
    *, user: User, team: Team, month: dt.date, today: dt.date | None = None
) -> Mismatches:
    """What does not add up in the team month: clients in care without any registered
    hours; contacts on days the client was in no open phase (aangemeld .. nazorg); workers
    whose registered hours are under 50% or over 130% of fte x 36 h x weeks of the month
    (absence counts as registered; in the open month the weeks up to ``today``, default
    today); contacts without a funding stream."""
    today = today or timezone.localdate()
    if not can_work_with_accounts(user):
        return Mismatches()
    month = month.replace(day=1)
    end = month_end(month)
    phases = _phase_intervals(team, month)
    visible = clients_visible_to(user, action=ClientAction.VIEW_FINANCE)
    contacts = list(
        _month_contacts(team, month)
        .filter(client__in=visible.values("pk"))
        .select_related("client", "author")
        .order_by("date", "pk")
    )
    with_hours = set(
        ContactWorker.objects.filter(contact__date__gte=month, contact__date__lte=end)
        .values_list("contact__client_id", flat=True)
        .distinct()
    )
    in_care_ids = [
        client_id
        for client_id in phases.by_client
        if phases.in_care_during(client_id, month, end) and client_id not in with_hours
    ]
    without_hours = list(
        visible.filter(pk__in=in_care_ids, team=team).order_by("last_name", "first_name", "pk")
    )
    not_in_care = [c for c in contacts if not phases.in_phase(c.client_id, c.date, OPEN_PHASES)]
    workers = [
        w
        for w in _worker_hours(team, month, today)
        if w.expected_hours
        and not (FTE_LOW * w.expected_hours <= w.registered_hours <= FTE_HIGH * w.expected_hours)
    ]
    return Mismatches(
        in_care_without_hours=without_hours,
        hours_not_in_care=not_in_care,
        workers_off_fte=workers,
        contacts_without_funding=[c for c in contacts if not c.funding_stream],
    )
