"""The access policy: the only place that decides who sees which client and what they may do.

Every selector and view that touches client data starts here. ``access_client`` answers
"missing" and "not yours" the same way (404), so a URL never reveals that a client exists.

Scopes (DESIGN.md, "the people and their journeys"):
- team member / lead / secretariaat: the clients of their teams, plus clients they are
  assigned to in another team;
- Wmo consultant: clients with a submitted indication request to their municipality, or a
  melding at their municipality's Wmo desk (the municipal route), and only the Wmo part of
  the file;
- controller: the clients of teams their organisation staffs, for the accounts only;
- stuurgroep and functional administrator: no client data at all;
- break-the-glass: a team member or lead with an active ``EmergencyAccess`` to a client
  outside their teams may view (never change) that client's file until it expires; the
  grant then has the grounds ``emergency`` and names the emergency access.

Higher apps are referred to by model label (``apps.get_model``) so this module depends on no
app to its right; the fields it relies on are part of those apps' public contract:
``clients.Client.team``, ``clients.Assignment(client, worker, start_date, end_date)``,
``clients.Consent(client, recipient_organisation, recipient_municipality, category,
purpose_kind, given_on, withdrawn_on)`` and
``wmo.IndicationRequest(client, municipality, status)`` and
``wmo.Melding(client, municipality, status)``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.db import models, router
from django.db.models import OuterRef, Q, QuerySet
from django.db.models.functions import JSONObject
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from olteams import request_cache
from olteams.compiled import compiled, read_object
from olteams.constants import (
    CONSENT_CATEGORIES,
    RECORD_KIND_CATEGORY,
    TREATMENT_ORGANISATION_KINDS,
    ConsentPurpose,
    DataCategory,
    Ground,
    RecordKind,
    Role,
    TeamRole,
)
from olteams.models import (
    ControllerRole,
    EmergencyAccess,
    Membership,
    MunicipalityRole,
    Team,
    User,
)
from olteams.request_cache import memo


class ClientAction(models.TextChoices):
    VIEW = "view", "inzien"
    CHANGE = "change", "wijzigen"
    VIEW_CLINICAL = "view_clinical", "klinische gegevens inzien"
    CHANGE_CLINICAL = "change_clinical", "klinische gegevens wijzigen"
    EXPORT = "export", "exporteren"
    MERGE = "merge", "samenvoegen"
    VIEW_WMO = "view_wmo", "Wmo-gegevens inzien"
    DECIDE_WMO = "decide_wmo", "Wmo-besluit nemen"
    VIEW_FINANCE = "view_finance", "verantwoording inzien"
    # The client's privacy requests (AVG): see and file them; decide or extend them.
    VIEW_PRIVACY = "view_privacy", "privacyverzoeken inzien en registreren"
    DECIDE_PRIVACY = "decide_privacy", "over privacyverzoeken beslissen"


# Which team roles may perform a care-scope action.
_CARE_ROLES: dict[str, frozenset[str]] = {
    ClientAction.VIEW: frozenset(TeamRole.values),
    ClientAction.CHANGE: frozenset(TeamRole.values),
    ClientAction.VIEW_CLINICAL: frozenset({TeamRole.MEMBER, TeamRole.LEAD}),
    ClientAction.CHANGE_CLINICAL: frozenset({TeamRole.MEMBER, TeamRole.LEAD}),
    ClientAction.EXPORT: frozenset({TeamRole.LEAD, TeamRole.SECRETARIAAT}),
    ClientAction.MERGE: frozenset({TeamRole.LEAD}),
    ClientAction.VIEW_WMO: frozenset(TeamRole.values),
    ClientAction.VIEW_PRIVACY: frozenset(TeamRole.values),
    ClientAction.DECIDE_PRIVACY: frozenset({TeamRole.LEAD}),
}
# Actions only for the client's own team: an assignment does not reach them across teams.
_TEAM_ONLY_ACTIONS = (ClientAction.EXPORT, ClientAction.MERGE, ClientAction.DECIDE_PRIVACY)
# The privacy officer reaches a client through a privacy request, for these actions only.
PRIVACY_ACTIONS = frozenset({ClientAction.VIEW_PRIVACY, ClientAction.DECIDE_PRIVACY})
# Break-the-glass: what an emergency access allows (viewing only), and who may hold one.
EMERGENCY_ACTIONS = frozenset(
    {ClientAction.VIEW, ClientAction.VIEW_CLINICAL, ClientAction.VIEW_WMO}
)
EMERGENCY_TEAM_ROLES = frozenset({TeamRole.MEMBER, TeamRole.LEAD})
# Wmo requests in these states are visible to the municipality (a concept is the team's own).
WMO_VISIBLE_STATUSES = (
    "ingediend",
    "in_behandeling",
    "toegekend",
    "gewijzigd",
    "afgewezen",
    "ingetrokken",
)
# A melding at the Wmo desk in these states keeps the resident visible to the municipality.
MELDING_VISIBLE_STATUSES = ("gemeld", "onderzoek", "besloten")


def _today(today: dt.date | None) -> dt.date:
    return today or request_cache.today()


# --- the user's access facts, read once per request -----------------------------------
# A page asks the policy many questions; each answer rests on the same few facts of the
# user (memberships, assignments, municipality and controller roles). Within a GET request
# each is read once (``olteams.request_cache``); elsewhere every call reads afresh.


def active_on(
    day: dt.date, *, start: str = "valid_from", end: str = "valid_to", prefix: str = ""
) -> Q:
    """Rows whose period (``start`` .. optional ``end``, both inclusive) contains ``day``."""
    return Q(**{f"{prefix}{start}__lte": day}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gte": day})
    )


def active_memberships(user: User, *, today: dt.date | None = None) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(active_on(_today(today)), user=user).select_related(
        "team", "organisation"
    )


@dataclass(frozen=True)
class MembershipFact:
    pk: int
    team_id: int
    role: str
    organisation_id: int
    organisation_kind: str


@dataclass(frozen=True)
class EmergencyFact:
    """An active emergency access of the user (break-the-glass)."""

    pk: int
    client_id: int
    expires_at: dt.datetime


@dataclass(frozen=True)
class _UserFacts:
    memberships: list[MembershipFact]
    assigned: frozenset[int]
    municipalities: list[tuple[int, bool]]
    controller_organisations: list[int | None]
    # Active emergency accesses by client id (whatever the user's roles; see emergency_facts).
    emergency: dict[int, EmergencyFact] = field(default_factory=dict)


_FACT_COLUMNS = ("f_memberships", "f_assigned", "f_municipalities", "f_controller", "f_emergency")


def user_facts_annotations(day: dt.date, now: dt.datetime) -> dict[str, Any]:
    """The user's facts on ``day`` (emergency accesses active at ``now``) as arrays of
    subqueries on the user row, named ``_FACT_COLUMNS``: for the facts' own query and for
    the sign-in's read of the user on every signed-in GET (``olteams.backends``), so the
    facts need no statement of their own there (``remember_facts``)."""
    assignment = apps.get_model("clients", "Assignment")
    return {
        "f_memberships": ArraySubquery(
            Membership.objects.filter(active_on(day), user_id=OuterRef("pk"))
            .order_by("pk")
            .values(
                json=JSONObject(
                    pk="pk",
                    team_id="team_id",
                    role="role",
                    organisation_id="organisation_id",
                    organisation_kind="organisation__kind",
                )
            )
        ),
        "f_assigned": ArraySubquery(
            assignment.objects.filter(
                active_on(day, start="start_date", end="end_date"),
                worker_id=OuterRef("pk"),
            )
            .order_by()  # a set: without Assignment's ordering by client name (a join)
            .values("client_id")
        ),
        "f_municipalities": ArraySubquery(
            MunicipalityRole.objects.filter(active_on(day), user_id=OuterRef("pk")).values(
                json=JSONObject(id="municipality_id", lead="is_lead")
            )
        ),
        "f_controller": ArraySubquery(
            ControllerRole.objects.filter(user_id=OuterRef("pk")).values("organisation_id")
        ),
        "f_emergency": ArraySubquery(
            EmergencyAccess.objects.filter(
                user_id=OuterRef("pk"), ended_at__isnull=True, expires_at__gt=now
            )
            .order_by("expires_at", "pk")
            .values(json=JSONObject(pk="pk", client_id="client_id", until="expires_at"))
        ),
    }


def _facts_queryset(user_id: int, day: dt.date, now: dt.datetime) -> QuerySet[Any]:
    """The facts of ``user_id`` on ``day`` (emergency accesses active at ``now``): one row
    of arrays of subqueries on the user row."""
    return (
        User.objects.filter(pk=user_id)
        .annotate(**user_facts_annotations(day, now))
        .values_list(*_FACT_COLUMNS)
        .order_by("pk")[:1]
    )


# The facts query is one statement for every user, day and moment; only its parameters
# differ. Building it with the ORM (five array subqueries resolved and compiled) costs some
# 3.5 ms of Python against a few tenths of a millisecond in PostgreSQL, and a write request
# reads it more than once. So each process compiles it once (``olteams.compiled``).
_STAND_INS = {
    "user_id": 2_147_480_009,
    "day": dt.date(1901, 2, 3),
    "now": dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC),
}


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _read_facts(user_id: int, day: dt.date, now: dt.datetime) -> Any:
    """The row of ``_facts_queryset`` (None for no such user), by its compiled SQL."""
    alias = router.db_for_read(User)
    query = compiled(
        "access.facts", alias, _facts_queryset, _STAND_INS, exactly_once=("user_id", "now")
    )
    row = query.run(alias, {"user_id": user_id, "day": day, "now": now})
    if row is None:
        return None
    memberships, assigned, municipalities, controller, emergency = row
    return (
        [_json(m) for m in memberships],
        list(assigned),
        [_json(m) for m in municipalities],
        list(controller),
        [_json(e) for e in emergency],
    )


def _facts_of(row: Any) -> _UserFacts:
    """The facts from the five arrays (``_FACT_COLUMNS``; None: no such user)."""
    if row is None:
        return _UserFacts([], frozenset(), [], [])
    memberships, assigned, municipalities, controller, emergency = row
    return _UserFacts(
        memberships=[MembershipFact(**_json(m)) for m in memberships],
        assigned=frozenset(assigned),
        municipalities=[(m["id"], m["lead"]) for m in map(_json, municipalities)],
        controller_organisations=list(controller),
        emergency={
            e["client_id"]: EmergencyFact(
                pk=e["pk"],
                client_id=e["client_id"],
                expires_at=dt.datetime.fromisoformat(e["until"]),
            )
            for e in map(_json, emergency)
        },
    )


def _user_facts(user: User, day: dt.date) -> _UserFacts:
    """Memberships, assignments, municipality and controller roles and active emergency
    accesses of the user on ``day``: one query (arrays of subqueries on the user row), once
    per request; none when the user was read with them (``remember_facts``)."""
    return memo(
        ("access.facts", user.pk, day),
        lambda: _facts_of(_read_facts(user.pk, day, timezone.now())),
    )


def remember_facts(user: User, day: dt.date) -> None:
    """Keep the facts a user read with ``user_facts_annotations`` came with as the
    request's facts of that user on ``day`` (outside a request cache: nothing to keep),
    and take the annotations off the user."""
    row = tuple(user.__dict__.pop(name) for name in _FACT_COLUMNS)
    request_cache.remember(("access.facts", user.pk, day), lambda: _facts_of(row))


def membership_facts(user: User, *, today: dt.date | None = None) -> list[MembershipFact]:
    """The user's active memberships (by primary key)."""
    if not user.is_authenticated:
        return []
    return _user_facts(user, _today(today)).memberships


