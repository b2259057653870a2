"""NEN 7513 audit log: one helper writes every event; views declare what they record.

``audit_record`` is the single writer. Client-scoped views use ``ClientScopedMixin`` (class
views), ``client_view`` (function views) or ``ClientScopedApiMixin`` (DRF); all three
resolve the client through ``olteams.access.access_client`` and record the event, and all
three mark the view with ``audit_scope = "client"`` so a test can enumerate the URL patterns
and prove every client-scoped page records.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest

from olteams.access import AccessGrant, access_client, acting_role_and_organisation
from olteams.compiled import insert_new
from olteams.constants import AUDIT_ACTION_FOR_EVENT, AuditEventType, AuditOutcome
from olteams.models import AuditEvent, User

logger = logging.getLogger(__name__)

AUDIT_SCOPE_CLIENT = "client"


type _Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_PROXY_CACHE: dict[tuple[str, ...], tuple[_Network, ...]] = {}


def _trusted_networks() -> tuple[_Network, ...]:
    """``settings.TRUSTED_PROXIES`` as networks (a plain address is a /32 or /128)."""
    configured = tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ())
    networks = _PROXY_CACHE.get(configured)
    if networks is None:
        networks = tuple(ipaddress.ip_network(entry, strict=False) for entry in configured)
        _PROXY_CACHE[configured] = networks
    return networks


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 192.0.2.1:443
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _trusted(address: Any, networks: tuple[_Network, ...]) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address for the audit log (NEN 7513's access point).

    The peer (REMOTE_ADDR) unless the peer is one of ``settings.TRUSTED_PROXIES``: then the
    right-most address of X-Forwarded-For that is not a trusted proxy (each proxy appends
    the address it got the request from, so what stands left of the first untrusted one may
    be forged by the client). A header from any other peer is ignored; a malformed entry
    ends the walk at the last address that could be trusted.
    """
    if request is None:
        return None
    peer = request.META.get("REMOTE_ADDR") or None
    networks = _trusted_networks()
    peer_address = _address(peer) if peer else None
    if not networks or peer_address is None or not _trusted(peer_address, networks):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    candidate = str(peer_address)
    for entry in reversed([e for e in forwarded.split(",") if e.strip()]):
        address = _address(entry)
        if address is None:
            break
        candidate = str(address)
        if not _trusted(address, networks):
            break
    return candidate


