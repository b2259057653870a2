"""Reads behind the logging pages and the API: contacts, time and events, always scoped
by ``olteams.access``; and whether a contact's report (note) may be shown to a user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Protocol

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from caseload.models import Consultation, Contact, Crisis, IntensityChange, NonClientTime
from clients.models import Assignment, Client
from olteams.access import (
    CARE_BASE_CATEGORIES,
    WMO_BASE_CATEGORIES,
    ClientAction,
    access_client,
    active_on,
    categories_visible_to,
    clients_visible_to,
    consented_categories,
    is_treating_staff,
    membership_facts,
    municipality_ids_for,
    team_ids_for,
)
from olteams.constants import ConsentPurpose, DataCategory, TeamRole
from olteams.models import Membership, User

ALL_CATEGORIES = frozenset(DataCategory.values)


def _day(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# --- note visibility ---------------------------------------------------------------------


def contact_notes_visible(
    *, user: User, client: Client, today: dt.date | None = None
) -> frozenset[str]:
    """The note categories of ``client``'s contacts that ``user`` may read: the consent
    rule of the access policy (``categories_visible_to``): everything for treating staff,
    clinical notes for welfare and support staff (assigned or not) only with consent."""
    return categories_visible_to(user, client, today=_day(today))


class _Note(Protocol):
    """A contact or a timeline row of one: what decides whether its report shows."""

    note_category: str
    author_id: int


def contact_note_visible(
    categories: frozenset[str], contact: _Note, *, user_id: int | None = None
) -> bool:
    """Whether the report of ``contact`` is shown (no query): its category is among the
    user's visible ``categories``, or the user wrote it. Otherwise show the contact's meta
    only with "verslag afgeschermd"."""
    return contact.note_category in categories or (
        user_id is not None and contact.author_id == user_id
    )


def note_categories_by_client(
    *, user: User, client_ids: Iterable[int], today: dt.date | None = None
) -> dict[int, frozenset[str]]:
    """``contact_notes_visible`` for many clients in a fixed number of queries (lists)."""
    day = _day(today)
    ids = set(client_ids)
    if not ids or not user.is_authenticated:
        return {pk: frozenset() for pk in ids}
    clinical = set(
        clients_visible_to(user, action=ClientAction.VIEW_CLINICAL, today=day)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    wmo = set(
        clients_visible_to(user, action=ClientAction.VIEW_WMO, today=day)
        .filter(pk__in=ids - clinical)
        .values_list("pk", flat=True)
    )
    org_ids = [m.organisation_id for m in membership_facts(user, today=day)]
    treating = is_treating_staff(user, today=day)
    care = consented_categories(
        [] if treating else clinical, purpose=ConsentPurpose.CARE, day=day, organisation_ids=org_ids
    )
    by_wmo = consented_categories(
        wmo,
        purpose=ConsentPurpose.WMO_REQUEST,
        day=day,
        organisation_ids=org_ids,
        municipality_ids=municipality_ids_for(user, today=day),
    )
    result: dict[int, frozenset[str]] = {}
    for pk in ids:
        if pk in clinical and treating:
            result[pk] = ALL_CATEGORIES
        elif pk in clinical:
            result[pk] = CARE_BASE_CATEGORIES | care.get(pk, set())
        elif pk in wmo:
            result[pk] = WMO_BASE_CATEGORIES | by_wmo.get(pk, set())
        else:
            result[pk] = frozenset()
    return result


# --- contacts ----------------------------------------------------------------------------


def _with_related(qs: QuerySet[Contact]) -> QuerySet[Contact]:
    return qs.select_related("client", "team", "author").prefetch_related(
        "presences__worker", "presences__organisation", "goals"
    )


def contact_list(
    *,
    user: User,
    client: Any = None,
    team: Any = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    kind: str | None = None,
    funding: str | None = None,
) -> QuerySet[Contact]:
    """Contacts with clients the user may see, newest first, optionally filtered."""
    visible = clients_visible_to(user).values("pk")
    qs = Contact.objects.filter(client_id__in=visible)
    filters: dict[str, Any] = {
        "client": client,
        "team": team,
        "date__gte": date_from,
        "date__lte": date_to,
        "kind": kind,
        "funding_stream": funding,
    }
    qs = qs.filter(**{k: v for k, v in filters.items() if v not in (None, "")})
    return _with_related(qs).order_by("-starts_at", "-id")


def contact_get(*, user: User, contact_id: Any, action: str = ClientAction.VIEW) -> Contact:
    """One contact, 404 when missing or when its client is out of the user's reach. The
    client returned by ``access_client`` (with its grant, for the audit) is set on it."""
    try:
        pk = int(contact_id)
    except (TypeError, ValueError):
        raise Http404 from None
    contact = _with_related(Contact.objects.filter(pk=pk)).first()
    if contact is None:
        raise Http404
    contact.client = access_client(user, contact.client_id, action=action)
    return contact


def contact_last_kind(*, user: User) -> str | None:
    """The kind of the user's most recently logged contact (the form's default)."""
    return (
        Contact.objects.filter(author=user)
        .order_by("-created_at", "-id")
        .values_list("kind", flat=True)
        .first()
    )


def contact_worker_choices(*, client: Client, day: dt.date | None = None) -> QuerySet[User]:
    """Who can be present at a contact: the team's members and the client's care team."""
    today = _day(day)
    members = Membership.objects.filter(active_on(today), team_id=client.team_id).values("user_id")
    assigned = Assignment.objects.filter(
        active_on(today, start="start_date", end="end_date"), client=client
    ).values("worker_id")
    return (
        User.objects.filter(Q(pk__in=members) | Q(pk__in=assigned), is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


# --- time and events ---------------------------------------------------------------------


def non_client_time_list(
    *, user: User, team: Any = None, today: dt.date | None = None
) -> QuerySet[NonClientTime]:
    """The user's own non-client time; a team lead or secretariaat sees their teams'."""
    lead_teams = team_ids_for(user, roles=(TeamRole.LEAD, TeamRole.SECRETARIAAT), today=today)
    qs = NonClientTime.objects.filter(Q(worker=user) | Q(team_id__in=lead_teams))
    if team not in (None, ""):
        qs = qs.filter(team=team)
    return qs.select_related("worker", "team", "organisation").order_by("-date", "-id")


def consultation_list(
    *, user: User, team: Any = None, today: dt.date | None = None
) -> QuerySet[Consultation]:
    """Consultations counted for the user's teams. A consultation may be about a client of
    another team (a worker assigned across teams logged it): ``client_visible`` says whether
    the user may see that client; pages and API name the client only then."""
    qs = Consultation.objects.filter(team_id__in=team_ids_for(user, today=today))
    if team not in (None, ""):
        qs = qs.filter(team=team)
    visible = clients_visible_to(user, today=today).filter(pk=OuterRef("client_id"))
    return (
        qs.select_related("team", "worker", "organisation", "client")
        .annotate(client_visible=Exists(visible))
        .order_by("-date", "-id")
    )


def intensity_change_list(*, client: Client) -> QuerySet[IntensityChange]:
    return IntensityChange.objects.filter(client=client).select_related("by")


def crisis_list(*, client: Client) -> QuerySet[Crisis]:
    return Crisis.objects.filter(client=client).select_related("by")


def crisis_get(
    *, user: User, crisis_id: Any, client: Any = None, action: str = ClientAction.CHANGE
) -> Crisis:
    """One crisis of a client the user may act on (404 otherwise); ``crisis.client`` carries
    the access grant for the audit."""
    try:
        pk = int(crisis_id)
    except (TypeError, ValueError):
        raise Http404 from None
    crisis = Crisis.objects.filter(pk=pk).first()
    if crisis is None or (client is not None and crisis.client_id != client.pk):
        raise Http404
    crisis.client = client or access_client(user, crisis.client_id, action=action)
    return crisis