def assigned_client_ids(user: User, *, today: dt.date | None = None) -> frozenset[int]:
    """The clients the user is assigned to today (any role)."""
    if not user.is_authenticated:
        return frozenset()
    return _user_facts(user, _today(today)).assigned


def emergency_facts(user: User, *, today: dt.date | None = None) -> dict[int, EmergencyFact]:
    """The user's active emergency accesses by client id; empty unless the user works in a
    team as member or lead today (break-the-glass is for care workers only)."""
    if not user.is_authenticated or not user.is_active:
        return {}
    facts = _user_facts(user, _today(today))
    if not facts.emergency or not any(m.role in EMERGENCY_TEAM_ROLES for m in facts.memberships):
        return {}
    return facts.emergency


def may_request_emergency_access(user: User, *, today: dt.date | None = None) -> bool:
    """Team members and leads may break the glass; controllers, the stuurgroep, Wmo
    consultants, the secretariaat and administrators may not."""
    return any(m.role in EMERGENCY_TEAM_ROLES for m in membership_facts(user, today=today))


def _municipality_roles(user: User, day: dt.date) -> list[tuple[int, bool]]:
    return _user_facts(user, day).municipalities


def _controller_organisations(user: User) -> list[int | None]:
    return _user_facts(user, _today(None)).controller_organisations