def audit_record(
    *,
    user: User | None,
    event_type: str,
    request: HttpRequest | None = None,
    client_id: int | None = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    outcome: str = AuditOutcome.SUCCESS,
    grant: AccessGrant | None = None,
    responsible_user: User | None = None,
    detail: str = "",
    client_ids: Iterable[int] | None = None,
    role: str = "",
    username: str = "",
    grounds: str = "",
) -> AuditEvent:
    """Write one append-only audit event. Never logs personal data to the application log.

    The role and organisation are the grant's (the membership the user acted in); without
    a grant, ``role`` or else the user's first role, and their first membership's
    organisation. ``client_ids`` names the clients a search, list or export showed (in the
    order shown), so "who saw client X?" finds list views too. A grant under an emergency
    access marks the event with it. Without a staff user, ``username`` names the actor
    (a portal principal's label) instead of "anoniem"."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    authenticated = user is not None and user.is_authenticated
    if grant:
        role = grant.role
    organisation_id = grant.organisation_id if grant else None
    role_needed = not grant and not role and authenticated
    if user is not None and authenticated and (role_needed or organisation_id is None):
        acting_role, acting_organisation = acting_role_and_organisation(user)  # one read
        role = acting_role if role_needed else role
        organisation_id = acting_organisation if organisation_id is None else organisation_id
    shown = None if client_ids is None else list(dict.fromkeys(int(pk) for pk in client_ids))
    event = AuditEvent(
        action=AUDIT_ACTION_FOR_EVENT[AuditEventType(event_type)],
        event_type=event_type,
        outcome=outcome,
        user=user if authenticated else None,
        username=(user.get_username() if user and authenticated else (username or "anoniem"))[:150],
        responsible_user=responsible_user or (user if authenticated else None),
        role=str(role),
        team_id=grant.team_id if grant else None,
        ip_address=client_ip(request),
        client_id=client_id,
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        grounds=grant.grounds if grant else grounds,
        request_id=getattr(request, "request_id", None) or uuid.uuid4(),
        path=(request.path[:300] if request is not None else ""),
        detail=detail[:300],
        organisation_id=organisation_id,
        client_ids=shown,
        emergency_access_id=grant.emergency_access_id if grant else None,
    )
    insert_new(event)  # the ORM's INSERT, compiled once per process and prepared
    logger.info(
        "audit event_id=%s action=%s type=%s outcome=%s user_id=%s client_id=%s",
        event.pk,
        event.action,
        event_type,
        outcome,
        getattr(user, "pk", None),
        client_id,
    )
    return event


def audit_client(
    request: HttpRequest, client: Any, *, event_type: str, obj: Any = None, detail: str = ""
) -> AuditEvent:
    """Record an event on a client that ``access_client`` returned (it carries the grant)."""
    return audit_record(
        user=request.user,  # type: ignore[arg-type]
        event_type=event_type,
        request=request,
        client_id=client.pk,
        obj=obj if obj is not None else client,
        grant=getattr(client, "access_grant", None),
        detail=detail,
    )


_BIGINT_MAX = 2**63 - 1


def _requested_id(value: Any) -> int | None:
    """The asked-for client id, or None when it cannot be a client id (not a number, or
    outside the bigint column, as a fuzzer or a typo in a URL may send)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if -_BIGINT_MAX <= number <= _BIGINT_MAX else None


def access_client_audited(
    request: HttpRequest,
    client_id: Any,
    *,
    action: str,
    event_type: str,
    select_related: tuple[str, ...] = (),
    annotate: Callable[[dt.date], dict[str, Any]] | None = None,
) -> Any:
    """``access_client`` for a request: a refusal is recorded as a DENIED event (NEN 7513
    logs the outcome) with only the id that was asked for, then raised as the same 404."""
    try:
        return access_client(
            request.user,  # type: ignore[arg-type]
            client_id,
            action=action,
            select_related=select_related,
            annotate=annotate,
        )
    except Http404:
        audit_record(
            user=request.user,  # type: ignore[arg-type]
            event_type=event_type,
            request=request,
            client_id=_requested_id(client_id),
            outcome=AuditOutcome.DENIED,
            object_type="clients.client",
            detail=f"geen toegang ({action})",
        )
        raise


