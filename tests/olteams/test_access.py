"""The access policy (olteams/access.py), role by role and action by action."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from olteams import access, request_cache
from olteams.access import (
    AccessGrant,
    ClientAction,
    access_client,
    can,
    categories_visible_to,
    clients_visible_to,
    municipality_ids_for,
    record_visible,
    roles_of,
    team_ids_for,
    teams_visible_to,
    withheld_message,
)
from olteams.constants import (
    CONSENT_CATEGORIES,
    RECORD_KIND_CATEGORY,
    ConsentPurpose,
    DataCategory,
    Discipline,
    OrganisationKind,
    RecordKind,
    Role,
    TeamRole,
)
from olteams.models import EmergencyAccess
from tests.factories.clients import AssignmentFactory, ClientFactory, ConsentFactory
from tests.factories.olteams import (
    ControllerRoleFactory,
    MembershipFactory,
    MunicipalityRoleFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.factories.wmo import indication_request

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 24)
A = ClientAction
CARE_MEMBER = {A.VIEW, A.CHANGE, A.VIEW_CLINICAL, A.CHANGE_CLINICAL, A.VIEW_WMO, A.VIEW_PRIVACY}
# Team-only (never through an assignment across teams): export, merge, deciding privacy requests.
CARE_LEAD = CARE_MEMBER | {A.EXPORT, A.MERGE, A.DECIDE_PRIVACY}
CARE_SECRETARIAAT = {A.VIEW, A.CHANGE, A.EXPORT, A.VIEW_WMO, A.VIEW_PRIVACY}
ALL_CATEGORIES = frozenset(DataCategory.values)


def allowed_actions(user, client, today=TODAY) -> set[str]:
    return {action for action in ClientAction if can(user, client, action, today=today)}


# --- the role matrix on a client of the member's team ----------------------------------


@pytest.mark.parametrize(
    ("user_fixture", "expected"),
    [
        ("member", CARE_MEMBER),
        ("welfare_member", CARE_MEMBER),
        ("lead", CARE_LEAD),
        ("secretary", CARE_SECRETARIAAT),
        ("outsider", set()),
        ("consultant", set()),
        ("consultant_lead", set()),
        ("controller", {A.VIEW_FINANCE}),
        ("stuurgroep_user", set()),
        ("admin_user", set()),
    ],
)
def test_each_role_may_do_exactly_its_actions_on_a_team_client(
    request, own_client, user_fixture, expected
):
    user = request.getfixturevalue(user_fixture)
    assert allowed_actions(user, own_client) == expected


@pytest.mark.parametrize("action", list(ClientAction))
def test_clients_visible_to_lists_only_the_scope_of_the_action(
    action, own_client, foreign_client, member, outsider, lead
):
    visible = set(clients_visible_to(member, action=action, today=TODAY))
    assert visible == ({own_client} if action in CARE_MEMBER else set())
    visible_other = set(clients_visible_to(outsider, action=action, today=TODAY))
    assert visible_other == ({foreign_client} if action in CARE_MEMBER else set())
    assert set(clients_visible_to(lead, action=action, today=TODAY)) == (
        {own_client} if action in CARE_LEAD else set()
    )


@pytest.mark.parametrize("action", list(ClientAction))
def test_access_client_raises_404_for_every_action_outside_the_role(action, own_client, secretary):
    if action in CARE_SECRETARIAAT:
        assert access_client(secretary, own_client.pk, action=action, today=TODAY) == own_client
    else:
        with pytest.raises(Http404):
            access_client(secretary, own_client.pk, action=action, today=TODAY)


def test_anonymous_user_sees_nothing(own_client):
    anonymous = AnonymousUser()
    assert allowed_actions(anonymous, own_client) == set()
    assert roles_of(anonymous) == []
    assert list(teams_visible_to(anonymous)) == []
    assert municipality_ids_for(anonymous) == []
    with pytest.raises(Http404):
        access_client(anonymous, own_client.pk)


def test_inactive_user_sees_nothing_despite_a_membership(own_client, member):
    member.is_active = False
    member.save()
    assert allowed_actions(member, own_client) == set()


@pytest.mark.parametrize(
    ("valid_from", "valid_to"),
    [(dt.date(2020, 1, 1), dt.date(2026, 11, 23)), (dt.date(2026, 11, 25), None)],
    ids=["expired-yesterday", "starts-tomorrow"],
)
def test_membership_outside_its_period_gives_no_access(
    own_client, team, org_ggz, valid_from, valid_to
):
    user = MembershipFactory(
        team=team, organisation=org_ggz, valid_from=valid_from, valid_to=valid_to
    ).user
    assert allowed_actions(user, own_client) == set()
    assert roles_of(user, today=TODAY) == []
    assert team_ids_for(user, today=TODAY) == []


def test_membership_valid_through_its_last_day(own_client, team, org_ggz):
    user = MembershipFactory(team=team, organisation=org_ggz, valid_to=TODAY).user
    assert allowed_actions(user, own_client, today=TODAY) == CARE_MEMBER
    assert allowed_actions(user, own_client, today=TODAY + dt.timedelta(days=1)) == set()


# --- assignment across teams ------------------------------------------------------------


def test_assigned_worker_from_another_team_gets_care_actions_but_not_export_or_merge(
    own_client, outsider
):
    AssignmentFactory(client=own_client, worker=outsider)
    assert allowed_actions(outsider, own_client) == CARE_MEMBER


def test_assigned_lead_from_another_team_still_cannot_export_or_merge(
    own_client, other_team, org_ggz
):
    other_lead = MembershipFactory(team=other_team, organisation=org_ggz, role=TeamRole.LEAD).user
    AssignmentFactory(client=own_client, worker=other_lead)
    assert allowed_actions(other_lead, own_client) == CARE_MEMBER
    assert allowed_actions(other_lead, ClientFactory(team=other_team)) == CARE_LEAD


def test_ended_assignment_gives_no_access(own_client, outsider):
    AssignmentFactory(client=own_client, worker=outsider, end_date=dt.date(2026, 11, 23))
    assert allowed_actions(outsider, own_client) == set()


def test_assignment_without_an_active_membership_gives_no_access(own_client):
    former = UserFactory()
    AssignmentFactory(client=own_client, worker=former)
    assert allowed_actions(former, own_client) == set()


def test_assigned_secretariaat_gets_only_secretariaat_care_actions(own_client, other_team, org_ggz):
    other_secretary = MembershipFactory(
        team=other_team, organisation=org_ggz, role=TeamRole.SECRETARIAAT
    ).user
    AssignmentFactory(client=own_client, worker=other_secretary)
    assert allowed_actions(other_secretary, own_client) == {
        A.VIEW,
        A.CHANGE,
        A.VIEW_WMO,
        A.VIEW_PRIVACY,
    }


# --- Wmo consultants ----------------------------------------------------------------------


def _wmo_request(client, municipality, status: str) -> None:
    """A Wmo request of the client at the municipality, in ``status``."""
    indication_request(client, municipality, requested_by=UserFactory(), status=status)


def test_consultant_without_a_request_sees_no_client(own_client, consultant, consultant_lead):
    for user in (consultant, consultant_lead):
        assert allowed_actions(user, own_client) == set()
        assert list(clients_visible_to(user, action=A.VIEW_WMO)) == []
        assert categories_visible_to(user, own_client) == frozenset()


def test_consultant_never_reaches_clients_through_the_care_scope(own_client, consultant):
    for action in ClientAction:
        assert not access._care_scope(consultant, action, TODAY)


def test_consultant_with_a_submitted_request_sees_only_the_wmo_part(
    own_client, foreign_client, consultant, municipality, other_municipality
):
    _wmo_request(own_client, municipality, "ingediend")
    _wmo_request(foreign_client, other_municipality, "ingediend")
    assert allowed_actions(consultant, own_client) == {A.VIEW_WMO, A.DECIDE_WMO}
    assert allowed_actions(consultant, foreign_client) == set()
    assert categories_visible_to(consultant, own_client) == {DataCategory.WMO_SUPPORT}
    client = access_client(consultant, own_client.pk, action=A.VIEW_WMO)
    assert client.access_grant == AccessGrant(
        Role.WMO_CONSULTANT, None, "authorisation,wmo_request"
    )


def test_consultant_does_not_see_a_concept_request(own_client, consultant, municipality):
    _wmo_request(own_client, municipality, "concept")
    assert allowed_actions(consultant, own_client) == set()


def test_team_member_keeps_care_actions_and_cannot_decide_wmo(own_client, member, municipality):
    _wmo_request(own_client, municipality, "ingediend")
    assert allowed_actions(member, own_client) == CARE_MEMBER


# --- controllers ----------------------------------------------------------------------------


def test_controller_sees_accounts_of_clients_of_teams_their_organisation_staffs(
    own_client, foreign_client, controller
):
    # member (GGZ) staffs ``team``; nobody from GGZ staffs ``other_team`` here.
    assert set(clients_visible_to(controller, action=A.VIEW_FINANCE)) == {own_client}
    client = access_client(controller, own_client.pk, action=A.VIEW_FINANCE)
    assert client.access_grant == AccessGrant(Role.CONTROLLER, None, "authorisation,finance")


def test_controller_sees_clients_their_organisation_registered(foreign_client, org_welzijn):
    controller = ControllerRoleFactory(organisation=org_welzijn).user
    assert list(clients_visible_to(controller, action=A.VIEW_FINANCE)) == []
    foreign_client.registering_organisation = org_welzijn
    foreign_client.save()
    assert list(clients_visible_to(controller, action=A.VIEW_FINANCE)) == [foreign_client]


def test_controller_of_all_organisations_sees_every_clients_accounts_only(
    own_client, foreign_client
):
    controller = ControllerRoleFactory(organisation=None).user
    assert set(clients_visible_to(controller, action=A.VIEW_FINANCE)) == {
        own_client,
        foreign_client,
    }
    assert allowed_actions(controller, foreign_client) == {A.VIEW_FINANCE}


# --- teams and roles ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_fixture", "expected_roles"),
    [
        ("member", [Role.TEAM_MEMBER]),
        ("welfare_member", [Role.TEAM_MEMBER]),
        ("lead", [Role.TEAM_LEAD]),
        ("secretary", [Role.SECRETARIAAT]),
        ("outsider", [Role.TEAM_MEMBER]),
        ("consultant", [Role.WMO_CONSULTANT]),
        ("consultant_lead", [Role.WMO_LEAD, Role.WMO_CONSULTANT]),
        ("controller", [Role.CONTROLLER]),
        ("stuurgroep_user", [Role.STUURGROEP]),
        ("admin_user", [Role.FUNCTIONAL_ADMIN]),
    ],
)
def test_roles_of_each_role(request, user_fixture, expected_roles):
    assert roles_of(request.getfixturevalue(user_fixture)) == expected_roles


def test_roles_of_a_user_with_several_roles_most_specific_first(
    team, other_team, org_ggz, municipality
):
    user = MembershipFactory(team=team, organisation=org_ggz).user
    MembershipFactory(user=user, team=other_team, organisation=org_ggz, role=TeamRole.LEAD)
    MunicipalityRoleFactory(user=user, municipality=municipality)
    user.is_stuurgroep = True
    assert roles_of(user) == [
        Role.TEAM_LEAD,
        Role.TEAM_MEMBER,
        Role.WMO_CONSULTANT,
        Role.STUURGROEP,
    ]


def test_expired_municipality_role_is_no_role(municipality):
    user = MunicipalityRoleFactory(municipality=municipality, valid_to=dt.date(2026, 11, 23)).user
    assert roles_of(user, today=TODAY) == []
    assert municipality_ids_for(user, today=TODAY) == []


@pytest.mark.parametrize(
    ("user_fixture", "sees"),
    [
        ("member", {"team"}),
        ("lead", {"team"}),
        ("secretary", {"team"}),
        ("outsider", {"other_team"}),
        ("consultant", set()),
        ("controller", {"team", "other_team"}),
        ("stuurgroep_user", {"team", "other_team"}),
        ("admin_user", {"team", "other_team"}),
    ],
)
def test_teams_visible_to_each_role(request, team, other_team, user_fixture, sees):
    user = request.getfixturevalue(user_fixture)
    teams = {"team": team, "other_team": other_team}
    assert set(teams_visible_to(user)) == {teams[name] for name in sees}


def test_team_ids_for_filters_by_team_role(team, other_team, org_ggz, member):
    MembershipFactory(user=member, team=other_team, organisation=org_ggz, role=TeamRole.LEAD)
    assert sorted(team_ids_for(member)) == sorted([team.pk, other_team.pk])
    assert team_ids_for(member, roles=[TeamRole.LEAD]) == [other_team.pk]


# --- access_client ---------------------------------------------------------------------------


def test_access_client_returns_the_client_with_the_grant_for_the_audit_log(
    own_client, member, lead, team
):
    client = access_client(member, own_client.pk)
    assert client == own_client
    assert client.access_grant == AccessGrant(Role.TEAM_MEMBER, team.pk, "authorisation")
    assert access_client(lead, str(own_client.pk)).access_grant == AccessGrant(
        Role.TEAM_LEAD, team.pk, "authorisation"
    )


def test_grant_of_an_assigned_worker_names_their_own_team_and_the_treatment_relation(
    own_client, outsider, other_team
):
    AssignmentFactory(client=own_client, worker=outsider)
    client = access_client(outsider, own_client.pk, action=A.VIEW_CLINICAL)
    assert client.access_grant == AccessGrant(
        Role.TEAM_MEMBER, other_team.pk, "authorisation,treatment"
    )


def _raised(user, client_id) -> tuple[type, tuple, int]:
    with CaptureQueriesContext(connection) as queries:
        try:
            access_client(user, client_id)
        except Http404 as exc:
            return type(exc), exc.args, len(queries)
    raise AssertionError("access_client did not raise")


def test_missing_and_not_yours_are_indistinguishable(own_client, foreign_client, member):
    missing_id = foreign_client.pk + 1000
    not_yours = _raised(member, foreign_client.pk)
    missing = _raised(member, missing_id)
    assert not_yours == missing
    assert not_yours[:2] == (Http404, ())


@pytest.mark.parametrize("bad_id", [None, "", "abc", "1; DROP TABLE", "12.5"])
def test_access_client_raises_404_for_a_malformed_id(member, bad_id):
    with pytest.raises(Http404):
        access_client(member, bad_id)


def test_merged_away_record_is_never_returned(own_client, team, member):
    survivor = ClientFactory(team=team)
    own_client.merged_into = survivor
    own_client.save()
    assert list(clients_visible_to(member)) == [survivor]
    with pytest.raises(Http404):
        access_client(member, own_client.pk)


# --- data categories and consent -------------------------------------------------------------


def test_ggz_member_sees_every_category_without_consent(own_client, member):
    assert categories_visible_to(member, own_client) == ALL_CATEGORIES


def test_addiction_care_member_sees_every_category(own_client, team):
    vnn = OrganisationFactory(kind=OrganisationKind.VERSLAVINGSZORG)
    worker = MembershipFactory(
        team=team, organisation=vnn, discipline=Discipline.VERSLAVINGSZORG_MEDEWERKER
    ).user
    assert categories_visible_to(worker, own_client) == ALL_CATEGORIES


def test_welfare_member_sees_no_treatment_without_consent(own_client, welfare_member):
    assert categories_visible_to(welfare_member, own_client) == {
        DataCategory.WMO_SUPPORT,
        DataCategory.WELFARE,
    }


def test_welfare_member_sees_ggz_treatment_with_consent_for_their_organisation(
    own_client, welfare_member, org_welzijn
):
    ConsentFactory(
        client=own_client,
        recipient_organisation=org_welzijn,
        category=DataCategory.GGZ_TREATMENT,
        given_on=dt.date(2026, 1, 5),
    )
    assert categories_visible_to(welfare_member, own_client) == {
        DataCategory.WMO_SUPPORT,
        DataCategory.WELFARE,
        DataCategory.GGZ_TREATMENT,
    }


def test_withdrawn_consent_removes_the_category(own_client, welfare_member, org_welzijn):
    consent = ConsentFactory(
        client=own_client,
        recipient_organisation=org_welzijn,
        category=DataCategory.GGZ_TREATMENT,
        given_on=dt.date(2026, 1, 5),
        withdrawn_on=dt.date(2026, 11, 1),
    )
    base = {DataCategory.WMO_SUPPORT, DataCategory.WELFARE}
    assert categories_visible_to(welfare_member, own_client, today=TODAY) == base
    # Before the withdrawal took effect the category was visible.
    assert categories_visible_to(welfare_member, own_client, today=dt.date(2026, 10, 31)) == (
        base | {DataCategory.GGZ_TREATMENT}
    )
    consent.withdrawn_on = None
    consent.save()
    assert DataCategory.GGZ_TREATMENT in categories_visible_to(
        welfare_member, own_client, today=TODAY
    )


def test_consent_for_another_organisation_or_another_client_does_not_count(
    own_client, foreign_client, welfare_member, org_ggz, org_welzijn
):
    ConsentFactory(
        client=own_client, recipient_organisation=org_ggz, category=DataCategory.GGZ_TREATMENT
    )
    ConsentFactory(
        client=foreign_client,
        recipient_organisation=org_welzijn,
        category=DataCategory.ADDICTION_TREATMENT,
    )
    assert categories_visible_to(welfare_member, own_client) == {
        DataCategory.WMO_SUPPORT,
        DataCategory.WELFARE,
    }


def test_consent_given_in_the_future_does_not_count_yet(own_client, welfare_member, org_welzijn):
    ConsentFactory(
        client=own_client,
        recipient_organisation=org_welzijn,
        category=DataCategory.ADDICTION_TREATMENT,
        given_on=dt.date(2026, 12, 1),
    )
    assert DataCategory.ADDICTION_TREATMENT not in categories_visible_to(
        welfare_member, own_client, today=TODAY
    )


@pytest.mark.parametrize(
    "user_fixture", ["outsider", "controller", "stuurgroep_user", "admin_user", "consultant"]
)
def test_users_without_care_or_wmo_access_see_no_category(request, own_client, user_fixture):
    user = request.getfixturevalue(user_fixture)
    assert categories_visible_to(user, own_client) == frozenset()


def test_the_wmo_app_keeps_the_fields_and_statuses_the_policy_relies_on():
    from django.apps import apps

    model = apps.get_model("wmo", "IndicationRequest")
    assert {"client", "municipality", "status"} <= {f.name for f in model._meta.get_fields()}
    statuses = {value for value, _label in model._meta.get_field("status").choices}
    assert set(access.WMO_VISIBLE_STATUSES) <= statuses
    assert "concept" in statuses
    assert "concept" not in access.WMO_VISIBLE_STATUSES


def _privacy_request(client, *, filed_by) -> None:
    """An open request of the client to see their whole file (AVG inzage)."""
    from clients.models import PrivacyRequest

    PrivacyRequest.objects.create(
        client=client,
        kind="inzage",
        description="Mijn hele dossier.",
        disputed_part="hele_dossier",
        received_on=TODAY,
        filed_via="brief",
        filed_by=filed_by,
        due_on=TODAY + dt.timedelta(days=30),
    )


def test_privacy_officer_reaches_only_the_request_pages_of_clients_with_a_request(
    own_client, foreign_client, member
):
    """The privacy officer handles AVG requests: the clients with one, for the request
    pages only (VIEW_PRIVACY, DECIDE_PRIVACY), never the rest of the file."""

    officer = UserFactory(username="privacyfunctionaris", is_privacy_officer=True)
    assert allowed_actions(officer, own_client) == set()
    _privacy_request(own_client, filed_by=member)
    assert allowed_actions(officer, own_client) == {A.VIEW_PRIVACY, A.DECIDE_PRIVACY}
    assert allowed_actions(officer, foreign_client) == set()
    assert set(clients_visible_to(officer, action=A.VIEW_PRIVACY)) == {own_client}
    assert set(clients_visible_to(officer, action=A.VIEW)) == set()
    client = access_client(officer, own_client.pk, action=A.DECIDE_PRIVACY)
    assert client.access_grant == AccessGrant(
        Role.PRIVACY_OFFICER, None, "authorisation,privacy_request"
    )
    with pytest.raises(Http404):
        access_client(officer, foreign_client.pk, action=A.VIEW_PRIVACY)


def test_consent_for_another_purpose_does_not_count(own_client, welfare_member, org_welzijn):
    """Consent given for the Wmo request (or another purpose) is no consent for care."""
    for purpose in (ConsentPurpose.WMO_REQUEST, ConsentPurpose.OTHER):
        ConsentFactory(
            client=own_client,
            recipient_organisation=org_welzijn,
            category=DataCategory.RECOVERY_PLAN,
            purpose_kind=purpose,
        )
    assert categories_visible_to(welfare_member, own_client) == {
        DataCategory.WMO_SUPPORT,
        DataCategory.WELFARE,
    }
    ConsentFactory(
        client=own_client, recipient_organisation=org_welzijn, category=DataCategory.RECOVERY_PLAN
    )
    assert DataCategory.RECOVERY_PLAN in categories_visible_to(welfare_member, own_client)


def test_every_record_kind_falls_under_a_consent_category():
    assert set(RECORD_KIND_CATEGORY) == set(RecordKind.values)
    clinical = set(RecordKind.values) - {RecordKind.ZRM}
    assert {RECORD_KIND_CATEGORY[k] for k in clinical} <= CONSENT_CATEGORIES


@pytest.mark.parametrize("kind", [k for k in RecordKind.values if k != RecordKind.ZRM])
def test_record_visible_follows_the_consent_of_the_kinds_category(
    kind, own_client, member, welfare_member, org_welzijn
):
    assert record_visible(member, own_client, kind) is True  # GGZ: no consent needed
    assert record_visible(welfare_member, own_client, kind) is False
    ConsentFactory(
        client=own_client,
        recipient_organisation=org_welzijn,
        category=RECORD_KIND_CATEGORY[kind],
    )
    assert record_visible(welfare_member, own_client, kind) is True
    label = str(RecordKind(kind).label)
    assert withheld_message(kind) == (
        f"Geen toestemming van de cliënt om {label} te delen met uw organisatie."
    )


def test_consultant_sees_what_the_client_consented_to_share_with_their_municipality(
    own_client, consultant, municipality, other_municipality, org_welzijn
):
    _wmo_request(own_client, municipality, "ingediend")
    for recipient, purpose, category in (
        ({"recipient_municipality": other_municipality}, ConsentPurpose.WMO_REQUEST, "intake"),
        ({"recipient_municipality": municipality}, ConsentPurpose.CARE, "outcome_measures"),
        ({"recipient_organisation": org_welzijn}, ConsentPurpose.WMO_REQUEST, "crisis_plan"),
        ({"recipient_municipality": municipality}, ConsentPurpose.WMO_REQUEST, "recovery_plan"),
    ):
        ConsentFactory(
            client=own_client,
            **({"recipient_organisation": None} | recipient),
            category=category,
            purpose_kind=purpose,
        )
    assert categories_visible_to(consultant, own_client) == {
        DataCategory.WMO_SUPPORT,
        DataCategory.RECOVERY_PLAN,
    }


def test_the_consent_rule_is_read_once_per_request(own_client, welfare_member):
    with request_cache.request_cache():
        categories_visible_to(welfare_member, own_client)  # warms the facts and the answer
        with CaptureQueriesContext(connection) as queries:
            for kind in RecordKind.values:
                record_visible(welfare_member, own_client, kind)
    assert len(queries) == 0


def _user_with_every_fact(own_client, foreign_client, team, other_team, org_ggz, municipality):
    """A user with every kind of fact, some of them outside their period: the user, their
    membership in force, the emergency access in force and the moment it is in force."""
    user = UserFactory(username="alles")
    now = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
    lead = MembershipFactory(user=user, team=team, organisation=org_ggz, role=TeamRole.LEAD)
    MembershipFactory(
        user=user, team=other_team, organisation=org_ggz, valid_to=TODAY - dt.timedelta(days=1)
    )
    AssignmentFactory(client=foreign_client, worker=user, start_date=TODAY)
    AssignmentFactory(client=own_client, worker=user, start_date=TODAY + dt.timedelta(days=1))
    MunicipalityRoleFactory(user=user, municipality=municipality, is_lead=True)
    ControllerRoleFactory(user=user, organisation=org_ggz)
    kept = EmergencyAccess.objects.create(
        user=user,
        client_id=foreign_client.pk,
        reason="crisis",
        started_at=now - dt.timedelta(hours=2),
        expires_at=now + dt.timedelta(hours=1),
    )
    EmergencyAccess.objects.create(
        user=user,
        client_id=own_client.pk,
        reason="crisis",
        started_at=now - dt.timedelta(hours=2),
        expires_at=now - dt.timedelta(hours=1),
    )

    return user, lead, kept, now


def test_the_compiled_facts_query_reads_what_the_orm_query_reads(
    own_client, foreign_client, team, other_team, org_ggz, municipality
):
    """The facts are read by SQL compiled once per process (stand-in values replaced by
    the user, day and moment); each array holds what the ORM's query holds, for a user
    with every kind of fact, some of them outside their period."""
    user, lead, kept, now = _user_with_every_fact(
        own_client, foreign_client, team, other_team, org_ggz, municipality
    )

    by_orm = access._facts_queryset(user.pk, TODAY, now).get()
    by_sql = access._read_facts(user.pk, TODAY, now)

    assert by_sql is not None
    assert [list(column) for column in by_orm] == [list(column) for column in by_sql]
    memberships, assigned, municipalities, controller, emergency = by_sql
    assert [m["pk"] for m in memberships] == [lead.pk]
    assert assigned == [foreign_client.pk]
    assert municipalities == [{"id": municipality.pk, "lead": True}]
    assert controller == [org_ggz.pk]
    assert [e["pk"] for e in emergency] == [kept.pk]
    assert access._read_facts(user.pk + 1000, TODAY, now) is None


def test_a_signed_in_get_reads_the_facts_with_the_user(
    own_client, foreign_client, team, other_team, org_ggz, municipality, time_machine
):
    """Within a GET (a request cache open) the sign-in's read of the user brings the facts
    along: one statement for both, the same facts as their own query reads, and a user
    without the annotations. Outside a request cache the user is read alone."""
    from olteams.backends import StaffModelBackend

    user, _lead, _kept, now = _user_with_every_fact(
        own_client, foreign_client, team, other_team, org_ggz, municipality
    )
    time_machine.move_to(now, tick=False)
    expected = access._facts_of(access._read_facts(user.pk, TODAY, now))
    assert expected.memberships and expected.assigned and expected.emergency

    with request_cache.request_cache(), CaptureQueriesContext(connection) as queries:
        read = StaffModelBackend().get_user(user.pk)
        facts = access._user_facts(read, TODAY)
        access.membership_facts(read)
    assert len(queries) == 1
    assert read == user
    assert facts == expected
    assert not any(name.startswith("f_") for name in vars(read))

    with CaptureQueriesContext(connection) as queries:
        read = StaffModelBackend().get_user(user.pk)
        assert access._user_facts(read, TODAY) == expected
    assert len(queries) == 2


# --- the compiled client read ---------------------------------------------------------------


def test_the_compiled_client_read_answers_as_the_orm_for_every_role_action_and_client(
    own_client, foreign_client, team, other_team, org_ggz, municipality, request
):
    """``access_client`` runs one query compiled per shape of scope; for every user, action
    and client it reaches exactly whom ``clients_visible_to`` (the ORM's query) lists, and
    the client it returns carries what the ORM's instance carries, relations and page
    annotations included."""
    from caseload.selectors.facts import client_file_presence

    merged = ClientFactory(team=team)
    merged.merged_into = own_client
    merged.save()
    _wmo_request(foreign_client, municipality, "ingediend")
    assigned_outsider = request.getfixturevalue("outsider")
    AssignmentFactory(client=own_client, worker=assigned_outsider)
    officer = UserFactory(username="privacy", is_privacy_officer=True)
    _privacy_request(foreign_client, filed_by=request.getfixturevalue("member"))
    breaker = request.getfixturevalue("lead")
    now = timezone.now()
    EmergencyAccess.objects.create(
        user=breaker,
        client_id=foreign_client.pk,
        reason="crisis",
        started_at=now - dt.timedelta(hours=1),
        expires_at=now + dt.timedelta(hours=1),
    )
    users = [
        request.getfixturevalue(name)
        for name in ("member", "secretary", "consultant", "controller", "stuurgroep_user")
    ] + [assigned_outsider, officer, breaker, ControllerRoleFactory(organisation=None).user]
    select_related = ("team", "municipality", "registering_organisation")
    checked = 0
    for user in users:
        for action in ClientAction:
            listed = set(clients_visible_to(user, action=action, today=TODAY))
            for client in (own_client, foreign_client, merged):
                try:
                    found = access_client(
                        user,
                        client.pk,
                        action=action,
                        today=TODAY,
                        select_related=select_related,
                        annotate=client_file_presence,
                    )
                except Http404:
                    assert client not in listed, (user.username, action, client)
                    continue
                assert client in listed, (user.username, action, client)
                by_orm = (
                    clients_visible_to(user, action=action, today=TODAY)
                    .select_related(*select_related)
                    .annotate(**client_file_presence(TODAY))
                    .get(pk=client.pk)
                )
                assert _instance_state(found) == _instance_state(by_orm)
                checked += 1
    assert checked >= 20  # the matrix reached clients, not only refusals


def _instance_state(obj):
    fields = {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}
    related = {name: getattr(value, "pk", None) for name, value in obj._state.fields_cache.items()}
    presence = {k: v for k, v in vars(obj).items() if k.startswith("has_")}
    return fields, related, presence, obj._state.db


def test_one_compiled_client_read_serves_users_of_the_same_shape_with_their_own_ids(
    own_client, foreign_client, member, outsider
):
    """A member of one team and of another have scopes of the same shape: one compiled
    query, each run with the user's own team; neither reaches the other's client."""
    from olteams import compiled

    access_client(member, own_client.pk)  # compiles the shape (teams only)
    before = len(compiled._COMPILED_OBJECTS)
    assert access_client(outsider, foreign_client.pk) == foreign_client
    with pytest.raises(Http404):
        access_client(outsider, own_client.pk)
    with pytest.raises(Http404):
        access_client(member, foreign_client.pk)
    assert access_client(member, own_client.pk) == own_client
    assert len(compiled._COMPILED_OBJECTS) == before


def test_the_compiled_client_read_is_one_query_after_the_users_facts(own_client, member):
    access_client(member, own_client.pk)
    with request_cache.request_cache(), CaptureQueriesContext(connection) as queries:
        access_client(member, own_client.pk)
    # The user's facts (one query, shared by the page), then the client itself.
    assert len(queries) == 2
    # One team: an equality (an index read in order under = ANY is not, PostgreSQL 15).
    assert '"clients_client"."team_id" = ' in queries[-1]["sql"]
    assert "= ANY(" not in queries[-1]["sql"]


def test_a_scope_of_several_teams_is_one_array_parameter(own_client, foreign_client, member):
    """Two teams: ``= ANY`` of one array, so any number of teams shares the compiled SQL;
    each member reaches the clients of all their teams and no other."""
    other_team = foreign_client.team
    MembershipFactory(
        user=member, team=other_team, organisation=member.memberships.first().organisation
    )
    third = ClientFactory()
    with request_cache.request_cache(), CaptureQueriesContext(connection) as queries:
        assert access_client(member, foreign_client.pk) == foreign_client
    assert '"clients_client"."team_id" = ANY(' in queries[-1]["sql"]
    assert access_client(member, own_client.pk) == own_client
    with pytest.raises(Http404):
        access_client(member, third.pk)
    assert set(clients_visible_to(member)) == {own_client, foreign_client}


@pytest.mark.parametrize("huge", [2**63, -(2**63) - 1, 10**30])
def test_the_compiled_client_read_refuses_an_id_outside_the_column(member, huge):
    with pytest.raises(Http404):
        access_client(member, huge)