def team_ids_for(
    user: User, *, roles: Iterable[str] | None = None, today: dt.date | None = None
) -> list[int]:
    wanted = None if roles is None else set(roles)
    return sorted(
        {
            m.team_id
            for m in membership_facts(user, today=today)
            if wanted is None or m.role in wanted
        }
    )


def teams_visible_to(user: User, *, today: dt.date | None = None) -> QuerySet[Team]:
    """Teams whose overviews the user may open (their own teams; all for stuurgroep/admin)."""
    if not user.is_authenticated:
        return Team.objects.none()
    if user.is_stuurgroep or user.is_functional_admin or is_controller(user):
        return Team.objects.all()
    return Team.objects.filter(pk__in=team_ids_for(user, today=today))


def municipality_ids_for(
    user: User, *, lead_only: bool = False, today: dt.date | None = None
) -> list[int]:
    if not user.is_authenticated:
        return []
    return sorted(
        {m for m, lead in _municipality_roles(user, _today(today)) if lead or not lead_only}
    )


def is_controller(user: User) -> bool:
    return user.is_authenticated and bool(_controller_organisations(user))


def roles_of(user: User, *, today: dt.date | None = None) -> list[str]:
    """All roles the user holds today, most specific first."""
    if not user.is_authenticated:
        return []
    return _roles(user, _user_facts(user, _today(today)))


def _roles(user: User, facts: _UserFacts) -> list[str]:
    team_roles = {m.role for m in facts.memberships}
    municipality_leads = {lead: m for m, lead in facts.municipalities}
    roles: list[str] = []
    if TeamRole.LEAD in team_roles:
        roles.append(Role.TEAM_LEAD)
    if TeamRole.MEMBER in team_roles:
        roles.append(Role.TEAM_MEMBER)
    if TeamRole.SECRETARIAAT in team_roles:
        roles.append(Role.SECRETARIAAT)
    if True in municipality_leads:
        roles.append(Role.WMO_LEAD)
    if municipality_leads:
        roles.append(Role.WMO_CONSULTANT)
    if facts.controller_organisations:
        roles.append(Role.CONTROLLER)
    if user.is_stuurgroep:
        roles.append(Role.STUURGROEP)
    if user.is_functional_admin:
        roles.append(Role.FUNCTIONAL_ADMIN)
    if user.is_privacy_officer:
        roles.append(Role.PRIVACY_OFFICER)
    return roles


def request_roles(request: Any) -> list[str]:
    """``roles_of`` once per request: the page and the navigation share the answer."""
    roles = getattr(request, "_olteams_roles", None)
    if roles is None:
        roles = roles_of(request.user)
        request._olteams_roles = roles
    return roles


def _client_model() -> Any:
    return apps.get_model("clients", "Client")