class ClientScopedMixin:
    """Class-based views on one client's data: access check, then one audit event.

    Set ``client_action`` (an ``olteams.access.ClientAction``) and ``audit_event_type``. The
    URL must carry ``client_id``. ``self.client`` is available in the handlers.
    """

    audit_scope = AUDIT_SCOPE_CLIENT
    client_action: str = "view"
    audit_event_type: str = AuditEventType.READ
    client_url_kwarg = "client_id"
    # Read with the client in the access query: the frame header shows the team.
    client_select_related: tuple[str, ...] = ("team",)
    client: Any

    # A function of the day giving the expressions read with the client in the access query
    # (a page's own facts); the query is compiled once per function (``access_client``).
    client_annotations: Callable[[dt.date], dict[str, Any]] | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            event_type = self.audit_event_type
            if request.method not in ("GET", "HEAD") and event_type == AuditEventType.READ:
                event_type = AuditEventType.UPDATE
            self.client = access_client_audited(
                request,
                kwargs.get(self.client_url_kwarg),
                action=self.client_action,
                event_type=event_type,
                select_related=self.client_select_related,
                annotate=self.client_annotations,
            )
            audit_client(request, self.client, event_type=event_type)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def client_view(
    *, action: str = "view", event_type: str = AuditEventType.READ, url_kwarg: str = "client_id"
) -> Callable:
    """Decorator for function views: ``view(request, client, **kwargs)``."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            client = access_client_audited(
                request,
                kwargs.pop(url_kwarg),
                action=action,
                event_type=event_type,
                select_related=("team",),
            )
            audit_client(request, client, event_type=event_type)
            return view(request, client, *args, **kwargs)

        wrapper.audit_scope = AUDIT_SCOPE_CLIENT  # type: ignore[attr-defined]
        return wrapper

    return decorator


class ClientScopedApiMixin:
    """DRF views under ``clients/<client_id>/…``: access, then one audit event per request."""

    audit_scope = AUDIT_SCOPE_CLIENT
    client_action: str = "view"
    client_url_kwarg = "client_id"
    client: Any

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        event_type = {
            "GET": AuditEventType.READ,
            "HEAD": AuditEventType.READ,
            "POST": AuditEventType.CREATE,
            "DELETE": AuditEventType.DELETE,
        }.get(request.method, AuditEventType.UPDATE)
        self.client = access_client_audited(
            request,
            kwargs.get(self.client_url_kwarg),
            action=self.client_action,
            event_type=event_type,
        )
        audit_client(request, self.client, event_type=event_type)


class ShownClientsApiMixin:
    """DRF list views: remember which clients the page of results names
    (``shown_client_ids``, from ``shown_client_attr`` of each row), so the list's SEARCH
    event can record them after the page is read."""

    shown_client_attr = "pk"
    shown_client_ids: list[int] | None = None

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)  # type: ignore[misc]
        rows = page if page is not None else []
        self.shown_client_ids = [
            pk for pk in (getattr(row, self.shown_client_attr, None) for row in rows) if pk
        ]
        return page


@dataclass(frozen=True)
class AuditChainBreak:
    seq: int | None
    event_id: int
    reason: str


# After a retention purge the chain starts at the anchor (olteams_auditchainanchor): the
# number and hash of the last removed event; without a purge the anchor is (0, '').
_CHAIN_CHECK = """
WITH anchor AS (
    SELECT coalesce((SELECT last_seq FROM olteams_auditchainanchor
                     ORDER BY last_seq DESC LIMIT 1), 0) AS seq,
           coalesce((SELECT last_hash FROM olteams_auditchainanchor
                     ORDER BY last_seq DESC LIMIT 1), '') AS hash
)
SELECT seq, id, n, before, prev_hash, hash, digest FROM (
    SELECT e.seq, e.id, e.prev_hash, e.hash,
           anchor.seq + row_number() OVER (ORDER BY e.seq NULLS FIRST, e.id) AS n,
           coalesce(lag(e.hash) OVER (ORDER BY e.seq NULLS FIRST, e.id), anchor.hash) AS before,
           olteams_audit_digest(e.prev_hash, e) AS digest
    FROM olteams_auditevent e CROSS JOIN anchor
) chain
WHERE seq IS NULL OR seq <> n OR prev_hash <> before OR hash <> digest
ORDER BY n
LIMIT 1
"""


def audit_chain_verify() -> tuple[int, AuditChainBreak | None]:
    """Recompute the hash chain (olteams_audit_digest); the number of events and the first
    broken link: an edited event, a missing one (a gap in ``seq``) or one inserted past
    the trigger."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM olteams_auditevent")
        total = cursor.fetchone()[0]
        cursor.execute(_CHAIN_CHECK)
        row = cursor.fetchone()
    if row is None:
        return total, None
    seq, event_id, number, before, prev_hash, _stored, _digest = row
    if seq is None:
        reason = "zonder ketennummer ingevoegd (trigger omzeild)"
    elif seq != number:
        reason = f"gebeurtenis(sen) vóór nummer {seq} ontbreken"
    elif prev_hash != before:
        reason = "de verwijzing naar de vorige gebeurtenis klopt niet"
    else:
        reason = "de inhoud is gewijzigd (hash klopt niet)"
    return total, AuditChainBreak(seq=seq, event_id=event_id, reason=reason)
