"""Permission matrix of every browser view of the clients app (STYLE.md, "Access and audit").

Each route in ``ROUTES`` is requested by every role in ``ROLES``: anonymous, other team
(member and lead), a user who leads another team but is a plain member here, the wrong roles
(Wmo consultant, controller of the staffing organisation, stuurgroep) and the team roles.
The expected outcome per role is one of:

- ``LOGIN``: a redirect to the sign-in page;
- ``403`` / ``404``: refused (a client-scoped route never reveals that the client exists);
- ``HIDDEN``: the page opens (200; a form POST is refused with 200/400) but the team's
  data is not on it;
- ``OK``: a GET gives 200 with the team's data on the page (when the route says what to look for);
  a valid POST is carried out (302) and changes the data.

Whatever is refused, a snapshot of every row of the clients app is the same afterwards.
Because the right role's POST with the same payload does change that snapshot, every
"denial changes nothing" case is able to fail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clients import services
from clients.constants import Phase
from clients.imports import import_job_create
from tests.clients.conftest import VALID_BSN
from tests.clients.url_kwargs import KWARG_FACTORIES
from tests.factories.clients import CareEpisodeFactory, ClientFactory, ReferralFactory
from tests.factories.olteams import UserFactory
from tests.permissions import (
    ANON,
    LOGIN,
    PermissionTable,
    Route,
    assert_login_redirect,
    frozen_at,
    http_for,
    leads_elsewhere,
    models_of,
    outcome_table,
    rows_of,
    shared_world,
    text,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2020, 3, 2, 11, tzinfo=dt.UTC)

OUTSIDER, OTHER_LEAD, MIXED = "outsider", "other_lead", "mixed"
CONSULTANT, CONTROLLER, STUURGROEP = "consultant", "controller", "stuurgroep_user"
MEMBER, SECRETARY, LEAD = "member", "secretary", "lead"
PRIVACY = "privacy_officer"  # no team: reaches a client only through its privacy requests
ROLES = (
    ANON,
    PRIVACY,
    OUTSIDER,
    OTHER_LEAD,
    MIXED,
    CONSULTANT,
    CONTROLLER,
    STUURGROEP,
    MEMBER,
    SECRETARY,
    LEAD,
)
TEAM_ROLES = (MEMBER, SECRETARY, LEAD, MIXED)
NOT_IN_TEAM = (OUTSIDER, OTHER_LEAD, CONSULTANT, CONTROLLER, STUURGROEP, PRIVACY)
NOT_IN_TEAM_NOR_PRIVACY = (OUTSIDER, OTHER_LEAD, CONSULTANT, CONTROLLER, STUURGROEP)


def outcome(**by_outcome: tuple[str, ...]) -> dict[str, Any]:
    return outcome_table(ROLES, **by_outcome)


# Care actions on one client (VIEW/CHANGE): every team role, nobody else.
CARE = outcome(ok=TEAM_ROLES, e404=NOT_IN_TEAM)
# A care-team role opens the file: the zorgsecretariaat cannot grant it (issue 14).
GRANT = outcome(ok=(MEMBER, LEAD, MIXED), e403=(SECRETARY,), e404=NOT_IN_TEAM)
# Team lists: everyone signed in gets the page, only the team sees its client on it.
TEAM_LIST = outcome(ok=TEAM_ROLES, hidden=NOT_IN_TEAM)
# Lists and exports for the lead and secretariaat of the team.
LEAD_OR_SECRETARY = outcome(
    ok=(LEAD, SECRETARY),
    hidden=(OTHER_LEAD, MIXED),
    e403=(MEMBER, OUTSIDER, CONSULTANT, CONTROLLER, STUURGROEP, PRIVACY),
)
# Forms that create something in one of the user's teams (no client yet).
TEAM_FORM = outcome(
    ok=TEAM_ROLES,
    hidden=(OUTSIDER, OTHER_LEAD),
    e403=(CONSULTANT, CONTROLLER, STUURGROEP, PRIVACY),
)
# Privacy requests (AVG): the client's team and the privacy officer (who reaches the client
# through its request) see and file them; the team's lead and the privacy officer decide.
PRIVACY_CARE = outcome(ok=(*TEAM_ROLES, PRIVACY), e404=NOT_IN_TEAM_NOR_PRIVACY)
PRIVACY_DECIDE = outcome(
    ok=(LEAD, PRIVACY), e403=(MEMBER, SECRETARY, MIXED), e404=NOT_IN_TEAM_NOR_PRIVACY
)
PRIVACY_REGISTER = outcome(ok=(*TEAM_ROLES, PRIVACY), hidden=NOT_IN_TEAM_NOR_PRIVACY)
PRIVACY_EXPORT = outcome(
    ok=(LEAD, SECRETARY, PRIVACY),
    hidden=(OTHER_LEAD, MIXED),
    e403=(MEMBER, OUTSIDER, CONSULTANT, CONTROLLER, STUURGROEP),
)


@dataclass
class World:
    """The team's data every request refers to; users by role."""

    team: Any
    other_team: Any
    client: Any  # Anna: open episode in phase intake, intake planned
    ended: Any  # a client whose episode has ended (re-entry)
    unfunded: Any  # in care, no funding
    duplicate: Any  # a second record of Anna (merge)
    referral: Any  # an undecided referral of the team
    job: Any  # an import job of the team
    users: dict[str, Any]
    orgs: dict[str, Any] = field(default_factory=dict)

    @property
    def member(self) -> Any:
        return self.users[MEMBER]


