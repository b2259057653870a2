"""My caseload and the client file: selectors (exact values), views, permissions, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from caseload.selectors.pages import client_file, my_caseload_list, my_caseload_rows
from caseload.selectors.timeline import TimelineFilter, TimelineKind, client_timeline
from clients.constants import AssignmentRole
from clients.models import Naaste
from herstelplan.constants import GoalStatus, PlanStatus
from herstelplan.models import Evaluation, Goal, Plan, TeamInstrumentSettings
from olteams.access import access_client
from olteams.constants import DataCategory
from olteams.models import AuditEvent, Notification
from tests.caseload import pages_fixtures
from tests.caseload.pages_fixtures import (
    TODAY,
    assign,
    bulk_contacts,
    consultation,
    contact,
    crisis,
    in_care,
    intensity,
    make_client,
)
from tests.factories.clients import ConsentFactory, ReferralFactory
from tests.factories.herstelplan import make_iroc
from tests.factories.wmo import MunicipalProductFactory

pytestmark = pytest.mark.django_db

frozen = pages_fixtures.frozen  # a fixture


def _indication(client, *, start, end):
    from wmo.models import Decision, Indication, IndicationRequest

    product = MunicipalProductFactory(municipality=client.team.municipalities.first())
    request = IndicationRequest.objects.create(
        client=client,
        team=client.team,
        municipality=product.municipality,
        requested_by=client.team.memberships.first().user,
        status="toegekend",
        product=product,
        volume=2,
        unit="04",
        frequency="2",
        start=start,
        reference=f"REF{client.pk}",
        submitted_at=dt.datetime.combine(start, dt.time(9), tzinfo=dt.UTC),
        submitted_on=start,
        deadline=start + dt.timedelta(days=14),
    )
    decision = Decision.objects.create(
        request=request,
        kind="granted",
        decided_by=request.requested_by,
        decided_on=start,
        decided_at=dt.datetime.combine(start, dt.time(9), tzinfo=dt.UTC),
        municipality=product.municipality,
    )
    return Indication.objects.create(
        client=client,
        municipality=product.municipality,
        product=product,
        volume=2,
        unit="04",
        frequency="2",
        start=start,
        end=end,
        toewijzing_number=f"T{client.pk}",
        toewijzing_date=start,
        decision=decision,
    )


# --- my caseload -------------------------------------------------------------------------


def test_my_caseload_lists_the_users_active_assignments_with_roles(team, member, lead):
    mine = make_client(team, name="Aalders")
    assign(mine, member, AssignmentRole.CASEMANAGER)
    assign(mine, member, AssignmentRole.BEGELEIDER)
    ended = make_client(team, name="Bos")
    assign(ended, member, start=dt.date(2024, 1, 1), end=dt.date(2025, 12, 31))
    someone_elses = make_client(team, name="Claassen")
    assign(someone_elses, lead, AssignmentRole.CASEMANAGER)

    rows = my_caseload_rows(user=member, today=TODAY)

    assert [r.client.last_name for r in rows] == ["Aalders"]
    assert rows[0].roles == ["Ambulant begeleider", "Casemanager"]


def test_my_caseload_last_contact_is_by_anyone_of_the_team(team, member, welfare_member):
    c = make_client(team)
    assign(c, member, AssignmentRole.CASEMANAGER)
    contact(c, [member], day=dt.date(2026, 3, 1))
    contact(c, [welfare_member], day=dt.date(2026, 3, 10))

    (row,) = my_caseload_rows(user=member, today=TODAY)

    assert row.client.last_contact_on == dt.date(2026, 3, 10)
    assert row.last_contact_days == 6


def test_my_caseload_due_items_from_every_app(team, member):
    c = make_client(team)
    assign(c, member, AssignmentRole.CASEMANAGER)
    TeamInstrumentSettings.objects.create(team=team, iroc_interval_months=6)
    make_iroc(c, member, date=dt.date(2025, 10, 1))
    plan = Plan.objects.create(
        client=c,
        version=1,
        status=PlanStatus.ACTIVE,
        review_date=dt.date(2026, 6, 1),
        valid_from=dt.date(2025, 9, 1),
        agreed_on=dt.date(2025, 9, 1),
        agreed_how="paper",
        created_by=member,
        updated_by=member,
    )
    done = Goal.objects.create(plan=plan, text="Werk", evaluation_date=dt.date(2026, 2, 1))
    Evaluation.objects.create(plan=plan, goal=done, date=dt.date(2026, 2, 2), text="ok", by=member)
    Goal.objects.create(plan=plan, text="Wonen", evaluation_date=dt.date(2026, 4, 1))
    Goal.objects.create(
        plan=plan, text="Gestopt", evaluation_date=dt.date(2026, 1, 1), status=GoalStatus.STOPPED
    )
    _indication(c, start=dt.date(2025, 6, 1), end=dt.date(2026, 4, 30))
    Naaste.objects.create(
        client=c, name="Moeder", relation="moeder", role="familie", zag_due_on=dt.date(2026, 3, 1)
    )

    (row,) = my_caseload_rows(user=member, today=TODAY)

    assert [(d.kind, d.on, d.overdue) for d in row.due] == [
        ("naaste", dt.date(2026, 3, 1), True),
        ("plan", dt.date(2026, 4, 1), False),
        ("iroc", dt.date(2026, 4, 1), False),
        ("wmo", dt.date(2026, 4, 30), False),
    ]


def test_my_caseload_iroc_due_today_without_any_and_default_interval(team, member):
    never = make_client(team, name="A")
    assign(never, member)
    measured = make_client(team, name="B")
    assign(measured, member)
    make_iroc(measured, member, date=dt.date(2025, 11, 30))

    rows = {c.last_name: c for c in my_caseload_list(user=member, today=TODAY)}

    assert rows["A"].iroc_due_on == TODAY
    assert rows["B"].iroc_due_on == dt.date(2026, 2, 28)  # three months, end of month


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [
        ("member", 200),
        ("lead", 200),
        ("secretary", 200),
        ("outsider", 200),
        ("consultant", 403),
        ("controller", 403),
        ("stuurgroep_user", 403),
    ],
)
def test_my_caseload_page_permissions(request, login, user_fixture, status):
    user = request.getfixturevalue(user_fixture)
    response = login(user).get(reverse("caseload:my-caseload"))
    assert response.status_code == status


def test_my_caseload_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("caseload:my-caseload"))
    assert response.status_code == 302
    assert "aanmelden" in response["Location"]


def test_my_caseload_page_shows_clients_contact_button_notifications_and_audits(
    team, member, login, frozen
):
    c = make_client(team, name="Dekker", first="Dirk")
    assign(c, member, AssignmentRole.CASEMANAGER)
    contact(c, [member], day=dt.date(2026, 3, 9))
    Notification.objects.create(recipient=member, kind="task", title="I.ROC afnemen bij D.")

    response = login(member).get(reverse("caseload:my-caseload"))

    body = response.content.decode()
    assert "Dirk Dekker" in body
    assert "7 dagen geleden" in body
    assert "I.ROC afnemen bij D." in body
    create_url = reverse("caseload:contact-create", kwargs={"client_id": c.pk})
    assert f'href="{create_url}?next=/caseload/"' in body
    assert AuditEvent.objects.filter(
        user=member, event_type="search", detail="mijn caseload"
    ).exists()


# --- the client file ---------------------------------------------------------------------


def test_timeline_merges_every_kind_newest_first(team, member, lead):
    c = make_client(team)
    assign(c, member)
    in_care(c, member, on=dt.date(2026, 1, 5))
    contact(c, [member], day=dt.date(2026, 3, 2), hour=9)
    contact(c, [member], day=dt.date(2026, 3, 2), hour=15)
    intensity(c, lead, day=dt.date(2026, 2, 20))
    crisis(c, member, start=dt.date(2026, 3, 5))
    consultation(member, day=dt.date(2026, 2, 1), minutes=20, client=c)

    page, entries = client_timeline(client=c, f=TimelineFilter())

    assert [(e.kind, e.day) for e in entries] == [
        (TimelineKind.CRISIS, dt.date(2026, 3, 5)),
        (TimelineKind.CONTACT, dt.date(2026, 3, 2)),
        (TimelineKind.CONTACT, dt.date(2026, 3, 2)),
        (TimelineKind.INTENSITY, dt.date(2026, 2, 20)),
        (TimelineKind.CONSULTATION, dt.date(2026, 2, 1)),
        (TimelineKind.PHASE, dt.date(2026, 1, 5)),
    ]
    assert entries[1].at.hour == 15
    assert page.paginator.count == 6


def test_timeline_filters_by_kind_dates_and_worker(team, member, welfare_member, lead):
    c = make_client(team)
    contact(c, [member], day=dt.date(2026, 3, 2))
    contact(c, [welfare_member], day=dt.date(2026, 3, 3))
    contact(c, [member, welfare_member], day=dt.date(2026, 2, 3))
    intensity(c, lead, day=dt.date(2026, 3, 1))

    def days(**kwargs):
        return [e.day.day for e in client_timeline(client=c, f=TimelineFilter(**kwargs))[1]]

    assert days(kinds=frozenset({TimelineKind.CONTACT})) == [3, 2, 3]
    assert days(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 2)) == [2, 1]
    assert days(worker_id=welfare_member.pk) == [3, 3]
    assert days(worker_id=lead.pk) == [1]
    assert days(kinds=frozenset({TimelineKind.CRISIS})) == []


def test_timeline_pages_of_fifty(team, member):
    c = make_client(team)
    bulk_contacts(c, member, 120, start=TODAY)

    page, entries = client_timeline(client=c, f=TimelineFilter(), page=3)

    assert page.paginator.num_pages == 3
    assert len(entries) == 20
    assert entries[0].obj.note == "Verslag 100"


def test_client_file_notes_follow_consent(team, member, welfare_member, org_welzijn):
    c = make_client(team)
    assign(c, member, AssignmentRole.CASEMANAGER)
    ggz = contact(c, [member], day=dt.date(2026, 3, 2), category=DataCategory.GGZ_TREATMENT)
    welzijn = contact(c, [member], day=dt.date(2026, 3, 1), category=DataCategory.WELFARE)

    def visible(user):
        f = client_file(user=user, client=c, today=TODAY)
        _page, entries = client_timeline(
            client=c,
            f=TimelineFilter(),
            categories=f.categories,
            user_id=user.pk,
            clinical=f.clinical,
        )
        return {e.obj.pk for e in entries if e.note_visible}

    assert visible(member) == {ggz.pk, welzijn.pk}
    assert visible(welfare_member) == {welzijn.pk}
    ConsentFactory(
        client=c,
        recipient_organisation=org_welzijn,
        category=DataCategory.GGZ_TREATMENT,
        given_on=dt.date(2026, 1, 1),
        recorded_by=member,
    )
    assert visible(welfare_member) == {ggz.pk, welzijn.pk}


def test_client_file_secretariaat_sees_no_clinical_parts(team, member, secretary):
    c = make_client(team)
    make_iroc(c, member, date=dt.date(2026, 1, 1))
    contact(c, [member], day=dt.date(2026, 3, 2))

    f = client_file(user=secretary, client=c, today=TODAY)

    assert f.clinical is False
    assert f.iroc_latest is None and f.plan is None
    assert f.categories == frozenset()
    clinical = client_file(user=member, client=c, today=TODAY)
    assert clinical.iroc_latest.iroc_total == 36


def test_client_file_page_shows_timeline_and_audits_one_read(team, member, login, frozen):
    c = make_client(team, name="Evers", first="Eva")
    assign(c, member, AssignmentRole.CASEMANAGER)
    contact(c, [member], day=dt.date(2026, 3, 12), note="Samen boodschappen gedaan.")
    url = reverse("caseload:client-file", kwargs={"client_id": c.pk})

    response = login(member).get(url)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Eva Evers" in body and "Samen boodschappen gedaan." in body
    create_url = reverse("caseload:contact-create", kwargs={"client_id": c.pk})
    assert f'href="{create_url}?next=' in body
    events = AuditEvent.objects.filter(client_id=c.pk, event_type="read")
    assert events.count() == 1
    assert events.get().user == member


def test_client_file_secretariaat_page_hides_the_report(team, member, secretary, login):
    c = make_client(team)
    contact(c, [member], day=dt.date(2026, 3, 2), note="Geheim verslag")
    url = reverse("caseload:client-file", kwargs={"client_id": c.pk})

    body = login(secretary).get(url).content.decode()

    assert "Geheim verslag" not in body
    assert "verslag afgeschermd" in body


def test_client_file_bad_filter_input_is_not_a_500(team, member, login):
    c = make_client(team)
    contact(c, [member], day=dt.date(2026, 3, 2))
    url = reverse("caseload:client-file", kwargs={"client_id": c.pk})

    response = login(member).get(
        url, {"van": "gisteren", "tot": "2026-01-01", "medewerker": "999999", "pagina": "x"}
    )

    assert response.status_code == 200
    assert "Voer een geldige datum in" in response.content.decode()


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [
        ("member", 200),
        ("lead", 200),
        ("secretary", 200),
        ("outsider", 404),
        ("consultant", 404),
        ("controller", 404),
        ("stuurgroep_user", 404),
    ],
)
def test_client_file_permissions(request, team, member, login, user_fixture, status):
    c = make_client(team)
    ReferralFactory(team=team, client=c, created_by=member)
    user = request.getfixturevalue(user_fixture)

    response = login(user).get(reverse("caseload:client-file", kwargs={"client_id": c.pk}))

    assert response.status_code == status
    outcome = "success" if status == 200 else "denied"
    assert AuditEvent.objects.filter(client_id=c.pk, user=user, outcome=outcome).count() == 1


def test_client_file_of_a_missing_client_is_404(member, login):
    response = login(member).get(reverse("caseload:client-file", kwargs={"client_id": 999999}))
    assert response.status_code == 404


def test_client_file_access_grant_is_kept(team, member):
    c = make_client(team)
    accessed = access_client(member, c.pk)
    f = client_file(user=member, client=accessed, today=TODAY)
    assert f.client.access_grant == accessed.access_grant
