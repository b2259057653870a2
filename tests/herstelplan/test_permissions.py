"""Permission matrix of every browser view of the herstelplan app (STYLE.md, "Access and audit").

Each route is requested by every role: anonymous, other team (member and lead), a user who
leads another team but is a plain member here, a worker of another team assigned to the
clients, the wrong roles (the team's secretariaat, who may not see clinical data; the Wmo
consultant of the client's municipality, who may see the client's Wmo part; the controller
of the staffing organisation, who may see the accounts; stuurgroep; functional
administrator) and the clinical team roles (member, welfare member, lead). The welfare
member's organisation has the client's consent to share every clinical category for care in
the team; a support worker of the team whose organisation has none (``no_consent``) gets
the explanation (403) on every page of one kind of record, and the overview. Expected:

- ``LOGIN``: a redirect to the sign-in page;
- ``404``: refused without revealing that the client (or the plan) exists;
- ``403``: the client did not consent to share this kind of record with the worker's
  organisation (olteams.consent): the short explanation, nothing changed;
- ``405``: a POST-only route answers a GET of a user who may change the plan;
- ``OK``: a GET gives 200 with the client's name on the page; a valid POST is carried out
  (302) and changes the data.

Whatever is refused, every row of the herstelplan and clients apps and every notification
is the same afterwards; the right role's POST with the same payload does change them, so
every "refusal changes nothing" case is able to fail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from clients.constants import AssignmentRole
from clients.models import Assignment, Client
from herstelplan import services
from herstelplan.constants import AgreementMethod
from herstelplan.models import TeamInstrumentSettings
from olteams.access import ClientAction, can
from olteams.constants import CONSENT_CATEGORIES, Discipline, OrganisationKind
from olteams.models import Notification
from tests.factories.clients import ConsentFactory
from tests.factories.herstelplan import (
    make_honos,
    make_iroc,
    make_plan,
    put_in_care,
    signal_plan_in_force,
)
from tests.factories.olteams import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.wmo import MunicipalProductFactory, wmo_consent
from tests.permissions import (
    ANON,
    OK,
    PermissionTable,
    Route,
    frozen_at,
    leads_elsewhere,
    models_of,
    outcome_table,
    rows_of,
    shared_world,
    text,
)
from wmo import services as wmo_services

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 11, tzinfo=dt.UTC)
IN_CARE_SINCE = dt.date(2025, 1, 1)

OUTSIDER, OTHER_LEAD, MIXED, ASSIGNED = "outsider", "other_lead", "mixed", "assigned"
SECRETARY, CONSULTANT, CONTROLLER = "secretary", "consultant", "controller"
STUURGROEP, ADMIN = "stuurgroep_user", "admin_user"
MEMBER, WELFARE, LEAD = "member", "welfare_member", "lead"
NO_CONSENT = "no_consent"
ROLES = (
    ANON,
    OUTSIDER,
    OTHER_LEAD,
    MIXED,
    ASSIGNED,
    SECRETARY,
    CONSULTANT,
    CONTROLLER,
    STUURGROEP,
    ADMIN,
    MEMBER,
    WELFARE,
    LEAD,
    NO_CONSENT,
)
CLINICAL_ROLES = (MEMBER, WELFARE, LEAD, MIXED, ASSIGNED)
NOT_CLINICAL = (OUTSIDER, OTHER_LEAD, SECRETARY, CONSULTANT, CONTROLLER, STUURGROEP, ADMIN)


def outcome(**by_outcome: tuple[str, ...]) -> dict[str, Any]:
    return outcome_table(ROLES, **by_outcome)


# Reading and changing one kind of clinical record: the team's clinicians and the assigned
# worker; a support worker without the client's consent for it gets the explanation.
CLINICAL = outcome(ok=CLINICAL_ROLES, e404=NOT_CLINICAL, e403=(NO_CONSENT,))
# The overview and the recovery phase: every clinician of the team (the overview leaves out,
# with the explanation, what the worker may not see).
CLINICAL_OPEN = outcome(ok=(*CLINICAL_ROLES, NO_CONSENT), e404=NOT_CLINICAL)
# A POST-only route: 405 for a GET of whoever may use it, 404 for everyone else.
POST_ONLY = outcome(e405=CLINICAL_ROLES, e404=NOT_CLINICAL, e403=(NO_CONSENT,))
# The team's instrument settings: its lead only (a lead elsewhere is not the lead here).
TEAM_LEAD = outcome(ok=(LEAD,), e404=(*NOT_CLINICAL, MEMBER, WELFARE, MIXED, ASSIGNED, NO_CONSENT))


@dataclass
class World:
    """Three clients of Team Noord in care, each in the state one group of routes needs."""

    client: Any  # Sanne de Boer: active plan v1, draft v2 with a goal and an action
    active: Any  # Sanne's active plan
    draft: Any  # Sanne's draft (copied from v1)
    renewable: Any  # Bram Smit: only an active plan (new version, new plan)
    agreed: Any  # Cor Bakker: a draft the client agreed to (activate)
    team: Any
    users: dict[str, Any]
    signal_active: Any = None  # Sanne's signaleringsplan in force (v1)
    signal_draft: Any = None  # Sanne's draft v2 of it (copied: red signs and contacts)

    @property
    def member(self) -> Any:
        return self.users[MEMBER]

    @property
    def goal(self) -> Any:
        return self.draft.goals.get()

    @property
    def action(self) -> Any:
        return self.goal.actions.get()


def _in_care(team: Any, first: str, last: str, worker: Any) -> Client:
    client = Client.objects.create(team=team, first_name=first, last_name=last)
    put_in_care(client, worker, on=IN_CARE_SINCE)
    return client


def _wmo_request(client: Any, member: Any, municipality: Any, plan: Any) -> None:
    """A submitted Wmo request: the consultant may now see the client's Wmo part."""
    MunicipalProductFactory(municipality=municipality, code="02B01")
    client.municipality = municipality
    client.save(update_fields=["municipality"])
    data = {
        "product_code": "02B01",
        "volume": 3,
        "unit": "04",
        "frequency": "2",
        "start": dt.date(2026, 3, 9),
        "end": dt.date(2026, 9, 8),
        "result_areas": [1],
        "motivation": "Ondersteuning bij de administratie.",
        "is_temporary": False,
        "goal_ids": [goal.pk for goal in plan.goals.all()],
        "zrm_scores": {"financien": 2},
    }
    request = wmo_services.request_create(actor=member, client=client, data=data)
    wmo_consent(client)
    wmo_services.request_submit(actor=member, request=request, now=NOW)


