"""Reads of the Wmo workflow. Every one starts from the access policy (olteams.access)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Aggregate,
    Case,
    Count,
    DateField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.http import Http404

from olteams.access import (
    WMO_VISIBLE_STATUSES,
    ClientAction,
    can,
    clients_visible_to,
    municipality_ids_for,
)
from olteams.constants import STEERING_MIN_CELL
from olteams.models import User
from wmo.constants import (
    EXPIRY_NOTICE_DAYS,
    EXPIRY_NOTICE_DAYS_TEMPORARY,
    PENDING_STATUSES,
    STATUTORY_DECISION_DAYS,
    STATUTORY_ONDERZOEK_DAYS,
    WMO_DECISION_DAYS,
    DecisionKind,
    Frequency,
    IndicationState,
)
from wmo.models import Decision, Indication, IndicationRequest, IwmoMessage, MunicipalProduct


def _in_onderzoek() -> Exists:
    return Exists(Decision.objects.filter(request=OuterRef("pk"), kind=DecisionKind.IN_ONDERZOEK))


def _with_related(qs: QuerySet) -> QuerySet:
    return qs.select_related(
        "client", "team", "municipality", "product", "product__category"
    ).annotate(in_onderzoek=_in_onderzoek())


def request_list(*, user: User) -> QuerySet[IndicationRequest]:
    """The team side: requests of the clients the user cares for (team or assignment)."""
    clients = clients_visible_to(user, action=ClientAction.VIEW)
    return _with_related(IndicationRequest.objects.filter(client__in=clients)).order_by(
        "-created_at", "-id"
    )


def inbox_list(
    *, user: User, today: dt.date | None = None, municipality_ids: list[int] | None = None
) -> QuerySet[IndicationRequest]:
    """The consultant's inbox: requests sent to their municipalities, overdue first, then by
    deadline. Filter with ``wmo.filters.InboxFilter`` (default: awaiting a decision).
    ``municipality_ids`` saves a query when the caller already asked the access policy."""
    if municipality_ids is None:
        municipality_ids = municipality_ids_for(user, today=today)
    qs = IndicationRequest.objects.filter(
        municipality_id__in=municipality_ids, status__in=WMO_VISIBLE_STATUSES
    )
    return _with_related(qs).order_by(
        F("is_overdue").desc(), F("deadline").asc(nulls_last=True), "id"
    )


def request_get(*, user: User, client: Any, pk: Any) -> IndicationRequest:
    """One request of a client the caller already accessed: the team sees all of the
    client's requests, a consultant only those sent to their municipality. 404 otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    qs = IndicationRequest.objects.filter(client=client)
    if not can(user, client, ClientAction.VIEW):
        qs = qs.filter(
            municipality_id__in=municipality_ids_for(user), status__in=WMO_VISIBLE_STATUSES
        )
    request = (
        _with_related(qs)
        .select_related("requested_by")
        .prefetch_related("goals", "zrm_scores", "decisions__indication", "decisions__decided_by")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Http404
    return request


def client_requests(*, user: User, client: Any) -> QuerySet[IndicationRequest]:
    """A client's requests for the Wmo tab: all of them for the team, those sent to their
    municipality for a consultant (the same rule as ``request_get``)."""
    qs = IndicationRequest.objects.filter(client=client)
    if not has_care_access(user=user, client=client):
        qs = qs.filter(
            municipality_id__in=municipality_ids_for(user), status__in=WMO_VISIBLE_STATUSES
        )
    return _with_related(qs).order_by("-created_at", "-id")


def has_care_access(*, user: User, client: Any) -> bool:
    """Whether the user works with this client as a care worker (not only as consultant)."""
    return can(user, client, ClientAction.VIEW)


def is_deciding_consultant(*, user: User, request: IndicationRequest) -> bool:
    return request.municipality_id in municipality_ids_for(user)


def products_for(*, municipality_id: int | None, day: dt.date) -> QuerySet[MunicipalProduct]:
    """The products a request to this municipality may name on ``day``."""
    if municipality_id is None:
        return MunicipalProduct.objects.none()
    return (
        MunicipalProduct.objects.filter(
            Q(end__isnull=True) | Q(end__gte=day), municipality_id=municipality_id, start__lte=day
        )
        .select_related("category")
        .order_by("code")
    )


@dataclass(frozen=True)
class Usage:
    """Volume delivered under an indication so far against the volume granted so far, both
    in the indication's unit (time units from the contact minutes, other units one per
    contact). Granted so far: the volume per day, week (7 days) or month (365/12 days) pro
    rata over the days from the start through today (or the end); "in total" the volume."""

    used: Decimal
    granted: Decimal

    @property
    def is_over(self) -> bool:
        return self.used > self.granted


# Usage comes from the contacts, which live in a higher app (caseload); it registers its
# reader here in its AppConfig.ready, as the apps do for the client frame.
UsageReader = Callable[[list[Indication], dt.date], dict[int, Usage]]
_usage_readers: list[UsageReader] = []


def register_usage_reader(reader: UsageReader) -> None:
    if reader not in _usage_readers:
        _usage_readers.append(reader)


def granted_to_date(indication: Indication, today: dt.date) -> Decimal:
    """The volume granted from the indication's start through ``today`` (or its end)."""
    if indication.frequency == Frequency.TOTAAL:
        return Decimal(indication.volume)
    last = min(today, indication.end) if indication.end else today
    days = max((last - indication.start).days + 1, 0)
    per = {Frequency.PER_DAG: Decimal(1), Frequency.PER_WEEK: Decimal(7)}.get(
        Frequency(indication.frequency), Decimal(365) / 12
    )
    return (Decimal(indication.volume) * days / per).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class IndicationRow:
    indication: Indication
    state: str
    days_remaining: int | None
    usage: Usage | None = None

    @property
    def state_label(self) -> str:
        return str(IndicationState(self.state).label)


def indication_state(indication: Indication, today: dt.date) -> str:
    """Active, ending (within 6 weeks; temporary: 2 weeks), ended, or not started yet."""
    if indication.start > today:
        return IndicationState.FUTURE
    if indication.end is not None and indication.end < today:
        return IndicationState.ENDED
    window = EXPIRY_NOTICE_DAYS_TEMPORARY if indication.is_temporary else EXPIRY_NOTICE_DAYS
    if indication.end is not None and indication.end <= today + dt.timedelta(days=window):
        return IndicationState.ENDING
    return IndicationState.ACTIVE


def _messages_prefetch() -> Prefetch:
    """The iWmo messages of each indication, oldest first, without their XML."""
    return Prefetch(
        "messages",
        queryset=IwmoMessage.objects.defer("xml").order_by("created_at", "id"),
    )


def iwmo_message_get(*, user: User, client: Any, pk: int) -> IwmoMessage:
    """One recorded iWmo message of ``client`` (already passed through the access policy);
    a consultant only of their own municipalities. 404 for missing and not-yours alike."""
    message = IwmoMessage.objects.filter(pk=pk, client=client).first()
    if message is None:
        raise Http404
    care = clients_visible_to(user, action=ClientAction.VIEW).filter(pk=client.pk).exists()
    if not care and message.municipality_id not in set(municipality_ids_for(user)):
        raise Http404
    return message


def indication_register(
    *, client: Any, today: dt.date, user: User | None = None
) -> list[IndicationRow]:
    """A client's indications, each with its state and remaining validity. A consultant
    (``user`` without care access) sees only those of their municipalities."""
    qs = Indication.objects.filter(client=client)
    if user is not None and not can(user, client, ClientAction.VIEW):
        qs = qs.filter(municipality_id__in=municipality_ids_for(user))
    qs = qs.select_related(
        "product", "product__category", "municipality", "decision__request"
    ).prefetch_related(_messages_prefetch())
    rows = [IndicationRow(i, indication_state(i, today), i.days_remaining(today)) for i in qs]
    order = [
        IndicationState.ENDING,
        IndicationState.ACTIVE,
        IndicationState.FUTURE,
        IndicationState.ENDED,
    ]
    return sorted(
        rows, key=lambda r: (order.index(IndicationState(r.state)), r.indication.end or dt.date.max)
    )


def indications_for_user(*, user: User) -> QuerySet[Indication]:
    """Indications of every client the user may see in the Wmo role (API listing)."""
    care = clients_visible_to(user, action=ClientAction.VIEW)
    return (
        Indication.objects.filter(
            Q(client__in=care) | Q(municipality_id__in=municipality_ids_for(user))
        )
        .select_related("product", "municipality", "decision")
        .order_by("-start", "-id")
    )


def indication_overview(
    *,
    user: User,
    today: dt.date,
    team_id: int | None = None,
    municipality_id: int | None = None,
) -> list[IndicationRow]:
    """The indication register across clients: every running indication (active or ending
    within 6 weeks; temporary: 2 weeks) the user may see, by team and/or municipality; the
    ending ones first, then by end date."""
    qs = indications_for_user(user=user).filter(
        Q(end__isnull=True) | Q(end__gte=today), start__lte=today
    )
    if team_id is not None:
        qs = qs.filter(client__team_id=team_id)
    if municipality_id is not None:
        qs = qs.filter(municipality_id=municipality_id)
    qs = qs.select_related("client", "client__team", "product", "municipality")
    indications = list(qs)
    usage: dict[int, Usage] = {}
    for reader in _usage_readers:
        usage.update(reader(indications, today))
    rows = [
        IndicationRow(i, indication_state(i, today), i.days_remaining(today), usage=usage.get(i.pk))
        for i in indications
    ]
    return sorted(
        rows,
        key=lambda r: (r.state != IndicationState.ENDING, r.indication.end or dt.date.max),
    )


class PercentileCont(Aggregate):
    """PostgreSQL ``percentile_cont(f) WITHIN GROUP (ORDER BY expr)``."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        super().__init__(expression, fraction=float(fraction), **extra)


def lead_time_stats(*, user: User, since: dt.date, until: dt.date) -> list[dict[str, Any]]:
    """Per municipality and month of submission: decided requests, median and 90th
    percentile of calendar days from submission to the final decision, and the share
    decided within 14 days. Consultants see their municipalities; steering group all."""
    decisions = Decision.objects.exclude(kind=DecisionKind.IN_ONDERZOEK).filter(
        request__submitted_on__gte=since, request__submitted_on__lte=until
    )
    if not (user.is_stuurgroep or user.is_functional_admin):
        decisions = decisions.filter(municipality_id__in=municipality_ids_for(user))
    # date - date is a whole number of days in PostgreSQL (not an interval).
    days = Func(
        F("decided_on"),
        F("request__submitted_on"),
        template="(%(expressions)s)",
        arg_joiner=" - ",
        output_field=IntegerField(),
    )
    rows = (
        decisions.annotate(
            days=days, month=TruncMonth("request__submitted_on", output_field=DateField())
        )
        .values("municipality__name", "month")
        .annotate(
            decided=Count("id"),
            median=PercentileCont("days", 0.5),
            p90=PercentileCont("days", 0.9),
            on_time=Count("id", filter=Q(days__lte=WMO_DECISION_DAYS)),
        )
        .order_by("municipality__name", "month")
    )
    return [_disclose(row) for row in rows]


def _small(count: int) -> bool:
    return count < STEERING_MIN_CELL


def _disclose(row: Any) -> dict[str, Any]:
    """The disclosure rule of the steering figures (DESIGN.md): a count under 5, and a
    median, percentile or percentage over fewer than 5 decisions (or with fewer than 5 on
    top of the percentage), is not given (``None``; the page shows "<5")."""
    decided, on_time = row["decided"], row["on_time"]
    few = _small(decided)
    return {
        "municipality__name": row["municipality__name"],
        "month": row["month"],
        "decided": None if few else decided,
        "median": None if few else row["median"],
        "p90": None if few else row["p90"],
        "on_time_pct": None if few or _small(on_time) else round(100.0 * on_time / decided, 1),
    }


def pending_counts(
    *, user: User, today: dt.date, municipality_ids: list[int] | None = None
) -> dict[str, int]:
    """Counts for the inbox header: awaiting a decision, and of those past the deadline (the
    deadline day itself is not late, though the request is already escalated)."""
    if municipality_ids is None:
        municipality_ids = municipality_ids_for(user, today=today)
    qs = IndicationRequest.objects.filter(
        municipality_id__in=municipality_ids, status__in=PENDING_STATUSES
    )
    return qs.aggregate(
        pending=Count("id"),
        overdue=Count(Case(When(Q(deadline__lt=today), then=Value(1)))),
    )


@dataclass(frozen=True)
class Clock:
    """The 14-day clock as every view of a request shows it."""

    state: str  # "running", "last_day", "late" or "stopped"
    days: int  # days left (running), or days overdue (late)
    deadline: dt.date | None

    @property
    def is_late(self) -> bool:
        # The deadline is the last day a decision may be taken: on it the request is escalated
        # but not yet late.
        return self.state == "late"


def _is_in_onderzoek(request: IndicationRequest) -> bool:
    """Whether the municipality put the request in onderzoek (annotated by the selectors)."""
    annotated = getattr(request, "in_onderzoek", None)
    if annotated is not None:
        return bool(annotated)
    return request.decisions.filter(kind=DecisionKind.IN_ONDERZOEK).exists()


def deadline_clock(request: IndicationRequest, today: dt.date) -> Clock:
    """Days left until the deadline, or days past it, while a decision is awaited. On the
    deadline day itself the request is escalated and flagged ("last_day"): the decision is
    due today, late only from tomorrow."""
    left = request.days_left(today)
    if left is None:
        return Clock("stopped", 0, request.deadline)
    if _is_in_onderzoek(request) and request.submitted_on is not None:
        # The statutory route: onderzoek within 6 weeks, then the beschikking within 2 weeks;
        # not late at day 14 (the deadline sweep follows the same rule).
        deadline = request.submitted_on + dt.timedelta(
            days=STATUTORY_ONDERZOEK_DAYS + STATUTORY_DECISION_DAYS
        )
        left = (deadline - today).days
        if left > 0:
            return Clock("running", left, deadline)
        return Clock("last_day", 0, deadline) if left == 0 else Clock("late", -left, deadline)
    if left > 0 and not request.is_overdue:
        return Clock("running", left, request.deadline)
    if left >= 0:
        return Clock("last_day", 0, request.deadline)
    return Clock("late", -left, request.deadline)
