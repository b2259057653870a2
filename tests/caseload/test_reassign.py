"""Bulk reassignment: service (happy path, errors, all-or-nothing, audit) and the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from caseload.models import Reassignment
from caseload.services.reassign import assignments_reassign
from clients.constants import AssignmentRole
from clients.models import Assignment
from olteams.models import AuditEvent
from tests.caseload import pages_fixtures
from tests.caseload.pages_fixtures import (
    TODAY,
    assign,
    make_client,
)
from tests.factories.olteams import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

casemanager2 = pages_fixtures.casemanager2  # a fixture
frozen = pages_fixtures.frozen  # a fixture


@pytest.fixture
def caseload(team, member):
    """Three clients of the member: two as casemanager, one as begeleider."""
    a = make_client(team, name="Aarts")
    b = make_client(team, name="Berg")
    c = make_client(team, name="Cornelis")
    assign(a, member, AssignmentRole.CASEMANAGER, start=dt.date(2025, 1, 1))
    assign(b, member, AssignmentRole.CASEMANAGER, start=dt.date(2025, 1, 1))
    assign(c, member, AssignmentRole.BEGELEIDER, start=dt.date(2025, 1, 1))
    return a, b, c


def _reassign(lead, team, member, to, clients, **kwargs):
    params = {
        "actor": lead,
        "team": team,
        "from_worker": member,
        "to_worker": to,
        "client_ids": [c.pk for c in clients],
        "on": TODAY,
        "reason": "Zwangerschapsverlof",
    }
    params.update(kwargs)
    return assignments_reassign(**params)


def test_reassign_moves_the_roles_ends_the_old_ones_and_audits(
    team, lead, member, casemanager2, caseload
):
    a, b, c = caseload

    record = _reassign(lead, team, member, casemanager2, [a, c])

    assert set(record.clients.all()) == {a, c}
    assert (record.from_worker, record.to_worker, record.on, record.by) == (
        member,
        casemanager2,
        TODAY,
        lead,
    )
    day_before = TODAY - dt.timedelta(days=1)
    old = Assignment.objects.filter(worker=member, client__in=[a, c])
    assert {(x.client_id, x.end_date) for x in old} == {(a.pk, day_before), (c.pk, day_before)}
    new = Assignment.objects.filter(worker=casemanager2).order_by("client__last_name")
    assert [(x.client, x.role, x.start_date, x.end_date) for x in new] == [
        (a, AssignmentRole.CASEMANAGER, TODAY, None),
        (c, AssignmentRole.BEGELEIDER, TODAY, None),
    ]
    assert Assignment.objects.get(worker=member, client=b).end_date is None
    events = AuditEvent.objects.filter(event_type="update", object_type="caseload.reassignment")
    assert sorted(events.values_list("client_id", flat=True)) == sorted([a.pk, c.pk])
    assert all(e.user == lead for e in events)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"reason": "x" * 301}, "reason"),
        ({"on": None}, "on"),
        ({"client_ids": []}, "clients"),
        ({"client_ids": ["abc"]}, "clients"),
        ({"to_worker": None}, "to_worker"),
        ({"from_worker": None}, "from_worker"),
    ],
)
def test_reassign_bad_input_dutch_errors_nothing_saved(
    team, lead, member, casemanager2, caseload, change, field
):
    with pytest.raises(ValidationError) as exc:
        _reassign(lead, team, member, casemanager2, caseload, **change)
    assert field in exc.value.message_dict
    assert Reassignment.objects.count() == 0
    assert Assignment.objects.filter(worker=casemanager2).count() == 0


def test_reassign_to_the_same_worker_is_refused(team, lead, member, caseload):
    with pytest.raises(ValidationError) as exc:
        _reassign(lead, team, member, member, caseload)
    assert exc.value.message_dict["to_worker"] == ["Kies een andere medewerker dan de huidige."]


def test_reassign_to_someone_not_in_the_team_is_refused(team, lead, member, outsider, caseload):
    with pytest.raises(ValidationError) as exc:
        _reassign(lead, team, member, outsider, caseload)
    assert "geen actief lid van het team" in exc.value.message_dict["to_worker"][0]


def test_reassign_to_a_former_member_is_refused(team, lead, member, org_ggz, caseload):
    gone = MembershipFactory(
        user=UserFactory(), team=team, organisation=org_ggz, valid_to=dt.date(2026, 1, 1)
    ).user
    with pytest.raises(ValidationError):
        _reassign(lead, team, member, gone, caseload)


def test_one_client_that_is_not_the_workers_stops_everything(
    team, lead, member, casemanager2, caseload, other_team
):
    stranger = make_client(team, name="Vreemd")
    assign(stranger, casemanager2)
    with pytest.raises(ValidationError) as exc:
        _reassign(lead, team, member, casemanager2, [*caseload, stranger])
    assert "Niet alle gekozen cliënten" in exc.value.message_dict["clients"][0]
    assert Assignment.objects.filter(worker=member, end_date__isnull=False).count() == 0
    assert AuditEvent.objects.filter(event_type="update").count() == 0


def test_a_failing_later_client_rolls_back_the_earlier_ones(
    team, lead, member, casemanager2, caseload
):
    """All or nothing: the last client's assignment started on the date (cannot end the
    day before), so the first clients' moves are rolled back too."""
    late = make_client(team, name="Zwart")
    assign(late, member, AssignmentRole.CASEMANAGER, start=TODAY)
    with pytest.raises(ValidationError) as exc:
        _reassign(lead, team, member, casemanager2, [*caseload, late])
    assert "kies een latere datum" in exc.value.message_dict["on"][0]
    assert Assignment.objects.filter(worker=casemanager2).count() == 0
    assert Assignment.objects.filter(worker=member, end_date__isnull=True).count() == 4
    assert Reassignment.objects.count() == 0