@shared_world
def world(
    care_client,
    team,
    other_team,
    municipality,
    org_ggz,
    member,
    welfare_member,
    lead,
    secretary,
    outsider,
    consultant,
    controller,
    stuurgroep_user,
    admin_user,
):
    sanne = care_client
    make_iroc(sanne, member, date=dt.date(2025, 9, 1), scores=3)
    make_honos(sanne, member, date=dt.date(2025, 9, 1), scores=1)
    active = make_plan(sanne, member, agreed_on=dt.date(2026, 1, 5), activate=True)
    draft = services.plan_new_version(actor=member, plan=active)
    services.goal_action_create(
        actor=member,
        goal=draft.goals.get(),
        lock_version=draft.lock_version,
        description="Samen vacatures zoeken",
        performer="client",
    )
    draft.refresh_from_db()
    bram = _in_care(team, "Bram", "Smit", member)
    make_plan(bram, member, agreed_on=dt.date(2026, 1, 5), activate=True)
    cor = _in_care(team, "Cor", "Bakker", member)
    agreed = make_plan(cor, member, agreed_on=dt.date(2026, 2, 1))
    TeamInstrumentSettings.objects.get_or_create(team=team)
    _wmo_request(sanne, member, municipality, active)
    signal_active = signal_plan_in_force(sanne, member, agreed_on=dt.date(2026, 2, 1))
    signal_draft = services.signal_plan_create(actor=member, client=sanne)
    # The welfare organisation has the clients' consent for every clinical category.
    welfare_org = welfare_member.memberships.get().organisation
    for client in (sanne, bram, cor):
        for category in CONSENT_CATEGORIES:
            ConsentFactory(client=client, recipient_organisation=welfare_org, category=category)
    no_consent = MembershipFactory(
        user=UserFactory(username="begeleider"),
        team=team,
        organisation=OrganisationFactory(kind=OrganisationKind.BEGELEIDING),
        discipline=Discipline.AMBULANT_BEGELEIDER,
    ).user

    other_lead, mixed = leads_elsewhere(team=team, other_team=other_team, organisation=org_ggz)
    assigned = MembershipFactory(
        user=UserFactory(username="ipscoach"), team=other_team, organisation=org_ggz
    ).user
    for client in (sanne, bram, cor):
        Assignment.objects.create(
            client=client,
            worker=assigned,
            role=AssignmentRole.BEGELEIDER,
            start_date=IN_CARE_SINCE,
        )
    users = {
        ANON: None,
        OUTSIDER: outsider,
        OTHER_LEAD: other_lead,
        MIXED: mixed,
        ASSIGNED: assigned,
        SECRETARY: secretary,
        CONSULTANT: consultant,
        CONTROLLER: controller,
        STUURGROEP: stuurgroep_user,
        ADMIN: admin_user,
        MEMBER: member,
        WELFARE: welfare_member,
        LEAD: lead,
        NO_CONSENT: no_consent,
    }
    return World(
        client=sanne,
        active=active,
        draft=draft,
        renewable=bram,
        agreed=agreed,
        team=team,
        users=users,
        signal_active=signal_active,
        signal_draft=signal_draft,
    )