def _model_or_none(label: str) -> Any:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _assigned_client_ids(user: User, today: dt.date, roles: Iterable[str]) -> list[int]:
    """The clients the user is assigned to today, as a list of ids; empty unless the user
    also holds an active membership with one of ``roles`` (assignment reaches across
    teams only for someone working in a team). One query: the membership check rides on
    the assignment query as an EXISTS."""
    if not user.is_authenticated:
        return []
    facts = _user_facts(user, today)
    wanted = set(roles)
    if not any(m.role in wanted for m in facts.memberships):
        return []
    return sorted(facts.assigned)


class AnyOf(models.Lookup):
    """``lhs = ANY(%s)`` with the values as one array parameter: the SQL is the same for
    any number of values, so a query built with it compiles once for every user (``IN``
    has a placeholder per value). PostgreSQL plans both alike (a ScalarArrayOpExpr: index
    scans, and a BitmapOr when OR-ed with another indexed condition)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs_sql} = ANY(%s)", (*lhs_params, list(self.rhs))


def _one_of(column: str, ids: int | list[int]) -> Any:
    """``column`` is ``ids``: equal to the one id, or any of a list (``_Scope.values``).
    One id stays an equality, as ``IN`` of one value was: PostgreSQL 15 does not take an
    index scan under ``= ANY(...)`` as ordered, and the client list of one team is sorted
    by name through the index (team, last name)."""
    if isinstance(ids, list):
        return AnyOf(models.F(column), ids)
    return Q(**{column: ids})


_SCOPE_LISTS = ("teams", "assigned", "municipalities", "finance_organisations", "emergency")


@dataclass(frozen=True)
class _Scope:
    """What a user reaches for one action, as values: the ids behind each part. ``q``
    makes the Q over ``clients.Client``; its SQL depends on ``shape`` (which parts there
    are) only, the id lists are its parameters (``values``)."""

    teams: tuple[int, ...] = ()
    assigned: tuple[int, ...] = ()
    municipalities: tuple[int, ...] = ()
    finance_all: bool = False
    finance_organisations: tuple[int, ...] = ()
    privacy: bool = False
    emergency: tuple[int, ...] = ()

    @property
    def shape(self) -> tuple[Any, ...]:
        """Per id list: absent (0), one id (1) or more (2); and the two flags."""
        lists = (min(len(getattr(self, name)), 2) for name in _SCOPE_LISTS)
        return (*lists, self.finance_all, self.privacy)

    def values(self) -> dict[str, int | list[int]]:
        """The parameters of ``q`` by name, for the parts the scope has: the id itself
        where there is one, else the list (``_one_of``)."""
        found: dict[str, int | list[int]] = {}
        for name in _SCOPE_LISTS:
            ids = getattr(self, name)
            if ids:
                found[name] = ids[0] if len(ids) == 1 else list(ids)
        return found

    def q(self, values: dict[str, Any] | None = None) -> Q | None:
        """The Q of this scope with ``values`` (default: its own) in the places of the ids
        of the parts it has; None when it reaches nobody."""
        ids = self.values() if values is None else values
        parts: list[Q] = []
        # The care scope: the user's teams, and assignment across teams. The assigned ids
        # are a parameter, not a subquery: PostgreSQL cannot turn an OR with a (hashed)
        # subquery into a BitmapOr of index scans, so "team_id IN (...) OR id IN (SELECT
        # ...)" filtered every client row (a sequential scan of clients_client for the
        # count, a walk of the whole name index for the page: 75 ms and 276 ms at 300k
        # clients). With a list both arms use an index (team, primary key). A worker has
        # few active assignments (at most a few hundred).
        care = [
            Q(_one_of(column, ids[name]))
            for column, name in (("team_id", "teams"), ("pk", "assigned"))
            if getattr(self, name)
        ]
        if care:
            parts.append(_or(care))
        if self.municipalities:
            parts.append(_wmo_q(ids["municipalities"]))
        if self.finance_all:
            parts.append(Q())
        elif self.finance_organisations:
            orgs = ids["finance_organisations"]
            staffed = Membership.objects.filter(_one_of("organisation_id", orgs))
            parts.append(
                Q(team_id__in=staffed.values("team_id"))
                | Q(_one_of("registering_organisation_id", orgs))
            )
        if self.privacy:
            request_model = _model_or_none("clients.PrivacyRequest")
            parts.append(Q(pk__in=request_model.objects.values("client_id")))
        if self.emergency:
            parts.append(Q(_one_of("pk", ids["emergency"])))
        return _or(parts) if parts else None


def _or(parts: list[Q]) -> Q:
    scope = parts[0]
    for part in parts[1:]:
        scope |= part
    return scope


def _wmo_q(municipality_ids: int | list[int]) -> Q:
    request_model = _model_or_none("wmo.IndicationRequest")
    client_ids = request_model.objects.filter(
        _one_of("municipality_id", municipality_ids), status__in=WMO_VISIBLE_STATUSES
    ).values("client_id")
    scope = Q(pk__in=client_ids)
    melding_model = _model_or_none("wmo.Melding")
    if melding_model is not None:
        reported = melding_model.objects.filter(
            _one_of("municipality_id", municipality_ids),
            status__in=MELDING_VISIBLE_STATUSES,
        ).values("client_id")
        scope |= Q(pk__in=reported)
    return scope


# Each part of the scope: the ``_Scope`` fields it sets for the user and action (none: the
# part does not apply).
def _care_scope(user: User, action: str, today: dt.date) -> dict[str, Any]:
    roles = _CARE_ROLES.get(action)
    if roles is None:
        return {}
    found: dict[str, Any] = {"teams": tuple(team_ids_for(user, roles=roles, today=today))}
    # Assignment reaches across teams, but only for a worker's own care actions.
    if action not in _TEAM_ONLY_ACTIONS:
        found["assigned"] = tuple(_assigned_client_ids(user, today, roles))
    return {name: ids for name, ids in found.items() if ids}


def _wmo_scope(user: User, action: str, today: dt.date) -> dict[str, Any]:
    if action not in (ClientAction.VIEW_WMO, ClientAction.DECIDE_WMO):
        return {}
    if _model_or_none("wmo.IndicationRequest") is None:
        return {}
    municipality_ids = tuple(municipality_ids_for(user, today=today))
    return {"municipalities": municipality_ids} if municipality_ids else {}


def _wmo_reaches(client_id: int, municipality_ids: list[int]) -> bool:
    """Whether a request or a melding of this client is at one of the municipalities (one
    query: two EXISTS on the client row)."""
    request_model = _model_or_none("wmo.IndicationRequest")
    if request_model is None:
        return False
    reached: Any = models.Exists(
        request_model.objects.filter(
            client_id=OuterRef("pk"),
            municipality_id__in=municipality_ids,
            status__in=WMO_VISIBLE_STATUSES,
        )
    )
    melding_model = _model_or_none("wmo.Melding")
    if melding_model is not None:
        reached = reached | models.Exists(
            melding_model.objects.filter(
                client_id=OuterRef("pk"),
                municipality_id__in=municipality_ids,
                status__in=MELDING_VISIBLE_STATUSES,
            )
        )
    return _client_model().objects.filter(reached, pk=client_id).exists()


def _finance_scope(user: User, action: str, today: dt.date) -> dict[str, Any]:
    if action != ClientAction.VIEW_FINANCE or not user.is_authenticated:
        return {}
    org_ids = _controller_organisations(user)
    if not org_ids:
        return {}
    if None in org_ids:
        return {"finance_all": True}
    return {"finance_organisations": tuple(pk for pk in org_ids if pk is not None)}


def _privacy_scope(user: User, action: str, today: dt.date) -> dict[str, Any]:
    """The privacy officer: the clients with a privacy request, for the request pages only
    (never the rest of the file: DESIGN.md, "clinical content beyond what a request needs")."""
    if action not in PRIVACY_ACTIONS or not user.is_privacy_officer:
        return {}
    if _model_or_none("clients.PrivacyRequest") is None:
        return {}
    return {"privacy": True}


def _emergency_scope(user: User, action: str, today: dt.date) -> dict[str, Any]:
    if action not in EMERGENCY_ACTIONS:
        return {}
    client_ids = tuple(sorted(emergency_facts(user, today=today)))
    return {"emergency": client_ids} if client_ids else {}


def _scope(user: User, action: str, day: dt.date) -> _Scope:
    """Every part of the user's scope for ``action`` on ``day``."""
    if not user.is_authenticated or not user.is_active:
        return _Scope()
    found: dict[str, Any] = {}
    for part in (_care_scope, _wmo_scope, _finance_scope, _privacy_scope, _emergency_scope):
        found.update(part(user, action, day))
    return _Scope(**found)


