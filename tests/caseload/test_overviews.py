"""Team overviews: every figure on constructed data, the page, permissions and audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from caseload.constants import ContactFunding, NonClientCode
from caseload.selectors import overviews as ov
from clients.constants import AssignmentRole, Phase
from clients.models import CareEpisode, InvolvedOrganisation, PhaseTransition
from olteams.constants import TeamRole
from olteams.models import AuditEvent
from tests.caseload import pages_fixtures
from tests.caseload.pages_fixtures import (
    TODAY,
    assign,
    consultation,
    contact,
    crisis,
    in_care,
    intensity,
    make_client,
    non_client,
)
from tests.factories.clients import ReferralFactory
from tests.factories.herstelplan import make_iroc
from tests.factories.olteams import MembershipFactory

pytestmark = pytest.mark.django_db

casemanager2 = pages_fixtures.casemanager2  # a fixture
frozen = pages_fixtures.frozen  # a fixture


def test_overview_team_get_only_lead_and_secretariaat_teams(team, other_team, lead, member):
    assert ov.overview_team_get(user=lead) == team
    assert ov.overview_team_get(user=lead, team_id=str(team.pk)) == team
    for bad in (other_team.pk, "x", 999999):
        with pytest.raises(ov.Http404):
            ov.overview_team_get(user=lead, team_id=bad)
    with pytest.raises(ov.Http404):
        ov.overview_team_get(user=member)


def test_waiting_summary_counts_and_longest_wait(team, lead, member):
    for days, phase in ((10, Phase.WAITING), (40, Phase.WAITING), (5, Phase.INTAKE)):
        c = make_client(team)
        referral = ReferralFactory(
            team=team, client=c, created_by=member, referred_on=TODAY - dt.timedelta(days=days)
        )
        CareEpisode.objects.create(
            client=c, referral=referral, phase=phase, started_on=referral.referred_on
        )
    in_care(make_client(team), member)

    summary = ov.waiting_summary(user=lead, team=team, today=TODAY)

    assert summary.total == 3
    assert summary.longest_days == 40
    assert summary.per_phase == [("Intake", 1, 5), ("Voorzorg / wachtlijst", 2, 40)]


def test_caseload_per_worker_counts_clients_per_fte_and_flags_the_norm(
    team, other_team, member, casemanager2, secretary
):
    for _i in range(9):  # the member has 0.80 FTE
        assign(make_client(team), member, AssignmentRole.CASEMANAGER)
    shared = make_client(team)
    assign(shared, member, AssignmentRole.BEGELEIDER)
    assign(shared, casemanager2, AssignmentRole.CASEMANAGER)
    for _i in range(10):
        assign(make_client(team), casemanager2, AssignmentRole.CASEMANAGER)
    assign(make_client(team), casemanager2, end=dt.date(2026, 1, 1))  # ended: not counted
    assign(make_client(other_team), casemanager2)  # another team's client: not counted

    loads = {w.worker.username: w for w in ov.caseload_per_worker(team=team, today=TODAY)}

    assert set(loads) == {"lid", "tweede"}  # not the secretariaat
    assert (loads["lid"].clients, loads["lid"].casemanager_clients) == (10, 9)
    assert loads["lid"].per_fte == Decimal("12.5")
    assert loads["lid"].over_norm is False
    assert (loads["tweede"].clients, loads["tweede"].casemanager_clients) == (11, 11)
    assert loads["tweede"].per_fte == Decimal("22.0")
    assert loads["tweede"].norm_clients == Decimal("10.0")
    assert loads["tweede"].over_norm is True


def test_norm_only_for_casemanagers(team, org_ggz):
    psychiatrist = MembershipFactory(
        team=team, organisation=org_ggz, discipline="psychiater", fte=Decimal("0.1")
    ).user
    for _ in range(5):
        assign(make_client(team), psychiatrist, AssignmentRole.PSYCHIATER)

    (load,) = ov.caseload_per_worker(team=team, today=TODAY)

    assert load.per_fte == Decimal("50.0")
    assert load.norm_applies is False and load.over_norm is False


def test_shared_caseload_counts_clients_per_combination(
    team, member, welfare_member, org_ggz, org_welzijn
):
    ggz_and_welzijn = [make_client(team) for _ in range(3)]
    for c in ggz_and_welzijn:
        assign(c, member)  # GGZ-T through the membership
        assign(c, welfare_member)  # WZ-T
    only_ggz = make_client(team)
    assign(only_ggz, member)
    InvolvedOrganisation.objects.create(  # the same organisation twice counts once
        client=only_ggz, organisation=org_ggz, start_date=dt.date(2025, 1, 1)
    )
    recorded = make_client(team)
    InvolvedOrganisation.objects.create(
        client=recorded, organisation=org_welzijn, start_date=dt.date(2025, 1, 1)
    )
    ended = make_client(team)
    InvolvedOrganisation.objects.create(
        client=ended,
        organisation=org_ggz,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2026, 1, 1),
    )

    assert ov.shared_caseload(team=team, today=TODAY) == [
        ("GGZ-T + WZ-T", 3),
        ("GGZ-T", 1),
        ("WZ-T", 1),
    ]


def test_inflow_and_outflow_per_month(team, member):
    episode = in_care(make_client(team), member, on=dt.date(2026, 1, 10))
    in_care(make_client(team), member, on=dt.date(2026, 1, 20))
    in_care(make_client(team), member, on=dt.date(2024, 1, 20))  # too long ago
    PhaseTransition.objects.create(
        episode=episode,
        from_phase=Phase.IN_CARE,
        to_phase=Phase.AFTERCARE,
        on=dt.date(2026, 2, 1),
        by=member,
    )
    PhaseTransition.objects.create(  # back from aftercare: not new inflow
        episode=episode,
        from_phase=Phase.AFTERCARE,
        to_phase=Phase.IN_CARE,
        on=dt.date(2026, 2, 10),
        by=member,
    )
    PhaseTransition.objects.create(
        episode=episode,
        from_phase=Phase.IN_CARE,
        to_phase=Phase.OUTFLOW,
        on=dt.date(2026, 3, 2),
        by=member,
    )

    flows = ov.inflow_outflow(team=team, today=TODAY)

    assert len(flows) == 12
    assert flows[0].month == dt.date(2025, 4, 1) and flows[-1].month == dt.date(2026, 3, 1)
    by_month = {f.month: (f.inflow, f.outflow) for f in flows}
    assert by_month[dt.date(2026, 1, 1)] == (2, 0)
    assert by_month[dt.date(2026, 2, 1)] == (0, 0)
    assert by_month[dt.date(2026, 3, 1)] == (0, 1)
    assert sum(f.inflow for f in flows) == 2


def test_referrals_per_source_last_twelve_months(team, member, other_team):
    for source, day in (
        ("huisarts", dt.date(2026, 3, 1)),
        ("huisarts", dt.date(2025, 5, 1)),
        ("wijkteam", dt.date(2026, 1, 1)),
        ("wijkteam", dt.date(2024, 1, 1)),  # too long ago
    ):
        ReferralFactory(team=team, source=source, referred_on=day, created_by=member)
    ReferralFactory(team=other_team, source="politie", referred_on=TODAY, created_by=member)

    assert ov.referrals_per_source(team=team, today=TODAY) == [
        ("Huisarts", 2),
        ("Sociaal team / wijkteam", 1),
    ]


def test_hours_per_worker_and_month(team, member, welfare_member):
    c = make_client(team)
    march, feb = dt.date(2026, 3, 2), dt.date(2026, 2, 10)
    contact(c, [member, welfare_member], day=march, minutes=60, travel=20)
    contact(c, [member], day=march, minutes=30, funding=ContactFunding.LIJNTJE_HOUDEN)
    contact(c, [member], day=feb, minutes=45, funding=ContactFunding.NAZORG)
    non_client(member, day=march, minutes=90)
    non_client(member, day=march, minutes=480, code=NonClientCode.ABSENCE)  # not indirect
    consultation(member, day=march, minutes=15)
    consultation(welfare_member, day=feb, minutes=30)

    cells = {
        (h.worker.username, h.month.month): (h.direct_minutes, h.indirect_minutes, h.unpaid_minutes)
        for h in ov.hours_per_worker_month(team=team, today=TODAY)
    }

    assert cells == {
        ("lid", 3): (90, 110, 45),
        ("lid", 2): (45, 0, 45),
        ("welzijn", 3): (60, 20, 0),
        ("welzijn", 2): (0, 0, 30),
    }
    rows = ov.hours_per_worker_month(team=team, today=TODAY)
    lid_march = next(h for h in rows if h.worker.username == "lid" and h.month.month == 3)
    assert (lid_march.direct, lid_march.indirect, lid_march.unpaid) == (
        Decimal("1.5"),
        Decimal("1.8"),
        Decimal("0.8"),
    )


def test_mdo_list_reasons(team, member, lead):
    def client_in_care(name):
        c = make_client(team, name=name)
        in_care(c, member)
        assign(c, member, AssignmentRole.CASEMANAGER)
        make_iroc(c, member, date=TODAY - dt.timedelta(days=10))
        contact(c, [member], day=TODAY - dt.timedelta(days=3))
        return c

    quiet = client_in_care("Rustig")
    crisis(client_in_care("Crisis"), member, start=TODAY - dt.timedelta(days=2))
    crisis(
        client_in_care("Oudecrisis"),
        member,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 2, 1),
    )
    intensity(client_in_care("Opgeschaald"), lead, day=TODAY - dt.timedelta(days=7))
    no_contact = make_client(team, name="Stil")
    in_care(no_contact, member)
    make_iroc(no_contact, member, date=TODAY - dt.timedelta(days=10))
    contact(no_contact, [member], day=TODAY - dt.timedelta(days=50))
    waiting = make_client(team, name="Wachtend")  # not in care: never on the MDO list
    CareEpisode.objects.create(client=waiting, phase=Phase.WAITING, started_on=TODAY)

    rows = {r.client.last_name: r.reasons for r in ov.mdo_list(user=lead, team=team, today=TODAY)}

    assert rows == {
        "Crisis": ["crisis loopt"],
        "Opgeschaald": ["op- of afgeschaald in de afgelopen 4 weken"],
        "Stil": ["6 weken of langer geen contact"],
    }
    assert quiet.pk not in rows


def test_mdo_list_iroc_due_and_no_iroc(team, member, lead):
    due = make_client(team, name="Meten")
    in_care(due, member)
    contact(due, [member], day=TODAY)
    make_iroc(due, member, date=dt.date(2026, 1, 1))  # due 1 April: within 4 weeks
    never = make_client(team, name="Nooit")
    in_care(never, member)
    contact(never, [member], day=TODAY)

    rows = {r.client.last_name: r.reasons for r in ov.mdo_list(user=lead, team=team, today=TODAY)}

    assert rows == {"Meten": ["I.ROC"], "Nooit": ["I.ROC"]}


# --- the page ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [
        ("lead", 200),
        ("secretary", 200),
        ("member", 403),
        ("outsider", 403),
        ("consultant", 403),
        ("controller", 403),
    ],
)
def test_team_overview_permissions(request, team, login, user_fixture, status):
    user = request.getfixturevalue(user_fixture)
    response = login(user).get(reverse("caseload:team-overview"))
    assert response.status_code == status


def test_team_overview_of_another_team_is_404(team, other_team, lead, login):
    response = login(lead).get(reverse("caseload:team-overview"), {"team": other_team.pk})
    assert response.status_code == 404


def test_team_overview_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("caseload:team-overview"))
    assert response.status_code == 302


def test_team_overview_page_shows_every_section_and_audits(team, member, lead, login, frozen):
    c = make_client(team, name="Visser", first="Vera")
    in_care(c, member)
    assign(c, member, AssignmentRole.CASEMANAGER)

    response = login(lead).get(reverse("caseload:team-overview"), {"maand": "2026-03"})

    body = response.content.decode()
    for heading in (
        "Wachtlijst",
        "Caseload per medewerker",
        "Gedeelde caseload",
        "In- en uitstroom",
        "Uren per medewerker",
        "MDO-lijst",
    ):
        assert heading in body
    assert "Vera Visser" in body  # on the MDO list: no I.ROC yet
    assert "<caption" in body and "<svg" in body and "Toon als tabel" in body
    assert reverse("caseload:reassign") in body
    assert AuditEvent.objects.filter(user=lead, event_type="search").exists()


def test_secretariaat_sees_the_overview_without_the_reassign_button(team, secretary, login):
    body = login(secretary).get(reverse("caseload:team-overview")).content.decode()
    assert reverse("caseload:reassign") not in body


def test_lead_of_two_teams_chooses_the_team(team, other_team, lead, org_ggz, login):
    MembershipFactory(user=lead, team=other_team, organisation=org_ggz, role=TeamRole.LEAD)
    http = login(lead)
    assert http.get(reverse("caseload:team-overview")).context["team"] == team
    response = http.get(reverse("caseload:team-overview"), {"team": other_team.pk})
    assert response.context["team"] == other_team


# --- the API -------------------------------------------------------------------------------


def _api(name: str, **kwargs) -> str:
    return reverse(f"api:{name}", kwargs=kwargs)


def test_api_team_caseload_and_shared(team, lead, member, login, frozen):
    for _ in range(2):
        assign(make_client(team), member, AssignmentRole.CASEMANAGER)
    http = login(lead)

    loads = http.get(_api("team-caseload", team_id=team.pk)).json()
    shared = http.get(_api("shared-caseload", team_id=team.pk)).json()

    row = next(r for r in loads if r["worker_id"] == member.pk)
    assert (row["clients"], row["per_fte"], row["over_norm"]) == (2, "2.5", False)
    assert shared == [{"organisations": "GGZ-T", "clients": 2}]


def test_api_hours_flow_and_mdo(team, lead, member, login, frozen):
    c = make_client(team, name="Kok")
    in_care(c, member, on=dt.date(2026, 3, 2))
    contact(c, [member], day=dt.date(2026, 3, 3), minutes=45)
    http = login(lead)

    hours = http.get(_api("team-hours", team_id=team.pk)).json()
    flow = http.get(_api("team-flow", team_id=team.pk)).json()
    mdo = http.get(_api("mdo-list", team_id=team.pk)).json()

    assert hours == [
        {
            "worker_id": member.pk,
            "name": member.get_full_name(),
            "month": "2026-03-01",
            "direct_minutes": 45,
            "indirect_minutes": 0,
            "unpaid_minutes": 0,
        }
    ]
    assert flow[-1] == {"month": "2026-03-01", "inflow": 1, "outflow": 0}
    assert [(r["client_id"], r["reasons"]) for r in mdo] == [(c.pk, ["I.ROC"])]
    assert AuditEvent.objects.filter(user=lead, event_type="search").exists()


def test_api_my_caseload(team, member, login, frozen):
    c = make_client(team)
    assign(c, member, AssignmentRole.CASEMANAGER)

    (row,) = login(member).get(_api("my-caseload")).json()

    assert row["client_id"] == c.pk
    assert row["roles"] == ["Casemanager"]
    assert row["due"] == [{"kind": "iroc", "name": "I.ROC", "on": "2026-03-16", "overdue": False}]


@pytest.mark.parametrize(
    "name", ["team-caseload", "shared-caseload", "team-hours", "team-flow", "mdo-list"]
)
@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [("lead", 200), ("secretary", 200), ("member", 404), ("outsider", 404), ("consultant", 404)],
)
def test_api_team_endpoints_permissions(request, team, login, name, user_fixture, status):
    user = request.getfixturevalue(user_fixture)
    assert login(user).get(_api(name, team_id=team.pk)).status_code == status


def test_api_anonymous_and_wrong_role(client, consultant, login):
    assert client.get(_api("my-caseload")).status_code in (401, 403)
    assert login(consultant).get(_api("my-caseload")).status_code == 403
