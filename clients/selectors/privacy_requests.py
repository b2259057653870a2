"""Reads of the privacy request register: every list starts from the access policy
(``ClientAction.VIEW_PRIVACY``: the client's team, and the privacy officers for the
clients with a request)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import DateField, QuerySet
from django.db.models.functions import Coalesce

from clients.constants import DISPUTED_PART_TAB, DISPUTING_KINDS, PrivacyRequestStatus
from clients.models import Client, PrivacyRequest
from olteams.access import ClientAction, clients_visible_to
from olteams.client_frame import Dispute
from olteams.request_cache import client_presence, known_absent, memo


@dataclass(frozen=True)
class Clock:
    """The term as every list shows it (the same states as the Wmo clock, so one badge
    template, ``includes/deadline_clock.html``, shows both)."""

    state: str  # "running", "last_day", "late" or "stopped"
    days: int  # days left (running), or days overdue (late)
    deadline: dt.date

    @property
    def is_late(self) -> bool:
        return self.state == "late"


def privacy_clock(pr: PrivacyRequest, today: dt.date) -> Clock:
    """Days left until the (extended) deadline, or days past it, while the request is open.
    The deadline day itself is the last day, late only from the day after."""
    deadline = pr.deadline
    if pr.status != PrivacyRequestStatus.OPEN:
        return Clock("stopped", 0, deadline)
    left = (deadline - today).days
    if left > 0:
        return Clock("running", left, deadline)
    if left == 0:
        return Clock("last_day", 0, deadline)
    return Clock("late", -left, deadline)


def _with_deadline(qs: QuerySet[PrivacyRequest]) -> Any:
    """``term_deadline``: the extended term, else the statutory one (filters and order)."""
    return qs.annotate(term_deadline=Coalesce("extended_until", "due_on", output_field=DateField()))


def privacy_request_list(
    *,
    user: Any,
    today: dt.date,
    status: str = "",
    kind: str = "",
    overdue: bool = False,
    team_id: int | None = None,
) -> QuerySet[PrivacyRequest]:
    """The requests of every client the user may handle requests of, with the client and
    team read in the same query; open ones first, by deadline."""
    clients = clients_visible_to(user, action=ClientAction.VIEW_PRIVACY, today=today)
    qs: Any = _with_deadline(
        PrivacyRequest.objects.filter(client__in=clients.values("pk")).select_related(
            "client", "client__team"
        )
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if overdue:
        qs = qs.filter(status=PrivacyRequestStatus.OPEN, term_deadline__lt=today)
    if team_id is not None:
        qs = qs.filter(client__team_id=team_id)
    return qs.order_by("status", "term_deadline", "pk")


def client_privacy_requests(*, client: Client) -> list[PrivacyRequest]:
    """The client's requests, newest first (``client`` came from ``access_client``)."""
    return list(
        PrivacyRequest.objects.filter(client=client)
        .select_related("filed_by", "decided_by")
        .order_by("-received_on", "-id")
    )


def privacy_request_get(*, client: Client, pk: Any) -> PrivacyRequest:
    """One request of the client, or ``PrivacyRequest.DoesNotExist``."""
    return PrivacyRequest.objects.select_related(
        "client", "filed_by", "decided_by", "extended_by"
    ).get(client=client, pk=pk)


def open_disputes(*, client: Client) -> list[Dispute]:
    """The client's open disputing requests, oldest first; once per request."""
    if known_absent(client, "privacy_disputes"):
        return []

    def read() -> list[Dispute]:
        rows = PrivacyRequest.objects.filter(
            client=client, status=PrivacyRequestStatus.OPEN, kind__in=list(DISPUTING_KINDS)
        ).order_by("received_on", "pk")
        return [
            Dispute(
                part=pr.part_label,
                received_on=pr.received_on,
                deadline=pr.deadline,
                tab=DISPUTED_PART_TAB.get(pr.disputed_part, ""),
            )
            for pr in rows
        ]

    return memo(("clients.privacy_disputes", client.pk), read)


def disputes_presence() -> dict[str, Any]:
    """``has_privacy_disputes`` for a client's own query: no query when there is none."""
    return {
        "has_privacy_disputes": client_presence(
            PrivacyRequest,
            "p.status = %s AND p.kind = ANY(%s)",
            (PrivacyRequestStatus.OPEN, sorted(DISPUTING_KINDS)),
        )
    }