# --- the route table -------------------------------------------------------------------


def _client(w: World) -> dict[str, Any]:
    return {"client_id": w.client.pk}


def _active(w: World) -> dict[str, Any]:
    return {"client_id": w.client.pk, "plan_id": w.active.pk}


def _draft(w: World) -> dict[str, Any]:
    return {"client_id": w.client.pk, "plan_id": w.draft.pk}


def _goal(w: World) -> dict[str, Any]:
    return {**_draft(w), "goal_id": w.goal.pk}


def _lock(w: World, **data: Any) -> dict[str, Any]:
    return {"lock_version": w.draft.lock_version, **data}


def iroc_form(w: World) -> dict[str, Any]:
    data = {"date": "2026-03-01", "filled_in_with": "Cliënt en casemanager"}
    for n in range(1, 13):
        data |= {f"score_{n}": 4, f"note_{n}": ""}
    return data


def honos_form(w: World) -> dict[str, Any]:
    return {
        "date": "2026-03-01",
        "item_8_problem_type": "B",
        "notes": "",
        **{f"item_{n}": 2 for n in range(1, 13)},
    }


def goal_form(w: World) -> dict[str, Any]:
    return _lock(w, text="Ik wil weer sporten.", priority=2, indicators=[5], evaluation_date="")


def _signal_active(w: World) -> dict[str, Any]:
    return {"client_id": w.client.pk, "signal_plan_id": w.signal_active.pk}


def _signal_draft(w: World) -> dict[str, Any]:
    return {"client_id": w.client.pk, "signal_plan_id": w.signal_draft.pk}


def signal_form(w: World) -> dict[str, Any]:
    return {
        "lock_version": w.signal_draft.lock_version,
        "red_signs": "Ik slaap niet en bel niemand terug.",
        "contact-TOTAL_FORMS": "1",
        "contact-INITIAL_FORMS": "0",
        "contact-0-name": "Crisisdienst",
        "contact-0-role": "crisisdienst",
        "contact-0-phone": "088 111 22 33",
    }


def _is_pdf(w: World, response: Any) -> bool:
    return response["Content-Type"] == "application/pdf"


SANNE = text("de Boer")
BRAM = text("Smit")