def client_scope(
    user: User, action: str = ClientAction.VIEW, *, today: dt.date | None = None
) -> Q | None:
    """The Q over ``clients.Client`` that the user may perform ``action`` on, or None."""
    return _scope(user, action, _today(today)).q()


def clients_visible_to(
    user: User, *, action: str = ClientAction.VIEW, today: dt.date | None = None
) -> QuerySet:
    """Every client query starts here. Merged-away records are never listed."""
    client = _client_model()
    scope = client_scope(user, action, today=today)
    if scope is None:
        return client.objects.none()
    return client.objects.filter(scope, merged_into__isnull=True)


@dataclass(frozen=True)
class AccessGrant:
    role: str
    team_id: int | None
    grounds: str
    # Details for the audit log, left out of equality (a grant is its role, team, grounds).
    # The worker's mother organisation in the role acted in (the grant's membership).
    organisation_id: int | None = field(default=None, compare=False)
    # Set when the access rests on break-the-glass only (grounds "emergency").
    emergency_access_id: int | None = field(default=None, compare=False)
    emergency_expires_at: dt.datetime | None = field(default=None, compare=False)

    @property
    def is_emergency(self) -> bool:
        return self.emergency_access_id is not None


def access_client(
    user: User,
    client_id: Any,
    *,
    action: str = ClientAction.VIEW,
    today: dt.date | None = None,
    queryset: QuerySet | None = None,
    select_related: Iterable[str] = (),
    annotate: Callable[[dt.date], dict[str, Any]] | None = None,
) -> Any:
    """Return the client if ``user`` may perform ``action`` on it, else raise Http404.

    The returned object carries ``access_grant`` (role, team and grounds) for the audit log.
    ``select_related`` names the client's relations the page reads with it, ``annotate``
    gives the expressions a page reads with the client in the same query (one query), for
    the day of the read (which the client then carries as ``read_day``).

    Without ``queryset`` the query is compiled once per process for each shape of scope
    (``_Scope.shape``), relations and ``annotate`` function, and run with the user's ids:
    composing and compiling it cost more than running it (issue 15)."""
    try:
        pk = int(client_id)
    except (TypeError, ValueError):
        raise Http404 from None
    day = _today(today)
    if queryset is None:
        client = _read_client(_scope(user, action, day), pk, tuple(select_related), annotate, day)
    else:
        qs = queryset.select_related(*select_related) if select_related else queryset
        if annotate:
            qs = qs.annotate(**annotate(day))
        client = qs.filter(pk=pk).first()
    if client is None:
        raise Http404
    if annotate:
        client.read_day = day
    client.access_grant = grant_for(user, client, action=action, today=today)
    return client