def test_a_role_the_new_worker_may_not_hold_is_refused(team, lead, member, casemanager2):
    c = make_client(team)
    psychiatrist = MembershipFactory(team=team, discipline="psychiater").user
    assign(c, psychiatrist, AssignmentRole.REGIEBEHANDELAAR)
    with pytest.raises(ValidationError) as exc:
        _reassign(lead, team, psychiatrist, casemanager2, [c])
    assert "worker" in exc.value.message_dict or "__all__" in exc.value.message_dict
    assert Assignment.objects.get(client=c).end_date is None


@pytest.mark.parametrize("actor_fixture", ["member", "secretary", "outsider"])
def test_only_the_teams_lead_reassigns(
    request, team, member, casemanager2, caseload, actor_fixture
):
    actor = request.getfixturevalue(actor_fixture)
    with pytest.raises(PermissionDenied):
        _reassign(actor, team, member, casemanager2, caseload)
    assert Reassignment.objects.count() == 0


# --- the page ------------------------------------------------------------------------------


def test_reassign_page_lists_the_workers_clients_and_moves_them(
    team, lead, member, casemanager2, caseload, login, frozen
):
    a, b, _c = caseload
    http = login(lead)
    url = reverse("caseload:reassign")

    page = http.get(url, {"from_worker": member.pk})
    body = page.content.decode()
    assert "Aarts" in body and "Cornelis" in body

    response = http.post(
        url,
        {
            "from_worker": member.pk,
            "to_worker": casemanager2.pk,
            "clients": [a.pk, b.pk],
            "on": "2026-03-16",
            "reason": "Herverdeling",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('caseload:team-overview')}?team={team.pk}"
    assert Assignment.objects.filter(worker=casemanager2).count() == 2
    assert Reassignment.objects.get().reason == "Herverdeling"


def test_reassign_page_errors_keep_the_input(team, lead, member, casemanager2, caseload, login):
    a, _b, _c = caseload
    response = login(lead).post(
        reverse("caseload:reassign"),
        {"from_worker": member.pk, "to_worker": casemanager2.pk, "clients": [a.pk], "on": ""},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Vul de reden van de overdracht in." in body
    assert "Er is iets niet goed ingevuld" in body
    assert f'value="{a.pk}" id="id_clients_0" checked' in body or "checked" in body
    assert Reassignment.objects.count() == 0


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [("lead", 200), ("secretary", 404), ("member", 404), ("outsider", 404), ("consultant", 404)],
)
def test_reassign_page_permissions(request, team, login, user_fixture, status):
    user = request.getfixturevalue(user_fixture)
    assert login(user).get(reverse("caseload:reassign")).status_code == status


def test_reassign_post_by_a_member_changes_nothing(team, member, casemanager2, caseload, login):
    response = login(member).post(
        reverse("caseload:reassign"),
        {
            "from_worker": member.pk,
            "to_worker": casemanager2.pk,
            "clients": [caseload[0].pk],
            "on": "2026-03-16",
            "reason": "x",
        },
    )
    assert response.status_code == 404
    assert Reassignment.objects.count() == 0