@shared_world
def world(
    waiting,
    team,
    other_team,
    org_ggz,
    org_welzijn,
    member,
    lead,
    secretary,
    outsider,
    consultant,
    controller,
    stuurgroep_user,
    psychiatrist,
):
    from clients.services.privacy_requests import file_request

    services.intake_plan(
        actor=member,
        episode=waiting,
        planned_on=dt.date(2020, 1, 20),
        planned_time=dt.time(10, 30),
        location="Teamkantoor",
        workers=[member, psychiatrist],
        today=dt.date(2020, 1, 10),
    )
    ended = ClientFactory(team=team, last_name="Uitgestroomd")
    CareEpisodeFactory(
        client=ended,
        phase=Phase.OUTFLOW,
        started_on=dt.date(2020, 1, 6),
        ended_on=dt.date(2020, 2, 1),
        outflow_reason="doelen_bereikt",
    )
    unfunded = ClientFactory(team=team, last_name="Zonderfinanciering")
    CareEpisodeFactory(client=unfunded, phase=Phase.IN_CARE, started_on=dt.date(2020, 1, 6))
    other_lead, mixed = leads_elsewhere(team=team, other_team=other_team, organisation=org_ggz)
    job = import_job_create(
        actor=lead,
        team=team,
        filename="lijst.csv",
        content=b"achternaam;roepnaam\nJansen;Piet\n",
        dry_run=True,
        skip_invalid=False,
    )
    file_request(
        waiting.client,
        kind="bezwaar",
        description="Ik wil niet dat mijn gegevens naar de gemeente gaan.",
        disputed="wmo",
        received_on=dt.date(2020, 2, 10),
        filed_via="brief",
        filed_by=member,
        today=dt.date(2020, 2, 10),
    )
    users = {
        ANON: None,
        PRIVACY: UserFactory(username="privacyfunctionaris", is_privacy_officer=True),
        OUTSIDER: outsider,
        OTHER_LEAD: other_lead,
        MIXED: mixed,
        CONSULTANT: consultant,
        CONTROLLER: controller,
        STUURGROEP: stuurgroep_user,
        MEMBER: member,
        SECRETARY: secretary,
        LEAD: lead,
    }
    return World(
        team=team,
        other_team=other_team,
        client=waiting.client,
        ended=ended,
        unfunded=unfunded,
        duplicate=ClientFactory(team=team, first_name="Anna", last_name="Dubbel", bsn=None),
        referral=ReferralFactory(team=team, person_name="Karel Onbeslist", created_by=member),
        job=job,
        users=users,
        orgs={"ggz": org_ggz, "welzijn": org_welzijn, "psychiatrist": psychiatrist},
    )


# --- the route table -------------------------------------------------------------------

Build = Callable[[World], Any]


def _client(w: World) -> dict[str, Any]:
    return {"client_id": w.client.pk}


def _with_pk(url_name: str) -> Build:
    """``client_id`` plus the object the shared URL-kwargs factory makes for the team member
    (never for the requesting user: an assignment would give them access)."""
    factory = KWARG_FACTORIES[f"clients:{url_name}"]["pk"]
    return lambda w: {"client_id": w.client.pk, "pk": factory(client=w.client, user=w.member)}


def _csv(w: World) -> SimpleUploadedFile:
    text = "achternaam;roepnaam;geboortedatum\nVisser;Els;1980-03-04\n"
    return SimpleUploadedFile("lijst.csv", text.encode(), content_type="text/csv")


def offers_team(w: World, response: Any) -> bool:
    """The form lets the user choose the team (a select, or hidden when it is their only one)."""
    return w.team in response.context["form"].fields["team"].queryset


ANNA = text("Boer")