# Stand-ins of the compiled client read: no client has this id, no list holds these, and
# no annotation asks about this day.
_PK_STAND_IN = -(2**62)
_ID_STAND_INS = {name: -1000 - n for n, name in enumerate(_SCOPE_LISTS)}
_DAY_STAND_IN = dt.date(1901, 1, 2)


def _read_client(
    scope: _Scope,
    pk: int,
    select_related: tuple[str, ...],
    annotate: Callable[[dt.date], dict[str, Any]] | None,
    day: dt.date,
) -> Any:
    """The client ``pk`` if ``scope`` reaches it (and it is not merged away), else None."""
    if not any(scope.shape) or not -(2**63) < pk < 2**63:
        return None

    def build(pk: int, day: dt.date, **ids: Any) -> QuerySet:
        qs = _client_model().objects.filter(scope.q(ids), merged_into__isnull=True, pk=pk)
        if select_related:
            qs = qs.select_related(*select_related)
        if annotate is not None:
            qs = qs.annotate(**annotate(day))
        return qs.order_by()[:1]

    values = scope.values()
    # A stand-in of the values' form: one id, or a list (the shape says which).
    stand_ins = {
        name: [_ID_STAND_INS[name]] if isinstance(ids, list) else _ID_STAND_INS[name]
        for name, ids in values.items()
    }
    return read_object(
        ("access_client", scope.shape, select_related, annotate),
        _client_model(),
        build,
        {"pk": _PK_STAND_IN, "day": _DAY_STAND_IN, **stand_ins},
        {"pk": pk, "day": day, **values},
        exactly_once=("pk",),
        optional=("day",),  # only an annotation may ask about the day
    )


def grant_for(user: User, client: Any, *, action: str, today: dt.date | None = None) -> AccessGrant:
    """Why the user may act on this client: the grounds string of the NEN 7513 event."""
    day = _today(today)
    facts = _user_facts(user, day) if user.is_authenticated else _UserFacts([], frozenset(), [], [])
    memberships = facts.memberships
    membership = next((m for m in memberships if m.team_id == client.team_id), None)
    assigned = client.pk in facts.assigned
    grounds = [Ground.AUTHORISATION.value]
    if assigned:
        grounds.append(Ground.TREATMENT_RELATION.value)
    emergency = (
        emergency_facts(user, today=day).get(client.pk)
        if membership is None and not assigned and action in EMERGENCY_ACTIONS
        else None
    )
    if emergency is not None and not (action == ClientAction.VIEW_WMO and facts.municipalities):
        # Break-the-glass: the worker acts from their own team, in their care role.
        own = min(
            (m for m in memberships if m.role in EMERGENCY_TEAM_ROLES),
            key=lambda m: (m.team_id, m.pk),
        )
        return AccessGrant(
            Role.TEAM_LEAD if own.role == TeamRole.LEAD else Role.TEAM_MEMBER,
            own.team_id,
            Ground.EMERGENCY.value,
            organisation_id=own.organisation_id,
            emergency_access_id=emergency.pk,
            emergency_expires_at=emergency.expires_at,
        )
    if action in (ClientAction.VIEW_WMO, ClientAction.DECIDE_WMO) and membership is None:
        return AccessGrant(Role.WMO_CONSULTANT, None, ",".join([*grounds, Ground.WMO_REQUEST]))
    if action in PRIVACY_ACTIONS and membership is None and not assigned:
        return AccessGrant(Role.PRIVACY_OFFICER, None, ",".join([*grounds, Ground.PRIVACY_REQUEST]))
    if action == ClientAction.VIEW_FINANCE and membership is None:
        controller_orgs = [o for o in facts.controller_organisations if o is not None]
        return AccessGrant(
            Role.CONTROLLER,
            None,
            ",".join([*grounds, Ground.FINANCE]),
            organisation_id=controller_orgs[0] if len(controller_orgs) == 1 else None,
        )
    if membership is None:
        # An assigned worker from another team acts from their own team, in their own role.
        membership = min(memberships, key=lambda m: (m.team_id, m.pk), default=None)
    role = Role.TEAM_MEMBER
    if membership is not None:
        by_team_role: dict[str, Role] = {
            TeamRole.LEAD: Role.TEAM_LEAD,
            TeamRole.SECRETARIAAT: Role.SECRETARIAAT,
        }
        role = by_team_role.get(membership.role, Role.TEAM_MEMBER)
    team_id = membership.team_id if membership is not None else client.team_id
    return AccessGrant(
        role,
        team_id,
        ",".join(grounds),
        organisation_id=membership.organisation_id if membership is not None else None,
    )


def acting_organisation_id(user: User, *, today: dt.date | None = None) -> int | None:
    """The organisation a user acts for when no client grant says it: the mother
    organisation of their first active membership, else their controller organisation."""
    if not user.is_authenticated:
        return None
    return _acting_organisation(_user_facts(user, _today(today)))


