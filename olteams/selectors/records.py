"""Reads of the organisational backbone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Func, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import NullIf
from django.utils import timezone

from olteams.access import active_on, clients_visible_to, team_ids_for
from olteams.constants import Discipline
from olteams.models import AuditEvent, Membership, Notification, User


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notices, newest first. ``client_name`` names the client a notice is about
    only when the access policy lets this reader see that client today; otherwise it is None."""
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    name = Func(
        Value(" "),
        "first_name",
        NullIf("name_prefix", Value("")),
        "last_name",
        function="CONCAT_WS",
        output_field=CharField(),
    )
    visible = clients_visible_to(user).filter(pk=OuterRef("client_id"))
    return qs.annotate(
        client_name=Subquery(visible.annotate(full_name_=name).values("full_name_")[:1])
    ).order_by("-created_at", "-id")


def notification_unread_count(*, user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def audit_event_list(
    *,
    client_id: int | None = None,
    username: str = "",
    action: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events, newest first; filters use the (client_id, occurred_at) index."""
    qs = AuditEvent.objects.select_related("team")
    if client_id is not None:
        qs = qs.filter(client_id=client_id)
    if username:
        qs = qs.filter(username=username)
    if action:
        qs = qs.filter(action=action)
    if start:
        qs = qs.filter(occurred_at__date__gte=start)
    if end:
        qs = qs.filter(occurred_at__date__lte=end)
    return qs.order_by("-occurred_at", "-id")


# --- staff choices -------------------------------------------------------------------------

STAFF_SEARCH_LIMIT = 15


@dataclass(frozen=True)
class StaffScope:
    """Who may be chosen (``queryset``), whose team labels them and is searched (``team_id``),
    who comes first (``first_ids``: the client's care team) and which team roles the search
    leaves out (``exclude_roles``, e.g. the zorgsecretariaat for a plan action)."""

    queryset: QuerySet[User]
    team_id: int | None = None
    first_ids: frozenset[int] = field(default_factory=frozenset)
    exclude_roles: tuple[str, ...] = ()


def _staff_membership(*, team_id: int | None, day: dt.date) -> QuerySet[Membership]:
    """The membership that labels a worker: the one in ``team_id`` first, else the oldest."""
    return Membership.objects.filter(active_on(day), user=OuterRef("pk")).order_by(
        Case(When(team_id=team_id, then=Value(0)), default=Value(1)), "valid_from", "pk"
    )


def staff_annotate(
    queryset: QuerySet[User],
    *,
    team_id: int | None,
    first_ids: Iterable[int] = (),
    today: dt.date | None = None,
) -> QuerySet[User]:
    """Workers labelled with discipline and organisation, the ``first_ids`` (the client's care
    team) first and then by name, so a team of 20+ reads as "the usual people, then the rest"."""
    membership = _staff_membership(team_id=team_id, day=today or timezone.localdate())
    return queryset.annotate(
        staff_discipline=Subquery(membership.values("discipline")[:1]),
        staff_organisation=Subquery(membership.values("organisation__short_name")[:1]),
        staff_first=Case(When(pk__in=list(first_ids), then=Value(0)), default=Value(1)),
    ).order_by("staff_first", "last_name", "first_name", "username")


def staff_label(user: User) -> str:
    """ "Naam · discipline, organisatie" (needs ``staff_annotate``; plain name without it)."""
    return staff_label_of(
        user.get_full_name() or user.get_username(),
        getattr(user, "staff_discipline", None),
        getattr(user, "staff_organisation", None),
    )


def staff_label_of(name: str, discipline: str | None, organisation: str | None) -> str:
    """``staff_label`` from the values themselves (for rows read without models)."""
    details = [str(Discipline(discipline).label) if discipline else "", organisation or ""]
    details = [d for d in details if d]
    return f"{name} · {', '.join(details)}" if details else name


def staff_search(
    *,
    user: User,
    query: str,
    team_id: int | None = None,
    exclude_ids: Iterable[int] = (),
    exclude_roles: Iterable[str] = (),
    today: dt.date | None = None,
) -> QuerySet[User]:
    """Active staff of the user's own teams (or of ``team_id``, when it is one of them) whose
    name matches every word of ``query``. Staff only: the answer names no client."""
    day = today or timezone.localdate()
    team_ids = team_ids_for(user, today=day)
    if team_id is not None:
        team_ids = [t for t in team_ids if t == team_id]
    members = Membership.objects.filter(active_on(day), team_id__in=team_ids)
    if exclude_roles:
        members = members.exclude(role__in=list(exclude_roles))
    qs = User.objects.filter(pk__in=members.values("user_id"), is_active=True)
    for word in query.split():
        qs = qs.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
        )
    qs = qs.exclude(pk__in=list(exclude_ids))
    return staff_annotate(qs, team_id=team_id, today=day)[:STAFF_SEARCH_LIMIT]