ROUTES = [
    Route("client-list", TEAM_LIST, shows=ANNA),
    Route("client-export", LEAD_OR_SECRETARY, lambda w: {"fmt": "csv"}, shows=ANNA),
    Route(
        "client-register",
        TEAM_FORM,
        shows=offers_team,
        post=lambda w: {
            "team": w.team.pk,
            "first_name": "Kees",
            "last_name": "Mulder",
            "date_of_birth": "1975-06-01",
            "bsn": "111222333",
        },
    ),
    Route("waiting-list", TEAM_LIST, shows=ANNA),
    Route(
        "waiting-export",
        LEAD_OR_SECRETARY,
        lambda w: {"fmt": "csv"},
        shows=ANNA,
        # A lead of team B who is a plain member of team A once exported team A's waiting
        # list (the export used the VIEW scope); MIXED must now get nothing of team A.
    ),
    Route("unfunded-list", LEAD_OR_SECRETARY, shows=text("Zonderfinanciering")),
    Route("referral-list", TEAM_LIST, shows=text("Karel Onbeslist")),
    Route(
        "referral-create",
        TEAM_FORM,
        shows=offers_team,
        post=lambda w: {
            "team": w.team.pk,
            "person_name": "Piet Post",
            "referred_on": "2020-02-01",
            "source": "politie",
            "urgency": "spoed",
            "question": "Hij slaapt niet meer.",
        },
    ),
    Route(
        "referral-detail",
        CARE,
        lambda w: {"referral_id": w.referral.pk},
        shows=text("Karel Onbeslist"),
        post=lambda w: {"kind": "consultatie"},
        # Only the team's lead decides.
        post_expected=outcome(ok=(LEAD,), e403=(MEMBER, SECRETARY, MIXED), e404=NOT_IN_TEAM),
    ),
    Route(
        "import-create",
        LEAD_OR_SECRETARY,
        shows=offers_team,
        post=lambda w: {"team": w.team.pk, "file": _csv(w)},
        # Once offered every team of the user: a lead of team B who is a plain member of
        # team A could import into team A. Only lead/secretariaat teams are offered now.
    ),
    Route("import-detail", CARE, lambda w: {"job_id": w.job.pk}, shows=text("lijst.csv")),
    Route("client-detail", CARE, _client, shows=ANNA),
    Route("network", CARE, _client, shows=ANNA),
    Route(
        "client-update",
        CARE,
        _client,
        shows=ANNA,
        post=lambda w: {
            "first_name": "Anna",
            "name_prefix": "de",
            "last_name": "Boer-Nieuw",
            "date_of_birth": "1985-04-12",
            "bsn": VALID_BSN,
        },
    ),
    Route(
        "portal-activation",
        outcome(ok=(LEAD,), e403=(MEMBER, SECRETARY, MIXED), e404=NOT_IN_TEAM),
        lambda w: {"client_id": w.duplicate.pk},
        shows=text("Inloggen zonder DigiD"),
        post=lambda w: {},
    ),
    Route(
        "client-merge",
        outcome(ok=(LEAD,), e404=(MEMBER, SECRETARY, MIXED, *NOT_IN_TEAM)),
        _client,
        shows=text("Dubbel"),
        post=lambda w: {"merged": w.duplicate.pk, "confirm": "on"},
    ),
    Route(
        "episode-transition",
        CARE,
        _client,
        post=lambda w: {"to_phase": "voorzorg", "on": "2020-03-01"},
    ),
    Route("voorzorg-contact", CARE, _client, post=lambda w: {"on": "2020-03-01"}),
    Route(
        "intake-plan",
        CARE,
        _client,
        shows=text("Teamkantoor"),
        post=lambda w: {
            "planned_on": "2020-03-10",
            "planned_time": "09:00",
            "location": "Wijkcentrum",
            "workers": [w.member.pk],
        },
    ),
    Route("intake-letter", CARE, _client, get_writes=True),  # printing records when
    Route(
        "intake-complete",
        CARE,
        _client,
        post_expected=GRANT,  # it names the casemanager: a care-team grant
        post=lambda w: {
            "completed_on": "2020-01-20",
            "outcome_notes": "Goed gesprek.",
            "casemanager": w.member.pk,
            "regiebehandelaar": w.orgs["psychiatrist"].pk,
        },
    ),
    Route(
        "episode-start",
        CARE,
        lambda w: {"client_id": w.duplicate.pk},
        post=lambda w: {"on": "2020-03-01"},
    ),
    Route(
        "episode-reenter",
        CARE,
        lambda w: {"client_id": w.ended.pk},
        post_expected=GRANT,  # it names the casemanager: a care-team grant
        post=lambda w: {"on": "2020-03-01", "casemanager": w.member.pk},
    ),
    Route(
        "assignment-create",
        GRANT,
        _client,
        post=lambda w: {"worker": w.member.pk, "role": "casemanager", "start_date": "2020-03-01"},
    ),
    Route(
        "assignment-end",
        CARE,
        _with_pk("assignment-end"),
        post=lambda w: {"end_date": "2020-03-01"},
    ),
    Route(
        "involved-create",
        CARE,
        _client,
        post=lambda w: {
            "organisation": w.orgs["ggz"].pk,
            "funding_stream": "zvw",
            "start_date": "2020-03-01",
        },
    ),
    Route(
        "involved-end", CARE, _with_pk("involved-end"), post=lambda w: {"end_date": "2020-03-01"}
    ),
    Route(
        "involved-party-create",
        CARE,
        _client,
        post=lambda w: {
            "name": "Sportclub Vooruit",
            "kind": "sport",
            "activity": "Wandelgroep op dinsdag",
            "start_date": "2020-03-01",
        },
    ),
    Route(
        "involved-party-update",
        CARE,
        _with_pk("involved-party-update"),
        post=lambda w: {
            "name": "Dagcentrum De Eik",
            "kind": "dagbesteding",
            "activity": "Drie ochtenden",
            "start_date": "2020-01-01",
        },
    ),
    Route(
        "involved-party-end",
        CARE,
        _with_pk("involved-party-end"),
        post=lambda w: {"end_date": "2020-03-01"},
    ),
    Route(
        "naaste-create",
        CARE,
        _client,
        post=lambda w: {
            "name": "Piet",
            "relation": "vader",
            "role": "familie",
            "share_scope": "niets",
        },
    ),
    Route(
        "naaste-update",
        CARE,
        _with_pk("naaste-update"),
        post=lambda w: {
            "name": "Piet Anders",
            "relation": "vader",
            "role": "familie",
            "share_scope": "niets",
        },
    ),
    Route(
        "consent-create",
        CARE,
        _client,
        post=lambda w: {
            "recipient_organisation": w.orgs["welzijn"].pk,
            "category": "ggz_treatment",
            "purpose_kind": "care",
            "purpose": "Afstemming",
            "given_on": "2020-03-01",
        },
    ),
    Route(
        "consent-withdraw",
        CARE,
        _with_pk("consent-withdraw"),
        post=lambda w: {"withdrawn_on": "2020-03-01"},
    ),
    Route("privacy-register", PRIVACY_REGISTER, shows=ANNA),
    Route("privacy-register-export", PRIVACY_EXPORT, shows=ANNA),
    Route("privacy-request-list", PRIVACY_CARE, _client, shows=text("Bezwaar")),
    Route(
        "privacy-request-create",
        PRIVACY_CARE,
        _client,
        post=lambda w: {
            "kind": "correctie",
            "disputed": "personalia",
            "description": "Mijn geboortedatum klopt niet.",
            "received_on": "2020-03-01",
            "filed_via": "brief",
        },
    ),
    Route(
        "privacy-request-detail",
        PRIVACY_CARE,
        _with_pk("privacy-request-detail"),
        shows=text("Het adres in mijn personalia klopt niet."),
    ),
    Route(
        "privacy-request-decide",
        PRIVACY_DECIDE,
        _with_pk("privacy-request-decide"),
        post=lambda w: {"decision": "toegewezen", "reason": "Het adres is aangepast."},
    ),
    Route(
        "privacy-request-extend",
        PRIVACY_DECIDE,
        _with_pk("privacy-request-extend"),
        post=lambda w: {
            "months": "1",
            "reason": "Het dossier ligt bij drie organisaties.",
            "client_told_on": "2020-02-01",
        },
    ),
    Route(
        "privacy-request-withdraw",
        PRIVACY_CARE,
        _with_pk("privacy-request-withdraw"),
        post=lambda w: {"note": "De cliënt belde.", "confirm": "on"},
    ),
]


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every model of the clients app (the audit log is not part of it)."""
    return rows_of(models_of("clients"))


TABLE = PermissionTable(
    "clients", ROLES, ROUTES, snapshot, redirects=frozenset({"episode-outflow"})
)


_frozen = frozen_at(NOW)


# --- the tests -------------------------------------------------------------------------


test_every_route_is_in_the_table, test_get, test_post = TABLE.tests()


@pytest.mark.parametrize("role", ROLES)
def test_old_outflow_address_redirects_only_the_team(world, role):
    """episode-outflow → caseload:outflow (tests/caseload/test_permissions.py covers it)."""
    url = reverse("clients:episode-outflow", kwargs={"client_id": world.client.pk})
    before = snapshot()
    response = http_for(world.users[role]).post(url, {"on": "2020-03-01", "reason": "overleden"})
    expected = CARE[role]
    if expected == LOGIN:
        assert_login_redirect(response)
    elif expected in (403, 404):
        assert response.status_code == expected
    else:
        assert response.status_code == 307
        target = reverse("caseload:outflow", kwargs={"client_id": world.client.pk})
        assert response["Location"] == target
    assert snapshot() == before