def _acting_organisation(facts: _UserFacts) -> int | None:
    first = min(facts.memberships, key=lambda m: (m.team_id, m.pk), default=None)
    if first is not None:
        return first.organisation_id
    controller_orgs = [o for o in facts.controller_organisations if o is not None]
    return controller_orgs[0] if len(controller_orgs) == 1 else None


def acting_role_and_organisation(
    user: User, *, today: dt.date | None = None
) -> tuple[str, int | None]:
    """What an audit event names when no client grant does: the user's most specific role
    (the first of ``roles_of``) and ``acting_organisation_id``, from one read of the facts."""
    if not user.is_authenticated:
        return "", None
    facts = _user_facts(user, _today(today))
    return next(iter(_roles(user, facts)), ""), _acting_organisation(facts)


def consented_categories(
    client_ids: Iterable[int],
    *,
    purpose: str,
    day: dt.date,
    organisation_ids: Iterable[int] = (),
    municipality_ids: Iterable[int] = (),
) -> dict[int, set[str]]:
    """The clinical categories each client consented to share, on ``day``, for ``purpose``,
    with one of the recipient organisations or municipalities (one query).

    Consent counts only when given on or before ``day``, not withdrawn by then, for the
    purpose of the use (``ConsentPurpose``) and for the recipient."""
    orgs, municipalities = list(organisation_ids), list(municipality_ids)
    ids = list(client_ids)
    if not ids or not (orgs or municipalities):
        return {}
    consent = apps.get_model("clients", "Consent")
    recipient = Q(recipient_organisation_id__in=orgs) | Q(
        recipient_municipality_id__in=municipalities
    )
    rows = consent.objects.filter(
        recipient,
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day),
        client_id__in=ids,
        category__in=list(CONSENT_CATEGORIES | {DataCategory.WMO_SUPPORT}),
        purpose_kind=purpose,
        given_on__lte=day,
    ).values_list("client_id", "category")
    result: dict[int, set[str]] = {}
    for client_id, category in rows:
        result.setdefault(client_id, set()).add(category)
    return result


def is_treating_staff(user: User, *, today: dt.date | None = None) -> bool:
    """Staff of a GGZ or addiction-care organisation need no consent within their scope."""
    kinds = {m.organisation_kind for m in membership_facts(user, today=today)}
    return bool(kinds & TREATMENT_ORGANISATION_KINDS)


# Without consent: what welfare and support staff in the care scope, and Wmo consultants, see.
CARE_BASE_CATEGORIES = frozenset({DataCategory.WMO_SUPPORT.value, DataCategory.WELFARE.value})
WMO_BASE_CATEGORIES = frozenset({DataCategory.WMO_SUPPORT.value})


def categories_visible_to(
    user: User, client: Any, *, today: dt.date | None = None
) -> frozenset[str]:
    """Which data categories of this client's file the user may read.

    Staff of GGZ and addiction organisations in the client's care scope see everything;
    welfare and support staff in the care scope (assigned or not) see the clinical
    categories (``CONSENT_CATEGORIES``) only under the client's consent for their
    organisation for care in the team; Wmo consultants see the Wmo part and what the client
    consented to share with their municipality for the Wmo request. Read once per request.
    """
    day = _today(today)
    if not user.is_authenticated:
        return frozenset()

    def read() -> frozenset[str]:
        memberships = membership_facts(user, today=day)
        org_ids = {m.organisation_id for m in memberships}
        if can(user, client, ClientAction.VIEW_CLINICAL, today=day):
            if is_treating_staff(user, today=day):
                return frozenset(DataCategory.values)
            if request_cache.known_absent(client, "consent"):  # no consent on record at all
                return CARE_BASE_CATEGORIES
            consented = consented_categories(
                [client.pk], purpose=ConsentPurpose.CARE, day=day, organisation_ids=org_ids
            )
            return CARE_BASE_CATEGORIES | consented.get(client.pk, set())
        if can(user, client, ClientAction.VIEW_WMO, today=day):
            consented = consented_categories(
                [client.pk],
                purpose=ConsentPurpose.WMO_REQUEST,
                day=day,
                organisation_ids=org_ids,
                municipality_ids=municipality_ids_for(user, today=day),
            )
            return WMO_BASE_CATEGORIES | consented.get(client.pk, set())
        return frozenset()

    return memo(("access.categories", user.pk, client.pk, day), read)


def record_visible(user: User, client: Any, kind: str, *, today: dt.date | None = None) -> bool:
    """Whether the user may read this kind of clinical record (``RecordKind``) of the client:
    its consent category (``RECORD_KIND_CATEGORY``) is among the user's visible ones."""
    return RECORD_KIND_CATEGORY[kind] in categories_visible_to(user, client, today=today)


def withheld_message(kind: str) -> str:
    """The short Dutch explanation shown where a record is left out for want of consent."""
    return _("Geen toestemming van de cliënt om %(what)s te delen met uw organisatie.") % {
        "what": RecordKind(kind).label
    }


def can(user: User, client: Any, action: str, *, today: dt.date | None = None) -> bool:
    if request_cache.active():
        # Within a request the client object was just read through ``access_client``: its
        # team and merge state are current, and the facts answer without a query.
        return action in client_actions(user, client, actions=(action,), today=today)
    return clients_visible_to(user, action=action, today=today).filter(pk=client.pk).exists()


