"""The portal's permission table: every portal URL against every kind of visitor.

Visitors: anonymous; client A (the world's client) and client B (another team's client);
naaste N1 of client A with every share granted, naaste N0 of client A with none, and
naaste NB of client B with every share granted; and every staff role (a staff session is
nobody in the portal). Outcomes:

- ``PORTAL_LOGIN``: to the portal's sign-in page (anonymous and staff);
- ``OK``: 200 with the visitor's own client's data on the page (``shows``) and never the
  other client's (``never_shows``);
- ``403``: refused (a naaste without the grant, or on a client-only page); the refusal is
  logged and changes nothing else.

Each portal area adds its rows to ``ROUTES`` in its own module ``tests/portal/rows_<area>.py``
and lists the module in ``ROW_MODULES``; ``test_permissions.py`` runs them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from clients.constants import PortalShare
from olteams.constants import OrganisationKind, TeamRole
from tests.factories.clients import (
    ClientFactory,
    ClientPortalAccountFactory,
    NaasteFactory,
    NaasteGrantFactory,
    NaastePortalAccountFactory,
    make_bsn,
)
from tests.factories.olteams import (
    ControllerRoleFactory,
    MembershipFactory,
    MunicipalityRoleFactory,
    OrganisationFactory,
    TeamFactory,
    UserFactory,
)

ANON = "anonymous"
CLIENT_A, CLIENT_B = "client_a", "client_b"
NAASTE_GRANTED, NAASTE_NONE, NAASTE_B = "naaste_granted", "naaste_none", "naaste_b"
MEMBER, LEAD, SECRETARY, CONSULTANT, WMO_LEAD = (
    "member",
    "lead",
    "secretary",
    "consultant",
    "wmo_lead",
)
CONTROLLER, STUURGROEP, PRIVACY, ADMIN = (
    "controller",
    "stuurgroep",
    "privacy_officer",
    "functional_admin",
)
PORTAL_ROLES = (CLIENT_A, CLIENT_B, NAASTE_GRANTED, NAASTE_NONE, NAASTE_B)
# Every staff role (olteams.constants.Role): a staff session is nobody in the portal.
STAFF_ROLES = (
    MEMBER,
    LEAD,
    SECRETARY,
    CONSULTANT,
    WMO_LEAD,
    CONTROLLER,
    STUURGROEP,
    PRIVACY,
    ADMIN,
)
ROLES = (ANON, *PORTAL_ROLES, *STAFF_ROLES)
CLIENTS = (CLIENT_A, CLIENT_B)
NAASTEN_GRANTED = (NAASTE_GRANTED, NAASTE_B)

OK, PORTAL_LOGIN = "ok", "portal_login"


@dataclass
class PortalWorld:
    """Two clients in two teams with their portal accounts, naasten and staff users."""

    client_a: Any
    client_b: Any
    accounts: dict[str, Any]  # portal role -> clients.PortalAccount
    users: dict[str, Any]  # staff role -> olteams.User
    extra: dict[str, Any] = field(default_factory=dict)  # what an area's rows make

    def own_client(self, role: str) -> Any:
        """The client whose file the portal role opens (client B for B's people)."""
        return self.client_b if role in (CLIENT_B, NAASTE_B) else self.client_a

    def other_client(self, role: str) -> Any:
        return self.client_a if self.own_client(role) == self.client_b else self.client_b


def build_world() -> PortalWorld:
    ggz = OrganisationFactory(kind=OrganisationKind.GGZ)
    team_a, team_b = TeamFactory(), TeamFactory()
    client_a = ClientFactory(team=team_a, bsn=make_bsn(1), first_name="Annemiek")
    client_b = ClientFactory(team=team_b, bsn=make_bsn(2), first_name="Bertus")
    naaste_granted = NaasteFactory(client=client_a, name="Gerda Naaste")
    naaste_none = NaasteFactory(client=client_a, name="Nico Naaste")
    naaste_b = NaasteFactory(client=client_b, name="Bram Naaste")
    moment = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    for naaste in (naaste_granted, naaste_b):
        for category in PortalShare.values:
            NaasteGrantFactory(naaste=naaste, category=category, granted_at=moment)
    accounts = {
        CLIENT_A: ClientPortalAccountFactory(client=client_a),
        CLIENT_B: ClientPortalAccountFactory(client=client_b),
        NAASTE_GRANTED: NaastePortalAccountFactory(naaste=naaste_granted),
        NAASTE_NONE: NaastePortalAccountFactory(naaste=naaste_none),
        NAASTE_B: NaastePortalAccountFactory(naaste=naaste_b),
    }
    member = MembershipFactory(team=team_a, organisation=ggz).user
    lead = MembershipFactory(team=team_a, organisation=ggz, role=TeamRole.LEAD).user
    secretary = MembershipFactory(team=team_a, organisation=ggz, role=TeamRole.SECRETARIAAT).user
    consultant = MunicipalityRoleFactory().user
    wmo_lead = MunicipalityRoleFactory(is_lead=True).user
    controller = ControllerRoleFactory(organisation=ggz).user
    users = {
        MEMBER: member,
        LEAD: lead,
        SECRETARY: secretary,
        CONSULTANT: consultant,
        WMO_LEAD: wmo_lead,
        CONTROLLER: controller,
        STUURGROEP: UserFactory(is_stuurgroep=True),
        PRIVACY: UserFactory(is_privacy_officer=True),
        ADMIN: UserFactory(is_functional_admin=True),
    }
    return PortalWorld(client_a, client_b, accounts, users)


Build = Callable[[PortalWorld], Any]
Shows = Callable[[PortalWorld, str, str], bool]  # (world, role, page body) -> on the page?


@dataclass(frozen=True)
class PortalRoute:
    """One portal URL and what each visitor gets; ``post`` is a valid form for an OK role."""

    name: str  # URL name in the ``portal`` namespace
    expected: dict[str, Any]
    kwargs: Build = lambda w: {}
    case: str = ""
    shows: Shows | None = None  # the visitor's own data is on an OK page
    never_shows: Shows | None = None  # the other client's data is never on any page
    post: Callable[[PortalWorld, str], dict[str, Any]] | None = None
    post_expected: dict[str, Any] | None = None
    # A POST by an OK role redirects (302) or answers with a file (200).
    post_status: int = 302

    @property
    def id(self) -> str:
        return f"{self.name}[{self.case}]" if self.case else self.name

    def url(self, world: PortalWorld) -> str:
        return reverse(f"portal:{self.name}", kwargs=self.kwargs(world))


def outcomes(**by_outcome: tuple[str, ...]) -> dict[str, Any]:
    """Anonymous and staff always go to the portal's sign-in page; every portal role must be
    given exactly one outcome: ``ok``, ``e403`` or ``e404``."""
    table: dict[str, Any] = dict.fromkeys((ANON, *STAFF_ROLES), PORTAL_LOGIN)
    names = {"ok": OK, "e403": 403, "e404": 404}
    for name, roles in by_outcome.items():
        table |= dict.fromkeys(roles, names[name])
    assert set(table) == set(ROLES), set(ROLES) - set(table)
    return table


# Shorthands for the usual rows.
EVERYONE_OWN = outcomes(ok=PORTAL_ROLES)
CLIENT_ONLY = outcomes(ok=CLIENTS, e403=(NAASTE_GRANTED, NAASTE_NONE, NAASTE_B))
GRANTED_ONLY = outcomes(ok=(*CLIENTS, *NAASTEN_GRANTED), e403=(NAASTE_NONE,))