ROUTES = [
    Route("client-overview", CLINICAL_OPEN, _client, shows=SANNE),
    Route("iroc-list", CLINICAL, _client, shows=SANNE),
    Route("iroc-create", CLINICAL, _client, shows=SANNE, post=iroc_form),
    Route("honos-list", CLINICAL, _client, shows=SANNE),
    Route("honos-create", CLINICAL, _client, shows=SANNE, post=honos_form),
    Route(
        "phase-list",
        CLINICAL_OPEN,
        _client,
        shows=SANNE,
        post=lambda w: {"phase": 3, "date": "2026-03-01", "set_with": "Cliënt", "note": ""},
    ),
    Route("plan-list", CLINICAL, _client, shows=SANNE),
    Route(
        "plan-create",
        POST_ONLY,
        lambda w: {"client_id": w.renewable.pk},
        post=lambda w: {},
        post_expected=CLINICAL,
    ),
    Route("plan-detail", CLINICAL, _active, shows=SANNE),
    Route(
        "plan-edit",
        CLINICAL,
        _draft,
        shows=SANNE,
        post=lambda w: _lock(w, who_i_am="Ik werk graag buiten"),
    ),
    Route(
        "plan-agree",
        POST_ONLY,
        _draft,
        post=lambda w: _lock(w, agreed_on="2026-03-01", agreed_how=AgreementMethod.PAPER),
        post_expected=CLINICAL,
    ),
    Route(
        "plan-activate",
        POST_ONLY,
        lambda w: {"client_id": w.agreed.client_id, "plan_id": w.agreed.pk},
        post=lambda w: {"lock_version": w.agreed.lock_version},
        post_expected=CLINICAL,
    ),
    Route(
        "plan-new-version",
        POST_ONLY,
        lambda w: {"client_id": w.renewable.pk, "plan_id": w.renewable.plans.get().pk},
        post=lambda w: {},
        post_expected=CLINICAL,
    ),
    Route("plan-history", CLINICAL, _active, shows=SANNE),
    Route(
        "plan-pdf",
        CLINICAL,
        _active,
        shows=lambda w, response: response["Content-Type"] == "application/pdf",
    ),
    Route(
        "evaluation-create",
        CLINICAL,
        _active,
        shows=SANNE,
        post=lambda w: {"date": "2026-03-02", "text": "Gaat goed", "outcome": "continue"},
    ),
    Route("goal-create", CLINICAL, _draft, shows=SANNE, post=goal_form),
    Route("goal-edit", CLINICAL, _goal, shows=SANNE, post=goal_form),
    Route(
        "goal-delete",
        POST_ONLY,
        _goal,
        post=lambda w: _lock(w),
        post_expected=CLINICAL,
    ),
    Route(
        "action-create",
        CLINICAL,
        _goal,
        shows=SANNE,
        post=lambda w: _lock(w, description="Naar de sportschool", performer="client"),
    ),
    Route(
        "action-delete",
        POST_ONLY,
        lambda w: {**_draft(w), "action_id": w.action.pk},
        post=lambda w: _lock(w),
        post_expected=CLINICAL,
    ),
    Route("signal-plan-list", CLINICAL, _client, shows=SANNE),
    Route(
        "signal-plan-create",
        POST_ONLY,
        lambda w: {"client_id": w.renewable.pk},
        post=lambda w: {},
        post_expected=CLINICAL,
    ),
    Route("signal-plan-detail", CLINICAL, _signal_active, shows=SANNE),
    Route("signal-plan-edit", CLINICAL, _signal_draft, shows=SANNE, post=signal_form),
    Route(
        "signal-plan-agree",
        POST_ONLY,
        _signal_draft,
        post=lambda w: {
            "lock_version": w.signal_draft.lock_version,
            "agreed_on": "2026-03-01",
            "agreed_how": AgreementMethod.VERBAL,
        },
        post_expected=CLINICAL,
    ),
    Route("signal-plan-pdf", CLINICAL, _signal_active, shows=_is_pdf),
    Route("signal-plan-card", CLINICAL, _signal_active, shows=_is_pdf),
    Route(
        "team-settings",
        TEAM_LEAD,
        lambda w: {"team_id": w.team.pk},
        shows=text("Team"),
        post=lambda w: {
            "iroc_interval_months": 4,
            "honos_threshold_outpatient": 10,
            "honos_threshold_residential": 11,
            "honos_threshold_admission": 12,
            "honos_threshold_act": 14,
        },
    ),
]


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of the herstelplan and clients apps and every notification (the audit log
    is not part of it)."""
    return rows_of([*models_of("herstelplan", "clients"), Notification])


TABLE = PermissionTable("herstelplan", ROLES, ROUTES, snapshot)


_frozen = frozen_at(NOW)


# --- the tests -------------------------------------------------------------------------


test_every_route_is_in_the_table, test_get, test_post = TABLE.tests()


def test_the_wrong_roles_have_other_access_to_the_client(world):
    """The secretariaat and the consultant may see the client, just not the clinical part:
    their refusals test the action, not a stranger."""
    assert can(world.users[SECRETARY], world.client, ClientAction.VIEW)
    assert can(world.users[CONSULTANT], world.client, ClientAction.VIEW_WMO)
    assert can(world.users[CONTROLLER], world.client, ClientAction.VIEW_FINANCE)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_plan_of_another_client_is_not_found_under_this_clients_url(world, method):
    """The plan id belongs to Bram; under Sanne's URL it does not exist, even for her team."""
    from django.urls import reverse

    from tests.permissions import body, http_for

    other_plan = world.renewable.plans.get()
    url = reverse(
        "herstelplan:plan-edit", kwargs={"client_id": world.client.pk, "plan_id": other_plan.pk}
    )
    before = snapshot()
    http = http_for(world.users[LEAD])
    response = http.get(url) if method == "get" else http.post(url, {"lock_version": 1})
    assert response.status_code == 404
    assert "Smit" not in body(response)
    assert snapshot() == before


def test_ok_is_what_the_right_roles_get(world):
    """Guard the table itself: every OK row names a role that has the clinical action."""
    assert all(
        can(world.users[role], world.client, ClientAction.CHANGE_CLINICAL)
        for role in CLINICAL_ROLES
    )
    assert OK not in {POST_ONLY[role] for role in ROLES}