def client_actions(
    user: User, client: Any, *, actions: Iterable[str], today: dt.date | None = None
) -> frozenset[str]:
    """Which of ``actions`` the user may perform on this one client.

    The same answer as ``can`` for each action (a test holds them equal), in at most four
    small queries whatever the number of actions, instead of three per action: the client
    frame asks this for its tabs and header on every client page.
    """
    if not user.is_authenticated or not user.is_active or client.merged_into_id is not None:
        return frozenset()
    day = _today(today)
    wanted = list(actions)
    facts = _user_facts(user, day)
    memberships = [(m.team_id, m.role) for m in facts.memberships]
    assigned = bool(memberships) and client.pk in facts.assigned
    allowed: set[str] = set()
    for action in wanted:
        roles = _CARE_ROLES.get(action)
        if roles is None:
            continue
        in_team = any(team == client.team_id and role in roles for team, role in memberships)
        by_assignment = (
            action not in _TEAM_ONLY_ACTIONS
            and assigned
            and any(role in roles for _team, role in memberships)
        )
        if in_team or by_assignment:
            allowed.add(action)
    emergency_actions = EMERGENCY_ACTIONS & (set(wanted) - allowed)
    if emergency_actions and client.pk in emergency_facts(user, today=day):
        allowed |= emergency_actions
    wmo_actions = {ClientAction.VIEW_WMO, ClientAction.DECIDE_WMO} & (set(wanted) - allowed)
    municipality_ids = municipality_ids_for(user, today=day) if wmo_actions else []
    if municipality_ids and _wmo_reaches(client.pk, municipality_ids):
        allowed |= wmo_actions
    privacy_actions = PRIVACY_ACTIONS & (set(wanted) - allowed)
    if privacy_actions and user.is_privacy_officer:
        scope = _Scope(**_privacy_scope(user, ClientAction.VIEW_PRIVACY, day)).q()
        if scope is not None and _client_model().objects.filter(scope, pk=client.pk).exists():
            allowed |= privacy_actions
    if ClientAction.VIEW_FINANCE in wanted and ClientAction.VIEW_FINANCE not in allowed:
        scope = _Scope(**_finance_scope(user, ClientAction.VIEW_FINANCE, day)).q()
        if scope is not None and _client_model().objects.filter(scope, pk=client.pk).exists():
            allowed.add(ClientAction.VIEW_FINANCE)
    return frozenset(allowed)


def require_client(
    actor: User, client: Any, action: str = ClientAction.CHANGE, *, today: dt.date | None = None
) -> None:
    """The services' guard: an actor without ``action`` on the client gets a PermissionDenied."""
    if not can(actor, client, action, today=today):
        raise PermissionDenied(_("U hebt geen toegang tot deze cliënt."))


def can_export(user: User, *, today: dt.date | None = None) -> bool:
    """Whether the user may export client lists in any team (ClientAction.EXPORT's roles)."""
    return bool(team_ids_for(user, roles=_CARE_ROLES[ClientAction.EXPORT], today=today))


# --- the portal: the client's own door ----------------------------------------------------
# A portal principal is not a staff user: the client reads their own file, a naaste reads
# what the client granted them, category by category (``clients.NaasteGrant``). The portal's
# session and views are in ``olteams.portal``; what a principal may read is decided here.

PORTAL_CLIENT = "client"
PORTAL_NAASTE = "naaste"


@dataclass(frozen=True)
class PortalPrincipal:
    """Who is signed in to the portal: the client, or one naaste of one client."""

    account_id: int
    kind: str  # PORTAL_CLIENT or PORTAL_NAASTE
    client_id: int
    naaste_id: int | None
    name: str  # the signed-in person's own name (greeting, audit label)
    method: str  # how they signed in: "digid" or "activation"

    @property
    def is_client(self) -> bool:
        return self.kind == PORTAL_CLIENT

    @property
    def audit_label(self) -> str:
        """The ``username`` of the principal's audit events (no staff user exists)."""
        return f"portaal:{self.kind}:{self.account_id}"


def portal_shares(principal: PortalPrincipal, *, at: dt.datetime | None = None) -> frozenset[str]:
    """The categories (``clients.constants.PortalShare``) the principal may read now.

    The client reads every category of their own file; a naaste only what the client has
    granted and not withdrawn, read afresh on every request so a withdrawal counts at once.
    """
    share: Any = apps.get_model("clients", "NaasteGrant")
    if principal.is_client:
        return frozenset(value for value, _label in share._meta.get_field("category").choices)
    moment = at or timezone.now()
    granted = share.objects.filter(
        client_id=principal.client_id,
        naaste_id=principal.naaste_id,
        granted_at__lte=moment,
    ).filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=moment))
    return frozenset(granted.values_list("category", flat=True))


def portal_client(principal: PortalPrincipal, *, select_related: Iterable[str] = ()) -> Any:
    """The principal's client (never another one), or Http404 when the file is gone or
    merged away, or when a naaste's link to the client has ended."""
    qs = _client_model().objects.filter(pk=principal.client_id, merged_into__isnull=True)
    if principal.kind == PORTAL_NAASTE:
        qs = qs.filter(
            naasten__pk=principal.naaste_id,
            naasten__ended_on__isnull=True,
        )
    if select_related:
        qs = qs.select_related(*select_related)
    client = qs.first()
    if client is None:
        raise Http404
    return client
