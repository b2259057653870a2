"""Reads of the privacy officer and of break-the-glass: the access log (Toegangslog), a
client's access history, the emergency accesses to review, and the lookup that tells a care
worker that a client exists outside their teams (and nothing more)."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import Q, QuerySet

from olteams.access import (
    PORTAL_CLIENT,
    PORTAL_NAASTE,
    clients_visible_to,
    may_request_emergency_access,
)
from olteams.constants import AuditEventType, AuditOutcome
from olteams.models import AuditEvent, EmergencyAccess, User


def _client_filter(client_id: int) -> Q:
    """Events about the client: on its file (``client_id``, btree index) or naming it among
    the clients a list showed (``client_ids``, GIN index): PostgreSQL answers the OR with a
    BitmapOr of the two indexes, one query."""
    return Q(client_id=client_id) | Q(client_ids__contains=[client_id])


def access_log(
    *,
    client_id: int | None = None,
    username: str = "",
    event_type: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    emergency_only: bool = False,
) -> QuerySet[AuditEvent]:
    """The NEN 7513 log for the privacy officer, newest first: events on the client's file
    and the lists that showed the client, by user, kind, period, or break-the-glass only."""
    qs = AuditEvent.objects.select_related("team", "organisation", "emergency_access")
    if client_id is not None:
        qs = qs.filter(_client_filter(client_id))
    if username:
        qs = qs.filter(username=username)
    if event_type:
        qs = qs.filter(event_type=event_type)
    if start:
        qs = qs.filter(occurred_at__date__gte=start)
    if end:
        qs = qs.filter(occurred_at__date__lte=end)
    if emergency_only:
        qs = qs.filter(emergency_access__isnull=False)
    return qs.order_by("-occurred_at", "-id")


def client_access_history(
    *,
    client_id: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
    for_client: bool = False,
) -> QuerySet[AuditEvent]:
    """ "Wie heeft mijn dossier bekeken": who opened, changed, printed the client's file or saw
    the client in a list, newest first (successful accesses only; one indexed query, with
    the worker, organisation, team and emergency access joined in).

    ``for_client``: the list the client reads in the portal. The client's own looking
    (portal reads, sign-ins, downloads) is left out; what the client changed (a naaste's
    grant, a BSN) stays, and a naaste's refused attempts are added, so the client sees them.
    """
    shown = Q(outcome=AuditOutcome.SUCCESS)
    if for_client:
        shown |= Q(outcome=AuditOutcome.DENIED, role=PORTAL_NAASTE)
    qs = AuditEvent.objects.filter(_client_filter(client_id), shown)
    if for_client:
        qs = qs.exclude(role=PORTAL_CLIENT, event_type__in=CLIENT_OWN_LOOKING)
    if start:
        qs = qs.filter(occurred_at__date__gte=start)
    if end:
        qs = qs.filter(occurred_at__date__lte=end)
    return qs.select_related("organisation", "team", "user", "emergency_access").order_by(
        "-occurred_at", "-id"
    )


# The client's own looking at their file, left out of their own access history.
CLIENT_OWN_LOOKING = (
    AuditEventType.READ,
    AuditEventType.LOGIN,
    AuditEventType.EXPORT,
    AuditEventType.PRINT,
    AuditEventType.SEARCH,
)


def emergency_access_list(*, to_review: bool = False) -> QuerySet[EmergencyAccess]:
    """Every emergency access, newest first (``to_review``: those not yet reviewed)."""
    qs = EmergencyAccess.objects.select_related("user", "reviewed_by")
    if to_review:
        qs = qs.filter(reviewed_at__isnull=True)
    return qs.order_by("-started_at", "-id")


def client_id_for_lookup(query: str) -> int | None:
    """The client that a full BSN (nine digits) or a client number names exactly, or None.
    Merged-away records are never found."""
    value = "".join(ch for ch in (query or "").strip() if ch not in " .-")
    if not value.isdigit() or len(value) > 18:
        return None
    client = apps.get_model("clients", "Client")
    condition = Q(bsn=value) if len(value) == 9 else Q(pk=int(value))
    return (
        client.objects.filter(condition, merged_into__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )


def emergency_candidate(*, user: User, query: str) -> int | None:
    """A client outside the user's scope that ``query`` names exactly (a full BSN or a client
    number), for a care worker who may break the glass; None otherwise (also when the user
    already sees the client). The page shows only that such a client exists, no name."""
    if not may_request_emergency_access(user):
        return None
    client_id = client_id_for_lookup(query)
    if client_id is None or clients_visible_to(user).filter(pk=client_id).exists():
        return None
    return client_id
